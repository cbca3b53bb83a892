"""The crowd-kit families on our problems: the label space they read, what each model sees
that a vote does not, and the public API and command line."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest

import reconcile
from reconcile.cli import main
from reconcile.trust import ConvergenceWarning, TruthProblem, get_estimator
from reconcile.trust.labels import label_space

CROWD_METHODS = ["one_coin", "glad", "mace", "wawa", "zero_based_skill", "mmsr"]
COLOURS = ["amber", "blue", "crimson", "dun"]


def labelled(seed: int, n_items: int = 120, n_sources: int = 12) -> tuple[pd.DataFrame, np.ndarray]:
    """Four-label answers (as digits) from sources of accuracy 0.35-0.9, and the truth."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, 4, n_items)
    accuracy = rng.uniform(0.35, 0.9, n_sources)
    rows = []
    for item in range(n_items):
        for source in rng.choice(n_sources, size=5, replace=False):
            right = rng.random() < accuracy[source]
            rows.append((f"src{source:02d}", f"item{item:03d}", int(truth[item] if right else
                                                                (truth[item] + rng.integers(1, 4)) % 4)))
    return pd.DataFrame(rows, columns=["source", "slot", "value"]), truth


def fit(name: str, claims, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return get_estimator(name, **params).fit(claims)


def test_label_space_is_closed_for_recurring_labels_and_open_otherwise():
    claims, _ = labelled(0)
    space = label_space(TruthProblem.from_claims(claims))
    assert space.closed and space.labels.tolist() == ["0", "1", "2", "3"] and set(space.slot_k) == {4}
    # each slot its own figures: open, K is the slot's number of candidates
    figures = pd.DataFrame({"source": ["a", "b", "c", "a", "b"], "slot": ["x", "x", "x", "y", "y"],
                            "value": [10, 10, 12, 7, 8]})
    problem = TruthProblem.from_claims(figures)
    assert not label_space(problem).closed
    assert label_space(problem).slot_k.tolist() == [2, 2]
    # few slots for the labels: no evidence that they recur
    assert not label_space(TruthProblem.from_claims(claims[claims["slot"] < "item003"])).closed


@pytest.mark.parametrize("name", CROWD_METHODS)
def test_labels_as_words_give_the_answers_of_labels_as_digits(name):
    claims, truth = labelled(1)
    words = claims.assign(value=claims["value"].map(dict(enumerate(COLOURS))))
    as_digits, as_words = fit(name, claims), fit(name, words)
    p_digits, p_words = TruthProblem.from_claims(claims), TruthProblem.from_claims(words)
    digits = pd.Series(p_digits.value_labels[as_digits.winners_]).map(dict(enumerate(COLOURS)))
    assert (digits == pd.Series(p_words.value_labels[as_words.winners_])).mean() >= 0.99
    np.testing.assert_allclose(as_digits.trust_, as_words.trust_, atol=1e-3 if name == "mace" else 1e-8)
    # and every one of them is at least as accurate as the plain vote on this crowd
    vote = get_estimator("majority_vote").fit(p_digits).winners_
    assert (p_digits.value_labels[as_digits.winners_] == truth).mean() >= (
        p_digits.value_labels[vote] == truth).mean() - 0.01


def test_a_label_nobody_claimed_keeps_a_share_in_a_closed_domain():
    claims, _ = labelled(2)
    model = fit("one_coin", claims)
    problem = TruthProblem.from_claims(claims)
    total = np.bincount(problem.value_slot, model.confidence_)
    lone = problem.slot_size == 1
    assert lone.any() and np.all(total[lone] < 1.0) and np.all(total[~lone] <= 1.0 + 1e-12)
    assert model.prior_.index.tolist() == ["0", "1", "2", "3"]


def test_spammers_and_adversaries_are_found():
    claims, _ = labelled(3)
    spam = pd.DataFrame({"source": "always0", "slot": claims["slot"].unique(), "value": 0})
    flipped = claims[claims["source"] == "src00"].assign(source="contrarian",
                                                         value=lambda c: (c["value"] + 1) % 4)
    crowd = pd.concat([claims, spam, flipped], ignore_index=True)
    mace = fit("mace", crowd)
    assert mace.trust_.idxmin() in ("always0", "contrarian") and mace.trust_["always0"] < 0.1
    assert mace.strategy_.loc["always0"].idxmax() == "0"
    mmsr = fit("mmsr", crowd)
    assert mmsr.trust_["contrarian"] < 0 < mmsr.trust_.drop(["always0", "contrarian"]).min()


@pytest.mark.parametrize("name", CROWD_METHODS)
def test_open_domain_per_slot_generalisation(name):
    """Figures of each slot its own: three reliable sources outvote two that are always off."""
    rows = []
    for slot in range(30):
        truth = 100 + slot
        rows += [(f"good{i}", f"s{slot:02d}", truth) for i in range(3)]
        rows += [(f"bad{i}", f"s{slot:02d}", truth + 1 + i) for i in range(2)]
    claims = pd.DataFrame(rows, columns=["source", "slot", "value"])
    model = fit(name, claims)
    problem = TruthProblem.from_claims(claims)
    assert not label_space(problem).closed
    assert problem.value_labels[model.winners_].tolist() == [100 + s for s in range(30)]
    assert model.trust_[["good0", "good1", "good2"]].min() > model.trust_[["bad0", "bad1"]].max()


@pytest.mark.parametrize("name", CROWD_METHODS)
def test_through_the_api_and_the_command_line(name, capsys, tmp_path):
    claims, truth = labelled(4, n_items=60)
    frame = claims.rename(columns={"slot": "subject"}).assign(
        predicate="colour", value=lambda c: c["value"].map(dict(enumerate(COLOURS))))
    result = reconcile.reconcile(frame, method=name)
    assert result.method == name and len(result.facts) == 60
    right = result.facts.set_index("subject")["value"] == pd.Series(
        [COLOURS[t] for t in truth], index=[f"item{i:03d}" for i in range(60)])
    assert right.mean() >= 0.8
    path = tmp_path / "claims.csv"
    frame.to_csv(path, index=False)
    assert main(["run", str(path), "--method", name, "--format", "json"]) == 0
    facts = json.loads(capsys.readouterr().out)["facts"]
    assert sorted(f["value"] for f in facts) == sorted(result.facts["value"])
