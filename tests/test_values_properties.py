"""Properties of agreement (range, symmetry, identity) and vectorised == scalar."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reconcile.values import (
    ParsedValue,
    ValueParseError,
    agreement,
    pairwise_agreement,
    parse_value,
)

COUNT_WORDS = ["several", "a few", "dozens", "hundreds", "no one", "many", "a dozen", "a couple"]
BOUNDS = ["at least {}", "more than {}", "up to {}", "fewer than {}", "about {}", "nearly {}", "{} or more",
          "between {} and {}", "{}", "{}"]
TIMES = ["7:10 a.m.", "7:12 a.m.", "7:20 a.m.", "2011-12-01T07:10:00Z", "2011-12-01", "2011-12-02",
         "12/01/2011 07:14 AM", "11:58 p.m.", "12:01 a.m.", "Dec 02 6:55 a.m.", "Not Available"]
NAMED = [("category", "car bomb"), ("category", "IED"), ("category", "air strike"), ("category", "attack"),
         ("category", "explosion"), ("category", "zorbing"), ("place", "Idlib"), ("place", "idlib"),
         ("text", "donald e knuth"), ("text", "knuth"), ("text", "stuart russell; peter norvig"),
         ("text", "peter norvig"), ("boolean", "yes"), ("boolean", "no")]


@st.composite
def counts(draw):
    n = draw(st.integers(1, 40))
    template = draw(st.sampled_from(BOUNDS + COUNT_WORDS))
    text = template.format(n, n + draw(st.integers(0, 10))) if "{" in template else template
    return parse_value(text, "count")


@st.composite
def numbers(draw):
    x = draw(st.floats(-1e6, 1e6, allow_nan=False))
    template = draw(st.sampled_from(["{}", "about {}", "at least {}", "up to {}", "{} km", "{} miles"]))
    return parse_value(template.format(repr(x)), "number")


@st.composite
def times(draw):
    return parse_value(draw(st.sampled_from(TIMES)), "time")


@st.composite
def named(draw):
    kind, text = draw(st.sampled_from(NAMED))
    return parse_value(text, kind)


values = st.one_of(counts(), numbers(), times(), named())


@settings(max_examples=400, deadline=None)
@given(values, values)
def test_agreement_is_symmetric_and_in_range(a, b):
    ab, ba = agreement(a, b), agreement(b, a)
    assert -1.0 <= ab <= 1.0 and not math.isnan(ab)
    assert ab == pytest.approx(ba, abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(values)
def test_a_value_agrees_fully_with_itself_and_is_json(a):
    assert agreement(a, a) == (0.0 if a.value is None else 1.0)
    assert json.loads(json.dumps(a.as_row(), allow_nan=False))["value"] == a.value


@settings(max_examples=200, deadline=None)
@given(counts(), counts())
def test_counts_contradict_exactly_when_disjoint(a, b):
    lo = max(a.min, b.min)
    hi = min(math.inf if a.max is None else a.max, math.inf if b.max is None else b.max)
    score = agreement(a, b)
    assert (score == -1.0) == (lo > hi)
    if lo <= hi:
        assert score >= 0.3


def frame(parsed: list[ParsedValue]) -> pd.DataFrame:
    return pd.DataFrame([p.as_row() for p in parsed])


@pytest.mark.parametrize("seed", range(3))
def test_pairwise_equals_scalar_on_random_frames(seed):
    rng = np.random.default_rng(seed)
    pool = ([parse_value(t.format(n, n + 3) if "{" in t else t, "count") for t in BOUNDS + COUNT_WORDS
             for n in (1, 3, 7)]
            + [parse_value(x, "number") for x in ["100", "101", "about 100", "30 km", "19 miles", "30 kg", "-5"]]
            + [parse_value(t, "time") for t in TIMES]
            + [parse_value(t, "time", reference="2011-12-01") for t in TIMES]
            + [parse_value(text, kind) for kind, text in NAMED]
            + [parse_value("N/A", "count")])
    left = [pool[i] for i in rng.integers(0, len(pool), 3000)]
    right = [pool[i] for i in rng.integers(0, len(pool), 3000)]
    # same-kind rows are the interesting ones: make half the pairs share a kind
    right = [r if i % 2 else next((p for p in pool[rng.integers(0, len(pool)):] if p.kind == left[i].kind), r)
             for i, r in enumerate(right)]
    vectorised = pairwise_agreement(frame(left), frame(right))
    scalar = np.array([agreement(a, b) for a, b in zip(left, right)])
    np.testing.assert_allclose(vectorised, scalar, atol=1e-12)


def test_pairwise_without_unit_column_and_length_check():
    left = pd.DataFrame({"value_kind": ["count", "count", "number"], "value": [3, "several", 7.0],
                         "value_min": [3.0, 3.0, 7.0], "value_max": [3.0, 9.0, 7.0]})
    right = pd.DataFrame({"value_kind": ["count", "count", "number"], "value": [4, 3, None],
                          "value_min": [4.0, 3.0, np.nan], "value_max": [4.0, 3.0, np.nan]})
    np.testing.assert_allclose(pairwise_agreement(left, right), [-1.0, agreement(
        parse_value("several", "count"), parse_value(3, "count")), 0.0])
    shuffled = right.set_axis([10, 5, 0])                     # rows pair by position, not label
    np.testing.assert_allclose(pairwise_agreement(left, shuffled), pairwise_agreement(left, right))
    with pytest.raises(ValueError, match="equal length"):
        pairwise_agreement(left, right.iloc[:2])


ALPHABET = st.sampled_from(list("0123456789 ,.-/:+()apmAPMDecJulyThu%$½") + ["at least ", "about ", " GMT",
                                                                           " Moscow time", "several", "N/A"])


@settings(max_examples=500, deadline=None)
@given(st.lists(ALPHABET, max_size=8).map("".join) | st.text(max_size=20),
       st.sampled_from(["count", "number", "time", "date", "boolean", "category", "place", "text", None]))
def test_any_text_parses_or_raises_value_parse_error(text, kind):
    try:
        parsed = parse_value(text, kind, reference="2020-07-14")
    except ValueParseError:
        return
    assert parsed.kind in ("count", "number", "time", "date", "boolean", "category", "place", "text")
    json.dumps(parsed.as_row(), allow_nan=False)
    if parsed.min is not None and parsed.max is not None:
        assert parsed.min <= parsed.max


bound = st.one_of(st.none(), st.integers(-50, 50).map(float), st.floats(-1e4, 1e4, allow_nan=False))


@st.composite
def raw_values(draw):
    kind = draw(st.sampled_from(["count", "number", "time", "date", "boolean"]))
    lo, width = draw(bound), draw(st.one_of(st.none(), st.floats(0, 1e5, allow_nan=False)))
    if kind in ("time", "date"):
        lo = draw(st.sampled_from([0.0, 3600.0, 1.3e9, 1.3e9 + 200, 1.3e9 + 86400]))
        width = draw(st.sampled_from([0.0, 250.0, 86400.0]))
    if kind == "boolean":
        lo = width = float(draw(st.booleans()))
        return ParsedValue(bool(lo), kind, lo, lo)
    hi = None if lo is None or width is None else lo + width
    unit = draw(st.sampled_from([None, None, "km", "mi", "kg"])) if kind == "number" else None
    return ParsedValue("v", kind, lo, hi, unit)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(raw_values(), raw_values()), min_size=1, max_size=30))
def test_pairwise_equals_scalar_on_generated_intervals(pairs):
    left, right = frame([a for a, _ in pairs]), frame([b for _, b in pairs])
    expected = [agreement(a, b) for a, b in pairs]
    np.testing.assert_allclose(pairwise_agreement(left, right), expected, atol=1e-12)
    np.testing.assert_allclose(pairwise_agreement(right, left), expected, atol=1e-12)   # symmetric
    assert all(-1.0 <= e <= 1.0 for e in expected)
