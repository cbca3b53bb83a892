"""The result of a reconciliation: facts, claims and sources, the graph, and exports.

Exports are deterministic: the same inputs give the same bytes.
"""

from __future__ import annotations

import functools
import io
import itertools
import json
import re
from functools import cached_property
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pa_parquet

from .arrays import without_cycle_collection
from .io import text_column, write_atomic
from .score import ScoredClaims

if TYPE_CHECKING:  # networkx loads on first use of a graph: a tenth of a second off every run
    import networkx as nx

__all__ = ["Result", "json_lines", "csv_text", "table_bytes", "write_table", "TABLES", "LIST_COLUMNS"]

#: The tables of a result, in the order they are written.
TABLES = ("facts", "claims", "sources")
#: Columns whose cells are lists of names or ids.
TABLE_FORMATS = ("csv", "jsonl", "parquet")
LIST_COLUMNS = frozenset({"sources", "dissenting", "claim_ids", "aliases", "lookalikes"})
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
        self.scored = scored

    def __repr__(self) -> str:
        counts = self.facts["status"].value_counts()
        summary = ", ".join(f"{counts[s]} {s}" for s in ("consensus", "contested", "single_source")
                            if s in counts)
        return (f"<Result: {len(self.facts)} facts ({summary or 'none'}) from {len(self.claims)} claims "
                f"by {len(self.sources)} sources, method={self.method}>")

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        from .graph import build_graph
        return build_graph(self.scored, self.claims, self.sources, self.facts)

    def slot_graph(self, subject: str, predicate: str, event: str | None = None) -> nx.MultiDiGraph:
        """The subgraph of one slot (claims, their sources, values, documents). ``event`` may be
        left out when one event has a fact about ``subject`` / ``predicate``."""
        from .graph import node_id, slot_subgraph
        if event is None and "event" in self.facts:
            found = self.facts.loc[(self.facts["subject"] == subject) & (self.facts["predicate"] == predicate), "event"]
            if found.nunique(dropna=False) > 1:
                raise KeyError(f"{subject} / {predicate} is a fact of several events ({', '.join(map(str, found))}): "
                               "name one with event=")
            event = found.iloc[0] if len(found) else None
        key = (event, subject, predicate) if "event" in self.facts else (subject, predicate)
        name = node_id("slot", *key)
        if name not in self.graph:
            raise KeyError(f"no slot {key!r}; known: {sorted(self.graph.nodes[n]['label'] for n in self.graph if n.startswith('slot:'))[:10]}")
        return slot_subgraph(self.graph, name)

    def _method_text(self) -> str:
        """The method, and the model it chose when that is another name (the default's)."""
        model = self.params.get("model", self.method)
        return self.method if model == self.method else f"{self.method}, model {model}"

    def to_text(self) -> str:
        """The facts for a person to read: event by event (when there are events), contested
        first, then by slot."""
        events = "event" in self.facts
        order = self.facts.assign(_rank=self.facts["status"].map(_STATUS_ORDER)).sort_values(
            [*(["event"] if events else []), "_rank", "subject", "predicate"], kind="stable")
        lines = [f"{len(self.facts)} facts from {len(self.claims)} claims by {len(self.sources)} sources "
                 f"(method: {self._method_text()})"]
        shown_event = None
        for fact in order.itertuples(index=False):
            if events and fact.event != shown_event:
                shown_event = fact.event
                lines.append(f"== {shown_event} ==")
            lines.append(f"[{fact.status} {fact.confidence:.2f}] {fact.subject} / {fact.predicate}: "
                         f"{fact.explanation}")
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict[str, list[dict]]:
        """The three tables as lists of plain JSON records."""
        return json.loads(self.to_json())

    def to_json(self, path: str | PathLike | None = None) -> str:
        """``{"facts": [...], "claims": [...], "sources": [...]}`` as JSON text, one record a
        line (and into a file, atomically, when ``path`` is given)."""
        parts = [f'"{name}": [\n' + ",\n".join(json_lines(getattr(self, name))) + "\n]" for name in TABLES]
        text = "{" + ",\n".join(parts) + "}\n"
        if path is not None:
            write_atomic(path, text)
        return text

    def to_csv(self, directory: str | PathLike) -> list[Path]:
        """Write facts.csv, claims.csv and sources.csv (lists as JSON text) into a folder."""
        return self.write_tables(directory, "csv")

    def to_parquet(self, directory: str | PathLike) -> list[Path]:
        """Write facts.parquet, claims.parquet and sources.parquet into a folder."""
        return self.write_tables(directory, "parquet")

    def to_jsonl(self, directory: str | PathLike) -> list[Path]:
        """Write facts.jsonl, claims.jsonl and sources.jsonl into a folder."""
        return self.write_tables(directory, "jsonl")

    def to_graphml(self, path: str | PathLike) -> None:
        import networkx as nx

        from .graph import graph_for_export
        buffer = io.BytesIO()
        nx.write_graphml(graph_for_export(self.graph), buffer)
        write_atomic(path, buffer.getvalue())

    def to_node_link(self, path: str | PathLike | None = None) -> dict:
        import networkx as nx

        from .graph import graph_for_export
        data = nx.node_link_data(graph_for_export(self.graph), edges="edges")
        if path is not None:
            write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False) + "\n")
        return data

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        from .display import mimebundle
        return mimebundle(self)

    def to_html(self, path: str | PathLike | None = None, **options) -> str:
        """A self-contained HTML report (see :func:`reconcile.report.report_html`)."""
        from .report import report_html
        return _written(path, report_html(self, **options))

    def to_markdown(self, path: str | PathLike | None = None, **options) -> str:
        """The report as Markdown (see :func:`reconcile.report.report_markdown`)."""
        from .report import report_markdown
        return _written(path, report_markdown(self, **options))

    def plot(self, slot=None, **options):
        """Sources → claims → values of one slot (``"subject / predicate"``) or all; a Figure."""
        from .plot import plot_graph
        return plot_graph(self, slot, **options)

    def plot_trust(self, **options):
        """A bar chart of source trust; a matplotlib Figure."""
        from .plot import plot_trust
        return plot_trust(self, **options)

    def to_claimreview(self, path: str | PathLike | None = None, **options) -> dict:
        """The claims as ClaimReview JSON-LD (see :func:`reconcile.exchange.claimreview`)."""
        from .exchange import claimreview, write_json
        return write_json(path, claimreview(self, **options))

    def to_prov(self, path: str | PathLike | None = None, **options) -> dict:
        """The run as W3C PROV-JSON (see :func:`reconcile.exchange.prov_document`)."""
        from .exchange import prov_document, write_json
        return write_json(path, prov_document(self, **options))

    @without_cycle_collection
    def write_tables(self, directory: str | PathLike, fmt: str) -> list[Path]:
        """Write facts, claims and sources as ``csv``, ``jsonl`` or ``parquet`` files into a
        folder (each atomically); returns their paths."""
        _check_format(fmt)
        directory = Path(directory)
        written = []
        for name in TABLES:
            path = directory / f"{name}.{fmt}"
            write_atomic(path, functools.partial(write_table, getattr(self, name), fmt))
            written.append(path)
        return written


