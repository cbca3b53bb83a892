"""Rich display of a result in a notebook: compact HTML with status colours, confidence and trust.

Every string that comes from input (source names, values, sentences, documents) goes through
:func:`html.escape`; nothing is loaded from the network (inline CSS, no scripts).

>>> highlight("Three were hurt", "three")
'<mark>Three</mark> were hurt'
"""

from __future__ import annotations

import html
import math
import re
from typing import TYPE_CHECKING, Any

import pandas as pd

from .consensus import format_value

if TYPE_CHECKING:  # pragma: no cover
    from .result import Result

__all__ = [
    "CSS",
    "STANCE_MARKS",
    "STATUS_COLOURS",
    "FactView",
    "claim_flags",
    "claims_by_slot",
    "esc",
    "explain",
    "fact_card",
    "facts_table",
    "find_fact",
    "highlight",
    "mimebundle",
    "ordered_facts",
    "result_html",
    "slot_claims",
    "slot_label",
    "sources_table",
    "summary_html",
]

#: Background colour of each fact status (contested stands out).
STATUS_COLOURS = {"contested": "#f8d7da", "consensus": "#d4edda", "single_source": "#e2e3e5"}
#: How a claim's stance towards its fact is shown.
STANCE_MARKS = {"supports": "✔", "dissents": "✘", "neutral": "·"}
_STATUS_RANK = {"contested": 0, "consensus": 1, "single_source": 2}
_SLOT_COLUMNS = ("event", "subject", "predicate")

#: The stylesheet, scoped to ``.rc`` so it does not touch the rest of a notebook.
CSS = """
.rc{font:13px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;color:#222;max-width:1100px}
.rc table{border-collapse:collapse;margin:.4em 0 1em;width:100%}.rc table.rc-narrow{width:auto}
.rc th,.rc td{border-bottom:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
.rc th{background:#f4f4f4;font-weight:600}
.rc .rc-badge{border-radius:3px;padding:0 5px;font-size:11px;white-space:nowrap}
.rc .rc-contested{background:#f8d7da;color:#721c24}
.rc .rc-consensus{background:#d4edda;color:#155724}
.rc .rc-single_source{background:#e2e3e5;color:#383d41}
.rc .rc-bar{display:inline-block;width:60px;height:8px;background:#eee;margin-right:4px;vertical-align:middle}
.rc .rc-bar span{display:block;height:8px;background:#4a7bb7}
.rc .rc-num{font-variant-numeric:tabular-nums;white-space:nowrap}
.rc mark{background:#fff3a3;padding:0 1px}
.rc .rc-fact{border-left:4px solid #ccc;padding:4px 10px;margin:8px 0}
.rc .rc-fact.rc-contested{border-color:#dc3545;background:none;color:inherit}
.rc .rc-fact.rc-consensus{border-color:#28a745;background:none;color:inherit}
.rc .rc-fact.rc-single_source{border-color:#6c757d;background:none;color:inherit}
.rc .rc-supports{color:#155724}.rc .rc-dissents{color:#a71d2a}.rc .rc-neutral{color:#666}
.rc .rc-muted{color:#666;font-size:12px}
.rc ul{margin:.2em 0;padding-left:1.2em}
.rc .rc-quote{display:block;color:#333;border-left:2px solid #ddd;padding-left:6px;margin:1px 0 4px}
"""


