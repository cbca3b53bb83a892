"""The estimators against truthdiscovery 1.0.4 and crowd-kit 1.4.2 where the algorithms coincide:
one claim per source and slot, weight 1, the same number of iterations."""

from __future__ import annotations

import sys
import types
import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from reconcile.trust import ConvergenceWarning, TruthProblem, get_estimator

pytestmark = pytest.mark.peers


def claims_table(seed: int, n_sources: int = 15, n_slots: int = 40) -> pd.DataFrame:
    """One claim per (source, slot) on integer values: sources of mixed accuracy, a popular
    wrong value (1) per slot and a few others."""
    rng = np.random.default_rng(seed)
    accuracy = rng.uniform(0.3, 0.95, n_sources)
    source = np.repeat(np.arange(n_sources), n_slots)
    slot = np.tile(np.arange(n_slots), n_sources)
    keep = rng.random(len(source)) < 0.6
    source, slot = source[keep], slot[keep]
    right = rng.random(len(source)) < accuracy[source]
    value = np.where(right, 0, np.where(rng.random(len(source)) < 0.6, 1, rng.integers(2, 5, len(source))))
    return pd.DataFrame({"source": [f"s{i:02d}" for i in source], "slot": [f"v{i:02d}" for i in slot],
                         "value": value})


@pytest.fixture(scope="module")
def td():
    sys.modules.setdefault("cairo", types.ModuleType("cairo"))
    return pytest.importorskip("truthdiscovery")


