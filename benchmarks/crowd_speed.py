"""Our crowd-kit families against crowd-kit 1.4.2 on the same seeded crowd: seconds, accuracy.

    python -m benchmarks.crowd_speed                       # 100k answers, 5 classes
    python -m benchmarks.crowd_speed --answers 20000 --methods glad,mace --peer-timeout 120

The crowd (:func:`crowd`): ``--answers`` answers to tasks of ``--classes`` labels with
unequal priors, each task answered by 3 to 7 of ``--workers`` workers of long-tailed activity
(Pareto), of accuracy uniform in 0.3-0.9 with a few spammers (chance accuracy) and one
adversary; a wrong answer is any other label alike.  Both sides get the same ``task, worker,
label`` rows, sorted by worker and label (so that crowd-kit's order of first appearance,
which seeds MACE's and M-MSR's random starts, is the sorted order ours uses).  Our seconds are
``fit`` on that DataFrame (factorising it into a ``TruthProblem`` included); crowd-kit's are
its ``fit`` + ``predict`` in a forked child (:func:`benchmarks.peers.run_guarded`) under
``--peer-timeout`` seconds, printed as "> limit" when it does not finish (the ratio is then a
lower bound).  Both use their default iteration counts and tolerances, except MACE, run with
one start on both sides (crowd-kit's ten restarts share one seed, so they are ten copies of
one run).  Accuracy is against the generated truth; ``agree`` is the share of tasks on which
the two give the same label.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd

from benchmarks.peers import peers_available, run_guarded
from reconcile.trust import ConvergenceWarning, TruthProblem, get_estimator

__all__ = ["METHODS", "crowd", "main", "run_ours", "run_peer"]

#: Our registry name -> (crowd-kit class, its constructor arguments).
METHODS = {
    "one_coin": ("OneCoinDawidSkene", {}),
    "glad": ("GLAD", {}),
    "mace": ("MACE", {"n_restarts": 1}),
    "wawa": ("Wawa", {}),
    "zero_based_skill": ("ZeroBasedSkill", {}),
    "mmsr": ("MMSR", {}),
}


def crowd(n_answers: int, n_workers: int, n_classes: int, seed: int) -> tuple[pd.DataFrame, pd.Series]:
    """``(task, worker, label)`` rows and the true label per task (see the module's text)."""
    rng = np.random.default_rng(seed)
    n_tasks = max(1, n_answers // 5)
    truth = rng.choice(n_classes, size=n_tasks, p=rng.dirichlet(np.full(n_classes, 3.0)))
    skill = rng.uniform(0.3, 0.9, n_workers)
    skill[: max(1, n_workers // 20)] = 1.0 / n_classes
    skill[-1] = 0.05
    activity = rng.pareto(1.5, n_workers) + 1.0
    per_task = rng.integers(3, 8, n_tasks)
    task = np.repeat(np.arange(n_tasks), per_task)
    # workers per task without repeats: the top per_task of random keys weighted by activity
    keys = rng.random((n_tasks, n_workers)) ** (1.0 / activity)
    chosen = np.argsort(-keys, axis=1)
    worker = chosen[task, np.arange(len(task)) - np.repeat(np.cumsum(per_task) - per_task, per_task)]
    right = rng.random(len(task)) < skill[worker]
    label = np.where(right, truth[task], (truth[task] + rng.integers(1, n_classes, len(task))) % n_classes)
    frame = pd.DataFrame({"task": [f"t{i:06d}" for i in task], "worker": [f"w{i:04d}" for i in worker],
                          "label": label.astype(np.int64)}).sort_values(["worker", "label"], kind="stable")
    return frame.reset_index(drop=True), pd.Series(truth, index=[f"t{i:06d}" for i in range(n_tasks)])


def run_ours(name: str, frame: pd.DataFrame) -> tuple[pd.Series, float]:
    """Our labels per task and the seconds of ``fit`` on the table."""
    claims = frame.rename(columns={"worker": "source", "task": "slot", "label": "value"})
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        problem = TruthProblem.from_claims(claims)
        model = get_estimator(name).fit(problem)
    seconds = time.perf_counter() - start
    return pd.Series(problem.value_labels[model.winners_], index=problem.slot_labels["slot"].to_numpy()), seconds


def _crowdkit_labels(peer: str, params: dict, frame: pd.DataFrame) -> pd.Series:
    from crowdkit import aggregation

    model = getattr(aggregation, peer)(**params)
    return model.fit_predict(frame)


def run_peer(name: str, frame: pd.DataFrame, timeout: float):
    """crowd-kit's outcome (labels or the reason there are none, seconds) for our ``name``."""
    peer, params = METHODS[name]
    return run_guarded(_crowdkit_labels, (peer, params, frame), timeout=timeout, memory=8 << 30, on_top=True)


def main(argv: list[str] | None = None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=300)
    parser.add_argument("--classes", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--peer-timeout", type=float, default=600.0)
    args = parser.parse_args(argv)
    frame, truth = crowd(args.answers, args.workers, args.classes, args.seed)
    print(f"{len(frame):,} answers, {frame['task'].nunique():,} tasks, {frame['worker'].nunique()} workers, "
          f"{args.classes} classes (seed {args.seed})")
    has_peer = peers_available()["ck"]
    rows = []
    for name in args.methods.split(","):
        ours, seconds = run_ours(name, frame)
        row = {"method": name, "ours_s": round(seconds, 3),
               "ours_acc": round(float((ours == truth.reindex(ours.index)).mean()), 4)}
        if has_peer:
            outcome = run_peer(name, frame, args.peer_timeout)
            row["crowdkit"] = METHODS[name][0]
            if outcome.value is None:
                timed_out = outcome.reason.startswith("over")
                row.update(crowdkit_s=f"> {outcome.seconds:.0f}" if timed_out
                           else f"{outcome.reason} after {outcome.seconds:.0f} s", crowdkit_acc="", agree="",
                           speedup=f"> {outcome.seconds / seconds:.0f}x" if timed_out else "-")
            else:
                theirs = outcome.value.reindex(ours.index)
                row.update(crowdkit_s=round(outcome.seconds, 2),
                           crowdkit_acc=round(float((theirs == truth.reindex(ours.index)).mean()), 4),
                           agree=round(float((theirs == ours).mean()), 4),
                           speedup=f"{outcome.seconds / seconds:.0f}x")
        rows.append(row)
        print(f"  {name}: ours {row['ours_s']} s, crowd-kit {row.get('crowdkit_s', '-')} s", flush=True)
    table = pd.DataFrame(rows)
    print(table.to_string(index=False))
    return table


if __name__ == "__main__":
    main()
