"""The gvdb scorer's arithmetic on hand-made predictions (benchmarks/gvdb.py)."""

from benchmarks.gvdb import outcome, outlet_of, prediction, prf, tally


def _fact(lo, hi, event="d#1", predicate="killed", n=1):
    return {"event": event, "predicate": predicate, "value_min": lo, "value_max": hi,
            "claim_ids": [f"c{i}" for i in range(n)]}


def test_outcomes_follow_the_definition():
    assert outcome(_fact(1, 1), 1) == "tp"
    assert outcome(_fact(1, None), 3) == "tp"  # "at least one" contains 3
    assert outcome(_fact(2, 2), 1) == "fp+fn"  # wrong and positive: both
    assert outcome(None, 2) == "fn"
    assert outcome(_fact(0, 0), 2) == "fn"  # a zero is no positive prediction
    assert outcome(_fact(0, 0), 0) is None
    assert outcome(None, 0) is None
    assert outcome(_fact(3, 3), 0) == "fp"
    assert outcome(_fact(1, None), 0) == "fp"  # unbounded counts as positive
    assert outcome(_fact(None, None), 0) is None  # it contains the gold 0


def test_tally_and_prf():
    t = tally(["tp", "tp", "fp+fn", "fn", None, "fp"])
    assert t == {"tp": 2, "fp": 2, "fn": 2}
    p, r, f = prf(t)
    assert (p, r, round(f, 4)) == (0.5, 0.5, 0.5)
    assert prf({"tp": 0, "fp": 0, "fn": 0}) == (0.0, 0.0, 0.0)


def test_prediction_is_the_main_events_best_supported_fact():
    claims = [{"predicate": "killed", "event": "d#2"}, {"predicate": "wounded", "event": "d#2"},
              {"predicate": "killed", "event": "d#1"}, {"predicate": "event_type", "event": "d#1"},
              {"predicate": "event_type", "event": "d#1"}]
    facts = [_fact(5, 5, "d#1"), _fact(1, 1, "d#2", n=1), _fact(2, 2, "d#2", n=3),
             _fact(4, 4, "d#2", predicate="wounded")]
    assert prediction(claims, facts, "killed")["value_min"] == 2  # d#2 has more count claims
    assert prediction(claims, facts, "wounded")["value_min"] == 4
    assert prediction(claims, facts, "missing") is None
    assert prediction([], facts, "killed") is None


def test_outlet_is_the_host():
    assert outlet_of("http://www.example-news.com/a/b") == "example-news.com"
    assert outlet_of("https://local.paper.org/x") == "local.paper.org"
    assert outlet_of(None) is None
