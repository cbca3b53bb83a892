"""Agreement of two values in [-1, 1], one pair at a time or vectorised over DataFrame rows.

1 = compatible and equally specific; (0, 1) = compatible at different specificity; 0 = unrelated
or missing; < 0 = contradictory. It is the implication between facts of TruthFinder (Yin, Han &
Yu, KDD 2007): similar values lend each other support, conflicting ones take it away.

Ordered kinds (count, number, time, date, boolean) are closed intervals [min, max]:

* identical intervals (times: within ``TIME_TOLERANCE`` = 5 minutes) -> 1;
* one inside the other -> 0.5 + 0.3 r, with r = (c + inner width) / (c + outer width) the
  specificity ratio (c = the magnitude of the numbers, or the time tolerance); 3 vs "several"
  [3, 9] gives 0.68, 3 vs "at least 3" 0.5, a time vs its date 0.5;
* partly overlapping -> 0.3 + 0.2 x overlap / narrower width;
* disjoint: counts -1 (3 vs 4, 0 vs "several"); numbers by closeness 2 exp(-(d / 0.05)^2) - 1
  with d the gap relative to the larger magnitude (d = 1% -> 0.92, 4.2% -> 0, 10% -> -0.96,
  >= 15% -> -1), since measured quantities (populations, temperatures) are rarely reported
  exactly; times linear from 1 at the tolerance to -1 at twice it; dates, a time outside a
  date, and booleans -1.
* count with number compares as numbers, time with date as times; a time of day without a date
  compares with the time-of-day (UTC) of a full time, at most 0.8 (different specificity), and
  is unrelated (0) to a date. A time of day is recognised by its max <= 86400 (seconds since
  midnight; a full time that early would be on 1 January 1970).

Categories and places use :meth:`Taxonomy.agreement`; names unknown to the taxonomy fall back to
rapidfuzz equality of their ASCII-folded forms (ratio 90..100 -> 0..1), or 0.5 when the words of
one are among the words of the other ("idlib" and "idlib province"), else 0: two unknown places
may well be a place and its region, so they never contradict. Text uses
:func:`reconcile.values.text.text_agreement`. Numbers with units in different base units
(kg vs km) are unrelated; the same base compares after conversion (30 km vs 19 mi, 30 °C vs
86 °F).

Labels of a closed domain (a predicate's few answers recurring across its slots: crowd labels,
colours, "label 3"; :func:`reconcile.score.label_domains` finds them) never agree by string
similarity: :func:`label_agreement`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd
from rapidfuzz import fuzz

from reconcile.values._base import ParsedValue
from reconcile.values.quantity import unit_base
from reconcile.values.taxonomy import Taxonomy
from reconcile.values.temporal import DAY
from reconcile.values.text import fold, numbers_differ, text_agreement

__all__ = ["NUMBER_SCALE", "TIME_TOLERANCE", "agreement", "label_agreement", "named_agreement",
           "pairwise_agreement"]

#: Two times closer than this (seconds) are the same time.
TIME_TOLERANCE = 300.0
#: Relative difference of numbers where closeness has fallen to 2/e - 1 (about -0.26).
NUMBER_SCALE = 0.05

_KINDS = ("count", "number", "time", "date", "boolean", "category", "place", "text")
_CODES = {kind: code for code, kind in enumerate(_KINDS)}
_COUNT, _NUMBER, _TIME, _DATE, _BOOLEAN, _CATEGORY = range(6)  # then place, text


class _Side(NamedTuple):
    """One side of the pairs: kind codes (255 unknown), bounds (+-inf when open) in base units,
    and the base unit of each row ("" when none; None when no row has a unit)."""

    kind: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    base: np.ndarray | None


def _rows(index: np.ndarray) -> np.ndarray | slice:
    """Row selector: a slice when it selects everything (no copies), else the indices."""
    return slice(None) if index.all() else np.flatnonzero(index)


def _interval_score(lo1, hi1, lo2, hi2, *, tol, scale, step, disjoint) -> np.ndarray:
    """Same (1) / nested (0.5 + 0.3 r) / partial overlap (0.3 .. 0.5) / disjoint (given)."""
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        gap = np.maximum(lo1, lo2) - np.minimum(hi1, hi2)
        w1, w2 = hi1 - lo1, hi2 - lo2
        inner, outer = np.minimum(w1, w2), np.maximum(w1, w2)
        if np.isscalar(tol) and tol == 0:
            same = (lo1 == lo2) & (hi1 == hi2)
        else:  # times: finite bounds
            same = (np.abs(lo1 - lo2) <= tol) & (np.abs(hi1 - hi2) <= tol)
        nested = -gap >= inner - tol
        # fmax/fmin turn the nan of inf / inf (two open intervals) into 0.
        ratio = np.fmax((scale + inner) / (scale + outer), 0.0)
        partial = 0.3 + 0.2 * np.fmin(np.fmax((step - gap) / (inner + step), 0.0), 1.0)
    score = np.where(nested, 0.5 + 0.3 * ratio, partial)
    score[same] = 1.0
    return np.where(gap > tol, disjoint(gap), score)


def _magnitude(*bounds: np.ndarray) -> np.ndarray:
    """The largest finite absolute bound of each row (0 when none)."""
    finite = []
    for bound in bounds:
        size = np.abs(bound)
        size[np.isinf(size)] = 0.0
        finite.append(size)
    return np.maximum.reduce(finite)


def _numeric(a: _Side, b: _Side, rows) -> np.ndarray:
    lo1, hi1, lo2, hi2 = a.lo[rows], a.hi[rows], b.lo[rows], b.hi[rows]
    counts = (a.kind[rows] == _COUNT) & (b.kind[rows] == _COUNT)
    magnitude = _magnitude(lo1, hi1, lo2, hi2)

    def disjoint(gap: np.ndarray) -> np.ndarray | float:
        if counts.all():
            return -1.0
        relative = gap / np.where(magnitude > 0, magnitude, 1.0)
        return np.where(counts, -1.0, 2.0 * np.exp(-np.square(relative / NUMBER_SCALE)) - 1.0)

    return _interval_score(lo1, hi1, lo2, hi2, tol=0.0, scale=np.maximum(magnitude, 1.0),
                           step=counts.astype(float), disjoint=disjoint)


def _temporal(a: _Side, b: _Side, rows) -> np.ndarray:
    ka, kb = a.kind[rows], b.kind[rows]
    lo1, lo2 = a.lo[rows], b.lo[rows]
    # A date is the half-open day [00:00, 24:00): its last instant is a second before midnight.
    hi1 = np.where(ka == _DATE, a.hi[rows] - 1.0, a.hi[rows])
    hi2 = np.where(kb == _DATE, b.hi[rows] - 1.0, b.hi[rows])
    times = (ka == _TIME) & (kb == _TIME)
    # A time of day (max <= 86400) meets a full time on the time-of-day axis, next to it.
    tod1, tod2 = (ka == _TIME) & (hi1 <= DAY), (kb == _TIME) & (hi2 <= DAY)
    w2 = hi2 - lo2
    circular = (tod1 | tod2) & times & (hi1 - lo1 <= TIME_TOLERANCE) & (w2 <= TIME_TOLERANCE)
    if circular.any():
        with np.errstate(invalid="ignore"):
            shifted = lo1 + np.mod(lo2 - lo1 + DAY / 2, DAY) - DAY / 2
        lo2, hi2 = np.where(circular, shifted, lo2), np.where(circular, shifted + w2, hi2)

    def disjoint(gap: np.ndarray) -> np.ndarray:
        return np.where(times, np.clip(1.0 - 2.0 * (gap - TIME_TOLERANCE) / TIME_TOLERANCE, -1.0, 1.0), -1.0)

    tol = np.where(times, TIME_TOLERANCE, 0.0)
    score = _interval_score(lo1, hi1, lo2, hi2, tol=tol, scale=TIME_TOLERANCE, step=0.0, disjoint=disjoint)
    mixed = tod1 != tod2
    return np.where(mixed, np.where(circular, np.minimum(score, 0.8), 0.0), score)


def _ordered(a: _Side, b: _Side) -> np.ndarray:
    """Agreement of the ordered-kind rows of two sides; other rows 0."""
    out = np.zeros(len(a.kind))
    ka, kb = a.kind, b.kind
    numeric = (ka <= _NUMBER) & (kb <= _NUMBER)
    if numeric.all():
        out = _numeric(a, b, slice(None))
    else:
        if numeric.any():
            out[numeric] = _numeric(a, b, np.flatnonzero(numeric))
        temporal = ((ka == _TIME) | (ka == _DATE)) & ((kb == _TIME) | (kb == _DATE))
        if temporal.any():
            out[temporal] = _temporal(a, b, _rows(temporal))
        boolean = (ka == _BOOLEAN) & (kb == _BOOLEAN)
        out[boolean] = np.where(a.lo[boolean] == b.lo[boolean], 1.0, -1.0)
    if a.base is not None and b.base is not None:
        out[(a.base != "") & (b.base != "") & (a.base != b.base)] = 0.0
    return out


def _with_units(lo: np.ndarray, hi: np.ndarray, units: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bounds converted to base units, and the base unit of each row (an unknown unit is its own
    base; "" when there is none)."""
    codes, uniques = pd.factorize(pd.Series(units, dtype=object), use_na_sentinel=True)
    table = [unit_base(u) or (u, 1.0, 0.0) for u in uniques] + [("", 1.0, 0.0)]
    factor = np.array([f for _, f, _ in table])[codes]
    offset = np.array([o for _, _, o in table])[codes]
    base = np.array([b for b, _, _ in table], dtype=object)[codes]
    return lo * factor + offset, hi * factor + offset, base


