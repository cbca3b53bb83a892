"""The Dask engine: the pandas pipeline's functions, run on partitions of a Dask DataFrame.

1. normalise: :func:`~reconcile.claims.normalize_claims` maps over row partitions; source
   names are resolved once on the client from their global counts (a reduction) and the
   raw -> canonical mapping is broadcast;
2. partition by slot: a hash shuffle on the slot columns puts every slot in one partition,
   where :func:`~reconcile.score.score_claims` codes slots, candidates and their agreement;
3. trust: with ``accu``, each iteration is one map-reduce round: per partition the beliefs of
   its candidates given the broadcast source accuracy (:meth:`Accu.slot_beliefs`), reduced to
   one claimed-belief sum per source (:meth:`Accu.accuracy`); the round is ``persist()``-ed.
   Any other method (the default ``accu_copy``, whose copy detection compares every pair of
   sources over all slots) is fitted on the client on the partitions' integer codes joined
   into one :class:`~reconcile.trust.TruthProblem` (integer codes, no text: about 150 bytes
   a claim with ACCU-COPY's pairs of claims on a common candidate, docs/SCALING.md);
4. consensus: :func:`~reconcile.consensus.consensus_facts` per partition with the final trust.

Slots never span partitions, so the result equals the pandas engine's (up to the order of
floating-point sums across partitions), whatever the method.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from ..arrays import plain_columns
from ..claims import normalize_claims
from ..contract import ReconcileError
from ..consensus import consensus_facts, source_record
from ..io import text_column
from ..resolve import resolve_sources, source_roles
from ..result import Result
from ..score import ScoredClaims, domain_rows, label_domains, score_claims, slot_columns
from ..trust import DEFAULT_METHOD, Accu, TruthProblem, get_estimator, model_choice
from ..values import Taxonomy

__all__ = ["DaskEngine", "require_dask", "CLAIMS_PER_PARTITION"]

#: Default partition size: claims per partition of the slot-partitioned table.
CLAIMS_PER_PARTITION = 500_000
_DROPPED = ["origin", "_line", "subject_raw", "_file"]


def require_dask() -> None:
    """Raise :class:`ReconcileError` naming the ``[dask]`` extra when Dask is missing."""
    try:
        import dask.dataframe  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as error:
        raise ReconcileError("the dask engine needs the [dask] extra: "
                             f"pip install 'reconcile[dask]' ({error})") from None


@dataclass
class _Partition:
    """One slot partition on a worker: its scored claims and its sources' global codes."""

    scored: ScoredClaims
    source_index: np.ndarray


