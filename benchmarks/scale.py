"""Wall time and peak memory of ``reconcile run`` on a synthetic claims table, and the peers on
the same table in the same run.

    python -m benchmarks.scale --claims 1000000
    python -m benchmarks.scale --claims 10000000 --no-peers --no-stages

Generates the table (benchmarks.synthetic: sources of known reliability, numeric and
categorical slots, a popular wrong value), writes it as CSV, runs the real command line in a
child process with the default method, and prints wall seconds, claims per second, the child's
peak resident memory and the accuracy of the facts against the generated truth.  Then where
the time goes, stage by stage, in this process: seconds, claims per second and this process's
peak RSS so far (``ru_maxrss``, a running maximum that includes the generated table).

Then the peers (when installed, ``pip install .[peers]``; ``--no-peers`` skips them):
truthdiscovery's MajorityVoting, Sums, AverageLog, Investment, PooledInvestment and
TruthFinder, crowd-kit's MajorityVote, Wawa and DawidSkene.  Each gets the same claims as
(source, slot, value as text) votes and runs in a forked child under ``--peer-timeout``
seconds and ``--peer-memory`` GB of address space beyond this process's; one that does not
finish is printed with the limit it hit.  crowd-kit assumes one label space for all tasks, so
when there are more than 64 distinct values its label is the value's popularity rank within
its slot (the most claimed value is 0), decoded back to the value afterwards.  Answers are
scored with :func:`accuracy`, as ours are.

The comparison is not like for like, in the peers' favour: our seconds are the whole
``reconcile run`` (a new interpreter, reading the CSV, parsing values, resolving source names
and subjects, scoring candidates, trust, consensus, writing the outputs), a peer's seconds are
only what the peer itself needs on votes already in memory and encoded (building its input
structure from them, and the fit).  So the ratio (peer seconds / our seconds) is printed both
against our whole run and against our in-process trust + consensus stages (when the stages
are measured).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.peers import import_truthdiscovery, peers_available, run_guarded
from benchmarks.synthetic import generate

TD_PEERS = ["MajorityVoting", "Sums", "AverageLog", "Investment", "PooledInvestment", "TruthFinder"]
CK_PEERS = ["MajorityVote", "Wawa", "DawidSkene"]
#: Per peer: wall seconds, and GB of address space beyond this process's, before it is stopped.
PEER_TIMEOUT = 120.0
PEER_MEMORY_GB = 6.0
#: A peer within this much of our accuracy counts as reaching it.
ACCURACY_TOLERANCE = 0.005


def run_cli(claims_path: Path, out: Path, method: str | None) -> tuple[float, float]:
    """Seconds and peak RSS (GB) of one ``reconcile run`` child process."""
    command = [sys.executable, "-m", "reconcile.cli", "run", str(claims_path), "--out", str(out),
               "--format", "csv"] + (["--method", method] if method else [])
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, peak_kb / 1024 / 1024


def accuracy(facts: pd.DataFrame, truth: pd.DataFrame) -> float:
    """Share of slots whose fact value equals the generated truth (as text)."""
    merged = truth.merge(facts, on=["subject", "predicate"], how="left", suffixes=("_true", ""))
    return float((merged["value"].astype(str) == merged["value_true"].astype(str)).mean())


def _peak_gb() -> float:
    """This process's peak resident memory so far (GB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def stages(claims: pd.DataFrame) -> list[tuple[str, float, float]]:
    """(stage, seconds, peak RSS of this process so far in GB) per pipeline stage, in this process."""
    from reconcile.claims import normalize_claims
    from reconcile.consensus import consensus_facts
    from reconcile.io import claims_frame
    from reconcile.score import score_claims
    from reconcile.trust import get_estimator

    timings = []
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings.append((name, now - clock, _peak_gb()))
        clock = now

    frame = claims_frame(claims)
    lap("validate")
    normalised, _ = normalize_claims(frame)
    lap("normalise (values, sources, subjects, ids)")
    scored = score_claims(normalised)
    lap("score (slots, candidates, agreement)")
    estimator = get_estimator("default").fit(scored.problem)
    lap(f"trust ({estimator.n_iter_} iterations)")
    consensus_facts(scored, estimator.trust_, estimator.confidence_)
    lap("consensus")
    return timings


