"""The benchmark loaders (reconcile.datasets) and the accuracy harness's comparisons.

Dataset tests need ../shared/data/benchmarks (or $RECONCILE_BENCHMARKS) and fail when it is absent."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

import reconcile
from reconcile.datasets import (
    BENCHMARKS,
    DatasetUnavailable,
    load_benchmark,
)
from reconcile.trust import ConvergenceWarning

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks import accuracy



def test_a_missing_folder_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("RECONCILE_BENCHMARKS", str(tmp_path / "nowhere"))
    with pytest.raises(DatasetUnavailable, match="RECONCILE_BENCHMARKS"):
        load_benchmark("book")
    with pytest.raises(DatasetUnavailable, match="the flight benchmark is missing"):
        load_benchmark("flight", tmp_path)


EXPECTED = {  # dataset: (claims, distinct sources, gold rows)
    "book": (33258, 877, 100),
    "flight": (7192, 38, 400),
    "population": (49955, 4264, 308),
    "heritages": (4424, 1577, 785),
    "birthplaces": (13510, 7, 6005),
    "crowd_emotion": (7000, 38, 700),
    "crowd_product": (24945, 176, 8315),
    "crowd_bluebird": (4212, 39, 108),
    "crowd_cf": (1720, 461, 300),
    "crowd_ms": (2945, 44, 700),
    "crowd_sp": (27746, 203, 4999),
    "crowd_zencrowd": (20125, 78, 2040),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_loaders_give_the_claims_contract_and_the_gold(name):
    bench = load_benchmark(name)
    claims, sources, gold = EXPECTED[name]
    assert {"source", "subject", "predicate", "value"} <= set(bench.claims.columns)
    assert (len(bench.claims), bench.claims["source"].nunique(), len(bench.gold)) == (claims, sources, gold)
    assert (bench.claims["value"].str.strip() != "").all()
    assert bench.compare in ("names", "time", "number", "place", "label")


def test_raw_claims_are_four_text_columns_with_nothing_dropped():
    weather = load_benchmark("weather")
    raw = weather.raw
    assert list(raw.columns) == ["source", "subject", "predicate", "value"]
    assert len(raw) > len(weather.claims)  # the cells the loader drops as unreadable stay
    assert "Unlimited" in set(raw["value"]) and "Unlimited" not in set(weather.claims["value"])
    cf = load_benchmark("crowd_cf")
    assert cf.raw.equals(cf.claims[["source", "subject", "predicate", "value"]])
    assert set(cf.claims["value"]) == {"0", "1", "2", "3", "4"}


def test_values_stay_raw_for_the_engine():
    flight = load_benchmark("flight")
    assert {"7:10 a.m.", "7:10aDec 1"} <= set(flight.claims["value"])
    assert set(flight.claims["value_kind"]) == {"time"}
    book = load_benchmark("book")
    assert "Not Available" in set(book.claims["value"])
    heritages = load_benchmark("heritages")
    assert heritages.taxonomy.relation("Afghanistan", "Shahrak District") == "ancestor"


@pytest.mark.parametrize("name", ["flight", "heritages", "crowd_bluebird"])
def test_the_default_beats_the_vote(name):
    prepared = accuracy.prepare(name)
    assert len(prepared.result.sources) == load_benchmark(name).claims["source"].nunique()
    default, *_ = accuracy.score_answers(prepared, accuracy._facts_answers(prepared.result.facts))
    vote, *_ = accuracy.score_answers(prepared, accuracy.run_vote(prepared)[0])
    assert default >= vote
    assert default > {"flight": 0.93, "heritages": 0.45, "crowd_bluebird": 0.85}[name]


def test_book_gold_compares_author_lists_as_name_words():
    prepared = accuracy.prepare("book")
    keys = dict(zip(prepared.gold["subject"], prepared.gold["keys"]))
    assert frozenset({"timothy", "oleary", "linda"}) in keys["9780073516677"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        answer = reconcile.reconcile(
            [{"source": "a", "subject": "9780073516677", "predicate": "authors",
              "value": "O'Leary, Timothy J.; O'Leary, Linda I."}]).facts
    assert accuracy.score_answers(prepared, answer[["subject", "predicate", "value", "value_min"]])[2].sum() == 1


def test_calibration_table_bins_and_ece():
    confidence = np.array([0.95, 0.95, 0.55, 0.55])
    correct = np.array([True, True, True, False])
    table = accuracy.calibration_table(confidence, correct)
    assert table["facts"].sum() == 4
    assert table.attrs["ece"] == pytest.approx((2 * 0.05 + 2 * 0.05) / 4)


def test_every_loader_is_registered():
    assert sorted(BENCHMARKS) == sorted([*EXPECTED, "weather"])
