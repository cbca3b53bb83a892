"""Scheduled, incremental reconciliation jobs over a store.

:func:`run_job` reads the inputs one document at a time (an article, or a claim table),
skips documents whose content hash the store already holds, extracts claims from the new
ones only, appends them, reconciles *all* stored claims (each source's latest report per
slot votes, see :mod:`reconcile.timeline`), snapshots the facts, compares them with the
previous run (:mod:`reconcile.changes`) and writes the tables, the change report and a
manifest into ``OUT/runs/RUN_ID/`` (built in a temporary folder, then renamed), pointing
``OUT/latest`` at it.

The whole job is one store transaction, committed after the outputs are in place: a job
killed at any moment leaves the store and the earlier outputs as they were, and its rerun
gives the same bytes. Nothing here reads the clock: ``as_of`` is the logical time of the
run, given by the caller; run ids derive from it, the input hashes and the parameters.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from . import __version__
from .changes import (
    CHANGE_KINDS,
    change_count,
    changes_json,
    changes_markdown,
    diff_runs,
)
from .contract import CLAIM_COLUMNS, OPTIONAL_CLAIM_COLUMNS, InputError
from .events import link_events, supersede
from .extract import extract_documents, read_articles
from .io import read_claims, write_atomic
from .pipeline import is_article_feed, reconcile
from .result import Result, json_lines
from .store import RunRecord, Store, StoreError, StoreLocked

__all__ = [
    "JOB_FORMATS",
    "PAUSE_ENV",
    "Document",
    "JobResult",
    "diff_store",
    "read_documents",
    "run_job",
]

log = logging.getLogger(__name__)

#: Table formats a job writes (``json``: one ``result.json``).
JOB_FORMATS = ("json", "csv", "jsonl", "parquet")
#: Test hook: a job sleeps at the stage named here, so a test can kill it there.
PAUSE_ENV = "RECONCILE_TEST_PAUSE_AT"
_STAGES = ("locked", "extracted", "reconciled", "staging", "written", "committed")

Progress = Callable[[int, int], None]


@dataclass
class Document:
    """One input document: an article (``record`` holds it) or a claim table (``path``)."""

    hash: str
    name: str
    kind: str
    published: str | None = None
    record: dict | None = None
    path: Path | None = None
    frame: pd.DataFrame | None = field(default=None, repr=False)


@dataclass
class JobResult:
    """What a job did: ``status`` is ``recorded`` (a new run), ``repeated`` (this run was
    already recorded; its outputs are rewritten) or ``planned`` (``dry_run``)."""

    status: str
    run_id: str
    seq: int
    manifest: dict[str, Any]
    changes: dict[str, Any] | None = None
    result: Result | None = None
    out: Path | None = None

    def summary(self) -> dict[str, Any]:
        """The one-line machine-readable summary the CLI prints."""
        counts = self.manifest["counts"]
        summary = {"status": self.status, "run_id": self.run_id, "seq": self.seq,
                   "as_of": self.manifest["as_of"], "documents": self.manifest["documents"],
                   "facts": counts.get("facts"), "claims": counts.get("claims"),
                   "changes": self.manifest.get("changes")}
        if self.out is not None:
            summary["out"] = str(self.out)
        return summary


def _sha256(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def read_documents(inputs: Sequence[str | os.PathLike], *, published: str | None = None,
                   outlet: str | None = None) -> tuple[list[Document], list[dict[str, Any]]]:
    """The documents of the inputs (validated, de-duplicated by hash, in input order) and
    one manifest entry per input (path, kind, sha256, document count)."""
    documents: dict[str, Document] = {}
    entries = []
    for item in inputs:
        path = Path(item)
        if path.is_dir() or path.suffix.lower() == ".txt" or is_article_feed(path):
            found = _articles(path, published, outlet)
            digest = _sha256(_canonical([[d.name, d.hash] for d in found]))
            kind = "articles"
        else:
            frame = read_claims(path)  # validates the whole table
            digest = _sha256(path.read_bytes())
            found = [Document(digest, str(item), "table", path=path, frame=frame)]
            kind = "table"
        entries.append({"path": str(item), "kind": kind, "sha256": digest, "documents": len(found)})
        for document in found:
            documents.setdefault(document.hash, document)
    return list(documents.values()), entries


def _articles(path: Path, published: str | None, outlet: str | None) -> list[Document]:
    found = []
    for article in read_articles(path):
        article = dict(article, published=article.get("published") or published,
                       outlet=article.get("outlet") or outlet)
        found.append(Document(_sha256(_canonical(article)), str(article["id"]), "article",
                              published=article["published"], record=article))
    return found


def _extract(document: Document) -> list[dict]:
    """The claims of one new document as plain JSON records."""
    if document.kind == "table":
        frame = document.frame if document.frame is not None else read_claims(document.path)
    else:
        frame = extract_documents([document.record])
        if frame.empty:
            log.warning("no claims found in %s", document.name,
                        extra={"event": "no_claims", "document": document.name})
            return []
    return [json.loads(line) for line in json_lines(frame.drop(columns=["_line", "_file"], errors="ignore"))]


def _claims_frame(records: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records)
    known = [c for c in (*CLAIM_COLUMNS, *OPTIONAL_CLAIM_COLUMNS) if c in frame]
    return frame[known + sorted(set(frame.columns) - set(known))]


def _file_hash(path: str | os.PathLike | None) -> str | None:
    if path is None or isinstance(path, Mapping):
        return None if path is None else _sha256(_canonical(dict(path)))
    try:
        return _sha256(Path(path).read_bytes())
    except OSError:
        raise InputError("no such file", file=str(path)) from None


def _pause(stage: str) -> None:
    """The kill-test hook: sleep at ``stage`` when :data:`PAUSE_ENV` names it, for
    ``RECONCILE_TEST_PAUSE_SECONDS`` (default 60) or until the file named by
    ``RECONCILE_TEST_RESUME`` exists."""
    if os.environ.get(PAUSE_ENV) != stage:
        return
    log.warning("paused at %s", stage, extra={"event": "pause", "stage": stage})
    resume = os.environ.get("RECONCILE_TEST_RESUME")
    for _ in range(int(float(os.environ.get("RECONCILE_TEST_PAUSE_SECONDS", "60")) * 20)):
        if resume and os.path.exists(resume):
            break
        time.sleep(0.05)


def run_job(inputs: Sequence[str | os.PathLike], store: str | os.PathLike | None, *, as_of: str,
            out: str | os.PathLike | None = None, fmt: str = "json", method: str | None = None,
            aliases: str | os.PathLike | Mapping[str, str] | None = None,
            taxonomy: str | os.PathLike | None = None, published: str | None = None,
            outlet: str | None = None, since: str | None = None, events: bool = True,
            dry_run: bool = False, wait: float = 0.0, progress: Progress | None = None) -> JobResult:
    """One scheduled run: new documents in, all stored claims reconciled, changes out.

    ``as_of`` is the logical time of the run (ISO 8601; recorded, never read from a clock).
    ``since``: skip articles published before this date, or before the store's latest
    publication date when ``"watermark"``. ``events=False`` pools all reports instead of
    clustering them into events (as :func:`reconcile.reconcile` does). ``dry_run``: read and
    validate the inputs and say what would be done, writing nothing (``store=None``: as if
    the store were empty). ``wait``: seconds to wait for another job
    holding the store before :class:`~reconcile.store.StoreLocked`. ``progress(done, total)``
    is called as new documents are extracted.
    """
    if fmt not in JOB_FORMATS:
        raise ValueError(f"fmt must be one of {JOB_FORMATS}, got {fmt!r}")
    as_of = _check_as_of(as_of)
    documents, entries = read_documents(inputs, published=published, outlet=outlet)
    options = {"method": method, "published": published, "outlet": outlet, "since": since,
               "events": events, "aliases": _file_hash(aliases), "taxonomy": _file_hash(taxonomy),
               "format": fmt}
    if store is None and not dry_run:
        raise ValueError("a job needs a store (store=None only with dry_run)")
    created = store is not None and not Path(store).exists()
    db = Store(store, wait=wait, readonly=dry_run)
    try:
        if not dry_run:
            db.begin()
            _pause("locked")
        job = _Job(db, documents, entries, as_of, options, since)
        if dry_run:
            return job.plan()
        done = job.run(progress, method=method, aliases=aliases, taxonomy=taxonomy,
                       out=Path(out) if out is not None else None, fmt=fmt)
        db.commit()
        _pause("committed")
        if done.out is not None:
            _point_latest(done.out)
        return done
    except BaseException as error:
        db.rollback()
        # a store this job created and left empty goes again (bad input writes nothing); never
        # one another job holds or has written to
        fresh = created and not dry_run and not isinstance(error, StoreLocked) and db.is_empty()
        db.close()
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{store}{suffix}").unlink(missing_ok=True)
        raise
    finally:
        db.close()


def _check_as_of(as_of: str) -> str:
    from datetime import datetime
    text = str(as_of).strip()
    try:
        datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"--as-of must be an ISO 8601 date or time, got {as_of!r}") from None
    return text


class _Job:
    """The state of one run between reading the inputs and committing."""

    def __init__(self, db: Store, documents: list[Document], entries: list[dict], as_of: str,
                 options: dict[str, Any], since: str | None):
        self.db = db
        self.as_of = as_of
        self.events = options["events"]
        cutoff = db.watermark() if since == "watermark" else since
        self.skipped = [d for d in documents if cutoff and d.published and str(d.published) < str(cutoff)]
        self.documents = [d for d in documents if d not in self.skipped]
        known = db.known_hashes(d.hash for d in self.documents)
        self.new = [d for d in self.documents if d.hash not in known]
        key = _canonical({"as_of": as_of, "documents": sorted(d.hash for d in self.documents),
                          "options": options})
        self.run_id = f"{_compact(as_of)}-{_sha256(key)[:10]}"
        self.existing = db.find_run(self.run_id)
        self.seq = self.existing.seq if self.existing else db.next_seq()
        self.manifest: dict[str, Any] = {
            "run_id": self.run_id, "seq": self.seq, "as_of": as_of, "version": __version__,
            "options": options, "inputs": entries,
            "documents": {"read": len(documents), "new": len(self.new),
                          "known": len(self.documents) - len(self.new), "skipped": len(self.skipped)},
        }

    def plan(self) -> JobResult:
        self.manifest["counts"] = {}
        self.manifest["plan"] = {"extract": [d.name for d in self.new],
                                 "skip_known": [d.name for d in self.documents if d not in self.new],
                                 "skip_since": [d.name for d in self.skipped]}
        return JobResult("planned", self.run_id, self.seq, self.manifest)

    def run(self, progress: Progress | None, *, out: Path | None, fmt: str, **settings) -> JobResult:
        if self.existing is None:
            self._store_new(progress)
        _pause("extracted")
        records = self.db.claims(up_to_run=self.seq)
        if not records:
            raise InputError("no claims: nothing in the inputs or the store to reconcile")
        frame = _claims_frame(records)
        if "event" in frame and not self.events:
            frame = frame.drop(columns="event")
        if "event" in frame:  # as a plain run does: events across articles
            frame = link_events(frame, self.db.articles(up_to_run=self.seq))
        superseded = supersede(frame)[1]  # counted for the manifest; reconcile() applies the same rule
        result = reconcile(frame, **settings)
        _pause("reconciled")
        previous = self._previous()
        facts, sources = json_lines(result.facts), json_lines(result.sources)
        changes = diff_runs(
            self.db.snapshot(previous.seq, "facts") if previous else [],
            [json.loads(line) for line in facts],
            sources_before=self.db.snapshot(previous.seq, "sources") if previous else [],
            sources_after=[json.loads(line) for line in sources],
            run_before=previous.run_id if previous else None, run_after=self.run_id)
        if self.existing is not None:  # the same run again: its record, not this read's counts
            self.manifest = {k: v for k, v in self.existing["manifest"].items() if k != "outputs"}
        self.manifest.update({
            "method": result.method, "params": result.params, "previous_run": changes["from"],
            "counts": {"facts": len(result.facts), "claims": len(result.claims),
                       "superseded": len(superseded), "sources": len(result.sources),
                       "status": {k: int(v) for k, v in
                                  result.facts["status"].value_counts().sort_index().items()}},
            "changes": {kind: len(changes[kind]) for kind in CHANGE_KINDS},
        })
        if not change_count(changes):
            log.info("run %s: no fact changed", self.run_id, extra={"event": "unchanged", "run_id": self.run_id})
        folder = _write_run(out, self.run_id, result, fmt, changes, self.manifest) if out else None
        _pause("written")
        if self.existing is None:
            self.db.add_run(self.seq, self.run_id, self.as_of, self.manifest,
                            [d.hash for d in self.documents],
                            {"facts": "\n".join(facts), "sources": "\n".join(sources)})
        status = "repeated" if self.existing else "recorded"
        log.info("run %s %s: %d facts, %d changes", self.run_id, status, len(result.facts),
                 change_count(changes), extra={"event": "run", "run_id": self.run_id, "status": status})
        return JobResult(status, self.run_id, self.seq, self.manifest, changes, result, folder)

    def _store_new(self, progress: Progress | None) -> None:
        log.info("%d new documents, %d already stored", len(self.new), len(self.documents) - len(self.new),
                 extra={"event": "plan", "new": len(self.new), "known": len(self.documents) - len(self.new)})
        for done, document in enumerate(self.new, 1):
            self.db.add_document(document.hash, document.name, document.kind, document.published,
                                 self.seq, _extract(document), document.record)
            log.debug("stored %s", document.name, extra={"event": "document", "document": document.name})
            if progress is not None:
                progress(done, len(self.new))

    def _previous(self) -> RunRecord | None:
        earlier = [r for r in self.db.runs() if r.seq < self.seq]
        return earlier[-1] if earlier else None


def _compact(as_of: str) -> str:
    return "".join(ch for ch in as_of if ch.isalnum()).upper()[:15]


def _write_run(out: Path, run_id: str, result: Result, fmt: str, changes: dict,
               manifest: dict) -> Path:
    """Build the run's folder in a temporary folder and rename it into ``out/runs/``."""
    runs = out / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    for stale in runs.glob(f".{run_id}.*"):  # left by a job killed while writing this run
        shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(dir=runs, prefix=f".{run_id}."))
    try:
        if fmt == "json":
            result.to_json(staging / "result.json")
        else:
            result.write_tables(staging, fmt)
        write_atomic(staging / "changes.json", changes_json(changes))
        write_atomic(staging / "changes.md", changes_markdown(changes))
        manifest["outputs"] = {p.name: _sha256(p.read_bytes()) for p in sorted(staging.iterdir())}
        write_atomic(staging / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1,
                                                           sort_keys=True, allow_nan=False) + "\n")
        for path in staging.iterdir():  # write_atomic's temporary files are private
            path.chmod(0o644)
        staging.chmod(0o755)
        _pause("staging")
        target = runs / run_id
        if target.exists():  # a rerun of a run whose commit did not happen: same bytes
            shutil.rmtree(target)
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _fsync_dir(runs)
    return target


