"""Wawa, worker agreement with aggregate (crowd-kit's ``Wawa``)."""

from __future__ import annotations

import numpy as np

from .base import TruthEstimator
from .problem import TruthProblem
from .vote import weighted_vote, winner_share

__all__ = ["Wawa"]


class Wawa(TruthEstimator):
    """Wawa (worker agreement with aggregate, crowd-kit's ``Wawa``): a majority vote, each
    source's skill the claim-weighted share of its claims that agree with it, then a vote
    weighted by those skills.  No label space is needed, so open and closed domains are
    treated alike.  ``trust_`` is the skill, ``beliefs_`` the skill-weighted vote,
    ``confidence_`` its share of the slot's.  Not iterative: ``n_iter_`` is 1.

    >>> import pandas as pd
    >>> rows = [("a", "x", "p"), ("b", "x", "p"), ("c", "x", "q"), ("a", "y", "r"), ("c", "y", "s")]
    >>> Wawa().fit(pd.DataFrame(rows, columns=["source", "slot", "value"])).trust_.tolist()
    [1.0, 1.0, 0.0]
    """

    name = "wawa"

    def _fit(self, problem: TruthProblem) -> tuple[np.ndarray, np.ndarray, int]:
        skill = winner_share(problem, problem.value_claim_weight)
        return skill, weighted_vote(problem, skill), 1
