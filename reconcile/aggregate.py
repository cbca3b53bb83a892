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

from .consensus import CONTEST_SHARE, EXPLAINED_SOURCES, _origin_trust, format_value, grouped_lists
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
    return _grouped_quantiles(np.zeros(len(values), np.int64), values[order], weights[order], 1, q)[:, 0]


def _grouped_quantiles(group: np.ndarray, values: np.ndarray, weights: np.ndarray, n_groups: int,
                       q: np.ndarray) -> np.ndarray:
    """Per quantile and group, :func:`weighted_quantiles` of the group's values (sorted by group,
    then value; every group non-empty): shape ``(len(q), n_groups)``."""
    total = np.bincount(group, weights, minlength=n_groups)
    starts = np.searchsorted(group, np.arange(n_groups))
    ends = np.r_[starts[1:], len(group)] - 1
    cumulative = np.cumsum(weights)
    before = np.r_[0.0, cumulative][starts]  # the weight of the earlier groups
    positions = (cumulative - before[group] - weights / 2) / total[group]
    key = group + positions  # increasing: groups in order, positions in (0, 1) within each
    out = np.empty((len(q), n_groups))
    for row, quantile in enumerate(q):
        right = np.clip(np.searchsorted(key, np.arange(n_groups) + quantile), starts + 1, np.maximum(ends, starts + 1))
        right = np.minimum(right, len(values) - 1)
        left = np.maximum(right - 1, starts)
        span = positions[right] - positions[left]
        share = np.clip(np.divide(quantile - positions[left], span, out=np.zeros(n_groups), where=span > 0), 0, 1)
        out[row] = np.where(starts == ends, values[starts], values[left] + share * (values[right] - values[left]))
    return out