def run_ours(name: str, claims, n_iter: int, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return get_estimator(name, n_iter=n_iter, tol=0.0, **params).fit(claims)


def peer_beliefs(result, problem: TruthProblem) -> np.ndarray:
    """truthdiscovery's belief per candidate, in our candidate order."""
    slots = problem.slot_labels["slot"].to_numpy()[problem.value_slot]
    return np.array([result.belief[s][v] for s, v in zip(slots, problem.value_labels)])


@pytest.mark.parametrize("name, peer, n_iter", [
    ("sums", "Sums", 20),
    ("average_log", "AverageLog", 20),
    ("investment", "Investment", 20),
    ("pooled_investment", "PooledInvestment", 10),
    ("truthfinder", "TruthFinder", 8),
])
@pytest.mark.parametrize("seed", [0, 1])
def test_same_trust_and_beliefs_as_truthdiscovery(td, name, peer, n_iter, seed):
    claims = claims_table(seed)
    problem = TruthProblem.from_claims(claims)
    ours = run_ours(name, problem, n_iter)
    algorithm = getattr(td, peer)(iterator=td.FixedIterator(n_iter))
    result = algorithm.run(td.Dataset(claims[["source", "slot", "value"]].itertuples(index=False)))
    theirs = pd.Series(result.trust).reindex(ours.trust_.index)
    np.testing.assert_allclose(ours.trust_.to_numpy(), theirs.to_numpy(), rtol=1e-7, atol=1e-12)
    np.testing.assert_allclose(ours.beliefs_, peer_beliefs(result, problem), rtol=1e-7, atol=1e-12)


def test_truthfinder_implication_as_truthdiscovery(td):
    claims = claims_table(2)
    problem = TruthProblem.from_claims(claims)

    def imp(_var, a, b):
        return float(np.clip(1.0 - abs(a - b), -1.0, 1.0))

    values, slots = problem.value_labels.astype(float), problem.value_slot
    same = slots[:, None] == slots[None, :]
    np.fill_diagonal(same, False)
    dense = np.where(same, np.clip(1.0 - np.abs(values[:, None] - values[None, :]), -1.0, 1.0), 0.0)
    implied = TruthProblem(problem.claim_source, problem.claim_value, problem.value_slot,
                           problem.claim_weight, implication=sp.csr_matrix(dense),
                           source_names=problem.source_names, value_labels=problem.value_labels,
                           slot_labels=problem.slot_labels)
    ours = run_ours("truthfinder", implied, 6)
    data = td.Dataset(claims[["source", "slot", "value"]].itertuples(index=False),
                      implication_function=imp)
    result = td.TruthFinder(iterator=td.FixedIterator(6)).run(data)
    theirs = pd.Series(result.trust).reindex(ours.trust_.index)
    np.testing.assert_allclose(ours.trust_.to_numpy(), theirs.to_numpy(), rtol=1e-7)
    np.testing.assert_allclose(ours.beliefs_, peer_beliefs(result, problem), rtol=1e-7)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_majority_vote_as_crowdkit(seed):
    aggregation = pytest.importorskip("crowdkit.aggregation")
    claims = claims_table(seed)
    # drop the slots with a tie, which the two break differently
    counts = claims.groupby(["slot", "value"]).size().sort_values(ascending=False).groupby("slot").head(2)
    tied = counts.groupby("slot").agg(lambda c: len(c) == 2 and c.iloc[0] == c.iloc[1])
    claims = claims[~claims["slot"].isin(tied[tied].index)]
    assert claims["slot"].nunique() > 20
    ours = get_estimator("majority_vote").fit(claims)
    mv = aggregation.MajorityVote().fit(
        claims.rename(columns={"source": "worker", "slot": "task", "value": "label"}))
    problem = TruthProblem.from_claims(claims)
    winners = pd.Series(problem.value_labels[ours.winners_], index=problem.slot_labels["slot"].to_numpy())
    assert (winners == mv.labels_.reindex(winners.index)).all()
    np.testing.assert_allclose(ours.trust_.to_numpy(), mv.skills_.reindex(ours.trust_.index).to_numpy())


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_dawid_skene_without_prior_as_crowdkit(seed):
    """With the prior strength at 0, the same EM as crowd-kit's DawidSkene: the same task
    posteriors, class prior and error matrices after the same number of iterations."""
    aggregation = pytest.importorskip("crowdkit.aggregation")
    claims = claims_table(seed)
    problem = TruthProblem.from_claims(claims)
    ours = get_estimator("dawid_skene", n_iter=15, tol=None, prior_strength=0).fit(problem)
    theirs = aggregation.DawidSkene(n_iter=15, tol=-np.inf).fit(
        claims.rename(columns={"source": "worker", "slot": "task", "value": "label"}))
    labels = [int(label) for label in problem.label_classes[1]]
    slots = problem.slot_labels["slot"].to_numpy()
    np.testing.assert_allclose(ours.slot_posterior_, theirs.probas_.reindex(index=slots, columns=labels),
                               atol=1e-8)
    np.testing.assert_allclose(ours.class_prior_, theirs.priors_.reindex(labels), atol=1e-8)
    errors = theirs.errors_  # (worker, said label) x true label, observed pairs only
    for (worker, said), row in errors.iterrows():
        source = list(problem.source_names).index(worker)
        np.testing.assert_allclose(ours.confusion_[source, labels.index(said)], row.reindex(labels), atol=1e-8)
    decided = np.sort(ours.slot_posterior_, axis=1)[:, -1] - np.sort(ours.slot_posterior_, axis=1)[:, -2] > 1e-6
    ours_labels = np.array(labels)[np.argmax(ours.slot_posterior_, axis=1)]
    assert decided.sum() > 30
    assert (ours_labels[decided] == theirs.labels_.reindex(slots).to_numpy()[decided]).all()


def test_dawid_skene_prior_pools_a_source_with_few_answers_towards_the_population():
    """A source seen once keeps the population's confusion matrix under the pooled prior;
    without it, its one answer decides its whole matrix."""
    claims = claims_table(0)
    newcomer = pd.DataFrame({"source": ["newcomer"], "slot": ["v00"], "value": [3]})
    problem = TruthProblem.from_claims(pd.concat([claims, newcomer], ignore_index=True))
    source = list(problem.source_names).index("newcomer")
    pooled = get_estimator("dawid_skene").fit(problem)
    plain = get_estimator("dawid_skene", prior_strength=0).fit(problem)
    said = list(problem.label_classes[1]).index("3")
    assert plain.confusion_[source, said].min() > 0.99  # says "3" whatever the truth
    others = np.arange(len(problem.label_classes[1])) != said
    assert pooled.confusion_[source, said, others].max() < 0.3  # errs as the population does
    # one (wrong) answer lowers its accuracy from the population's, but only so far
    assert plain.trust_["newcomer"] < 0.2 < 0.3 < pooled.trust_["newcomer"] < pooled.trust_.median()
