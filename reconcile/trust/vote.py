"""Weighted majority vote, the baseline every other estimator is measured against."""

from __future__ import annotations

import numpy as np

from .base import TruthEstimator, segment_argmax
from .problem import TruthProblem

__all__ = ["MajorityVote", "weighted_vote", "winner_share"]


def weighted_vote(problem: TruthProblem, source_weight: np.ndarray) -> np.ndarray:
    """Per candidate, the sum over its claims of claim weight times its source's weight."""
    return problem.values_matrix @ source_weight


def winner_share(problem: TruthProblem, beliefs: np.ndarray) -> np.ndarray:
    """Each source's claim-weighted share of claims on its slot's winner by ``beliefs`` (ties:
    the lowest code): crowd-kit's accuracy of a worker against the aggregated labels."""
    won = np.zeros(problem.n_values)
    winners = segment_argmax(beliefs, problem.value_slot, problem.n_slots)
    won[winners[winners >= 0]] = 1.0
    return problem.source_mean(won)


class MajorityVote(TruthEstimator):
    """Weighted majority vote (as crowd-kit's ``MajorityVote``): a candidate's belief is the
    total claim weight behind it, its confidence that weight's share of the slot's, and a
    source's trust the weighted share of its claims that won.  Not iterative: ``n_iter_`` is 1.

    >>> import pandas as pd
    >>> mv = MajorityVote().fit(pd.DataFrame({"source": ["a", "b", "c"], "slot": "x",
    ...                                       "value": ["p", "p", "q"]}))
    >>> mv.confidence_.round(3).tolist(), mv.trust_.tolist()
    ([0.667, 0.333], [1.0, 1.0, 0.0])
    """

    name = "majority_vote"

    def _fit(self, problem: TruthProblem) -> tuple[np.ndarray, np.ndarray, int]:
        beliefs = problem.value_claim_weight.copy()
        return winner_share(problem, beliefs), beliefs, 1
