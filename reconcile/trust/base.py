"""What all trust estimators share: the fitted attributes, the iteration loop, and the
vectorised per-slot operations (sum, normalisation, softmax, argmax) they are built from."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import ClassVar

import numpy as np
import pandas as pd

from ..contract import InputError
from .problem import TruthProblem

__all__ = [
    "ConvergenceWarning",
    "TruthEstimator",
    "IterativeEstimator",
    "as_problem",
    "checked_independence",
    "segment_sum",
    "segment_max",
    "segment_normalize",
    "segment_softmax",
    "segment_argmax",
]


class ConvergenceWarning(UserWarning):
    """An iterative estimator stopped at ``n_iter`` before its change fell below ``tol``."""


def as_problem(data: TruthProblem | pd.DataFrame) -> TruthProblem:
    """A :class:`TruthProblem` as it is, or one factorised from a plain claims table."""
    return data if isinstance(data, TruthProblem) else TruthProblem.from_claims(data)


def checked_independence(problem: TruthProblem, claim_independence) -> np.ndarray | None:
    """``fit(..., claim_independence=w)`` as floats, checked: one number in [0, 1] per claim
    (the probability that the source makes the claim independently), or ``None``."""
    if claim_independence is None:
        return None
    claim_independence = np.asarray(claim_independence, dtype=np.float64)
    if claim_independence.shape != (problem.n_claims,) or not (
            np.all(claim_independence >= 0) and np.all(claim_independence <= 1)):
        raise InputError("claim_independence must be one number in [0, 1] per claim")
    return claim_independence


def segment_sum(x: np.ndarray, segment: np.ndarray, n_segments: int) -> np.ndarray:
    """Sum of ``x`` within each segment (``segment`` gives each entry's segment code)."""
    return np.bincount(segment, weights=x, minlength=n_segments).astype(np.float64, copy=False)


def segment_max(x: np.ndarray, segment: np.ndarray, n_segments: int) -> np.ndarray:
    """Maximum of ``x`` within each segment (-inf for an empty segment)."""
    out = np.full(n_segments, -np.inf)
    np.maximum.at(out, segment, x)
    return out


def segment_normalize(x: np.ndarray, segment: np.ndarray, n_segments: int) -> np.ndarray:
    """``x`` divided by its segment's sum; a segment summing to zero becomes uniform."""
    total = segment_sum(x, segment, n_segments)[segment]
    size = np.bincount(segment, minlength=n_segments)[segment]
    return np.where(total > 0, x / np.where(total > 0, total, 1.0), 1.0 / size)


def segment_softmax(x: np.ndarray, segment: np.ndarray, n_segments: int,
                    extra: np.ndarray | float = 0.0) -> np.ndarray:
    """``exp(x)`` normalised within each segment, stably (the segment's maximum is taken out).

    ``extra`` adds ``extra[segment]`` terms of ``exp(0)`` to each segment's denominator: values
    that are possible but unobserved (Accu's false values nobody claimed).
    """
    top = np.maximum(segment_max(x, segment, n_segments), 0.0 if np.any(extra) else -np.inf)
    e = np.exp(x - top[segment])
    denominator = segment_sum(e, segment, n_segments) + extra * np.exp(-top)
    return e / denominator[segment]


def segment_argmax(x: np.ndarray, segment: np.ndarray, n_segments: int) -> np.ndarray:
    """The index of each segment's largest ``x``; ties go to the lowest index, -1 if empty.

    Entries within a relative 1e-9 of the maximum count as tied, so that scores that differ
    only by floating-point rounding do not decide the winner.
    """
    top = segment_max(x, segment, n_segments)[segment]
    tied = x >= top - 1e-9 * np.abs(top) - 1e-12
    out = np.full(n_segments, np.iinfo(np.int64).max)
    index = np.flatnonzero(tied)
    np.minimum.at(out, segment[index], index)
    out[out == np.iinfo(np.int64).max] = -1
    return out


class TruthEstimator:
    """Base of the estimators: ``fit`` sets ``trust_``, ``beliefs_``, ``confidence_``,
    ``n_iter_`` and ``winners_``; ``fit_predict`` returns ``winners_`` (a candidate code per slot).
    """

    #: The registry name.
    name: ClassVar[str] = ""

    def __init__(self, n_iter: int = 100, tol: float | None = 1e-6):
        self.n_iter = n_iter
        self.tol = tol

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not k.endswith("_"))
        return f"{type(self).__name__}({params})"

    def fit(self, data: TruthProblem | pd.DataFrame, **fit_params) -> TruthEstimator:
        """Estimate source trust and candidate beliefs; returns ``self``."""
        problem = as_problem(data)
        trust, beliefs, n_iter = self._fit(problem, **fit_params)
        self.trust_ = pd.Series(trust, index=pd.Index(problem.source_names, name="source"),
                                name="trust")
        self.beliefs_ = beliefs
        self.confidence_ = self._confidence(problem, trust, beliefs)
        self.n_iter_ = n_iter
        self.winners_ = segment_argmax(beliefs, problem.value_slot, problem.n_slots)
        return self

    def fit_predict(self, data: TruthProblem | pd.DataFrame, **fit_params) -> np.ndarray:
        """The winning candidate code of each slot (ties: the lowest code)."""
        return self.fit(data, **fit_params).winners_

    def _fit(self, problem: TruthProblem) -> tuple[np.ndarray, np.ndarray, int]:
        """``(trust, beliefs, n_iter)`` for ``problem``."""
        raise NotImplementedError

    def _confidence(self, problem: TruthProblem, trust: np.ndarray, beliefs: np.ndarray) -> np.ndarray:
        """``confidence_``: by default the beliefs divided by their slot's sum."""
        return segment_normalize(beliefs, problem.value_slot, problem.n_slots)


class IterativeEstimator(TruthEstimator):
    """An estimator that alternates trust and belief updates until trust stops changing."""

    def _iterate(self, step: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]],
                 trust: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
        """Apply ``step`` (trust -> (new trust, beliefs)) until :meth:`_change` of trust is below
        ``tol``, at most ``n_iter`` times; warns :class:`ConvergenceWarning` if it never is.
        ``tol=None`` runs exactly ``n_iter`` iterations (for methods defined that way) without a
        warning.  Returns (trust, beliefs of the last step, iterations)."""
        for iteration in range(1, self.n_iter + 1):
            new, beliefs = step(trust)
            converged = self.tol is not None and self._change(trust, new) < self.tol
            trust = new
            if converged:
                return trust, beliefs, iteration
        if self.tol is not None:
            warnings.warn(f"{type(self).__name__} did not converge in {self.n_iter} iterations "
                          f"(tol={self.tol}); raise n_iter or tol", ConvergenceWarning, stacklevel=4)
        return trust, beliefs, self.n_iter

    @staticmethod
    def _change(old: np.ndarray, new: np.ndarray) -> float:
        """How much trust changed in one iteration: the largest absolute difference."""
        return float(np.max(np.abs(new - old), initial=0.0))