class DaskEngine:
    """Run the pipeline on Dask: ``scheduler`` is a scheduler address (``tcp://host:8786``),
    ``"threads"``/``"processes"``/``"synchronous"``, or None (the current
    ``distributed.Client`` if there is one, else threads); ``npartitions`` defaults to one per
    :data:`CLAIMS_PER_PARTITION` claims (at least 2)."""

    name = "dask"

    def __init__(self, scheduler: str | None = None, npartitions: int | None = None):
        self.scheduler = scheduler
        self.npartitions = npartitions

    def __repr__(self) -> str:
        return f"DaskEngine(scheduler={self.scheduler!r}, npartitions={self.npartitions!r})"

    def run(self, frame: pd.DataFrame, *, file: str | None = None,
            aliases: Mapping[str, str] | None = None, taxonomy: Taxonomy | None = None,
            method: str | None = None, method_params: Mapping[str, Any] | None = None,
            hedged_weight: float, contest_share: float) -> Result:
        """Reconcile a validated claims table (:func:`reconcile.io.claims_frame`)."""
        import dask

        name = method or DEFAULT_METHOD
        estimator = get_estimator(name, **dict(method_params or {}))
        n = self.npartitions or max(2, math.ceil(len(frame) / CLAIMS_PER_PARTITION))
        with self._scheduler(), dask.config.set({"dataframe.convert-string": False}):
            slots, resolution = _slot_partitions(frame, n, file, aliases or {})
            partitions, source_names, claim_weight = _score_partitions(slots, taxonomy, hedged_weight)
            if _map_reducible(estimator):
                trust, confidence, n_iter = _fit_rounds(estimator, partitions, claim_weight)
            else:
                trust, confidence, n_iter = _fit_on_client(estimator, partitions, source_names)
            trust = pd.Series(trust, index=pd.Index(source_names, name="source"), name="trust")
            facts, claims, scored = _consensus(partitions, confidence, trust, contest_share,
                                               hedged_weight, slot_columns(slots._meta))
        from ..pipeline import _sources  # the pandas pipeline's sources table
        params = {"method": name, "method_params": dict(method_params or {}),
                  "hedged_weight": hedged_weight, "contest_share": contest_share, "n_iter": n_iter,
                  **model_choice(estimator)}
        return Result(facts=facts, claims=claims, sources=_sources(claims, resolution, trust),
                      scored=scored, method=name, params=params)

    @contextmanager
    def _scheduler(self):
        """Connect to ``scheduler`` for the run (closing only our own connection)."""
        import dask

        address = self.scheduler
        if address is None or address in ("threads", "processes", "synchronous", "sync"):
            if address is None:
                try:
                    from distributed import default_client
                    default_client()
                    address = None  # a Client is active: dask uses it
                except ValueError:
                    address = "threads"
            with dask.config.set(scheduler=address) if address else _nothing():
                yield
            return
        from distributed import Client
        with Client(address, set_as_default=True):
            yield


@contextmanager
def _nothing():
    yield


def _map_reducible(estimator) -> bool:
    """Accu itself (not a subclass that re-estimates claim independence between rounds)."""
    return isinstance(estimator, Accu) and type(estimator)._independence is Accu._independence


# -- 1. normalise and partition by slot -------------------------------------------------------

def _normalise(part: pd.DataFrame, file: str | None) -> pd.DataFrame:
    """The claims contract of one row partition, keeping the raw ``cites`` for resolution."""
    cites = text_column(part["cites"], missing=None) if "cites" in part else pd.Series(
        None, index=part.index, dtype=object)
    given = text_column(part["source"])  # normalising resolves the partition's names; the client resolves all
    claims = plain_columns(normalize_claims(part, file=file)[0])  # one dtype across partitions
    return claims.assign(_cites_raw=cites, _source_given=given)


def _name_statistics(part: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame, bool, pd.DataFrame]:
    """How often each raw source name is used (as source or cited), the declared types
    (first row per name), whether any claim cites another source, and the distinct (source,
    mention) pairs that give their roles."""
    cites = part["_cites_raw"].dropna()
    names = pd.concat([part["_source_given"], text_column(cites)])
    declared = part.dropna(subset=["source_type"]).drop_duplicates("_source_given")
    mentions = part[["_source_given", "source_raw"]].drop_duplicates()
    return names.value_counts(), declared[["_source_given", "source_type"]], bool(len(cites)), mentions


def _canonicalise(part: pd.DataFrame, canonical: dict[str, str], cited: bool) -> pd.DataFrame:
    """Canonical ``source`` and ``cites`` from the global resolution."""
    part = part.assign(source=text_column(part["_source_given"].map(canonical)))
    if cited:
        part["cites"] = part["_cites_raw"].map(canonical)
    return part.drop(columns=["_cites_raw", "_source_given"])


