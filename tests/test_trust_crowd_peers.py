"""The crowd-kit families against crowd-kit 1.4.2 on a seeded crowd of the shape of the real
ones: 5 classes with unequal priors, workers of long-tailed activity and mixed skill (a few
spammers, one adversary), each task answered by a handful of them."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from reconcile.trust import ConvergenceWarning, TruthProblem, get_estimator

pytestmark = pytest.mark.peers
aggregation = pytest.importorskip("crowdkit.aggregation")


def crowd(seed: int, n_workers: int = 40, n_tasks: int = 150, n_classes: int = 5) -> pd.DataFrame:
    """``task, worker, label`` rows, sorted by worker and label, so that crowd-kit's order of
    first appearance (which seeds MACE's and M-MSR's random starts) is the sorted order ours uses."""
    rng = np.random.default_rng(seed)
    prior = rng.dirichlet(np.full(n_classes, 3.0))
    truth = rng.choice(n_classes, size=n_tasks, p=prior)
    skill = rng.uniform(0.45, 0.95, n_workers)
    skill[:3] = 1.0 / n_classes  # spammers
    skill[3] = 0.05  # an adversary
    activity = rng.pareto(1.5, n_workers) + 1.0
    rows = []
    for task in range(n_tasks):
        for worker in rng.choice(n_workers, size=rng.integers(4, 9), replace=False, p=activity / activity.sum()):
            right = rng.random() < skill[worker]
            label = truth[task] if right else (truth[task] + rng.integers(1, n_classes)) % n_classes
            rows.append((f"t{task:03d}", f"w{worker:02d}", int(label)))
    frame = pd.DataFrame(rows, columns=["task", "worker", "label"]).sort_values(["worker", "label"])
    assert list(pd.unique(frame["worker"])) == sorted(frame["worker"].unique())
    assert list(pd.unique(frame["label"])) == list(range(n_classes))
    return frame.reset_index(drop=True)


def fit_ours(name: str, frame: pd.DataFrame, **params):
    problem = TruthProblem.from_claims(frame.rename(columns={"worker": "source", "task": "slot",
                                                             "label": "value"}))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = get_estimator(name, **params).fit(problem)
    labels = pd.Series(problem.value_labels[model.winners_], index=problem.slot_labels["slot"].to_numpy())
    return model, problem, labels


def probability_table(model, problem: TruthProblem) -> pd.Series:
    """Our confidence per (task, label)."""
    tasks = problem.slot_labels["slot"].to_numpy()[problem.value_slot]
    return pd.Series(model.confidence_, index=pd.MultiIndex.from_arrays([tasks, problem.value_labels]))


def their_probabilities(probas: pd.DataFrame, ours: pd.Series) -> np.ndarray:
    return np.array([probas.loc[task, label] for task, label in ours.index])


def agreement(ours: pd.Series, theirs: pd.Series) -> float:
    return float((ours == theirs.reindex(ours.index)).mean())


@pytest.mark.parametrize("seed", [0, 1])
def test_one_coin_as_crowdkit(seed):
    frame = crowd(seed)
    model, problem, labels = fit_ours("one_coin", frame, n_iter=30, tol=-np.inf)
    peer = aggregation.OneCoinDawidSkene(n_iter=30, tol=-np.inf).fit(frame)
    assert agreement(labels, peer.labels_) == 1.0
    np.testing.assert_allclose(model.trust_.to_numpy(), peer.skills_.reindex(model.trust_.index), atol=1e-8)
    np.testing.assert_allclose(model.prior_.to_numpy(), peer.priors_.sort_index().to_numpy(), atol=1e-8)
    ours = probability_table(model, problem)
    np.testing.assert_allclose(ours.to_numpy(), their_probabilities(peer.probas_, ours), atol=1e-8)
    # with the defaults both stop at the same iteration (a gain in the ELBO below 1e-5)
    model, _, labels = fit_ours("one_coin", frame)
    peer = aggregation.OneCoinDawidSkene().fit(frame)
    assert model.n_iter_ == len(peer.loss_history_) and agreement(labels, peer.labels_) == 1.0


def test_glad_as_crowdkit():
    frame = crowd(2, n_workers=25, n_tasks=100)
    model, problem, labels = fit_ours("glad", frame, n_iter=8, tol=-np.inf)
    peer = aggregation.GLAD(n_iter=8, tol=-np.inf).fit(frame)
    assert agreement(labels, peer.labels_) >= 0.99
    np.testing.assert_allclose(model.trust_.to_numpy(), peer.alphas_.reindex(model.trust_.index), atol=1e-4)
    tasks = problem.slot_labels["slot"].to_numpy()
    np.testing.assert_allclose(model.betas_.to_numpy(), peer.betas_.reindex(tasks), atol=1e-4)
    ours = probability_table(model, problem)
    np.testing.assert_allclose(ours.to_numpy(), their_probabilities(peer.probas_, ours), atol=1e-4)


@pytest.mark.parametrize("method", ["vb", "em"])
def test_mace_as_crowdkit(method):
    frame = crowd(3)
    model, problem, labels = fit_ours("mace", frame, method=method)
    peer = aggregation.MACE(n_restarts=1, method=method).fit(frame)
    assert agreement(labels, peer.labels_) >= 0.99
    np.testing.assert_allclose(model.trust_.to_numpy(), peer.spamming_[:, 1], atol=1e-5)
    np.testing.assert_allclose(model.strategy_.to_numpy(), peer.thetas_, atol=1e-5)
    ours = probability_table(model, problem)
    np.testing.assert_allclose(ours.to_numpy(), their_probabilities(peer.probas_, ours), atol=1e-5)
    if method == "vb":  # the spammers and the adversary are found: the least competent four
        assert set(model.trust_.nsmallest(4).index) == {"w00", "w01", "w02", "w03"}


def untied(frame: pd.DataFrame) -> pd.DataFrame:
    """Without the tasks whose plain vote ties (crowd-kit breaks ties by its column order)."""
    counts = frame.groupby(["task", "label"]).size().sort_values(ascending=False)
    top = counts.groupby("task").head(2).groupby("task").agg(lambda c: len(c) == 2 and c.iloc[0] == c.iloc[1])
    return frame[~frame["task"].isin(top[top].index)].reset_index(drop=True)


@pytest.mark.parametrize("seed", [0, 4])
def test_wawa_and_zero_based_skill_equal_crowdkit(seed):
    frame = untied(crowd(seed))
    for name, peer in [("wawa", aggregation.Wawa()), ("zero_based_skill", aggregation.ZeroBasedSkill())]:
        model, problem, labels = fit_ours(name, frame)
        theirs = peer.fit(frame)
        assert agreement(labels, theirs.predict(frame)) == 1.0, name
        np.testing.assert_allclose(model.trust_.to_numpy(), theirs.skills_.reindex(model.trust_.index),
                                   atol=1e-12, err_msg=name)


@pytest.mark.parametrize("seed", [0, 5])
def test_mmsr_equals_crowdkit(seed):
    frame = crowd(seed)
    model, problem, labels = fit_ours("mmsr", frame)
    peer = aggregation.MMSR().fit(frame)
    assert agreement(labels, peer.predict(frame)) == 1.0
    np.testing.assert_allclose(model.trust_.to_numpy(), peer.skills_.reindex(model.trust_.index), atol=1e-8)
    assert model.n_iter_ == len(peer.loss_history_)
    assert model.trust_["w03"] < 0  # the adversary's vote counts against its label
