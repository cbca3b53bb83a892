"""Pictures of a result with matplotlib (imported here only; install it for plots).

``plot_graph(result, slot)`` draws sources → claims → values in three columns: node size is a
source's trust, a claim's colour its stance, value-to-value arcs ``agrees`` (solid green) and
``conflicts`` (dashed red). ``plot_trust(result)`` is a bar chart of source trust. Both return a
:class:`matplotlib.figure.Figure` (no pyplot state) that saves as SVG or PNG; ``figure_svg``
gives the inline SVG the report embeds. Labels are plain text, never parsed as math.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from .result import Result

__all__ = ["EDGE_STYLES", "STANCE_COLOURS", "figure_svg", "plot_graph", "plot_trust", "select_slot"]

#: Line style of each edge relation drawn.
EDGE_STYLES = {
    "asserts": {"color": "#9a9a9a", "linestyle": "solid", "linewidth": 0.9},
    "supports": {"color": "#4a7bb7", "linestyle": "solid", "linewidth": 0.9},
    "agrees": {"color": "#28a745", "linestyle": "solid", "linewidth": 1.6},
    "conflicts": {"color": "#dc3545", "linestyle": "dashed", "linewidth": 1.6},
    "cites": {"color": "#8e44ad", "linestyle": "dotted", "linewidth": 1.2},
}
#: Colour of a claim node by its stance towards the fact.
STANCE_COLOURS = {"supports": "#28a745", "dissents": "#dc3545", "neutral": "#b0b0b0"}
_STATUS_EDGE = {"contested": "#dc3545", "consensus": "#28a745", "single_source": "#6c757d"}
_COLUMNS = {"source": 0.0, "claim": 1.0, "value": 2.0}
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def _figure(width: float, height: float, layout: str | None = "constrained") -> Figure:
    from matplotlib.figure import Figure
    return Figure(figsize=(width, height), layout=layout)


def _short(text: Any, limit: int = 32) -> str:
    text = str(text)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def select_slot(result: Result, slot: Any):
    """The graph to draw: the whole graph for ``None``, else one slot given as
    ``"subject / predicate"``, ``(subject, predicate)`` or ``(event, subject, predicate)``
    (without the event, the first fact about subject / predicate)."""
    from .display import find_fact

    if slot is None:
        return result.graph
    if isinstance(slot, str):
        parts = [p.strip() for p in slot.split("/")]
        if len(parts) != 2:
            raise ValueError(f"a slot is 'subject / predicate', got {slot!r}")
    else:
        parts = list(slot)
    event = parts.pop(0) if len(parts) == 3 else None
    fact = find_fact(result, *parts, event=event)
    return result.slot_graph(fact.subject, fact.predicate, event=getattr(fact, "event", None))


def _positions(graph) -> dict[str, tuple[float, float]]:
    """Values grouped by slot, claims next to their value, sources at their claims' mean."""
    kind = {n: d["kind"] for n, d in graph.nodes(data=True)}
    values = sorted(n for n in graph if kind[n] == "value")
    y = {v: float(-i) for i, v in enumerate(values)}
    claims = [n for n in graph if kind[n] == "claim"]
    value_of = {c: next((v for v in graph.successors(c) if kind.get(v) == "value"), None) for c in claims}
    claims.sort(key=lambda c: (-y.get(value_of[c], 0.0), c))
    spread = max(len(values), 1) / max(len(claims), 1)
    y.update({c: -i * spread for i, c in enumerate(claims)})
    sources = [n for n in graph if kind[n] == "source"]
    mean = {s: np.mean([y[c] for c in graph.successors(s) if c in y and kind[c] == "claim"] or [0.0])
            for s in sources}
    sources.sort(key=lambda s: (-mean[s], s))
    span = max(len(values), len(claims), 1)
    step = span / max(len(sources), 1) if len(sources) > 1 else 0.0
    y.update({s: -(i + 0.5) * step if step else -(span - 1) / 2 for i, s in enumerate(sources)})
    return {n: (_COLUMNS[kind[n]], y[n]) for n in graph if kind[n] in _COLUMNS}


def _arc(a: tuple[float, float], b: tuple[float, float], bend: float, steps: int = 16) -> np.ndarray:
    """A quadratic curve from a to b bulging sideways by ``bend`` (for same-column edges)."""
    t = np.linspace(0.0, 1.0, steps)[:, None]
    control = np.array([(a[0] + b[0]) / 2 + bend, (a[1] + b[1]) / 2])
    return (1 - t) ** 2 * np.array(a) + 2 * (1 - t) * t * control + t ** 2 * np.array(b)


def _chosen_values(graph) -> dict[str, str]:
    """The value nodes that are their slot's fact, with the fact's status."""
    slot_of_claim = {u: v for u, v, d in graph.edges(data=True) if d.get("relation") == "about"}
    chosen = {}
    for claim, value, data in graph.edges(data=True):
        slot = slot_of_claim.get(claim)
        if data.get("relation") == "supports" and slot is not None:
            fact = graph.nodes[slot]
            if fact.get("value") == graph.nodes[value].get("label"):
                chosen[value] = fact.get("status")
    return chosen


