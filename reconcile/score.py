"""Slots, candidate values and their pairwise agreement: the truth-discovery problem.

A slot is one question (subject + predicate, and the event when known); a candidate is one
distinct value claimed for a slot. Claims become (origin, candidate) votes: a source that
cites another votes as that origin (a source quoting another is not independent of it), a
source counts once per candidate however often it repeats itself, a hedged claim and one
whose speaker was inferred (``attribution``) weigh less, and a source's several candidates
in one slot share one vote. Agreement between the candidates of a slot
(:func:`reconcile.values.pairwise_agreement`) is the implication matrix of TruthFinder (Yin et
al., KDD 2007). Everything is array work over the long table.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from .claims import value_key
from .arrays import dense_codes, runs
from .io import text_column
from .trust import TruthProblem
from .values import Taxonomy, pairwise_agreement

__all__ = ["ScoredClaims", "claim_weights", "domain_rows", "label_domains", "score_claims", "slot_columns",
           "within_slot_pairs", "HEDGED_WEIGHT", "INFERRED_WEIGHT"]

#: Weight of a hedged claim ("initial reports", "reportedly") relative to a firm one.
HEDGED_WEIGHT = 0.5
#: Weight of a claim whose speaker was inferred (``attribution`` adjacent or pronoun) relative
#: to one whose speaker is named in its clause or is the outlet itself: above a hedged claim's,
#: since the figure is still stated firmly and only who states it is a guess.
INFERRED_WEIGHT = 0.75
_INFERRED = ("adjacent", "pronoun")
_INTERVAL_KINDS = ("count", "number", "time", "date")
_NAMED_KINDS = ("category", "place", "text")
_CANDIDATE_COLUMNS = ["slot", "value", "value_kind", "value_min", "value_max", "unit", "negated"]


@dataclass(frozen=True)
class ScoredClaims:
    """The claims with their slot and candidate codes, and the problem the estimators fit.

    ``claims`` gains ``slot``, ``candidate`` and ``origin``; ``slots`` is indexed by slot code;
    ``candidates`` by candidate code with ``specificity`` (larger = more precise).
    """

    claims: pd.DataFrame
    slots: pd.DataFrame
    candidates: pd.DataFrame
    problem: TruthProblem


def slot_columns(claims: pd.DataFrame) -> list[str]:
    """The columns that name a slot: the event (when the table has one that is not all
    null), subject, predicate."""
    has_event = "event" in claims and (claims.empty or bool(claims["event"].notna().any()))
    return (["event"] if has_event else []) + ["subject", "predicate"]


def score_claims(claims: pd.DataFrame, *, taxonomy: Taxonomy | None = None,
                 hedged_weight: float = HEDGED_WEIGHT, domains: pd.Series | None = None) -> ScoredClaims:
    """Code slots and candidates, de-duplicate votes and compute candidate agreement.

    ``domains`` is :func:`label_domains` of the whole table (by default of ``claims``; the
    Dask engine passes the one of all partitions)."""
    keys = slot_columns(claims)
    claims = claims.copy(deep=False)  # copy-on-write: columns are added, never written into
    claims["slot"], first = dense_codes(*(claims[k] for k in keys))
    slots = claims[keys].iloc[first].reset_index(drop=True).rename_axis("slot")
    claims["candidate"], first = dense_codes(claims["slot"], text_column(claims["value_kind"]),
                                             value_key(claims["value"]), claims["negated"].astype(bool))
    candidates = claims[_CANDIDATE_COLUMNS].iloc[first].reset_index(drop=True).rename_axis("candidate")
    cited = claims["cites"].notna()
    claims["origin"] = text_column(claims["cites"].where(cited, claims["source"].astype(object))) \
        if cited.any() else claims["source"]
    candidates["specificity"] = _specificity(candidates, taxonomy)
    domains = label_domains(domain_rows(claims)) if domains is None else domains
    named = candidates["value_kind"].isin(_NAMED_KINDS).to_numpy()
    predicate = pd.Series(np.asarray(slots["predicate"], dtype=object)[candidates["slot"].to_numpy()])
    domain = np.where(named, predicate.map(domains).fillna(0).to_numpy(dtype=np.int64), 0)
    problem = _problem(claims, candidates, domain, taxonomy, hedged_weight)
    return ScoredClaims(claims=claims, slots=slots, candidates=candidates, problem=problem)


def within_slot_pairs(value_slot: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All pairs (i, j), i < j, of candidates in the same slot; candidates sorted by slot.

    >>> within_slot_pairs(np.array([0, 0, 0, 1, 2, 2]))
    (array([0, 0, 1, 4]), array([1, 2, 2, 5]))
    """
    n = len(value_slot)
    slot_end = np.searchsorted(value_slot, value_slot, side="right")
    partners = slot_end - np.arange(n) - 1
    left = np.repeat(np.arange(n), partners)
    offsets = np.arange(len(left)) - np.repeat(np.cumsum(partners) - partners, partners)
    return left, left + 1 + offsets


