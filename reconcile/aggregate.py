"""Numeric ratings and measurements: a slot's sources' values aggregated into an estimate with
an interval, instead of one claimed figure (``reconcile(..., aggregate="median"|"mean")``).

Only slots whose values are ``number`` (a measurement or a rating) and that two or more
independent origins speak on are aggregated; ``count`` slots (news figures: deaths, arrests)
keep the candidate rule of :mod:`reconcile.consensus`, never averaged, contested when two exact
figures disagree, and so does a slot with one origin (nothing to aggregate).

Each origin is one voice: the mean of its values in the slot (a range counts by its midpoint),
weighted by its trust times its strongest claim's weight (as in consensus).

- ``median``: the value is the trust-weighted median; ``value_min``/``value_max`` the weighted
  interquartile range (the middle half of the sources' weight; interpolated weighted quantiles,
  which for equal weights are Hazen's); ``confidence`` the probability that this range holds
  the population's median, ``2 Phi(sqrt(n) / 2) - 1`` (the normal approximation to the
  binomial count of ``n`` sources below the median falling in the middle half), ``n`` Kish's
  effective number of sources.
- ``mean``: the value is the trust-weighted mean; the interval is the mean plus or minus one
  standard error (weighted standard deviation over the square root of ``n``); ``confidence``
  the probability that it holds the population's mean under a Student t with ``n - 1`` degrees
  of freedom, ``2 T(1) - 1`` (0.5 at two sources, 0.68 for many).

Status from the spread: a source outside Tukey's fences (``1.5`` interquartile ranges beyond
the quartiles) dissents, the others support; ``contested`` when the dissenting weight is at
least ``contest_share`` of the slot's, else ``consensus``.  The explanation says "median of
N sources".
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import ndtr
from scipy.stats import t as student_t

from .consensus import CONTEST_SHARE, EXPLAINED_SOURCES, _origin_trust, format_value
from .score import HEDGED_WEIGHT, ScoredClaims, claim_weights

__all__ = ["AGGREGATES", "add_aggregate_option", "aggregate_facts", "weighted_quantiles"]

#: The aggregates ``reconcile(aggregate=...)`` takes.
AGGREGATES = ("median", "mean")
#: Tukey's fences: a source this many interquartile ranges beyond the quartiles dissents.
FENCE = 1.5


def add_aggregate_option(parser) -> None:
    """``--aggregate median|mean`` on a command that runs the pipeline."""
    parser.add_argument("--aggregate", default=None, choices=AGGREGATES,
                        help="numeric ratings and measurements (never counts) of two or more sources: "
                             "their trust-weighted median or mean with an interval (default: one claimed figure)")


def weighted_quantiles(values: np.ndarray, weights: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Quantiles ``q`` of ``values`` weighted by ``weights`` (positive): each value sits at the
    middle of its weight on the cumulative scale, linear in between (Hazen's for equal weights)."""
    order = np.argsort(values, kind="stable")
    values, weights = values[order], weights[order]
    cumulative = np.cumsum(weights)
    positions = (cumulative - weights / 2) / cumulative[-1]
    return np.interp(q, positions, values)


