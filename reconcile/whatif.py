"""What if a source were left out, or trusted less? Rerun and see which facts change.

>>> import reconcile
>>> claims = reconcile.reconcile([
...     {"source": "A", "subject": "x", "predicate": "killed", "value": "3"},
...     {"source": "B", "subject": "x", "predicate": "killed", "value": "3"},
... ]).claims
>>> changed = compare_facts(reconcile.reconcile(claims), reconcile.reconcile(without(claims, ["B"])))
>>> changed[["slot", "status_before", "status_after"]].values.tolist()
[['x / killed', 'consensus', 'single_source']]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .consensus import format_value
from .display import slot_label

if TYPE_CHECKING:  # pragma: no cover
    from .result import Result

__all__ = ["CONFIDENCE_STEP", "compare_facts", "distrust", "without"]

#: A confidence that moves by at least this much counts as a change.
CONFIDENCE_STEP = 0.01


def _of(claims: pd.DataFrame, sources: Iterable[str]) -> pd.Series:
    names = set(sources)
    mask = claims["source"].isin(names)
    if "source_raw" in claims:
        mask |= claims["source_raw"].isin(names)
    return mask


def without(claims: pd.DataFrame, sources: Iterable[str]) -> pd.DataFrame:
    """The claims less those of the given sources (canonical or as written)."""
    return claims[~_of(claims, sources)].reset_index(drop=True)


def distrust(claims: pd.DataFrame, sources: Iterable[str]) -> pd.DataFrame:
    """The claims with those of the given sources weighed as hedged (half weight)."""
    return claims.assign(hedged=claims["hedged"].astype(bool) | _of(claims, sources))


def compare_facts(before: Result, after: Result, changed_only: bool = True) -> pd.DataFrame:
    """Facts side by side (value, status, confidence before and after) per slot; by default only
    the slots whose value, status or confidence (by :data:`CONFIDENCE_STEP`) changed, or that
    appeared or went away (column ``change``)."""
    keys = [c for c in ("event", "subject", "predicate") if c in before.facts or c in after.facts]
    columns = ["value", "status", "confidence"]
    merged = before.facts[keys + columns].merge(after.facts[keys + columns], on=keys, how="outer",
                                                suffixes=("_before", "_after"), indicator=True)
    for side in ("before", "after"):
        merged[f"value_{side}"] = [None if v is None or (isinstance(v, float) and np.isnan(v)) else format_value(v)
                                   for v in merged[f"value_{side}"]]
    merged.insert(0, "slot", [slot_label(f) for f in merged.itertuples(index=False)])
    merged["change"] = np.select(
        [merged["_merge"] == "left_only", merged["_merge"] == "right_only",
         merged["value_before"] != merged["value_after"], merged["status_before"] != merged["status_after"],
         (merged["confidence_before"] - merged["confidence_after"]).abs() >= CONFIDENCE_STEP],
        ["gone", "new", "value", "status", "confidence"], "none")
    merged = merged.drop(columns=[*keys, "_merge"])
    if changed_only:
        merged = merged[merged["change"] != "none"]
    return merged.reset_index(drop=True)
