"""Accuracy of the trust estimators and of the peers on the real truth-discovery benchmarks.

    python -m benchmarks.accuracy                       # every dataset, every method
    python -m benchmarks.accuracy --datasets book,flight --no-peers
    RECONCILE_BENCHMARKS=/path/to/benchmarks python -m benchmarks.accuracy

For each dataset (:mod:`reconcile.datasets`) the claims go once through the engine
(:func:`reconcile.reconcile`: values parsed, sources and subjects resolved, candidates and
their agreement); then every method answers every slot from the same claims:

* ``vote``: the candidate claimed by the most sources (plain majority vote, no agreement);
* ours: each estimator of :data:`reconcile.trust.ESTIMATORS`, fitted on the engine's problem,
  its answer being the consensus value (:func:`reconcile.consensus.consensus_facts`);
  ``default`` is :func:`reconcile.reconcile` end to end with the default method, and on the
  datasets with ``number`` claims also with ``aggregate="median"`` and ``"mean"``
  (:mod:`reconcile.aggregate`; scored on the estimate, MAE included);
* peers (optional, ``pip install .[peers]``): truthdiscovery 1.0.4 and crowd-kit 1.4.2, given
  the same (source, slot, candidate) votes: a candidate is the engine's normalised value, so
  the peers profit from the engine's parsing too ("7:10 a.m." and "7:10aDec 1" are one
  candidate).  crowd-kit labels are the values themselves when the dataset has at most 64
  distinct values (Product, Emotion), else a candidate's popularity rank within its slot
  (crowd-kit assumes one label space for all tasks); a worker's first candidate per task.
  Each peer runs in a child process under a time and memory guard; a peer that cannot
  finish in the guard, or is known not to fit, is skipped with the reason printed.

Gold is used only to score answers.  How an answer is compared with the gold:

* book: author lists as sets of name words (case, order, punctuation, initials of one letter
  and "Not Available" ignored) -- "Knuth, Donald E." = "Donald Knuth";
* flight: times as minutes of the day;
* population, weather, crowd_emotion: numbers numerically (equal after parsing: "1,000,230" =
  1000230); MAE over the same items; Weather accepts any of an item's listed gold values;
* heritages, birthplaces: the gold leaf (the most specific true place), by its taxonomy name;
* the crowd label sets (crowd_product, crowd_bluebird, crowd_cf, crowd_ms, crowd_sp,
  crowd_zencrowd): the same label (``1`` = ``True`` = ``1.0``).

The default is scored twice: with the loaders' hints (``value_kind``, ``reported_at``, a
taxonomy, unreadable cells dropped) and on the raw four columns ``source, subject,
predicate, value`` as text, as a user gives them, with nothing dropped (``raw``: unreadable
cells stay as text values); the plain vote is scored on the raw columns too.  The peers and
our other methods answer from the hinted engine's candidates only.

Items are the gold items for which some source made a claim.  Every accuracy is printed with
the wall time of the method (for ours: fit + consensus; the engine's shared preparation is
listed as ``prepare``).  The reliability tables bin the default's fact confidence against the
fraction of right facts, pooled and per dataset, with the expected calibration error (ECE).
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import isotonic_regression

import reconcile
from benchmarks.peers import import_truthdiscovery, peers_available, run_guarded
from reconcile.aggregate import AGGREGATES
from reconcile.consensus import consensus_facts
from reconcile.contract import InputError
from reconcile.datasets import BENCHMARKS, Benchmark, DatasetUnavailable, load_benchmark
from reconcile.resolve import resolve_subjects
from reconcile.score import ScoredClaims
from reconcile.trust import (
    DEFAULT_METHOD,
    ConvergenceWarning,
    get_estimator,
)
from reconcile.trust.base import segment_argmax
from reconcile.values import ParsedValue, ValueParseError, agreement, parse_value
from reconcile.values.text import fold

__all__ = [
    "Prepared",
    "calibration_table",
    "gold_keys",
    "isotonic_map",
    "leave_one_dataset_out",
    "reliability_rows",
    "main",
    "prepare",
    "run_aggregates",
    "run_default",
    "run_ours",
    "run_peers",
    "score_answers",
]

OURS = ["majority_vote", "truthfinder", "sums", "average_log", "investment", "pooled_investment",
        "crh", "accu", "accu_copy", "dawid_skene", "one_coin", "glad", "mace", "wawa", "zero_based_skill", "mmsr"]
TD_PEERS = ["Sums", "AverageLog", "Investment", "PooledInvestment", "TruthFinder", "UnboundedSums", "CRH"]
CK_PEERS = ["MajorityVote", "Wawa", "ZeroBasedSkill", "DawidSkene", "OneCoinDawidSkene", "GLAD", "MACE",
            "MMSR", "KOS"]
#: Per peer: wall seconds and address space (bytes) before it is stopped.
PEER_TIMEOUT = 120.0
PEER_MEMORY = 4 << 30
_REFERENCE = {"flight": "2011-12-01"}
DEFAULT_ROW = "default (with the loader's hints)"
RAW_ROW = "default (raw four columns)"
RAW_VOTE_ROW = "vote (raw four columns)"


@dataclass
class Prepared:
    """A benchmark after the engine's shared preparation, with the gold keyed by slot."""

    bench: Benchmark
    result: reconcile.Result
    scored: ScoredClaims
    gold: pd.DataFrame          # slot, gold key(s) (a list), gold number (for MAE)
    prepare_seconds: float
    default_seconds: float


