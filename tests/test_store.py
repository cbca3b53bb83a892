"""The SQLite run store: WAL, de-duplication by hash, runs and snapshots, the job lock."""

import sqlite3

import pytest

from reconcile.store import Store, StoreError, StoreLocked


def claim(value):
    return {"source": "police", "subject": "people", "predicate": "killed", "value": value}


def test_a_new_store_is_in_wal_mode(tmp_path):
    with Store(tmp_path / "s.db") as store:
        assert store.counts() == {"documents": 0, "claims": 0, "runs": 0}
    assert sqlite3.connect(tmp_path / "s.db").execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_documents_are_added_once_by_hash(tmp_path):
    with Store(tmp_path / "s.db") as store:
        store.begin()
        assert store.add_document("h1", "b.txt", "article", "2026-01-01", 1, [claim(8), claim(9)])
        assert not store.add_document("h1", "b.txt", "article", "2026-01-01", 2, [claim(10)])
        store.add_document("h2", "a.txt", "article", "2026-01-03", 2, [claim(11)])
        store.commit()
        assert store.known_hashes(["h1", "h3"]) == {"h1"}
        assert [c["value"] for c in store.claims()] == [11, 8, 9]  # by document name, then position
        assert [c["value"] for c in store.claims(up_to_run=1)] == [8, 9]
        assert store.watermark() == "2026-01-03"


def test_runs_and_snapshots(tmp_path):
    with Store(tmp_path / "s.db") as store:
        store.begin()
        for seq, value in ((1, 8), (2, 11)):
            store.add_run(seq, f"run-{seq}abc", f"2026-01-0{seq}", {"seq": seq}, [],
                          {"facts": f'{{"subject": "people", "predicate": "killed", "value": {value}}}',
                           "sources": ""})
        store.commit()
        assert [r.run_id for r in store.runs()] == ["run-1abc", "run-2abc"]
        assert store.run("2").run_id == "run-2abc" and store.run("run-1").seq == 1
        assert store.find_run("nothing") is None
        with pytest.raises(StoreError, match="ambiguous"):
            store.run("run-")
        assert [h["value"] for h in store.fact_history("people", "killed")] == [8, 11]
        assert store.snapshot(1, "sources") == []


def test_a_second_writer_gets_store_locked(tmp_path):
    first = Store(tmp_path / "s.db")
    first.begin()
    second = Store(tmp_path / "s.db", wait=0.1)
    with pytest.raises(StoreLocked, match="in use by another job"):
        second.begin()
    reader = Store(tmp_path / "s.db", readonly=True)  # WAL: readers go on
    assert reader.runs() == []
    first.rollback()
    second.begin()
    second.commit()
    for store in (first, second, reader):
        store.close()


def test_an_unfinished_transaction_leaves_nothing(tmp_path):
    store = Store(tmp_path / "s.db")
    store.begin()
    store.add_document("h1", "a.txt", "article", None, 1, [claim(8)])
    store.close()  # like a crash: never committed
    with Store(tmp_path / "s.db") as again:
        assert again.counts() == {"documents": 0, "claims": 0, "runs": 0}


def test_readonly_on_a_missing_file_is_empty_and_writes_nothing(tmp_path):
    with Store(tmp_path / "none.db", readonly=True) as store:
        assert store.runs() == [] and store.known_hashes(["x"]) == set()
        with pytest.raises(StoreError):
            store.begin()
    assert not (tmp_path / "none.db").exists()


def test_a_file_that_is_not_a_store(tmp_path):
    (tmp_path / "x.db").write_text("hello, not sqlite " * 100)
    with pytest.raises(StoreError, match="not a reconcile store"):
        Store(tmp_path / "x.db")
