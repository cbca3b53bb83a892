"""Truth-discovery estimators behind one registry (``--method``).

Every estimator reads a :class:`TruthProblem` (or a plain claims DataFrame), and after ``fit``
holds ``trust_`` (per source), ``beliefs_`` (per candidate, the method's own score),
``confidence_`` (per candidate, summing to 1 within each slot, or less where values nobody
claimed keep a share: Accu with ``n_false``/``min_false``, ACCU-COPY on a closed label
domain), ``n_iter_`` and ``winners_`` (the winning candidate code per slot, also returned by
``fit_predict``).

The default is :class:`DefaultEstimator`: on a closed domain of labels (few distinct values
recurring over many slots, found from the claims alone: yes/no, ratings, classes)
:class:`DawidSkene`, a confusion matrix per source pooled towards the population with the
prior's strength chosen by held-out likelihood; on anything else :class:`AccuCopy` (ACCU-COPY:
Accu with copy detection, no value-similarity term in the vote count), on the real benchmarks
(``python -m benchmarks.accuracy``) the one configuration that resists copiers (Flight, Book,
and ``tests/test_copying.py``) without losing on the others.  Plain :class:`Accu`: on ``benchmarks.synthetic`` (1M claims, 200 sources of accuracy
0.2-0.95 with long-tail activity, a popular wrong value per slot; mean of seeds 0-2) it is the
most accurate without copiers (0.94 against 0.86 for the vote, 0.86 for PooledInvestment) and
the only well-calibrated one (expected calibration error of the winners' confidence 0.003;
the others 0.07-0.52); it uses ``implication`` (+0.4 points) and fits 1M claims in under 1 s.  Its
weakness is copying: five copiers of a bad, very active source take it below the vote (0.59
against 0.71), confidently; PooledInvestment resists best (0.83) but is never calibrated.
Accu takes a per-claim independence weight (``fit(..., claim_independence=...)`` and the
``_independence`` hook) for the copy detection of ACCU-COPY.  Reproduce with
``python -m benchmarks.synthetic --claims 1000000 --seed 0,1,2 --evaluate [--copiers 5]
[--implication]``.
"""

from __future__ import annotations

from ..contract import ReconcileError
from .accu import Accu
from .accu_copy import AccuCopy
from .base import ConvergenceWarning, TruthEstimator
from .crh import CRH
from .dawid_skene import DawidSkene
from .default import DefaultEstimator
from .glad import GLAD
from .mace import MACE
from .mmsr import MMSR
from .one_coin import OneCoin
from .problem import TruthProblem
from .sums import AverageLog, Investment, PooledInvestment, Sums
from .truthfinder import TruthFinder
from .vote import MajorityVote
from .wawa import Wawa
from .zero_based_skill import ZeroBasedSkill

__all__ = [
    "CRH",
    "GLAD",
    "MACE",
    "MMSR",
    "DEFAULT_METHOD",
    "ESTIMATORS",
    "Accu",
    "AccuCopy",
    "AverageLog",
    "ConvergenceWarning",
    "DawidSkene",
    "DefaultEstimator",
    "Investment",
    "MajorityVote",
    "OneCoin",
    "PooledInvestment",
    "Sums",
    "TruthEstimator",
    "TruthFinder",
    "TruthProblem",
    "Wawa",
    "ZeroBasedSkill",
    "get_estimator",
    "model_choice",
]

#: The estimator classes by registry name; "default" is the one ``--method`` uses when unset.
ESTIMATORS: dict[str, type[TruthEstimator]] = {
    cls.name: cls for cls in (MajorityVote, TruthFinder, Sums, AverageLog, Investment,
                                PooledInvestment, CRH, Accu, AccuCopy, DawidSkene, DefaultEstimator,
                                # the crowd-kit classification families, on a label space (trust/labels.py)
                                OneCoin, GLAD, MACE, Wawa, ZeroBasedSkill, MMSR)
}
#: The method used when none is named: :class:`DefaultEstimator`.
DEFAULT_METHOD = "default"


def get_estimator(name: str = "default", **params) -> TruthEstimator:
    """A new estimator by registry name, with constructor ``params``.

    >>> get_estimator("majority_vote")
    MajorityVote(n_iter=100, tol=1e-06)
    >>> get_estimator("nope")
    Traceback (most recent call last):
    ...
    reconcile.contract.ReconcileError: unknown trust method 'nope'; known: accu, accu_copy, average_log, crh, dawid_skene, default, glad, investment, mace, majority_vote, mmsr, one_coin, pooled_investment, sums, truthfinder, wawa, zero_based_skill
    """
    try:
        cls = ESTIMATORS[name]
    except KeyError:
        known = ", ".join(sorted(ESTIMATORS))
        raise ReconcileError(f"unknown trust method {name!r}; known: {known}") from None
    return cls(**params)


def model_choice(estimator: TruthEstimator) -> dict:
    """What a fitted estimator reports in ``Result.params``: ``model`` (the model that made
    the facts: for the default, the one it chose) and ``model_choice`` (why; the default's
    :attr:`DefaultEstimator.choice_`, else ``{"model": name}``)."""
    choice = dict(getattr(estimator, "choice_", {"model": estimator.name}))
    return {"model": choice["model"], "model_choice": choice}
