"""Shared pieces of :mod:`reconcile.values`: the parsed value, its error, and the data tables."""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from reconcile.contract import InputError

__all__ = ["ParsedValue", "ValueParseError", "read_table"]


class ValueParseError(InputError):
    """A value text that cannot be read as the requested kind."""


@dataclass(frozen=True, slots=True)
class ParsedValue:
    """A normalised value and its interval.

    ``value`` is JSON-serialisable (None for a missing marker); ``min``/``max`` are one numeric
    interval (None = unbounded or not ordered): counts and numbers as they are, times and dates
    in POSIX seconds, a time of day without a date in seconds since midnight.
    """

    value: Any
    kind: str
    min: float | None
    max: float | None
    unit: str | None = None

    def as_row(self) -> dict[str, Any]:
        """The claims-contract columns of this value: value, value_kind, value_min, value_max, unit."""
        row = asdict(self)
        return {"value": row["value"], "value_kind": row["kind"], "value_min": row["min"],
                "value_max": row["max"], "unit": row["unit"]}


@cache
def read_table(name: str) -> tuple[dict[str, str], ...]:
    """Rows of the CSV ``reconcile/data/<name>`` (lines starting with ``#`` are comments)."""
    text = files("reconcile").joinpath("data", name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return tuple({k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(lines))
