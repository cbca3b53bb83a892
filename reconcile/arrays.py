"""Array group-by helpers shared by the pipeline stages: integer codes for the distinct rows
of several columns, per-distinct-value mapping, and reductions over runs of equal keys.
They replace pandas group-bys and per-row Python work on the hot path; the cyclic garbage
collector pauses while the stages run (:func:`without_cycle_collection`)."""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable

import numpy as np
import pandas as pd

__all__ = ["dense_codes", "row_codes", "map_distinct", "plain_columns", "runs", "unique_inverse", "without_cycle_collection"]


def row_codes(*columns: pd.Series | np.ndarray, sort: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Codes ``0..k-1`` of the distinct rows of ``columns`` and the position of each code's
    first row. With ``sort`` the codes follow the sorted order of the rows (independent of row
    order); without, the order of first appearance (faster).

    >>> row_codes(pd.Series(["b", "a", "b"]), np.array([1, 2, 1]), sort=True)
    (array([1, 0, 1], dtype=int32), array([1, 0]))
    >>> row_codes(pd.Series(["b", "a", "b"]), np.array([1, 2, 1]))
    (array([0, 1, 0], dtype=int32), array([0, 1]))
    """
    key, size = np.zeros(len(columns[0]), dtype=np.int64), 1
    for column in columns:
        codes, uniques = pd.factorize(column, sort=sort, use_na_sentinel=False)
        if size * max(len(uniques), 1) >= _LARGEST_KEY:  # renumber before the product overflows
            key, size = _compact(key, sort)
        key, size = key * len(uniques) + codes, size * max(len(uniques), 1)
    key = _compact(key, sort)[0]
    first = np.full(key.max() + 1 if len(key) else 0, len(key), dtype=np.int64)
    np.minimum.at(first, key, np.arange(len(key)))
    return key.astype(np.int32), first


_LARGEST_KEY = 2 ** 62


def _compact(key: np.ndarray, sort: bool) -> tuple[np.ndarray, int]:
    """Codes 0..k-1 for the distinct keys (in key order with ``sort``), and k."""
    codes = np.unique(key, return_inverse=True)[1].ravel() if sort else pd.factorize(key)[0]
    return codes, int(codes.max()) + 1 if len(codes) else 0


def dense_codes(*columns: pd.Series | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`row_codes` in sorted order: the same codes whatever the order of the rows."""
    return row_codes(*columns, sort=True)


def map_distinct(values: pd.Series, function: Callable[[object], object]) -> pd.Series:
    """``function`` applied once per distinct value. The column comes back categorical (codes
    and the distinct results, sorted), so later group-bys on it read the codes instead of
    hashing a million strings again; results that are None or NaN are missing cells.

    >>> map_distinct(pd.Series([" a", "b", " a"]), str.strip).tolist()
    ['a', 'b', 'a']
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    mapped = np.empty(len(uniques), dtype=object)
    mapped[:] = [function(v) for v in uniques]
    mapped_codes, categories = pd.factorize(mapped, sort=True)  # code order = value order
    return pd.Series(pd.Categorical.from_codes(mapped_codes[codes], pd.Index(categories, dtype=object)),
                     index=values.index, name=values.name)


def plain_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its categorical columns (see :func:`map_distinct`) as object columns:
    the pipeline works on codes, its callers get plain values."""
    categorical = [c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)]
    if not categorical:
        return frame
    return frame.assign(**{c: pd.Series(frame[c].to_numpy(dtype=object), index=frame.index, dtype=object)
                           for c in categorical})


def unique_inverse(key: np.ndarray, bound: int) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(key, return_inverse=True)`` for non-negative integer keys below ``bound``:
    by a lookup table, without sorting, when the bound is not much larger than the keys.

    >>> unique_inverse(np.array([7, 2, 7, 5]), 10)
    (array([2, 5, 7]), array([2, 0, 2, 1]))
    """
    if bound > 4 * len(key) + 1_000_000:
        distinct, inverse = np.unique(key, return_inverse=True)
        return distinct, inverse.ravel()
    seen = np.zeros(bound, dtype=bool)
    seen[key] = True
    return np.flatnonzero(seen), (np.cumsum(seen) - 1)[key]


def runs(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sort order of ``key`` (stable) and the start of each run of equal keys in that order,
    for ``np.<ufunc>.reduceat(values[order], starts)``.

    >>> order, starts = runs(np.array([5, 3, 5, 3, 3]))
    >>> order.tolist(), starts.tolist()
    ([1, 3, 4, 0, 2], [0, 3])
    """
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    return order, np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if len(key) else np.zeros(0, int)


def without_cycle_collection(function: Callable) -> Callable:
    """``function`` run with Python's cyclic garbage collector paused (restored afterwards).

    The pipeline allocates millions of lists and strings and makes no reference cycles, so
    the collector's passes over them find nothing; they cost about an eighth of a
    million-claim run. Reference counting still frees everything as usual."""
    @functools.wraps(function)
    def paused(*args, **kwargs):
        enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()
    return paused
