"""Hand-computable cases for each trust estimator and invariants over the whole registry."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
import scipy.sparse as sp
from scipy.special import expit

from reconcile.contract import InputError, ReconcileError
from reconcile.trust import (CRH, ESTIMATORS, Accu, AverageLog, ConvergenceWarning, DawidSkene,
                             DefaultEstimator, Investment, MajorityVote, PooledInvestment, Sums,
                             TruthFinder, TruthProblem, get_estimator)
from reconcile.trust.base import IterativeEstimator
from reconcile.trust.labels import PosteriorEstimator

# a: x=p, y=u;  b: x=p, y=v;  c: x=q, y=v  ->  winners p and v; b is right twice.
SMALL = pd.DataFrame({
    "source": ["a", "a", "b", "b", "c", "c"],
    "slot": ["x", "y", "x", "y", "x", "y"],
    "value": ["p", "u", "p", "v", "q", "v"],
})


def random_claims(seed: int, n_sources: int = 12, n_slots: int = 30) -> pd.DataFrame:
    """A small table: sources of mixed accuracy, 2-4 candidates per slot, some hedged claims."""
    rng = np.random.default_rng(seed)
    rows = []
    accuracy = rng.uniform(0.3, 0.95, n_sources)
    for slot in range(n_slots):
        k = rng.integers(2, 5)
        for source in rng.choice(n_sources, size=rng.integers(2, n_sources), replace=False):
            value = 0 if rng.random() < accuracy[source] else rng.integers(1, k)
            rows.append((f"s{source}", f"subject{slot}", "pred", f"v{value}", rng.choice([1.0, 0.5])))
    return pd.DataFrame(rows, columns=["source", "subject", "predicate", "value", "weight"])


def fitted(name: str, claims, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return get_estimator(name, **params).fit(claims)


# --- the problem ---------------------------------------------------------------------------

def test_from_claims_codes_are_sorted_and_weights_shared():
    claims = pd.DataFrame({"source": ["b", "a", "a", "a"], "subject": ["s", "s", "s", "s"],
                           "predicate": ["p", "p", "p", "p"], "value": ["y", "x", "y", "y"]})
    p = TruthProblem.from_claims(claims)
    assert p.source_names.tolist() == ["a", "b"]
    assert p.value_labels.tolist() == ["x", "y"]
    assert p.slot_labels.to_dict("records") == [{"subject": "s", "predicate": "p"}]
    # a's repeated "y" counts once; a's two candidates share weight 1
    assert sorted(zip(p.claim_source.tolist(), p.claim_value.tolist(), p.claim_weight.tolist())) == [
        (0, 0, 0.5), (0, 1, 0.5), (1, 1, 1.0)]


def test_from_claims_needs_the_columns_and_valid_weights():
    with pytest.raises(InputError, match="value"):
        TruthProblem.from_claims(pd.DataFrame({"source": ["a"], "slot": ["x"]}))
    with pytest.raises(InputError, match=r"\(0, 1\]"):
        TruthProblem.from_claims(pd.DataFrame({"source": ["a"], "slot": ["x"], "value": [1],
                                               "weight": [0.0]}))


def test_from_claims_accepts_unhashable_values():
    p = TruthProblem.from_claims(pd.DataFrame({"source": ["a", "b"], "slot": ["x", "x"],
                                               "value": [[1, 2], [1, 2]]}))
    assert p.n_values == 1 and p.value_labels.tolist() == [[1, 2]]


# --- hand-computable cases -----------------------------------------------------------------

def test_majority_vote_by_hand():
    mv = MajorityVote().fit(SMALL)
    np.testing.assert_allclose(mv.beliefs_, [2, 1, 1, 2])
    np.testing.assert_allclose(mv.confidence_, [2 / 3, 1 / 3, 1 / 3, 2 / 3])
    assert mv.winners_.tolist() == [0, 3]
    assert mv.trust_.to_dict() == {"a": 0.5, "b": 1.0, "c": 0.5}
    assert mv.trust_.name == "trust" and mv.n_iter_ == 1


def test_majority_vote_weights_and_ties():
    tie = pd.DataFrame({"source": ["a", "b"], "slot": ["x", "x"], "value": ["q", "p"]})
    assert MajorityVote().fit_predict(tie).tolist() == [0]          # the lowest code: "p"
    hedged = tie.assign(weight=[1.0, 0.4])
    assert MajorityVote().fit_predict(hedged).tolist() == [1]       # "q", unhedged


def test_truthfinder_one_iteration_by_hand():
    with pytest.warns(ConvergenceWarning):
        tf = TruthFinder(n_iter=1).fit(SMALL)
    tau = -np.log(1 - 0.9)
    one, two = expit(0.3 * tau), expit(0.3 * 2 * tau)
    np.testing.assert_allclose(tf.beliefs_, [two, one, one, two])
    np.testing.assert_allclose(tf.trust_.to_numpy(), [(two + one) / 2, two, (one + two) / 2])
    np.testing.assert_allclose(tf.confidence_[:2], [two / (one + two), one / (one + two)])


def test_truthfinder_converges_with_b_most_trusted():
    tf = TruthFinder().fit(SMALL)
    assert tf.winners_.tolist() == [0, 3]
    assert tf.trust_["b"] > tf.trust_["a"] and tf.trust_["b"] > tf.trust_["c"]
    assert 1 < tf.n_iter_ < 100


def implication_problem(implication: bool) -> TruthProblem:
    """Slot 0 has candidates 0 = "3", 1 = "at least 3", 2 = "5": "3" and "5" both imply
    "at least 3" and conflict with each other.  a says 3, b says at least 3, c and d say 5;
    in slot 1 all four agree (candidate 3)."""
    imp = np.zeros((4, 4))
    imp[0, 1] = imp[2, 1] = 1.0
    imp[0, 2] = imp[2, 0] = -1.0
    imp[1, 0] = imp[1, 2] = 0.3
    return TruthProblem(
        claim_source=np.array([0, 1, 2, 3, 0, 1, 2, 3], dtype=np.int32),
        claim_value=np.array([0, 1, 2, 2, 3, 3, 3, 3], dtype=np.int32),
        value_slot=np.array([0, 0, 0, 1], dtype=np.int32),
        claim_weight=np.ones(8),
        implication=sp.csr_matrix(imp) if implication else None,
        source_names=np.array(["a", "b", "c", "d"], dtype=object),
    )


@pytest.mark.parametrize("name", ["truthfinder", "accu"])
def test_implication_raises_a_compatible_values_belief(name):
    plain = fitted(name, implication_problem(False))
    implied = fitted(name, implication_problem(True))
    assert implied.confidence_[1] > plain.confidence_[1]
    assert implied.confidence_[2] < plain.confidence_[2]
    assert plain.winners_.tolist() == [2, 3] and implied.winners_.tolist() == [1, 3]


def test_sums_two_iterations_by_hand():
    sums = Sums(n_iter=2, tol=None).fit(SMALL)
    # beliefs 0.5 -> trust (1, 1, 1) -> beliefs (1, .5, .5, 1) -> trust (1.5, 2, 1.5) / 2
    np.testing.assert_allclose(sums.trust_.to_numpy(), [0.75, 1.0, 0.75])
    np.testing.assert_allclose(sums.beliefs_, [1, 3 / 7, 3 / 7, 1])
    np.testing.assert_allclose(sums.confidence_, [0.7, 0.3, 0.3, 0.7])


def test_average_log_gives_no_trust_to_a_single_claim():
    claims = pd.concat([SMALL, pd.DataFrame({"source": ["d"], "slot": ["x"], "value": ["q"]})])
    average_log = AverageLog().fit(claims)
    assert average_log.trust_["d"] == 0.0
    assert average_log.trust_["b"] == 1.0 and average_log.winners_.tolist() == [0, 3]


def test_investment_one_iteration_by_hand():
    investment = Investment(n_iter=1).fit(SMALL)
    # vote-share beliefs; every source is repaid 2/3; investments 2/3 and 1/3 grow by ** 1.2
    np.testing.assert_allclose(investment.trust_.to_numpy(), [1.0, 1.0, 1.0])
    np.testing.assert_allclose(investment.beliefs_, [1, 0.5 ** 1.2, 0.5 ** 1.2, 1])
    assert investment.n_iter_ == 1


def test_pooled_investment_one_iteration_by_hand():
    pooled = PooledInvestment(n_iter=1).fit(SMALL)
    # uniform beliefs: minority claims pay twice as much, so a and c earn 0.75, b 0.5
    np.testing.assert_allclose(pooled.trust_.to_numpy(), [1.0, 2 / 3, 1.0])
    h = np.array([0.625, 0.375])                     # investment in (p, q) and in (v, u)
    pooled_h = h * h ** 1.4 / (h ** 1.4).sum()
    np.testing.assert_allclose(pooled.beliefs_, np.array([1, 0, 0, 1]) + np.array([0, 1, 1, 0])
                               * pooled_h[1] / pooled_h[0])


def test_crh_takes_the_weighted_median_of_numbers():
    # slot 0: a, b, c agree and d dissents; slot 1: 10, 11, 12, 100 (one each)
    problem = TruthProblem(
        claim_source=np.array([0, 1, 2, 3, 0, 1, 2, 3], dtype=np.int32),
        claim_value=np.array([0, 0, 0, 1, 2, 3, 4, 5], dtype=np.int32),
        value_slot=np.array([0, 0, 1, 1, 1, 1], dtype=np.int32),
        claim_weight=np.ones(8),
        value_numeric=np.array([np.nan, np.nan, 10, 11, 12, 100]),
        source_names=np.array(list("abcd"), dtype=object),
    )
    crh = CRH().fit(problem)
    assert crh.winners_.tolist() == [0, 3]
    assert crh.trust_.idxmin() == "d" and crh.trust_["b"] == crh.trust_.max()
    np.testing.assert_allclose(crh.confidence_[2:], crh.trust_.to_numpy() / crh.trust_.sum())
    categorical = CRH().fit(TruthProblem(problem.claim_source, problem.claim_value,
                                         problem.value_slot, problem.claim_weight))
    assert categorical.winners_.tolist() == [0, 2]   # a four-way tie: the lowest code


def test_accu_one_iteration_by_hand():
    with pytest.warns(ConvergenceWarning):
        accu = Accu(n_iter=1).fit(SMALL)
    # each vote is ln(1 * 0.8 / 0.2) = ln 4: 2 ln 4 against ln 4 gives P = 4 / 5
    np.testing.assert_allclose(accu.beliefs_, [0.8, 0.2, 0.2, 0.8])
    # A(s): the mean P of its claims with 2 pseudo-claims at 0.8
    np.testing.assert_allclose(accu.trust_.to_numpy(), [(1.0 + 1.6) / 4, 0.8, (1.0 + 1.6) / 4])
    with pytest.warns(ConvergenceWarning):
        paper = Accu(n_iter=1, prior_strength=0).fit(SMALL)
    np.testing.assert_allclose(paper.trust_.to_numpy(), [0.5, 0.8, 0.5])


def test_accu_counts_unclaimed_false_values():
    with pytest.warns(ConvergenceWarning):
        accu = Accu(n_iter=1, n_false=9).fit(SMALL)
    # votes ln(9 * 4) = ln 36; the slot has 10 values, 8 of them unclaimed (exp(0) each)
    np.testing.assert_allclose(accu.beliefs_[:2], [36 ** 2 / (36 ** 2 + 36 + 8), 36 / (36 ** 2 + 36 + 8)])
    # confidence_ keeps the unclaimed values' share too (P at the fitted accuracy); it is not
    # renormalised over the two claimed candidates
    fitted_p = Accu(n_false=9, min_false=1).fit(SMALL)
    np.testing.assert_allclose(fitted_p.confidence_, fitted_p.beliefs_, atol=1e-5)
    assert 0.5 < fitted_p.confidence_[:2].sum() < 1.0 - 1e-3


def test_accu_single_source_slot_is_as_likely_as_its_source():
    # y has one candidate: with at least one false value (min_false=1) P(u) = A / (A + (1 - A))
    # = A, the source's accuracy, not 1; the slot x (two candidates) is unchanged
    claims = pd.DataFrame({"source": ["a", "b", "a", "b", "c"], "slot": ["x", "x", "y", "z", "z"],
                           "value": ["p", "q", "u", "w", "w"]})
    problem = TruthProblem.from_claims(claims)
    accu = Accu(min_false=1).fit(problem)
    trust = accu.trust_.to_numpy()
    y, z = problem.value_slot == 1, problem.value_slot == 2
    np.testing.assert_allclose(accu.confidence_[y], trust[0], rtol=1e-9)
    assert accu.confidence_[y][0] < 1.0
    # two agreeing independent sources: A_b A_c / (A_b A_c + (1 - A_b)(1 - A_c)), above either one
    ab = trust[1] * trust[2]
    np.testing.assert_allclose(accu.confidence_[z], ab / (ab + (1 - trust[1]) * (1 - trust[2])), rtol=1e-9)
    assert accu.confidence_[z][0] > trust[1:].max()
    np.testing.assert_allclose(accu.confidence_[~y & ~z], accu.beliefs_[~y & ~z])
    # the closed world (min_false=0, the default) makes a lone claim certain
    assert Accu().fit(problem).confidence_[y].tolist() == [1.0]


def test_accu_lone_claim_confidence_follows_its_source():
    # g agrees with the majority on ten slots, w contradicts it on ten; each says one thing alone
    rows = [(src, f"s{k}", "t") for k in range(10) for src in ("m1", "m2", "g")]
    rows += [("w", f"s{k}", "f") for k in range(10)] + [("g", "lone_g", "a"), ("w", "lone_w", "b")]
    problem = TruthProblem.from_claims(pd.DataFrame(rows, columns=["source", "slot", "value"]))
    accu = Accu(min_false=1).fit(problem)
    labels = list(problem.slot_labels["slot"])
    lone = {s: accu.confidence_[problem.value_slot == labels.index(s)][0] for s in ("lone_g", "lone_w")}
    assert 0.8 < lone["lone_g"] < 1.0 and lone["lone_w"] < 0.3
    np.testing.assert_allclose([lone["lone_g"], lone["lone_w"]], accu.trust_[["g", "w"]], rtol=1e-9)


def test_accu_claim_independence_discounts_copies():
    claims = pd.DataFrame({"source": list("abcde"), "slot": "x", "value": list("pppqq")})
    assert Accu().fit_predict(claims).tolist() == [0]
    copies = Accu().fit(claims, claim_independence=np.array([1, 0, 0, 1, 1.0]))
    assert copies.winners_.tolist() == [1]
    with pytest.raises(InputError, match="claim_independence"):
        Accu().fit(claims, claim_independence=np.ones(3))


# --- invariants of every registered estimator ----------------------------------------------

NAMES = sorted(ESTIMATORS)


@pytest.mark.parametrize("name", NAMES)
def test_fitted_attributes_and_per_slot_confidence(name):
    claims = random_claims(0)
    problem = TruthProblem.from_claims(claims)
    est = fitted(name, problem)
    assert isinstance(est.trust_, pd.Series) and est.trust_.name == "trust"
    assert est.trust_.index.tolist() == problem.source_names.tolist()
    assert est.beliefs_.shape == est.confidence_.shape == (problem.n_values,)
    assert np.all(est.confidence_ >= 0) and np.all(np.isfinite(est.trust_))
    total = np.bincount(problem.value_slot, est.confidence_)
    if isinstance(est, (Accu, DawidSkene, DefaultEstimator, PosteriorEstimator)):  # unclaimed values may keep a share
        assert np.all(total <= 1.0 + 1e-12) and np.all(total > 0)
    else:
        np.testing.assert_allclose(total, 1.0)
    winners = est.fit_predict(problem)
    assert winners.shape == (problem.n_slots,)
    assert np.array_equal(problem.value_slot[winners], np.arange(problem.n_slots))
    assert est.n_iter_ >= 1


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("seed", [1, 2])
def test_row_order_and_duplicates_do_not_matter(name, seed):
    claims = random_claims(seed)
    base = fitted(name, claims)
    shuffled = fitted(name, claims.sample(frac=1.0, random_state=seed))
    doubled = pd.concat([claims, claims.iloc[::3]]).sample(frac=1.0, random_state=seed + 1)
    again = fitted(name, doubled)
    for other in (shuffled, again):
        pd.testing.assert_series_equal(other.trust_, base.trust_, rtol=1e-9)
        np.testing.assert_allclose(other.confidence_, base.confidence_, rtol=1e-9, atol=1e-12)
        assert np.array_equal(other.winners_, base.winners_)


@pytest.mark.parametrize("name", [n for n in NAMES if issubclass(ESTIMATORS[n], IterativeEstimator)])
def test_convergence_warning_when_stopped_early(name):
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        get_estimator(name, n_iter=1, tol=1e-6).fit(random_claims(3))


@pytest.mark.parametrize("name", ["investment", "pooled_investment"])
def test_fixed_iterations_without_tol(name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        est = get_estimator(name).fit(random_claims(3))
    assert est.n_iter_ == est.n_iter and est.tol is None


def test_majority_vote_never_warns():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        MajorityVote(n_iter=1).fit(random_claims(3))


def test_unknown_method_names_the_known_ones():
    with pytest.raises(ReconcileError, match="unknown trust method 'nope'; known: .*majority_vote"):
        get_estimator("nope")
    assert isinstance(get_estimator(), ESTIMATORS["default"])


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("rows", [0, 1, 2])
def test_empty_and_tiny_inputs(name, rows):
    claims = pd.DataFrame({"source": ["a", "b"], "slot": ["x", "x"], "value": ["v", "v"]}).iloc[:rows]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        est = get_estimator(name).fit(claims.astype(object))
    assert len(est.trust_) == claims["source"].nunique() and np.all(np.isfinite(est.trust_))
    assert est.winners_.tolist() == ([0] if rows else [])
    assert est.confidence_.tolist() == ([1.0] if rows else [])


def test_problem_rejects_codes_out_of_range():
    with pytest.raises(InputError, match="claim_value"):
        TruthProblem(np.array([0]), np.array([1]), np.array([0]), np.ones(1))
    with pytest.raises(InputError, match="claim_source"):
        TruthProblem(np.array([1]), np.array([0]), np.array([0]), np.ones(1), source_names=np.array(["a"]))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 3), st.integers(0, 2)), min_size=1, max_size=30,
                unique_by=lambda t: (t[0], t[1])),
       st.randoms(use_true_random=False))
def test_any_row_order_gives_the_same_result(rows, random):
    claims = pd.DataFrame(rows, columns=["source", "slot", "value"])
    shuffled = claims.iloc[random.sample(range(len(claims)), len(claims))]
    for name in NAMES:
        one, two = fitted(name, claims), fitted(name, shuffled)
        pd.testing.assert_series_equal(one.trust_, two.trust_, rtol=1e-9)
        assert np.array_equal(one.winners_, two.winners_)


def equivalent_spelling_problem(n_slots: int = 10) -> TruthProblem:
    """Per slot three candidates: t, t' (the same value spelled otherwise: agreement 1 both
    ways) and w (conflicting with both).  a and b say t, c says t', d says w, in every slot."""
    imp = sp.lil_matrix((3 * n_slots, 3 * n_slots))
    source, value = [], []
    for i in range(n_slots):
        t, t2, w = 3 * i, 3 * i + 1, 3 * i + 2
        imp[t, t2] = imp[t2, t] = 1.0
        imp[w, t] = imp[t, w] = imp[w, t2] = imp[t2, w] = -1.0
        source += [0, 1, 2, 3]
        value += [t, t, t2, w]
    return TruthProblem(claim_source=np.array(source, dtype=np.int32), claim_value=np.array(value, dtype=np.int32),
                        value_slot=np.repeat(np.arange(n_slots, dtype=np.int32), 3),
                        claim_weight=np.ones(len(source)), implication=imp.tocsr(),
                        source_names=np.array(["a", "b", "c", "d"], dtype=object))


