"""The Dask engine gives the pandas engine's facts, on a two-worker LocalCluster."""

from __future__ import annotations

import pandas as pd
import pytest

import reconcile
from benchmarks.synthetic import generate
from reconcile.cli import main
from reconcile.contract import ReconcileError
from reconcile.engines import get_engine
from reconcile.io import claims_frame

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.dask


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address="127.0.0.1:0") as local:
        yield local


def assert_same_facts(expected: pd.DataFrame, got: pd.DataFrame) -> None:
    """Equal facts: values, status, sources and dissent exactly, confidence to 1e-9."""
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


def test_dask_engine_runs_accu_only():
    with pytest.raises(ReconcileError, match="runs the accu method"):
        reconcile.reconcile(pd.DataFrame({"source": ["a"], "subject": ["s"], "predicate": ["p"],
                                          "value": ["1"]}), method="sums", engine="dask",
                            scheduler="synchronous")


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


def test_dask_engine_without_a_method_runs_accu():
    claims = pd.DataFrame({"source": ["a", "b", "c"], "subject": ["s"] * 3, "predicate": ["killed"] * 3,
                           "value": ["3", "3", "4"]})
    result = reconcile.reconcile(claims, engine="dask", scheduler="synchronous")
    assert result.method == "accu" and result.facts["value"].tolist() == [3]
