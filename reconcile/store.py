"""The run store: documents, claims, runs and fact snapshots in one SQLite file.

SQLite from the standard library, in WAL mode. Documents and claims are append-only and
de-duplicated by content hash; every run is recorded (id, ``as_of``, inputs with their
hashes, method and parameters, package version, counts) with a snapshot of its facts and
sources. A job holds one write transaction (``BEGIN IMMEDIATE``) for its whole run, so a
second job on the same store waits up to ``wait`` seconds and then gets :class:`StoreLocked`;
a job killed at any moment leaves the store as it was before the job began (SQLite rolls
the unfinished transaction back).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from os import PathLike
from pathlib import Path
from urllib.parse import quote
from typing import Any, Self

from .contract import ReconcileError

__all__ = ["SCHEMA_VERSION", "RunRecord", "Store", "StoreError", "StoreLocked"]

log = logging.getLogger(__name__)

#: Bumped when the tables change shape.
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    hash TEXT PRIMARY KEY,          -- sha256 of the article record or the claim table's bytes
    name TEXT NOT NULL,             -- article id or file name
    kind TEXT NOT NULL,             -- 'article' or 'table'
    published TEXT,                 -- the article's publication date, if any
    first_run INTEGER NOT NULL,     -- seq of the run that first saw it
    record TEXT                     -- the article (id, text, published, outlet, ...) as JSON
);
CREATE TABLE IF NOT EXISTS claims (
    doc_hash TEXT NOT NULL REFERENCES documents(hash),
    ordinal INTEGER NOT NULL,       -- position in its document
    claim_id TEXT,
    record TEXT NOT NULL,           -- the claim as read or extracted, as JSON
    PRIMARY KEY (doc_hash, ordinal)
);
CREATE TABLE IF NOT EXISTS runs (
    seq INTEGER PRIMARY KEY,
    run_id TEXT NOT NULL UNIQUE,
    as_of TEXT NOT NULL,
    manifest TEXT NOT NULL          -- inputs, hashes, method, parameters, version, counts
);
CREATE TABLE IF NOT EXISTS run_documents (
    run_seq INTEGER NOT NULL REFERENCES runs(seq),
    doc_hash TEXT NOT NULL REFERENCES documents(hash),
    PRIMARY KEY (run_seq, doc_hash)
);
CREATE TABLE IF NOT EXISTS snapshots (
    run_seq INTEGER NOT NULL REFERENCES runs(seq),
    name TEXT NOT NULL,             -- 'facts' or 'sources'
    body TEXT NOT NULL,             -- the table as JSON lines
    PRIMARY KEY (run_seq, name)
);
"""


class StoreError(ReconcileError):
    """The store cannot be used (not a reconcile store, a newer schema, no such run)."""


class StoreLocked(StoreError):
    """Another job holds the store; worth a retry later (the CLI exits 75)."""


class RunRecord(dict):
    """One recorded run: ``seq``, ``run_id``, ``as_of`` and its ``manifest`` (a dict)."""

    @property
    def run_id(self) -> str:
        return self["run_id"]

    @property
    def seq(self) -> int:
        return self["seq"]


