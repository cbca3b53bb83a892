"""reconcile(): the seed story and the consensus rules a fact-checker expects."""

import json

import pandas as pd
import pytest

import reconcile
from reconcile.contract import CLAIM_COLUMNS, FACT_COLUMNS, SOURCE_COLUMNS, InputError

SEED = "data/seed_claims.csv"


def _fact(result, subject, predicate):
    rows = result.facts[(result.facts["subject"] == subject) & (result.facts["predicate"] == predicate)]
    assert len(rows) == 1, result.facts[["subject", "predicate"]]
    return rows.iloc[0]


def _claims(*rows, **common):
    return [dict(zip(("source", "subject", "predicate", "value"), row), **common) for row in rows]


@pytest.fixture(scope="module")
def seed():
    return reconcile.reconcile(SEED)


def test_seed_russian_wounded_is_a_consensus_of_three(seed):
    fact = _fact(seed, "russian soldiers", "wounded")
    assert fact["value"] == 3 and fact["value_min"] == fact["value_max"] == 3
    assert fact["status"] == "consensus"
    assert "Russian Reconciliation Center for Syria" in fact["sources"] and len(fact["sources"]) >= 2
    assert fact["dissenting"] == []
    assert fact["explanation"].startswith("3 — consensus")
    assert "Russian Reconciliation Center for Syria (exact)" in fact["explanation"]


def test_seed_turkish_wounded_is_single_source(seed):
    fact = _fact(seed, "turkish crew", "wounded")
    assert fact["status"] == "single_source"
    assert fact["value_min"] >= 1


def test_seed_car_bomb_and_ied_are_not_contested(seed):
    fact = _fact(seed, "attack", "event_type")
    assert fact["status"] != "contested"
    assert fact["dissenting"] == []


def test_seed_sources_are_one_each(seed):
    names = set(seed.sources["source"])
    assert {"Julian Röpcke", "Levent Kemal", "Russian Reconciliation Center for Syria"} <= names
    assert not any("Röpcke" in n or "Roepcke" in n for n in names - {"Julian Röpcke"})
    assert not any("Kemal" in n for n in names - {"Levent Kemal"})
    assert not any("Center" in n for n in names - {"Russian Reconciliation Center for Syria"})


def test_seed_event_time_is_utc(seed):
    fact = _fact(seed, "attack", "event_time")
    assert fact["value"] == "2020-07-14T05:50:00Z"


def test_tables_have_the_contract_columns(seed):
    assert list(seed.facts.columns) == list(FACT_COLUMNS) + ["history"]  # every run keeps the updates
    assert list(seed.claims.columns[: len(CLAIM_COLUMNS)]) == list(CLAIM_COLUMNS)
    assert list(seed.sources.columns[: len(SOURCE_COLUMNS)]) == list(SOURCE_COLUMNS)
    assert seed.claims["claim_id"].is_unique
    json.loads(seed.to_json())


def test_same_inputs_same_bytes():
    assert reconcile.reconcile(SEED).to_json() == reconcile.reconcile(SEED).to_json()


def test_row_order_does_not_matter():
    frame = pd.read_csv(SEED)
    a = reconcile.reconcile(frame).facts
    b = reconcile.reconcile(frame.sample(frac=1, random_state=3)).facts
    pd.testing.assert_frame_equal(a, b)


def test_repeating_a_claim_changes_nothing():
    claims = _claims(("A", "x", "killed", "5"), ("B", "x", "killed", "5"), ("C", "x", "killed", "7"))
    once = reconcile.reconcile(claims).facts.drop(columns=["claim_ids", "explanation"])
    many = reconcile.reconcile(claims + claims[2:] * 5).facts.drop(columns=["claim_ids", "explanation"])
    pd.testing.assert_frame_equal(once, many)


