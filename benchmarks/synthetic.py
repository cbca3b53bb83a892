"""Synthetic claims with a known truth, for measuring the trust estimators.

Sources have a known accuracy and long-tail activity; every slot has a popular wrong value that
wrong sources favour; optional copiers repeat a bad, very active source.  Slots are categorical
(a few labels: codes "c0", digits "0" or words "red" / "label 3") or counts (an integer truth;
wrong counts are a popular "headline" figure or a near miss).  Everything is drawn with numpy,
deterministically per seed.

    python -m benchmarks.synthetic --claims 1000000 --out claims.csv
    python -m benchmarks.synthetic --claims 1000000 --copiers 5 --evaluate
    python -m benchmarks.synthetic --claims 100000 --slots 10000 --sources 55 --copiers 5 \
        --accuracy 0.2,0.9 --kinds category --n-labels 5 --labels words --label-predicate answer --pipeline
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

import reconcile
from reconcile.consensus import format_value
from reconcile.trust import ESTIMATORS, ConvergenceWarning, TruthProblem, get_estimator

__all__ = ["LABELS", "generate", "to_problem", "count_implication", "evaluate", "evaluate_pipeline", "main"]

#: How the labels of categorical slots are written: codes, digits, or words (colours and
#: "label N", which look alike as strings but are different labels).
LABELS = {
    "codes": [f"c{i}" for i in range(10)],
    "digits": [str(i) for i in range(10)],
    "words": ["red", "green", "label 2", "label 3", "label 4", "blue", "label 6", "yellow", "label 8",
              "label 9"],
}
_PREDICATES = {"category": "category", "count": "count"}


def _activity(n_sources: int, rng: np.random.Generator) -> np.ndarray:
    """Long-tail (Zipf-like, exponent 1) claim shares, in a random order of sources."""
    share = 1.0 / np.arange(1, n_sources + 1)
    return rng.permutation(share / share.sum())


def _draw_values(slot: np.ndarray, correct: np.ndarray, truth_index: np.ndarray,
                 popular_index: np.ndarray, is_count: np.ndarray, count_truth: np.ndarray,
                 popular_count: np.ndarray, popular_share: float, categories: np.ndarray,
                 rng: np.random.Generator) -> np.ndarray:
    """The value of each claim on ``slot``: the truth where ``correct``, otherwise the slot's
    popular wrong value (with probability ``popular_share``) or another wrong value."""
    n, n_labels = len(slot), len(categories)
    popular = ~correct & (rng.random(n) < popular_share)
    # categories: another wrong label, neither the truth nor the popular one
    shift = rng.integers(1, n_labels - 1, n)
    label = (truth_index[slot] + shift) % n_labels
    label = np.where(label == popular_index[slot], (label + 1) % n_labels, label)
    label = np.where(label == truth_index[slot], (label + 1) % n_labels, label)
    label = np.where(correct, truth_index[slot], np.where(popular, popular_index[slot], label))
    # counts: a near miss (relative error ~ 25 %, never the truth itself)
    truth = count_truth[slot]
    miss = truth + np.round(truth * rng.normal(0.0, 0.25, n)).astype(np.int64)
    miss = np.where(miss == truth, truth + rng.choice([-1, 1], n), miss)
    miss = np.maximum(miss, 0)
    miss = np.where(miss == truth, truth + 1, miss)
    count = np.where(correct, truth, np.where(popular, popular_count[slot], miss))
    values = categories[label]
    values[is_count[slot]] = count[is_count[slot]].astype(object)
    return values


def generate(n_claims: int, n_sources: int = 200, n_slots: int | None = None, seed: int = 0,
             copiers: int = 0, kinds: Sequence[str] = ("category", "count"),
             popular_share: float = 0.6, hedged_share: float = 0.1, copy_rate: float = 0.8,
             accuracy: tuple[float, float] = (0.2, 0.95), n_labels: int = 6,
             labels: str = "codes", label_predicate: str = "category") -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(claims, truth)``: ``n_claims`` claims (columns source, subject, predicate, value,
    hedged; at most one per source and slot) by ``n_sources`` sources on ``n_slots`` slots
    (default ``n_claims // 10``), and the true value of every slot (subject, predicate, value).

    Source accuracy is uniform in ``accuracy``; hedged claims (``hedged_share``) are right a
    fifth less often; a wrong claim takes the slot's popular wrong value with probability
    ``popular_share``.  The last ``copiers`` sources copy the most active source of accuracy
    below 0.5: each claims 80 % of that source's slots and repeats its value with probability
    ``copy_rate`` (otherwise answers on its own); the copies replace random claims of the other
    sources.  Categorical slots draw from ``n_labels`` (3 to 10) labels written as
    :data:`LABELS` ``[labels]`` under the predicate ``label_predicate`` ("category" tells the
    engine that they are categories; a name such as "answer" leaves it to read the values);
    the draws do not depend on how the labels are written.
    ``source_accuracy`` is kept in ``claims.attrs``.

    >>> claims, truth = generate(2000, n_sources=20, seed=1)
    >>> len(truth), claims.columns.tolist()
    (200, ['source', 'subject', 'predicate', 'value', 'hedged'])
    """
    unknown = set(kinds) - set(_PREDICATES)
    if unknown:
        raise ValueError(f"unknown slot kinds {sorted(unknown)}; known: {sorted(_PREDICATES)}")
    if labels not in LABELS or not 3 <= n_labels <= len(LABELS[labels]):
        raise ValueError(f"labels must be one of {sorted(LABELS)} and n_labels in [3, 10], "
                         f"got {labels!r} and {n_labels}")
    categories = np.array(LABELS[labels][:n_labels], dtype=object)
    rng = np.random.default_rng(seed)
    n_slots = max(1, n_claims // 10) if n_slots is None else n_slots
    n_own = n_sources - copiers
    source_accuracy = rng.uniform(*accuracy, n_sources)
    share = _activity(n_own, rng)

    kind = rng.choice(np.asarray(kinds, dtype=object), n_slots)
    is_count = kind == "count"
    truth_index = rng.integers(0, n_labels, n_slots)
    popular_index = (truth_index + rng.integers(1, n_labels, n_slots)) % n_labels
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
                          headline, popular_share, categories, rng)
    repeat = (copy_from >= 0) & (rng.random(n) < copy_rate)
    values[repeat] = values[copy_from[repeat]]

    names = np.array([f"src{i:03d}" for i in range(n_own)]
                     + [f"copier{i}" for i in range(copiers)], dtype=object)
    subjects = np.array([f"event{i}" for i in range(n_slots)], dtype=object)
    predicates = np.array([label_predicate if k == "category" else _PREDICATES[k] for k in kind], dtype=object)
    claims = pd.DataFrame({"source": names[source], "subject": subjects[slot],
                           "predicate": predicates[slot], "value": values, "hedged": hedged})
    claims.attrs["source_accuracy"] = pd.Series(source_accuracy, index=names, name="accuracy")
    true_values = categories[truth_index]
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
        brier = np.bincount(problem.value_slot, (estimator.confidence_ - is_true) ** 2,
                            minlength=problem.n_slots)
        rows.append({"method": name, "seconds": round(seconds, 3), "iterations": estimator.n_iter_,
                     "converged": not caught, "accuracy": round(float(right.mean()), 4),
                     "mean_confidence": round(float(confidence.mean()), 4),
                     "ece": round(_ece(confidence, right), 4),
                     "brier": round(float(brier.mean()), 4)})
    return pd.DataFrame(rows)


