"""Synthetic claims with a known truth, for measuring the trust estimators.

Sources have a known accuracy and long-tail activity; every slot has a popular wrong value that
wrong sources favour; optional copiers repeat a bad, very active source.  Slots are categorical
(a few labels) or counts (an integer truth; wrong counts are a popular "headline" figure or a
near miss).  Everything is drawn with numpy, deterministically per seed.

    python -m benchmarks.synthetic --claims 1000000 --out claims.csv
    python -m benchmarks.synthetic --claims 1000000 --copiers 5 --evaluate
"""

from __future__ import annotations

import argparse
import dataclasses
import time
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

from reconcile.trust import ESTIMATORS, ConvergenceWarning, TruthProblem, get_estimator

__all__ = ["generate", "to_problem", "count_implication", "evaluate", "main"]

_CATEGORIES = np.array([f"c{i}" for i in range(6)], dtype=object)
_PREDICATES = {"category": "category", "count": "count"}


def _activity(n_sources: int, rng: np.random.Generator) -> np.ndarray:
    """Long-tail (Zipf-like, exponent 1) claim shares, in a random order of sources."""
    share = 1.0 / np.arange(1, n_sources + 1)
    return rng.permutation(share / share.sum())


def _draw_values(slot: np.ndarray, correct: np.ndarray, truth_index: np.ndarray,
                 popular_index: np.ndarray, is_count: np.ndarray, count_truth: np.ndarray,
                 popular_count: np.ndarray, popular_share: float, rng: np.random.Generator) -> np.ndarray:
    """The value of each claim on ``slot``: the truth where ``correct``, otherwise the slot's
    popular wrong value (with probability ``popular_share``) or another wrong value."""
    n = len(slot)
    popular = ~correct & (rng.random(n) < popular_share)
    # categories: another wrong label, neither the truth nor the popular one
    shift = rng.integers(1, len(_CATEGORIES) - 1, n)
    label = (truth_index[slot] + shift) % len(_CATEGORIES)
    label = np.where(label == popular_index[slot], (label + 1) % len(_CATEGORIES), label)
    label = np.where(label == truth_index[slot], (label + 1) % len(_CATEGORIES), label)
    label = np.where(correct, truth_index[slot], np.where(popular, popular_index[slot], label))
    # counts: a near miss (relative error ~ 25 %, never the truth itself)
    truth = count_truth[slot]
    miss = truth + np.round(truth * rng.normal(0.0, 0.25, n)).astype(np.int64)
    miss = np.where(miss == truth, truth + rng.choice([-1, 1], n), miss)
    miss = np.maximum(miss, 0)
    miss = np.where(miss == truth, truth + 1, miss)
    count = np.where(correct, truth, np.where(popular, popular_count[slot], miss))
    values = _CATEGORIES[label]
    values[is_count[slot]] = count[is_count[slot]].astype(object)
    return values


