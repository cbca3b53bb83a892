"""Kind inference and the single entry point :func:`parse_value` (cached per distinct input)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from fnmatch import fnmatchcase
from functools import lru_cache

from reconcile.contract import VALUE_KINDS
from reconcile.values._base import ParsedValue, ValueParseError, read_table
from reconcile.values.quantity import compose_number_words, parse_quantity, unit_base
from reconcile.values.taxonomy import Taxonomy
from reconcile.values.temporal import as_date, parse_temporal
from reconcile.values.text import is_missing, name_list, normalize_text

__all__ = ["infer_kind", "parse_value", "predicate_hint"]

_BOOLEANS = {"true": True, "yes": True, "y": True, "t": True, "1": True,
             "false": False, "no": False, "n": False, "f": False, "0": False}
_ANY_DAY = date(2000, 1, 1)  # lets partial dates ("Tuesday", "July 14") count as dates
_PLAIN_NUMBER = re.compile(r"^\s*[-+\u2212]?\d[\d,]*(?:\.\d+)?\s*$")


@lru_cache(maxsize=4096)
def predicate_hint(predicate: str | None) -> tuple[str | None, str | None]:
    """(kind, form) for a predicate from ``reconcile/data/predicate_kinds.csv``, or (None, None)."""
    if not predicate:
        return None, None
    key = re.sub(r"[\s\-]+", "_", str(predicate).strip().lower())
    for row in read_table("predicate_kinds.csv"):
        if fnmatchcase(key, row["pattern"]):
            return row["kind"], row["form"] or None
    return None, None


def _succeeds(parse, *args) -> ParsedValue | None:
    try:
        return parse(*args)
    except ValueParseError:
        return None


@lru_cache(maxsize=1 << 18)
def _infer_from_text(text: object) -> str:
    if isinstance(text, bool):
        return "boolean"
    if isinstance(text, (int, float)):
        return "number"
    if isinstance(text, (datetime, date)):
        return "time" if isinstance(text, datetime) else "date"
    if is_missing(text):
        return "text"
    text = str(text)
    if normalize_text(text) in _BOOLEANS and not _PLAIN_NUMBER.match(text):
        return "boolean"
    if _PLAIN_NUMBER.match(text):
        return "number"
    temporal = _succeeds(parse_temporal, text, "time", _ANY_DAY)
    if temporal is not None:
        return temporal.kind
    if compose_number_words(normalize_text(text)) is not None:
        return "text"  # Turkish number words look like English ones ("on", "bin"): no guess
    number = _succeeds(parse_quantity, text, "number")
    if number is not None and unit_base(number.unit) is not None:
        return "number"
    if _succeeds(parse_quantity, text, "count") is not None:
        return "count"
    return "number" if number is not None else "text"


def infer_kind(predicate: str | None, text: object) -> str:
    """The value kind: from the predicate when the hint table knows it ("wounded" -> count,
    "*_time" -> time), else from the text (numbers -> number, yes/no -> boolean, dates and
    times -> date/time, quantity phrases -> count, anything else -> text).

    >>> infer_kind("wounded", "several"), infer_kind(None, "2020-07-14"), infer_kind(None, "Idlib")
    ('count', 'date', 'text')
    """
    kind, _ = predicate_hint(predicate)
    return kind or _infer_from_text(text)


def _parse_boolean(text: object) -> ParsedValue:
    value = text if isinstance(text, bool) else _BOOLEANS.get(normalize_text(str(text)))
    if value is None:
        raise ValueParseError(f"cannot read {text!r} as a boolean: expected true/false or yes/no")
    return ParsedValue(value, "boolean", float(value), float(value))


def _parse_named(text: str, kind: str, taxonomy: Taxonomy | None) -> ParsedValue:
    """A category is the taxonomy's name for the longest known term in the text (default: the
    event taxonomy); a place is the given taxonomy's name for the whole text. Otherwise the
    normalised text."""
    if kind == "category":
        value = (taxonomy or Taxonomy.default()).find(text)
    else:
        value = taxonomy.canonical(text) if taxonomy is not None else None
    return ParsedValue(value or normalize_text(text), kind, None, None)


def _parse_temporal_input(text: object, kind: str, reference: date | None) -> ParsedValue:
    if isinstance(text, datetime):
        aware = text if text.tzinfo else text.replace(tzinfo=UTC)
        text = aware.isoformat()
    elif isinstance(text, date):
        text = text.isoformat()
    elif isinstance(text, (int, float)) and not isinstance(text, bool):
        text = datetime.fromtimestamp(float(text), UTC).isoformat()
    return parse_temporal(str(text), kind, reference)


@lru_cache(maxsize=1 << 20)
def _parse(text: object, kind: str | None, predicate: str | None, reference: date | None,
           taxonomy: Taxonomy | None) -> ParsedValue:
    if kind is None:
        hinted, _ = predicate_hint(predicate)
        if hinted is not None:
            try:
                return _parse(text, hinted, predicate, reference, taxonomy)
            except ValueParseError:
                pass  # a kind guessed from the predicate's name that the text does not fit
        kind = _infer_from_text(text)  # (a declared kind stays strict)
    if kind not in VALUE_KINDS:
        raise ValueParseError(f"unknown value kind {kind!r}; expected one of {', '.join(VALUE_KINDS)}")
    if is_missing(text, kind):
        return ParsedValue(None, kind, None, None)
    if kind in ("count", "number"):
        if isinstance(text, bool):
            raise ValueParseError(f"cannot read boolean {text!r} as a {kind}")
        return parse_quantity(text if isinstance(text, (int, float)) else str(text), kind)
    if kind in ("time", "date"):
        return _parse_temporal_input(text, kind, reference)
    if kind == "boolean":
        return _parse_boolean(text)
    if kind in ("category", "place"):
        return _parse_named(str(text), kind, taxonomy)
    value = name_list(str(text)) if predicate_hint(predicate)[1] == "names" else normalize_text(str(text))
    return ParsedValue(value or None, kind, None, None)


def parse_value(text: object, kind: str | None = None, *, predicate: str | None = None,
                reference: object = None, taxonomy: Taxonomy | None = None) -> ParsedValue:
    """Parse one value text (or number) as ``kind`` (inferred from predicate and text if None:
    a text that does not fit the kind its predicate's name suggests is read by itself, so
    "Unlimited" under ``visibility`` is a text, not an error).

    ``reference`` (date, datetime, Timestamp or ISO string) resolves partial dates ("Tuesday",
    "Dec 02") and gives a date to bare times. ``taxonomy`` (default :meth:`Taxonomy.default`)
    canonicalises categories and places. Cached per distinct input. Raises
    :class:`ValueParseError` when the text cannot be read as the kind.

    >>> parse_value("at least 3", predicate="wounded").value
    '>=3'
    >>> parse_value("8:50 Moscow time", reference="2020-07-14").value
    '2020-07-14T05:50:00Z'
    >>> parse_value("N/A", "count").value is None
    True
    """
    try:
        return _parse(text, kind, predicate, as_date(reference), taxonomy)
    except TypeError as exc:  # unhashable input
        raise ValueParseError(f"cannot read a {type(text).__name__} as a value") from exc