def _slot_partitions(frame: pd.DataFrame, n: int, file: str | None,
                     aliases: Mapping[str, str]):
    """The normalised claims as a Dask DataFrame hash-partitioned by slot, and the sources'
    resolution (from the global name counts, so equal to the pandas engine's)."""
    import dask
    import dask.dataframe as dd

    rows = dd.from_pandas(frame.reset_index(drop=True), npartitions=n, sort=True)
    meta = _normalise(frame.iloc[:1], file).iloc[:0]
    normalised = rows.map_partitions(_normalise, file, meta=meta).persist()
    statistics = dask.compute(*[dask.delayed(_name_statistics)(part)
                                for part in normalised.to_delayed()])
    counts = pd.concat([c for c, _, _, _ in statistics]).groupby(level=0).sum()
    declared = pd.concat([d for _, d, _, _ in statistics]).sort_index().drop_duplicates("_source_given")
    mentions = pd.concat([m for _, _, _, m in statistics])
    resolution = resolve_sources(counts.index, aliases, counts=counts.to_dict(),
                                 declared_types=dict(zip(declared["_source_given"], declared["source_type"])),
                                 roles=source_roles(mentions["_source_given"], mentions["source_raw"]))
    cited = any(c for _, _, c, _ in statistics)
    canonical = dask.delayed(resolution.canonical)
    resolved = normalised.map_partitions(_canonicalise, canonical, cited,
                                         meta=meta.drop(columns=["_cites_raw", "_source_given"]))
    # a task shuffle pickles: the value column mixes numbers and text, which Arrow (p2p) refuses
    return resolved.shuffle(on=slot_columns(meta), npartitions=n, shuffle_method="tasks"), resolution


# -- 2. score each slot partition -------------------------------------------------------------

def _score(part: pd.DataFrame, taxonomy: Taxonomy | None, hedged_weight: float,
           domains: pd.Series) -> ScoredClaims | None:
    """:func:`score_claims` on one slot partition (None when the partition is empty), with the
    closed label domains of the whole table."""
    return score_claims(part, taxonomy=taxonomy, hedged_weight=hedged_weight, domains=domains) if len(part) else None


def _source_weight(scored: ScoredClaims | None) -> pd.Series:
    """Each origin's total claim weight in one partition."""
    if scored is None:
        return pd.Series(dtype=float)
    problem = scored.problem
    return pd.Series(problem.source_claim_weight, index=problem.source_names)


def _attach(scored: ScoredClaims | None, source_names: np.ndarray) -> _Partition | None:
    """A partition with the global codes of its sources."""
    if scored is None:
        return None
    return _Partition(scored, np.searchsorted(source_names, scored.problem.source_names))


def _score_partitions(slots, taxonomy: Taxonomy | None, hedged_weight: float):
    """The persisted slot partitions, the sorted global origin names, and each origin's total
    claim weight (the denominator of its accuracy)."""
    import dask

    parts = dask.persist(*slots.to_delayed())  # read twice: the label domains, then the scoring
    domains = label_domains(pd.concat(dask.compute(*[dask.delayed(domain_rows)(part) for part in parts]),
                                      ignore_index=True))
    scored = dask.persist(*[dask.delayed(_score)(part, taxonomy, hedged_weight, domains) for part in parts])
    weights = dask.compute(*[dask.delayed(_source_weight)(s) for s in scored])
    total = pd.concat(weights).groupby(level=0, sort=True).sum()
    names = np.asarray(total.index, dtype=object)
    names_node = dask.delayed(names)
    partitions = dask.persist(*[dask.delayed(_attach)(s, names_node) for s in scored])
    return partitions, names, total.to_numpy(dtype=np.float64)


# -- 3. trust: one map-reduce round per iteration ----------------------------------------------

def _round(partition: _Partition | None, estimator: Accu, accuracy: np.ndarray) -> tuple:
    """Map: the beliefs of one partition's candidates, and for the sources it has (global
    codes) their claim-weighted belief sums over their claims there."""
    if partition is None:
        return None, (np.zeros(0, dtype=np.int64), np.zeros(0))
    problem = partition.scored.problem
    beliefs = estimator.slot_beliefs(problem, accuracy[partition.source_index])
    return beliefs, (partition.source_index, problem.claims_matrix @ beliefs)


def _claimed(result: tuple) -> tuple[np.ndarray, np.ndarray]:
    return result[1]