def plot_graph(result: Result, slot: Any = None, *, ax=None) -> Figure:
    """Sources → claims → values of one slot (or of the whole result when ``slot`` is None)."""
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    graph = select_slot(result, slot)
    pos = _positions(graph)
    n_rows = max([1] + [sum(1 for n in pos if pos[n][0] == x) for x in _COLUMNS.values()])
    if ax is None:
        height = max(2.5, 0.42 * n_rows + 1.2)
        figure = _figure(9.0, height, layout=None)  # fixed margins: half the drawing time
        figure.subplots_adjust(left=0.01, right=0.99, top=1 - 0.35 / height, bottom=0.55 / height)
        ax = figure.add_subplot()
    else:
        figure = ax.figure
    segments: dict[str, list[np.ndarray]] = {name: [] for name in EDGE_STYLES}
    for u, v, data in graph.edges(data=True):
        relation = data.get("relation")
        if relation not in segments or u not in pos or v not in pos:
            continue
        a, b = pos[u], pos[v]
        bend = {"agrees": 0.35, "conflicts": 0.35, "cites": -0.35}.get(relation, 0.0)
        segments[relation].append(_arc(a, b, bend) if bend else np.array([a, b]))
    for relation, lines in segments.items():
        if lines:
            ax.add_collection(LineCollection(lines, label=relation, zorder=1, **EDGE_STYLES[relation]))
    chosen = _chosen_values(graph)
    for node, (x, y) in pos.items():
        data = graph.nodes[node]
        if data["kind"] == "source":
            trust = data.get("trust")
            known = trust is not None and not np.isnan(trust)
            size = 120 + 900 * (trust if known else 0.0)
            ax.scatter([x], [y], s=size, c="#4a7bb7", alpha=0.85, zorder=2, edgecolors="white")
            label = _short(data["label"]) + (f"  ({trust:.2f})" if known else "")
            ax.text(x - 0.16, y, label, ha="right", va="center", fontsize=8, parse_math=False)
        elif data["kind"] == "claim":
            ax.scatter([x], [y], s=60, marker="s", zorder=2, c=STANCE_COLOURS.get(data.get("stance"), "#b0b0b0"))
            ax.text(x, y + 0.22, _short(data["label"], 24), ha="center", va="bottom", fontsize=7,
                    color="#444", parse_math=False)
        else:
            status = chosen.get(node)
            ax.scatter([x], [y], s=160, zorder=2, c="#f4f4f4",
                       edgecolors=_STATUS_EDGE.get(status, "#555"), linewidths=2.5 if status else 1.0)
            ax.text(x + 0.22, y, _short(data["label"]), ha="left", va="center", fontsize=8,
                    fontweight="bold" if status else "normal", parse_math=False)
    handles = [Line2D([], [], label=r, **EDGE_STYLES[r]) for r, lines in segments.items() if lines]
    handles += [Line2D([], [], marker="s", linestyle="", color=c, label=f"claim {s}")
                for s, c in STANCE_COLOURS.items()]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=4, fontsize=7,
              frameon=False)
    ax.set_xlim(-1.4, 3.4)
    ys = [y for _, y in pos.values()] or [0.0]
    ax.set_ylim(min(ys) - 0.8, max(ys) + 0.8)
    ax.set_axis_off()
    titles = [d["label"].replace("|", " / ") for _, d in graph.nodes(data=True) if d["kind"] == "slot"]
    ax.set_title(titles[0] if len(titles) == 1 else "sources → claims → values", fontsize=10,
                 parse_math=False)
    return figure


def plot_trust(result: Result, *, limit: int | None = None, ax=None) -> Figure:
    """A horizontal bar chart of source trust, most trusted on top (the ``limit`` most trusted)."""
    sources = result.sources.sort_values(["trust", "source"], ascending=[True, False], na_position="first")
    if limit is not None and len(sources) > limit:
        sources = sources.tail(limit)
    if ax is None:
        figure = _figure(6.5, max(1.8, 0.32 * len(sources) + 0.9))
        ax = figure.add_subplot()
    else:
        figure = ax.figure
    trust = sources["trust"].to_numpy(dtype=float)
    names = [_short(s, 40) for s in sources["source"]]
    bars = ax.barh(np.arange(len(names)), np.nan_to_num(trust), color="#4a7bb7")
    for bar, value in zip(bars, trust):
        ax.text(bar.get_width() + 0.01, bar.get_y() + bar.get_height() / 2,
                "— (votes with the source it cites)" if np.isnan(value) else f"{value:.2f}",
                va="center", fontsize=8, color="#666" if np.isnan(value) else "black", parse_math=False)
    ax.set_yticks(np.arange(len(names)), labels=names, fontsize=8)
    for tick in ax.get_yticklabels():
        tick.set_parse_math(False)
    ax.set_xlim(0, 1.08)
    shown = "" if len(sources) == len(result.sources) else f", the {len(sources)} most trusted of {len(result.sources)}"
    ax.set_xlabel(f"trust ({result.method}{shown})", fontsize=9, parse_math=False)
    ax.spines[["top", "right"]].set_visible(False)
    return figure


def figure_svg(figure: Figure) -> str:
    """The figure as an ``<svg>`` element to inline in HTML (text as paths, no comments, no
    dates, stable ids): no input text is left in it."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "reconcile"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    return _COMMENT.sub("", text[text.index("<svg"):])  # matplotlib repeats labels in comments
