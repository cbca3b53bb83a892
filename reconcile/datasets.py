"""Loaders for real truth-discovery benchmarks with gold answers, into the claims contract.

Each loader returns a :class:`Benchmark`: the claims as written (``source, subject, predicate,
value`` and, where the dataset says what a value is, ``value_kind`` and ``reported_at``), the
gold answers (``subject, predicate, value``; an item may have several acceptable gold rows),
the comparison the gold calls for, and for the hierarchical datasets the place hierarchy as a
:class:`~reconcile.values.Taxonomy`.  Values are left raw: the engine parses them
(:func:`reconcile.reconcile`).

The data is not part of the package (research use with citation).  It is read from
``$RECONCILE_BENCHMARKS`` or else ``../shared/data/benchmarks`` next to the repository; each
dataset's folder has a ``SOURCE.md`` with its origin, paper and columns.

Datasets and papers:

* ``book`` -- bookstores x ISBN -> author list (AbeBooks; Yin, Han & Yu, KDD 2007; Dong,
  Berti-Equille & Srivastava, VLDB 2009); 100 gold books.
* ``flight`` -- 38 sources x 100 flights x 4 times, 1 Dec 2011 (Li, Dong, Lyons, Meng &
  Srivastava, PVLDB 2013); 400 gold items.
* ``weather`` -- 16 sites, temperature/humidity/... (Dong et al., PVLDB 2010; Waguih &
  Berti-Equille, arXiv:1409.6428); 22,570 gold items from the held-out site accuweather.
* ``population`` -- Wikipedia editors x city-year (Pasternack & Roth, COLING 2010); 308 gold.
* ``heritages``, ``birthplaces`` -- values on a place hierarchy (Jung, Kim & Shim, EDBT 2019).
* ``crowd_emotion`` (numeric), ``crowd_product`` (binary) -- crowdsourcing (Zheng, Li, Li,
  Shan & Cheng, PVLDB 2017).
* ``crowd_bluebird``, ``crowd_sp``, ``crowd_zencrowd`` (binary), ``crowd_cf`` (5 classes),
  ``crowd_ms`` (10 classes) -- crowd labels (Welinder et al., NIPS 2010; Rodrigues, Pereira &
  Ribeiro, ICML 2014 and PRL 2013; Demartini et al., WWW 2012; Venanzi et al., WWW 2014).
"""

from __future__ import annotations

import csv
import glob
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .contract import ReconcileError
from .values import Taxonomy, ValueParseError, parse_value

__all__ = [
    "BENCHMARKS",
    "Benchmark",
    "DatasetUnavailable",
    "benchmarks_dir",
    "load_benchmark",
    "load_birthplaces",
    "load_book",
    "load_crowd_bluebird",
    "load_crowd_cf",
    "load_crowd_emotion",
    "load_crowd_ms",
    "load_crowd_product",
    "load_crowd_sp",
    "load_crowd_zencrowd",
    "load_flight",
    "load_heritages",
    "load_population",
    "load_weather",
]

#: The environment variable that points at the benchmarks folder.
ENV_VARIABLE = "RECONCILE_BENCHMARKS"
_DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "benchmarks"


class DatasetUnavailable(ReconcileError):
    """The benchmarks folder or one dataset in it is absent."""


def _stated(claims: pd.DataFrame) -> pd.DataFrame:
    """The rows that state a value (an empty cell is no claim; "Not Available" is kept for
    the engine to read as missing)."""
    return claims[claims["value"].str.strip() != ""].reset_index(drop=True)


