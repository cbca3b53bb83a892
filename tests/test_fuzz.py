"""A short fuzz campaign in the default suite (``make fuzz`` runs the long one): every reader,
the value parser, the extractor and the ClaimReview import either give a result or raise
InputError, within two seconds an input."""

from __future__ import annotations

import pytest

from benchmarks import fuzz


@pytest.mark.parametrize("target", sorted(fuzz.TARGETS))
def test_short_fuzz_campaign(target):
    fuzz.STATS.update(inputs=0, slowest=0.0)
    fuzz.campaign(target, examples=40)()
    assert fuzz.STATS["inputs"] >= 40
    assert fuzz.STATS["slowest"] <= fuzz.SLOW_SECONDS


def test_a_crash_is_reported_not_swallowed(monkeypatch):
    def broken(text, kind):
        raise TypeError("boom")
    monkeypatch.setitem(fuzz.TARGETS, "value parser", (lambda text, kind: fuzz._timed(broken, text, kind),
                                                       fuzz.TARGETS["value parser"][1]))
    with pytest.raises(TypeError):
        fuzz.campaign("value parser", examples=5)()