def json_lines(frame: pd.DataFrame) -> list[str]:
    """One JSON object per row (pandas' C writer: NaN -> null, lists kept, no ASCII escaping)."""
    if frame.empty:
        return []
    text = frame.to_json(orient="records", lines=True, force_ascii=False, double_precision=15)
    return text.rstrip("\n").split("\n")


def csv_text(frame: pd.DataFrame) -> str:
    """A table as CSV text: list cells as JSON text, '\\n' line ends."""
    return table_bytes(frame, "csv").decode("utf-8")


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
#: What JSON escapes in a string (with ``ensure_ascii=False``).
_ESCAPED = re.compile(r'[\x00-\x1f\\"]')


def json_lists(cells: pd.Series) -> list[str]:
    """List cells as JSON text. Lists of plain strings (names and ids: no quote, backslash or
    control character) are joined directly, ten times faster than the JSON encoder and the
    same text; anything else goes through the encoder."""
    lists = [list(cell) for cell in cells]
    try:
        plain = not _ESCAPED.search("".join(itertools.chain.from_iterable(lists)))
    except TypeError:  # an item that is not a string
        plain = False
    if plain:
        return ['["' + '", "'.join(cell) + '"]' if cell else "[]" for cell in lists]
    return list(map(_JSON, lists))