# -- comparing answers with the gold -----------------------------------------------------------
def _name_words(value) -> frozenset[str] | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    words = frozenset(w for w in fold(str(value).replace(";", " ")).split() if len(w) > 1)
    return words or None


def _key(compare: str, bench: Benchmark) -> Callable[[object, float], object]:
    """The comparison key of a parsed answer (value, value_min) for the dataset's comparison."""
    tree = bench.taxonomy
    if compare == "names":
        return lambda value, low: _name_words(value)
    if compare == "time":
        return lambda value, low: None if low is None or np.isnan(low) else round(low % 86400 / 60.0) % 1440
    if compare == "number":
        return lambda value, low: None if low is None or np.isnan(low) else round(float(low), 6)
    if compare == "place":
        return lambda value, low: None if value is None else (tree.canonical(str(value)) or fold(str(value)))
    return lambda value, low: _label_text(value)


def _label_text(value) -> str | None:
    """A label as text, the same whether it was read as a yes/no, a number or a category:
    ``True``, ``1``, ``1.0`` and ``"1"`` are ``"1"``."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, (bool, np.bool_)):
        return str(int(value))
    if isinstance(value, (int, float, np.number)) and float(value).is_integer():
        return str(int(value))
    return fold(str(value))


def gold_keys(bench: Benchmark) -> pd.DataFrame:
    """One row per gold item: folded subject, predicate, the accepted keys and a number."""
    kind = {"names": "text", "time": "time", "number": "number", "place": "place", "label": None}[bench.compare]
    key = _key(bench.compare, bench)
    reference = _REFERENCE.get(bench.name)
    rows = []
    for subject, predicate, value in bench.gold[["subject", "predicate", "value"]].itertuples(index=False):
        try:
            parsed = parse_value(value, kind, predicate=predicate, reference=reference)
        except ValueParseError:
            continue
        low = np.nan if parsed.min is None else parsed.min
        if bench.compare == "place":
            parsed_value = value
        else:
            parsed_value = parsed.value
        rows.append((key(parsed_value, low), low, parsed, subject, predicate))
    gold = pd.DataFrame({"subject": resolve_subjects(pd.Series([r[3] for r in rows])).to_numpy(),
                         "predicate": [r[4] for r in rows],
                         "key": [r[0] for r in rows], "number": [r[1] for r in rows],
                         "parsed": [r[2] for r in rows]})
    gold = gold[gold["key"].notna()]
    return gold.groupby(["subject", "predicate"], sort=False).agg(
        keys=("key", list), number=("number", list), parsed=("parsed", list)).reset_index()


def consistent_with_gold(prepared: Prepared, merged: pd.DataFrame) -> np.ndarray:
    """Per scored item, whether the answer is consistent with a gold value (agreement > 0:
    the same, a less specific place or interval containing it, a number within a few per cent):
    what the fact ``confidence`` claims to measure.  A label is consistent only with itself."""
    if prepared.bench.compare == "label":
        return _correct(prepared, merged)
    kind = {"names": "text", "time": "time", "number": "number", "place": "place"}[prepared.bench.compare]
    tree = prepared.bench.taxonomy
    out = np.zeros(len(merged), dtype=bool)
    for i, (value, low, high, gold) in enumerate(zip(merged["value"], merged["value_min"], merged["value_max"],
                                                    merged["parsed"])):
        if value is None or (isinstance(value, float) and np.isnan(value)):
            continue
        answer = ParsedValue(value, kind, None if pd.isna(low) else float(low), None if pd.isna(high) else float(high))
        out[i] = any(agreement(answer, g, taxonomy=tree) > 0 for g in gold)
    return out


def _correct(prepared: Prepared, merged: pd.DataFrame) -> np.ndarray:
    """Per gold item merged with its answer, whether the answer's key is one of the gold keys."""
    key = _key(prepared.bench.compare, prepared.bench)
    return np.array([key(v, lo) in keys if not (v is None or (isinstance(v, float) and np.isnan(v)))
                     else False
                     for v, lo, keys in zip(merged["value"], merged["value_min"].astype(float), merged["keys"])],
                    dtype=bool)