def _ece(confidence: np.ndarray, right: np.ndarray) -> float:
    """Expected calibration error: ten equal-width bins of ``confidence``, the bin-size
    weighted mean of |confidence - accuracy|."""
    bins = np.minimum((confidence * 10).astype(int), 9)
    gap = np.abs(np.bincount(bins, confidence - right, minlength=10))
    return float(gap.sum() / max(len(confidence), 1))


def evaluate_pipeline(claims: pd.DataFrame, truth: pd.DataFrame,
                      methods: Sequence[str] = ("default", "majority_vote")) -> pd.DataFrame:
    """Per method, the claims end to end through :func:`reconcile.reconcile` (values parsed and
    compared by the engine, as a user's table would be; each source pinned to itself): seconds,
    accuracy of the facts against ``truth`` (as text), the share of facts per status, and the
    ECE of the facts' confidence."""
    pins = {s: s for s in pd.unique(claims["source"])}
    rows = []
    for name in methods:
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            facts = reconcile.reconcile(claims, method=name, aliases=pins).facts
        seconds = time.perf_counter() - start
        merged = truth.merge(facts, on=["subject", "predicate"], how="left", suffixes=("_true", ""))
        right = (merged["value"].map(format_value).str.casefold()
                 == merged["value_true"].map(format_value).str.casefold()).to_numpy()
        status = merged["status"].value_counts(normalize=True)
        rows.append({"method": name, "seconds": round(seconds, 2), "accuracy": round(float(right.mean()), 4),
                     **{f"{s}_share": round(float(status.get(s, 0.0)), 4)
                        for s in ("consensus", "contested", "single_source")},
                     "mean_confidence": round(float(merged["confidence"].mean()), 4),
                     "ece": round(_ece(merged["confidence"].fillna(0.0).to_numpy(), right), 4)})
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
    parser.add_argument("--accuracy", default="0.2,0.95", help="the range of source accuracy: LOW,HIGH")
    parser.add_argument("--n-labels", type=int, default=6, help="labels of a categorical slot (3-10)")
    parser.add_argument("--labels", choices=sorted(LABELS), default="codes",
                        help="how labels are written: codes (c3), digits (3) or words (red, label 3)")
    parser.add_argument("--label-predicate", default="category",
                        help='the predicate of categorical slots ("answer": the engine reads the values)')
    parser.add_argument("--pipeline", action="store_true",
                        help="run the claims end to end through reconcile() (default and majority vote)")
    args = parser.parse_args(argv)
    low, high = (float(x) for x in args.accuracy.split(","))
    seeds = [int(seed) for seed in args.seed.split(",")]
    tables = []
    for seed in seeds:
        start = time.perf_counter()
        claims, truth = generate(args.claims, args.sources, args.slots, seed, args.copiers,
                                 tuple(args.kinds.split(",")), accuracy=(low, high),
                                 n_labels=args.n_labels, labels=args.labels,
                                 label_predicate=args.label_predicate)
        print(f"seed {seed}: {len(claims)} claims, {len(truth)} slots, generated in "
              f"{time.perf_counter() - start:.2f} s")
        if args.out:
            claims.to_csv(args.out, index=False)
            truth.to_csv(f"{args.out}.truth.csv", index=False)
        if args.evaluate:
            tables.append(evaluate(claims, truth, args.methods.split(","), args.implication))
        if args.pipeline:
            with pd.option_context("display.width", 160):
                print(evaluate_pipeline(claims, truth).to_string(index=False))
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
