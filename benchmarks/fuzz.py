"""Property-based fuzzing (Hypothesis) of every reader, the value parser, the extractor and the
ClaimReview import: no input may crash (only a result or an ``InputError``), none may take
more than two seconds.

    python -m benchmarks.fuzz [--examples N]      # `make fuzz`: N examples per target

Prints, per target, the inputs tried, the failures and the slowest input's time; exits 1 on
any failure. ``tests/test_fuzz.py`` runs the same properties as a short campaign.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import time
from functools import cache
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reconcile
from reconcile.contract import InputError
from reconcile.exchange import read_claimreview
from reconcile.extract import read_articles
from reconcile.values import parse_value

__all__ = ["TARGETS", "SLOW_SECONDS", "STATS", "campaign", "main"]

#: No single input may take longer.
SLOW_SECONDS = 2.0
COLUMNS = ("source", "subject", "predicate", "value", "value_text", "value_kind", "value_min", "value_max",
           "unit", "hedged", "negated", "reported_at", "document", "evidence", "start", "end", "extractor",
           "cites", "source_type", "language", "event", "event_date")
REQUIRED = ("source", "subject", "predicate", "value")
#: Cells that have broken readers before, mixed with random text.
TRICKY = ("", " ", "nan", "NaN", "Na", "Nan", "n/a", "none", "null", "3", "-3", "0", "1e309", "-1e309", "inf",
          "at least 3", "between 5 and 7", "about some", "several", "dozens", "three", "half a million",
          "2020-02-30", "31/31/2020", "2020-07-14 08:50 Europe/Moscow", "8:50 Moscow time", "Unlimited",
          "50 GB", "=1+1", "+cmd", "@sum", "-x", "\u0085", "\u2028", "A\u0085B", "x" * 3000, "1" * 400,
          "killed", "wounded", "count", "category", "place", "time", "true", "false", "maybe", "Reuterѕ",
          "\"", "\"\"", ",", "\n", "\r\n", "\t", "'", "[1]", "{}", "car bomb " * 300)
cell = st.one_of(st.sampled_from(TRICKY), st.text(max_size=30))
json_cell = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                                   st.sampled_from(TRICKY), st.text(max_size=20)),
                         lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                     max_size=3),
                         max_leaves=6)


@st.composite
def tables(draw) -> tuple[list[str], list[list]]:
    """A header (the required columns, some optional ones, sometimes one missing or twice) and
    rows of cells."""
    columns = list(REQUIRED) + draw(st.lists(st.sampled_from(COLUMNS), max_size=5))
    if draw(st.booleans()):
        columns = draw(st.permutations(columns))
    if draw(st.integers(0, 9)) == 0:
        columns.pop(draw(st.integers(0, len(columns) - 1)))
    rows = draw(st.lists(st.lists(cell, min_size=len(columns), max_size=len(columns)), min_size=1, max_size=8))
    return columns, rows


@st.composite
def delimited(draw) -> bytes:
    """A CSV or TSV file: quoted properly, or joined raw (so separators and quotes in cells
    shift fields), sometimes with a bad byte or an extra field."""
    columns, rows = draw(tables())
    separator = draw(st.sampled_from([",", "\t"]))
    if draw(st.booleans()):
        buffer = io.StringIO()
        pd.DataFrame(rows, columns=range(len(columns))).to_csv(buffer, sep=separator, header=columns, index=False)
        text = buffer.getvalue()
    else:
        text = "\n".join(separator.join(map(str, r)) for r in [columns] + rows) + "\n"
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 9)) == 0:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
    return data


@st.composite
def json_records(draw) -> list:
    columns = list(REQUIRED) + draw(st.lists(st.sampled_from(COLUMNS), max_size=4))
    return draw(st.lists(st.fixed_dictionaries({c: st.one_of(cell, json_cell) for c in columns}), min_size=1,
                         max_size=6))


@st.composite
def json_lines_files(draw) -> bytes:
    records = draw(json_records())
    lines = [json.dumps(r, ensure_ascii=draw(st.booleans())) for r in records]
    if draw(st.integers(0, 9)) == 0:
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(["{", "[1]", "null", '"x"', "{]"])))
    return ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")


NEWS = ("Police said", "at least 12 people were killed", "and 30 wounded", "according to the ministry",
        "“We found three bodies,” he said.", "the death toll rose to 41", "Reuters reported, citing officials.",
        "A man was shot and killed on Monday.", "Separately,", "On Tuesday", "at 8:50 Moscow time",
        "in Idlib province", "several soldiers", "between 5 and 7", "half a million", "“", "”", "\"", "(", ")",
        "Mr", "Dr.", "said", "killed", "wounded,", "12", "twenty", "of", "the", ",", ".", "\n\n", "—", ":", "’s")


@st.composite
def articles(draw) -> str:
    """News-like text: fragments of real phrasing, random text and long runs without a stop."""
    parts = draw(st.lists(st.one_of(st.sampled_from(NEWS), st.text(max_size=40)), min_size=1, max_size=60))
    text = " ".join(parts)
    if draw(st.integers(0, 4)) == 0:  # a long run that no sentence boundary splits
        text += " " + " ".join(draw(st.sampled_from(NEWS)) for _ in range(draw(st.integers(50, 400)))).replace(".", "")
    return text


CLAIMREVIEW = {"@context": "https://schema.org", "@type": "ClaimReview", "claimReviewed": "x said 3",
               "author": {"@type": "Organization", "name": "Checker"},
               "reviewRating": {"@type": "Rating", "alternateName": "False"},
               "itemReviewed": {"@type": "Claim", "author": {"name": "X"}, "datePublished": "2020-01-01"}}
SEARCH = {"claims": [{"text": "x said 3", "claimant": "X", "claimDate": "2020-01-01T00:00:00Z",
                      "claimReview": [{"publisher": {"name": "Checker", "site": "c.org"}, "url": "https://c.org/1",
                                       "textualRating": "False", "languageCode": "en"}]}]}


@st.composite
def mutated_json(draw, document) -> object:
    """``document`` with fields replaced by other JSON values, removed, or wrapped in lists."""
    def mutate(node, depth=0):
        if isinstance(node, dict):
            out = {}
            for key, value in node.items():
                choice = draw(st.integers(0, 9))
                if choice == 0:
                    continue
                out[key] = draw(json_cell) if choice == 1 else [mutate(value, depth + 1)] if choice == 2 else \
                    mutate(value, depth + 1)
            return out
        if isinstance(node, list):
            return [mutate(v, depth + 1) for v in node] + ([draw(json_cell)] if draw(st.integers(0, 4)) == 0 else [])
        return draw(json_cell) if draw(st.integers(0, 3)) == 0 else node
    return mutate(document)


def _run_once(function, *args) -> float:
    start = time.perf_counter()
    try:
        function(*args)
    except InputError:
        pass
    return time.perf_counter() - start


def _timed(function, *args) -> None:
    """Run one input: a result or an InputError, within the time limit (a slow input is timed
    again, so a busy machine's pause is not taken for the input's cost)."""
    took = _run_once(function, *args)
    if took > SLOW_SECONDS:
        took = min(took, _run_once(function, *args))
    STATS["inputs"] += 1
    STATS["slowest"] = max(STATS["slowest"], took)
    if took > SLOW_SECONDS:
        raise AssertionError(f"took {took:.2f} s (limit {SLOW_SECONDS} s)")


#: Inputs run and the slowest one's seconds, since the last reset.
STATS = {"inputs": 0, "slowest": 0.0}


def _claims_file(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"claims{suffix}"
        path.write_bytes(data)
        reconcile.reconcile(path)


def check_delimited(data: bytes) -> None:
    _timed(_claims_file, data, ".csv" if data.count(b",") >= data.count(b"\t") else ".tsv")


def check_json_lines(data: bytes) -> None:
    _timed(_claims_file, data, ".jsonl")


def check_records(records: list) -> None:
    _timed(reconcile.reconcile, records)


def check_value(text: str, kind: str | None) -> None:
    _timed(parse_value, text, kind)


def check_article(text: str) -> None:
    _timed(reconcile.extract_claims, text, "2024-03-04")


def _feed(lines: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feed.jsonl"
        path.write_bytes(lines)
        read_articles(path)


def check_feed(records: list) -> None:
    lines = "\n".join(json.dumps(r) for r in records).encode("utf-8", "surrogatepass")
    _timed(_feed, lines)


def check_claimreview(document) -> None:
    _timed(read_claimreview, document)


KINDS = st.sampled_from([None, "count", "number", "category", "text", "time", "date", "place", "boolean", "bogus"])
#: target name -> (property, strategies)
TARGETS = {
    "csv/tsv files": (check_delimited, (delimited(),)),
    "jsonl files": (check_json_lines, (json_lines_files(),)),
    "records (API)": (check_records, (json_records(),)),
    "value parser": (check_value, (st.one_of(cell, st.text(max_size=60)), KINDS)),
    "extractor": (check_article, (articles(),)),
    "article feeds": (check_feed, (st.lists(st.fixed_dictionaries(
        {"id": json_cell, "text": st.one_of(articles(), json_cell), "published": st.one_of(cell, json_cell),
         "outlet": json_cell, "language": st.one_of(st.sampled_from(["en", "tr", "es", "../x", "EN"]), json_cell)}),
        min_size=1, max_size=3),)),
    "claimreview": (check_claimreview, (st.one_of(mutated_json(CLAIMREVIEW), mutated_json(SEARCH),
                                                  mutated_json({"@graph": [CLAIMREVIEW, CLAIMREVIEW]})),)),
}


@cache
def _warm_up() -> None:
    """Load the lexicons, taxonomies and tables once, outside any timed input."""
    reconcile.reconcile(reconcile.extract_claims("Police said 3 people were killed in Idlib on Monday.",
                                                 published="2024-03-04"))


def campaign(name: str, examples: int, seed: int | None = 0):
    """The Hypothesis test of one target with ``examples`` inputs (reproducible with a seed)."""
    prop, strategies = TARGETS[name]
    _warm_up()
    test = settings(max_examples=examples, deadline=None, derandomize=seed is not None, database=None,
                    suppress_health_check=list(HealthCheck), print_blob=True)(given(*strategies)(prop))
    return test


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--examples", type=int, default=15_000, help="inputs per target")
    args = ap.parse_args(argv)
    total, failed = 0, 0
    for name in TARGETS:
        STATS.update(inputs=0, slowest=0.0)
        start = time.perf_counter()
        try:
            campaign(name, args.examples)()
            outcome = "ok"
        except Exception as error:  # noqa: BLE001 - report the falsifying input and go on
            failed += 1
            outcome = f"FAILED: {type(error).__name__}: {str(error)[:300]}"
        total += STATS["inputs"]
        print(f"{name:15s} {STATS['inputs']:7d} inputs  slowest {STATS['slowest']:5.2f} s  "
              f"{time.perf_counter() - start:6.0f} s  {outcome}", flush=True)
    print(f"fuzz: {total} inputs, {failed} targets failed, limit {SLOW_SECONDS} s per input")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