def aggregate_facts(facts: pd.DataFrame, claims: pd.DataFrame, scored: ScoredClaims, trust: pd.Series,
                    how: str, *, contest_share: float = CONTEST_SHARE,
                    hedged_weight: float = HEDGED_WEIGHT) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The facts and claims of :func:`~reconcile.consensus.consensus_facts` (row ``i`` of
    ``facts`` is slot ``i``; ``claims`` align with ``scored.claims``) with the ``number`` slots
    of two or more origins aggregated by ``how`` (one of :data:`AGGREGATES`)."""
    if how not in AGGREGATES:
        raise ValueError(f"aggregate must be one of {', '.join(AGGREGATES)} or None, not {how!r}")
    scored_claims = scored.claims
    kind = scored.candidates["value_kind"].astype(str).to_numpy()[scored_claims["candidate"].to_numpy()]
    numbers = kind == "number"
    if not numbers.any():
        return facts, claims
    picked = scored_claims[numbers]
    voices = pd.DataFrame({
        "slot": picked["slot"].to_numpy(), "origin": picked["origin"].astype(str).to_numpy(),
        "value": (picked["value_min"].to_numpy(dtype=float) + picked["value_max"].to_numpy(dtype=float)) / 2,
        "weight": claim_weights(picked, hedged_weight) * _origin_trust(picked["origin"], trust),
    }).groupby(["slot", "origin"], sort=True).agg(value=("value", "mean"), weight=("weight", "max")).reset_index()
    slot_kinds = pd.Series(kind).groupby(scored_claims["slot"].to_numpy()).nunique()
    mixed = set(slot_kinds.index[slot_kinds.to_numpy() > 1])  # a number beside a label: today's rule
    facts = facts.copy()
    inside: dict[tuple[int, str], bool] = {}
    for slot, group in voices.groupby("slot", sort=True):
        if len(group) < 2 or slot in mixed:
            continue
        values = group["value"].to_numpy()
        weights = np.maximum(group["weight"].to_numpy(), 1e-12)
        estimate, low, high, confidence, within = _estimate(values, weights, how)
        dissent = weights[~within].sum()
        share = dissent / weights.sum()  # compared to 9 decimals: 1 of 5 equal sources is 0.2
        status = "contested" if dissent > 0 and round(share, 9) >= contest_share else "consensus"
        origins = group["origin"].to_numpy()
        inside.update({(slot, o): bool(w) for o, w in zip(origins, within)})
        facts.loc[slot, ["value", "value_min", "value_max", "status", "confidence"]] = [
            estimate, low, high, status, round(confidence, 9)]
        facts.at[slot, "sources"] = sorted(origins[within].tolist())
        facts.at[slot, "dissenting"] = sorted(origins[~within].tolist())
        facts.at[slot, "explanation"] = _explanation(how, estimate, low, high, status, origins, values, within)
    if inside:
        keys = list(zip(scored_claims["slot"].to_numpy().tolist(), scored_claims["origin"].astype(str).tolist()))
        side = np.array([inside.get(key) for key in keys], dtype=object)
        aggregated = np.array([s is not None for s in side])
        stance = claims["stance"].to_numpy(dtype=object).copy()
        stance[aggregated] = np.where(side[aggregated].astype(bool), "supports", "dissents")
        claims = claims.assign(stance=stance)
    return facts, claims


def _estimate(values: np.ndarray, weights: np.ndarray, how: str):
    """(value, low, high, confidence, within the fences per source) of one slot's voices."""
    n = weights.sum() ** 2 / (weights ** 2).sum()  # Kish's effective number of sources
    q1, median, q3 = weighted_quantiles(values, weights, np.array([0.25, 0.5, 0.75]))
    spread = q3 - q1
    within = (values >= q1 - FENCE * spread) & (values <= q3 + FENCE * spread)
    if how == "median":
        return float(median), float(q1), float(q3), float(2 * ndtr(np.sqrt(n) / 2) - 1), within
    mean = float(np.average(values, weights=weights))
    deviation = np.sqrt(np.average((values - mean) ** 2, weights=weights) * n / max(n - 1, 1e-9))
    error = float(deviation / np.sqrt(n))
    confidence = float(2 * student_t.cdf(1.0, max(n - 1, 1e-9)) - 1)
    return mean, mean - error, mean + error, confidence, within


def _explanation(how: str, estimate: float, low: float, high: float, status: str,
                 origins: np.ndarray, values: np.ndarray, within: np.ndarray) -> str:
    """'61.5 — consensus: median of 9 sources, interquartile range 55 to 70; A (3) outside the spread'."""
    interval = "interquartile range" if how == "median" else "one standard error"
    line = (f"{format_value(_rounded(estimate))} — {status}: {how} of {len(origins)} sources, "
            f"{interval} {format_value(_rounded(low))} to {format_value(_rounded(high))}")
    outside = [f"{o} ({format_value(_rounded(v))})" for o, v in sorted(zip(origins[~within], values[~within]))]
    if outside:
        more = len(outside) - EXPLAINED_SOURCES
        line += "; outside the spread: " + ", ".join(outside[:EXPLAINED_SOURCES]) + (f" and {more} more" if more > 0 else "")
    return line


def _rounded(value: float) -> float:
    return round(float(value), 3)