def esc(value: Any) -> str:
    """Any cell as escaped HTML text (missing as an em dash)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return html.escape(format_value(value))


def highlight(evidence: Any, value_text: Any, start: Any = None, end: Any = None) -> str:
    """The evidence sentence, escaped, with the value marked (by offsets into the sentence when
    they point at it, else the first case-insensitive match)."""
    if not isinstance(evidence, str) or not evidence:
        return ""
    value = value_text if isinstance(value_text, str) else ""
    lo = hi = -1
    if _number(start) is not None and _number(end) is not None:
        a, b = int(start), int(end)
        if 0 <= a < b <= len(evidence) and evidence[a:b].lower() == value.lower():
            lo, hi = a, b
    if lo < 0 and value:
        found = re.search(re.escape(value), evidence, re.IGNORECASE)
        lo, hi = (found.start(), found.end()) if found else (-1, -1)
    if lo < 0:
        return html.escape(evidence)
    return (html.escape(evidence[:lo]) + "<mark>" + html.escape(evidence[lo:hi]) + "</mark>"
            + html.escape(evidence[hi:]))


def ordered_facts(facts: pd.DataFrame) -> pd.DataFrame:
    """Facts with contested first, then consensus, then single-source, each by slot."""
    keys = [c for c in _SLOT_COLUMNS if c in facts]
    return (facts.assign(_rank=facts["status"].map(_STATUS_RANK).fillna(3))
            .sort_values(["_rank", *keys], kind="stable").drop(columns="_rank"))


def slot_label(fact: Any) -> str:
    """``"subject / predicate"`` (``"event: subject / predicate"`` when there is an event)."""
    event = getattr(fact, "event", None)
    label = f"{fact.subject} / {fact.predicate}"
    return f"{event}: {label}" if isinstance(event, str) and event else label


def claims_by_slot(result: Result) -> dict[tuple, pd.DataFrame]:
    """The claims of every slot (key: the slot columns of the facts, in order), each with
    supporters first, then dissenters, then the rest; one sort for all slots."""
    keys = [c for c in _SLOT_COLUMNS if c in result.facts and c in result.claims]
    claims = result.claims
    ordered = claims.assign(_o=claims["stance"].map({"supports": 0, "dissents": 1}).fillna(2)).sort_values(
        [*keys, "_o", "source"], kind="stable").drop(columns="_o")
    return {tuple(key): group for key, group in ordered.groupby(keys, sort=False, dropna=False)}


def slot_claims(result: Result, fact: Any, groups: dict[tuple, pd.DataFrame] | None = None) -> pd.DataFrame:
    """The claims about one fact's slot, ordered as :func:`claims_by_slot` orders them."""
    groups = claims_by_slot(result) if groups is None else groups
    key = tuple(getattr(fact, c) for c in _SLOT_COLUMNS if c in result.facts and c in result.claims)
    return groups.get(key, result.claims.iloc[:0])


def find_fact(result: Result, subject: str, predicate: str, event: str | None = None) -> Any:
    """The facts row of one slot (a namedtuple); KeyError naming known slots if there is none."""
    facts = result.facts
    mask = (facts["subject"] == subject) & (facts["predicate"] == predicate)
    if event is not None and "event" in facts:
        mask &= facts["event"] == event
    rows = list(facts[mask].itertuples(index=False))
    if not rows:
        known = ", ".join(slot_label(f) for f in facts.itertuples(index=False))
        raise KeyError(f"no fact about {subject} / {predicate}; known: {known}")
    return rows[0]


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _bar(share: Any) -> str:
    number = _number(share)
    if number is None:
        return '<span class="rc-num">—</span>'
    width = max(0.0, min(1.0, number)) * 100
    return (f'<span class="rc-num"><span class="rc-bar"><span style="width:{width:.0f}%"></span></span>'
            f"{number:.2f}</span>")


def _badge(status: str) -> str:
    status = status if status in STATUS_COLOURS else "single_source"
    return f'<span class="rc-badge rc-{status}">{html.escape(status)}</span>'


def _names(names: Any) -> str:
    return ", ".join(html.escape(str(n)) for n in names) if len(names) else "—"


def facts_table(result: Result, limit: int | None = None) -> str:
    """The facts as an HTML table, contested first; the explanation folds out."""
    facts = ordered_facts(result.facts)
    rows = []
    for fact in facts.head(limit).itertuples(index=False) if limit else facts.itertuples(index=False):
        rows.append(
            f"<tr><td>{_badge(fact.status)}</td><td>{html.escape(slot_label(fact))}</td>"
            f"<td><b>{esc(fact.value)}</b></td><td>{_bar(fact.confidence)}</td>"
            f"<td>{_names(fact.sources)}</td><td>{_names(fact.dissenting)}</td>"
            f"<td><details><summary>why</summary>{esc(fact.explanation)}</details></td></tr>")
    more = len(facts) - len(rows)
    tail = f'<p class="rc-muted">… and {more} more facts</p>' if more > 0 else ""
    return ("<table><thead><tr><th>status</th><th>slot</th><th>value</th><th>confidence</th>"
            "<th>supporting</th><th>dissenting</th><th>explanation</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>" + tail)


def sources_table(sources: pd.DataFrame, limit: int | None = None) -> str:
    """Sources by trust (highest first) with their aliases, type and number of claims."""
    order = sources.sort_values(["trust", "source"], ascending=[False, True], kind="stable", na_position="last")
    more = len(order) - limit if limit is not None and len(order) > limit else 0
    order = order.head(limit) if more else order
    rows = [f"<tr><td>{esc(s.source)}</td><td>{esc(s.type)}</td><td>{_bar(s.trust)}</td>"
            f"<td class=\"rc-num\">{esc(getattr(s, 'claims', None))}</td>"
            f"<td class=\"rc-muted\">{_names([a for a in s.aliases if a != s.source])}</td></tr>"
            for s in order.itertuples(index=False)]
    return ("<table><thead><tr><th>source</th><th>type</th><th>trust</th><th>claims</th>"
            "<th>also written as</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
            + (f'<p class="rc-muted">… and {more} more sources</p>' if more else ""))


