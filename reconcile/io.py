"""Read claim tables (CSV, JSONL, JSON, Parquet, DataFrames, lists of dicts) into the
claims contract, validating once at the edge; write outputs atomically.

Every problem is an :class:`~reconcile.contract.InputError` that names the file, the
line (1-based, as an editor counts; the CSV header is line 1) and what is wrong.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pandas as pd

from .arrays import map_distinct
from .contract import ATTRIBUTIONS, REQUIRED_INPUT_COLUMNS, InputError

__all__ = ["read_claims", "claims_frame", "decode_text", "json_objects", "load_json", "write_atomic", "text_column", "text_codes", "MAX_LINE_BYTES", "TABLE_SUFFIXES"]

#: A line longer than this is refused: no real claim needs it, and it guards memory.
MAX_LINE_BYTES = 1 << 20
#: File endings read as claim tables.
TABLE_SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".parquet")

_FILE_MODE = 0o644  # what a plain open() gives under the usual umask (mkstemp's is 0600)
_BOOLEAN_TEXT = {"true": True, "false": False, "1": True, "0": False, "yes": True,
                 "no": False, "t": True, "f": False, "y": True, "n": False, "": False}
_NUMERIC_COLUMNS = ("value_min", "value_max", "start", "end")
_BOOLEAN_COLUMNS = ("hedged", "negated", "earlier")
_LINE_IN_PANDAS_ERROR = re.compile(r"line (\d+)")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def read_claims(path: str | os.PathLike) -> pd.DataFrame:
    """Read one claims file into a validated DataFrame (columns as given, plus ``_line``)."""
    path = Path(path)
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise InputError(f"cannot read '{suffix or path.name}' files as claims; "
                         f"use one of {', '.join(TABLE_SUFFIXES)}", file=name)
    try:
        if suffix == ".parquet":
            frame = _read_parquet(path)
            return claims_frame(frame, file=name, first_line=1)
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", file=name) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a claims file", file=name) from None
    text = decode_text(data, name)
    if suffix in (".jsonl", ".ndjson"):
        numbered = json_objects(text, name)
        return claims_frame([record for _, record in numbered], file=name,
                            lines=[number for number, _ in numbered])
    if suffix == ".json":
        return claims_frame(_read_json(text, name), file=name, first_line=1)
    return claims_frame(_read_delimited(text, name, "\t" if suffix == ".tsv" else ","),
                        file=name, first_line=2)


def claims_frame(claims: pd.DataFrame | Iterable[Mapping[str, Any]], *, file: str | None = None,
                 first_line: int = 1, lines: Sequence[int] | None = None) -> pd.DataFrame:
    """Validate a table of claims; rows are numbered from ``first_line`` in messages (or by
    ``lines``, one number per row, where blank lines were skipped)."""
    if isinstance(claims, pd.DataFrame):
        frame = claims.reset_index(drop=True)  # a new frame (copy-on-write): the caller's is untouched
        frame.attrs = {}  # user metadata is not ours to carry (and breaks concat when it holds arrays)
    else:
        records = list(claims)
        for position, record in enumerate(records):
            if not isinstance(record, Mapping):
                raise InputError(f"expected an object with claim fields, got {type(record).__name__}",
                                 file=file, line=first_line + position)
        frame = pd.DataFrame.from_records(records)
    if frame.empty:
        raise InputError("no claims: the input has no rows", file=file, line=first_line)
    missing = [c for c in REQUIRED_INPUT_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(f"missing required column(s): {', '.join(missing)} "
                         f"(have: {', '.join(map(str, frame.columns))})",
                         file=file, line=max(first_line - 1, 1))
    frame["_line"] = np.arange(first_line, first_line + len(frame)) if lines is None else np.asarray(lines)
    for column in REQUIRED_INPUT_COLUMNS:
        _check_present(frame, column, file)
    _check_scalar_cells(frame, file)
    for column in _BOOLEAN_COLUMNS:
        if column in frame:
            frame[column] = _as_boolean(frame, column, file)
    for column in _NUMERIC_COLUMNS:
        if column in frame:
            frame[column] = _as_number(frame, column, file)
    if "attribution" in frame:
        frame["attribution"] = _as_attribution(frame, file)
    _check_intervals(frame, file)
    for column in frame.columns:
        if pd.api.types.is_string_dtype(frame[column]) or frame[column].dtype == object:
            # the required columns stay as read (Arrow strings): normalisation codes or parses
            # them once per distinct text, so a million Python strings each would only cost memory
            if column not in REQUIRED_INPUT_COLUMNS:  # an empty optional cell is a missing one
                frame[column] = frame[column].mask(frame[column].astype("str").str.strip().eq(""))
                if frame[column].dtype != object:
                    frame[column] = frame[column].astype(object)  # see text_column
    return frame


def text_column(values: pd.Series, missing: str | None = "") -> pd.Series:
    """The cells as Python ``str`` in an object column, missing ones as ``missing``.

    Per-cell Python work on pandas' Arrow-backed strings is several times slower than on
    plain objects, so the pipeline keeps the text columns it iterates as objects.
    """
    cells = values.to_numpy(dtype=object, copy=True)
    absent = pd.isna(cells)
    cells[absent] = missing
    present = cells[~absent]
    if len(present) and pd.api.types.infer_dtype(present, skipna=False) != "string":
        cells[~absent] = [v if isinstance(v, str) else str(v) for v in present]
    return pd.Series(cells, index=values.index, dtype=object, name=values.name)


def text_codes(values: pd.Series, missing: str | None = "") -> pd.Series:
    """:func:`text_column` as a categorical column: each distinct cell converted once, and
    group-bys on the result read its codes."""
    return map_distinct(values, functools.partial(_as_text, missing=missing))


def _as_text(cell, missing: str | None) -> str | None:
    if cell is None or cell is pd.NA or (isinstance(cell, float) and cell != cell):
        return missing
    return cell if isinstance(cell, str) else str(cell)


def write_atomic(path: str | os.PathLike, data: str | bytes | Callable[[BinaryIO], None]) -> None:
    """Write a file so that readers see the old content or the new, never a part. ``data``
    is the content, or a function that writes it into the open (binary) file, so that a large
    table streams to disk instead of being held in memory whole."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(temporary, path.stat().st_mode & 0o777 if path.exists() else _FILE_MODE)
        with os.fdopen(handle, "wb") as out:
            if callable(payload):
                payload(out)
            else:
                out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def decode_text(data: bytes, name: str) -> str:
    """The UTF-8 text of a file's bytes; an empty file, an over-long line or a byte that is
    not UTF-8 is an :class:`InputError` naming the line."""
    if not data.strip():
        raise InputError("the file is empty", file=name, line=1)
    ends = np.r_[-1, np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10), len(data)]
    lengths = np.diff(ends) - 1
    if lengths.max() > MAX_LINE_BYTES:
        line = int(np.argmax(lengths)) + 1
        raise InputError(f"line is {int(lengths.max()):,} bytes long; the limit is {MAX_LINE_BYTES:,}",
                         file=name, line=line)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(f"not UTF-8 text: byte 0x{data[error.start]:02x} cannot be decoded "
                         "(save the file as UTF-8)", file=name, line=line) from None


