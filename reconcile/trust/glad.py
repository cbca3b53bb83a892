"""GLAD (Whitehill et al., NeurIPS 2009): source abilities and slot difficulties."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from .base import segment_sum
from .labels import PosteriorEstimator, label_space, slot_posterior
from .problem import TruthProblem

__all__ = ["GLAD"]

_HALF_LOG_2PI = 0.5 * np.log(2 * np.pi)


def _log_sigmoid(x: np.ndarray) -> np.ndarray:
    """``log(1 / (1 + exp(-x)))``, stably."""
    return -np.logaddexp(0.0, -x)


def _mix(x: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser: 64 well-mixed bits of each ``x``."""
    x = x.astype(np.uint64)
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _content_order(problem: TruthProblem) -> tuple[TruthProblem, np.ndarray, np.ndarray]:
    """``problem`` with its slots numbered by their content (a hash of the (source, candidate
    rank within the slot, weight) of their claims) and its claims sorted; with the position of
    each original candidate and the number of each original slot in it.  Conjugate gradients sum over every source
    and slot, and rounding makes their path depend on the order of those sums; fitted on this
    order, any numbering of the same claims (the Dask engine's slots partition after
    partition) gives the same numbers."""
    slot = problem.value_slot
    order = np.lexsort((np.arange(problem.n_values), slot))
    rank = np.empty(problem.n_values, dtype=np.int64)
    rank[order] = np.arange(problem.n_values) - np.searchsorted(slot[order], slot[order])
    claim_key = _mix(_mix(problem.claim_source.astype(np.int64) * 1_000_003 + rank[problem.claim_value])
                     ^ np.round(problem.claim_weight * 1e9).astype(np.uint64))
    slot_hash = np.zeros(problem.n_slots, dtype=np.uint64)
    np.add.at(slot_hash, problem.claim_slot, claim_key)  # wraps around: order-free
    new_slot = np.empty(problem.n_slots, dtype=np.int64)
    new_slot[np.lexsort((np.arange(problem.n_slots), slot_hash))] = np.arange(problem.n_slots)
    candidates = np.lexsort((rank, new_slot[slot]))
    position = np.empty(problem.n_values, dtype=np.int64)
    position[candidates] = np.arange(problem.n_values)
    claims = np.lexsort((position[problem.claim_value], problem.claim_source))
    return TruthProblem(
        claim_source=problem.claim_source[claims],
        claim_value=position[problem.claim_value][claims].astype(np.int32),
        value_slot=new_slot[slot][candidates].astype(np.int32),
        claim_weight=problem.claim_weight[claims],
        source_names=problem.source_names,
        value_labels=None if problem.value_labels is None else problem.value_labels[candidates],
    ), position, new_slot