def score_answers(prepared: Prepared, answers: pd.DataFrame) -> tuple[float, float, np.ndarray, np.ndarray]:
    """(accuracy, MAE, correct per gold item, item index into prepared.gold) of answers: a table
    subject, predicate, value, value_min (one row per slot).  A slot without an answer is wrong."""
    merged = prepared.gold.merge(answers, on=["subject", "predicate"], how="left")
    correct = _correct(prepared, merged)
    mae = np.nan
    if prepared.bench.compare == "number":
        low = merged["value_min"].astype(float).to_numpy()
        errors = [min(abs(lo - g) for g in gold) for lo, gold in zip(low, merged["number"])]
        mae = float(np.nanmean(errors))
    return float(correct.mean()), mae, correct, merged


def prepare(name: str, root=None, *, raw: bool = False) -> Prepared:
    """Load a benchmark and run the engine once (default method); sources pinned to themselves.
    ``raw``: on the four columns as text with nothing dropped and no taxonomy
    (:attr:`~reconcile.datasets.Benchmark.raw`), not with the loader's hints."""
    bench = load_benchmark(name, root)
    result, seconds = run_default(bench, raw=raw)
    scored = result.scored
    gold = gold_keys(bench)
    slots = scored.slots[["subject", "predicate"]]
    gold = gold.merge(slots.drop_duplicates(), on=["subject", "predicate"])
    fit_start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        get_estimator(DEFAULT_METHOD).fit(scored.problem)
    fit_seconds = time.perf_counter() - fit_start
    return Prepared(bench, result, scored, gold, seconds - fit_seconds, seconds)


def run_default(bench: Benchmark, *, raw: bool = False, aggregate: str | None = None) -> tuple[reconcile.Result, float]:
    """(result, seconds) of :func:`reconcile.reconcile` end to end on a benchmark, sources pinned
    to themselves; ``raw``: the four columns as text (see :func:`prepare`)."""
    claims, taxonomy = (bench.raw, None) if raw else (bench.claims, bench.taxonomy)
    pins = {s: s for s in pd.unique(claims["source"])}
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        result = reconcile.reconcile(claims, aliases=pins, taxonomy=taxonomy, aggregate=aggregate)
    seconds = time.perf_counter() - start
    distinct = len({s.casefold() for s in pins})  # "BookSmart" and "booksmart" are one store
    if len(result.sources) != distinct:
        raise RuntimeError(f"{bench.name}: {distinct} sources became {len(result.sources)}")
    return result, seconds


def run_aggregates(prepared: Prepared):
    """(label, answers, seconds) of a plain mean of the claims (the baseline) and of the default
    with each ``aggregate``, on a dataset with ``number`` claims; an answer is the estimate
    itself (MAE of the median, not of its interval)."""
    hints = prepared.bench.claims
    if "value_kind" not in hints or not (hints["value_kind"] == "number").any():
        return
    start = time.perf_counter()
    claims = prepared.scored.claims
    plain = claims.assign(value=claims["value_min"].astype(float)).groupby(["subject", "predicate"], sort=True)["value"].mean()
    answers = plain.reset_index().assign(value_min=plain.to_numpy(), value_max=plain.to_numpy(), confidence=np.nan)
    yield "mean (plain, unweighted)", answers, time.perf_counter() - start
    for how in AGGREGATES:
        result, seconds = run_default(prepared.bench, aggregate=how)
        answers = _facts_answers(result.facts)
        yield f"default, aggregate={how}", answers.assign(value_min=answers["value"], value_max=answers["value"]), seconds


