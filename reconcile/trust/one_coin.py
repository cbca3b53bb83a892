"""One-coin Dawid-Skene (crowd-kit's ``OneCoinDawidSkene``): one accuracy per source."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .base import segment_normalize
from .labels import PosteriorEstimator, label_space, slot_posterior
from .problem import TruthProblem

__all__ = ["OneCoin"]

#: crowd-kit's floor on probabilities (its ``_EPS``).
EPS = 1e-10


class OneCoin(PosteriorEstimator):
    """One-coin Dawid-Skene (Dawid & Skene 1979 with one parameter per worker, as in Zhang,
    Chen, Zhou & Jordan, JMLR 2016; crowd-kit's ``OneCoinDawidSkene``), by EM.  A source of
    skill ``s`` gives the true label with probability ``s`` and each of the ``K - 1`` others
    with ``(1 - s) / (K - 1)``; the labels have a prior.  E-step: each slot's posterior over
    its labels, ``prior(k) prod P(claim | k)`` (each claim to the power of its weight);
    M-step: the prior is the mean posterior, a source's skill the claim-weighted mean
    posterior of the labels it claims.  It starts from the majority vote's shares.

    On a closed label domain (:func:`~reconcile.trust.labels.label_space`: the same few labels
    across slots) ``K`` is the number of labels and a label nobody claimed in a slot keeps its
    share of the posterior (``confidence_`` then sums to less than 1 in that slot).  On an
    open domain ``K`` is the slot's number of candidates and the prior is uniform.
    ``trust_`` is the skill, ``prior_`` the label prior (``None`` when open), ``beliefs_`` = ``confidence_`` the posterior of each candidate.

    >>> import pandas as pd
    >>> model = OneCoin().fit(pd.DataFrame({"source": ["a", "b", "c"], "slot": "x",
    ...                                     "value": ["p", "p", "q"]}))
    >>> model.winners_.tolist(), bool(model.trust_["a"] > model.trust_["c"])
    ([0], True)
    """

    name = "one_coin"

    def __init__(self, n_iter: int = 100, tol: float = 1e-6, max_labels: int = 64):
        super().__init__(n_iter=n_iter, tol=tol)
        self.max_labels = max_labels

    def _fit(self, problem: TruthProblem) -> tuple[np.ndarray, np.ndarray, int]:
        space = label_space(problem, self.max_labels)
        slot, n_slots = problem.value_slot, problem.n_slots
        k_minus_one = np.maximum(space.slot_k[problem.claim_slot] - 1, 1)
        posterior = segment_normalize(problem.value_claim_weight, slot, n_slots)
        prior = (np.bincount(space.value_label, posterior, minlength=len(space.labels)) / n_slots
                 if space.closed else None)

        def step(skill: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            nonlocal prior
            s = skill[problem.claim_source]
            log_right = np.log(np.clip(s, EPS, 1 - EPS))
            log_wrong = np.log(np.clip((1 - s) / k_minus_one, EPS, 1 - EPS))
            if space.closed:
                floor = np.maximum(prior, EPS)
                post, rest, _ = slot_posterior(problem, space, log_right, log_wrong,
                                            np.log(floor)[space.value_label],
                                            space.claimed_prior(floor, slot, n_slots))
                prior = space.mean_posterior(post, rest, floor, slot, n_slots)
            else:
                post, _, _ = slot_posterior(problem, space, log_right, log_wrong)
            return problem.source_mean(post), post

        fitted = self._iterate(step, problem.source_mean(posterior))
        self.prior_ = None if prior is None else pd.Series(prior, index=space.labels, name="prior")
        return fitted