class Store:
    """A reconcile store at ``path`` (created on first write).

    Use :meth:`transaction` around a job's writes; reads work at any time.
    ``readonly=True`` opens an existing store without writing (a missing file, or
    ``path=None``, reads as empty), for ``--dry-run`` and ``diff``.
    """

    def __init__(self, path: str | PathLike | None, *, wait: float = 0.0, readonly: bool = False):
        if path is None and not readonly:
            raise ValueError("only a read-only store can have no path")
        self.path = Path(path) if path is not None else None
        self.wait = float(wait)
        self.readonly = readonly
        self._db: sqlite3.Connection | None = None
        if readonly and (self.path is None or not self.path.exists()):
            self._db = sqlite3.connect(":memory:", isolation_level=None)
            self._db.executescript(_SCHEMA)
        elif readonly:
            self._db = self._connect(f"file:{quote(str(self.path.resolve()))}?mode=ro", uri=True)  # '#', '?', '%' escaped
            self._check_schema()
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = self._connect(str(self.path))
            self._create()

    def _connect(self, target: str, uri: bool = False) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(target, uri=uri, isolation_level=None, timeout=self.wait)
            db.execute(f"PRAGMA busy_timeout = {int(self.wait * 1000)}")
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: cannot open the store: {error}") from None
        return db

    def _create(self) -> None:
        try:
            with self._locked():
                mode = self._db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                self._db.execute("PRAGMA synchronous = FULL")
                if not self._db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone():
                    self._db.executescript(f"BEGIN IMMEDIATE; {_SCHEMA} INSERT OR IGNORE INTO meta "
                                           f"VALUES ('schema', '{SCHEMA_VERSION}'); COMMIT;")
        except sqlite3.DatabaseError as error:
            self.rollback()
            raise StoreError(f"{self.path}: not a reconcile store ({error})") from None
        if mode.lower() != "wal":
            log.warning("store %s: journal mode is %s, not WAL", self.path, mode)
        self._check_schema()

    def _check_schema(self) -> None:
        try:
            row = self._db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: not a reconcile store ({error})") from None
        if row is None or int(row[0]) > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: store schema {row and row[0]} is not supported "
                             f"(this version reads {SCHEMA_VERSION})")

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- transactions -----------------------------------------------------------------

    def _locked(self):
        return _LockTranslation(self)

    def begin(self) -> None:
        """Start the job's write transaction; waits ``wait`` seconds for another job, then
        raises :class:`StoreLocked`."""
        if self.readonly:
            raise StoreError("the store is open read-only")
        with self._locked():
            self._db.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        with self._locked():
            self._db.execute("COMMIT")

    def rollback(self) -> None:
        if self._db is not None and self._db.in_transaction:
            self._db.execute("ROLLBACK")

    # -- documents and claims -----------------------------------------------------------

    def known_hashes(self, hashes: Iterable[str]) -> set[str]:
        """The hashes among ``hashes`` whose documents are stored."""
        wanted = list(dict.fromkeys(hashes))
        known: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            rows = self._db.execute(f"SELECT hash FROM documents WHERE hash IN ({','.join('?' * len(chunk))})",
                                    chunk)
            known.update(r[0] for r in rows)
        return known

    def add_document(self, doc_hash: str, name: str, kind: str, published: str | None,
                     run_seq: int, claims: Sequence[Mapping[str, Any]],
                     record: Mapping[str, Any] | None = None) -> bool:
        """Store a document (``record``: the article itself) and its claims unless its hash
        is known; True when added."""
        added = self._db.execute("INSERT OR IGNORE INTO documents VALUES (?, ?, ?, ?, ?, ?)",
                                 (doc_hash, name, kind, published, run_seq,
                                  None if record is None else _dumps(record))).rowcount
        if added:
            self._db.executemany(
                "INSERT INTO claims VALUES (?, ?, ?, ?)",
                [(doc_hash, i, c.get("claim_id"), _dumps(c)) for i, c in enumerate(claims)])
        return bool(added)

    def claims(self, up_to_run: int | None = None) -> list[dict]:
        """Every stored claim (of documents first seen in runs up to ``up_to_run``), in a
        fixed order: by document name and hash, then position."""
        query = ("SELECT c.record FROM claims c JOIN documents d ON d.hash = c.doc_hash "
                 + ("WHERE d.first_run <= ? " if up_to_run is not None else "")
                 + "ORDER BY d.name, d.hash, c.ordinal")
        args = (up_to_run,) if up_to_run is not None else ()
        return [json.loads(r[0]) for r in self._db.execute(query, args)]

    def articles(self, up_to_run: int | None = None) -> list[dict]:
        """The stored articles (first seen in runs up to ``up_to_run``), in :meth:`claims` order."""
        query = ("SELECT record FROM documents WHERE record IS NOT NULL "
                 + ("AND first_run <= ? " if up_to_run is not None else "") + "ORDER BY name, hash")
        args = (up_to_run,) if up_to_run is not None else ()
        return [json.loads(r[0]) for r in self._db.execute(query, args)]

    def watermark(self) -> str | None:
        """The latest publication date among stored articles (for ``--since watermark``)."""
        return self._db.execute("SELECT MAX(published) FROM documents").fetchone()[0]

    def is_empty(self) -> bool:
        """True when no document and no run is stored."""
        return not any(self.counts().values())

    def counts(self) -> dict[str, int]:
        return {name: self._db.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0]
                for name in ("documents", "claims", "runs")}

    # -- runs -------------------------------------------------------------------------

    def next_seq(self) -> int:
        return (self._db.execute("SELECT MAX(seq) FROM runs").fetchone()[0] or 0) + 1

    def add_run(self, seq: int, run_id: str, as_of: str, manifest: Mapping[str, Any],
                doc_hashes: Iterable[str], snapshots: Mapping[str, str]) -> None:
        """Record a run, the documents it read and its table snapshots (JSON lines)."""
        self._db.execute("INSERT INTO runs VALUES (?, ?, ?, ?)", (seq, run_id, as_of, _dumps(manifest)))
        self._db.executemany("INSERT OR IGNORE INTO run_documents VALUES (?, ?)",
                             [(seq, h) for h in doc_hashes])
        self._db.executemany("INSERT INTO snapshots VALUES (?, ?, ?)",
                             [(seq, name, body) for name, body in sorted(snapshots.items())])

    def runs(self) -> list[RunRecord]:
        """All runs, oldest first."""
        return [_record(row) for row in
                self._db.execute("SELECT seq, run_id, as_of, manifest FROM runs ORDER BY seq")]

    def find_run(self, key: str) -> RunRecord | None:
        """A run by id, unique id prefix, or sequence number; None when there is none."""
        rows = self._db.execute("SELECT seq, run_id, as_of, manifest FROM runs WHERE run_id = ? "
                                "OR (CAST(seq AS TEXT) = ?) ORDER BY seq", (key, key)).fetchall()
        if not rows:
            rows = self._db.execute("SELECT seq, run_id, as_of, manifest FROM runs WHERE run_id LIKE ? "
                                    "ORDER BY seq", (key.replace("%", "") + "%",)).fetchall()
            if len(rows) > 1:
                raise StoreError(f"run {key!r} is ambiguous: {', '.join(r[1] for r in rows[:5])}")
        return _record(rows[0]) if rows else None

    def run(self, key: str) -> RunRecord:
        """Like :meth:`find_run`, but a missing run is a :class:`StoreError`."""
        found = self.find_run(key)
        if found is None:
            raise StoreError(f"no run {key!r} in {self.path}")
        return found

    def snapshot(self, seq: int, name: str) -> list[dict]:
        """A run's ``facts`` or ``sources`` as records."""
        row = self._db.execute("SELECT body FROM snapshots WHERE run_seq = ? AND name = ?",
                               (seq, name)).fetchone()
        # "\n" only: a name may hold U+0085 or U+2028, which str.splitlines would also split at
        return [json.loads(line) for line in row[0].split("\n") if line] if row else []

    def fact_history(self, subject: str, predicate: str) -> list[dict]:
        """The fact about one slot in every run that had it: ``run_id``, ``as_of``, then the
        fact's fields, oldest first."""
        history = []
        for run in self.runs():
            for fact in self.snapshot(run.seq, "facts"):
                if fact.get("subject") == subject and fact.get("predicate") == predicate:
                    history.append({"run_id": run.run_id, "as_of": run["as_of"], **fact})
        return history


class _LockTranslation:
    """Turns SQLite's 'database is locked' into :class:`StoreLocked`."""

    def __init__(self, store: Store):
        self.store = store

    def __enter__(self):
        return self

    def __exit__(self, kind, error, trace):
        if isinstance(error, sqlite3.OperationalError) and "locked" in str(error).lower():
            raise StoreLocked(f"{self.store.path}: the store is in use by another job "
                              f"(waited {self.store.wait:g} s); retry later") from None
        return False


def _record(row) -> RunRecord:
    return RunRecord(seq=row[0], run_id=row[1], as_of=row[2], manifest=json.loads(row[3]))


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, allow_nan=False, default=str)