@pytest.mark.parametrize("name", ["accu", "accu_copy"])
def test_accu_equivalent_credit_counts_an_equivalent_spelling_as_right(name):
    problem = equivalent_spelling_problem()
    plain = get_estimator(name, equivalent_credit=False).fit(problem)
    credited = get_estimator(name, equivalent_credit=True).fit(problem)
    # exact equality: c, who always gives the true value in another spelling, looks as bad as d
    assert plain.trust_["c"] < 0.2 and plain.trust_["d"] < 0.2
    # equivalent credit: c is as accurate as a; d stays wrong; the answers do not change
    assert credited.trust_["c"] == pytest.approx(credited.trust_["a"], abs=1e-6)
    assert credited.trust_["d"] < 0.2
    assert credited.winners_.tolist() == plain.winners_.tolist() == list(range(0, 30, 3))
    # two classes of values per slot ({t, t'} and {w}): one false value, not two
    assert credited._slot_n_false(problem).tolist() == [1] * 10
    assert plain._slot_n_false(problem).tolist() == [2] * 10
    # ACCU-COPY, the default's model for open domains, gives the credit
    assert get_estimator("accu_copy").equivalent_credit


def test_the_default_chooses_its_model_from_the_claims_and_reports_why():
    rng = np.random.default_rng(5)
    truth = rng.random(200) < 0.4
    rows = [(f"w{w}", f"item{i}", "1" if (t if rng.random() < 0.8 else not t) else "0")
            for i, t in enumerate(truth) for w in range(5)]
    closed = get_estimator("default").fit(pd.DataFrame(rows, columns=["source", "slot", "value"]))
    choice = closed.choice_
    assert (choice["model"], choice["labels"], choice["slots"]) == ("dawid_skene", 2, 200)
    assert 100 < choice["slots_per_label"] <= 200  # the slots each label is claimed in, on average
    assert isinstance(closed.model_, DawidSkene)
    assert closed.model_.prior_strength_ in closed.model_.held_out_.index  # chosen on held-out claims
    np.testing.assert_array_equal(closed.winners_, closed.model_.winners_)
    # a few figures over a few slots are no label domain, however few distinct values they have
    news = pd.DataFrame({"source": list("abcab"), "slot": list("xxxyy"), "value": [3, 3, 4, 10, 10]})
    open_domain = get_estimator("default").fit(news)
    assert open_domain.choice_["model"] == "accu_copy" and open_domain.choice_["labels"] == 3


def test_dawid_skene_refuses_an_open_domain():
    claims = pd.DataFrame({"source": "a", "slot": [f"s{i}" for i in range(70)], "value": range(70)})
    with pytest.raises(InputError, match="closed domain of at most 64 labels"):
        get_estimator("dawid_skene").fit(claims)