def test_two_exact_figures_from_independent_sources_are_contested():
    fact = reconcile.reconcile(_claims(("A", "x", "killed", "12"), ("B", "x", "killed", "15"))).facts.iloc[0]
    assert fact["status"] == "contested"
    assert fact["value"] in (12, 15)  # one of the figures, never an average
    assert len(fact["dissenting"]) == 1


def test_a_zero_conflicts_with_a_positive_count():
    fact = reconcile.reconcile(_claims(("A", "x", "killed", "no one"), ("B", "x", "killed", "3"))).facts.iloc[0]
    assert fact["status"] == "contested"


def test_a_denial_conflicts_with_what_it_denies():
    claims = _claims(("A", "x", "killed", "3"), ("B", "x", "killed", "3"))
    claims.append({"source": "C", "subject": "x", "predicate": "killed", "value": "3", "negated": True})
    fact = reconcile.reconcile(claims).facts.iloc[0]
    assert fact["value"] == 3 and fact["dissenting"] == ["C"]


def test_compatible_vague_claims_refine_to_the_exact_figure():
    claims = _claims(("A", "x", "wounded", "several"), ("B", "x", "wounded", "at least 3"),
                     ("C", "x", "wounded", "three"))
    fact = reconcile.reconcile(claims).facts.iloc[0]
    assert fact["value"] == 3 and fact["status"] == "consensus" and fact["sources"] == ["A", "B", "C"]


def test_a_source_quoting_another_is_not_independent():
    claims = _claims(("Police", "x", "killed", "4"), ("Witness", "x", "killed", "9"))
    claims.append({"source": "Reuters", "subject": "x", "predicate": "killed", "value": "4",
                   "cites": "Police"})
    fact = reconcile.reconcile(claims).facts.iloc[0]
    # Reuters citing the police is the police's voice again: still one against one
    assert fact["status"] == "contested"


def test_hedged_claims_weigh_less():
    claims = _claims(("A", "x", "killed", "4"), ("B", "x", "killed", "9"))
    claims[1]["hedged"] = True
    fact = reconcile.reconcile(claims, method="majority_vote").facts.iloc[0]
    assert fact["value"] == 4


def test_every_method_runs_on_the_seed():
    for name in sorted(reconcile.trust.ESTIMATORS):
        fact = _fact(reconcile.reconcile(SEED, method=name), "russian soldiers", "wounded")
        assert fact["value"] == 3, name


def test_bad_input_raises_input_error():
    with pytest.raises(InputError, match="missing required column"):
        reconcile.reconcile([{"source": "A", "subject": "x", "value": 1}])
    with pytest.raises(InputError, match="value_kind"):
        reconcile.reconcile([{"source": "A", "subject": "x", "predicate": "p", "value": 1,
                              "value_kind": "colour"}])


def test_graph_has_the_documented_nodes_and_edges(seed, tmp_path):
    graph = seed.graph
    kinds = {d["kind"] for _, d in graph.nodes(data=True)}
    assert kinds == {"source", "claim", "slot", "value", "document"}
    relations = {d["relation"] for *_, d in graph.edges(data=True)}
    assert {"asserts", "about", "supports", "agrees", "reported_in"} <= relations
    sub = seed.slot_graph("russian soldiers", "wounded")
    assert "source:Russian Reconciliation Center for Syria" in sub
    assert "source:Levent Kemal" not in sub
    seed.to_graphml(tmp_path / "g.graphml")
    assert (tmp_path / "g.graphml").read_text().startswith("<?xml")
    assert seed.to_node_link()["nodes"]


def test_written_tables_stream_the_same_bytes_and_an_unknown_format_writes_nothing(tmp_path):
    from reconcile.result import TABLES, table_bytes

    result = reconcile.reconcile(SEED)
    for fmt in ("csv", "jsonl", "parquet"):
        paths = result.write_tables(tmp_path / fmt, fmt)
        assert [p.name for p in paths] == [f"{name}.{fmt}" for name in TABLES]
        for name, path in zip(TABLES, paths):
            assert path.read_bytes() == table_bytes(getattr(result, name), fmt)
    with pytest.raises(ValueError, match="unknown table format 'xml'"):
        result.write_tables(tmp_path / "xml", "xml")
    assert not (tmp_path / "xml").exists()


