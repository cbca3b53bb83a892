"""The claims and facts contracts: fixed column names, claim ids, and input errors.

Every stage of the pipeline reads and writes one long pandas DataFrame with the
columns of :data:`CLAIM_COLUMNS`; validation happens once, at the edges (io, cli).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "CLAIM_COLUMNS",
    "OPTIONAL_CLAIM_COLUMNS",
    "REQUIRED_INPUT_COLUMNS",
    "FACT_COLUMNS",
    "SOURCE_COLUMNS",
    "VALUE_KINDS",
    "ATTRIBUTIONS",
    "ReconcileError",
    "InputError",
    "claim_id",
    "claim_ids",
]

#: The claims table, one row per claim, in this order.
CLAIM_COLUMNS: tuple[str, ...] = (
    "claim_id", "source", "source_raw", "subject", "predicate", "value", "value_text",
    "value_kind", "value_min", "value_max", "unit", "hedged", "negated", "reported_at",
    "document", "evidence", "start", "end", "extractor",
)
#: Columns the engine understands when present: ``cites`` names the source a claim's
#: source attributes it to (they are not independent), ``source_type`` one of
#: person/organization/media/government/anonymous, ``language`` an ISO 639-1 code, ``event``
#: the real-world event a claim is about (a slot is then event + subject + predicate),
#: ``attribution`` how the speaker was found (:data:`ATTRIBUTIONS`; adjacent and pronoun
#: attributions are inferred and weigh less), ``part`` the part of the event a count is about
#: when it is not the event's total (a place, a group, a hospital, or "more" for an increment;
#: the subject then names it too, so it is a slot of its own), ``earlier`` true for a figure the
#: text gives as an earlier one ("earlier reports put the toll at 74"): a current figure of the
#: same slot supersedes it (:mod:`reconcile.timeline`).
OPTIONAL_CLAIM_COLUMNS: tuple[str, ...] = ("cites", "source_type", "language", "event", "attribution", "part",
                                           "earlier")
#: How a claim's speaker was found: ``named`` in its clause, ``adjacent`` (the paragraph before
#: or after), ``pronoun`` (he/she/it/they), ``outlet`` (the outlet's own voice or headline).
ATTRIBUTIONS: tuple[str, ...] = ("named", "adjacent", "pronoun", "outlet")
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


def claim_ids(parts: pd.DataFrame) -> np.ndarray:
    """Stable content hashes, one per row of ``parts`` (16 hex digits, vectorised).

    Every cell is read as text (missing as empty), so the same content gives the same id
    whatever the dtypes. Each distinct text is hashed once (pandas' fixed-key SipHash); the
    columns' hashes are folded together with FNV-1a steps and a splitmix64 finaliser.
    """
    combined = np.full(len(parts), np.uint64(14695981039346656037))
    for column_hashes in _cell_hashes(parts):
        combined = (combined ^ column_hashes) * np.uint64(1099511628211)
    combined ^= combined >> np.uint64(30)
    combined *= np.uint64(0xBF58476D1CE4E5B9)
    combined ^= combined >> np.uint64(27)
    combined *= np.uint64(0x94D049BB133111EB)
    combined ^= combined >> np.uint64(31)
    digits = combined.astype(">u8").tobytes().hex()  # 16 per id, in one C call
    ids = np.empty(len(combined), dtype=object)
    ids[:] = [digits[start:start + 16] for start in range(0, len(digits), 16)]
    return ids


def _cell_hashes(parts: pd.DataFrame) -> list[np.ndarray]:
    """Per column, the SipHash of every cell's text: hashed once per distinct text in a big
    table, all cells in one call in a small one (the same numbers either way)."""
    if parts.size < _SMALL_TABLE:
        cells = parts.to_numpy(dtype=object).T.ravel()
        texts = np.array(["" if _absent(v) else str(v) for v in cells], dtype=object)
        return list(pd.util.hash_array(texts, categorize=False).reshape(parts.shape[1], -1))
    hashes = []
    for column in parts.columns:
        codes, uniques = pd.factorize(parts[column], use_na_sentinel=False)
        texts = np.array(["" if _absent(v) else str(v) for v in uniques], dtype=object)
        hashes.append(pd.util.hash_array(texts, categorize=False)[codes])
    return hashes


_SMALL_TABLE = 50_000


def _absent(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def claim_id(*parts: Any) -> str:
    """The :func:`claim_ids` hash of one claim's defining fields.

    >>> claim_id("Julian Röpcke", "russian soldiers", "wounded", "several", "doc1", 0)
    '3136375cbce6e1d1'
    """
    return str(claim_ids(pd.DataFrame([list(parts)]))[0])
