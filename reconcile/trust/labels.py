"""The label space of the crowd-kit classification models, and the E-step they share.

Those models (one-coin Dawid-Skene, GLAD, MACE, Wawa, ZeroBasedSkill, M-MSR) read answers from
one set of labels shared by all tasks.  Our problem has candidates per slot; a candidate's
``value_labels`` entry (the engine's "kind:value key", or the raw value of a plain table)
says which answers are the same across slots.  :func:`label_space` maps the candidates onto
a *closed* domain when the labels are few and recur across slots, and otherwise leaves each
slot its own candidates (an *open* domain), for which every model defines its per-slot
generalisation: ``K``, the number of labels, becomes the slot's number of candidates.

:func:`slot_posterior` is the E-step of the models in which an answer's probability depends
only on whether it equals the truth: for each claim, the log-probability of its answer when
the truth is that answer (``log_right``) and when the truth is any other label
(``log_wrong``).  Every label nobody claimed in a slot then has the same likelihood, so the
posterior needs one number per candidate and one per slot (the unclaimed labels together),
never a slot x label matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .base import IterativeEstimator, segment_max, segment_sum
from .problem import TruthProblem

__all__ = ["LabelSpace", "PosteriorEstimator", "label_space", "slot_posterior"]


class PosteriorEstimator(IterativeEstimator):
    """An estimator whose ``beliefs_`` are each candidate's posterior over all the labels of
    a closed domain: ``confidence_`` is that posterior as it is, so a label nobody claimed
    keeps its share and a slot's confidences may sum to less than 1."""

    def _confidence(self, problem: TruthProblem, trust: np.ndarray, beliefs: np.ndarray) -> np.ndarray:
        return beliefs


@dataclass(frozen=True)
class LabelSpace:
    """Candidates on labels: ``value_label`` (a label code per candidate) and ``labels`` (their
    names) in a closed domain, both ``None`` in an open one.  ``slot_k`` is, per slot, the
    number ``K`` of labels an answer could take: the domain's size, or the slot's candidates."""

    value_label: np.ndarray | None
    labels: np.ndarray | None
    slot_k: np.ndarray

    @property
    def closed(self) -> bool:
        return self.value_label is not None

    @property
    def n_labels(self) -> int:
        """Labels in a closed domain; in an open one the mean candidates per slot (at least 2),
        for the models whose ``K`` is one number."""
        if self.closed:
            return len(self.labels)
        return max(2, int(round(float(np.mean(self.slot_k))))) if len(self.slot_k) else 2

    def claimed_prior(self, prior: np.ndarray, value_slot: np.ndarray, n_slots: int) -> np.ndarray:
        """Per slot, the prior mass of the labels nobody claimed there (0 in an open domain)."""
        if not self.closed:
            return np.zeros(n_slots)
        return np.clip(1.0 - segment_sum(prior[self.value_label], value_slot, n_slots), 0.0, 1.0)

    def mean_posterior(self, candidate: np.ndarray, rest: np.ndarray, prior: np.ndarray,
                       value_slot: np.ndarray, n_slots: int) -> np.ndarray:
        """The new label prior of a closed domain: the mean over slots of the posterior of each
        label, an unclaimed label taking its prior's share of its slot's ``rest``."""
        unclaimed = self.claimed_prior(prior, value_slot, n_slots)
        share = np.divide(rest, unclaimed, out=np.zeros(n_slots), where=unclaimed > 0)
        n_labels = len(self.labels)
        claimed_share = np.bincount(self.value_label, share[value_slot], minlength=n_labels)
        return (np.bincount(self.value_label, candidate, minlength=n_labels)
                + prior * (share.sum() - claimed_share)) / max(n_slots, 1)


def label_space(problem: TruthProblem, max_labels: int = 64) -> LabelSpace:
    """The closed domain of ``problem``'s labels when there is one, else the open one.

    Closed: ``value_labels`` given, 2 to ``max_labels`` distinct labels (compared as text),
    at least twice as many slots as labels (labels recur across slots), and no slot with two
    candidates of one label.  A mixed table of free text, names and figures has many labels,
    most in one slot each, and stays open.
    """
    slot_size = problem.slot_size
    if problem.value_labels is not None and problem.n_values:
        codes, labels = pd.factorize(pd.Series(problem.value_labels, dtype=object).astype(str), sort=True)
        n_labels = len(labels)
        if 2 <= n_labels <= max_labels and problem.n_slots >= 2 * n_labels:
            pairs = problem.value_slot.astype(np.int64) * n_labels + codes
            if len(np.unique(pairs)) == problem.n_values:
                return LabelSpace(codes.astype(np.int64), np.asarray(labels, dtype=object),
                                  np.full(problem.n_slots, n_labels))
    return LabelSpace(None, None, slot_size)


def slot_posterior(problem: TruthProblem, space: LabelSpace, log_right: np.ndarray,
                   log_wrong: np.ndarray, log_prior: np.ndarray | None = None,
                   unclaimed_prior: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The posterior of each candidate being its slot's truth, and of the unclaimed labels.

    A candidate's log-score is its label's ``log_prior`` (``None``: uniform) plus, over the
    slot's claims (each times its weight), ``log_right`` for the claims of that candidate and
    ``log_wrong`` for the others; an unclaimed label scores ``log_wrong`` for every claim, so
    they count together with their prior mass ``unclaimed_prior`` per slot (``None``: none,
    as in an open domain).  Returns ``(per candidate, per slot, log evidence)``: the posteriors
    of the candidates and of the unclaimed labels, summing to 1 in each slot, and per slot the
    log of the claims' marginal likelihood (the sum of prior times likelihood over the labels).
    """
    weight = problem.claim_weight
    slot, n_slots = problem.value_slot, problem.n_slots
    base = segment_sum(weight * log_wrong, problem.claim_slot, n_slots)
    score = base[slot] + np.bincount(problem.claim_value, weight * (log_right - log_wrong),
                                     minlength=problem.n_values)
    if log_prior is not None:
        score = score + log_prior
    with np.errstate(divide="ignore"):
        rest = (np.full(n_slots, -np.inf) if unclaimed_prior is None
                else base + np.log(unclaimed_prior))
    top = np.maximum(segment_max(score, slot, n_slots), rest)
    top = np.where(np.isfinite(top), top, 0.0)
    candidate, rest = np.exp(score - top[slot]), np.exp(rest - top)
    total = segment_sum(candidate, slot, n_slots) + rest
    with np.errstate(divide="ignore"):
        log_evidence = top + np.log(total)
    return candidate / total[slot], rest / total, log_evidence