# -- our methods -------------------------------------------------------------------------------
def _facts_answers(facts: pd.DataFrame) -> pd.DataFrame:
    return facts[["subject", "predicate", "value", "value_min", "value_max", "confidence"]]


def _candidate_answers(prepared: Prepared, winners: np.ndarray) -> pd.DataFrame:
    """Answers from a winning candidate code per slot (-1 = none)."""
    scored = prepared.scored
    slots = scored.slots[["subject", "predicate"]].reset_index(drop=True)
    ok = winners >= 0
    chosen = scored.candidates.iloc[winners[ok]]
    return slots[ok].assign(value=chosen["value"].to_numpy(), value_min=chosen["value_min"].to_numpy())


def run_ours(prepared: Prepared, name: str) -> tuple[pd.DataFrame, float]:
    """(answers, seconds) of one of our estimators through consensus."""
    scored = prepared.scored
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        estimator = get_estimator(name).fit(scored.problem)
        facts, _ = consensus_facts(scored, estimator.trust_, estimator.confidence_)
    return _facts_answers(facts), time.perf_counter() - start


def run_vote(prepared: Prepared) -> tuple[pd.DataFrame, float]:
    """The plain majority vote: most claimed candidate per slot (ties: lowest code)."""
    start = time.perf_counter()
    winners = get_estimator("majority_vote").fit(prepared.scored.problem).winners_
    return _candidate_answers(prepared, winners), time.perf_counter() - start


def vote_with_random_ties(prepared: Prepared, seeds: int = 20) -> tuple[float, float]:
    """(mean, standard deviation) of the plain vote's accuracy over ``seeds`` draws that break
    its ties at random: how much of the vote's lead over another method is its tie-break."""
    problem = prepared.scored.problem
    accuracies = []
    for seed in range(seeds):
        jitter = np.random.default_rng(seed).random(problem.n_values) * 1e-3  # below one vote
        winners = segment_argmax(problem.value_claim_weight + jitter, problem.value_slot, problem.n_slots)
        accuracies.append(score_answers(prepared, _candidate_answers(prepared, winners))[0])
    return float(np.mean(accuracies)), float(np.std(accuracies))


# -- the peers ---------------------------------------------------------------------------------
def _votes(prepared: Prepared) -> pd.DataFrame:
    problem = prepared.scored.problem
    return pd.DataFrame({"source": problem.claim_source, "slot": problem.value_slot[problem.claim_value],
                         "candidate": problem.claim_value})


def _skip_reason(library: str, peer: str, prepared: Prepared, votes: pd.DataFrame) -> str | None:
    n_claims = len(votes)
    if library == "td" and peer == "CRH":
        pairs = votes[["slot", "candidate"]].drop_duplicates().shape[0]
        if pairs > 2000:
            return (f"dense {pairs} x {pairs} claims x claims matrices, cubic time "
                    "(> 10 GB on Weather, PEERS.md)")
    if library == "ck" and peer in ("GLAD", "MACE") and prepared.bench.compare != "label":
        return "label models, here on popularity ranks; ~45-320 s per 100k claims (PEERS.md)"
    if library == "ck" and peer in ("GLAD", "MACE") and n_claims > 30_000:
        return f"{n_claims} claims: ~45-320 s per 100k claims (PEERS.md)"
    if library == "ck" and peer in ("ZeroBasedSkill", "OneCoinDawidSkene", "MMSR") and n_claims > 30_000:
        return f"{n_claims} claims: over {PEER_TIMEOUT:.0f} s on 2 cores"
    if library == "ck" and peer == "KOS" and prepared.bench.compare != "label":
        return "binary labels only"
    return None