def _check_format(fmt: str) -> None:
    if fmt not in TABLE_FORMATS:
        raise ValueError(f"unknown table format {fmt!r}; use one of {', '.join(TABLE_FORMATS)}")


def table_bytes(frame: pd.DataFrame, fmt: str) -> bytes:
    """A table as ``csv``, ``jsonl`` or ``parquet`` bytes (see :func:`write_table`)."""
    buffer = io.BytesIO()
    write_table(frame, fmt, buffer)
    return buffer.getvalue()


def write_table(frame: pd.DataFrame, fmt: str, out: BinaryIO) -> None:
    """Write a table as ``csv``, ``jsonl`` or ``parquet`` into a binary file. CSV and Parquet
    go through Arrow's C++ writers (six times faster than pandas' on a million claims);
    mixed-type value columns are written as text, list cells as JSON text in CSV."""
    _check_format(fmt)
    if fmt == "jsonl":
        out.write("".join(f"{line}\n" for line in json_lines(frame)).encode("utf-8"))
        return
    cells = frame.copy(deep=False)  # copy-on-write: the columns replaced below are new
    for column in cells.columns:
        if column in LIST_COLUMNS and fmt == "csv":
            cells[column] = json_lists(cells[column])
        elif cells[column].dtype == object and pd.api.types.infer_dtype(cells[column]) not in (
                "string", "empty") and column not in LIST_COLUMNS:
            cells[column] = text_column(cells[column], missing=None)
    if fmt == "csv":
        _write_csv(cells, out)
    else:
        pa_parquet.write_table(pa.Table.from_pandas(cells, preserve_index=False), out)


#: Rows of a table converted to Arrow at a time when it is written as CSV.
CSV_SLICE_ROWS = 500_000


def _write_csv(cells: pd.DataFrame, out: BinaryIO) -> None:
    """CSV through Arrow, a slice of rows at a time, so that only one slice is ever held as
    Arrow arrays (a 10M-claim table would be gigabytes); every slice gets the whole table's
    schema, so a column that is empty in one slice is still written as text."""
    schema = pa.Schema.from_pandas(cells, preserve_index=False)
    with pa_csv.CSVWriter(out, schema) as writer:
        for start in range(0, max(len(cells), 1), CSV_SLICE_ROWS):
            writer.write_table(formula_safe(pa.Table.from_pandas(cells.iloc[start:start + CSV_SLICE_ROWS],
                                                                 schema=schema, preserve_index=False)))


#: A cell a spreadsheet would run as a formula (OWASP "CSV injection") ...
_FORMULA_START = "^[=+\\-@\t\r]"
#: ... unless it is a plain signed number.
_SIGNED_NUMBER = "^[+-][0-9][0-9.,]*$"


def formula_safe(table: pa.Table) -> pa.Table:
    """Text cells that start with ``= + - @``, a tab or a carriage return, other than signed
    numbers, get a leading apostrophe, so a spreadsheet shows them instead of running them."""
    columns = []
    for column in table.columns:
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            risky = pc.and_not(pc.match_substring_regex(column, _FORMULA_START),
                               pc.match_substring_regex(column, _SIGNED_NUMBER))
            if pc.any(risky).as_py():
                quoted = pc.binary_join_element_wise(pa.scalar("'", column.type), column, pa.scalar("", column.type))
                column = pc.if_else(risky, quoted, column)
        columns.append(column)
    return pa.table(columns, schema=table.schema)


def _written(path: str | PathLike | None, text: str) -> str:
    if path is not None:
        write_atomic(path, text)
    return text