def claim_weights(claims: pd.DataFrame, hedged_weight: float = HEDGED_WEIGHT) -> np.ndarray:
    """Per claim, its weight in (0, 1]: a hedged claim weighs ``hedged_weight``, one whose
    speaker was inferred (the paragraph before or after, a pronoun) :data:`INFERRED_WEIGHT`,
    and one that is both the product of the two."""
    weight = np.where(claims["hedged"].to_numpy(dtype=bool), hedged_weight, 1.0)
    if "attribution" in claims:
        weight = weight * np.where(claims["attribution"].isin(_INFERRED).to_numpy(dtype=bool), INFERRED_WEIGHT, 1.0)
    return weight


def domain_rows(claims: pd.DataFrame) -> pd.DataFrame:
    """The distinct (slot key columns, value) of the claims' named values (category, place,
    text): what :func:`label_domains` counts.  Claims partitioned by slot give disjoint rows,
    so the rows of the partitions concatenate (the Dask engine)."""
    keys = slot_columns(claims)
    named = claims[text_column(claims["value_kind"]).isin(_NAMED_KINDS).to_numpy()]
    rows = named[keys].astype(object).assign(value=value_key(named["value"]).to_numpy(dtype=object))
    return rows.drop_duplicates().reset_index(drop=True)


def label_domains(rows: pd.DataFrame) -> pd.Series:
    """Per predicate whose named values form a closed domain, its number of labels: a
    predicate whose values are few and recur across its slots, at most the square root of the
    number of its slots (2 labels need 4 slots, 5 labels 25).  Crowd labels, colours and
    "label 3" are such a domain; names, places and free text are not: their distinct values
    grow with the slots.  ``rows`` is :func:`domain_rows`.  Labels never agree by string
    similarity (:func:`reconcile.values.label_agreement`) and an estimator counts a label's
    false values as the domain's other labels (``TruthProblem.value_domain``).

    >>> claims = pd.DataFrame({"subject": list("aabcdefghijk"), "predicate": ["colour"] * 10 + ["author"] * 2,
    ...                        "value_kind": "text", "value": ["red", "blue", "green"] * 3 + ["red", "ann", "bob"]})
    >>> label_domains(domain_rows(claims)).to_dict()   # 3 colours on 9 slots; 2 names on 2
    {'colour': 3}
    """
    keys = [k for k in rows.columns if k != "value"]
    slots = rows.drop_duplicates(keys).groupby("predicate", sort=True).size()
    values = rows.groupby("predicate", sort=True)["value"].nunique()
    sizes = values[values ** 2 <= slots.reindex(values.index)]
    return sizes.rename("labels").rename_axis("predicate").astype(np.int64)