def _ck_frame(prepared: Prepared, votes: pd.DataFrame) -> tuple[pd.DataFrame, Callable]:
    """crowd-kit's (worker, task, label) and the decoder label -> candidate per task."""
    scored = prepared.scored
    first = votes.drop_duplicates(["source", "slot"])
    values = scored.candidates["value"].astype(str).to_numpy()
    if pd.unique(values).size <= 64:
        labels = values[first["candidate"].to_numpy()]
        lookup = {(s, v): c for c, (s, v) in enumerate(zip(scored.candidates["slot"].to_numpy(), values))}
        decode = lambda task, label: lookup.get((task, label), -1)
    else:
        weight = prepared.scored.problem.value_claim_weight
        order = np.lexsort((np.arange(len(weight)), -weight, scored.candidates["slot"].to_numpy()))
        rank = np.empty(len(weight), dtype=np.int64)
        slot_sorted = scored.candidates["slot"].to_numpy()[order]
        starts = np.searchsorted(slot_sorted, slot_sorted)
        rank[order] = np.arange(len(order)) - starts
        labels = rank[first["candidate"].to_numpy()]
        lookup = {(s, r): c for c, (s, r) in enumerate(zip(scored.candidates["slot"].to_numpy(), rank))}
        decode = lambda task, label: lookup.get((task, int(label)), -1)
    frame = pd.DataFrame({"worker": first["source"].to_numpy(), "task": first["slot"].to_numpy(),
                          "label": labels})
    return frame, decode


def _run_peer(library: str, peer: str, prepared: Prepared, votes: pd.DataFrame) -> np.ndarray:
    """Winning candidate code per slot (-1 none) from one peer."""
    n_slots = len(prepared.scored.slots)
    winners = np.full(n_slots, -1, dtype=np.int64)
    if library == "td":
        td = import_truthdiscovery()
        data = td.Dataset(votes[["source", "slot", "candidate"]].itertuples(index=False), allow_multiple=True)
        result = getattr(td, peer)().run(data)
        for slot, beliefs in result.belief.items():
            winners[slot] = max(sorted(beliefs), key=lambda c: beliefs[c])
        return winners
    from crowdkit import aggregation
    frame, decode = _ck_frame(prepared, votes)
    method = getattr(aggregation, peer)()
    labels = method.fit_predict(frame)
    for task, label in labels.items():
        winners[task] = decode(task, label)
    return winners


def run_peers(prepared: Prepared, available: dict[str, bool]):
    """Yield (method label, answers or None, seconds, skip reason) for every peer."""
    votes = _votes(prepared)
    for library, peers in (("td", TD_PEERS), ("ck", CK_PEERS)):
        for peer in peers:
            label = f"{library}.{peer}"
            if not available[library]:
                yield label, None, np.nan, "not installed ([peers] extra)"
                continue
            reason = _skip_reason(library, peer, prepared, votes)
            if reason:
                yield label, None, np.nan, reason
                continue
            outcome = run_guarded(_run_peer, (library, peer, prepared, votes), PEER_TIMEOUT, PEER_MEMORY)
            if outcome.reason is None:
                yield label, _candidate_answers(prepared, outcome.value), outcome.seconds, None
            else:
                yield label, None, outcome.seconds, outcome.reason


# -- calibration -------------------------------------------------------------------------------
def calibration_table(confidence: np.ndarray, correct: np.ndarray,
                      edges=(0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0001)) -> pd.DataFrame:
    """Facts binned by confidence: count, mean confidence, fraction correct; and the expected
    calibration error (count-weighted |confidence - correct|) in ``attrs['ece']``."""
    frame = pd.DataFrame({"confidence": confidence, "correct": correct.astype(float)})
    frame["bin"] = pd.cut(frame["confidence"], list(edges), right=False)
    table = frame.groupby("bin", observed=True).agg(facts=("correct", "size"), confidence=("confidence", "mean"),
                                                   accuracy=("correct", "mean"))
    table.attrs["ece"] = float((table["facts"] * (table["confidence"] - table["accuracy"]).abs()).sum()
                               / max(table["facts"].sum(), 1))
    return table


