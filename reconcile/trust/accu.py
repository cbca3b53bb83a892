"""Accu (Dong, Berti-Equille & Srivastava, VLDB 2009): Bayesian vote counts from source accuracy."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from .base import IterativeEstimator, checked_independence, segment_softmax
from .problem import TruthProblem

__all__ = ["Accu"]


class Accu(IterativeEstimator):
    """Accu (Dong, Berti-Equille & Srivastava, "Integrating conflicting data: the role of source
    dependence", VLDB 2009), without copy detection.  A source of accuracy ``A(s)`` gives each
    value it claims the vote ``ln(n A(s) / (1 - A(s)))``, ``n`` the number of false values of the
    slot (``n_false``, or by default the slot's candidate count minus one); the vote count
    ``C(v)`` sums them (times claim weight and independence), similar values support each other,
    ``C*(v) = C(v) + rho * sum_v' imp(v' -> v) C(v')`` (value similarity, Dong et al. 2009b),
    ``P(v)`` is the softmax of ``C*`` over the slot's ``n + 1`` values (unclaimed ones count
    ``exp(0)``), and ``A(s)`` the mean ``P`` of the values ``s`` claims, clipped into
    [0.01, 0.99].  Unlike the paper, that mean includes ``prior_strength`` pseudo-claims at
    ``initial_accuracy`` (a Beta prior; 0 gives the paper's estimate), so that a source seen on
    a few slots does not get an accuracy of 0.01 or 0.99 and all its claims near-certainty.
    ``beliefs_`` is ``P``; ``confidence_`` is ``P`` too, the unclaimed values keeping their
    share (so it sums to less than 1 in a slot when ``n_false`` exceeds its other candidates).
    ``min_false`` (default 0, the closed world where a slot's false values are its other
    candidates) gives every slot at least that many false values in ``confidence_``: with 1, a
    value nobody contradicts has ``P`` = its providers' combined accuracy
    (``A / (A + (1 - A))`` = ``A`` for one source) instead of 1; the fit itself is unchanged.

    ``equivalent_credit`` (off here, on in :class:`AccuCopy`, the default method): candidates
    the engine holds for the same value
    (agreement 1 both ways: one time within the parser's tolerance, an author list in another
    order), joined into classes, count as one value for the accuracy and for the number of
    false values: a source is right when its value is equivalent to the true one (``A(s)`` is
    the mean ``P`` of the *class* of each value it claims), and a slot with ``k`` classes admits
    ``k - 1`` false values.  The votes stay per candidate (pooling them double-counts near
    misses).  On the benchmarks, with copy detection: Flight 0.938 -> 0.945, Book 0.920 ->
    0.910 (one author list; still above every peer), the other six unchanged
    (docs/BENCHMARKS.md).

    ``fit(data, claim_independence=w)`` multiplies each claim's vote by ``w`` in [0, 1] (the
    probability that the source provides it independently); a copy-detecting subclass overrides
    :meth:`_independence` to re-estimate it at every iteration.

    >>> import pandas as pd
    >>> accu = Accu().fit(pd.DataFrame({"source": ["a", "b", "c"], "slot": "x",
    ...                                 "value": ["p", "p", "q"]}))
    >>> accu.trust_.round(3).tolist(), accu.confidence_.round(3).tolist()
    ([0.856, 0.856, 0.544], [0.967, 0.033])
    """

    name = "accu"

    def __init__(self, n_iter: int = 100, tol: float = 1e-6, rho: float = 0.5,
                 initial_accuracy: float = 0.8, n_false: int | None = None, prior_strength: float = 2.0,
                 min_false: int = 0, equivalent_credit: bool = False):
        super().__init__(n_iter=n_iter, tol=tol)
        self.rho = rho
        self.initial_accuracy = initial_accuracy
        self.n_false = n_false
        self.prior_strength = prior_strength
        self.min_false = min_false
        self.equivalent_credit = equivalent_credit

    def _fit(self, problem: TruthProblem, claim_independence: np.ndarray | None = None
             ) -> tuple[np.ndarray, np.ndarray, int]:
        claim_independence = checked_independence(problem, claim_independence)
        beliefs = None
        same = self._equivalents(problem)[0] if self.equivalent_credit else None

        def step(accuracy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            nonlocal beliefs
            independence = self._independence(problem, claim_independence, accuracy, beliefs)
            self.claim_independence_ = independence
            beliefs = self._beliefs(problem, accuracy, independence)
            right = beliefs if same is None else np.minimum(1.0, same @ beliefs)
            return self.accuracy(problem.claims_matrix @ right, problem.source_claim_weight), beliefs

        return self._iterate(step, np.full(problem.n_sources, self.initial_accuracy))

    def slot_beliefs(self, problem: TruthProblem, accuracy: np.ndarray,
                     independence: np.ndarray | None = None, min_false: int = 0) -> np.ndarray:
        """The map half of an iteration: ``P`` per candidate given source ``accuracy`` (indexed
        by ``problem``'s source codes) and per-claim ``independence`` (``None``: all 1), each
        slot admitting at least ``min_false`` false values.  Slots are independent of each
        other, so any split of the slots gives the same beliefs."""
        candidates = problem.slot_size
        n_false = np.maximum(self._slot_n_false(problem), min_false)
        unclaimed = np.maximum(n_false + 1 - candidates, 0)
        log_n = np.log(np.maximum(n_false, 1))[problem.value_slot]
        if independence is None:
            votes, weight = problem.values_matrix, problem.value_claim_weight
        else:
            votes = problem.values_matrix_times(independence)
            weight = np.asarray(votes.sum(axis=1)).ravel()
        # sum over a candidate's claims of weight * independence * ln(n A / (1 - A))
        count = log_n * weight + votes @ np.log(accuracy / (1.0 - accuracy))
        if problem.implication is not None:
            count = count + self.rho * (problem.implication.T @ count)
        return segment_softmax(count, problem.value_slot, problem.n_slots, unclaimed)

    def _beliefs(self, problem: TruthProblem, accuracy: np.ndarray,
                 independence: np.ndarray | None) -> np.ndarray:
        """One iteration's beliefs inside ``fit``: :meth:`slot_beliefs` (a subclass may refine)."""
        return self.slot_beliefs(problem, accuracy, independence)

    def _slot_n_false(self, problem: TruthProblem) -> np.ndarray:
        """Per slot, the number ``n`` of false values it admits: ``n_false``, or by default the
        slot's other candidates (none for a slot with one candidate), and in a closed domain of
        labels (``problem.slot_domain``) at least the domain's other labels."""
        candidates = problem.slot_size
        if self.n_false is not None:
            return np.full_like(candidates, self.n_false)
        others = self._equivalents(problem)[1] - 1 if self.equivalent_credit else candidates - 1
        return np.maximum(others, problem.slot_domain - 1)

    def _equivalents(self, problem: TruthProblem) -> tuple[sp.csr_matrix | None, np.ndarray]:
        """(``same``, classes per slot) for ``equivalent_credit``: the candidates joined by
        agreement 1 in both directions, closed into classes (connected components); ``same``
        is candidates x candidates, 1 where two candidates are in one class (the diagonal
        included), ``None`` when every class is one candidate.  Computed once per problem."""
        cached = getattr(self, "_equivalents_cache", None)
        if cached is not None and cached[0] is problem:
            return cached[1]
        same, classes = None, problem.slot_size
        if problem.implication is not None and problem.n_values:
            full = problem.implication.tocsr()
            full = (full >= 1.0 - 1e-9).multiply(full.T >= 1.0 - 1e-9)
            n_classes, klass = connected_components(full, directed=False)
            if n_classes < problem.n_values:
                member = sp.csr_matrix((np.ones(problem.n_values), (np.arange(problem.n_values), klass)),
                                       shape=(problem.n_values, n_classes))
                same = (member @ member.T).tocsr()
                class_slot = np.zeros(n_classes, dtype=np.int64)
                class_slot[klass] = problem.value_slot
                classes = np.bincount(class_slot, minlength=problem.n_slots)
        self._equivalents_cache = (problem, (same, classes))
        return same, classes

    def accuracy(self, claimed: np.ndarray, claim_weight: np.ndarray) -> np.ndarray:
        """The reduce half: each source's new accuracy from ``claimed`` (the claim-weighted sum
        of the beliefs of the candidates it claims) and its total ``claim_weight``, with the
        Beta prior, clipped into [0.01, 0.99]."""
        mean = (claimed + self.prior_strength * self.initial_accuracy) / np.maximum(
            claim_weight + self.prior_strength, np.finfo(float).tiny)
        return np.clip(mean, 0.01, 0.99)

    def _confidence(self, problem: TruthProblem, trust: np.ndarray, beliefs: np.ndarray) -> np.ndarray:
        """``confidence_``: ``P`` from the fitted accuracy ``trust`` (and the last claim
        independence) with at least ``min_false`` false values per slot, the unclaimed ones
        keeping their share: a value nobody contradicts is as likely as its providers make it,
        not certain.  Where the slot has ``min_false`` or more false values already it is
        ``beliefs`` itself.  Rounded to 12 decimals, so that it does not depend on the order of
        floating-point sums (the Dask engine reduces the accuracy over partitions)."""
        if self.min_false <= 0:
            return beliefs
        independence = getattr(self, "claim_independence_", None)
        if independence is not None and len(independence) != problem.n_claims:
            independence = None  # fitted on another problem (the Dask engine's partitions)
        return np.round(self.slot_beliefs(problem, trust, independence, self.min_false), 12)

    def _independence(self, problem: TruthProblem, claim_independence: np.ndarray | None,
                      accuracy: np.ndarray, beliefs: np.ndarray | None) -> np.ndarray | None:
        """Each claim's independence weight for this iteration (``None``: all 1), given the
        current accuracy and the previous iteration's beliefs (``None`` at first): here the fixed
        ``claim_independence`` passed to ``fit``.  The ACCU-COPY hook."""
        return claim_independence
