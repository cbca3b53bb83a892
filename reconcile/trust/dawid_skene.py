"""Dawid & Skene (1979): a confusion matrix per source, fitted by EM, with Dirichlet priors
that pool the sources with few answers towards the population's confusion matrix."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..contract import InputError
from .base import ConvergenceWarning, IterativeEstimator, checked_independence
from .problem import TruthProblem

__all__ = ["STRENGTHS", "DawidSkene"]

_EPS = 1e-10  # crowd-kit's floor of a probability (priors, observed confusion entries)
#: The prior strengths (pseudo-answers per true label) the held-out likelihood chooses from:
#: from a source's own confusion matrix (1) to one accuracy per source (10,000).
STRENGTHS = (1.0, 4.0, 16.0, 64.0, 256.0, 1e4)


class DawidSkene(IterativeEstimator):
    """Dawid & Skene ("Maximum likelihood estimation of observer error-rates using the EM
    algorithm", Applied Statistics 1979) on a closed domain of labels: every candidate's label
    is one of the problem's ``K`` distinct ``value_labels`` (:attr:`TruthProblem.label_classes`),
    each source ``s`` has a confusion matrix ``E_s[l, k] = P(s says l | truth k)``, the true
    labels a prior ``p``; EM alternates the slots' posteriors over all ``K`` labels (the E-step,
    from the votes weighted by claim weight and ``claim_independence``) and the matrices and
    prior (the M-step).  It starts, as crowd-kit's ``DawidSkene``, from the majority vote.

    The M-step is the posterior mean under a Dirichlet prior per source and true label,
    ``E_s[:, k] ~ Dir(a c_s[:, k])``, a hierarchical model in the spirit of Paun et al. (TACL
    2018) and EBCC (Li, Rubinstein & Cohn, ICML 2019): ``E_s[l, k] = (n_s[l, k] + a c_s[l, k])
    / (n_s[k] + a)``, ``n_s`` the source's expected answer counts.  The centre ``c_s`` pools
    the source with the population: on its diagonal the source's overall accuracy, itself
    pooled towards the population's accuracy with ``accuracy_strength`` pseudo-answers, off it
    the population's pattern of errors (all sources' expected answers).  So a source with no
    record starts from the population, one with few answers stays near it, and ``a`` says how
    far a source's own per-label errors are believed: small, a full confusion matrix per
    source; large, one accuracy per source.

    ``prior_strength=None`` chooses ``a`` from :data:`STRENGTHS` by the likelihood of held-out
    claims (``folds``-fold: each fold's claims predicted by the model fitted on the others,
    ``P(s says l) = sum_k P(truth k | the other claims) E_s[l, k]``), from the claims alone;
    ``held_out_`` holds the mean log-likelihood per claim of each.  A number fixes ``a``; ``0``
    is the maximum-likelihood model, the same as crowd-kit's ``DawidSkene``
    (``tests/test_trust_peers.py``).

    ``trust_`` is a source's expected accuracy ``sum_k p_k E_s[k, k]``; ``beliefs_`` and
    ``confidence_`` the slot posterior of each candidate's label (labels nobody claimed in a
    slot keep their share); ``confusion_`` (sources x said label x true label), ``class_prior_``,
    ``slot_posterior_`` (slots x labels) and ``prior_strength_`` are fitted too.  ``tol`` bounds
    the change of the matrices and prior in one iteration; ``None`` runs exactly ``n_iter``
    (crowd-kit's own stop is on the evidence bound).  More than ``max_labels`` labels is an
    :class:`InputError`.

    >>> rows = [("a", "x", "y"), ("b", "x", "y"), ("c", "x", "n"), ("a", "z", "n"), ("b", "z", "n")]
    >>> model = DawidSkene(prior_strength=1).fit(pd.DataFrame(rows, columns=["source", "slot", "value"]))
    >>> model.winners_.tolist(), model.confidence_.round(2).tolist()
    ([1, 2], [0.0, 1.0, 1.0])
    """

    name = "dawid_skene"

    def __init__(self, n_iter: int = 200, tol: float | None = 1e-5, prior_strength: float | None = None,
                 accuracy_strength: float = 2.0, folds: int = 5, max_labels: int = 64):
        super().__init__(n_iter=n_iter, tol=tol)
        self.prior_strength = prior_strength
        self.accuracy_strength = accuracy_strength
        self.folds = folds
        self.max_labels = max_labels

    def _fit(self, problem: TruthProblem, claim_independence: np.ndarray | None = None
             ) -> tuple[np.ndarray, np.ndarray, int]:
        codes, labels = problem.label_classes
        if len(labels) > self.max_labels:
            raise InputError(f"dawid_skene needs a closed domain of at most {self.max_labels} labels; "
                             f"these claims have {len(labels)} distinct values")
        weight = problem.claim_weight.astype(np.float64)
        claim_independence = checked_independence(problem, claim_independence)
        if claim_independence is not None:
            weight = weight * claim_independence
        if self.prior_strength is None and problem.n_claims >= 2 * self.folds:
            self.held_out_ = pd.Series([self._held_out(problem, codes, weight, a) for a in STRENGTHS],
                                       index=pd.Index(STRENGTHS, name="prior_strength"),
                                       name="held_out_log_likelihood")
            strength = float(self.held_out_.idxmax())
        else:
            self.held_out_ = None
            strength = STRENGTHS[0] if self.prior_strength is None else float(self.prior_strength)
        self.prior_strength_ = strength
        fitted = self._em(problem, codes, len(labels), np.ones(problem.n_claims, dtype=bool), weight, strength,
                          warn=True)
        confusion, prior, posterior, n_iter = fitted
        self.confusion_ = confusion
        self.class_prior_ = pd.Series(prior, index=labels, name="prior")
        self.slot_posterior_ = posterior
        trust = np.einsum("skk,k->s", confusion, prior) if len(labels) else np.zeros(problem.n_sources)
        return trust, posterior[problem.value_slot, codes] if len(labels) else np.zeros(0), n_iter

    def _held_out(self, problem: TruthProblem, codes: np.ndarray, weight: np.ndarray, strength: float) -> float:
        """The mean log-likelihood of each claim under the model fitted without its fold (folds
        drawn once, with a fixed seed, over the claims in code order)."""
        fold = np.random.default_rng(0).permutation(problem.n_claims) % self.folds
        said, slot, source = codes[problem.claim_value], problem.claim_slot, problem.claim_source
        total = 0.0
        for f in range(self.folds):
            held = fold == f
            confusion, _, posterior, _ = self._em(problem, codes, int(codes.max()) + 1, ~held, weight,
                                                  strength, warn=False)
            predicted = np.einsum("ck,ck->c", posterior[slot[held]], confusion[source[held], said[held]])
            total += float(np.sum(weight[held] * np.log(np.maximum(predicted, _EPS))))
        return total / float(weight.sum())

    def _em(self, problem: TruthProblem, codes: np.ndarray, n_labels: int, use: np.ndarray,
            weight: np.ndarray, strength: float, warn: bool):
        """EM on the claims ``use`` selects: (confusion, prior, slot posterior, iterations)."""
        n_sources, n_slots = problem.n_sources, problem.n_slots
        if not use.any() or n_labels == 0:
            return (np.zeros((n_sources, n_labels, n_labels)), np.zeros(n_labels), np.zeros((n_slots, n_labels)), 0)
        weight = weight[use]
        said = codes[problem.claim_value[use]]
        source, slot = problem.claim_source[use].astype(np.int64), problem.claim_slot[use].astype(np.int64)
        cell = source * n_labels + said  # (source, said label)
        observed = np.bincount(cell, minlength=n_sources * n_labels).reshape(n_sources, n_labels) > 0
        diagonal = np.arange(n_labels)

        def m_step(posterior: np.ndarray) -> np.ndarray:
            per_claim = posterior[slot] * weight[:, None]
            expected = np.stack([np.bincount(cell, per_claim[:, k], minlength=n_sources * n_labels)
                                 for k in range(n_labels)], axis=1).reshape(n_sources, n_labels, n_labels)
            confusion = expected + strength * self._centre(expected, diagonal) if strength else expected
            confusion = np.where(observed[:, :, None], np.maximum(confusion, _EPS), confusion)
            return confusion / np.maximum(confusion.sum(axis=1, keepdims=True), np.finfo(float).tiny)

        def e_step(confusion: np.ndarray, prior: np.ndarray) -> np.ndarray:
            log_like = np.log(confusion[source, said]) * weight[:, None]
            log_post = np.stack([np.bincount(slot, log_like[:, k], minlength=n_slots)
                                 for k in range(n_labels)], axis=1) + np.log(np.maximum(prior, _EPS))
            log_post -= log_post.max(axis=1, keepdims=True)
            posterior = np.exp(log_post)
            return posterior / posterior.sum(axis=1, keepdims=True)

        # the start: the (weighted) majority vote's shares, their mean as the prior
        votes = np.zeros((n_slots, n_labels))
        np.add.at(votes, (slot, said), weight)
        answered = votes.sum(axis=1) > 0
        start = votes / np.maximum(votes.sum(axis=1, keepdims=True), np.finfo(float).tiny)
        size = n_sources * n_labels * n_labels
        result = {}

        def step(state: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            confusion, prior = state[:size].reshape(n_sources, n_labels, n_labels), state[size:]
            posterior = e_step(confusion, prior)
            result["posterior"] = posterior
            return np.concatenate([m_step(posterior).ravel(), posterior[answered].mean(axis=0)]), posterior

        initial = np.concatenate([m_step(start).ravel(), start[answered].mean(axis=0)])
        if warn:
            state, posterior, n_iter = self._iterate(step, initial)
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                state, posterior, n_iter = self._iterate(step, initial)
        return state[:size].reshape(n_sources, n_labels, n_labels), state[size:], posterior, n_iter

    def _centre(self, expected: np.ndarray, diagonal: np.ndarray) -> np.ndarray:
        """Per source, the prior's centre ``c_s``: its overall accuracy (pooled towards the
        population's with ``accuracy_strength`` pseudo-answers) on the diagonal, its errors
        spread as the population's errors are."""
        right = expected[:, diagonal, diagonal].sum(axis=1)
        answers = expected.sum(axis=(1, 2))
        population_accuracy = float(np.clip(right.sum() / max(answers.sum(), _EPS), _EPS, 1 - _EPS))
        accuracy = (right + self.accuracy_strength * population_accuracy) / (answers + self.accuracy_strength)
        errors = expected.sum(axis=0)
        errors[diagonal, diagonal] = 0.0
        errors = np.where(errors.sum(axis=0, keepdims=True) > 0,
                          errors / np.maximum(errors.sum(axis=0, keepdims=True), _EPS),
                          (1.0 - np.eye(len(diagonal))) / max(len(diagonal) - 1, 1))
        centre = (1.0 - accuracy)[:, None, None] * errors[None]
        centre[:, diagonal, diagonal] = accuracy[:, None]
        return centre

    def _confidence(self, problem: TruthProblem, trust: np.ndarray, beliefs: np.ndarray) -> np.ndarray:
        return beliefs  # the posterior over all the labels: an unclaimed one keeps its share
