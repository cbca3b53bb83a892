"""The Dask engine gives the pandas engine's facts, on a two-worker LocalCluster."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import reconcile
from benchmarks.synthetic import generate
from reconcile.cli import main
from reconcile.engines import get_engine
from reconcile.io import claims_frame
from reconcile.trust import DEFAULT_METHOD, ESTIMATORS, AccuCopy
from tests.test_copying import copier_claims, fact

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.dask


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address="127.0.0.1:0") as local:
        yield local


def assert_same_facts(expected: pd.DataFrame, got: pd.DataFrame) -> None:
    """Equal facts: values, status, sources and dissent exactly, confidence to 1e-9 (an engine
    run alone has no ``history``: reconcile() adds it after any engine)."""
    if "history" not in got:
        expected = expected.drop(columns="history")
    assert got.columns.tolist() == expected.columns.tolist()
    pd.testing.assert_frame_equal(got.drop(columns="confidence"), expected.drop(columns="confidence"),
                                  check_exact=True)
    pd.testing.assert_series_equal(got["confidence"], expected["confidence"], check_exact=False,
                                   rtol=0, atol=1e-9)


def test_dask_engine_equals_pandas_on_100k_claims(cluster):
    claims, _ = generate(100_000, seed=3)
    expected = reconcile.reconcile(claims, method="accu")
    with distributed.Client(cluster):
        got = reconcile.reconcile(claims, method="accu", engine="dask")
    assert len(got.facts) == 10_000
    assert_same_facts(expected.facts, got.facts)
    assert got.params["n_iter"] == expected.params["n_iter"]
    pd.testing.assert_frame_equal(got.sources.drop(columns="trust"), expected.sources.drop(columns="trust"))
    pd.testing.assert_series_equal(got.sources["trust"], expected.sources["trust"], check_exact=False,
                                   rtol=0, atol=1e-9)
    pd.testing.assert_frame_equal(got.claims, expected.claims)


def test_cli_runs_on_a_scheduler_address(cluster, capsys):
    assert main(["run", "data/seed_claims.csv", "--format", "csv", "--method", "accu"]) == 0
    expected = capsys.readouterr().out
    assert main(["run", "data/seed_claims.csv", "--format", "csv", "--method", "accu", "--engine", "dask",
                 "--scheduler", cluster.scheduler_address]) == 0
    assert capsys.readouterr().out == expected


def test_threads_scheduler_and_several_partitions_per_slot_set():
    claims, _ = generate(5_000, n_sources=30, seed=1)
    claims.loc[::7, "cites"] = "src001"   # citing sources vote as their origin
    expected = reconcile.reconcile(claims, method="accu")
    got = get_engine("dask", scheduler="threads", npartitions=5).run(
        claims_frame(claims), method="accu", hedged_weight=0.5, contest_share=0.2)
    assert_same_facts(expected.facts, got.facts)


def test_the_default_method_on_a_cluster_equals_pandas(cluster):
    """The default, here ACCU-COPY (copy detection over all pairs of sources), is fitted on the
    client on the partitions' codes: the same facts, trust and iterations as the pandas engine."""
    claims, _ = generate(100_000, seed=3)
    expected = reconcile.reconcile(claims)
    with distributed.Client(cluster):
        got = reconcile.reconcile(claims, engine="dask")
    assert got.method == expected.method == "default"
    assert got.params["model"] == expected.params["model"] == "accu_copy"  # an open domain of counts
    assert_same_facts(expected.facts, got.facts)
    assert got.params["n_iter"] == expected.params["n_iter"]
    pd.testing.assert_series_equal(got.sources["trust"], expected.sources["trust"], check_exact=False,
                                   rtol=0, atol=1e-9)


# dawid_skene reads closed label domains only: it is checked on one below, through the default
@pytest.mark.parametrize("method", [m for m in ESTIMATORS if m not in ("accu", "default", "dawid_skene")])
def test_every_method_gives_the_pandas_facts(method):
    claims, _ = generate(5_000, n_sources=30, seed=2)
    claims.loc[::5, "cites"] = "src002"
    expected = reconcile.reconcile(claims, method=method)
    got = get_engine("dask", scheduler="threads", npartitions=4).run(
        claims_frame(claims), method=method, hedged_weight=0.5, contest_share=0.2)
    assert got.method == method
    assert_same_facts(expected.facts, got.facts)


@pytest.mark.filterwarnings("ignore:AccuCopy did not converge")
def test_copiers_and_a_closed_label_domain_on_dask():
    """Copy detection and the class model see every partition: a crowd of copiers still
    cannot flip the fact, and yes/no answers from a biased source (the default reads them with
    Dawid-Skene) give the pandas facts."""
    claims = copier_claims(100)
    pins = {s: s for s in claims["source"].unique()}
    expected = reconcile.reconcile(claims, aliases=pins)
    got = get_engine("dask", scheduler="threads", npartitions=3).run(
        claims_frame(claims), aliases=pins, hedged_weight=0.5, contest_share=0.2)
    assert fact(got, "q00") == "true"
    assert_same_facts(expected.facts, got.facts)

    rng = np.random.default_rng(4)
    truth = rng.random(300) < 0.3
    rows = [(f"worker{w}", f"item{i:03d}", "yes" if (t if rng.random() < 0.8 else not t) or w == 0 else "no")
            for i, t in enumerate(truth) for w in range(5)]
    labels = pd.DataFrame(rows, columns=["source", "subject", "value"]).assign(predicate="same product",
                                                                               value_kind="category")
    expected = reconcile.reconcile(labels)
    assert AccuCopy().fit(expected.scored.problem).class_accuracy_ is not None
    assert expected.params["model"] == "dawid_skene"
    got = get_engine("dask", scheduler="threads", npartitions=4).run(
        claims_frame(labels), hedged_weight=0.5, contest_share=0.2)
    assert_same_facts(expected.facts, got.facts)


def test_articles_with_events_give_the_same_facts():
    expected = reconcile.reconcile("data/articles", method="accu")
    got = reconcile.reconcile("data/articles", method="accu", engine="dask", scheduler="threads")
    assert "event" in got.facts and "history" in got.facts
    assert_same_facts(expected.facts, got.facts)
    edges = sorted((u, v, d["relation"]) for u, v, d in expected.graph.edges(data=True))
    assert sorted((u, v, d["relation"]) for u, v, d in got.graph.edges(data=True)) == edges
    assert rounded_nodes(got.graph) == rounded_nodes(expected.graph)


def rounded_nodes(graph) -> dict:
    """Node attributes with numbers to 9 decimals (trust and confidence sum in another order)."""
    return {node: {k: round(v, 9) if isinstance(v, float) else v for k, v in data.items()}
            for node, data in graph.nodes(data=True)}


def test_dask_engine_without_a_method_runs_the_default():
    claims = pd.DataFrame({"source": ["a", "b", "c"], "subject": ["s"] * 3, "predicate": ["killed"] * 3,
                           "value": ["3", "3", "4"]})
    result = reconcile.reconcile(claims, engine="dask", scheduler="synchronous")
    assert result.method == DEFAULT_METHOD and result.facts["value"].tolist() == [3]
