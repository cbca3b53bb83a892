"""The integer-coded truth-discovery problem every estimator reads.

A *slot* is one question (subject + predicate); a *candidate value* belongs to exactly one slot;
a *claim* links one source to one candidate.  Everything is a flat numpy array so that the
estimators can work with ``np.bincount`` and sparse products instead of Python loops.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import json

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..contract import InputError

__all__ = ["TruthProblem"]


def _factorize(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of ``values`` numbered in sorted order of the distinct values.

    Sorting makes the codes (and so every deterministic tie-break on codes) independent of the
    row order.  Distinct values of mixed types are sorted by (type name, text); unhashable
    values (lists, dicts) are keyed by their canonical JSON text.
    """
    try:
        codes, uniques = pd.factorize(values, sort=True, use_na_sentinel=False)
        return codes.astype(np.int32), np.asarray(uniques, dtype=object)
    except TypeError:
        pass
    try:
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
        uniques = np.asarray(uniques, dtype=object)
    except TypeError:
        keys = values.map(lambda v: json.dumps(v, sort_keys=True, default=str, ensure_ascii=False))
        codes = pd.factorize(keys)[0]
        uniques = values.to_numpy(dtype=object)[np.unique(codes, return_index=True)[1]]
    order = sorted(range(len(uniques)), key=lambda i: (type(uniques[i]).__name__, str(uniques[i])))
    rank = np.empty(len(uniques), dtype=np.int32)
    rank[order] = np.arange(len(uniques), dtype=np.int32)
    return rank[codes], uniques[order]