# -- the table ---------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", default=",".join(BENCHMARKS))
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--root", default=None, help="the benchmarks folder (else $RECONCILE_BENCHMARKS)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    available = {"td": False, "ck": False} if args.no_peers else peers_available()
    rows, calibration, notes, ties = [], [], [], []
    for name in args.datasets.split(","):
        try:
            prepared = prepare(name, args.root)
        except DatasetUnavailable as error:
            print(f"{name}: skipped: {error}")
            continue
        result = prepared.result
        def add(method, acc, mae, seconds, note=None, name=name):
            rows.append({"dataset": name, "method": method, "accuracy": acc, "mae": mae,
                         "seconds": seconds, "note": note})
        add("prepare (parse, resolve, score)", np.nan, np.nan, prepared.prepare_seconds)
        acc, mae, correct, merged = score_answers(prepared, _facts_answers(result.facts))
        add(DEFAULT_ROW, acc, mae, prepared.default_seconds)
        raw = prepare(name, args.root, raw=True)
        add(RAW_ROW, *score_answers(raw, _facts_answers(raw.result.facts))[:2], raw.default_seconds)
        answers, seconds = run_vote(raw)
        add(RAW_VOTE_ROW, *score_answers(raw, answers)[:2], seconds)
        calibration.append(pd.DataFrame({"dataset": name, "confidence": merged["confidence"].fillna(0.0),
                                         "correct": correct,
                                         "consistent": consistent_with_gold(prepared, merged)}))
        for label, answers, seconds in run_aggregates(prepared):
            add(label, *score_answers(prepared, answers)[:2], seconds)
        answers, seconds = run_vote(prepared)
        add("vote (plain majority)", *score_answers(prepared, answers)[:2], seconds)
        mean, sd = vote_with_random_ties(prepared)
        ties.append(f"{name} {mean:.3f} +- {sd:.3f}")
        for method in OURS:
            try:
                answers, seconds = run_ours(prepared, method)
            except InputError as error:  # a method for closed label domains on open ones
                add(method, np.nan, np.nan, np.nan, str(error))
                notes.append(f"{name} {method}: skipped: {error}")
                continue
            add(method, *score_answers(prepared, answers)[:2], seconds)
        for label, answers, seconds, reason in (run_peers(prepared, available) if not args.no_peers else ()):
            if answers is None:
                add(label, np.nan, np.nan, seconds, reason)
                notes.append(f"{name} {label}: skipped: {reason}")
            else:
                add(label, *score_answers(prepared, answers)[:2], seconds)
        print(f"# {name}: {len(prepared.bench.claims)} claims, {len(result.sources)} sources, "
              f"{len(result.facts)} slots, {len(prepared.gold)} gold items scored; the default chose "
              f"{_choice(result)} (raw: {_choice(raw.result)})", flush=True)
    table = pd.DataFrame(rows)
    _print_tables(table, calibration, notes, time.perf_counter() - started)
    print("\nThe plain vote with its ties broken at random (mean +- sd of 20 draws; above, ties go to "
          "the lowest code):\n  " + "; ".join(ties))
    return 0


def _choice(result: reconcile.Result) -> str:
    choice = result.params["model_choice"]
    return f"{choice['model']} ({', '.join(f'{k} {v}' for k, v in choice.items() if k != 'model')})"


def reliability_rows(calibration: pd.DataFrame, column: str) -> pd.DataFrame:
    """One row per dataset (and ``all``, pooled): the facts, their mean confidence and the
    share right (``column``: ``consistent`` or ``correct``) per confidence bin
    (:func:`calibration_table`, as "confidence/right (facts)"), and the ECE."""
    groups = [("all", calibration)] + list(calibration.groupby("dataset", sort=False))
    rows = {}
    for name, group in groups:
        table = calibration_table(group["confidence"].to_numpy(), group[column].to_numpy())
        cells = {str(b): f"{r.confidence:.2f}/{r.accuracy:.2f} ({int(r.facts)})" for b, r in table.iterrows()}
        rows[name] = {**cells, "ECE": round(table.attrs["ece"], 3)}
    bins = [str(b) for b in calibration_table(np.array([0.0]), np.array([True])).index.categories]
    return pd.DataFrame.from_dict(rows, orient="index").reindex(columns=bins + ["ECE"]).fillna("")


