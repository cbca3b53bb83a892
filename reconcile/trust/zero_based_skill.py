"""Zero-based skill (crowd-kit's ``ZeroBasedSkill``): a weighted vote whose weights follow
each source's agreement with it."""

from __future__ import annotations

import numpy as np

from .base import IterativeEstimator
from .labels import label_space
from .problem import TruthProblem
from .vote import weighted_vote, winner_share

__all__ = ["ZeroBasedSkill"]


class ZeroBasedSkill(IterativeEstimator):
    """Zero-based skill (crowd-kit's ``ZeroBasedSkill``): skills start at chance, ``1 / K +
    1e-5``, and each iteration takes a weighted vote with them and moves every skill a step
    ``lr`` towards the source's share of claims that agree with the vote (``s += lr (share -
    s)``); ``lr`` starts at ``lr_init`` and is multiplied by ``lr_reduce_factor`` every
    ``lr_steps_to_reduce`` iterations.  The answer is the vote with the last skills.  ``K`` is
    the number of labels of a closed domain (:func:`~reconcile.trust.labels.label_space`), in
    an open one the mean number of candidates per slot.  As in crowd-kit, it runs ``n_iter``
    iterations (``tol=None``); with a ``tol`` it stops when no skill moves more than that.
    ``trust_`` is the skill, ``beliefs_`` the weighted vote, ``confidence_`` its share.

    >>> import pandas as pd
    >>> rows = [("a", "x", "p"), ("b", "x", "p"), ("c", "x", "q"), ("a", "y", "r"), ("c", "y", "s")]
    >>> ZeroBasedSkill().fit(pd.DataFrame(rows, columns=["source", "slot", "value"])).trust_.round(3).tolist()
    [1.0, 1.0, 0.0]
    """

    name = "zero_based_skill"

    def __init__(self, n_iter: int = 100, tol: float | None = None, lr_init: float = 1.0,
                 lr_steps_to_reduce: int = 20, lr_reduce_factor: float = 0.5, max_labels: int = 64):
        super().__init__(n_iter=n_iter, tol=tol)
        self.lr_init = lr_init
        self.lr_steps_to_reduce = lr_steps_to_reduce
        self.lr_reduce_factor = lr_reduce_factor
        self.max_labels = max_labels

    def _fit(self, problem: TruthProblem) -> tuple[np.ndarray, np.ndarray, int]:
        chance = 1.0 / label_space(problem, self.max_labels).n_labels + 1e-5
        iteration = 0

        def step(skill: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            nonlocal iteration
            iteration += 1
            rate = self.lr_init * self.lr_reduce_factor ** (iteration // self.lr_steps_to_reduce)
            new = skill + rate * (winner_share(problem, weighted_vote(problem, skill)) - skill)
            return new, weighted_vote(problem, new)

        return self._iterate(step, np.full(problem.n_sources, chance))
