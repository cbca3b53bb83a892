"""CRH, conflict resolution on heterogeneous data (Li et al., SIGMOD 2014)."""

from __future__ import annotations

import numpy as np

from .base import IterativeEstimator, segment_argmax, segment_normalize, segment_sum
from .problem import TruthProblem

__all__ = ["CRH"]


def _slot_cumsum(x: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Running sums of ``x`` (sorted by slot) restarting at every slot (``start``: the index
    where each entry's slot begins)."""
    total = np.cumsum(x)
    return total - (total - x)[start]


class CRH(IterativeEstimator):
    """CRH (Li, Li, Gao, Su, Zhao, Fan & Han, "Resolving conflicts in heterogeneous data by
    truth discovery and source reliability estimation", SIGMOD 2014): the truths minimise the
    weighted loss of the claims, ``sum_s w_s loss(claim_s, truth)``, and the weights are
    ``w_s = -log(loss_s / sum_s' loss_s')``.  The loss is 0-1 on categorical slots and the
    absolute difference divided by the slot's standard deviation on numeric slots (all of whose
    candidates have a ``value_numeric``), where the truth is the weighted median.  ``loss_s``
    sums the (claim-weighted) losses of the source's claims, as in the paper, plus one
    pseudo-claim of the average loss, so that a source without a wrong claim gets a large but
    finite weight.  The first truths are the unweighted ones.  ``beliefs_`` is minus the weighted
    loss of each candidate as the truth; ``confidence_`` is each candidate's share of the
    slot's source weight (``sum w_s`` over its claims).

    >>> import pandas as pd
    >>> CRH().fit_predict(pd.DataFrame({"source": ["a", "b", "c"], "slot": "x",
    ...                                 "value": ["p", "p", "q"]})).tolist()
    [0]
    """

    name = "crh"

    def _fit(self, problem: TruthProblem) -> tuple[np.ndarray, np.ndarray, int]:
        slot, n_slots = problem.value_slot, problem.n_slots
        numeric_value = (np.full(problem.n_values, np.nan) if problem.value_numeric is None
                         else problem.value_numeric)
        finite = np.isfinite(numeric_value)
        numeric_slot = np.bincount(slot, ~finite, minlength=n_slots) == 0
        is_numeric = numeric_slot[slot]
        x = np.where(is_numeric, numeric_value, 0.0)
        # the claims' spread per numeric slot (1 where there is none)
        cx = x[problem.claim_value]
        n = np.bincount(problem.claim_slot, minlength=n_slots)
        mean = segment_sum(cx, problem.claim_slot, n_slots) / np.maximum(n, 1)
        var = segment_sum((cx - mean[problem.claim_slot]) ** 2, problem.claim_slot, n_slots) / np.maximum(n, 1)
        std = np.where(var > 0, np.sqrt(var), 1.0)
        x = x / std[slot]
        # candidates sorted by (slot, value) for the weighted absolute deviations
        order = np.lexsort((x, slot))
        sorted_slot, sorted_x = slot[order], x[order]
        start = np.searchsorted(sorted_slot, sorted_slot)
        w = problem.claim_weight

        def candidate_loss(support: np.ndarray) -> np.ndarray:
            """The weighted loss of each candidate as its slot's truth."""
            total = segment_sum(support, slot, n_slots)[slot]
            s = support[order]
            below, below_x = _slot_cumsum(s, start), _slot_cumsum(s * sorted_x, start)
            spread = np.empty(problem.n_values)
            spread[order] = sorted_x * (2 * below - total[order]) + (
                segment_sum(s * sorted_x, sorted_slot, n_slots)[sorted_slot] - 2 * below_x)
            return np.where(is_numeric, spread, total - support)

        def step(weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            beliefs = -candidate_loss(problem.values_matrix @ weight)
            truth = segment_argmax(beliefs, slot, n_slots)[problem.claim_slot]
            loss = np.where(is_numeric[problem.claim_value], np.abs(x[problem.claim_value] - x[truth]),
                            problem.claim_value != truth)
            source_loss = segment_sum(w * loss, problem.claim_source, problem.n_sources)
            source_loss += source_loss.sum() / max(w.sum(), np.finfo(float).tiny) + np.finfo(float).tiny
            return -np.log(source_loss / source_loss.sum()), beliefs

        return self._iterate(step, np.ones(problem.n_sources))

    def _confidence(self, problem: TruthProblem, trust: np.ndarray, beliefs: np.ndarray) -> np.ndarray:
        """Each candidate's share of its slot's source weight."""
        return segment_normalize(problem.values_matrix @ trust, problem.value_slot, problem.n_slots)
