"""Per-stage costs of the Dask engine on a LocalCluster, and what they say about a bigger run.

    python -m benchmarks.dask_scale --claims 1000000 --workers 2 [--method accu] [--project 100000000]

Generates synthetic claims (benchmarks.synthetic), runs the Dask engine's stages one by one
on a local cluster of ``--workers`` single-threaded processes, and prints the seconds of each
stage, the trust iterations, and the bytes per claim that size a cluster: the normalised
claims in memory (pandas, deep) and pickled (what the slot shuffle moves), and the client's
peak memory (where a method other than ``accu`` is fitted).  With ``--project`` it scales
those per-claim figures linearly to that many claims.
"""

from __future__ import annotations

import argparse
import pickle
import resource
import time

import pandas as pd

from benchmarks.synthetic import generate

__all__ = ["measure", "main"]


def measure(n_claims: int, workers: int, npartitions: int | None = None, method: str | None = None) -> dict:
    """Seconds per stage and bytes per claim of one Dask engine run on a LocalCluster."""
    import dask
    from distributed import Client, LocalCluster

    from reconcile.engines import dask as engine
    from reconcile.io import claims_frame
    from reconcile.trust import DEFAULT_METHOD, get_estimator
    from reconcile.values import Taxonomy

    claims, _ = generate(n_claims, seed=0)
    frame = claims_frame(claims)
    n = npartitions or max(2 * workers, -(-n_claims // engine.CLAIMS_PER_PARTITION))
    sample = frame.iloc[: min(len(frame), 100_000)]
    normalised = engine._normalise(sample, None)
    out = {"claims": n_claims, "partitions": n,
           "memory_bytes_per_claim": normalised.memory_usage(deep=True).sum() / len(sample),
           "shuffle_bytes_per_claim": len(pickle.dumps(normalised, protocol=5)) / len(sample)}
    estimator = get_estimator(method or DEFAULT_METHOD)
    out["method"], out["on_client"] = estimator.name, not engine._map_reducible(estimator)
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address="127.0.0.1:0") as cluster, Client(cluster), \
            dask.config.set({"dataframe.convert-string": False}):
        clock = time.perf_counter()
        slots, _ = engine._slot_partitions(frame, n, None, {})
        slots = slots.persist()
        dask.compute(slots.map_partitions(len))
        out["normalise_and_shuffle_s"] = time.perf_counter() - clock
        clock = time.perf_counter()
        partitions, names, weight = engine._score_partitions(slots, Taxonomy.default(), 0.5)
        out["score_s"] = time.perf_counter() - clock
        clock = time.perf_counter()
        fit = engine._fit_on_client if out["on_client"] else engine._fit_rounds
        trust, confidence, n_iter = fit(estimator, partitions, names if out["on_client"] else weight)
        out["trust_s"], out["rounds"] = time.perf_counter() - clock, n_iter
        clock = time.perf_counter()
        engine._consensus(partitions, confidence, pd.Series(trust, index=names), 0.2, 0.5,
                          ["subject", "predicate"])
        out["consensus_and_gather_s"] = time.perf_counter() - clock
    out["sources"] = len(names)
    out["client_peak_rss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.dask_scale",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--partitions", type=int, default=None)
    parser.add_argument("--method", default=None, help="the trust method (default: the pandas default)")
    parser.add_argument("--project", type=int, default=None, help="scale the per-claim figures to N claims")
    args = parser.parse_args(argv)
    got = measure(args.claims, args.workers, args.partitions, args.method)
    print(f"dask engine: {got['claims']:,} claims, {got['sources']} sources, {got['partitions']} partitions, "
          f"{args.workers} workers, method {got['method']}")
    for stage in ("normalise_and_shuffle_s", "score_s", "trust_s", "consensus_and_gather_s"):
        print(f"  {stage[:-2]:<24} {got[stage]:7.2f} s")
    where = "fitted on the client" if got["on_client"] else "map-reduce rounds"
    print(f"  trust: {got['rounds']} iterations, {where}, {got['trust_s'] / max(got['rounds'], 1):.2f} s each")
    print(f"  normalised claims: {got['memory_bytes_per_claim']:.0f} B/claim in memory, "
          f"{got['shuffle_bytes_per_claim']:.0f} B/claim pickled (shuffle)")
    print(f"  client peak RSS {got['client_peak_rss_bytes'] / 1e9:.2f} GB "
          f"({got['client_peak_rss_bytes'] / got['claims']:.0f} B/claim, the generated table included)")
    if args.project:
        scale = args.project / got["claims"]
        print(f"projected to {args.project:,} claims (linear in claims, same per-core speed):")
        print(f"  shuffle volume {got['shuffle_bytes_per_claim'] * args.project / 1e9:,.0f} GB, "
              f"claims in memory {got['memory_bytes_per_claim'] * args.project / 1e9:,.0f} GB")
        work = sum(got[s] for s in ("normalise_and_shuffle_s", "score_s", "trust_s")) * args.workers
        print(f"  compute {work * scale / 3600:,.1f} core-hours before consensus "
              f"(measured on {args.workers} cores)")


if __name__ == "__main__":
    main()
