"""The command line of scheduled jobs: ``reconcile run ... --store PATH`` and ``reconcile diff``.

Orchestrator-friendly: stdout carries only the one-line JSON summary (or the diff), logs go
to stderr (JSON lines with ``--log-format json``), a progress line appears only on a
terminal, and the exit code says what happened: 0 ok, 1 unexpected, 2 usage,
65 bad input data (nothing written), 75 the store is in use by another job (retry later).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from .changes import changes_json, changes_markdown
from .contract import InputError, ReconcileError
from .jobs import diff_store, run_job
from .store import StoreLocked

__all__ = [
    "EXIT_TEMPFAIL",
    "JsonLinesFormatter",
    "add_diff_parser",
    "add_job_options",
    "configure_logging",
    "diff_main",
    "job_main",
    "unconfigure_logging",
]

#: sysexits' EX_TEMPFAIL: worth a retry (the store is locked by another job).
EXIT_TEMPFAIL = 75
_EXIT_OK, _EXIT_ERROR, _EXIT_USAGE, _EXIT_DATAERR = 0, 1, 2, 65
_RECORD_FIELDS = frozenset(vars(logging.makeLogRecord({})))
log = logging.getLogger("reconcile.cli")


def add_job_options(run: argparse.ArgumentParser) -> None:
    """The store options of ``reconcile run``."""
    group = run.add_argument_group("scheduled jobs")
    group.add_argument("--store", metavar="PATH", help="SQLite store: keep documents, claims and runs; "
                       "extract only new documents; with --out write OUT/runs/RUN_ID and OUT/latest")
    group.add_argument("--as-of", metavar="TIME", help="the run's logical time, ISO 8601 (default: now)")
    group.add_argument("--since", metavar="DATE", help="skip articles published before DATE, or before "
                       "the store's latest publication date with 'watermark'")
    group.add_argument("--dry-run", action="store_true", help="read and validate, say what would be "
                       "done, write nothing")
    group.add_argument("--wait", metavar="SECONDS", type=float, default=0.0,
                       help="wait this long for another job holding the store (then exit 75)")
    _log_option(group)


def _log_option(parser) -> None:
    parser.add_argument("--log-format", choices=("text", "json"), default="text",
                        help="stderr logs as text or as JSON lines")


def add_diff_parser(commands) -> argparse.ArgumentParser:
    """``reconcile diff [RUN_A] [RUN_B] --store PATH``."""
    diff = commands.add_parser("diff", help="what changed between two runs of a store "
                               "(default: the last two)")
    diff.add_argument("runs", nargs="*", metavar="RUN", help="run id (or prefix, or number); "
                      "one run: from it to the last")
    diff.add_argument("--store", metavar="PATH", required=True, help="the store the runs are in")
    diff.add_argument("--format", choices=("json", "markdown"), default="json")
    _log_option(diff)
    return diff


class JsonLinesFormatter(logging.Formatter):
    """One JSON object a record: time, level, logger, message and the ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(), "logger": record.name, "message": record.getMessage()}
        entry.update({k: v for k, v in vars(record).items() if k not in _RECORD_FIELDS and k != "message"})
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(fmt: str) -> logging.Handler:
    """Log the package's records to stderr (the ``reconcile`` logger, never the root one);
    returns the handler, for :func:`unconfigure_logging`."""
    logger = logging.getLogger("reconcile")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLinesFormatter() if fmt == "json"
                         else logging.Formatter("reconcile: %(message)s"))
    handler.previous = (logger.level, logger.propagate)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return handler


def unconfigure_logging(handler: logging.Handler) -> None:
    """Undo :func:`configure_logging` (main() may run many times in one process)."""
    logger = logging.getLogger("reconcile")
    logger.removeHandler(handler)
    logger.level, logger.propagate = handler.previous


def _progress(fmt: str):
    """A ``\\r`` progress line on a terminal; nothing in logs or pipes."""
    if fmt != "text" or not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        sys.stderr.write(f"\rextracting {done}/{total} new documents")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()
    return show


def _guarded(args: argparse.Namespace, work) -> int:
    """Run ``work()``, turning the package's errors into logged messages and exit codes."""
    handler = configure_logging(args.log_format)
    try:
        return work()
    except InputError as error:
        log.error("bad input: %s", error, extra={"event": "bad_input", "exit": _EXIT_DATAERR})
        return _EXIT_DATAERR
    except StoreLocked as error:
        log.error("%s", error, extra={"event": "store_locked", "exit": EXIT_TEMPFAIL})
        return EXIT_TEMPFAIL
    except (ReconcileError, ValueError) as error:
        log.error("%s", error, extra={"event": "usage", "exit": _EXIT_USAGE})
        return _EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # noqa: BLE001 -- the last resort: say what broke, exit 1
        log.error("unexpected error: %s: %s", type(error).__name__, error,
                  extra={"event": "error", "exit": _EXIT_ERROR})
        return _EXIT_ERROR
    finally:
        unconfigure_logging(handler)


def job_main(args: argparse.Namespace) -> int:
    """``reconcile run ... --store PATH`` (or ``--dry-run``): one scheduled job."""
    def work() -> int:
        as_of = args.as_of
        if as_of is None:
            as_of = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            log.warning("no --as-of: using the clock (%s); pass the logical time for "
                        "reproducible runs", as_of, extra={"event": "as_of_default", "as_of": as_of})
        done = run_job(args.inputs, args.store, as_of=as_of, out=args.out,
                       fmt="json" if args.format == "text" else args.format, method=args.method,
                       aliases=args.aliases, taxonomy=args.taxonomy, published=args.published,
                       outlet=args.outlet, since=args.since, events=getattr(args, "events", True),
                       dry_run=args.dry_run, wait=args.wait,
                       progress=_progress(args.log_format))
        summary = done.summary()
        if done.status == "planned":
            summary["plan"] = done.manifest["plan"]
        sys.stdout.write(json.dumps(summary, ensure_ascii=False) + "\n")
        return _EXIT_OK
    return _guarded(args, work)


def diff_main(args: argparse.Namespace) -> int:
    """``reconcile diff [RUN_A] [RUN_B] --store PATH``."""
    def work() -> int:
        if len(args.runs) > 2:
            raise ReconcileError("diff takes at most two runs")
        report = diff_store(args.store, *args.runs)
        sys.stdout.write(changes_markdown(report) if args.format == "markdown" else changes_json(report))
        return _EXIT_OK
    return _guarded(args, work)
