"""The result of a reconciliation: facts, claims and sources, the graph, and exports.

Exports are deterministic: the same inputs give the same bytes.
"""

from __future__ import annotations

import io
import json
import math
from functools import cached_property
from os import PathLike
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from .graph import build_graph, graph_for_export, node_id, slot_subgraph
from .io import write_atomic
from .score import ScoredClaims

__all__ = ["Result", "to_json_records", "csv_text", "TABLES"]

#: The tables of a result, in the order they are written.
TABLES = ("facts", "claims", "sources")
_STATUS_ORDER = {"contested": 0, "consensus": 1, "single_source": 2}


class Result:
    """Facts (one per slot), claims (with their ``stance`` to the fact), sources (with trust).

    ``graph`` is the networkx view, built on first use; ``slot_graph(subject, predicate)``
    the part about one slot.
    """

    def __init__(self, facts: pd.DataFrame, claims: pd.DataFrame, sources: pd.DataFrame,
                 scored: ScoredClaims, method: str, params: dict[str, Any]):
        self.facts = facts
        self.claims = claims
        self.sources = sources
        self.method = method
        self.params = params
        self._scored = scored

    def __repr__(self) -> str:
        counts = self.facts["status"].value_counts()
        summary = ", ".join(f"{counts[s]} {s}" for s in ("consensus", "contested", "single_source")
                            if s in counts)
        return (f"<Result: {len(self.facts)} facts ({summary or 'none'}) from {len(self.claims)} claims "
                f"by {len(self.sources)} sources, method={self.method}>")

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        return build_graph(self._scored, self.claims, self.sources, self.facts)

    def slot_graph(self, subject: str, predicate: str, event: str | None = None) -> nx.MultiDiGraph:
        """The subgraph of one slot (claims, their sources, values, documents)."""
        key = (event, subject, predicate) if "event" in self.facts else (subject, predicate)
        name = node_id("slot", *key)
        if name not in self.graph:
            raise KeyError(f"no slot {key!r}; known: {sorted(self.graph.nodes[n]['label'] for n in self.graph if n.startswith('slot:'))[:10]}")
        return slot_subgraph(self.graph, name)

    def to_text(self) -> str:
        """The facts for a person to read: contested first, then by slot."""
        order = self.facts.assign(_rank=self.facts["status"].map(_STATUS_ORDER)).sort_values(
            ["_rank", *[c for c in ("event", "subject", "predicate") if c in self.facts]], kind="stable")
        lines = [f"{len(self.facts)} facts from {len(self.claims)} claims by {len(self.sources)} sources "
                 f"(method: {self.method})"]
        for fact in order.itertuples(index=False):
            lines.append(f"[{fact.status} {fact.confidence:.2f}] {fact.subject} / {fact.predicate}: "
                         f"{fact.explanation}")
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict[str, list[dict]]:
        return {name: to_json_records(getattr(self, name)) for name in TABLES}

    def to_json(self, path: str | PathLike | None = None, *, indent: int | None = 2) -> str:
        """``{"facts": [...], "claims": [...], "sources": [...]}`` as JSON text (and a file)."""
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=indent, allow_nan=False) + "\n"
        if path is not None:
            write_atomic(path, text)
        return text

    def to_csv(self, directory: str | PathLike) -> list[Path]:
        """Write facts.csv, claims.csv and sources.csv (lists as JSON text) into a folder."""
        return self._write(directory, "csv")

    def to_jsonl(self, directory: str | PathLike) -> list[Path]:
        """Write facts.jsonl, claims.jsonl and sources.jsonl into a folder."""
        return self._write(directory, "jsonl")

    def to_graphml(self, path: str | PathLike) -> None:
        buffer = io.BytesIO()
        nx.write_graphml(graph_for_export(self.graph), buffer)
        write_atomic(path, buffer.getvalue())

    def to_node_link(self, path: str | PathLike | None = None) -> dict:
        data = nx.node_link_data(graph_for_export(self.graph), edges="edges")
        if path is not None:
            write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False) + "\n")
        return data

    def _write(self, directory: str | PathLike, fmt: str) -> list[Path]:
        directory = Path(directory)
        written = []
        for name in TABLES:
            path = directory / f"{name}.{fmt}"
            records = to_json_records(getattr(self, name))
            if fmt == "jsonl":
                text = "".join(json.dumps(r, ensure_ascii=False, allow_nan=False) + "\n" for r in records)
            else:
                text = csv_text(getattr(self, name))
            write_atomic(path, text)
            written.append(path)
        return written


def to_json_records(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain JSON values: NaN -> null, numpy scalars -> Python, whole floats kept."""
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def _plain(value):
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def csv_text(frame: pd.DataFrame) -> str:
    """A table as CSV text, lists as JSON text, '\\n' line ends."""
    cells = frame.copy()
    for column in cells.columns:
        if cells[column].map(lambda v: isinstance(v, (list, tuple, np.ndarray))).any():
            cells[column] = cells[column].map(lambda v: json.dumps(_plain(v), ensure_ascii=False))
    return cells.to_csv(index=False, lineterminator="\n")
