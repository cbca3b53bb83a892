"""M-MSR (Ma & Olshevsky, NeurIPS 2020): source skills by robust rank-one matrix completion."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.linalg import eigh
from scipy.sparse.linalg import eigsh

from .base import segment_softmax
from .labels import PosteriorEstimator, label_space
from .problem import TruthProblem

__all__ = ["MMSR"]

#: Above this many nodes the sign graph's eigenvector is found by ARPACK (Lanczos), below it densely.
_DENSE_EIGEN = 200


def _trimmed_means(x: np.ndarray, observed: np.ndarray, current: np.ndarray, trim: int,
                   n_tasks: int) -> np.ndarray:
    """Per column ``j`` of ``x``, the mean of its ``observed`` entries after M-MSR's trimming
    around ``current[j]``: the ``trim`` smallest are dropped if at least ``trim`` lie below
    ``current[j]`` (else all below it), then likewise the largest above it; a column left
    empty keeps ``current[j]``, one left with a single 0 becomes ``1 / sqrt(n_tasks)``."""
    n = observed.sum(axis=0)
    ordered = np.sort(np.where(observed, x, np.inf), axis=0)
    cumulative = np.vstack([np.zeros(x.shape[1]), np.cumsum(np.where(np.isfinite(ordered), ordered, 0.0),
                                                            axis=0)])
    below = np.sum(observed & (x < current), axis=0)
    above = np.sum(observed & (x > current), axis=0)
    if trim < 0:  # crowd-kit's trimming with F = -1: the largest entry alone
        low, high = np.maximum(n - 1, 0), n
    else:
        low = np.where(below < trim, below, trim)
        high = np.where(np.minimum(above, n - low) < trim, n - above, n - trim)
    high = np.maximum(high, low)
    count = high - low
    columns = np.arange(x.shape[1])
    total = cumulative[high, columns] - cumulative[low, columns]
    mean = np.divide(total, count, out=current.astype(np.float64).copy(), where=count > 0)
    return np.where((count == 1) & (total == 0), 1.0 / np.sqrt(n_tasks), mean)


def _signs(covariance: np.ndarray) -> np.ndarray:
    """M-MSR's sign determination: +1 or -1 per source (0 for one without a correlated peer),
    from the eigenvector of the smallest eigenvalue of the random walk on the sign graph, in
    which a negative pair is an edge and a positive pair a path through a node of its own."""
    n = len(covariance)
    sign = np.sign(covariance)
    valid = np.flatnonzero(covariance.sum(axis=1) != 0)
    signs = np.zeros(n)
    if len(valid) == 0:
        return signs
    s = sign[np.ix_(valid, valid)]
    k = len(valid)
    i, j = np.nonzero(np.triu(s == 1))
    m = len(i)
    negative = sp.csr_matrix(np.abs(np.where(s == 1, 0.0, s)))
    incidence = sp.csr_matrix((np.ones(2 * m), (np.r_[np.arange(m), np.arange(m)], np.r_[i, j])),
                              shape=(m, k))
    adjacency = sp.bmat([[negative, incidence.T], [incidence, None]], format="csr")
    degree = np.asarray(adjacency.sum(axis=1)).ravel()
    scale = sp.diags(1.0 / np.sqrt(np.maximum(degree, np.finfo(float).tiny)))
    normalized = scale @ adjacency @ scale
    if normalized.shape[0] <= _DENSE_EIGEN:
        vector = eigh(normalized.toarray(), subset_by_index=[0, 0])[1][:, 0]
    else:
        vector = eigsh(normalized, k=1, which="SA", v0=np.ones(normalized.shape[0]))[1][:, 0]
    side = np.sign(vector[:k])
    signs[valid] = np.sign(side.sum()) * side if side.sum() != 0 else side
    return signs


class MMSR(PosteriorEstimator):
    """M-MSR (Ma & Olshevsky, "Adversarial crowdsourcing through robust rank-one matrix
    completion", NeurIPS 2020; crowd-kit's ``MMSR``).  With ``M`` labels and a source of skill
    ``s`` saying the truth with probability ``(M - 1) s / M + 1 / M``, the agreement of two
    sources on their common slots gives ``C = (M agree - 1) / (M - 1)`` with ``E[C] = s s'``;
    the skills' magnitudes are the rank-one completion of ``|C|`` by the mean-subsequence-
    reduced iteration (alternating trimmed means that drop the ``F`` largest and smallest
    entries, ``F`` half the fewest peers of any source, minus one), their signs
    the spectral 2-colouring of the sign graph of ``C``.  A source's weight is ``log((M - 1)
    p / (1 - p))``, ``p`` its probability of being right, and the answer the candidate with the
    highest weighted vote (crowd-kit divides a task's scores by their total first, so where
    negative weights make that total negative its answer is the lowest score: on such tasks
    the two differ, with equal skills).
    The start is crowd-kit's (uniform, ``random_state``); it stops when ``u v^T`` moves less
    than ``tol`` (Frobenius) or after ``n_iter`` iterations.

    ``M`` is the number of labels of a closed domain
    (:func:`~reconcile.trust.labels.label_space`), in an open one the mean number of
    candidates per slot.  ``trust_`` is the weight; ``beliefs_`` = ``confidence_`` the
    posterior those weights give (the softmax of each slot's weighted votes, an unclaimed
    label of a closed domain counting ``exp(0)``).  Claim weights weigh agreements and votes.

    Four sources that each miss one slot in five, and one that always says "no":

    >>> import pandas as pd
    >>> rows = [(s, "t%d" % t, "no" if (t + i) % 5 == 0 else "yes") for i, s in enumerate("abcd") for t in range(10)]
    >>> rows += [("e", "t%d" % t, "no") for t in range(10)]
    >>> problem = TruthProblem.from_claims(pd.DataFrame(rows, columns=["source", "slot", "value"]))
    >>> model = MMSR().fit(problem)
    >>> sorted(set(problem.value_labels[model.winners_])), model.trust_.round(2).tolist()
    (['yes'], [0.96, 0.96, 0.96, 0.96, -1.67])
    """

    name = "mmsr"

    def __init__(self, n_iter: int = 10000, tol: float = 1e-10, random_state: int = 0,
                 max_labels: int = 64):
        super().__init__(n_iter=n_iter, tol=tol)
        self.random_state = random_state
        self.max_labels = max_labels

    def _fit(self, problem: TruthProblem) -> tuple[np.ndarray, np.ndarray, int]:
        space = label_space(problem, self.max_labels)
        m, n, n_tasks = space.n_labels, problem.n_sources, max(problem.n_slots, 1)
        said = problem.claims_matrix
        answered = sp.csr_matrix((problem.claim_weight, (problem.claim_source, problem.claim_slot)),
                                 shape=(n, problem.n_slots))
        common = (answered @ answered.T).toarray()
        np.fill_diagonal(common, 0.0)
        agree = (said @ said.T).toarray()
        observed = common > 0
        # as crowd-kit: a pair without a common slot, and a source with itself, counts as no
        # agreement (-1 / (M - 1)) in the sign graph; the completion reads only observed pairs
        rate = np.divide(agree, common, out=np.zeros_like(agree), where=observed)
        covariance = (m * rate - 1) / (m - 1)
        peers = observed.sum(axis=0)
        trim = int(np.floor(peers.min() / 2)) - 1 if n else 0
        magnitude = np.abs(covariance)
        start = np.random.RandomState(self.random_state).uniform(size=n)

        def step(uv: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            u = uv[:n]
            v = _trimmed_means(magnitude / u[:, None], observed, uv[n:], trim, n_tasks)
            u = _trimmed_means(magnitude / v[:, None], observed, u, trim, n_tasks)
            # u v^T is what the iteration estimates; equal norms keep the two from drifting
            # apart in scale (and overflowing) without changing it
            balance = np.sqrt(np.linalg.norm(v) / np.linalg.norm(u)) if np.all(u) and np.all(v) else 1.0
            return np.concatenate([u * balance, v / balance]), np.zeros(0)

        with np.errstate(divide="ignore", invalid="ignore"):
            uv, _, n_iter = self._iterate(step, np.concatenate([start, start]))
        u, v = uv[:n], uv[n:]
        scale = np.sqrt(np.linalg.norm(u) / np.linalg.norm(v)) if n and np.linalg.norm(v) > 0 else 1.0
        skill = _signs(covariance) * u / scale
        skill = np.maximum(np.minimum(skill, 1 - 1 / np.sqrt(n_tasks)), -1 / (m - 1) + 1 / np.sqrt(n_tasks))
        right = skill * (m - 1) / m + 1 / m
        weight = np.log(right * (m - 1) / (1 - right))
        votes = problem.values_matrix @ weight
        unclaimed = (space.slot_k - problem.slot_size) if space.closed else 0.0
        return weight, segment_softmax(votes, problem.value_slot, problem.n_slots, unclaimed), n_iter

    def _change(self, old: np.ndarray, new: np.ndarray) -> float:
        """How far ``u v^T`` moved (Frobenius norm), ``u`` and ``v`` stacked in one array."""
        half = len(old) // 2
        return float(np.linalg.norm(np.outer(new[:half], new[half:]) - np.outer(old[:half], old[half:])))
