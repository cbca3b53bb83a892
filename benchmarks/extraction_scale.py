"""Throughput of claim extraction over a large JSONL feed: one process against all cores.

    python -m benchmarks.extraction_scale --mb 50 [--jobs 8]

Builds a feed of ``--mb`` megabytes by repeating the bundled articles (``data/articles``)
under new ids, reads it as ``reconcile extract`` does, extracts the claims with one process
and with ``--jobs`` processes (default: all cores), checks that both give the same claims
and prints MB/s and articles/s for each.  Repeated texts hit the value parser's per-text
cache more often than a real feed would, so read the figures as an upper bound per core.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from reconcile.extract import read_articles
from reconcile.extract.parallel import default_jobs, extract_articles

__all__ = ["write_feed", "main"]

_ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"


def write_feed(path: Path, megabytes: float, articles: Path = _ARTICLES) -> int:
    """Write a JSONL feed of about ``megabytes`` MB of the bundled articles, repeated with
    varied ids; returns the number of articles written."""
    base = read_articles(articles)
    target, size, count = megabytes * 1e6, 0, 0
    with path.open("w", encoding="utf-8") as feed:
        while size < target:
            article = base[count % len(base)]
            line = json.dumps({**article, "id": f"{article['id']}#{count // len(base)}"},
                              ensure_ascii=False) + "\n"
            feed.write(line)
            size += len(line.encode("utf-8"))
            count += 1
    return count


def _timed(path: Path, jobs: int):
    start = time.perf_counter()
    claims = extract_articles(read_articles(path), jobs, progress=None)
    return claims, time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.extraction_scale",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=5.0, help="size of the feed in MB (default 5)")
    parser.add_argument("--jobs", type=int, default=default_jobs(), help="processes (default: all cores)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feed.jsonl"
        n = write_feed(path, args.mb)
        megabytes = path.stat().st_size / 1e6
        serial, serial_seconds = _timed(path, 1)
        parallel, parallel_seconds = _timed(path, args.jobs)
    if not serial.equals(parallel):
        raise SystemExit("the parallel claims differ from the serial ones")
    print(f"extract: {megabytes:.1f} MB, {n:,} articles, {len(serial):,} claims")
    for label, seconds in ((" 1 process", serial_seconds), (f"{args.jobs:>2} processes", parallel_seconds)):
        print(f"  {label}: {seconds:7.2f} s  {megabytes / seconds:6.2f} MB/s  {n / seconds:8.1f} articles/s")
    print(f"  speed-up {serial_seconds / parallel_seconds:.2f}x on {args.jobs} processes")


if __name__ == "__main__":
    main()
