"""ACCU-COPY (Dong, Berti-Equille & Srivastava, VLDB 2009): Accu with copy detection."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.special import logsumexp

from ..arrays import unique_inverse
from .accu import Accu
from .problem import TruthProblem

__all__ = ["AccuCopy", "copy_probability", "duplicate_independence"]


def copy_probability(same_true: np.ndarray, same_false: np.ndarray, different: np.ndarray,
                     accuracy_1: np.ndarray, accuracy_2: np.ndarray, *, n_false: float | np.ndarray,
                     copy_rate: float, prior: float) -> np.ndarray:
    """Posterior probability that two sources are dependent (one copies the other), from the
    (soft) numbers of shared slots where they give the same true value, the same false value,
    and different values (Dong, Berti-Equille & Srivastava, VLDB 2009, Section 3).

    Independent: same true ``A1 A2``, same false ``(1-A1)(1-A2)/n``, different the rest.  S1
    copies S2 with probability ``c`` per item: same true ``A2 c + A1 A2 (1-c)``, same false
    ``(1-A2) c + (1-A1)(1-A2)/n (1-c)``, different ``(1-c)`` times the independent one.  Prior
    ``alpha`` for each direction.  Sharing false values is the strong evidence; sharing true
    values is weak; every disagreement is evidence of independence.

    >>> round(float(copy_probability(np.array(0.), np.array(5.), np.array(0.), np.array(.8),
    ...                              np.array(.8), n_false=10, copy_rate=.8, prior=.1)), 3)
    1.0
    >>> round(float(copy_probability(np.array(20.), np.array(0.), np.array(4.), np.array(.8),
    ...                              np.array(.8), n_false=10, copy_rate=.8, prior=.1)), 3)
    0.015
    """
    a1, a2, c = accuracy_1, accuracy_2, copy_rate
    p_true, p_false = a1 * a2, (1 - a1) * (1 - a2) / n_false
    p_diff = np.maximum(1.0 - p_true - p_false, 1e-12)
    independent = np.log(1 - 2 * prior) + same_true * np.log(p_true) + same_false * np.log(p_false) \
        + different * np.log(p_diff)
    log_diff = different * (np.log(p_diff) + np.log(1 - c))

    def copies(original: np.ndarray, copier: np.ndarray) -> np.ndarray:
        return (np.log(prior) + same_true * np.log(original * c + p_true * (1 - c))
                + same_false * np.log((1 - original) * c + p_false * (1 - c)) + log_diff)

    forward, backward = copies(a2, a1), copies(a1, a2)
    dependent = np.logaddexp(forward, backward)
    return np.exp(dependent - logsumexp(np.stack([dependent, independent]), axis=0))


def duplicate_independence(problem: TruthProblem, accuracy: np.ndarray, *, copy_rate: float = 0.8,
                           min_claims: int = 2) -> np.ndarray:
    """Per claim, its independence when sources whose claims are identical (the same
    candidates, at least ``min_claims`` of them) are taken to copy each other, ``P(dep) = 1``:
    in each such group, ordered by decreasing ``accuracy`` (then code), the ``i``-th source's
    claims count ``(1 - copy_rate) ** i``; every other claim counts 1."""
    counts = np.bincount(problem.claim_source, minlength=problem.n_sources)
    order = np.lexsort((problem.claim_value, problem.claim_source))
    rows = [tuple(x) for x in np.split(problem.claim_value[order], np.cumsum(counts)[:-1])]
    group = pd.factorize(pd.Series(rows, dtype=object))[0]
    group = np.where(counts >= min_claims, group, -1 - np.arange(problem.n_sources))
    rank = np.lexsort((np.arange(problem.n_sources), -accuracy, group))
    position = np.empty(problem.n_sources, dtype=np.int64)
    sorted_group = group[rank]
    position[rank] = np.arange(problem.n_sources) - np.searchsorted(sorted_group, sorted_group)
    return ((1.0 - copy_rate) ** position)[problem.claim_source]


class AccuCopy(Accu):
    """ACCU-COPY (Dong, Berti-Equille & Srivastava, "Integrating conflicting data: the role of
    source dependence", VLDB 2009): :class:`Accu` whose votes are discounted for copying.

    At every iteration, for each pair of sources that share slots, the (belief-weighted)
    numbers of shared true values, shared false values and disagreements give the probability
    that they are dependent (:func:`copy_probability`; prior ``alpha`` per direction, copy rate
    ``copy_rate``).  A value's providers are taken in order of decreasing accuracy, and a
    provider's vote counts ``prod (1 - c P(dep(s, s')))`` over the providers before it (the
    paper's approximation of the independent vote count), so a crowd of copiers of one source
    adds little more than that source.  Pair statistics are sparse source x candidate
    products, never loops over pairs.  ``n_false`` in the pair model is the mean number of
    false values per slot; pairs whose dependence is below ``min_dependence`` count as
    independent.  ``dependence_`` holds the last pair probabilities.

    When the problem's candidates are labels of one closed domain of at most ``max_classes``
    labels (``value_labels`` given, no numbers: yes/no questions, binary crowd labels), each
    source has one accuracy per true class, as in Dawid & Skene (1979), shrunk towards its
    overall accuracy by ``class_strength`` pseudo-claims, and the classes a prior
    (:meth:`_beliefs`); ``class_accuracy_`` (sources x labels) and ``class_prior_`` hold them
    (``None`` otherwise), and the copy model's ``n`` is the number of other labels.

    >>> import pandas as pd
    >>> rows = [("good%d" % i, "x", "t") for i in range(3)] + [("copy%d" % i, "x", "f") for i in range(100)]
    >>> rows += [("good%d" % i, "y%d" % k, "t" if (k + i) % 7 else "e%d" % i) for i in range(3) for k in range(30)]
    >>> rows += [("copy%d" % i, "y%d" % k, "f") for i in range(100) for k in range(3)]
    >>> rows += [("good%d" % i, "y%d" % k, "t") for i in range(3) for k in range(3)]
    >>> p = TruthProblem.from_claims(pd.DataFrame(rows, columns=["source", "slot", "value"]))
    >>> model = AccuCopy().fit(p)
    >>> p.value_labels[model.winners_[list(p.slot_labels["slot"]).index("x")]]
    't'
    """

    name = "accu_copy"

    def __init__(self, n_iter: int = 100, tol: float = 1e-6, rho: float = 0.0,
                 initial_accuracy: float = 0.8, n_false: int | None = None, prior_strength: float = 2.0,
                 alpha: float = 0.05, copy_rate: float = 0.8, min_dependence: float = 1e-3,
                 copy_n_false: float = 100.0, min_duplicate_claims: int = 2, min_false: int = 0,
                 max_classes: int = 2, class_strength: float = 2.0, equivalent_credit: bool = True):
        super().__init__(n_iter=n_iter, tol=tol, rho=rho, initial_accuracy=initial_accuracy,
                         n_false=n_false, prior_strength=prior_strength, min_false=min_false,
                         equivalent_credit=equivalent_credit)
        self.alpha = alpha
        self.copy_rate = copy_rate
        self.min_dependence = min_dependence
        self.copy_n_false = copy_n_false
        self.min_duplicate_claims = min_duplicate_claims
        self.max_classes = max_classes
        self.class_strength = class_strength

    def _fit(self, problem: TruthProblem, claim_independence: np.ndarray | None = None
             ) -> tuple[np.ndarray, np.ndarray, int]:
        self._classes = self._class_codes(problem)
        self._slot_classes = self._pair_n_false = None
        self.class_accuracy_ = self.class_prior_ = None
        return super()._fit(problem, claim_independence)

    def _class_codes(self, problem: TruthProblem) -> np.ndarray | None:
        """Per candidate, its class code when every candidate is a label of one closed domain
        of 2 to ``max_classes`` labels (``value_labels`` given, no number among them: yes/no
        questions, crowd labels); else ``None`` (one accuracy per source)."""
        if problem.value_labels is None or problem.n_values == 0 or (
                problem.value_numeric is not None and not np.all(np.isnan(problem.value_numeric))):
            return None
        codes, labels = problem.label_classes
        if not 2 <= len(labels) <= self.max_classes:
            return None
        self._class_labels = labels
        return codes

    def _beliefs(self, problem: TruthProblem, accuracy: np.ndarray,
                 independence: np.ndarray | None) -> np.ndarray:
        """Without a closed label domain, Accu's beliefs.  With one (:meth:`_class_codes`), the
        class-conditional refinement of Dawid & Skene ("Maximum likelihood estimation of
        observer error-rates using the EM algorithm", 1979): each source has an accuracy per true
        class, ``A(s, k)``, the share of the slots whose truth is ``k`` where it says ``k``
        (from the previous iteration's posteriors, with ``class_strength`` pseudo-claims at its
        overall accuracy, so a source seen on few slots of a class keeps its one accuracy), its
        errors spread evenly over the other labels; the classes have a prior, the mean
        posterior (plus one pseudo-slot each).  A slot's posterior over all the labels, claimed
        or not, is ``prior(k) prod_s P(s says l | k)`` to the power of each claim's weight and
        independence; a candidate's belief is its label's posterior.  A source that says "no"
        whatever the truth is read as such, which one accuracy per source cannot express."""
        codes = self._classes
        if codes is None:
            return super()._beliefs(problem, accuracy, independence)
        n_classes = len(self._class_labels)
        claim_class, claim_slot = codes[problem.claim_value], problem.claim_slot
        said = claim_class[:, None] == np.arange(n_classes)
        if self._slot_classes is None:
            class_accuracy = np.repeat(accuracy[:, None], n_classes, axis=1)
            prior = np.full(n_classes, 1.0 / n_classes)
        else:
            posterior = self._slot_classes[claim_slot] * problem.claim_weight[:, None]
            right = np.stack([np.bincount(problem.claim_source, posterior[:, k] * said[:, k],
                                          minlength=problem.n_sources) for k in range(n_classes)], axis=1)
            seen = np.stack([np.bincount(problem.claim_source, posterior[:, k], minlength=problem.n_sources)
                             for k in range(n_classes)], axis=1)
            class_accuracy = np.clip((right + self.class_strength * accuracy[:, None])
                                     / (seen + self.class_strength), 0.01, 0.99)
            prior = (self._slot_classes.sum(axis=0) + 1.0) / (problem.n_slots + n_classes)
        chance = class_accuracy[problem.claim_source]
        log_like = np.where(said, np.log(chance), np.log((1.0 - chance) / (n_classes - 1)))
        weight = problem.claim_weight if independence is None else problem.claim_weight * independence
        log_post = np.stack([np.bincount(claim_slot, weight * log_like[:, k], minlength=problem.n_slots)
                             for k in range(n_classes)], axis=1) + np.log(prior)
        log_post -= log_post.max(axis=1, keepdims=True)
        posterior = np.exp(log_post)
        posterior /= posterior.sum(axis=1, keepdims=True)
        self._slot_classes = posterior
        self.class_accuracy_ = pd.DataFrame(class_accuracy, index=pd.Index(problem.source_names, name="source"),
                                            columns=self._class_labels)
        self.class_prior_ = pd.Series(prior, index=self._class_labels, name="prior")
        return posterior[problem.value_slot, codes]

    def _confidence(self, problem: TruthProblem, trust: np.ndarray, beliefs: np.ndarray) -> np.ndarray:
        if getattr(self, "_classes", None) is not None:
            return beliefs  # the posterior over all the labels: an unclaimed one keeps its share
        return super()._confidence(problem, trust, beliefs)

    def _independence(self, problem: TruthProblem, claim_independence: np.ndarray | None,
                      accuracy: np.ndarray, beliefs: np.ndarray | None) -> np.ndarray | None:
        base = claim_independence
        if beliefs is None:
            # before any belief exists, identical sources copy each other: without this start a
            # crowd of copiers wins the first iteration, its values look true and shared true
            # values are weak evidence of copying, so it is never found out
            independence = duplicate_independence(problem, accuracy, copy_rate=self.copy_rate,
                                                  min_claims=self.min_duplicate_claims)
            return independence if base is None else independence * base
        pairs = self._pairs(problem)
        dependence = self._pair_dependence(problem, pairs, accuracy, beliefs)
        self.dependence_ = sp.csr_matrix((dependence, (pairs.left, pairs.right)),
                                         shape=(problem.n_sources, problem.n_sources))
        # providers in order of decreasing accuracy: the later of two co-providers is discounted
        rank = np.empty(problem.n_sources, dtype=np.int64)
        rank[np.lexsort((np.arange(problem.n_sources), -accuracy))] = np.arange(problem.n_sources)
        log_keep = np.log1p(-self.copy_rate * np.where(dependence >= self.min_dependence, dependence, 0.0))
        left_later = rank[pairs.left] > rank[pairs.right]  # the left source's claims are discounted
        independence = np.exp(pairs.left_claims @ np.where(left_later, log_keep, 0.0)
                              + pairs.right_claims @ np.where(left_later, 0.0, log_keep))
        return independence if base is None else independence * base

    def _pairs(self, problem: TruthProblem) -> _Pairs:
        """The co-provisions of ``problem`` (computed once per problem)."""
        cached = getattr(self, "_pairs_cache", None)
        if cached is None or cached[0] is not problem:
            self._pairs_cache = (problem, _Pairs.of(problem))
        return self._pairs_cache[1]

    def _log_n_false(self, problem: TruthProblem) -> np.ndarray:
        """Per candidate, the log of the number of false values its slot admits: for numbers,
        whose errors are near misses, the slot's other candidates; for other values (times,
        texts, places, categories) ``copy_n_false`` (Dong et al. use 100), at least the other
        candidates; in a closed domain of labels, the other labels (one for yes/no; also for
        a domain ``problem.value_domain`` names)."""
        if getattr(self, "_classes", None) is not None:  # a closed domain of labels
            return np.full(problem.n_values, np.log(max(len(self._class_labels) - 1, 1)))
        claimed = np.maximum(problem.slot_size - 1, 1)[problem.value_slot].astype(np.float64)
        numeric = (np.zeros(problem.n_values, dtype=bool) if problem.value_numeric is None
                   else ~np.isnan(problem.value_numeric))
        labels = problem.slot_domain[problem.value_slot]
        return np.log(np.where(numeric, claimed, np.where(labels > 0, np.maximum(claimed, labels - 1),
                                                          np.maximum(claimed, self.copy_n_false))))

    def _pair_dependence(self, problem: TruthProblem, pairs: _Pairs, accuracy: np.ndarray,
                         beliefs: np.ndarray) -> np.ndarray:
        """P(dependent) for every source pair that provides a common value."""
        same_true = pairs.by_value @ np.clip(beliefs, 0.0, 1.0)
        same = pairs.same
        different = np.maximum(pairs.shared - same, 0.0)
        if self._pair_n_false is None:  # the geometric mean over the pair's common values, once per fit
            self._pair_n_false = np.exp(pairs.by_value @ self._log_n_false(problem) / np.maximum(same, 1.0))
        n_false = self._pair_n_false
        acc = np.clip(accuracy, 0.01, 0.99)
        return copy_probability(np.minimum(same_true, same), np.maximum(same - same_true, 0.0), different,
                                acc[pairs.left], acc[pairs.right], n_false=n_false,
                                copy_rate=self.copy_rate, prior=self.alpha)


@dataclass(frozen=True)
class _Pairs:
    """Every two claims of different sources on the same candidate, summed up per source pair
    (``left`` < ``right``): the number of candidates they share (``same``), of slots they both
    answer (``shared``), and as sparse incidence matrices, so that an iteration is a few sparse
    products rather than passes over the claim pairs: ``by_value`` (source pairs x candidates,
    the candidates a pair shares), ``left_claims`` and ``right_claims`` (claims x source pairs,
    the claims of the pair's left and right source on their shared candidates)."""

    left: np.ndarray
    right: np.ndarray
    same: np.ndarray
    shared: np.ndarray
    by_value: sp.csr_matrix
    left_claims: sp.csr_matrix
    right_claims: sp.csr_matrix

    @classmethod
    def of(cls, problem: TruthProblem) -> _Pairs:
        from ..score import (
            within_slot_pairs,  # score imports trust: not at module level
        )

        n = np.int64(problem.n_sources)
        by_value = np.argsort(problem.claim_value, kind="stable")
        i, j = within_slot_pairs(problem.claim_value[by_value])
        claim_1, claim_2 = by_value[i], by_value[j]
        s1, s2 = problem.claim_source[claim_1].astype(np.int64), problem.claim_source[claim_2].astype(np.int64)
        keys, co_pair = unique_inverse(np.minimum(s1, s2) * n + np.maximum(s1, s2), int(n * n))
        same = np.bincount(co_pair, minlength=len(keys)).astype(np.float64)
        # slots both sources answer: the source x slot incidence times its transpose
        claim_slot = problem.value_slot[problem.claim_value]
        answers = sp.csr_matrix((np.ones(problem.n_claims), (problem.claim_source, claim_slot)),
                                shape=(problem.n_sources, problem.n_slots))
        answers.data[:] = 1.0  # duplicates were summed: a source answers a slot once
        both = (answers @ answers.T).tocsr()
        shared = (np.asarray(both[keys // n, keys % n], dtype=np.float64).ravel() if len(keys)
                  else np.zeros(0))
        ones, n_pairs = np.ones(len(co_pair)), len(keys)
        left_claim, right_claim = np.where(s1 < s2, claim_1, claim_2), np.where(s1 < s2, claim_2, claim_1)
        return cls((keys // n).astype(np.int64), (keys % n).astype(np.int64), same, np.maximum(shared, same),
                   sp.csr_matrix((ones, (co_pair, problem.claim_value[claim_1])), shape=(n_pairs, problem.n_values)),
                   sp.csr_matrix((ones, (left_claim, co_pair)), shape=(problem.n_claims, n_pairs)),
                   sp.csr_matrix((ones, (right_claim, co_pair)), shape=(problem.n_claims, n_pairs)))
