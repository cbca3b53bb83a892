"""TruthFinder (Yin, Han & Yu, KDD 2007 / TKDE 2008)."""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from .base import IterativeEstimator
from .problem import TruthProblem

__all__ = ["TruthFinder"]


class TruthFinder(IterativeEstimator):
    """TruthFinder (Yin, Han & Yu, "Truth discovery with multiple conflicting information
    providers on the web", KDD 2007 / TKDE 2008).  A source's trust ``t(s)`` is the (claim
    weighted) mean confidence of its facts; ``tau(s) = -ln(1 - t(s))``; a fact's score
    ``sigma(f)`` is the sum of ``tau`` over its sources, adjusted by similar facts of the same
    slot, ``sigma*(f) = sigma(f) + rho * sum_f' imp(f' -> f) sigma(f')`` (``problem.implication``;
    without one, no adjustment, as in truthdiscovery), and its confidence is
    ``s(f) = 1 / (1 + exp(-gamma sigma*(f)))``.  Stops when ``1 - cos(t_old, t_new) < tol``.
    ``beliefs_`` is ``s(f)``; ``confidence_`` is ``s(f)`` divided by its slot's sum.

    >>> import pandas as pd
    >>> tf = TruthFinder().fit(pd.DataFrame({"source": ["a", "b", "c"], "slot": "x",
    ...                                      "value": ["p", "p", "q"]}))
    >>> tf.winners_.tolist(), bool(tf.trust_["a"] > tf.trust_["c"])
    ([0], True)
    """

    name = "truthfinder"

    def __init__(self, n_iter: int = 100, tol: float = 1e-6, rho: float = 0.5, gamma: float = 0.3,
                 initial_trust: float = 0.9):
        super().__init__(n_iter=n_iter, tol=tol)
        self.rho = rho
        self.gamma = gamma
        self.initial_trust = initial_trust

    def _fit(self, problem: TruthProblem) -> tuple[np.ndarray, np.ndarray, int]:
        spread = problem.values_matrix
        if problem.implication is not None:
            spread = spread + self.rho * (problem.implication.T @ spread)

        def step(trust: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            tau = -np.log1p(-np.minimum(trust, 1.0 - 1e-12))
            beliefs = expit(self.gamma * (spread @ tau))
            return problem.source_mean(beliefs), beliefs

        return self._iterate(step, np.full(problem.n_sources, self.initial_trust))

    @staticmethod
    def _change(old: np.ndarray, new: np.ndarray) -> float:
        """One minus the cosine similarity of the trust vectors, as in the paper."""
        norm = np.linalg.norm(old) * np.linalg.norm(new)
        return float(1.0 - old @ new / norm) if norm > 0 else 0.0