def _problem(claims: pd.DataFrame, candidates: pd.DataFrame, domain: np.ndarray,
             taxonomy: Taxonomy | None, hedged_weight: float) -> TruthProblem:
    origin_codes, origin_names = pd.factorize(claims["origin"], sort=True)
    n_values = len(candidates)
    value_slot = candidates["slot"].to_numpy(np.int32)
    weight = claim_weights(claims, hedged_weight)
    # one vote per (origin, candidate), the firmest of its claims
    order, starts = runs(origin_codes.astype(np.int64) * n_values + claims["candidate"].to_numpy())
    vote_key = (origin_codes.astype(np.int64) * n_values + claims["candidate"].to_numpy())[order][starts]
    vote_weight = np.maximum.reduceat(weight[order], starts) if len(starts) else weight[:0]
    source, candidate = vote_key // n_values, vote_key % n_values
    # a source's several candidates in one slot share its one vote
    shared = np.unique(source * len(value_slot) + value_slot[candidate], return_inverse=True,
                       return_counts=True)
    numeric = candidates["value_kind"].isin(("count", "number")).to_numpy()
    point = candidates[["value_min", "value_max"]].to_numpy(dtype=float).mean(axis=1)
    return TruthProblem(
        claim_source=source.astype(np.int32),
        claim_value=candidate.astype(np.int32),
        value_slot=value_slot,
        claim_weight=vote_weight / shared[2][shared[1].ravel()],
        implication=_implication(candidates, domain > 0, taxonomy),
        value_numeric=np.where(numeric, point, np.nan),
        source_names=np.asarray(origin_names, dtype=object),
        value_labels=_labels(candidates),
        value_domain=domain,
    )


def _labels(candidates: pd.DataFrame) -> np.ndarray:
    """Per candidate, a label that is equal for equal values across slots (kind, value and
    denial): what lets an estimator see a closed domain of answers, yes/no or crowd labels."""
    denied = np.where(candidates["negated"].to_numpy(dtype=bool), " (denied)", "")
    return (candidates["value_kind"].astype(str).to_numpy(dtype=object) + ":"
            + value_key(candidates["value"]).to_numpy(dtype=object) + denied.astype(object))


def _implication(candidates: pd.DataFrame, labels: np.ndarray, taxonomy: Taxonomy | None) -> sparse.csr_matrix:
    """Symmetric candidate x candidate agreement within slots, zero diagonal; ``labels``
    marks the candidates of closed domains (:func:`label_domains`).

    A denial reverses what it denies: "X denied that 3 were hurt" conflicts with 3 and
    agrees with another denial of 3."""
    left, right = within_slot_pairs(candidates["slot"].to_numpy())
    n = len(candidates)
    if len(left) == 0:
        return sparse.csr_matrix((n, n))
    columns = ["value_kind", "value", "value_min", "value_max", "unit"]
    frame = candidates[columns].reset_index(drop=True)
    scores = pairwise_agreement(frame.iloc[left].reset_index(drop=True),
                                frame.iloc[right].reset_index(drop=True), taxonomy=taxonomy,
                                labels=labels[left] & labels[right])
    negated = candidates["negated"].to_numpy(dtype=bool)
    one_denies = negated[left] != negated[right]
    scores = np.where(one_denies, -np.clip(scores, 0, None),
                      np.where(negated[left], np.clip(scores, 0, None), scores))
    keep = scores != 0
    rows = np.concatenate([left[keep], right[keep]])
    cols = np.concatenate([right[keep], left[keep]])
    return sparse.csr_matrix((np.concatenate([scores[keep]] * 2), (rows, cols)), shape=(n, n))


def _specificity(candidates: pd.DataFrame, taxonomy: Taxonomy | None) -> np.ndarray:
    """Larger is more precise: minus the interval width for ordered kinds (an exact value
    is 0, an open bound -inf), the depth in the taxonomy for categories and places."""
    kind = candidates["value_kind"].to_numpy(dtype=str)
    width = (candidates["value_max"] - candidates["value_min"]).to_numpy(dtype=float)
    result = np.where(np.isin(kind, _INTERVAL_KINDS), -np.nan_to_num(width, nan=np.inf), 0.0)
    hierarchical = np.flatnonzero(np.isin(kind, ("category", "place")))
    if len(hierarchical):
        tree = taxonomy or Taxonomy.default()
        values = candidates["value"].to_numpy()[hierarchical]
        depth = {v: tree.depth(v) for v in pd.unique(values)}
        result[hierarchical] = [depth[v] for v in values]
    return result
