"""Copy detection (ACCU-COPY, Dong, Berti-Equille & Srivastava, VLDB 2009): a crowd of copiers
must not outvote independent sources."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import reconcile
from reconcile.trust import AccuCopy, ConvergenceWarning, TruthProblem, get_estimator
from reconcile.trust.accu_copy import copy_probability


def copier_claims(n_copiers: int = 100, seed: int = 0) -> pd.DataFrame:
    """3 reliable independent sources and 5 ordinary independent ones answer 40 questions
    (their errors are their own); a bad source ("rumour") answers 10 of them, mostly wrongly,
    and ``n_copiers`` sources copy the rumour's answers on 5 of its questions, among them
    the false claim on q00 that the 3 reliable sources contradict."""
    rng = np.random.default_rng(seed)
    rows = []
    for i, accuracy in enumerate([0.95, 0.95, 0.95, 0.7, 0.7, 0.7, 0.7, 0.7]):
        name = f"reliable{i}" if i < 3 else f"ordinary{i}"
        for q in range(40):
            if name.startswith("ordinary") and q == 0:
                continue  # only the reliable sources speak on q00
            right = q == 0 or rng.random() < accuracy
            rows.append((name, f"q{q:02d}", "true" if right else f"wrong by {name}"))
    rumour = {f"q{q:02d}": ("rumour" if q % 3 != 2 else "true") for q in range(10)}
    rows += [("rumour", q, v) for q, v in rumour.items()]
    copied = ["q00", "q01", "q03", "q04", "q07"]
    rows += [(f"copier{c:03d}", q, rumour[q]) for c in range(n_copiers) for q in copied]
    frame = pd.DataFrame(rows, columns=["source", "subject", "value"])
    return frame.assign(predicate="answer", value_kind="category")


def fact(result: reconcile.Result, subject: str) -> str:
    return result.facts.set_index("subject").loc[subject, "value"]


def run(claims: pd.DataFrame, method: str) -> reconcile.Result:
    pins = {s: s for s in claims["source"].unique()}  # sources named alike are still distinct
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return reconcile.reconcile(claims, method=method, aliases=pins)


def test_hundred_copiers_do_not_flip_a_fact_backed_by_three_independent_sources():
    claims = copier_claims(100)
    result = run(claims, "accu_copy")
    assert len(result.sources) == 109
    assert fact(result, "q00") == "true"
    # without copy detection the copiers win
    assert fact(run(claims, "accu"), "q00") == "rumour"


def test_the_default_resists_the_copiers():
    assert fact(run(copier_claims(100), "default"), "q00") == "true"


def test_copiers_are_found_dependent_and_reliable_sources_independent():
    problem = TruthProblem.from_claims(copier_claims(20).rename(columns={"subject": "slot"}))
    model = AccuCopy().fit(problem)
    names = list(problem.source_names)
    dependence = model.dependence_.toarray()
    dependence = np.maximum(dependence, dependence.T)
    copier_a, copier_b = names.index("copier000"), names.index("copier001")
    assert dependence[copier_a, copier_b] > 0.9
    assert dependence[names.index("copier000"), names.index("rumour")] > 0.9
    assert dependence[names.index("reliable0"), names.index("reliable1")] < 0.1


def test_copy_probability_grows_with_shared_false_values_and_falls_with_disagreement():
    same_true = np.array([10.0, 10.0, 10.0])
    same_false = np.array([0.0, 5.0, 5.0])
    different = np.array([0.0, 0.0, 10.0])
    p = copy_probability(same_true, same_false, different, np.full(3, 0.8), np.full(3, 0.8),
                         n_false=10, copy_rate=0.8, prior=0.1)
    assert p[1] > p[0] and p[1] > p[2] and p[1] > 0.99
    assert np.all((p >= 0) & (p <= 1))


def test_without_copiers_accu_copy_agrees_with_accu():
    rng = np.random.default_rng(3)
    rows = [(f"s{s}", f"q{q}", "t" if rng.random() < 0.8 else f"w{rng.integers(5)}")
            for s in range(8) for q in range(60)]
    problem = TruthProblem.from_claims(pd.DataFrame(rows, columns=["source", "slot", "value"]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        plain = get_estimator("accu").fit(problem).winners_
        copy = get_estimator("accu_copy").fit(problem).winners_
    assert (plain == copy).mean() >= 0.95


@pytest.mark.parametrize("n_copiers", [1, 10, 100])
def test_accu_copy_is_deterministic(n_copiers):
    problem = TruthProblem.from_claims(copier_claims(n_copiers).rename(columns={"subject": "slot"}))
    a = AccuCopy().fit(problem)
    b = AccuCopy().fit(problem)
    np.testing.assert_array_equal(a.confidence_, b.confidence_)