class GLAD(PosteriorEstimator):
    """GLAD (Whitehill, Ruvolo, Wu, Bergsma & Movellan, "Whose vote should count more",
    NeurIPS 2009; crowd-kit's ``GLAD``), by EM.  Source ``i`` of ability ``alpha_i`` answers
    slot ``j`` of inverse difficulty ``exp(beta_j)`` rightly with probability ``sigma(alpha_i
    exp(beta_j))``, else any of the ``K - 1`` other labels alike; the labels' prior is uniform.
    E-step: each slot's posterior; M-step: ``alpha`` and ``beta`` maximise the expected
    log-likelihood plus Gaussian priors ``N(1, 1)`` on both, by conjugate gradients
    (``m_step_max_iter`` steps at most, gradient tolerance ``m_step_tol``), from the previous
    values (all 1 at first).  As crowd-kit, it stops when an iteration raises that objective
    (per claim and label) by less than ``tol``.  ``K`` is the number of labels of a closed domain
    (:func:`~reconcile.trust.labels.label_space`, an unclaimed label keeping its share of the
    posterior), or the slot's candidates in an open one.  ``trust_`` is ``alpha``,
    ``betas_`` holds ``beta`` per slot, ``beliefs_`` = ``confidence_`` the posterior.

    >>> import pandas as pd
    >>> model = GLAD().fit(pd.DataFrame({"source": ["a", "b", "c"], "slot": "x",
    ...                                  "value": ["p", "p", "q"]}))
    >>> model.winners_.tolist(), bool(model.trust_["a"] > model.trust_["c"])
    ([0], True)
    """

    name = "glad"

    def __init__(self, n_iter: int = 100, tol: float = 1e-5, m_step_max_iter: int = 25,
                 m_step_tol: float = 1e-2, max_labels: int = 64):
        super().__init__(n_iter=n_iter, tol=tol)
        self.m_step_max_iter = m_step_max_iter
        self.m_step_tol = m_step_tol
        self.max_labels = max_labels

    def _fit(self, problem: TruthProblem) -> tuple[np.ndarray, np.ndarray, int]:
        canonical, position, new_slot = _content_order(problem)
        alpha, beliefs, n_iter = self._fit_ordered(canonical)
        self.betas_ = pd.Series(self.betas_.to_numpy()[new_slot], name="beta")
        return alpha, beliefs[position], n_iter

    def _fit_ordered(self, problem: TruthProblem) -> tuple[np.ndarray, np.ndarray, int]:
        space = label_space(problem, self.max_labels)
        source, claim_slot, weight = problem.claim_source, problem.claim_slot, problem.claim_weight
        n_sources, n_slots = problem.n_sources, problem.n_slots
        log_k_minus_one = np.log(np.maximum(space.slot_k[claim_slot] - 1, 1))
        if space.closed:
            uniform = np.full(len(space.labels), 1.0 / len(space.labels))
            log_prior = np.log(uniform)[space.value_label]
            unclaimed = space.claimed_prior(uniform, problem.value_slot, n_slots)
        else:
            log_prior = unclaimed = None
        beta = np.ones(n_slots)
        objective = -np.inf

        def split(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            alpha, log_beta = x[:n_sources], x[n_sources:]
            return alpha, log_beta, alpha[source] * np.exp(log_beta[claim_slot])

        def negative_q(x: np.ndarray, right: np.ndarray) -> tuple[float, np.ndarray]:
            """Minus the expected log-likelihood and priors, and its gradient."""
            alpha, log_beta, ab = split(x)
            q = np.sum(weight * (right * _log_sigmoid(ab)
                                 + (1 - right) * (_log_sigmoid(-ab) - log_k_minus_one)))
            q -= 0.5 * (np.sum((alpha - 1) ** 2) + np.sum((log_beta - 1) ** 2)) + _HALF_LOG_2PI * len(x)
            residual = weight * (right - np.exp(_log_sigmoid(ab)))
            d_alpha = segment_sum(residual * np.exp(log_beta[claim_slot]), source, n_sources) - (alpha - 1)
            d_beta = segment_sum(residual * ab, claim_slot, n_slots) - (log_beta - 1)
            return -q, -np.concatenate([d_alpha, d_beta])

        scale = max(float(np.sum(space.slot_k[claim_slot])), 1.0)  # crowd-kit's claims x labels
        self._gain = np.inf

        def step(alpha: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            nonlocal beta, objective
            ab = alpha[source] * np.exp(beta[claim_slot])
            posterior, _, _ = slot_posterior(problem, space, _log_sigmoid(ab),
                                          _log_sigmoid(-ab) - log_k_minus_one, log_prior, unclaimed)
            right = posterior[problem.claim_value]
            x, value = np.concatenate([alpha, beta]), 0.0  # no claims: nothing to fit
            if problem.n_claims:
                result = minimize(negative_q, x, args=(right,), jac=True, method="CG", tol=self.m_step_tol,
                                  options={"maxiter": self.m_step_max_iter, "disp": False})
                x, value = result.x, -float(result.fun) / scale
            self._gain, objective = value - objective, value
            beta = x[n_sources:]
            return x[:n_sources], posterior

        fitted = self._iterate(step, np.ones(n_sources))
        self.betas_ = pd.Series(beta, name="beta")
        return fitted

    def _change(self, old: np.ndarray, new: np.ndarray) -> float:
        """As crowd-kit: the last iteration's gain in the M-step objective per claim and label
        (it stops when that is below ``tol``, or negative)."""
        return self._gain
