"""One-coin Dawid-Skene (crowd-kit's ``OneCoinDawidSkene``): one accuracy per source."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .base import segment_normalize, segment_sum
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
    posterior of the labels it claims.  It starts from the majority vote's shares and, as
    crowd-kit, stops when an iteration raises the evidence lower bound (per claim) by less
    than ``tol``.

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

    def __init__(self, n_iter: int = 100, tol: float = 1e-5, max_labels: int = 64):
        super().__init__(n_iter=n_iter, tol=tol)
        self.max_labels = max_labels

    def _fit(self, problem: TruthProblem) -> tuple[np.ndarray, np.ndarray, int]:
        space = label_space(problem, self.max_labels)
        slot, n_slots, weight = problem.value_slot, problem.n_slots, problem.claim_weight
        k_minus_one = np.maximum(space.slot_k[problem.claim_slot] - 1, 1)
        posterior = segment_normalize(problem.value_claim_weight, slot, n_slots)
        prior = (np.bincount(space.value_label, posterior, minlength=len(space.labels)) / n_slots
                 if space.closed else None)
        elbo, self._gain = -np.inf, np.inf

        def log_errors(skill: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            """Per claim, log P(its answer | truth = it) and log P(its answer | another truth)."""
            s = skill[problem.claim_source]
            return np.log(np.clip(s, EPS, 1 - EPS)), np.log(np.clip((1 - s) / k_minus_one, EPS, 1 - EPS))

        def step(skill: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            nonlocal prior, elbo
            log_right, log_wrong = log_errors(skill)
            if space.closed:
                floor = np.maximum(prior, EPS)
                post, rest, _ = slot_posterior(problem, space, log_right, log_wrong,
                                               np.log(floor)[space.value_label],
                                               space.claimed_prior(floor, slot, n_slots))
                prior = space.mean_posterior(post, rest, floor, slot, n_slots)
            else:
                post, rest, _ = slot_posterior(problem, space, log_right, log_wrong)
            new_skill = problem.source_mean(post)
            new = self._evidence_lower_bound(problem, space, post, rest, prior, *log_errors(new_skill))
            self._gain, elbo = new - elbo, new
            return new_skill, post

        fitted = self._iterate(step, problem.source_mean(posterior))
        self.prior_ = None if prior is None else pd.Series(prior, index=space.labels, name="prior")
        return fitted

    @staticmethod
    def _evidence_lower_bound(problem: TruthProblem, space, post: np.ndarray, rest: np.ndarray,
                              prior: np.ndarray | None, log_right: np.ndarray, log_wrong: np.ndarray) -> float:
        """crowd-kit's ELBO per claim: over the claims, the posterior expectation of the log of
        the answer's probability and of the truth's prior (once per claim, as crowd-kit counts
        it), plus the entropy of the slots' posteriors; unclaimed labels included."""
        slot, n_slots = problem.value_slot, problem.n_slots
        right = post[problem.claim_value]
        expected = np.sum(problem.claim_weight * (right * log_right + (1 - right) * log_wrong))
        log_post = np.log(np.maximum(post, EPS))
        entropy = -np.sum(post * log_post)
        if space.closed:
            floor = np.maximum(prior, EPS)
            plogp = floor * np.log(floor)
            unclaimed = space.claimed_prior(floor, slot, n_slots)
            # the unclaimed labels' share rest * prior / unclaimed, summed over them
            share = np.divide(rest, unclaimed, out=np.zeros(n_slots), where=unclaimed > 0)
            unclaimed_plogp = plogp.sum() - segment_sum(plogp[space.value_label], slot, n_slots)
            slot_prior = (segment_sum(post * np.log(floor)[space.value_label], slot, n_slots)
                          + share * unclaimed_plogp)
            entropy -= np.sum(rest * np.log(np.maximum(share, EPS)) + share * unclaimed_plogp)
        else:
            slot_prior = -np.log(np.maximum(problem.slot_size, 1)).astype(np.float64)
        expected += np.sum(problem.claim_weight * slot_prior[problem.claim_slot])
        return float(expected + entropy) / max(problem.n_claims, 1)

    def _change(self, old: np.ndarray, new: np.ndarray) -> float:
        """As crowd-kit: the last iteration's gain in the evidence lower bound per claim (it
        stops when that is below ``tol``, or negative)."""
        return self._gain