def _round_confidence(partition: _Partition | None, result: tuple, estimator: Accu,
                      trust: np.ndarray) -> np.ndarray | None:
    """The ``confidence_`` of one partition's candidates from the last round's beliefs."""
    if partition is None:
        return None
    return estimator._confidence(partition.scored.problem, trust[partition.source_index], result[0])


def _fit_rounds(estimator: Accu, partitions: tuple, claim_weight: np.ndarray):
    """Accu's iterations as rounds: the accuracy vector is broadcast, each partition's
    round persisted, the per-source sums reduced on the client.  Returns (trust, the
    confidence of each partition's candidates, iterations)."""
    import dask

    def step(accuracy: np.ndarray):
        shared = dask.delayed(accuracy)
        rounds = dask.persist(*[dask.delayed(_round)(p, estimator, shared) for p in partitions])
        claimed = np.zeros(len(claim_weight))
        for sources, sums in dask.compute(*[dask.delayed(_claimed)(r) for r in rounds]):
            claimed[sources] += sums   # a partition names each of its sources once
        return estimator.accuracy(claimed, claim_weight), rounds

    trust, rounds, n_iter = estimator._iterate(step, np.full(len(claim_weight), estimator.initial_accuracy))
    shared = dask.delayed(trust)
    confidence = dask.persist(*[dask.delayed(_round_confidence)(p, r, estimator, shared)
                                for p, r in zip(partitions, rounds)])
    return trust, confidence, n_iter


def _codes(partition: _Partition | None) -> tuple[TruthProblem, np.ndarray, int] | None:
    """What the client needs of a partition to fit on the whole table: its integer-coded
    problem, its sources' global codes and its number of slots."""
    if partition is None:
        return None
    return partition.scored.problem, partition.source_index, len(partition.scored.slots)


def _fit_on_client(estimator, partitions: tuple, source_names: np.ndarray):
    """Any method, fitted on the client on the partitions' problems joined into one (slots
    numbered partition after partition).  Returns (trust, the confidence of each partition's
    candidates, iterations)."""
    import dask

    coded = dask.compute(*[dask.delayed(_codes)(p) for p in partitions])
    present = [c for c in coded if c is not None]
    slot_offsets = np.cumsum([0] + [n_slots for _, _, n_slots in present])
    problem = _joined_problem([(q, index) for q, index, _ in present], np.arange(slot_offsets[-1]),
                              slot_offsets, source_names)
    estimator.fit(problem)
    value_offsets = np.cumsum([0] + [q.n_values for q, _, _ in present])
    ranges = iter(zip(value_offsets[:-1], value_offsets[1:]))
    everything = np.asarray(estimator.confidence_)
    confidence = [None if part is None else everything[slice(*next(ranges))] for part in coded]
    return np.asarray(estimator.trust_, dtype=np.float64), confidence, int(getattr(estimator, "n_iter_", 0))


# -- 4. consensus per partition ----------------------------------------------------------------

def _partition_record(partition: _Partition | None, confidence: np.ndarray | None) -> pd.DataFrame | None:
    """:func:`source_record` of one partition (None when it is empty)."""
    return None if partition is None else source_record(partition.scored, confidence)


def _partition_facts(partition: _Partition | None, confidence: np.ndarray | None, trust: pd.Series,
                     record: pd.DataFrame, contest_share: float, hedged_weight: float):
    """:func:`consensus_facts` of one partition given the final trust, its candidates'
    confidence and the sources' records over all partitions."""
    if partition is None:
        return None
    facts, claims = consensus_facts(partition.scored, trust, confidence, record=record,
                                    contest_share=contest_share, hedged_weight=hedged_weight)
    return facts, claims.drop(columns=_DROPPED, errors="ignore"), partition


