"""Time-aware claims: a later report supersedes earlier ones.

A toll that a source puts at 8 on Monday and at 11 on Tuesday is an update, not a
contradiction: only the latest report of each source about a slot votes. A figure the text
itself gives as an earlier one (``earlier``: "earlier reports put the toll at 74", "police
said earlier that 25 bodies were recovered") is superseded by any current figure of the same
slot, whoever gives it, and an increment ("seven more deaths") by the total. Superseded claims are kept (in the store, the fact history and the
claims with stance ``superseded``) but left out of the reconciliation.
"""

from __future__ import annotations

import pandas as pd

from .io import text_column

__all__ = ["split_superseded", "superseded_mask", "INCREMENT"]

#: The ``part`` of an increment ("three more bodies", "another 5"): the event's total, when
#: one is given, includes it, so it does not vote.
INCREMENT = "more"


def superseded_mask(claims: pd.DataFrame) -> pd.Series:
    """True for each claim whose source reported on the same slot again later, for each
    figure marked ``earlier`` whose slot has a current one, and for each increment
    (:data:`INCREMENT`) of a predicate whose total is given.

    A slot is subject + predicate (compared case-blind, as written), a source its name as
    written; claims without a ``reported_at`` never supersede and are never superseded by date.
    """
    if claims.empty or not {"reported_at", "earlier", "part"} & set(claims.columns):
        return pd.Series(False, index=claims.index)
    when = pd.to_datetime(claims["reported_at"], utc=True, errors="coerce", format="ISO8601") \
        if "reported_at" in claims else pd.Series(pd.NaT, index=claims.index, dtype="datetime64[ns, UTC]")
    keys = pd.DataFrame({
        "source": text_column(claims["source"]).str.strip().str.casefold(),
        "subject": text_column(claims["subject"]).str.strip().str.casefold(),
        "predicate": text_column(claims["predicate"]).str.strip(),
    }, index=claims.index)
    latest = when.groupby([keys["source"], keys["subject"], keys["predicate"]]).transform("max")
    later = when.notna() & (when < latest)
    earlier = claims["earlier"].fillna(False).astype(bool) if "earlier" in claims \
        else pd.Series(False, index=claims.index)
    current = (~earlier).groupby([keys["subject"], keys["predicate"]]).transform("any")
    if "part" not in claims:
        return (later | (earlier & current)).rename("superseded")
    increment = claims["part"].eq(INCREMENT)
    total = (~earlier & claims["part"].isna()).groupby(keys["predicate"]).transform("any")
    return (later | (earlier & current) | (increment & total)).rename("superseded")


def split_superseded(claims: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The claims that vote (each source's latest report per slot) and the superseded ones."""
    mask = superseded_mask(claims).to_numpy()
    return claims.loc[~mask].reset_index(drop=True), claims.loc[mask].reset_index(drop=True)