@dataclass(frozen=True)
class Benchmark:
    """One benchmark: raw claims, gold answers and how answers are compared with the gold.

    ``compare`` is one of ``names`` (author lists as sets of name words), ``time`` (minutes
    of the day), ``number`` (numerically), ``place`` (the gold leaf), ``label`` (the same
    label).  ``gold`` may list several acceptable values for one item (Weather).
    ``as_written`` holds the claims before the loader dropped unreadable cells (Weather;
    ``None`` when nothing was dropped); ``raw`` gives the claims as a user would hand them over.
    """

    name: str
    claims: pd.DataFrame
    gold: pd.DataFrame
    compare: str
    taxonomy: Taxonomy | None = None
    citation: str = ""
    notes: dict[str, str] = field(default_factory=dict)
    as_written: pd.DataFrame | None = None

    @property
    def raw(self) -> pd.DataFrame:
        """The four columns ``source, subject, predicate, value`` as text, with nothing dropped
        (cells a loader drops as unreadable stay as they are written) and no hints: no
        ``value_kind``, no ``reported_at``."""
        claims = self.claims if self.as_written is None else self.as_written
        return claims[["source", "subject", "predicate", "value"]].astype(str).reset_index(drop=True)


def benchmarks_dir(path: str | os.PathLike | None = None) -> Path:
    """The benchmarks folder: ``path``, else ``$RECONCILE_BENCHMARKS``, else
    ``../shared/data/benchmarks`` relative to the repository.  Raises
    :class:`DatasetUnavailable` with what was looked for when it does not exist."""
    chosen = Path(path or os.environ.get(ENV_VARIABLE) or _DEFAULT)
    if not chosen.is_dir():
        raise DatasetUnavailable(
            f"no benchmarks folder at {chosen}; set {ENV_VARIABLE} to the folder that holds "
            "book/, flight/, weather/, population/, heritages/, birthplaces/ and the crowd_*/ "
            "folders (see their SOURCE.md files), or place it at ../shared/data/benchmarks")
    return chosen


def _folder(name: str, root: str | os.PathLike | None) -> Path:
    folder = benchmarks_dir(root) / name
    if not folder.is_dir():
        raise DatasetUnavailable(f"the {name} benchmark is missing: no folder {folder}")
    return folder


def _read_csv(path: Path, **options) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, **options)


def load_book(root: str | os.PathLike | None = None) -> Benchmark:
    """Book (AbeBooks 2007): ``source<TAB>ISBN<TAB>title<TAB>author list``; gold
    ``ISBN<TAB>author list`` for 100 books.  Predicate ``authors`` (a name list)."""
    folder = _folder("book", root)
    raw = _read_csv(folder / "book.txt", sep="\t", header=None, quoting=csv.QUOTE_NONE,
                    names=["source", "subject", "title", "value"])
    claims = pd.DataFrame({"source": raw["source"].str.strip(), "subject": raw["subject"].str.strip(),
                           "predicate": "authors", "value": raw["value"].str.strip()})
    gold = _read_csv(folder / "book_golden.txt", sep="\t", header=None, quoting=csv.QUOTE_NONE,
                     names=["subject", "value"], skip_blank_lines=True)
    gold = gold[gold["subject"].str.strip() != ""]
    gold = pd.DataFrame({"subject": gold["subject"].str.strip(), "predicate": "authors",
                         "value": gold["value"].str.strip()})
    return Benchmark("book", _stated(claims), gold.reset_index(drop=True), "names",
                     citation="Yin, Han & Yu, KDD 2007; Dong, Berti-Equille & Srivastava, VLDB 2009")


_FLIGHT_TIMES = ["sched_dep_time", "act_dep_time", "sched_arr_time", "act_arr_time"]


def load_flight(root: str | os.PathLike | None = None) -> Benchmark:
    """Flight (1 Dec 2011): one row per source and flight with four times, in many formats
    ("7:10 a.m.", "7:10aDec 1", "12/01/2011 08:00 PM"); ``value_kind`` time, reported on
    2011-12-01.  Gold: ``clean.csv`` (one value per flight and time)."""
    folder = _folder("flight", root)

    def long(frame: pd.DataFrame) -> pd.DataFrame:
        melted = frame.melt(id_vars=["src", "flight"], value_vars=_FLIGHT_TIMES,
                            var_name="predicate", value_name="value")
        return melted.rename(columns={"src": "source", "flight": "subject"})

    claims = long(_read_csv(folder / "dirty.csv"))
    claims = claims.assign(value_kind="time", reported_at="2011-12-01")
    gold = long(_read_csv(folder / "clean.csv")).drop(columns="source").drop_duplicates()
    gold = gold[gold["value"].str.strip() != ""]
    return Benchmark("flight", _stated(claims), gold.reset_index(drop=True), "time",
                     citation="Li, Dong, Lyons, Meng & Srivastava, PVLDB 2013")