def _read_delimited(text: str, name: str, separator: str) -> pd.DataFrame:
    """Arrow's multi-threaded reader; on any complaint, the first row whose field count is not
    the header's is named, else pandas' C reader, whose messages name the line."""
    _check_header(text, name, separator)
    try:
        return pd.read_csv(io.BytesIO(text.encode("utf-8")), sep=separator, dtype="str",
                           keep_default_na=False, engine="pyarrow")
    except Exception:  # noqa: BLE001 - re-read below for a precise message
        pass
    _check_field_counts(text, name, separator)
    try:
        return pd.read_csv(io.StringIO(text), sep=separator, dtype="str", keep_default_na=False,
                           skip_blank_lines=True, index_col=False)
    except pd.errors.ParserError as error:
        found = _LINE_IN_PANDAS_ERROR.search(str(error))
        raise InputError(f"malformed table: {str(error).strip()}", file=name,
                         line=int(found.group(1)) if found else None) from None
    except pd.errors.EmptyDataError:
        raise InputError("the file has no header row", file=name, line=1) from None


def _check_header(text: str, name: str, separator: str) -> None:
    """A header naming a column twice is refused (a reader would keep one of the two silently)."""
    try:
        header = next(csv.reader(io.StringIO(text[:MAX_LINE_BYTES], newline=""), delimiter=separator), [])
    except csv.Error as error:
        raise InputError(f"malformed header: {error}", file=name, line=1) from None
    seen: set = set()
    for column in (c.strip() for c in header):
        if column in seen:
            raise InputError(f"the header names the column {column!r} twice", file=name, line=1)
        seen.add(column)


def _check_field_counts(text: str, name: str, separator: str) -> None:
    """The first row with more or fewer fields than the header (an unquoted separator in a
    cell would otherwise shift every column of its row)."""
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        width = len(next(rows, []))
        for row in rows:
            if row and len(row) != width:
                raise InputError(f"row has {len(row)} fields but the header has {width} "
                                 "(quote a cell that holds the separator)", file=name, line=rows.line_num)
    except csv.Error as error:
        raise InputError(f"malformed table: {error}", file=name, line=rows.line_num) from None


def json_objects(text: str, name: str) -> list[tuple[int, dict]]:
    """The JSON object on each non-blank line, with its line number (JSON Lines)."""
    records = []
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        record = load_json(line, name, number)
        if not isinstance(record, dict):
            raise InputError(f"expected a JSON object, got {type(record).__name__}",
                             file=name, line=number)
        records.append((number, record))
    return records


