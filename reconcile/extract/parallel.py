"""Extraction on all cores: chunks of articles to a process pool, results in input order.

Articles are independent (every document keeps its own speakers), so extracting chunks in
separate processes and concatenating them in order gives the serial result.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor

import pandas as pd

from .core import extract_documents

__all__ = ["extract_articles", "default_jobs", "add_jobs_option", "CHUNK_CHARACTERS"]

#: Article text per chunk sent to a worker (characters); small enough to balance, large
#: enough that pickling and process hand-over stay a small share of the work.
CHUNK_CHARACTERS = 250_000


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def add_jobs_option(parser: argparse.ArgumentParser) -> None:
    """``--jobs N`` for commands that extract claims from articles."""
    parser.add_argument("--jobs", type=int, default=None, metavar="N",
                        help="processes that extract claims from articles (default: all cores)")


def _chunks(docs: Sequence[dict], size: int) -> list[list[dict]]:
    """Consecutive chunks of about ``size`` characters of text each."""
    chunks, current, length = [], [], 0
    for doc in docs:
        current.append(doc)
        length += len(doc["text"])
        if length >= size:
            chunks.append(current)
            current, length = [], 0
    return chunks + ([current] if current else [])


def _stderr_progress(done: int, total: int) -> None:
    sys.stderr.write(f"\rextract: {done:,}/{total:,} articles ({100 * done // max(total, 1)} %)")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def extract_articles(docs: Sequence, jobs: int | None = 1, *,
                     progress: bool | Callable[[int, int], None] | None = None,
                     chunk_characters: int = CHUNK_CHARACTERS) -> pd.DataFrame:
    """:func:`extract_documents` over ``jobs`` processes (None: all cores; 1: this process).

    ``progress``: a ``callback(done, total)`` in articles, True for a line on stderr, or None
    for that line only when stderr is a terminal.  The frame equals the serial one.
    """
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise ValueError("jobs must be at least 1")
    # documents without an id are named by their position in the whole input, as serially
    docs = [_named(doc, i) for i, doc in enumerate(docs)]
    chunks = _chunks(docs, chunk_characters)
    if jobs == 1 or len(chunks) < 2:
        return extract_documents(docs)
    report = _stderr_progress if progress is True or (progress is None and sys.stderr.isatty()) \
        else progress or None
    frames, done = [], 0
    with ProcessPoolExecutor(max_workers=min(jobs, len(chunks))) as pool:
        for chunk, frame in zip(chunks, pool.map(extract_documents, chunks)):
            frames.append(frame)
            done += len(chunk)
            if report:
                report(done, len(docs))
    found = [f for f in frames if len(f)]
    # column types as one frame of all rows would infer them (a chunk without cites has None)
    return pd.concat(found, ignore_index=True).infer_objects() if found else frames[0]


def _named(doc, position: int) -> dict:
    """The article as a dict with its document name fixed."""
    if isinstance(doc, str):
        doc = {"text": doc}
    if not isinstance(doc.get("text"), str):
        raise TypeError(f"document {position}: 'text' must be a string")
    if doc.get("id") or doc.get("document"):
        return doc
    return {**doc, "id": f"doc{position}"}
