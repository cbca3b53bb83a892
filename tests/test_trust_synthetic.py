"""The synthetic generator the trust estimators are measured on."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from benchmarks.synthetic import count_implication, evaluate, generate, to_problem


def test_deterministic_per_seed_and_shaped_as_claims():
    claims, truth = generate(5000, n_sources=30, seed=4)
    again, truth_again = generate(5000, n_sources=30, seed=4)
    pd.testing.assert_frame_equal(claims, again)
    pd.testing.assert_frame_equal(truth, truth_again)
    assert not claims.equals(generate(5000, n_sources=30, seed=5)[0])
    assert claims.columns.tolist() == ["source", "subject", "predicate", "value", "hedged"]
    assert truth.columns.tolist() == ["subject", "predicate", "value"] and len(truth) == 500
    assert abs(len(claims) - 5000) < 250
    assert not claims.duplicated(["source", "subject", "predicate"]).any()
    assert set(claims["predicate"]) == {"category", "count"}


def test_copiers_repeat_a_bad_active_source():
    claims, truth = generate(20000, n_sources=40, copiers=3, seed=2)
    accuracy = claims.attrs["source_accuracy"]
    wide = claims.pivot_table(index=["subject", "predicate"], columns="source", values="value",
                              aggfunc="first")
    own = [s for s in accuracy.index if not s.startswith("copier")]
    original = max((s for s in own if accuracy[s] < 0.5), key=lambda s: wide[s].notna().sum())
    both = wide[["copier0", original]].dropna()
    assert len(both) > 100 and (both["copier0"] == both[original]).mean() > 0.8


def test_popular_wrong_value_and_truth_lead_in_each_slot():
    claims, truth = generate(20000, n_sources=40, seed=3, kinds=("category",))
    merged = claims.merge(truth, on=["subject", "predicate"], suffixes=("", "_true"))
    wrong = merged[merged["value"] != merged["value_true"]]
    top_share = wrong.groupby("subject")["value"].agg(lambda v: v.value_counts().iloc[0] / len(v))
    assert top_share.mean() > 0.55


def test_count_implication_links_near_misses_only_within_a_slot():
    claims = pd.DataFrame({"source": list("abcde"), "subject": ["e1"] * 3 + ["e2"] * 2,
                           "predicate": "count", "value": [100, 105, 300, 100, 7], "hedged": False})
    problem = to_problem(claims, implication=True)
    imp = problem.implication.toarray()
    labels = problem.value_labels.tolist()
    i, j, k = (labels.index(v) for v in (100, 105, 300))
    assert imp[i, j] == pytest.approx(1 - 5 / 26.25) and imp[i, k] == -1.0
    assert np.all(np.diag(imp) == 0)
    slots = problem.value_slot
    assert np.all(imp[slots[:, None] != slots[None, :]] == 0)
    assert count_implication(problem, np.full(problem.n_values, np.nan)).nnz == 0


def test_evaluate_reports_every_method():
    claims, truth = generate(3000, n_sources=20, seed=1)
    table = evaluate(claims, truth, ["majority_vote", "accu"])
    assert table["method"].tolist() == ["majority_vote", "accu"]
    assert table["accuracy"].between(0.5, 1).all()
