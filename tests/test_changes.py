"""The change report between two fact snapshots."""

import itertools
import json

from reconcile.changes import (
    CHANGE_KINDS,
    TRUST_MOVES,
    change_count,
    changes_json,
    changes_markdown,
    diff_runs,
)


def fact(subject, predicate, value, status="consensus", **more):
    return {"subject": subject, "predicate": predicate, "value": value, "status": status,
            "confidence": 0.9, "sources": ["police"], "dissenting": more.pop("dissenting", []), **more}


BEFORE = [fact("people", "killed", 8), fact("people", "wounded", 20, "contested"),
          fact("event", "location", "kabul"), fact("people", "missing", 3, "single_source")]
AFTER = [fact("people", "killed", 11, "contested", dissenting=["hospital"]),
         fact("people", "wounded", 20, "consensus"), fact("event", "location", "kabul"),
         fact("people", "displaced", 400)]


def test_each_kind_of_change_is_listed_once():
    report = diff_runs(BEFORE, AFTER, run_before="a", run_after="b")
    assert (report["from"], report["to"]) == ("a", "b")
    assert [e["slot"] for e in report["new"]] == [["people", "displaced"]]
    assert [e["slot"] for e in report["removed"]] == [["people", "missing"]]
    assert report["changed"] == [{"slot": ["people", "killed"], "from": 8, "to": 11,
                                  "status": "contested", "sources": ["police"]}]
    assert [(e["slot"], e["was"], e["dissenting"]) for e in report["contested"]] == [
        (["people", "killed"], "consensus", ["hospital"])]
    assert [(e["slot"], e["now"]) for e in report["resolved"]] == [(["people", "wounded"], "consensus")]
    assert change_count(report) == 5


def test_no_change_between_equal_snapshots():
    report = diff_runs(BEFORE, list(reversed(BEFORE)))
    assert change_count(report) == 0
    assert all(report[kind] == [] for kind in CHANGE_KINDS)
    assert "No fact changed." in changes_markdown(report)


def test_first_run_has_only_new_facts():
    report = diff_runs([], AFTER, run_after="first")
    assert len(report["new"]) == len(AFTER) and change_count(report) == len(AFTER)
    assert report["from"] is None


def test_trust_moves_are_the_largest_first_and_capped():
    before = [{"source": f"s{i}", "trust": 0.5} for i in range(TRUST_MOVES + 3)]
    after = [{"source": f"s{i}", "trust": 0.5 + (i - 4) / 100} for i in range(TRUST_MOVES + 3)]
    after.append({"source": "newcomer", "trust": 0.9})  # no earlier trust: not a move
    moves = diff_runs([], [], sources_before=before, sources_after=after)["trust"]
    assert len(moves) == TRUST_MOVES
    assert [m["source"] for m in moves][:3] == ["s0", "s1", "s7"]  # ties by name
    assert all(abs(a["change"]) >= abs(b["change"]) for a, b in itertools.pairwise(moves))
    assert "s4" not in {m["source"] for m in moves}  # unchanged


def test_reports_are_deterministic_text():
    report = diff_runs(BEFORE, AFTER, run_before="a", run_after="b")
    assert changes_json(report) == changes_json(diff_runs(list(reversed(BEFORE)), AFTER,
                                                          run_before="a", run_after="b"))
    assert json.loads(changes_json(report)) == report
    markdown = changes_markdown(report)
    assert "- people / killed: 8 → 11 (contested)" in markdown
    assert "## Became contested" in markdown and "## Resolved" in markdown
