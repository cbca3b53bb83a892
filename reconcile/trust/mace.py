"""MACE, multi-annotator competence estimation (Hovy et al., NAACL 2013)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import digamma

from .base import segment_sum
from .labels import PosteriorEstimator, label_space, slot_posterior
from .problem import TruthProblem

__all__ = ["MACE"]


def _normalize(counts: np.ndarray, prior: float, variational: bool) -> np.ndarray:
    """Rows of expected ``counts`` plus ``prior`` as probabilities: divided by their sum (EM
    with smoothing), or their variational-Bayes weights ``exp(digamma(x))`` over
    ``exp(digamma(sum))`` (a Dirichlet ``prior``)."""
    x = counts + prior
    if variational:
        return np.exp(digamma(x) - digamma(x.sum(axis=1, keepdims=True)))
    return x / x.sum(axis=1, keepdims=True)


class MACE(PosteriorEstimator):
    """MACE (Hovy, Berg-Kirkpatrick, Vaswani & Hovy, "Learning whom to trust with MACE",
    NAACL 2013; crowd-kit's ``MACE``).  On each slot a source either knows the truth and
    says it (probability ``theta``, its competence) or spams, answering from its own strategy
    ``xi`` over the labels whatever the truth; the truth's prior is uniform.  EM over the
    expected knowing/spamming counts and strategy counts; with ``method="vb"`` (the default)
    variational Bayes with Beta(``alpha``, ``beta``) priors on knowing and a symmetric
    Dirichlet(10) on the strategies, with ``method="em"`` smoothing by ``0.01 / K``.  It runs
    ``n_iter`` iterations (``tol=None``, as crowd-kit) from a random start drawn as crowd-kit
    draws it (seeded by ``random_state``), and keeps the best of ``n_restarts`` starts by
    marginal likelihood (restart ``r`` seeded ``random_state + r``).

    Strategies are over the labels of a closed domain
    (:func:`~reconcile.trust.labels.label_space`; an unclaimed label keeps its share of the
    posterior).  In an open domain there is no shared label to prefer, so a spammer answers
    uniformly among the slot's candidates (``xi = 1 / K``, ``K`` the slot's candidates) and
    only the competences are learnt.  ``trust_`` is the competence, ``strategy_`` the
    strategies (sources x labels; ``None`` when open), ``beliefs_`` = ``confidence_`` the
    posterior.

    Four sources that each miss one slot in five, and one that always says "no":

    >>> import pandas as pd
    >>> rows = [(s, "t%d" % t, "no" if (t + i) % 5 == 0 else "yes") for i, s in enumerate("abcd") for t in range(10)]
    >>> rows += [("e", "t%d" % t, "no") for t in range(10)]
    >>> problem = TruthProblem.from_claims(pd.DataFrame(rows, columns=["source", "slot", "value"]))
    >>> model = MACE().fit(problem)
    >>> sorted(set(problem.value_labels[model.winners_])), model.trust_.round(2).tolist()
    (['yes'], [0.4, 0.4, 0.4, 0.4, 0.02])
    """

    name = "mace"

    def __init__(self, n_iter: int = 50, tol: float | None = None, n_restarts: int = 1,
                 method: str = "vb", smoothing: float = 0.1, default_noise: float = 0.5,
                 alpha: float = 0.5, beta: float = 0.5, random_state: int = 0, max_labels: int = 64):
        super().__init__(n_iter=n_iter, tol=tol)
        self.n_restarts = n_restarts
        self.method = method
        self.smoothing = smoothing
        self.default_noise = default_noise
        self.alpha = alpha
        self.beta = beta
        self.random_state = random_state
        self.max_labels = max_labels

    def _fit(self, problem: TruthProblem) -> tuple[np.ndarray, np.ndarray, int]:
        if self.method not in ("vb", "em"):
            raise ValueError(f"MACE method must be 'vb' or 'em', not {self.method!r}")
        space = label_space(problem, self.max_labels)
        best = None
        for restart in range(max(self.n_restarts, 1)):
            fitted = self._fit_from(problem, space, self.random_state + restart)
            if best is None or fitted[0] > best[0]:
                best = fitted
        self.strategy_ = (None if best[2] is None else
                          pd.DataFrame(best[2], index=pd.Index(problem.source_names, name="source"),
                                       columns=space.labels))
        return best[1]

    def _fit_from(self, problem: TruthProblem, space, seed: int):
        """(log marginal likelihood, (trust, beliefs, n_iter), strategies) from one start."""
        source, weight, n_sources = problem.claim_source, problem.claim_weight, problem.n_sources
        slot, n_slots = problem.value_slot, problem.n_slots
        n_labels = len(space.labels) if space.closed else 1
        claim_label = space.value_label[problem.claim_value] if space.closed else None
        k = space.slot_k.astype(np.float64)
        log_prior = -np.log(k)[slot]
        unclaimed = (k - problem.slot_size) / k if space.closed else None
        variational = self.method == "vb"
        smoothing = 0.01 / n_labels
        knowing = self._draw(seed, (n_sources, 2))
        strategy = self._draw(seed, (n_sources, n_labels)) if space.closed else None

        def e_step() -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
            """Posterior, expected (spam, know) counts, strategy counts, log-likelihood."""
            spam = knowing[source, 0] * (strategy[source, claim_label] if space.closed
                                         else 1.0 / k[problem.claim_slot])
            know = knowing[source, 1]
            posterior, _, log_evidence = slot_posterior(problem, space, np.log(spam + know),
                                                        np.log(spam), log_prior, unclaimed)
            right = posterior[problem.claim_value]
            spammed = weight * (right * spam / (spam + know) + 1 - right)
            counts = np.stack([segment_sum(spammed, source, n_sources),
                               segment_sum(weight * right * know / (spam + know), source, n_sources)], axis=1)
            by_label = (np.bincount(source * n_labels + claim_label, spammed, minlength=n_sources * n_labels)
                        .reshape(n_sources, n_labels) if space.closed else None)
            return posterior, counts, by_label, float(log_evidence.sum())

        posterior, counts, by_label, log_likelihood = e_step()

        def step(_: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            nonlocal knowing, strategy, posterior, counts, by_label, log_likelihood
            knowing = _normalize(counts, np.array([self.alpha, self.beta]) if variational else smoothing,
                                 variational)
            if space.closed:
                strategy = _normalize(by_label, 10.0 if variational else smoothing, variational)
            posterior, counts, by_label, log_likelihood = e_step()
            return knowing[:, 1], posterior

        fitted = self._iterate(step, knowing[:, 1])
        return log_likelihood, fitted, strategy

    def _draw(self, seed: int, shape: tuple[int, int]) -> np.ndarray:
        """crowd-kit's random start: uniform on [1, 1 + default_noise], rows normalised."""
        x = np.random.RandomState(seed).uniform(1.0, 1.0 + self.default_noise, shape)
        return x / x.sum(axis=1, keepdims=True)
