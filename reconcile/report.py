"""A self-contained report of a result: one HTML file (inline CSS and SVG, no scripts) or Markdown.

Summary, facts with contested first, each with its supporting and dissenting sources and the
evidence sentences (value highlighted), the source-claim graph, source trust, the method and its
parameters, and the inputs by SHA-256 with the engine's version. Input text is escaped
everywhere; a Content-Security-Policy forbids loading anything.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .display import (
    CSS,
    claim_flags,
    claims_by_slot,
    esc,
    fact_card,
    ordered_facts,
    slot_claims,
    slot_label,
    sources_table,
    summary_html,
)
from .aggregate import add_aggregate_option
from .io import write_atomic

if TYPE_CHECKING:  # pragma: no cover
    from .result import Result

__all__ = [
    "MAX_PICTURE_NODES",
    "MAX_SLOT_PICTURES",
    "MAX_TRUST_BARS",
    "add_input_arguments",
    "add_report_parser",
    "input_hashes",
    "reconcile_inputs",
    "report_html",
    "report_main",
    "report_markdown",
]

#: The whole-graph picture is left out above this many nodes (it would be unreadable).
MAX_PICTURE_NODES = 300
#: Sources in the trust chart (the most trusted; the table lists all).
MAX_TRUST_BARS = 40
#: Facts that get their own slot picture, contested first.
MAX_SLOT_PICTURES = 12

_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
_PAGE_CSS = """
body{margin:0;background:#fafafa}.rc{margin:0 auto;padding:16px 24px;background:#fff}
.rc h1{font-size:22px;margin:.2em 0}.rc h2{font-size:17px;border-bottom:1px solid #ddd;margin-top:1.4em}
.rc h3{font-size:14px;margin:.3em 0}.rc svg{max-width:100%;height:auto}
.rc figure{margin:.5em 0}.rc code{font-size:12px}
"""


def input_hashes(paths: Sequence[str | os.PathLike] | None) -> list[dict[str, Any]]:
    """``[{"path", "bytes", "sha256"}]`` of input files, folders file by file (sorted); what
    does not exist is left out."""
    rows = []
    for path in paths or []:
        top = Path(path)
        for file in sorted(p for p in top.rglob("*") if p.is_file()) if top.is_dir() else [top]:
            if not file.is_file():
                continue
            digest = hashlib.sha256()
            with file.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            name = str(path) if file == top else str(file)
            rows.append({"path": name, "bytes": file.stat().st_size, "sha256": digest.hexdigest()})
    return rows


def _version() -> str:
    from . import __version__
    return __version__


def _parameters(result: Result) -> dict[str, Any]:
    return {"method": result.method, **{k: v for k, v in result.params.items() if k != "method"}}


def _pictures(result: Result) -> tuple[str, dict[int, str]]:
    """The whole graph and trust chart as inline SVG, and one SVG per (first) fact; empty
    without matplotlib."""
    try:
        import matplotlib  # noqa: F401 - the optional [viz] extra
    except ImportError:
        return '<p class="rc-muted">Install matplotlib for the pictures.</p>', {}
    from .plot import figure_svg, plot_graph, plot_trust

    parts = [f"<figure>{figure_svg(plot_trust(result, limit=MAX_TRUST_BARS))}<figcaption>source trust</figcaption></figure>"]
    if result.graph.number_of_nodes() <= MAX_PICTURE_NODES:
        parts.insert(0, f"<figure>{figure_svg(plot_graph(result))}"
                        "<figcaption>sources → claims → values</figcaption></figure>")
    slots = {}
    for position, fact in enumerate(ordered_facts(result.facts).head(MAX_SLOT_PICTURES).itertuples(index=False)):
        key = tuple(getattr(fact, c) for c in ("event", "subject", "predicate") if hasattr(fact, c))
        slots[position] = figure_svg(plot_graph(result, key))
    return "".join(parts), slots


def report_html(result: Result, *, inputs: Sequence[str | os.PathLike] | None = None,
                title: str = "Reconciliation report") -> str:
    """The report as one self-contained HTML page."""
    overview, slot_svgs = _pictures(result)
    cards, groups = [], claims_by_slot(result)
    for position, fact in enumerate(ordered_facts(result.facts).itertuples(index=False)):
        card = fact_card(result, fact, groups=groups)
        if position in slot_svgs:
            card = card[:-len("</div>")] + f"<details><summary>graph</summary>{slot_svgs[position]}</details></div>"
        cards.append(card)
    params = "".join(f"<tr><th>{esc(k)}</th><td><code>{html.escape(json.dumps(v, ensure_ascii=False))}</code></td></tr>"
                     for k, v in _parameters(result).items())
    files = "".join(f"<tr><td>{esc(f['path'])}</td><td class=\"rc-num\">{f['bytes']}</td>"
                    f"<td><code>{f['sha256']}</code></td></tr>" for f in input_hashes(inputs))
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{CSS}{_PAGE_CSS}</style></head>\n"
        f'<body><div class="rc"><h1>{html.escape(title)}</h1>{summary_html(result)}'
        f"<h2>Facts</h2>{''.join(cards)}"
        f"<h2>Sources and claims</h2>{overview}"
        f"<h2>Sources</h2>{sources_table(result.sources)}"
        f'<h2>Method</h2><table class="rc-narrow"><tbody>{params}</tbody></table>'
        "<h2>Inputs</h2><table><thead><tr><th>file</th><th>bytes</th><th>SHA-256</th></tr></thead>"
        f"<tbody>{files or '<tr><td colspan=3>in-memory claims</td></tr>'}</tbody></table>"
        f'<p class="rc-muted">reconcile {html.escape(_version())}</p></div></body></html>\n')


def _md(value: Any) -> str:
    """A cell for Markdown: escaped HTML, no table or link syntax, one line."""
    text = esc(value).replace("\n", " ")
    for char in "\\|[]`":
        text = text.replace(char, "\\" + char)
    return text


def report_markdown(result: Result, *, inputs: Sequence[str | os.PathLike] | None = None,
                    title: str = "Reconciliation report") -> str:
    """The report as Markdown (no pictures): facts with evidence, sources, method, inputs."""
    counts = result.facts["status"].value_counts()
    lines = [f"# {_md(title)}", "",
             (f"{len(result.facts)} facts ({', '.join(f'{int(n)} {s}' for s, n in counts.items())}) from "
              f"{len(result.claims)} claims by {len(result.sources)} sources, method `{_md(result.method)}`."), ""]
    groups = claims_by_slot(result)
    for fact in ordered_facts(result.facts).itertuples(index=False):
        lines += [f"## {_md(slot_label(fact))}: {_md(fact.value)}", "",
                  f"**{fact.status}**, confidence {fact.confidence:.2f}. {_md(fact.explanation)}", ""]
        for claim in slot_claims(result, fact, groups).itertuples(index=False):
            quote = f" — “{_md(claim.evidence)}”" if isinstance(claim.evidence, str) else ""
            flags = "".join(f" ({_md(w)})" for w in claim_flags(claim))
            lines.append(f"- {claim.stance}: **{_md(claim.source)}**: {_md(claim.value_text)}{flags}{quote}")
        lines.append("")
    lines += ["## Sources", "", "| source | type | trust | claims |", "|---|---|---|---|"]
    lines += [f"| {_md(s.source)} | {_md(s.type)} | {_md(round(s.trust, 3) if s.trust == s.trust else None)} | "
              f"{_md(getattr(s, 'claims', None))} |" for s in result.sources.itertuples(index=False)]
    lines += ["", "## Method", ""]
    lines += [f"- {_md(k)}: `{_md(json.dumps(v, ensure_ascii=False))}`" for k, v in _parameters(result).items()]
    lines += ["", "## Inputs", ""]
    lines += [f"- {_md(f['path'])} ({f['bytes']} bytes) sha256 `{f['sha256']}`" for f in input_hashes(inputs)]
    lines += ["", f"reconcile {_md(_version())}", ""]
    return "\n".join(lines)


def add_input_arguments(parser: argparse.ArgumentParser) -> None:
    """INPUT... --method --aliases --taxonomy --published --outlet --aggregate, as ``reconcile run`` takes them."""
    from .trust import DEFAULT_METHOD, ESTIMATORS
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="claims CSV, TSV, JSONL, JSON or Parquet; or articles: .txt, a JSONL feed, or a folder")
    parser.add_argument("--method", default=None, choices=sorted(ESTIMATORS),
                        help=f"trust estimator (default: {DEFAULT_METHOD})")
    parser.add_argument("--aliases", metavar="FILE", help="alias table, CSV with header alias,canonical")
    parser.add_argument("--taxonomy", metavar="FILE", help="extra category hierarchy, CSV child,parent")
    parser.add_argument("--published", metavar="DATE",
                        help="publication date (ISO 8601) of articles that do not give one")
    parser.add_argument("--outlet", metavar="NAME", help="the outlet of articles that do not name one")
    add_aggregate_option(parser)


def reconcile_inputs(args: argparse.Namespace) -> Result:
    """Run the pipeline on the parsed INPUT... and options."""
    from .pipeline import reconcile
    return reconcile(args.inputs, method=args.method, aliases=args.aliases, taxonomy=args.taxonomy,
                     published=args.published, outlet=args.outlet, aggregate=args.aggregate)


def add_report_parser(commands) -> argparse.ArgumentParser:
    """Add ``report INPUT... --out FILE.html|FILE.md [--title T]`` to a subparsers object."""
    parser = commands.add_parser("report", help="write a self-contained HTML (or Markdown) report")
    add_input_arguments(parser)
    parser.add_argument("--out", required=True, metavar="FILE",
                        help="the report; .md writes Markdown, anything else one HTML file")
    parser.add_argument("--title", default="Reconciliation report")
    return parser


def report_main(args: argparse.Namespace) -> int:
    """``reconcile report``: reconcile the inputs and write the report atomically; returns 0."""
    result = reconcile_inputs(args)
    render = report_markdown if str(args.out).lower().endswith(".md") else report_html
    write_atomic(args.out, render(result, inputs=args.inputs, title=args.title))
    return 0