def isotonic_map(confidence: np.ndarray, right: np.ndarray, weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A monotone calibration map (knots x, y for ``np.interp``): the weighted isotonic
    regression of right (0/1) on confidence, ties in confidence pooled first."""
    knots, inverse = np.unique(confidence, return_inverse=True)
    mass = np.bincount(inverse, weight, minlength=len(knots))
    share = np.bincount(inverse, weight * right, minlength=len(knots)) / mass
    return knots, isotonic_regression(share, weights=mass).x


def leave_one_dataset_out(calibration: pd.DataFrame, column: str) -> pd.DataFrame:
    """Per dataset, the ECE of the default's confidence as it is and mapped by an
    :func:`isotonic_map` fitted on the *other* datasets (each dataset weighing the same in the
    fit, whatever its size): an honest estimate of what one shipped global map would do on
    data it was not fitted to."""
    confidence, right = calibration["confidence"].to_numpy(), calibration[column].to_numpy()
    size = calibration.groupby("dataset")["dataset"].transform("size").to_numpy()
    mapped = np.empty(len(calibration))
    groups = [("all", np.ones(len(calibration), dtype=bool))]
    for name in dict.fromkeys(calibration["dataset"]):
        held = (calibration["dataset"] == name).to_numpy()
        knots, fitted = isotonic_map(confidence[~held], right[~held].astype(float), 1.0 / size[~held])
        mapped[held] = np.interp(confidence[held], knots, fitted)
        groups.append((name, held))
    rows = [{"dataset": name, "facts": int(held.sum()),
             "ECE as is": round(calibration_table(confidence[held], right[held]).attrs["ece"], 3),
             "ECE mapped (fit on the others)": round(calibration_table(mapped[held], right[held]).attrs["ece"], 3)}
            for name, held in groups]
    return pd.DataFrame(rows).set_index("dataset")


def _print_calibration(pooled: pd.DataFrame) -> None:
    for column, meaning in (("consistent", "the truth is consistent with the value (what it claims)"),
                            ("correct", "the value is exactly the gold (as scored above)")):
        rows = reliability_rows(pooled, column)
        print(f"\nReliability of the default's fact confidence; right = {meaning}; per confidence bin: "
              f"mean confidence/share right (facts); expected calibration error {rows.loc['all', 'ECE']:.3f} "
              "pooled\n")
        with pd.option_context("display.width", 250, "display.max_columns", 20):
            print(rows.to_string())
        if pooled["dataset"].nunique() > 1:
            print(f"\nA global isotonic map of the confidence, leave one dataset out (right = {column}):\n")
            print(leave_one_dataset_out(pooled, column).to_string())


def _cell(row) -> str:
    if np.isnan(row["accuracy"]):
        return "skipped" if isinstance(row["note"], str) else f"({row['seconds']:.1f}s)"
    return f"{row['accuracy']:.3f} {row['seconds']:.1f}s"


def _print_tables(table: pd.DataFrame, calibration: list[pd.DataFrame], notes: list[str], total: float) -> None:
    if table.empty:
        print("no dataset could be read")
        return
    datasets = list(dict.fromkeys(table["dataset"]))
    methods = list(dict.fromkeys(table["method"]))
    wide = table.assign(cell=table.apply(_cell, axis=1)).pivot(index="method", columns="dataset", values="cell")
    wide = wide.reindex(index=methods, columns=datasets).fillna("")
    print("\nAccuracy (and wall seconds) per dataset and method\n")
    print(wide.to_string())
    numeric = [d for d in datasets if table.loc[table["dataset"] == d, "mae"].notna().any()]
    if numeric:
        mae = table[table["dataset"].isin(numeric)].pivot(index="method", columns="dataset", values="mae")
        print("\nMAE on the numeric datasets\n")
        print(mae.reindex(index=methods, columns=numeric).dropna(how="all").round(2).to_string())
    print("\nStanding of the default, with hints and raw: against the vote (the better of the hinted "
          "and the raw one) and the best peer (on the hinted candidates); 'near' = within 0.005\n")
    for d in datasets:
        part = table[(table["dataset"] == d) & table["accuracy"].notna()].set_index("method")
        vote = part.loc[part.index.str.startswith("vote"), "accuracy"].max()
        peers = part[part.index.str.contains(r"^(?:td|ck)\.", regex=True)]["accuracy"]
        line = f"{d:14s} vote {vote:.3f}"
        if len(peers):
            line += f"; best peer {peers.idxmax()} {peers.max():.3f}"
        for row, short in ((DEFAULT_ROW, "hints"), (RAW_ROW, "raw")):
            default = part.loc[row, "accuracy"]
            line += f"; {short} {default:.3f} ({'>=' if default >= vote - 1e-12 else '<'} vote"
            if len(peers):
                gap = default - peers.max()
                line += f", {'>=' if gap >= -1e-12 else 'near' if gap >= -0.005 else '<'} peer {gap:+.3f}"
            line += ")"
        print(line)
    if calibration:
        _print_calibration(pd.concat(calibration, ignore_index=True))
    if notes:
        print("\nSkipped peers:\n" + "\n".join(f"  {n}" for n in notes))
    print(f"\nTotal wall time {total:.0f} s")


if __name__ == "__main__":
    raise SystemExit(main())
