"""Time-aware claims: a source's later report supersedes its earlier ones.

A toll that a source puts at 8 on Monday and at 11 on Tuesday is an update, not a
contradiction: only the latest report of each source about a slot votes. Superseded claims
are kept (in the store and the fact history) but left out of the reconciliation.
"""

from __future__ import annotations

import pandas as pd

from .io import text_column

__all__ = ["split_superseded", "superseded_mask"]


def superseded_mask(claims: pd.DataFrame) -> pd.Series:
    """True for each claim whose source reported on the same slot again later.

    A slot is subject + predicate (compared case-blind, as written), a source its name as
    written; claims without a ``reported_at`` never supersede and are never superseded.
    """
    if "reported_at" not in claims or claims.empty:
        return pd.Series(False, index=claims.index)
    when = pd.to_datetime(claims["reported_at"], utc=True, errors="coerce", format="ISO8601")
    keys = pd.DataFrame({
        "source": text_column(claims["source"]).str.strip().str.casefold(),
        "subject": text_column(claims["subject"]).str.strip().str.casefold(),
        "predicate": text_column(claims["predicate"]).str.strip(),
    }, index=claims.index)
    latest = when.groupby([keys["source"], keys["subject"], keys["predicate"]]).transform("max")
    return (when.notna() & (when < latest)).rename("superseded")


def split_superseded(claims: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The claims that vote (each source's latest report per slot) and the superseded ones."""
    mask = superseded_mask(claims).to_numpy()
    return claims.loc[~mask].reset_index(drop=True), claims.loc[mask].reset_index(drop=True)
