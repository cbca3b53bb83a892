"""Extraction over a process pool gives the serial claims, in the same order."""

from __future__ import annotations

import pandas as pd
import pytest

from reconcile.cli import main
from reconcile.extract import extract_documents, read_articles
from reconcile.extract.parallel import extract_articles


@pytest.fixture(scope="module")
def articles() -> list[dict]:
    return read_articles("data/articles")


def test_two_processes_give_the_serial_claims(articles):
    seen = []
    parallel = extract_articles(articles, jobs=2, chunk_characters=5_000,
                                progress=lambda done, total: seen.append((done, total)))
    pd.testing.assert_frame_equal(parallel, extract_documents(articles))
    assert len(seen) > 2 and seen[-1] == (len(articles), len(articles))
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_unnamed_documents_keep_their_position_names(articles):
    texts = [a["text"] for a in articles[:4]]
    parallel = extract_articles(texts, jobs=2, chunk_characters=1, progress=False)
    pd.testing.assert_frame_equal(parallel, extract_documents(texts))
    assert set(parallel["document"]) <= {"doc0", "doc1", "doc2", "doc3"}


def test_jobs_must_be_positive(articles):
    with pytest.raises(ValueError, match="at least 1"):
        extract_articles(articles, jobs=0)


def test_cli_extract_with_jobs_prints_what_one_process_does(capsys):
    assert main(["extract", "data/articles", "--jobs", "1", "--format", "csv"]) == 0
    serial = capsys.readouterr()
    assert main(["extract", "data/articles", "--jobs", "2", "--format", "csv"]) == 0
    parallel = capsys.readouterr()
    assert parallel.out == serial.out
    assert parallel.err == ""   # no progress bar when stderr is no terminal
