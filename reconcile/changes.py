"""What changed between two runs: new and removed facts, changed values, facts that became
contested or were resolved, and the sources whose trust moved most.

Both sides are fact (and source) snapshots as records, as the store keeps them; the report
is a plain dict with a fixed key order, so the same snapshots give the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "CHANGE_KINDS",
    "TRUST_MOVES",
    "change_count",
    "changes_json",
    "changes_markdown",
    "diff_runs",
]

#: The sections of a change report, in order.
CHANGE_KINDS = ("new", "removed", "changed", "contested", "resolved")
#: How many sources the report names under ``trust``.
TRUST_MOVES = 5
_KEY_FIELDS = ("event", "subject", "predicate")
_TRUST_EPSILON = 5e-4  # smaller moves read as 0.000 in the report


def _key(fact: Mapping[str, Any]) -> tuple:
    return tuple(str(fact[f]) for f in _KEY_FIELDS if fact.get(f) is not None)


def _brief(fact: Mapping[str, Any]) -> dict[str, Any]:
    return {"value": fact.get("value"), "status": fact.get("status"),
            "confidence": fact.get("confidence"), "sources": fact.get("sources")}


def diff_runs(before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]], *,
              sources_before: Sequence[Mapping[str, Any]] = (),
              sources_after: Sequence[Mapping[str, Any]] = (),
              run_before: str | None = None, run_after: str | None = None) -> dict[str, Any]:
    """The change report from fact records ``before`` to ``after`` (one per slot).

    ``changed`` lists slots whose value changed (a toll that rose from 8 to 11);
    ``contested`` slots that became contested, ``resolved`` slots that stopped being so;
    ``trust`` the sources whose trust moved most (at most :data:`TRUST_MOVES`).
    """
    old = {_key(f): f for f in before}
    new = {_key(f): f for f in after}
    report: dict[str, Any] = {"from": run_before, "to": run_after}
    report.update({kind: [] for kind in CHANGE_KINDS})
    for key in sorted(new.keys() - old.keys()):
        report["new"].append({"slot": list(key), **_brief(new[key])})
    for key in sorted(old.keys() - new.keys()):
        report["removed"].append({"slot": list(key), **_brief(old[key])})
    for key in sorted(old.keys() & new.keys()):
        a, b = old[key], new[key]
        if a.get("value") != b.get("value"):
            report["changed"].append({"slot": list(key), "from": a.get("value"), "to": b.get("value"),
                                      "status": b.get("status"), "sources": b.get("sources")})
        if a.get("status") != "contested" and b.get("status") == "contested":
            report["contested"].append({"slot": list(key), "value": b.get("value"),
                                        "was": a.get("status"), "dissenting": b.get("dissenting")})
        elif a.get("status") == "contested" and b.get("status") != "contested":
            report["resolved"].append({"slot": list(key), "value": b.get("value"), "now": b.get("status")})
    report["trust"] = _trust_moves(sources_before, sources_after)
    return report


def _trust_moves(before, after) -> list[dict[str, Any]]:
    old = {s["source"]: s.get("trust") for s in before}
    moves = []
    for source in after:
        was, now = old.get(source["source"]), source.get("trust")
        if was is None or now is None or abs(now - was) <= _TRUST_EPSILON:
            continue
        moves.append({"source": source["source"], "from": was, "to": now, "change": now - was})
    moves.sort(key=lambda m: (-abs(m["change"]), m["source"]))
    return moves[:TRUST_MOVES]


def change_count(report: Mapping[str, Any]) -> int:
    """How many facts changed in any way (trust moves do not count)."""
    return sum(len(report[kind]) for kind in CHANGE_KINDS)


def changes_json(report: Mapping[str, Any]) -> str:
    """The report as JSON text (stable key order, one trailing newline)."""
    return json.dumps(report, ensure_ascii=False, indent=1, allow_nan=False) + "\n"


def _value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _slot(entry: Mapping[str, Any]) -> str:
    return " / ".join(entry["slot"])


def changes_markdown(report: Mapping[str, Any]) -> str:
    """The report for a person: one section per kind of change that has entries."""
    title = f"# Changes from run {report.get('from') or '(none)'} to run {report.get('to') or '(none)'}"
    lines = [title, ""]
    if not change_count(report):
        lines += ["No fact changed.", ""]
    sections = {
        "new": ("New facts", lambda e: f"{_slot(e)}: {_value(e['value'])} ({e['status']})"),
        "changed": ("Changed values", lambda e: f"{_slot(e)}: {_value(e['from'])} → {_value(e['to'])} ({e['status']})"),
        "contested": ("Became contested", lambda e: f"{_slot(e)}: {_value(e['value'])} (was {e['was']}; "
                                                    f"dissenting: {', '.join(e['dissenting'] or [])})"),
        "resolved": ("Resolved", lambda e: f"{_slot(e)}: {_value(e['value'])} (now {e['now']})"),
        "removed": ("Removed facts", lambda e: f"{_slot(e)}: {_value(e['value'])}"),
    }
    for kind, (heading, line) in sections.items():
        if report.get(kind):
            lines += [f"## {heading}", ""] + [f"- {line(e)}" for e in report[kind]] + [""]
    if report.get("trust"):
        lines += ["## Trust moves", ""] + [f"- {m['source']}: {m['from']:.3f} → {m['to']:.3f} ({m['change']:+.3f})"
                                           for m in report["trust"]] + [""]
    return "\n".join(lines)
