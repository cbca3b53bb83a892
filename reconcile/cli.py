"""The ``reconcile`` command.

Exit codes: 0 ok, 1 unexpected error, 2 usage, 65 bad input data (the message names the
file, the line and the problem; nothing is written), 75 the store is in use by another job
(``run --store``; worth a retry).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from . import __version__
from .aggregate import add_aggregate_option
from .contract import InputError, ReconcileError
from .engines import add_engine_options
from .exchange import add_export_parser, export_main
from .extract.parallel import add_jobs_option
from .jobs_cli import add_diff_parser, add_job_options, diff_main, job_main
from .pipeline import load_claims, reconcile
from .report import add_report_parser, report_main
from .result import Result, csv_text, json_lines
from .trust import DEFAULT_METHOD, ESTIMATORS

__all__ = ["main", "EXIT_OK", "EXIT_ERROR", "EXIT_USAGE", "EXIT_DATAERR"]

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_DATAERR = 0, 1, 2, 65
FORMATS = ("json", "csv", "jsonl", "parquet", "text")


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so main() owns every exit code."""

    def error(self, message: str):
        raise _UsageError(f"{self.prog}: {message}")


class _UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="reconcile", description="Source-claim reconciliation: consensus facts "
                     "from attributed claims, with confidence, support, dissent and why.")
    parser.add_argument("--version", action="version", version=f"reconcile {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    run = commands.add_parser("run", help="reconcile claim tables into consensus facts")
    run.add_argument("inputs", nargs="+", metavar="INPUT",
                     help="claims CSV, TSV, JSONL, JSON or Parquet; or articles: .txt, a JSONL feed "
                          "of {id, text, published, outlet, url, language}, or a folder")
    run.add_argument("--out", metavar="DIR", help="write the tables into DIR instead of printing them")
    run.add_argument("--format", choices=FORMATS, default="json",
                     help="json: one document {facts, claims, sources}; csv/jsonl/parquet: one table "
                          "each (printing: the facts only); text: the facts for a person to read")
    run.add_argument("--method", default=None, choices=sorted(ESTIMATORS),
                     help=f"trust estimator (default: {DEFAULT_METHOD})")
    add_aggregate_option(run)
    run.add_argument("--aliases", metavar="FILE", help="alias table, CSV with header alias,canonical")
    run.add_argument("--taxonomy", metavar="FILE", help="extra category hierarchy, CSV child,parent")
    run.add_argument("--graph", action="store_true", help="with --out: also write graph.graphml and "
                     "graph.json (node-link)")
    _article_options(run)
    add_engine_options(run)
    add_job_options(run)
    extract = commands.add_parser("extract", help="extract attributed claims from news articles")
    extract.add_argument("inputs", nargs="+", metavar="FILE", help=".txt article, JSONL feed or folder")
    extract.add_argument("--format", choices=("jsonl", "csv", "json"), default="jsonl")
    _article_options(extract)
    add_report_parser(commands)
    add_export_parser(commands)
    add_diff_parser(commands)
    return parser


def _article_options(parser: argparse.ArgumentParser) -> None:
    add_jobs_option(parser)
    parser.add_argument("--published", metavar="DATE",
                        help="publication date (ISO 8601) of articles that do not give one")
    parser.add_argument("--outlet", metavar="NAME", help="the outlet of articles that do not name one")
    parser.add_argument("--no-events", dest="events", action="store_false",
                        help="articles: pool all reports instead of clustering them into events")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    try:
        args = _parser().parse_args(argv)
    except _UsageError as error:
        print(error, file=sys.stderr)
        print("try 'reconcile --help'", file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as done:  # --help and --version
        return int(done.code or 0)
    try:
        return _run(args)
    except InputError as error:
        print(f"reconcile: bad input: {error}", file=sys.stderr)
        return EXIT_DATAERR
    except ReconcileError as error:
        print(f"reconcile: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # the last resort: say what broke, exit 1
        print(f"reconcile: unexpected error: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_ERROR


def _run(args: argparse.Namespace) -> int:
    if args.command == "extract":
        return _extract(args)
    if args.command == "report":
        return report_main(args)
    if args.command == "export":
        return export_main(args)
    if args.command == "diff":
        return diff_main(args)
    if args.store or args.dry_run:
        if args.aggregate:
            raise ReconcileError("--aggregate runs without --store")
        return job_main(args)
    if args.format == "parquet" and not args.out:
        raise ReconcileError("--format parquet writes files: give --out DIR")
    result = reconcile(args.inputs, method=args.method, aliases=args.aliases, taxonomy=args.taxonomy,
                       published=args.published, outlet=args.outlet, engine=args.engine,
                       scheduler=args.scheduler, jobs=args.jobs, events=args.events,
                       aggregate=args.aggregate)
    if args.out:
        written = _write(result, Path(args.out), args.format, args.graph)
        summary = {"facts": len(result.facts), "claims": len(result.claims),
                   "sources": len(result.sources), "method": result.method,
                   "model": result.params.get("model", result.method),
                   "status": result.facts["status"].value_counts().sort_index().to_dict(),
                   "written": [str(p) for p in written]}
        sys.stdout.write(json.dumps(summary, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(_printed(result, args.format))
    return EXIT_OK


def _extract(args: argparse.Namespace) -> int:
    claims, _ = load_claims(args.inputs, published=args.published, outlet=args.outlet, jobs=args.jobs,
                            events=args.events)
    claims = claims.drop(columns=["_line", "_file"], errors="ignore")
    if args.format == "csv":
        sys.stdout.write(csv_text(claims))
    elif args.format == "json":
        sys.stdout.write("[\n" + ",\n".join(json_lines(claims)) + "\n]\n")
    else:
        sys.stdout.write("".join(f"{line}\n" for line in json_lines(claims)))
    return EXIT_OK


def _write(result: Result, out: Path, fmt: str, graph: bool) -> list[Path]:
    """Write the output set into a fresh folder beside ``out``, then move it into ``out``: a
    failure while writing (a full disk) leaves the earlier set whole."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp"))
    try:
        if fmt in ("json", "text"):
            result.to_json(staging / "result.json")
            written = [staging / "result.json"]
        else:
            written = result.write_tables(staging, fmt)
        if graph:
            result.to_graphml(staging / "graph.graphml")
            result.to_node_link(staging / "graph.json")
            written += [staging / "graph.graphml", staging / "graph.json"]
        out.mkdir(exist_ok=True)
        for path in written:
            os.replace(path, out / path.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [out / path.name for path in written]


def _printed(result: Result, fmt: str) -> str:
    if fmt == "json":
        return result.to_json()
    if fmt == "jsonl":
        return "".join(f"{line}\n" for line in json_lines(result.facts))
    if fmt == "text":
        return result.to_text()
    return csv_text(result.facts)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
