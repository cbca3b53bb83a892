"""Sums, AverageLog, Investment and PooledInvestment (Pasternack & Roth, COLING 2010)."""

from __future__ import annotations

import numpy as np

from .base import IterativeEstimator, segment_normalize, segment_sum
from .problem import TruthProblem

__all__ = ["Sums", "AverageLog", "Investment", "PooledInvestment"]


def _by_max(x: np.ndarray) -> np.ndarray:
    """``x`` divided by its largest entry (as it is when that is not positive)."""
    top = np.max(x, initial=0.0)
    return x / top if top > 0 else x


class Sums(IterativeEstimator):
    """Sums, or Hubs and Authorities (Kleinberg 1999), as adapted by Pasternack & Roth,
    "Knowing what to believe (when you already know something)", COLING 2010: a source's trust
    is the sum of the beliefs of its claims, a candidate's belief the sum of its sources' trust,
    each divided by its maximum after every iteration (as in the paper and truthdiscovery);
    beliefs start at 0.5.  Claims count with their weight.  ``beliefs_`` is the max-normalised
    belief; ``confidence_`` that belief divided by its slot's sum.

    >>> import pandas as pd
    >>> Sums().fit_predict(pd.DataFrame({"source": ["a", "b", "c"], "slot": "x",
    ...                                  "value": ["p", "p", "q"]})).tolist()
    [0]
    """

    name = "sums"

    def _source_scale(self, problem: TruthProblem) -> np.ndarray:
        """What a source's summed belief is multiplied by to give its trust."""
        return np.ones(problem.n_sources)

    def _fit(self, problem: TruthProblem) -> tuple[np.ndarray, np.ndarray, int]:
        claims, to_values = problem.claims_matrix, problem.values_matrix
        scale = self._source_scale(problem)
        beliefs = np.full(problem.n_values, 0.5)

        def step(trust: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            nonlocal beliefs
            trust = scale * (claims @ beliefs)
            beliefs = _by_max(to_values @ trust)
            return _by_max(trust), beliefs

        return self._iterate(step, np.zeros(problem.n_sources))


class AverageLog(Sums):
    """AverageLog (Pasternack & Roth, COLING 2010): as :class:`Sums`, but a source's trust is
    the mean belief of its claims times the log of its (weighted) number of claims, so that a
    source is neither rewarded for volume alone nor trusted on a single claim (one claim or
    less gives trust 0)."""

    name = "average_log"

    def _source_scale(self, problem: TruthProblem) -> np.ndarray:
        count = np.maximum(problem.source_claim_weight, 1.0)
        return np.log(count) / count


class Investment(IterativeEstimator):
    """Investment (Pasternack & Roth, COLING 2010): each source invests its trust uniformly in
    its claims and is repaid in proportion to its share of each claim's investment, times the
    claim's belief; a belief is the total investment grown by ``G(x) = x ** g`` (``g = 1.2``).
    Beliefs start at the vote share, trust at 1; both are divided by their maximum after each
    iteration (as in truthdiscovery).  ``confidence_`` is the belief divided by its slot's sum.

    The investment methods are run for a fixed number of iterations (``n_iter=20``,
    ``tol=None``, as truthdiscovery does): iterated to convergence, the growth function hands
    every slot to the sources invested most, and accuracy collapses (0.86 at 10 iterations, 0.37
    at 50, on ``benchmarks.synthetic`` with 100k claims)."""

    name = "investment"

    def __init__(self, n_iter: int = 20, tol: float | None = None, g: float = 1.2):
        super().__init__(n_iter=n_iter, tol=tol)
        self.g = g

    def _prior(self, problem: TruthProblem) -> np.ndarray:
        """The beliefs the first iteration starts from: here each candidate's vote share."""
        return segment_normalize(problem.value_claim_weight, problem.value_slot, problem.n_slots)

    def _grow(self, problem: TruthProblem, invested: np.ndarray) -> np.ndarray:
        """The beliefs from each candidate's total investment."""
        return invested ** self.g

    def _fit(self, problem: TruthProblem) -> tuple[np.ndarray, np.ndarray, int]:
        claims, to_values = problem.claims_matrix, problem.values_matrix
        per_claim = 1.0 / np.maximum(problem.source_claim_weight, np.finfo(float).tiny)
        beliefs = self._prior(problem)

        def step(trust: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            nonlocal beliefs
            stake = trust * per_claim
            pot = to_values @ stake
            returns = np.divide(beliefs, pot, out=np.zeros_like(pot), where=pot > 0)
            trust = stake * (claims @ returns)
            beliefs = _by_max(self._grow(problem, to_values @ (trust * per_claim)))
            return _by_max(trust), beliefs

        return self._iterate(step, np.ones(problem.n_sources))


class PooledInvestment(Investment):
    """PooledInvestment (Pasternack & Roth, COLING 2010): as :class:`Investment`, but each
    candidate's investment ``H`` is re-pooled within its slot, ``B(v) = H(v) G(H(v)) /
    sum_slot G(H)`` with ``G(x) = x ** g`` (``g = 1.4``); beliefs start uniform per slot.
    Run for ``n_iter=10`` iterations by default (truthdiscovery's choice), for the same reason."""

    name = "pooled_investment"

    def __init__(self, n_iter: int = 10, tol: float | None = None, g: float = 1.4):
        super().__init__(n_iter=n_iter, tol=tol, g=g)

    def _prior(self, problem: TruthProblem) -> np.ndarray:
        return 1.0 / problem.slot_size[problem.value_slot]

    def _grow(self, problem: TruthProblem, invested: np.ndarray) -> np.ndarray:
        grown = invested ** self.g
        pooled = segment_sum(grown, problem.value_slot, problem.n_slots)[problem.value_slot]
        return invested * np.divide(grown, pooled, out=np.zeros_like(grown), where=pooled > 0)