#: How a guessed speaker is shown next to its claim (``attribution``; named needs no note).
_ATTRIBUTION_NOTES = {"adjacent": "speaker guessed from the paragraph before or after",
                      "pronoun": "speaker guessed from the pronoun “{raw}”",
                      "outlet": "the outlet’s own voice"}


def claim_flags(claim: Any) -> list[str]:
    """The notes a reader needs beside a claim: hedged, a denial, and where its speaker was
    guessed (a pronoun, the paragraph before or after) or is the outlet's own voice."""
    flags = [w for w, on in (("hedged", claim.hedged), ("denial", claim.negated)) if on is True]
    note = _ATTRIBUTION_NOTES.get(getattr(claim, "attribution", None))
    if note:
        flags.append(note.format(raw=getattr(claim, "source_raw", "")))
    return flags


def fact_card(result: Result, fact: Any, heading: str = "h3",
              groups: dict[tuple, pd.DataFrame] | None = None) -> str:
    """One fact: status, value, confidence, explanation, then each claim with its sentence
    (``groups``: :func:`claims_by_slot`, computed once when showing many facts)."""
    items = []
    for claim in slot_claims(result, fact, groups).itertuples(index=False):
        flags = "".join(f" <span class=\"rc-muted\">({esc(w)})</span>" for w in claim_flags(claim))
        sentence = highlight(claim.evidence, claim.value_text, claim.start, claim.end)
        where = f' <span class="rc-muted">— {esc(claim.document)}</span>' if isinstance(claim.document, str) else ""
        items.append(
            f'<li class="rc-{html.escape(claim.stance)}">{STANCE_MARKS.get(claim.stance, "·")} '
            f"<b>{esc(claim.source)}</b>: {esc(claim.value_text)}{flags}{where}"
            + (f'<span class="rc-quote">{sentence}</span>' if sentence else "") + "</li>")
    return (f'<div class="rc-fact rc-{html.escape(fact.status)}"><{heading}>{_badge(fact.status)} '
            f"{html.escape(slot_label(fact))}: {esc(fact.value)} {_bar(fact.confidence)}</{heading}>"
            f"<div>{esc(fact.explanation)}</div><ul>{''.join(items)}</ul></div>")


def summary_html(result: Result) -> str:
    """One line: how many facts of each status, claims, sources and the method."""
    counts = result.facts["status"].value_counts()
    parts = ", ".join(f"{int(counts[s])} {s}" for s in _STATUS_RANK if s in counts)
    return (f"<p><b>{len(result.facts)} facts</b> ({html.escape(parts or 'none')}) from "
            f"{len(result.claims)} claims by {len(result.sources)} sources — method "
            f"<code>{html.escape(str(result.method))}</code></p>")


def result_html(result: Result, limit: int | None = 50) -> str:
    """A compact HTML view of a result: summary, facts (contested first), sources with trust."""
    return (f'<div class="rc"><style>{CSS}</style>{summary_html(result)}{facts_table(result, limit)}'
            f"<details open><summary>{len(result.sources)} sources by trust</summary>"
            f"{sources_table(result.sources, limit)}</details></div>")


def mimebundle(result: Result) -> dict[str, str]:
    """``text/plain`` and ``text/html`` for Jupyter's ``_repr_mimebundle_``."""
    return {"text/plain": repr(result), "text/html": result_html(result)}


class FactView:
    """Facts, each with its explanation, supporters, dissenters and evidence sentences."""

    def __init__(self, result: Result, facts: list[Any]):
        self.result = result
        self.facts = facts
        self._groups = claims_by_slot(result)

    def __repr__(self) -> str:
        lines = []
        for fact in self.facts:
            lines.append(f"[{fact.status} {fact.confidence:.2f}] {slot_label(fact)}: {fact.explanation}")
            for claim in slot_claims(self.result, fact, self._groups).itertuples(index=False):
                lines.append(f"  {STANCE_MARKS.get(claim.stance, '·')} {claim.source}: {claim.value_text}"
                             + (f" — {claim.evidence}" if isinstance(claim.evidence, str) else ""))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        cards = "".join(fact_card(self.result, fact, "div", self._groups) for fact in self.facts)
        return f'<div class="rc"><style>{CSS}</style>{cards}</div>'

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {"text/plain": repr(self), "text/html": self._repr_html_()}


def explain(result: Result, subject: str | None = None, predicate: str | None = None,
            event: str | None = None, *, limit: int | None = None) -> FactView:
    """The fact about one slot shown with why it is believed and who dissents; without a slot,
    every fact (contested first, the first ``limit``)."""
    if subject is None and predicate is None:
        facts = ordered_facts(result.facts)
        return FactView(result, list((facts.head(limit) if limit else facts).itertuples(index=False)))
    return FactView(result, [find_fact(result, subject, predicate, event)])
