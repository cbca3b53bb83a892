"""Wall time and peak memory of ``reconcile run`` on a synthetic claims table.

    python -m benchmarks.scale --claims 1000000

Generates the table (benchmarks.synthetic: sources of known reliability, numeric and
categorical slots, a popular wrong value), writes it as CSV, runs the real command line in a
child process with the default method, and prints wall seconds, claims per second, the child's
peak resident memory and the accuracy of the facts against the generated truth. Then it prints
where the time goes, stage by stage, in this process.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from benchmarks.synthetic import generate


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


def stages(claims: pd.DataFrame) -> list[tuple[str, float]]:
    """Seconds per pipeline stage, in this process."""
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
        timings.append((name, now - clock))
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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale", description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--method", default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-stages", action="store_true", help="skip the in-process stage timings")
    args = parser.parse_args(argv)
    claims, truth = generate(args.claims, n_sources=args.sources, seed=args.seed)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "claims.csv"
        claims.to_csv(path, index=False)
        seconds, peak_gb = run_cli(path, Path(folder) / "out", args.method)
        facts = pd.read_csv(Path(folder) / "out" / "facts.csv", dtype={"value": str})
    print(f"reconcile run: {len(claims):,} claims, {len(truth):,} slots, {args.sources} sources, "
          f"method {args.method or 'default'}")
    print(f"  wall {seconds:.2f} s  ({len(claims) / seconds:,.0f} claims/s)  peak RSS {peak_gb:.2f} GB  "
          f"accuracy {accuracy(facts, truth):.3f}")
    if not args.no_stages:
        for name, spent in stages(claims):
            print(f"  {name:<45} {spent:6.2f} s")


if __name__ == "__main__":
    main()