def _side(kind: np.ndarray, lo: np.ndarray, hi: np.ndarray, units: np.ndarray | None) -> _Side:
    lo, hi = np.where(np.isnan(lo), -np.inf, lo), np.where(np.isnan(hi), np.inf, hi)
    if units is None:
        return _Side(kind, lo, hi, None)
    return _Side(kind, *_with_units(lo, hi, units))


def _frame_side(frame: pd.DataFrame) -> _Side:
    codes, uniques = pd.factorize(frame["value_kind"])
    kind = np.array([_CODES.get(u, 255) for u in uniques] + [255], dtype=np.uint8)[codes]
    lo = pd.to_numeric(frame["value_min"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    hi = pd.to_numeric(frame["value_max"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    has_units = "unit" in frame and frame["unit"].notna().any()
    return _side(kind, lo, hi, frame["unit"].to_numpy(dtype=object) if has_units else None)


def _value_side(value: ParsedValue) -> _Side:
    def bound(x: float | None) -> np.ndarray:
        return np.array([np.nan if x is None else float(x)])

    units = None if value.unit is None else np.array([value.unit], dtype=object)
    return _side(np.array([_CODES.get(value.kind, 255)], dtype=np.uint8), bound(value.min), bound(value.max), units)


@lru_cache(maxsize=1 << 16)
def named_agreement(a: str, b: str, kind: str, taxonomy: Taxonomy | None = None) -> float:
    """Agreement of two category/place/text values (order-independent)."""
    a, b = sorted((str(a), str(b)))
    if kind == "text":
        return text_agreement(a, b)
    known = (taxonomy or Taxonomy.default()).agreement(a, b)
    if known is not None:
        return known
    fa, fb = fold(a), fold(b)
    similarity = 0.0 if numbers_differ(fa, fb) else max(0.0, (fuzz.ratio(fa, fb) - 90.0) / 10.0)
    ta, tb = set(fa.split()), set(fb.split())
    return max(similarity, 0.5 if ta and tb and (ta <= tb or tb <= ta) else 0.0)


@lru_cache(maxsize=1 << 16)
def label_agreement(a: str, b: str, kind: str, taxonomy: Taxonomy | None = None) -> float:
    """Agreement of two labels of one closed domain: 1 when they are the same label (folded),
    their relation on the taxonomy when it knows both (categories and places), else -1: the
    labels of one domain exclude each other however alike they are as strings ("label 0" and
    "label 3", "red" and "reed").

    >>> label_agreement("Label 3", "label 3", "text"), label_agreement("label 0", "label 3", "text")
    (1.0, -1.0)
    """
    if fold(a) == fold(b):
        return 1.0
    if kind != "text":
        known = (taxonomy or Taxonomy.default()).agreement(*sorted((a, b)))
        if known is not None:
            return known
    return -1.0


@lru_cache(maxsize=1 << 16)
def _agreement(a: ParsedValue, b: ParsedValue, taxonomy: Taxonomy | None) -> float:
    if a.value is None or b.value is None:
        return 0.0
    if _CODES.get(a.kind, 255) <= _BOOLEAN and _CODES.get(b.kind, 255) <= _BOOLEAN:
        return float(_ordered(_value_side(a), _value_side(b))[0])
    if a.kind != b.kind:
        return 0.0
    return named_agreement(str(a.value), str(b.value), a.kind, taxonomy)


def agreement(a: ParsedValue, b: ParsedValue, *, taxonomy: Taxonomy | None = None) -> float:
    """Agreement of two parsed values in [-1, 1]; symmetric; 0 when either is missing.

    >>> from reconcile.values import parse_value
    >>> agreement(parse_value(3, "count"), parse_value("4", "count"))
    -1.0
    >>> round(agreement(parse_value(3, "count"), parse_value("several", "count")), 2)
    0.68
    """
    return _agreement(a, b, taxonomy)


def pairwise_agreement(left: pd.DataFrame, right: pd.DataFrame, *,
                       taxonomy: Taxonomy | None = None, labels: np.ndarray | None = None) -> np.ndarray:
    """Row-wise :func:`agreement` of ``left.iloc[i]`` with ``right.iloc[i]``.

    Both frames have columns value_kind, value, value_min, value_max (unit optional). Ordered
    kinds are computed with numpy; category/place/text once per distinct pair of values.
    ``labels`` (optional, a boolean per row) marks the pairs whose values are labels of one
    closed domain: they compare by :func:`label_agreement`, not by string similarity.
    """
    if len(left) != len(right):
        raise ValueError(f"pairwise_agreement needs frames of equal length, got {len(left)} and {len(right)}")
    a, b = _frame_side(left), _frame_side(right)
    scores = _ordered(a, b)
    missing = left["value"].isna().to_numpy() | right["value"].isna().to_numpy()  # by position
    named = ~missing & (a.kind == b.kind) & (a.kind >= _CATEGORY)
    if named.any():
        rows = np.flatnonzero(named)
        closed = np.zeros(len(rows), dtype=bool) if labels is None else np.asarray(labels, dtype=bool)[rows]
        frame = pd.DataFrame({"a": left["value"].iloc[rows].astype(str).to_numpy(),
                              "b": right["value"].iloc[rows].astype(str).to_numpy(),
                              "kind": a.kind[rows], "closed": closed})
        codes, pairs = pd.factorize(pd.MultiIndex.from_frame(frame))
        unique_scores = np.array([(label_agreement if c else named_agreement)(x, y, _KINDS[k], taxonomy)
                                  for x, y, k, c in pairs])
        scores[rows] = unique_scores[codes]
    scores[missing] = 0.0
    return scores
