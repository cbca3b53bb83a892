"""Complete a validated input table to the claims contract.

Values given as text are parsed by the same parser the text extractor uses (once per
distinct text), sources and subjects are resolved to canonical names, missing columns
get their defaults and every claim gets its stable ``claim_id``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import numpy as np
import pandas as pd

from .contract import CLAIM_COLUMNS, OPTIONAL_CLAIM_COLUMNS, VALUE_KINDS, InputError, claim_ids
from .arrays import map_distinct, row_codes
from .io import text_codes, text_column
from .resolve import GENERIC_SUBJECT, SourceResolution, resolve_sources, resolve_subjects, source_roles
from .values import ValueParseError, parse_value

__all__ = ["normalize_claims", "value_key"]

#: A named group counted at less than this share of a generic count is a subset of it.
SUBSET_SHARE = 0.5
_ID_FIELDS = ["source_raw", "subject", "predicate", "value_text", "document", "start"]


def normalize_claims(frame: pd.DataFrame, *, aliases: Mapping[str, str] | None = None,
                     file: str | None = None) -> tuple[pd.DataFrame, SourceResolution]:
    """The claims contract from a validated table (see :func:`reconcile.io.claims_frame`).

    Returns the claims (contract columns, then the optional ones, then ``subject_raw`` and
    ``_line``)
    and the source resolution (canonical names, aliases, types).
    """
    claims = frame.copy(deep=False)  # copy-on-write: columns are replaced, never written into
    claims["source_raw"] = _text_column(claims, "source_raw", fallback=claims["source"])
    claims["source"] = text_codes(claims["source"])  # as given ("He" in source_raw is its speaker here)
    claims["subject_raw"] = text_codes(claims["subject"])
    claims["subject"] = resolve_subjects(claims["subject_raw"])
    claims["predicate"] = map_distinct(text_codes(claims["predicate"]), str.strip)
    claims["value_text"] = _text_column(claims, "value_text", fallback=claims["value"])
    for column, default in (("hedged", False), ("negated", False)):
        if column not in claims:
            claims[column] = default
    for column in ("unit", "reported_at", "document", "evidence", "extractor", "cites",
                   "source_type", "language"):
        if column not in claims:
            claims[column] = None
    for column in ("start", "end", "value_min", "value_max"):
        if column not in claims:
            claims[column] = np.nan
    _parse_values(claims, file)
    resolution = _resolve(claims, aliases)
    claims["source"] = map_distinct(claims["source"], resolution.canonical.__getitem__)
    cited = claims["cites"].notna()
    if cited.any():
        claims["cites"] = text_column(claims["cites"], missing=None).map(resolution.canonical)
    if "claim_id" not in claims or claims["claim_id"].isna().any():
        ids = claim_ids(claims[_ID_FIELDS])
        claims["claim_id"] = text_column(claims["claim_id"], missing=None).fillna(
            pd.Series(ids, index=claims.index, dtype=object)) if "claim_id" in claims \
            else pd.Series(ids, index=claims.index, dtype=object)
    if "event" in claims:
        claims["subject"] = _named_subjects(claims)
    optional = [c for c in OPTIONAL_CLAIM_COLUMNS if c in claims]  # ``event`` only when given
    return claims[list(CLAIM_COLUMNS) + optional + ["subject_raw", "_line"]], resolution


def _named_subjects(claims: pd.DataFrame) -> pd.Series:
    """Subjects with the generic one (:data:`~reconcile.resolve.GENERIC_SUBJECT`) replaced, within
    one event and predicate, by the one specific subject the other claims name: "six people
    died" and "five climbers were killed" in one avalanche are one fact.  With two specific
    subjects or more ("soldiers", "militants") the generic one stays apart, a part ("four more
    police officers", "13 at the scene") is not the group of the total, nor is a group counted at
    less than :data:`SUBSET_SHARE` of the generic count ("a motorcyclist died" beside "28 people
    died": one of them, where "five climbers" beside "six people" is the same toll), and a zero
    does not name the victims ("none of its workers was hurt" is about a group, not the 143 hurt);
    without an event nothing is replaced (claim ids keep the subject as given)."""
    event, predicate = claims["event"].astype(object), claims["predicate"].astype(object)
    subject = claims["subject"].astype(object)
    keys = pd.DataFrame({"event": event, "predicate": predicate, "subject": subject})
    whole = claims["part"].isna() if "part" in claims else True  # a part names its own group
    generic_low = claims["value_min"].where(subject == GENERIC_SUBJECT).groupby([event, predicate]).transform("max")
    few = claims["value_max"] < SUBSET_SHARE * generic_low  # "a motorcyclist died" is one of the 28
    named = keys[(subject != GENERIC_SUBJECT) & event.notna() & (claims["value_max"].fillna(1.0) > 0) & whole
                 & ~few]
    only = named.drop_duplicates().groupby(["event", "predicate"])["subject"].agg(["nunique", "first"])
    only = only.loc[only["nunique"] == 1, "first"]
    if only.empty:
        return claims["subject"]
    found = only.reindex(pd.MultiIndex.from_arrays([event, predicate])).to_numpy()
    replace = (subject == GENERIC_SUBJECT).to_numpy() & pd.notna(found)
    if not replace.any():
        return claims["subject"]
    return text_codes(pd.Series(np.where(replace, found, subject), index=claims.index))


def value_key(values: pd.Series) -> pd.Series:
    """A text key per value that tells 3 from "3" and is equal for equal values
    (JSON of each distinct value, computed once per distinct value)."""
    codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=False)
    keys = np.array([json.dumps(v, ensure_ascii=False, sort_keys=True, default=str) for v in uniques],
                    dtype=object)
    return pd.Series(keys[codes], index=values.index)


def _text_column(claims: pd.DataFrame, column: str, fallback: pd.Series) -> pd.Series:
    """``column`` as text codes (see :func:`reconcile.io.text_codes`), ``fallback`` where it is
    absent or blank."""
    if column not in claims:
        return text_codes(fallback)
    given = text_column(claims[column])
    return text_codes(given.where(given.str.strip().ne(""), text_column(fallback)))


def _parse_values(claims: pd.DataFrame, file: str | None) -> None:
    """Parse the values of rows no extractor has normalised (structured input), once per
    distinct (text, declared kind, predicate, report date)."""
    if "value_kind" not in claims:
        claims["value_kind"] = None
    declared = claims["value_kind"].where(claims["value_kind"].notna(), None)
    bad_kind = declared.notna() & ~declared.isin(VALUE_KINDS)
    if bad_kind.any():
        raise InputError(f"unknown value_kind {declared[bad_kind].iloc[0]!r}; "
                         f"use one of {', '.join(VALUE_KINDS)}", file=file,
                         line=int(claims.loc[bad_kind, "_line"].iloc[0]))
    todo = claims["extractor"].isna() | declared.isna()  # an extractor's rows carry their kind
    if not todo.any():  # values normalised by an extractor, as they are
        claims["value"] = claims["value"].astype(object)
        return
    reference = claims["reported_at"].astype(object).where(claims["reported_at"].notna(), None)
    keys = pd.DataFrame({"text": claims["value_text"], "kind": declared, "predicate": claims["predicate"],
                         "reference": text_column(reference, missing=None)})[todo]
    codes, first = row_codes(*(keys[column] for column in keys.columns))
    distinct = [tuple(None if pd.isna(v) else v for v in row) for row in keys.iloc[first].to_numpy(dtype=object)]
    parsed = []
    for text, kind, predicate, ref in distinct:
        try:
            parsed.append(parse_value(text, kind, predicate=predicate, reference=ref))
        except ValueParseError as error:
            row = claims.loc[todo].iloc[np.flatnonzero(codes == len(parsed))[0]]
            raise InputError(f"cannot read value {text!r}: {error}", file=row.get("_file", file),
                             line=int(row["_line"])) from None
    rows = np.flatnonzero(todo.to_numpy())
    distinct_columns = {
        "value": np.array([p.value for p in parsed] + [None], dtype=object)[:-1],
        "value_kind": np.array([p.kind for p in parsed], dtype=object),
        "value_min": np.array([np.nan if p.min is None else p.min for p in parsed], dtype=float),
        "value_max": np.array([np.nan if p.max is None else p.max for p in parsed], dtype=float),
        "unit": np.array([p.unit for p in parsed], dtype=object),
    }
    for column, distinct_values in distinct_columns.items():
        values = distinct_values[codes]
        merged = claims[column].to_numpy(dtype=float if column in ("value_min", "value_max") else object,
                                         copy=True)
        if column == "unit":
            given = claims[column].notna().to_numpy()[rows]
            values = np.where(given, merged[rows], np.array(values, dtype=object))
        merged[rows] = values
        claims[column] = pd.Series(merged, index=claims.index, dtype=merged.dtype)


def _resolve(claims: pd.DataFrame, aliases: Mapping[str, str] | None) -> SourceResolution:
    """The resolution of the sources as given (``source``: a text extractor has already put each
    document's mentions, pronouns included, on their speaker) and of the cited names."""
    counts = claims["source"].value_counts().add(
        text_column(claims["cites"].dropna()).value_counts(), fill_value=0).astype(int)
    counts = counts[counts > 0]
    declared = claims.dropna(subset=["source_type"]).drop_duplicates("source")
    return resolve_sources(counts.index, aliases, counts=counts.to_dict(),
                           declared_types=dict(zip(declared["source"], declared["source_type"])),
                           roles=source_roles(claims["source"], claims["source_raw"]))
