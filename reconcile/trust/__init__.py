"""Truth-discovery estimators behind one registry (``--method``).

Every estimator reads a :class:`TruthProblem` (or a plain claims DataFrame), and after ``fit``
holds ``trust_`` (per source), ``beliefs_`` (per candidate, the method's own score),
``confidence_`` (per candidate, summing to 1 within each slot), ``n_iter_`` and ``winners_``
(the winning candidate code per slot, also returned by ``fit_predict``).
"""

from __future__ import annotations

from ..contract import ReconcileError
from .accu import Accu
from .base import ConvergenceWarning, TruthEstimator
from .crh import CRH
from .problem import TruthProblem
from .sums import AverageLog, Investment, PooledInvestment, Sums
from .truthfinder import TruthFinder
from .vote import MajorityVote

__all__ = [
    "TruthProblem",
    "TruthEstimator",
    "ConvergenceWarning",
    "MajorityVote",
    "TruthFinder",
    "Sums",
    "AverageLog",
    "Investment",
    "PooledInvestment",
    "CRH",
    "Accu",
    "ESTIMATORS",
    "DEFAULT_METHOD",
    "get_estimator",
]

#: The estimator classes by registry name; "default" is the one ``--method`` uses when unset.
ESTIMATORS: dict[str, type[TruthEstimator]] = {
    cls.name: cls for cls in (MajorityVote, TruthFinder, Sums, AverageLog, Investment,
                                PooledInvestment, CRH, Accu)
}
#: The name behind "default".
DEFAULT_METHOD = "accu"
ESTIMATORS["default"] = ESTIMATORS[DEFAULT_METHOD]


def get_estimator(name: str = "default", **params) -> TruthEstimator:
    """A new estimator by registry name, with constructor ``params``.

    >>> get_estimator("majority_vote")
    MajorityVote(n_iter=100, tol=1e-06)
    >>> get_estimator("nope")
    Traceback (most recent call last):
    ...
    reconcile.contract.ReconcileError: unknown trust method 'nope'; known: accu, average_log, crh, default, investment, majority_vote, pooled_investment, sums, truthfinder
    """
    try:
        cls = ESTIMATORS[name]
    except KeyError:
        known = ", ".join(sorted(ESTIMATORS))
        raise ReconcileError(f"unknown trust method {name!r}; known: {known}") from None
    return cls(**params)