def load_json(text: str, name: str | None, line: int | None = None) -> Any:
    """One JSON document; bad JSON, nesting too deep to read and a lone surrogate escape
    (``"\\ud800"``, which no UTF-8 output can hold) are :class:`InputError` naming the line."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"invalid JSON: {error.msg} at column {error.colno}", file=name,
                         line=error.lineno + (line - 1 if line else 0)) from None
    except RecursionError:
        raise InputError("JSON nested too deep to read", file=name, line=line or 1) from None
    if _SURROGATE_ESCAPE.search(text):
        try:
            json.dumps(document, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            found = _SURROGATE_ESCAPE.search(text)
            raise InputError("a lone surrogate escape (\\ud800-\\udfff) is not text", file=name,
                             line=(line or 1) + text.count("\n", 0, found.start())) from None
    return document


def _read_json(text: str, name: str) -> list:
    document = load_json(text, name)
    if isinstance(document, dict) and isinstance(document.get("claims"), list):
        document = document["claims"]
    if not isinstance(document, list):
        raise InputError("a JSON claims file holds a list of claim objects or "
                         '{"claims": [...]}', file=name, line=1)
    return document


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        return pd.read_parquet(path)
    except FileNotFoundError:
        raise
    except Exception as error:  # pyarrow raises several unrelated types for a bad file
        raise InputError(f"not a readable Parquet file: {error}", file=str(path)) from None


def _first_bad(frame: pd.DataFrame, bad: pd.Series) -> int:
    return int(frame.loc[bad.to_numpy(), "_line"].iloc[0])


def _check_present(frame: pd.DataFrame, column: str, file: str | None) -> None:
    text = frame[column].astype("str")  # Arrow strings: the checks run in C
    bad = text.isna() | text.str.strip().eq("")
    if bad.any():
        raise InputError(f"'{column}' is empty", file=file, line=_first_bad(frame, bad))


def _check_scalar_cells(frame: pd.DataFrame, file: str | None) -> None:
    """Every cell is text, a number, a boolean or missing: a list or an object in a cell
    (JSON, Parquet, a DataFrame) is refused with its column and line."""
    for column in frame.columns:
        if frame[column].dtype != object or pd.api.types.infer_dtype(frame[column], skipna=True) in (
                "string", "integer", "floating", "mixed-integer-float", "boolean", "empty"):
            continue
        bad = frame[column].map(lambda v: isinstance(v, (dict, list, tuple, set, bytes, np.ndarray)))
        if bad.any():
            kind = type(frame.loc[bad.to_numpy(), column].iloc[0]).__name__
            raise InputError(f"'{column}' must be text, a number or a boolean, not a {kind}",
                             file=file, line=_first_bad(frame, bad))


def _check_intervals(frame: pd.DataFrame, file: str | None) -> None:
    """``value_min`` <= ``value_max`` and ``start`` <= ``end`` where both are given; offsets
    are whole numbers >= 0."""
    for low, high in (("value_min", "value_max"), ("start", "end")):
        if low in frame and high in frame:
            bad = frame[low] > frame[high]
            if bad.any():
                raise InputError(f"'{low}' is greater than '{high}'", file=file, line=_first_bad(frame, bad))
    for column in ("start", "end"):
        if column in frame:
            offsets = frame[column]
            bad = offsets.notna() & ((offsets < 0) | (offsets % 1 != 0))
            if bad.any():
                raise InputError(f"'{column}' must be a character offset (a whole number >= 0), "
                                 f"got {offsets[bad].iloc[0]!r}", file=file, line=_first_bad(frame, bad))


def _as_boolean(frame: pd.DataFrame, column: str, file: str | None) -> pd.Series:
    values = frame[column]
    if pd.api.types.is_bool_dtype(values):
        return values.astype(bool)
    mapped = map_distinct(values, _boolean)
    bad = mapped.isna()
    if bad.any():
        raise InputError(f"'{column}' must be true or false, got {values[bad].iloc[0]!r}",
                         file=file, line=_first_bad(frame, bad))
    return mapped.astype(bool)


def _boolean(cell) -> bool | None:
    """True or False from a cell as written (missing = False), None if it is neither."""
    return _BOOLEAN_TEXT.get("" if pd.isna(cell) else str(cell).strip().lower())


def _as_attribution(frame: pd.DataFrame, file: str | None) -> pd.Series:
    """The ``attribution`` column in lower case (missing stays missing); any other word than
    :data:`~reconcile.contract.ATTRIBUTIONS` is an error naming the line."""
    values = frame["attribution"]
    text = map_distinct(values, _attribution_word).astype(object)
    bad = text.notna() & ~text.isin(ATTRIBUTIONS)
    if bad.any():
        raise InputError(f"'attribution' must be one of {', '.join(ATTRIBUTIONS)}, got {values[bad].iloc[0]!r}",
                         file=file, line=_first_bad(frame, bad))
    return text


def _attribution_word(cell) -> str | None:
    return None if pd.isna(cell) or not str(cell).strip() else str(cell).strip().lower()


def _as_number(frame: pd.DataFrame, column: str, file: str | None) -> pd.Series:
    values = frame[column]
    blank = values.isna() | values.astype(object).map(lambda v: isinstance(v, str) and not v.strip())
    numbers = pd.to_numeric(values.where(~blank), errors="coerce")
    bad = (numbers.isna() | np.isinf(numbers.astype(float))) & ~blank
    if bad.any():
        raise InputError(f"'{column}' must be a finite number, got {values[bad].iloc[0]!r}",
                         file=file, line=_first_bad(frame, bad))
    return numbers.astype(float)