def _fsync_dir(folder: Path) -> None:
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _point_latest(folder: Path) -> None:
    """Point ``out/latest`` at the run folder (a symlink, swapped atomically)."""
    link = folder.parent.parent / "latest"
    temporary = link.with_name(f".latest.{folder.name}.tmp")
    temporary.unlink(missing_ok=True)
    os.symlink(Path("runs") / folder.name, temporary)
    os.replace(temporary, link)


def diff_store(store: str | os.PathLike, run_a: str | None = None,
               run_b: str | None = None) -> dict[str, Any]:
    """The change report between two recorded runs (default: the last two; with one run
    given, from it to the last)."""
    with Store(store, readonly=True) as db:
        if not Path(store).exists():
            raise StoreError(f"no store at {store}")
        runs = db.runs()
        if run_a is None and run_b is None:
            if not runs:
                raise StoreError(f"{store}: no runs recorded yet")
            before, after = (runs[-2] if len(runs) > 1 else None), runs[-1]
        else:
            before = db.run(run_a)
            after = db.run(run_b) if run_b is not None else runs[-1]
        return diff_runs(db.snapshot(before.seq, "facts") if before else [],
                         db.snapshot(after.seq, "facts"),
                         sources_before=db.snapshot(before.seq, "sources") if before else [],
                         sources_after=db.snapshot(after.seq, "sources"),
                         run_before=before.run_id if before else None, run_after=after.run_id)
