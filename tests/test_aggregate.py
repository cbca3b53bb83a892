"""aggregate="median"|"mean": number slots of two or more sources become an estimate with an
interval; counts keep the candidate rule; bad options are refused."""

import json

import numpy as np
import pandas as pd
import pytest

from reconcile import reconcile
from reconcile.aggregate import weighted_quantiles
from reconcile.cli import main
from reconcile.contract import InputError

# four raters of one dish (equal trust: every rater rates one item), a town's counted injuries
RATINGS = pd.DataFrame({
    "source": ["ines", "joao", "kemal", "lior", "mara", "nils"],
    "subject": ["bistro soup"] * 4 + ["Portby"] * 2,
    "predicate": ["score"] * 4 + ["injured"] * 2,
    "value": ["6", "7", "8", "9", "12", "14"],
    "value_kind": ["number"] * 4 + ["count"] * 2,
})


def _fact(result, subject):
    return result.facts.set_index("subject").loc[subject]


def test_weighted_quantiles_equal_weights_are_hazen():
    values = np.array([9.0, 6.0, 8.0, 7.0])
    assert weighted_quantiles(values, np.ones(4), np.array([0.25, 0.5, 0.75])).tolist() == [6.5, 7.5, 8.5]
    # a heavier value pulls the median towards it
    assert weighted_quantiles(values, np.array([1.0, 1.0, 1.0, 5.0]), np.array([0.5]))[0] < 7.5


def test_median_value_interval_and_explanation():
    fact = _fact(reconcile(RATINGS, aggregate="median"), "bistro soup")
    assert fact["value"] == pytest.approx(7.5)
    assert (fact["value_min"], fact["value_max"]) == pytest.approx((6.5, 8.5))
    assert fact["status"] == "consensus"
    assert fact["explanation"].startswith("7.5 — consensus: median of 4 sources")
    assert sorted(fact["sources"]) == ["ines", "joao", "kemal", "lior"]
    # the middle half of four sources holds the median with probability 2 Phi(1) - 1
    assert fact["confidence"] == pytest.approx(0.6827, abs=1e-3)


def test_mean_value_and_standard_error_interval():
    fact = _fact(reconcile(RATINGS, aggregate="mean"), "bistro soup")
    error = np.std([6, 7, 8, 9], ddof=1) / 2
    assert fact["value"] == pytest.approx(7.5)
    assert (fact["value_min"], fact["value_max"]) == pytest.approx((7.5 - error, 7.5 + error))
    assert "mean of 4 sources" in fact["explanation"]
    assert 0.5 < fact["confidence"] < 0.68


def test_an_outlier_beyond_the_fences_dissents_and_contests():
    wild = pd.concat([RATINGS.iloc[:4], pd.DataFrame({
        "source": ["omar"], "subject": ["bistro soup"], "predicate": ["score"], "value": ["95"],
        "value_kind": ["number"]})], ignore_index=True)
    result = reconcile(wild, aggregate="median")
    fact = _fact(result, "bistro soup")
    assert list(fact["dissenting"]) == ["omar"]
    assert fact["status"] == "contested"
    assert "outside the spread: omar (95)" in fact["explanation"]
    stances = result.claims.set_index("source")["stance"]
    assert stances["omar"] == "dissents" and stances["ines"] == "supports"


def test_counts_are_never_aggregated():
    plain, median = reconcile(RATINGS), reconcile(RATINGS, aggregate="median")
    for result in (plain, median):
        fact = _fact(result, "portby")
        assert fact["value"] in (12, 14) and fact["status"] == "contested"
    assert _fact(plain, "portby")["explanation"] == _fact(median, "portby")["explanation"]


def test_default_keeps_one_claimed_figure():
    fact = _fact(reconcile(RATINGS), "bistro soup")
    assert fact["value"] in (6, 7, 8, 9) and "median" not in fact["explanation"]


def test_a_single_source_keeps_todays_rule():
    one = RATINGS.iloc[:1]
    assert _fact(reconcile(one, aggregate="mean"), "bistro soup").to_dict() == \
        _fact(reconcile(one), "bistro soup").to_dict()


def test_bad_aggregate_is_refused():
    with pytest.raises(ValueError, match="aggregate must be one of median, mean"):
        reconcile(RATINGS, aggregate="mode")


def test_cli_run_aggregate(tmp_path, capsys):
    path = tmp_path / "ratings.csv"
    RATINGS.to_csv(path, index=False)
    assert main(["run", str(path), "--aggregate", "median"]) == 0
    facts = {f["subject"]: f for f in json.loads(capsys.readouterr().out)["facts"]}
    assert facts["bistro soup"]["value"] == pytest.approx(7.5)
    assert facts["portby"]["status"] == "contested"
    assert main(["run", str(path), "--aggregate", "mode"]) == 2
    assert "invalid choice: 'mode'" in capsys.readouterr().err


def test_an_unreadable_rating_names_the_file_and_line(tmp_path):
    path = tmp_path / "ratings.csv"
    path.write_text("source,subject,predicate,value,value_kind\n"
                    "ines,tea house,score,7,number\njoao,tea house,score,plenty,number\n")
    with pytest.raises(InputError, match=r"ratings\.csv:3: cannot read value 'plenty'"):
        reconcile(str(path), aggregate="median")


def test_aggregate_is_refused_on_the_dask_engine():
    with pytest.raises(ValueError, match="pandas engine only"):
        reconcile(RATINGS, aggregate="median", engine="dask")


def test_the_harness_scores_the_aggregates_on_a_rating_set():
    from benchmarks.accuracy import prepare, run_aggregates, score_answers
    from benchmarks.shared import shared_path

    prepared = prepare("crowd_emotion", shared_path("data", "benchmarks"))
    default_mae = score_answers(prepared, prepared.result.facts)[1]
    maes = {label: score_answers(prepared, answers)[1] for label, answers, _ in run_aggregates(prepared)}
    assert sorted(maes) == ["default, aggregate=mean", "default, aggregate=median", "mean (plain, unweighted)"]
    # averaged gold: an aggregate beats one claimed figure per item
    assert maes["default, aggregate=mean"] < maes["default, aggregate=median"] < default_mae