# -- the peers ---------------------------------------------------------------------------------
@dataclass
class Votes:
    """The claims as the peers take them: one vote per claim, slots as integer task codes."""

    source: np.ndarray      # source name per claim
    task: np.ndarray        # slot code per claim (int64)
    label: np.ndarray       # the claimed value as text
    ck_label: np.ndarray    # crowd-kit's label: the text, or its popularity rank in the slot
    ck_decode: pd.Series    # (task, ck_label) -> text
    slots: pd.DataFrame     # subject, predicate per task code


def peer_votes(claims: pd.DataFrame) -> Votes:
    """:class:`Votes` of a claims table (source, subject, predicate, value)."""
    task, slots = pd.MultiIndex.from_frame(claims[["subject", "predicate"]]).factorize()
    label = claims["value"].astype(str).to_numpy(dtype=object)
    pair, pairs = pd.MultiIndex.from_arrays([task, label]).factorize()
    pair_task = pairs.get_level_values(0).to_numpy()
    if pd.unique(label).size <= 64:
        ck_label, pair_label = label, pairs.get_level_values(1).to_numpy()
    else:  # rank by claims, ties by first appearance
        count = np.bincount(pair, minlength=len(pairs))
        order = np.lexsort((np.arange(len(pairs)), -count, pair_task))
        ordered_task = pair_task[order]
        pair_label = np.empty(len(pairs), dtype=np.int64)
        pair_label[order] = np.arange(len(pairs)) - np.searchsorted(ordered_task, ordered_task)
        ck_label = pair_label[pair]
    decode = pd.Series(pairs.get_level_values(1).to_numpy(),
                       index=pd.MultiIndex.from_arrays([pair_task, pair_label]))
    return Votes(claims["source"].to_numpy(dtype=object), task.astype(np.int64), label, ck_label, decode,
                 slots.to_frame(index=False, name=["subject", "predicate"]))


def _fit_peer(library: str, peer: str, votes: Votes) -> tuple[float, float, pd.Series]:
    """(seconds, GB of resident memory grown, answer per task) of one peer, in the child: the
    seconds cover building the peer's input from the votes and the fit."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # the same measure as after: never negative
    if library == "td":
        td = import_truthdiscovery()
        start = time.perf_counter()
        data = td.Dataset(zip(votes.source, votes.task, votes.label), allow_multiple=True)
        result = getattr(td, peer)().run(data)
        seconds = time.perf_counter() - start
        answers = pd.Series({task: max(sorted(beliefs), key=beliefs.__getitem__)
                             for task, beliefs in result.belief.items()}, dtype=object)
    else:
        from crowdkit import aggregation
        start = time.perf_counter()
        frame = pd.DataFrame({"worker": votes.source, "task": votes.task, "label": votes.ck_label})
        labels = getattr(aggregation, peer)().fit_predict(frame)
        seconds = time.perf_counter() - start
        answers = pd.Series(votes.ck_decode.reindex(
            pd.MultiIndex.from_arrays([labels.index.to_numpy(), labels.to_numpy()])).to_numpy(),
            index=labels.index.to_numpy())
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024 / 1024
    return seconds, grown, answers


def peer_facts(votes: Votes, answers: pd.Series) -> pd.DataFrame:
    """A peer's answers (value per task code) as facts: subject, predicate, value."""
    return votes.slots.iloc[answers.index.to_numpy()].assign(value=answers.to_numpy())


@dataclass
class PeerRun:
    name: str
    seconds: float          # the peer's own seconds (NaN when it did not finish)
    accuracy: float         # NaN when it did not finish
    grown_gb: float = float("nan")
    reason: str | None = None


def run_peers(claims: pd.DataFrame, truth: pd.DataFrame, timeout: float = PEER_TIMEOUT,
              memory_gb: float = PEER_MEMORY_GB, available: dict[str, bool] | None = None):
    """Yield a :class:`PeerRun` per installed peer, each in a guarded child process."""
    available = peers_available() if available is None else available
    votes = peer_votes(claims)
    for library, peers in (("td", TD_PEERS), ("ck", CK_PEERS)):
        if not available[library]:
            continue
        for peer in peers:
            name = f"{'truthdiscovery' if library == 'td' else 'crowd-kit'} {peer}"
            outcome = run_guarded(_fit_peer, (library, peer, votes), timeout, int(memory_gb * 2**30), on_top=True)
            if outcome.reason is not None:
                yield PeerRun(name, float("nan"), float("nan"), reason=outcome.reason)
                continue
            seconds, grown, answers = outcome.value
            yield PeerRun(name, seconds, accuracy(peer_facts(votes, answers), truth), grown)