def aggregate_facts(facts: pd.DataFrame, claims: pd.DataFrame, scored: ScoredClaims, trust: pd.Series,
                    how: str, *, contest_share: float = CONTEST_SHARE,
                    hedged_weight: float = HEDGED_WEIGHT) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The facts and claims of :func:`~reconcile.consensus.consensus_facts` (row ``i`` of
    ``facts`` is slot ``i``; ``claims`` align with ``scored.claims``) with the ``number`` slots
    of two or more origins aggregated by ``how`` (one of :data:`AGGREGATES`).  ``sources`` and
    ``dissenting`` of an aggregated fact name origins."""
    if how not in AGGREGATES:
        raise ValueError(f"aggregate must be one of {', '.join(AGGREGATES)} or None, not {how!r}")
    scored_claims = scored.claims
    slot = scored_claims["slot"].to_numpy()
    numbers = scored.candidates["value_kind"].astype(str).to_numpy()[scored_claims["candidate"].to_numpy()] == "number"
    # a slot is aggregated when all its claims are numbers (a number beside a label: today's rule)
    pure = np.bincount(slot, ~numbers, minlength=len(facts)) == 0
    picked = scored_claims[numbers & pure[slot]]
    voices = pd.DataFrame({
        "slot": picked["slot"].to_numpy(), "origin": picked["origin"].astype(str).to_numpy(),
        "value": (picked["value_min"].to_numpy(dtype=float) + picked["value_max"].to_numpy(dtype=float)) / 2,
        "weight": claim_weights(picked, hedged_weight) * _origin_trust(picked["origin"], trust),
    }).groupby(["slot", "origin"], sort=True).agg(value=("value", "mean"), weight=("weight", "max")).reset_index()
    voices = voices[voices.groupby("slot")["slot"].transform("size").to_numpy() >= 2]
    if voices.empty:
        return facts, claims
    voices = voices.sort_values(["slot", "value"], kind="stable")
    aggregated, group = np.unique(voices["slot"].to_numpy(), return_inverse=True)
    n = len(aggregated)
    values, weights = voices["value"].to_numpy(), np.maximum(voices["weight"].to_numpy(), 1e-12)
    estimate, low, high, confidence, within = _estimate(group, values, weights, n, how)
    total = np.bincount(group, weights, minlength=n)
    share = np.bincount(group, weights * ~within, minlength=n) / total  # compared to 9 decimals: 1 of 5 is 0.2
    status = np.where((share > 0) & (np.round(share, 9) >= contest_share), "contested", "consensus")
    origins = voices["origin"].to_numpy(dtype=object)
    facts = facts.copy()
    for column, column_values in (("value", estimate), ("value_min", low), ("value_max", high),
                                  ("status", status), ("confidence", np.round(confidence, 9))):
        if column in ("value", "status"):
            facts[column] = facts[column].astype(object)
        facts.loc[aggregated, column] = column_values
    supporting, dissenting = grouped_lists(group[within], origins[within], n), grouped_lists(group[~within], origins[~within], n)
    facts.loc[aggregated, "sources"] = pd.Series(supporting, index=aggregated, dtype=object)
    facts.loc[aggregated, "dissenting"] = pd.Series(dissenting, index=aggregated, dtype=object)
    counts = np.bincount(group, minlength=n)
    outside = _outside(group[~within], origins[~within], values[~within], n)
    facts.loc[aggregated, "explanation"] = [_explanation(how, *row) for row in zip(
        estimate, low, high, status, counts, outside)]
    side = pd.Series(np.where(within, "supports", "dissents"),
                     index=pd.MultiIndex.from_arrays([voices["slot"].to_numpy(), origins]))
    stance = side.reindex(pd.MultiIndex.from_arrays([slot, scored_claims["origin"].astype(str).to_numpy()])).to_numpy()
    claims = claims.assign(stance=np.where(pd.isna(stance), claims["stance"].to_numpy(dtype=object), stance))
    return facts, claims


def _estimate(group: np.ndarray, values: np.ndarray, weights: np.ndarray, n_groups: int, how: str):
    """Per group (value, low, high, confidence), and per voice whether it is within the fences."""
    total = np.bincount(group, weights, minlength=n_groups)
    n = total ** 2 / np.bincount(group, weights ** 2, minlength=n_groups)  # Kish's effective number
    q1, median, q3 = _grouped_quantiles(group, values, weights, n_groups, np.array([0.25, 0.5, 0.75]))
    spread = q3 - q1
    within = (values >= (q1 - FENCE * spread)[group]) & (values <= (q3 + FENCE * spread)[group])
    if how == "median":
        return median, q1, q3, 2 * ndtr(np.sqrt(n) / 2) - 1, within
    mean = np.bincount(group, weights * values, minlength=n_groups) / total
    variance = np.bincount(group, weights * (values - mean[group]) ** 2, minlength=n_groups) / total
    freedom = np.maximum(n - 1, 1e-9)
    error = np.sqrt(variance / freedom)  # the unbiased variance n / (n - 1) over n
    return mean, mean - error, mean + error, 2 * student_t.cdf(1.0, freedom) - 1, within


def _outside(group: np.ndarray, origins: np.ndarray, values: np.ndarray, n_groups: int) -> list[list[str]]:
    """Per group, 'origin (value)' of its voices beyond the fences, sorted."""
    return grouped_lists(group, np.array([f"{o} ({format_value(_rounded(v))})" for o, v in zip(origins, values)],
                                         dtype=object), n_groups)


def _explanation(how: str, estimate: float, low: float, high: float, status: str, count: int,
                 outside: list[str]) -> str:
    """'61.5 — consensus: median of 9 sources, interquartile range 55 to 70; A (3) outside the spread'."""
    interval = "interquartile range" if how == "median" else "one standard error"
    line = (f"{format_value(_rounded(estimate))} — {status}: {how} of {count} sources, "
            f"{interval} {format_value(_rounded(low))} to {format_value(_rounded(high))}")
    if outside:
        more = len(outside) - EXPLAINED_SOURCES
        line += "; outside the spread: " + ", ".join(outside[:EXPLAINED_SOURCES]) + (f" and {more} more" if more > 0 else "")
    return line


def _rounded(value: float) -> float:
    return round(float(value), 3)
