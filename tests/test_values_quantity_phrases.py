"""Bound phrases wire copy uses that are not in the bare-number grammar."""

import pytest

from reconcile.values import parse_value


@pytest.mark.parametrize("text, low, high", [
    ("well over 12", 13, None), ("just over 40", 41, None), ("a total of 7", 7, 7),
    ("12 in total", 12, 12), ("as few as 3", 3, None),
])
def test_bound_phrases(text, low, high):
    parsed = parse_value(text, "count")
    assert (parsed.min, parsed.max) == (low, high)
