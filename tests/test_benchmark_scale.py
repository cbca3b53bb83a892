"""benchmarks.scale's peer comparison and benchmarks.peers' guarded runner, on tiny tables."""

import time

import numpy as np
import pandas as pd
import pytest

from benchmarks.peers import peers_available, run_guarded
from benchmarks.scale import (
    PeerRun,
    _fit_peer,
    accuracy,
    peer_facts,
    peer_votes,
    summary,
)
from benchmarks.synthetic import generate


@pytest.fixture(scope="module")
def table():
    return generate(3000, n_sources=30, seed=2)


def _truth_answers(votes, truth):
    merged = votes.slots.merge(truth, on=["subject", "predicate"], how="left")
    return pd.Series(merged["value"].to_numpy(), index=np.arange(len(merged)))


def test_votes_shape(table):
    claims, truth = table
    votes = peer_votes(claims)
    assert len(votes.source) == len(votes.task) == len(votes.label) == len(votes.ck_label) == len(claims)
    assert votes.task.dtype == np.int64 and votes.task.min() == 0 and votes.task.max() == len(truth) - 1
    assert votes.slots.columns.tolist() == ["subject", "predicate"] and len(votes.slots) == len(truth)
    # each vote's slot is its claim's slot, its label the value as text
    slot = votes.slots.iloc[votes.task]
    assert (slot["subject"].to_numpy() == claims["subject"].to_numpy()).all()
    assert list(votes.label[:50]) == [str(v) for v in claims["value"][:50]]
    # many distinct counts: crowd-kit gets ranks within the slot, decoded back to the value
    assert votes.ck_label.dtype == np.int64 and votes.ck_label.min() == 0
    decoded = votes.ck_decode.reindex(pd.MultiIndex.from_arrays([votes.task, votes.ck_label])).to_numpy()
    assert (decoded == votes.label).all()
    # rank 0 is the most claimed value of its slot
    counts = pd.Series(1, index=pd.MultiIndex.from_arrays([votes.task, votes.label])).groupby(level=[0, 1]).sum()
    top = counts.groupby(level=0).max()
    zero = votes.ck_label == 0
    assert (counts.reindex(pd.MultiIndex.from_arrays([votes.task[zero], votes.label[zero]])).to_numpy()
            == top.reindex(votes.task[zero]).to_numpy()).all()


def test_truth_as_answers_scores_one(table):
    claims, truth = table
    votes = peer_votes(claims)
    answers = _truth_answers(votes, truth).astype(str)   # a peer answers with the votes' text
    assert accuracy(peer_facts(votes, answers), truth) == 1.0
    assert accuracy(peer_facts(votes, answers.iloc[: len(answers) // 2]), truth) == pytest.approx(0.5, abs=0.01)


@pytest.mark.parametrize("library, peer", [("ck", "MajorityVote"), ("td", "MajorityVoting")])
def test_peer_answers_score(table, library, peer):
    if not peers_available()[library]:
        pytest.skip(f"{library} not installed ([peers] extra)")
    claims, truth = table
    votes = peer_votes(claims)
    seconds, grown_gb, answers = _fit_peer(library, peer, votes)
    assert seconds > 0 and grown_gb >= 0 and len(answers) == len(truth)
    facts = peer_facts(votes, answers)
    assert accuracy(facts, truth) > 0.7
    # numbers come back as the same text as the truth's
    counts = truth["predicate"] == "count"
    assert accuracy(facts, truth[counts]) > 0.7


def _sleep(seconds):
    time.sleep(seconds)
    return "woke"


def _allocate(n_bytes):
    return len(np.ones(n_bytes // 8))


def test_guarded_runner_limits():
    assert run_guarded(_sleep, (0,), timeout=5, memory=1 << 30, on_top=True).value == "woke"
    late = run_guarded(_sleep, (10,), timeout=0.5, memory=1 << 30, on_top=True)
    assert late.value is None and late.reason == "over 0.5 s" and late.seconds < 5
    big = run_guarded(_allocate, (2 << 30,), timeout=10, memory=256 << 20, on_top=True)
    assert big.value is None and big.reason.startswith("out of memory")


def test_summary_picks_fastest_peer_at_our_accuracy():
    runs = [PeerRun("fast", 1.0, 0.80), PeerRun("good", 4.0, 0.952), PeerRun("better", 8.0, 0.97),
            PeerRun("late", float("nan"), float("nan"), reason="over 1 s")]
    line = summary(runs, 0.955, 2.0, 0.5)
    assert "good" in line and "2.00x (we are 2.0x faster) against our whole run" in line and "8.00x" in line
    line = summary(runs[:1], 0.955, 2.0, None)
    assert line.startswith("no peer reached") and "fast" in line and "0.50x (the peer is 2.0x faster)" in line
    assert summary(runs[3:], 0.955, 2.0, None) == "no peer finished"
