"""The claims and facts contracts: fixed column names, claim ids, and input errors.

Every stage of the pipeline reads and writes one long pandas DataFrame with the
columns of :data:`CLAIM_COLUMNS`; validation happens once, at the edges (io, cli).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

__all__ = [
    "CLAIM_COLUMNS",
    "OPTIONAL_CLAIM_COLUMNS",
    "REQUIRED_INPUT_COLUMNS",
    "FACT_COLUMNS",
    "SOURCE_COLUMNS",
    "VALUE_KINDS",
    "ReconcileError",
    "InputError",
    "claim_id",
]

#: The claims table, one row per claim, in this order.
CLAIM_COLUMNS: tuple[str, ...] = (
    "claim_id", "source", "source_raw", "subject", "predicate", "value", "value_text",
    "value_kind", "value_min", "value_max", "unit", "hedged", "negated", "reported_at",
    "document", "evidence", "start", "end", "extractor",
)
#: Columns the engine understands when present: ``cites`` names the source a claim's
#: source attributes it to (they are not independent), ``source_type`` one of
#: person/organization/media/government/anonymous, ``language`` an ISO 639-1 code.
OPTIONAL_CLAIM_COLUMNS: tuple[str, ...] = ("cites", "source_type", "language")
#: What structured input must have; everything else is derived or optional.
REQUIRED_INPUT_COLUMNS: tuple[str, ...] = ("source", "subject", "predicate", "value")

#: The facts table, one row per slot (subject + predicate).
FACT_COLUMNS: tuple[str, ...] = (
    "subject", "predicate", "value", "value_min", "value_max", "status", "confidence",
    "sources", "dissenting", "claim_ids", "explanation",
)
#: The sources table, one row per canonical source.
SOURCE_COLUMNS: tuple[str, ...] = ("source", "aliases", "type", "trust")

VALUE_KINDS: tuple[str, ...] = (
    "count", "number", "category", "text", "time", "date", "place", "boolean",
)


class ReconcileError(Exception):
    """Base class of the errors this package raises on purpose."""


class InputError(ReconcileError, ValueError):
    """Bad input: names the file, the line (1-based, as an editor counts) and the problem."""

    def __init__(self, problem: str, *, file: str | None = None, line: int | None = None):
        self.problem = problem
        self.file = file
        self.line = line
        where = ":".join(str(p) for p in (file, line) if p is not None)
        super().__init__(f"{where}: {problem}" if where else problem)


def claim_id(*parts: Any) -> str:
    """A stable content hash of a claim's defining fields (16 hex digits of SHA-256).

    >>> claim_id("Julian Röpcke", "russian soldiers", "wounded", "several", "doc1", 0)
    '1ae1ca87f872c6ca'
    """
    payload = json.dumps([None if p != p else p for p in parts], ensure_ascii=False,
                         default=str, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]