@dataclass(frozen=True)
class TruthProblem:
    """Claims as integer codes: which source claims which candidate, and which slot it answers.

    ``claim_weight`` is in (0, 1]: below 1 for hedged claims, or when one source makes several
    claims in one slot (they share weight 1).  ``implication`` is an optional sparse
    (n_values, n_values) matrix of agreement in [-1, 1] between candidates of the same slot
    (zero diagonal); ``None`` means exact matching only.  ``value_numeric`` is an optional point
    value per candidate (NaN where the candidate is not numeric).  ``source_names`` (default
    the codes), ``value_labels`` and ``slot_labels`` (a DataFrame, one row per slot) say what
    the codes stand for.  ``value_domain`` (optional) is per candidate the number of labels of
    the closed domain it belongs to (0: an open domain), so that an estimator counts its false
    values as the domain's other labels.  A (source, candidate) pair appears at most once.

    >>> p = TruthProblem.from_claims(pd.DataFrame({
    ...     "source": ["a", "b", "b"], "slot": ["x", "x", "y"], "value": [1, 2, 2]}))
    >>> p.n_sources, p.n_values, p.n_slots, p.value_slot.tolist()
    (2, 3, 2, [0, 0, 1])
    """

    claim_source: np.ndarray
    claim_value: np.ndarray
    value_slot: np.ndarray
    claim_weight: np.ndarray
    implication: sp.csr_matrix | None = None
    value_numeric: np.ndarray | None = None
    source_names: np.ndarray | None = None
    value_labels: np.ndarray | None = None
    slot_labels: pd.DataFrame | None = None
    value_domain: np.ndarray | None = None

    def __post_init__(self) -> None:
        n_claims = len(self.claim_source)
        if len(self.claim_value) != n_claims or len(self.claim_weight) != n_claims:
            raise InputError("claim_source, claim_value and claim_weight must have one entry per claim")
        if n_claims and not (np.all(self.claim_weight > 0) and np.all(self.claim_weight <= 1)):
            raise InputError("claim_weight must lie in (0, 1]")
        if n_claims and not (0 <= self.claim_value.min() and self.claim_value.max() < self.n_values):
            raise InputError(f"claim_value must be candidate codes in [0, {self.n_values})")
        if self.implication is not None and self.implication.shape != (self.n_values, self.n_values):
            raise InputError(f"implication must be ({self.n_values}, {self.n_values}), "
                             f"not {self.implication.shape}")
        if self.value_numeric is not None and len(self.value_numeric) != self.n_values:
            raise InputError("value_numeric must have one entry per candidate value")
        if self.value_domain is not None and len(self.value_domain) != self.n_values:
            raise InputError("value_domain must have one entry per candidate value")
        if self.source_names is None:
            n = int(self.claim_source.max()) + 1 if n_claims else 0
            object.__setattr__(self, "source_names", np.arange(n).astype(object))
        if n_claims and not (0 <= self.claim_source.min() and self.claim_source.max() < self.n_sources):
            raise InputError(f"claim_source must be source codes in [0, {self.n_sources})")

    @property
    def n_claims(self) -> int:
        return len(self.claim_source)

    @property
    def n_sources(self) -> int:
        return len(self.source_names)

    @property
    def n_values(self) -> int:
        return len(self.value_slot)

    @property
    def n_slots(self) -> int:
        return int(self.value_slot.max()) + 1 if len(self.value_slot) else 0

    @cached_property
    def claim_slot(self) -> np.ndarray:
        """The slot each claim answers."""
        return self.value_slot[self.claim_value]

    @cached_property
    def label_classes(self) -> tuple[np.ndarray, np.ndarray]:
        """``(codes, labels)``: per candidate the code of its label among the problem's distinct
        ``value_labels`` (as text, sorted; equal values in different slots share a code), and
        those labels.  Without ``value_labels``, every candidate is its own label."""
        if self.value_labels is None:
            return np.arange(self.n_values, dtype=np.int64), np.arange(self.n_values).astype(object)
        codes, labels = pd.factorize(pd.Series(self.value_labels, dtype=object).astype(str), sort=True)
        return codes.astype(np.int64), np.asarray(labels, dtype=object)

    @cached_property
    def claims_matrix(self) -> sp.csr_matrix:
        """(n_sources, n_values) sparse matrix of claim weights."""
        return sp.csr_matrix((self.claim_weight, (self.claim_source, self.claim_value)),
                             shape=(self.n_sources, self.n_values))

    @cached_property
    def _values_layout(self) -> sp.csr_matrix:
        """(n_values, n_sources) sparse matrix whose entries are claim numbers plus one."""
        return sp.csr_matrix((np.arange(1, self.n_claims + 1, dtype=np.float64),
                              (self.claim_value, self.claim_source)), shape=(self.n_values, self.n_sources))

    def values_matrix_times(self, per_claim: np.ndarray) -> sp.csr_matrix:
        """(n_values, n_sources) sparse matrix of claim weights times ``per_claim``."""
        layout = self._values_layout
        claim = layout.data.astype(np.intp) - 1
        return sp.csr_matrix(((self.claim_weight * per_claim)[claim], layout.indices, layout.indptr),
                             shape=layout.shape)

    @cached_property
    def values_matrix(self) -> sp.csr_matrix:
        """(n_values, n_sources) sparse matrix of claim weights (``claims_matrix`` transposed)."""
        return self.values_matrix_times(np.ones(self.n_claims))

    @cached_property
    def source_claim_weight(self) -> np.ndarray:
        """The total claim weight of each source (its weighted number of claims)."""
        return np.bincount(self.claim_source, self.claim_weight, minlength=self.n_sources)

    @cached_property
    def value_claim_weight(self) -> np.ndarray:
        """The total claim weight of each candidate (its weighted vote)."""
        return np.bincount(self.claim_value, self.claim_weight, minlength=self.n_values)

    def source_mean(self, per_value: np.ndarray, prior: float = 0.0, strength: float = 0.0) -> np.ndarray:
        """For each source, the claim-weighted mean of ``per_value`` over its claims, with
        ``strength`` pseudo-claims at ``prior`` (0 for a source without claims or prior)."""
        return (self.claims_matrix @ per_value + strength * prior) / np.maximum(
            self.source_claim_weight + strength, np.finfo(float).tiny)

    @cached_property
    def slot_size(self) -> np.ndarray:
        """The number of candidate values of each slot."""
        return np.bincount(self.value_slot, minlength=self.n_slots)

    @cached_property
    def slot_domain(self) -> np.ndarray:
        """Per slot, the number of labels of the closed domain of its candidates (0: open;
        see ``value_domain``)."""
        domain = np.zeros(self.n_slots, dtype=np.int64)
        if self.value_domain is not None:
            np.maximum.at(domain, self.value_slot, np.asarray(self.value_domain, dtype=np.int64))
        return domain

    @classmethod
    def from_claims(cls, claims: pd.DataFrame) -> TruthProblem:
        """Factorise a plain table with columns ``source``, ``value`` and either ``slot`` or
        ``subject`` + ``predicate`` (optional ``weight``, default 1): exact values, no parsing.

        A repeated (source, slot, value) row counts once, with its largest weight; a source that
        claims several candidates of one slot spreads at most weight 1 over them (each weight is
        divided by the source's total weight in the slot when that exceeds 1).  Codes are
        numbered in sorted order of sources, slots and values, so row order does not matter.
        """
        slot_columns = ["slot"] if "slot" in claims.columns else ["subject", "predicate"]
        missing = [c for c in ["source", "value", *slot_columns] if c not in claims.columns]
        if missing:
            raise InputError(f"claims lack the column(s) {', '.join(missing)}; need source, value "
                             "and either slot or subject + predicate")
        source, source_names = _factorize(claims["source"].reset_index(drop=True))
        if len(slot_columns) == 1:
            slot, slot_keys = _factorize(claims["slot"].reset_index(drop=True))
            slot_labels = pd.DataFrame({"slot": slot_keys})
        else:
            subject, subjects = _factorize(claims["subject"].reset_index(drop=True))
            predicate, predicates = _factorize(claims["predicate"].reset_index(drop=True))
            slot, slot_keys = _factorize(pd.Series(subject.astype(np.int64) * len(predicates) + predicate))
            keys = slot_keys.astype(np.int64)
            slot_labels = pd.DataFrame({"subject": subjects[keys // len(predicates)],
                                        "predicate": predicates[keys % len(predicates)]})
        value_code, value_uniques = _factorize(claims["value"].reset_index(drop=True))
        candidate, candidate_keys = _factorize(
            pd.Series(slot.astype(np.int64) * len(value_uniques) + value_code))
        candidate_keys = candidate_keys.astype(np.int64)
        weight = (claims["weight"].to_numpy(dtype=np.float64) if "weight" in claims.columns
                  else np.ones(len(claims)))
        pairs = pd.DataFrame({"source": source, "value": candidate, "weight": weight})
        pairs = pairs.groupby(["source", "value"], sort=True, as_index=False)["weight"].max()
        value_slot = (candidate_keys // len(value_uniques)).astype(np.int32)
        claim_slot = value_slot[pairs["value"].to_numpy()]
        per_source_slot = pairs["weight"].groupby([pairs["source"], claim_slot]).transform("sum")
        claim_weight = pairs["weight"].to_numpy() / np.maximum(per_source_slot.to_numpy(), 1.0)
        return cls(
            claim_source=pairs["source"].to_numpy(dtype=np.int32),
            claim_value=pairs["value"].to_numpy(dtype=np.int32),
            value_slot=value_slot,
            claim_weight=claim_weight,
            source_names=source_names,
            value_labels=value_uniques[candidate_keys % len(value_uniques)],
            slot_labels=slot_labels,
        )