def _ratio(peer_seconds: float, our_seconds: float, words: bool = False) -> str:
    """``peer_seconds / our_seconds`` as ``"2.50x"``; with ``words``, who is faster, and by how much."""
    ratio = peer_seconds / our_seconds
    if not words:
        return f"{ratio:.2f}x"
    return f"{ratio:.2f}x ({'we are' if ratio >= 1 else 'the peer is'} {max(ratio, 1 / ratio):.1f}x faster)"


def summary(runs: list[PeerRun], our_accuracy: float, our_seconds: float, core_seconds: float | None) -> str:
    """The closing line: the fastest peer that reaches our accuracy (within
    ``ACCURACY_TOLERANCE``), or the fastest peer overall when none does, and its ratio."""
    done = [run for run in runs if run.reason is None]
    if not done:
        return "no peer finished"
    good = [run for run in done if run.accuracy >= our_accuracy - ACCURACY_TOLERANCE]
    fastest = min(good or done, key=lambda run: run.seconds)
    lead = (f"fastest peer at our accuracy ({our_accuracy:.3f} - {ACCURACY_TOLERANCE}): " if good else
            f"no peer reached our accuracy ({our_accuracy:.3f} - {ACCURACY_TOLERANCE}); fastest peer overall: ")
    line = (f"{lead}{fastest.name}, {fastest.seconds:.2f} s, accuracy {fastest.accuracy:.3f}; its seconds / ours = "
            f"{_ratio(fastest.seconds, our_seconds, True)} against our whole run")
    if core_seconds:
        line += f", {_ratio(fastest.seconds, core_seconds, True)} against our trust + consensus"
    return line


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale", description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--method", default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-stages", action="store_true", help="skip the in-process stage timings")
    parser.add_argument("--no-peers", action="store_true", help="skip the peers")
    parser.add_argument("--peer-timeout", type=float, default=PEER_TIMEOUT, help="seconds per peer")
    parser.add_argument("--peer-memory", type=float, default=PEER_MEMORY_GB,
                        help="GB of address space per peer beyond this process's")
    args = parser.parse_args(argv)
    claims, truth = generate(args.claims, n_sources=args.sources, seed=args.seed)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "claims.csv"
        claims.to_csv(path, index=False)
        seconds, peak_gb = run_cli(path, Path(folder) / "out", args.method)
        facts = pd.read_csv(Path(folder) / "out" / "facts.csv", dtype={"value": str})
    ours = accuracy(facts, truth)
    n = len(claims)
    print(f"reconcile run: {n:,} claims, {len(truth):,} slots, {args.sources} sources, "
          f"method {args.method or 'default'}")
    print(f"  wall {seconds:.2f} s  ({n / seconds:,.0f} claims/s)  peak RSS {peak_gb:.2f} GB  "
          f"accuracy {ours:.3f}", flush=True)
    core = None
    if not args.no_stages:
        print(f"stages in this process (peak RSS so far: a running maximum; {_peak_gb():.2f} GB "
              "with the generated table, before the stages)")
        timings = stages(claims)
        for name, spent, peak in timings:
            print(f"  {name:<45} {spent:6.2f} s  {n / spent:>12,.0f} claims/s  peak RSS so far {peak:5.2f} GB")
        core = sum(spent for name, spent, _ in timings if name.startswith(("trust", "consensus")))
        print(f"  {'trust + consensus':<45} {core:6.2f} s  {n / core:>12,.0f} claims/s", flush=True)
    available = {"td": False, "ck": False} if args.no_peers else peers_available()
    if not any(available.values()):
        print("peers: skipped" if args.no_peers else "peers: not installed (pip install .[peers])")
        return
    against = "our whole run" + (" | our trust + consensus" if core else "")
    print(f"peers on the same claims (their seconds: input structure + fit on votes in memory; "
          f"ratio = peer seconds / ours, against {against}; limits {args.peer_timeout:g} s, "
          f"+{args.peer_memory:g} GB)")
    runs = []
    for run in run_peers(claims, truth, args.peer_timeout, args.peer_memory, available):
        runs.append(run)
        if run.reason is not None:
            print(f"  {run.name:<32} did not finish: {run.reason}", flush=True)
            continue
        ratios = _ratio(run.seconds, seconds) + (f" | {_ratio(run.seconds, core)}" if core else "")
        print(f"  {run.name:<32} {run.seconds:7.2f} s  {n / run.seconds:>10,.0f} claims/s  "
              f"+{run.grown_gb:.2f} GB  accuracy {run.accuracy:.3f}  ratio {ratios}", flush=True)
    print(summary(runs, ours, seconds, core))


if __name__ == "__main__":
    main()