def _dafna(frame: pd.DataFrame) -> pd.DataFrame:
    """The DAFNA columns ObjectID, PropertyID, PropertyValue[, SourceID] as the contract's."""
    names = {"ObjectID": "subject", "PropertyID": "predicate", "PropertyValue": "value",
             "SourceID": "source"}
    return frame.rename(columns=names)[[c for c in ("source", "subject", "predicate", "value")
                                        if c in frame.rename(columns=names)]]


def load_weather(root: str | os.PathLike | None = None) -> Benchmark:
    """Weather (16 sites, early 2010; DAFNA format): numbers (temperature, real feel,
    humidity, pressure, visibility).  Gold: the held-out site accuweather; an item listed with
    several values accepts any of them."""
    folder = _folder("weather", root)
    files = sorted(glob.glob(str(folder / "claims" / "*.csv")))
    if not files:
        raise DatasetUnavailable(f"the weather benchmark has no claims files in {folder / 'claims'}")
    claims = pd.concat([_dafna(_read_csv(Path(f))) for f in files], ignore_index=True)
    claims = _stated(claims).assign(value_kind="number")
    # a few cells hold scraping fragments, not numbers ("Barometer:N/A", "--Wd", "Unlimited"):
    # the engine rejects a number it cannot read, so they are no claims
    distinct = pd.Series(claims["value"].unique())
    readable = distinct[[_is_number(v) for v in distinct]]
    dropped = int((~claims["value"].isin(readable)).sum())
    as_written = claims
    claims = claims[claims["value"].isin(readable)].reset_index(drop=True)
    gold = _dafna(_read_csv(folder / "ground_truth" / "weather_truth.csv")).drop_duplicates()
    return Benchmark("weather", claims, gold.reset_index(drop=True), "number",
                     citation="Dong, Berti-Equille, Hu & Srivastava, PVLDB 2010; "
                              "Waguih & Berti-Equille, arXiv:1409.6428",
                     notes={"dropped": f"{dropped} cells that are not numbers"}, as_written=as_written)


def _is_number(text: str) -> bool:
    try:
        parse_value(text, "number")
    except ValueParseError:
        return False
    return True


def load_population(root: str | os.PathLike | None = None) -> Benchmark:
    """Population (Wikipedia editors x city-year; DAFNA format): numbers; 308 gold items."""
    folder = _folder("population", root)
    claims = _dafna(_read_csv(folder / "population_claims.csv")).assign(value_kind="number")
    gold = _dafna(_read_csv(folder / "population_truth.csv")).drop_duplicates()
    return Benchmark("population", _stated(claims), gold.reset_index(drop=True), "number",
                     citation="Pasternack & Roth, COLING 2010")


def _hierarchical(name: str, predicate: str, root: str | os.PathLike | None) -> Benchmark:
    folder = _folder(name, root)
    raw = _read_csv(folder / "claims.csv")
    claims = pd.DataFrame({"source": raw["src"], "subject": raw["obj"], "predicate": predicate,
                           "value": raw["value"], "value_kind": "place"})
    truth = _read_csv(folder / "groundtruths.csv")
    # the gold is a path from leaf to root ("Minneapolis,Minnesota,USA"): the leaf is the answer
    gold = pd.DataFrame({"subject": truth["obj"], "predicate": predicate,
                         "value": truth["value"].str.split(",").str[0].str.strip(),
                         "path": truth["value"]})
    return Benchmark(name, _stated(claims), gold, "place", taxonomy=Taxonomy.from_csv(folder / "hierarchy.csv"),
                     citation="Jung, Kim & Shim, EDBT 2019")


def load_heritages(root: str | os.PathLike | None = None) -> Benchmark:
    """Heritages (UNESCO sites -> location at any level of a place hierarchy)."""
    return _hierarchical("heritages", "location", root)


def load_birthplaces(root: str | os.PathLike | None = None) -> Benchmark:
    """Birthplaces (people -> birthplace at any level of a place hierarchy)."""
    return _hierarchical("birthplaces", "birthplace", root)


