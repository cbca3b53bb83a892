"""What if a source is dropped or distrusted: which facts change."""

import reconcile
from reconcile.whatif import compare_facts, distrust, without

CENTER = "Russian Reconciliation Center for Syria"


def test_dropping_the_center_changes_the_wounded_and_loses_its_own_facts():
    before = reconcile.reconcile("data/seed_claims.csv")
    changes = compare_facts(before, reconcile.reconcile(without(before.claims, [CENTER])))
    change = dict(zip(changes["slot"], changes["change"]))
    assert change["russian soldiers / wounded"] == "value"
    assert change["attack / event_time"] == "gone" and change["turkish crew / wounded"] == "gone"
    # the Center never dated it: value and status stay; its confidence may follow Julian
    # Röpcke's record, which the Center's dissent on the location had lowered
    assert change.get("attack / event_date") in (None, "confidence")


def test_a_source_is_found_by_the_name_as_written_too():
    before = reconcile.reconcile("data/seed_claims.csv")
    left = without(before.claims, ["the Center"])
    assert len(left) == len(before.claims) - 5  # the five claims written "the Center" go
    assert (left["source"] == CENTER).sum() == 2  # those written in full stay


def test_distrusting_moves_confidence_not_facts():
    before = reconcile.reconcile("data/seed_claims.csv")
    changes = compare_facts(before, reconcile.reconcile(distrust(before.claims, [CENTER])))
    assert set(changes["change"]) <= {"confidence"} and len(changes) > 0
    assert len(compare_facts(before, before, changed_only=False)) == len(before.facts)
