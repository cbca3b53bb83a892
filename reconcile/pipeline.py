"""``reconcile()``: read -> normalise (values, sources, subjects) -> score -> trust -> consensus."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .claims import normalize_claims
from .consensus import CONTEST_SHARE, consensus_facts
from .contract import SOURCE_COLUMNS, InputError
from .io import claims_frame, read_claims
from .resolve import read_aliases
from .result import Result
from .score import HEDGED_WEIGHT, score_claims
from .trust import DEFAULT_METHOD, get_estimator
from .values import Taxonomy

__all__ = ["reconcile", "load_claims"]

ClaimsInput = pd.DataFrame | str | os.PathLike | Iterable[Mapping[str, Any]]


def load_claims(claims: ClaimsInput) -> tuple[pd.DataFrame, str | None]:
    """A validated claims table from a DataFrame, a path, several paths, or a list of dicts.

    Returns the table and the file name used in error messages (None for in-memory input).
    """
    if isinstance(claims, (str, os.PathLike)):
        return read_claims(claims), str(claims)
    if isinstance(claims, pd.DataFrame):
        return claims_frame(claims), None
    items = list(claims)
    if items and all(isinstance(item, (str, os.PathLike)) for item in items):
        frames = [read_claims(path).assign(_file=str(path)) for path in items]
        return pd.concat(frames, ignore_index=True), ", ".join(map(str, items))
    return claims_frame(items), None


def reconcile(claims: ClaimsInput, method: str | None = None,
              aliases: Mapping[str, str] | str | os.PathLike | None = None, *,
              taxonomy: Taxonomy | str | os.PathLike | None = None,
              hedged_weight: float = HEDGED_WEIGHT, contest_share: float = CONTEST_SHARE,
              method_params: Mapping[str, Any] | None = None) -> Result:
    """Reconcile claims into consensus facts.

    ``claims``: a DataFrame, a claims file (CSV, JSONL, JSON, Parquet) or a list of them, or a
    list of dicts; it needs ``source, subject, predicate, value``. ``method``: a name from
    :data:`reconcile.trust.ESTIMATORS` (default :data:`~reconcile.trust.DEFAULT_METHOD`).
    ``aliases``: ``{alias: canonical}`` or an ``alias,canonical`` CSV; it always wins.
    ``taxonomy``: a :class:`~reconcile.values.Taxonomy` or a ``child,parent`` CSV merged into
    the built-in one.
    """
    if not 0 < hedged_weight <= 1:
        raise ValueError("hedged_weight must be in (0, 1]")
    if not 0 < contest_share <= 1:
        raise ValueError("contest_share must be in (0, 1]")
    frame, file = load_claims(claims)
    tree = _taxonomy(taxonomy)
    normalised, resolution = normalize_claims(frame, aliases=read_aliases(aliases), file=file)
    scored = score_claims(normalised, taxonomy=tree, hedged_weight=hedged_weight)
    name = method or DEFAULT_METHOD
    estimator = get_estimator(name, **dict(method_params or {})).fit(scored.problem)
    facts, stances = consensus_facts(scored, estimator.trust_, estimator.confidence_,
                                     contest_share=contest_share, hedged_weight=hedged_weight)
    claims_out = stances.drop(columns=["origin", "_line", "subject_raw", "_file"], errors="ignore")
    sources = _sources(claims_out, resolution, estimator.trust_)
    params = {"method": name, "method_params": dict(method_params or {}),
              "hedged_weight": hedged_weight, "contest_share": contest_share,
              "n_iter": int(getattr(estimator, "n_iter_", 0))}
    return Result(facts=facts, claims=claims_out.reset_index(drop=True), sources=sources,
                  scored=scored, method=name, params=params)


def _taxonomy(taxonomy: Taxonomy | str | os.PathLike | None) -> Taxonomy:
    if taxonomy is None:
        return Taxonomy.default()
    if isinstance(taxonomy, Taxonomy):
        return taxonomy
    path = Path(taxonomy)
    if not path.exists():
        raise InputError("no such taxonomy file", file=str(path))
    return Taxonomy.default().merge(Taxonomy.from_csv(path))


def _sources(claims: pd.DataFrame, resolution, trust: pd.Series) -> pd.DataFrame:
    aliases = resolution.aliases()
    names = sorted(set(claims["source"]) | set(claims["cites"].dropna()) if "cites" in claims
                   else set(claims["source"]))
    counts = claims["source"].value_counts()
    return pd.DataFrame({
        "source": names,
        "aliases": [aliases.get(n, [n]) for n in names],
        "type": [resolution.types.get(n, "unknown") for n in names],
        "trust": [float(trust[n]) if n in trust.index else np.nan for n in names],
        "claims": [int(counts.get(n, 0)) for n in names],
    }, columns=list(SOURCE_COLUMNS) + ["claims"])
