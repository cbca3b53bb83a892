"""ACCU-COPY's class-conditional accuracy (Dawid & Skene 1979) on a closed domain of labels."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from reconcile.trust import AccuCopy, TruthProblem


def crowd(seed: int = 0) -> tuple[TruthProblem, np.ndarray]:
    """Yes/no items, one in five "1"; each answered by 3 of 20 workers: ten careful ones right
    90 % of the time, ten biased ones that say "0" 95 % of the time whatever the truth."""
    rng = np.random.default_rng(seed)
    rows, truth = [], {}
    for item in range(400):
        truth[f"i{item:03d}"] = t = "1" if rng.random() < 0.2 else "0"
        for worker in rng.choice(20, size=3, replace=False):
            if worker < 10:
                value = t if rng.random() < 0.9 else ("0" if t == "1" else "1")
            else:
                value = "0" if rng.random() < 0.95 else "1"
            rows.append((f"w{worker:02d}", f"i{item:03d}", value))
    problem = TruthProblem.from_claims(pd.DataFrame(rows, columns=["source", "slot", "value"]))
    return problem, np.array([truth[s] for s in problem.slot_labels["slot"]])


def test_a_source_biased_towards_one_class_is_read_as_such():
    problem, truth = crowd()
    classes = AccuCopy().fit(problem)
    one_coin = AccuCopy().fit(dataclasses.replace(problem, value_labels=None))  # no label domain
    assert one_coin.class_accuracy_ is None
    right = (problem.value_labels[classes.winners_] == truth).mean()
    assert right > 0.88 and right > (problem.value_labels[one_coin.winners_] == truth).mean() + 0.05
    biased, careful = classes.class_accuracy_.loc["w15"], classes.class_accuracy_.loc["w03"]
    assert biased["0"] > 0.9 and biased["1"] < 0.4 and careful["1"] > 0.7
    assert abs(classes.class_prior_["1"] - 0.2) < 0.05


def test_confidence_is_the_posterior_over_every_label():
    problem, _ = crowd()
    fitted = AccuCopy().fit(problem)
    total = np.bincount(problem.value_slot, fitted.confidence_)
    assert np.all(total <= 1 + 1e-12)
    lone = problem.slot_size == 1   # only one label claimed: the other keeps a share
    assert lone.any() and np.all(total[lone] < 1) and np.all(total[~lone] > 1 - 1e-9)


def test_no_class_model_for_a_larger_or_numeric_domain():
    claims = pd.DataFrame({"source": list("abcabc"), "slot": list("xxxyyy"), "value": list("pqpruq")})
    assert AccuCopy().fit(claims).class_accuracy_ is None            # four labels
    assert AccuCopy(max_classes=4).fit(claims).class_accuracy_ is not None
    problem = TruthProblem.from_claims(claims.assign(value=["1", "2", "1", "2", "2", "1"]))
    assert AccuCopy().fit(problem).class_accuracy_ is not None
    numeric = dataclasses.replace(problem, value_numeric=np.arange(problem.n_values, dtype=float))
    assert AccuCopy().fit(numeric).class_accuracy_ is None           # numbers are not classes


def test_product_benchmark_default_reads_the_label_domain():
    """On crowd Product (yes/no labels, workers biased towards "different") the default, whose
    problem carries the candidates' labels, fits one accuracy per source and class and beats
    one accuracy per source (plain Accu)."""
    from reconcile.datasets import DatasetUnavailable

    accuracy = pytest.importorskip("benchmarks.accuracy")
    try:
        prepared = accuracy.prepare("crowd_product")
    except DatasetUnavailable:
        pytest.skip("no benchmark data")
    default = accuracy.score_answers(prepared, accuracy._facts_answers(prepared.result.facts))[0]
    one_accuracy = accuracy.score_answers(prepared, accuracy.run_ours(prepared, "accu")[0])[0]
    assert default >= 0.936 and default > one_accuracy + 0.005


def test_the_engine_problem_carries_labels_that_reveal_a_closed_domain():
    """Labels are equal for equal values across slots, so a table of same/different answers is
    a two-label domain for the class model, while figures are not."""
    from reconcile.claims import normalize_claims
    from reconcile.io import claims_frame
    from reconcile.score import score_claims

    rows = [{"source": f"worker{w}", "subject": f"pair{p}", "predicate": "match",
             "value": "same" if (w + p) % 3 else "different"} for w in range(4) for p in range(6)]
    problem = score_claims(normalize_claims(claims_frame(rows))[0]).problem
    assert len(set(problem.value_labels)) == 2
    assert AccuCopy().fit(problem).class_accuracy_ is not None
    counts = [{**row, "predicate": "wounded", "value": str(3 + row["value"].startswith("s"))} for row in rows]
    numbers = score_claims(normalize_claims(claims_frame(counts))[0]).problem
    assert AccuCopy().fit(numbers).class_accuracy_ is None