def _consensus(partitions: tuple, confidence: list, trust: pd.Series,
               contest_share: float, hedged_weight: float, keys: list[str]):
    """The facts (in slot order), the claims (in input order) and the scored claims of the
    whole table (for the graph), gathered on the client."""
    import dask

    shared = dask.delayed(trust)
    records = [r for r in dask.compute(*[dask.delayed(_partition_record)(p, c)
                                         for p, c in zip(partitions, confidence)]) if r is not None]
    record = dask.delayed(pd.concat(records).groupby(level=0, sort=True).sum()  # slots are disjoint
                          if records else pd.DataFrame({"seen": [], "right": [], "slots": []}))
    parts = dask.compute(*[dask.delayed(_partition_facts)(p, c, shared, record, contest_share, hedged_weight)
                           for p, c in zip(partitions, confidence)])
    parts = [p for p in parts if p is not None]
    facts = pd.concat([f for f, _, _ in parts], ignore_index=True).sort_values(keys, kind="stable")
    claims = pd.concat([c for _, c, _ in parts]).sort_index()
    scored = _assemble([p for _, _, p in parts], facts.index.to_numpy(),
                       np.asarray(trust.index, dtype=object))
    return facts.reset_index(drop=True), claims.reset_index(drop=True), scored


def _assemble(parts: list[_Partition], slot_order: np.ndarray, source_names: np.ndarray) -> ScoredClaims:
    """One :class:`ScoredClaims` from the partitions': slots numbered in ``slot_order`` (the
    facts' order of the partitions' concatenated slots), claims in input order, candidates
    one partition after another, the implication block-diagonal."""
    slot_code = np.empty(len(slot_order), dtype=np.int32)
    slot_code[slot_order] = np.arange(len(slot_order), dtype=np.int32)
    slot_offsets = np.cumsum([0] + [len(p.scored.slots) for p in parts])
    value_offsets = np.cumsum([0] + [len(p.scored.candidates) for p in parts])
    claims, candidates = [], []
    for part, slot_offset, value_offset in zip(parts, slot_offsets, value_offsets):
        scored = part.scored
        claims.append(scored.claims.assign(slot=slot_code[scored.claims["slot"].to_numpy() + slot_offset],
                                           candidate=scored.claims["candidate"].to_numpy() + value_offset))
        candidates.append(scored.candidates.assign(
            slot=slot_code[scored.candidates["slot"].to_numpy() + slot_offset]))
    candidates = pd.concat(candidates, ignore_index=True).rename_axis("candidate")
    problem = _joined_problem([(p.scored.problem, p.source_index) for p in parts], slot_code, slot_offsets,
                              source_names)
    slots = pd.concat([p.scored.slots for p in parts], ignore_index=True).iloc[slot_order]
    return ScoredClaims(claims=pd.concat(claims).sort_index().reset_index(drop=True),
                        slots=slots.reset_index(drop=True).rename_axis("slot"),
                        candidates=candidates, problem=problem)


def _joined_problem(parts: list[tuple[TruthProblem, np.ndarray]], slot_code: np.ndarray,
                    slot_offsets: np.ndarray, source_names: np.ndarray) -> TruthProblem:
    """One problem from the partitions' (problem, global source codes): candidates one
    partition after another, partition ``i``'s slot ``k`` numbered ``slot_code[slot_offsets[i]
    + k]``, sources by their global codes, the implication block-diagonal."""
    problems = [q for q, _ in parts]
    value_offsets = np.cumsum([0] + [q.n_values for q in problems])
    labels = [q.value_labels for q in problems]
    return TruthProblem(
        claim_source=np.concatenate([index[q.claim_source] for q, index in parts]).astype(np.int32),
        claim_value=np.concatenate([q.claim_value + o for q, o in zip(problems, value_offsets)]).astype(np.int32),
        value_slot=np.concatenate([slot_code[q.value_slot + o] for q, o in zip(problems, slot_offsets)]
                                  ).astype(np.int32),
        claim_weight=np.concatenate([q.claim_weight for q in problems]),
        implication=sparse.block_diag([q.implication for q in problems], format="csr"),
        value_numeric=np.concatenate([q.value_numeric for q in problems]),
        source_names=source_names,
        value_labels=None if any(v is None for v in labels) else np.concatenate(labels),
        value_domain=np.concatenate([q.value_domain for q in problems]),
    )
