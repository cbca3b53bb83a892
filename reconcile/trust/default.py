"""The default estimator: a confusion matrix per source on a closed domain of labels, ACCU-COPY
on everything else, chosen from the claims alone."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .accu_copy import AccuCopy, duplicate_independence
from .base import TruthEstimator, as_problem
from .dawid_skene import DawidSkene
from .problem import TruthProblem

__all__ = ["DefaultEstimator", "label_domain"]


def label_domain(problem: TruthProblem, max_labels: int = 20, min_slots_per_label: float = 5.0) -> dict:
    """Whether the claims' values form a closed domain of labels, from the claims alone: at
    most ``max_labels`` distinct values (yes/no, ratings, classes; a confusion matrix of more
    cannot be estimated per source) that recur across slots, on average in at least
    ``min_slots_per_label`` slots each (a label domain is reused question after question; a
    few slots with a few figures are not one).  Returns ``closed`` and the ``labels`` and
    ``slots`` counts it was decided from."""
    labels = len(problem.label_classes[1])
    slots_per_label = problem.n_values / labels if labels else 0.0
    closed = bool(2 <= labels <= max_labels and slots_per_label >= min_slots_per_label)
    return {"closed": closed, "labels": labels, "slots": int(problem.n_slots),
            "slots_per_label": round(float(slots_per_label), 1)}


class DefaultEstimator(TruthEstimator):
    """What ``reconcile`` uses without ``--method``.  When the values form a closed domain of
    labels (:func:`label_domain`), :class:`DawidSkene` with population-pooled priors (a source
    with few answers, or none yet, is read through the population's confusion matrix), sources
    whose claims are identical counting as one (:func:`duplicate_independence`); otherwise
    :class:`AccuCopy` (Accu with copy detection; its accuracy prior ``initial_accuracy`` with
    ``prior_strength`` pseudo-claims is where a source with no record starts).

    After ``fit``, ``model_`` is the fitted estimator, and ``choice_`` says which it is and why
    (``model``, and the :func:`label_domain` figures), as ``Result.params["model"]`` and
    ``Result.params["model_choice"]`` report it.

    >>> rows = [(f"w{w}", f"q{q}", str((q + (w == 0)) % 2)) for w in range(4) for q in range(12)]
    >>> model = DefaultEstimator().fit(pd.DataFrame(rows, columns=["source", "slot", "value"]))
    >>> model.choice_["model"], model.choice_["labels"]
    ('dawid_skene', 2)
    """

    name = "default"

    def __init__(self, n_iter: int | None = None, tol: float | None = None, max_labels: int = 20,
                 min_slots_per_label: float = 5.0):
        super().__init__(n_iter=n_iter, tol=tol)  # None: the chosen model's own
        self.max_labels = max_labels
        self.min_slots_per_label = min_slots_per_label

    def fit(self, data: TruthProblem | pd.DataFrame, **fit_params) -> DefaultEstimator:
        problem = as_problem(data)
        domain = label_domain(problem, self.max_labels, self.min_slots_per_label)
        iterations = {k: v for k, v in (("n_iter", self.n_iter), ("tol", self.tol)) if v is not None}
        if domain["closed"]:
            model = DawidSkene(**iterations)
            independence = duplicate_independence(problem, np.zeros(problem.n_sources))
            if "claim_independence" in fit_params:
                independence = independence * np.asarray(fit_params.pop("claim_independence"))
            model.fit(problem, claim_independence=independence, **fit_params)
        else:
            model = AccuCopy(**iterations).fit(problem, **fit_params)
        self.model_ = model
        self.choice_ = {"model": model.name, **{k: v for k, v in domain.items() if k != "closed"}}
        for attribute in ("trust_", "beliefs_", "confidence_", "n_iter_", "winners_"):
            setattr(self, attribute, getattr(model, attribute))
        return self