def _crowd(name: str, predicate: str, kind: str, compare: str, root: str | os.PathLike | None,
           citation: str = "Zheng, Li, Li, Shan & Cheng, PVLDB 2017") -> Benchmark:
    folder = _folder(name, root)
    answers = _read_csv(folder / "answer.csv")
    claims = pd.DataFrame({"source": answers["worker"], "subject": answers["question"],
                           "predicate": predicate, "value": answers["answer"], "value_kind": kind})
    truth = _read_csv(folder / "truth.csv")
    gold = pd.DataFrame({"subject": truth["question"], "predicate": predicate, "value": truth["truth"]})
    return Benchmark(name, _stated(claims), gold, compare, citation=citation)


def load_crowd_emotion(root: str | os.PathLike | None = None) -> Benchmark:
    """Crowd Emotion (ratings -100..100; Snow et al., EMNLP 2008): numbers, MAE matters."""
    return _crowd("crowd_emotion", "emotion", "number", "number", root)


def load_crowd_product(root: str | os.PathLike | None = None) -> Benchmark:
    """Crowd Product (same product? 0/1; Wang et al., CrowdER, PVLDB 2012): labels."""
    return _crowd("crowd_product", "same_product", "boolean", "label", root)


def load_crowd_bluebird(root: str | os.PathLike | None = None) -> Benchmark:
    """Crowd Bluebird (which of two bird species? 0/1; 39 workers, 108 images): labels."""
    return _crowd("crowd_bluebird", "species", "boolean", "label", root,
                  citation="Welinder, Branson, Belongie & Perona, NIPS 2010")


def load_crowd_cf(root: str | os.PathLike | None = None) -> Benchmark:
    """Crowd CF (weather-tweet sentiment, 5 classes 0-4; 461 workers, most with few answers)."""
    return _crowd("crowd_cf", "sentiment", "category", "label", root,
                  citation="Venanzi, Guiver, Kazai, Kohli & Shokouhi, WWW 2014")


def load_crowd_ms(root: str | os.PathLike | None = None) -> Benchmark:
    """Crowd MS (music genre of audio clips, 10 classes 1-10; 44 workers)."""
    return _crowd("crowd_ms", "genre", "category", "label", root,
                  citation="Rodrigues, Pereira & Ribeiro, Pattern Recognition Letters 2013")


def load_crowd_sp(root: str | os.PathLike | None = None) -> Benchmark:
    """Crowd SP (sentence polarity 0/1; 203 workers, 4,999 sentences)."""
    return _crowd("crowd_sp", "polarity", "boolean", "label", root,
                  citation="Rodrigues, Pereira & Ribeiro, ICML 2014")


def load_crowd_zencrowd(root: str | os.PathLike | None = None) -> Benchmark:
    """Crowd ZenCrowd (is this the entity's link? 0/1; 78 workers, 2,040 questions)."""
    return _crowd("crowd_zencrowd", "links_entity", "boolean", "label", root,
                  citation="Demartini, Difallah & Cudré-Mauroux, WWW 2012")


#: The loaders by dataset name.
BENCHMARKS: dict[str, Callable[..., Benchmark]] = {
    "book": load_book,
    "flight": load_flight,
    "population": load_population,
    "weather": load_weather,
    "heritages": load_heritages,
    "birthplaces": load_birthplaces,
    "crowd_emotion": load_crowd_emotion,
    "crowd_product": load_crowd_product,
    "crowd_bluebird": load_crowd_bluebird,
    "crowd_cf": load_crowd_cf,
    "crowd_ms": load_crowd_ms,
    "crowd_sp": load_crowd_sp,
    "crowd_zencrowd": load_crowd_zencrowd,
}


def load_benchmark(name: str, root: str | os.PathLike | None = None) -> Benchmark:
    """A benchmark by name (see :data:`BENCHMARKS`)."""
    try:
        loader = BENCHMARKS[name]
    except KeyError:
        raise ReconcileError(f"unknown benchmark {name!r}; known: {', '.join(BENCHMARKS)}") from None
    return loader(root)