def generate(n_claims: int, n_sources: int = 200, n_slots: int | None = None, seed: int = 0,
             copiers: int = 0, kinds: Sequence[str] = ("category", "count"),
             popular_share: float = 0.6, hedged_share: float = 0.1, copy_rate: float = 0.8,
             accuracy: tuple[float, float] = (0.2, 0.95)) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(claims, truth)``: ``n_claims`` claims (columns source, subject, predicate, value,
    hedged; at most one per source and slot) by ``n_sources`` sources on ``n_slots`` slots
    (default ``n_claims // 10``), and the true value of every slot (subject, predicate, value).

    Source accuracy is uniform in ``accuracy``; hedged claims (``hedged_share``) are right a
    fifth less often; a wrong claim takes the slot's popular wrong value with probability
    ``popular_share``.  The last ``copiers`` sources copy the most active source of accuracy
    below 0.5: each claims 80 % of that source's slots and repeats its value with probability
    ``copy_rate`` (otherwise answers on its own); the copies replace random claims of the other
    sources.  ``source_accuracy`` is kept in ``claims.attrs``.

    >>> claims, truth = generate(2000, n_sources=20, seed=1)
    >>> len(truth), claims.columns.tolist()
    (200, ['source', 'subject', 'predicate', 'value', 'hedged'])
    """
    unknown = set(kinds) - set(_PREDICATES)
    if unknown:
        raise ValueError(f"unknown slot kinds {sorted(unknown)}; known: {sorted(_PREDICATES)}")
    rng = np.random.default_rng(seed)
    n_slots = max(1, n_claims // 10) if n_slots is None else n_slots
    n_own = n_sources - copiers
    source_accuracy = rng.uniform(*accuracy, n_sources)
    share = _activity(n_own, rng)

    kind = rng.choice(np.asarray(kinds, dtype=object), n_slots)
    is_count = kind == "count"
    truth_index = rng.integers(0, len(_CATEGORIES), n_slots)
    popular_index = (truth_index + rng.integers(1, len(_CATEGORIES), n_slots)) % len(_CATEGORIES)
    count_truth = np.round(10 ** rng.uniform(0.5, 3.5, n_slots)).astype(np.int64)
    factor = rng.choice([0.5, 1.5, 2.0, 10.0], n_slots)
    headline = np.round(count_truth * factor).astype(np.int64)
    headline = np.where(headline == count_truth, count_truth + 1, headline)

    original = -1
    if copiers:
        bad = np.flatnonzero(source_accuracy[:n_own] < 0.5)
        original = bad[np.argmax(share[bad])] if len(bad) else int(np.argmax(share))

    # distinct (source, slot) pairs: draw more than missing, keep the first of each pair, and
    # draw again while short (a source can claim each slot once, so the most active saturate)
    source = slot = np.empty(0, dtype=np.int64)
    for _ in range(50):
        draw = int((n_claims - len(source)) * 1.5) + 10
        source = np.concatenate([source, rng.choice(n_own, draw, p=share)])
        slot = np.concatenate([slot, rng.integers(0, n_slots, draw)])
        keep = np.sort(np.unique(source * n_slots + slot, return_index=True)[1])[:n_claims]
        source, slot = source[keep], slot[keep]
        if len(source) == n_claims:
            break

    copy_from = np.full(len(source), -1)
    if copiers:
        # the copies replace as many claims of the other sources, drawn at random
        mine = np.flatnonzero(source == original)
        copied = np.tile(mine, copiers)
        cover = rng.random(len(copied)) < 0.8
        copier = np.repeat(np.arange(n_own, n_sources), len(mine))[cover]
        others = np.flatnonzero(source != original)
        drop = rng.choice(others, min(cover.sum(), len(others)), replace=False)
        kept = np.ones(len(source), dtype=bool)
        kept[drop] = False
        position = np.cumsum(kept) - 1   # where each kept claim lands
        source = np.concatenate([source[kept], copier])
        slot = np.concatenate([slot[kept], slot[copied[cover]]])
        copy_from = np.concatenate([copy_from[kept], position[copied[cover]]])

    n = len(source)
    hedged = rng.random(n) < hedged_share
    correct = rng.random(n) < source_accuracy[source] * np.where(hedged, 0.8, 1.0)
    values = _draw_values(slot, correct, truth_index, popular_index, is_count, count_truth,
                          headline, popular_share, rng)
    repeat = (copy_from >= 0) & (rng.random(n) < copy_rate)
    values[repeat] = values[copy_from[repeat]]

    names = np.array([f"src{i:03d}" for i in range(n_own)]
                     + [f"copier{i}" for i in range(copiers)], dtype=object)
    subjects = np.array([f"event{i}" for i in range(n_slots)], dtype=object)
    predicates = np.array([_PREDICATES[k] for k in kind], dtype=object)
    claims = pd.DataFrame({"source": names[source], "subject": subjects[slot],
                           "predicate": predicates[slot], "value": values, "hedged": hedged})
    claims.attrs["source_accuracy"] = pd.Series(source_accuracy, index=names, name="accuracy")
    true_values = _CATEGORIES[truth_index]
    true_values[is_count] = count_truth[is_count].astype(object)
    truth = pd.DataFrame({"subject": subjects, "predicate": predicates, "value": true_values})
    return claims, truth


def count_implication(problem: TruthProblem, values: np.ndarray, scale: float = 0.25) -> sp.csr_matrix:
    """Agreement between the numeric candidates of one slot: ``1 - |a - b| / (scale * max)``,
    clipped into [-1, 1] (near misses support each other, distant counts conflict); NaN
    candidates get none.  A stand-in for the pipeline's ``values.compare``."""
    numeric = np.flatnonzero(~np.isnan(values))
    order = numeric[np.argsort(problem.value_slot[numeric], kind="stable")]
    slot = problem.value_slot[order]
    size = np.bincount(slot, minlength=problem.n_slots)[slot]
    start = np.searchsorted(slot, slot)
    # all ordered pairs (i, j) of one slot: i repeated size times, j running over the slot
    left = np.repeat(np.arange(len(order)), size)
    right = np.repeat(start, size) + (np.arange(len(left)) - np.repeat(np.cumsum(size) - size, size))
    left, right = order[left], order[right]
    off = left != right
    left, right = left[off], right[off]
    a, b = values[left], values[right]
    agreement = np.clip(1.0 - np.abs(a - b) / (scale * np.maximum(np.maximum(np.abs(a), np.abs(b)), 1.0)),
                        -1.0, 1.0)
    return sp.csr_matrix((agreement, (left, right)), shape=(problem.n_values, problem.n_values))


def to_problem(claims: pd.DataFrame, implication: bool = False) -> TruthProblem:
    """The claims as a :class:`TruthProblem` with hedged claims at weight 0.5, numeric values
    for count candidates and, with ``implication``, :func:`count_implication` between them."""
    plain = TruthProblem.from_claims(claims.assign(weight=np.where(claims["hedged"], 0.5, 1.0)))
    numeric = pd.to_numeric(pd.Series(plain.value_labels), errors="coerce").to_numpy(dtype=np.float64, copy=True)
    numeric[plain.slot_labels["predicate"].to_numpy()[plain.value_slot] != "count"] = np.nan
    return TruthProblem(
        claim_source=plain.claim_source, claim_value=plain.claim_value, value_slot=plain.value_slot,
        claim_weight=plain.claim_weight, value_numeric=numeric,
        implication=count_implication(plain, numeric) if implication else None,
        source_names=plain.source_names, value_labels=plain.value_labels,
        slot_labels=plain.slot_labels)


def evaluate(claims: pd.DataFrame, truth: pd.DataFrame, methods: Sequence[str],
             implication: bool = False) -> pd.DataFrame:
    """Per method: fit seconds (from the problem, without the table's factorisation),
    iterations, accuracy of the winners against ``truth``, the mean confidence of the winners, their expected calibration error (``ece``: ten equal-width bins
    of the winner's confidence, the bin-size weighted mean of |confidence - accuracy|), and the
    Brier score of ``confidence_`` (mean over slots of the squared error summed over the slot's
    candidates, the truth counting 1).  Values are compared with the truth as text."""
    problem = to_problem(claims, implication)
    labels = problem.slot_labels.merge(truth, on=["subject", "predicate"], how="left")["value"]
    value_text = pd.Series(problem.value_labels).astype(str).to_numpy()
    is_true = value_text == labels.astype(str).to_numpy()[problem.value_slot]
    rows = []
    for name in methods:
        estimator = get_estimator(name)
        fresh = dataclasses.replace(problem)   # no sparse matrices cached by an earlier method
        start = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            estimator.fit(fresh)
        seconds = time.perf_counter() - start
        winners = estimator.winners_
        confidence, right = estimator.confidence_[winners], is_true[winners]
        bins = np.minimum((confidence * 10).astype(int), 9)
        size = np.bincount(bins, minlength=10)
        gap = np.abs(np.bincount(bins, confidence - right, minlength=10))
        brier = np.bincount(problem.value_slot, (estimator.confidence_ - is_true) ** 2,
                            minlength=problem.n_slots)
        rows.append({"method": name, "seconds": round(seconds, 3), "iterations": estimator.n_iter_,
                     "converged": not caught, "accuracy": round(float(right.mean()), 4),
                     "mean_confidence": round(float(confidence.mean()), 4),
                     "ece": round(float(gap.sum() / max(size.sum(), 1)), 4),
                     "brier": round(float(brier.mean()), 4)})
    return pd.DataFrame(rows)


def main(argv: Sequence[str] | None = None) -> None:
    """Write a synthetic claims table (``--out``) or measure the estimators on one (``--evaluate``)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.synthetic", description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--slots", type=int, default=None)
    parser.add_argument("--seed", default="0", help="a seed, or several (0,1,2): --evaluate averages")
    parser.add_argument("--copiers", type=int, default=0)
    parser.add_argument("--kinds", default="category,count")
    parser.add_argument("--out", help="CSV of the claims; the truth goes next to it as <out>.truth.csv")
    parser.add_argument("--evaluate", action="store_true", help="print accuracy and time per method")
    parser.add_argument("--implication", action="store_true", help="with count agreement (--evaluate)")
    parser.add_argument("--methods", default=",".join(n for n in ESTIMATORS if n != "default"))
    args = parser.parse_args(argv)
    seeds = [int(seed) for seed in args.seed.split(",")]
    tables = []
    for seed in seeds:
        start = time.perf_counter()
        claims, truth = generate(args.claims, args.sources, args.slots, seed, args.copiers,
                                 tuple(args.kinds.split(",")))
        print(f"seed {seed}: {len(claims)} claims, {len(truth)} slots, generated in "
              f"{time.perf_counter() - start:.2f} s")
        if args.out:
            claims.to_csv(args.out, index=False)
            truth.to_csv(f"{args.out}.truth.csv", index=False)
        if args.evaluate:
            tables.append(evaluate(claims, truth, args.methods.split(","), args.implication))
    if tables:
        table = pd.concat(tables).groupby("method", sort=False).agg(
            seconds=("seconds", "mean"), iterations=("iterations", "mean"), converged=("converged", "all"),
            accuracy=("accuracy", "mean"), accuracy_min=("accuracy", "min"),
            mean_confidence=("mean_confidence", "mean"), ece=("ece", "mean"), brier=("brier", "mean"))
        with pd.option_context("display.width", 160):
            print(f"mean over seeds {args.seed}, copiers={args.copiers}, implication={args.implication}")
            print(table.round(4).to_string())


if __name__ == "__main__":
    main()