def test_csv_is_written_in_slices_with_the_whole_table_schema(monkeypatch):
    import io as _io

    import pyarrow as pa
    import pyarrow.csv as pa_csv

    from reconcile import result as result_module

    frame = pd.DataFrame({"claim_id": ["a", "b", "c", "d", "e"], "cites": [None, None, None, "X", None],
                          "value_min": [1.0, None, 3.0, 4.0, 5.0], "hedged": [True, False, True, False, True]})
    whole = _io.BytesIO()
    pa_csv.write_csv(pa.Table.from_pandas(frame, preserve_index=False), whole)
    monkeypatch.setattr(result_module, "CSV_SLICE_ROWS", 2)  # 'cites' is empty in the first slice
    assert result_module.table_bytes(frame, "csv") == whole.getvalue()
    assert result_module.table_bytes(frame.iloc[:0], "csv").decode() == '"claim_id","cites","value_min","hedged"\n'


def _event_claims(rows):
    return pd.DataFrame(rows, columns=["source", "subject", "predicate", "value", "event"])


def test_people_is_the_one_named_subject_of_its_event():
    """"Six people died" and "five climbers were killed" in one avalanche are one contested fact."""
    result = reconcile.reconcile(_event_claims([
        ("police", "climbers", "killed", "5", "avalanche"), ("ministry", "people", "killed", "6", "avalanche"),
        ("hospital", "people", "wounded", "7", "avalanche")]))
    killed = result.facts[result.facts["predicate"] == "killed"]
    assert killed["subject"].tolist() == ["climbers"] and killed["status"].tolist() == ["contested"]
    # a predicate with no named subject keeps "people"; the claims keep their ids and raw subjects
    assert result.facts.loc[result.facts["predicate"] == "wounded", "subject"].tolist() == ["people"]
    assert result.claims["claim_id"].is_unique


def test_people_stays_apart_from_two_named_subjects_or_another_event():
    result = reconcile.reconcile(_event_claims([
        ("army", "soldiers", "killed", "7", "attack"), ("army", "militants", "killed", "30", "attack"),
        ("hospital", "people", "killed", "12", "attack"),
        ("police", "miners", "killed", "3", "collapse"), ("union", "people", "killed", "4", "flood"),
        ("company", "workers", "killed", "0", "quake"), ("ministry", "people", "killed", "143", "quake")]))
    subjects = result.facts.groupby("event")["subject"].apply(sorted).to_dict()
    assert subjects == {"attack": ["militants", "people", "soldiers"], "collapse": ["miners"], "flood": ["people"],
                        "quake": ["people", "workers"]}  # "none of its workers" does not name the 143
    # without events nothing is merged
    plain = reconcile.reconcile(_event_claims([("police", "climbers", "killed", "5", None),
                                               ("ministry", "people", "killed", "6", None)]).drop(columns="event"))
    assert sorted(plain.facts["subject"]) == ["climbers", "people"]


def test_a_pronoun_speaks_for_the_speaker_the_extractor_found(tmp_path):
    """"He said" is John Doe in this article: the engine resolves the sources the extractor
    gave, not the words it found them by (those stay in ``source_raw``)."""
    article = tmp_path / "fire.txt"
    article.write_text("Police spokesman John Doe said three people died in the fire on Monday. "
                       "He said 12 others were injured.\n", encoding="utf-8")
    result = reconcile.reconcile(str(article), published="2024-03-04")
    assert result.sources["source"].tolist() == ["John Doe"]
    wounded = result.claims[result.claims["predicate"] == "wounded"].iloc[0]
    assert (wounded["source"], wounded["source_raw"]) == ("John Doe", "He")
