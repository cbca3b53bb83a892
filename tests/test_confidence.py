"""Fact confidence as a probability: it accounts for how many independent sources back a
value and how well they are known (reconcile.consensus.fact_probability)."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import reconcile
from reconcile.consensus import PRIOR_ACCURACY
from reconcile.trust import ConvergenceWarning


def facts(rows, method: str = "default") -> pd.DataFrame:
    claims = pd.DataFrame(rows, columns=["source", "subject", "predicate", "value"])
    pins = {s: s for s in claims["source"].unique()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return reconcile.reconcile(claims, method=method, aliases=pins).facts.set_index("subject")


def track_record(desks, n_slots: int = 20):
    """Desks that reported the same injury counts on ``n_slots`` other incidents."""
    return [(desk, f"village{q:02d}", "injured", str(4 + q)) for desk in desks for q in range(n_slots)]


def test_one_source_of_unknown_record_is_not_certain():
    fact = facts([("Mira Osei", "ferry", "missing", "12")]).loc["ferry"]
    assert fact["status"] == "single_source"
    assert fact["confidence"] == pytest.approx(PRIOR_ACCURACY)   # the prior: nothing else is known


def test_more_independent_sources_give_more_confidence():
    desks = ["desk a", "desk b", "desk c", "desk d"]
    known = track_record(desks[:1]) + [(d, f"village{q:02d}", "injured", str(4 + q)) for d in desks[1:]
                                       for q in range(0, 20, 3)]
    one = facts(known + [("desk a", "pier", "injured", "7")]).loc["pier", "confidence"]
    two = facts(known + [(d, "pier", "injured", "7") for d in desks[:2]]).loc["pier", "confidence"]
    three = facts(known + [(d, "pier", "injured", "7") for d in desks[:3]]).loc["pier", "confidence"]
    assert 0.5 < one < two < three < 1.0


def test_a_contested_fact_is_not_near_certain():
    rows = track_record(["desk a", "desk b"]) + [("desk a", "pier", "injured", "7"),
                                                 ("desk b", "pier", "injured", "11")]
    fact = facts(rows).loc["pier"]
    assert fact["status"] == "contested"
    assert 0.2 < fact["confidence"] < 0.8


def test_only_unknown_sources_against_an_established_one_is_contested():
    newcomers = [(f"newcomer{i}", "pier", "injured", "40") for i in range(6)]
    rows = track_record(["desk a", "desk b"]) + [("desk a", "pier", "injured", "30")] + newcomers
    fact = facts(rows).loc["pier"]
    assert fact["value"] == 40
    assert fact["status"] == "contested"        # although the trust-weighted dissent is small
    assert fact["confidence"] < 0.9
    # the same newcomers with nobody established against them agree
    assert facts(track_record(["desk a"]) + newcomers).loc["pier", "status"] == "consensus"


@pytest.mark.parametrize("method", ["default", "accu", "majority_vote"])
def test_a_hundred_one_off_sources_cannot_outweigh_three_established_ones(method):
    desks = ["desk a", "desk b", "desk c"]
    rows = track_record(desks) + [(d, "harbour", "injured", "10") for d in desks]
    rows += [(f"account{i:03d}", "harbour", "injured", "99") for i in range(100)]
    fact = facts(rows, method).loc["harbour"]
    if fact["value"] == 99:
        assert fact["status"] == "contested"
        assert fact["confidence"] < 0.5
    else:
        assert fact["value"] == 10 and fact["confidence"] > 0.5
    # a few one-off sources that agree with nobody established are still believed
    few = facts(track_record(desks) + [(f"account{i}", "harbour", "injured", "99") for i in range(3)],
                method).loc["harbour"]
    assert few["value"] == 99 and few["status"] == "consensus" and 0.8 < few["confidence"] < 1.0
