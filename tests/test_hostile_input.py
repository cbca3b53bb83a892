"""Hostile and broken input: every case exits 65 with the file, the line and the problem (the
API raises InputError), never a crash, a hang or a silent misreading."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import reconcile
from reconcile.cli import main
from reconcile.contract import InputError

HEADER = "source,subject,predicate,value"


def _refused(capsys, tmp_path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out)]) == 65
    assert not out.exists()
    message = capsys.readouterr().err
    assert str(path) in message
    return message


@pytest.mark.parametrize("name, content, line, problem", [
    ("shift.csv", f"{HEADER},value_text\nA,x,killed,3,he said, today\n", 2, "6 fields but the header has 5"),
    ("short.csv", f"{HEADER},value_text\nA,x,killed,3,ok\nB,x,killed\n", 3, "3 fields but the header has 5"),
    ("twice.csv", "source,subject,predicate,value,value\nA,x,killed,3,5\n", 1, "'value' twice"),
    ("order.csv", f"{HEADER},value_min,value_max\nA,x,killed,3,5,2\n", 2, "'value_min' is greater than 'value_max'"),
    ("inf.csv", f"{HEADER},start\nA,x,killed,3,1e309\n", 2, "'start' must be a finite number"),
    ("offset.csv", f"{HEADER},start,end\nA,x,killed,3,-4,2\n", 2, "'start' must be a character offset"),
    ("list.jsonl", '{"source": "A", "subject": "x", "predicate": "killed", "value": "3"}\n'
                   '{"source": ["A"], "subject": "x", "predicate": "killed", "value": "3"}\n', 2, "'source' must be text"),
    ("dict.jsonl", '{"source": "A", "subject": "x", "predicate": "killed", "value": "3", "hedged": {"a": 1}}\n', 1,
     "'hedged' must be text"),
    ("event.json", json.dumps([{"source": "A", "subject": "x", "predicate": "killed", "value": "3", "event": [1]}]), 1,
     "'event' must be text"),
    ("surrogate.jsonl", '{"source": "A", "subject": "x", "predicate": "killed", "value": "3"}\n'
                        '{"source": "\\ud800", "subject": "x", "predicate": "killed", "value": "3"}\n', 2,
     "lone surrogate"),
    ("deep.json", "[" * 100_000, 1, "nested too deep"),
])
def test_broken_tables_are_refused_with_line_and_problem(capsys, tmp_path, name, content, line, problem):
    message = _refused(capsys, tmp_path, name, content)
    assert f"{name}:{line}:" in message and problem in message


def test_a_paired_surrogate_escape_is_text(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text('{"source": "Agency \\ud83d\\ude00", "subject": "x", "predicate": "killed", "value": "3"}\n')
    assert reconcile.reconcile(path).facts["sources"].iloc[0] == ["Agency \U0001F600"]


def test_quoted_separators_are_one_field(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(f'{HEADER},evidence\nA,x,killed,3,"he said, today"\n', encoding="utf-8")
    assert reconcile.reconcile(path).claims["evidence"].tolist() == ["he said, today"]


def test_nested_parquet_cells_are_refused(tmp_path):
    path = tmp_path / "c.parquet"
    pd.DataFrame({"source": ["A"], "subject": ["x"], "predicate": ["killed"], "value": ["3"],
                  "negated": [[True]]}).to_parquet(path)
    with pytest.raises(InputError, match="'negated' must be text"):
        reconcile.reconcile(path)


def test_an_extractor_column_without_value_kind_parses_the_values():
    rows = [{"source": "A", "subject": "x", "predicate": "killed", "value": "three", "extractor": "desk"}]
    assert reconcile.reconcile(rows).facts["value"].tolist() == [3]


def test_a_bound_on_an_open_quantity_stays_open():
    facts = reconcile.reconcile([{"source": "A", "subject": "x", "predicate": "killed", "value": "about some"}]).facts
    assert facts["value_max"].isna().all()


def test_places_named_like_missing_markers_are_places(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Floods in Nan\n\nFloods killed four people in Nan province on Monday, police said.\n")
    facts = reconcile.reconcile(article, published="2024-05-02").facts
    assert "nan province" in facts.loc[facts["predicate"] == "location", "value"].tolist()
    rows = [{"source": "A", "subject": "x", "predicate": "birthplace", "value": "Na", "value_kind": "place"},
            {"source": "B", "subject": "x", "predicate": "birthplace", "value": "N/A", "value_kind": "place"},
            {"source": "C", "subject": "y", "predicate": "killed", "value": "NaN"}]
    facts = reconcile.reconcile(rows).facts.set_index("subject")
    assert facts.loc["x", "sources"] == ["A"] and facts.loc["x", "value"] is not None
    assert pd.isna(facts.loc["y", "value"])


def test_csv_outputs_cannot_run_as_spreadsheet_formulas(capsys, tmp_path):
    rows = [{"source": '=HYPERLINK("http://x")', "subject": "@sum", "predicate": "killed", "value": "3"},
            {"source": "+cmd", "subject": "drop", "predicate": "change", "value": "-3.5", "value_kind": "number"},
            {"source": "Tab", "subject": "\tx", "predicate": "killed", "value": "4"}]
    out = tmp_path / "out"
    reconcile.reconcile(rows).to_csv(out)
    for name in ("facts.csv", "claims.csv", "sources.csv"):
        for cell in pd.read_csv(out / name, dtype=str, keep_default_na=False).to_numpy().ravel():
            assert cell[:1] not in ("=", "+", "@", "\t", "\r") and not (cell.startswith("-") and not cell[1:2].isdigit())
    claims = pd.read_csv(out / "claims.csv", dtype=str, keep_default_na=False)
    assert "'=HYPERLINK(\"http://x\")" in claims["source_raw"].tolist()
    assert "-3.5" in claims["value"].tolist()  # a signed number stays a number


def test_a_feed_language_is_never_a_path(tmp_path):
    from reconcile.extract.lexicon import get_lexicon
    assert get_lexicon("../../../etc/passwd").language == "en"
    assert get_lexicon("tr").language == "tr"


def test_graphml_holds_control_characters_in_names(tmp_path):
    import xml.dom.minidom
    result = reconcile.reconcile([{"source": "A\x01gency", "subject": "x\x0b", "predicate": "killed", "value": "3"}])
    result.to_graphml(tmp_path / "g.graphml")
    xml.dom.minidom.parse(str(tmp_path / "g.graphml"))  # well-formed


def test_a_store_survives_line_separators_in_names_and_odd_paths(capsys, tmp_path):
    feed = tmp_path / "claims.csv"
    feed.write_text(f"{HEADER}\nA\u0085B,x,killed,3\nC\u2028D,x,killed,3\n", encoding="utf-8")
    store = tmp_path / "odd #?% store.db"
    out = tmp_path / "out"
    for as_of in ("2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z"):
        assert main(["run", str(feed), "--store", str(store), "--out", str(out), "--as-of", as_of]) == 0
    assert main(["diff", "--store", str(store)]) == 0
    assert main(["run", str(feed), "--store", str(store), "--dry-run", "--as-of", "2026-01-01T02:00:00Z"]) == 0
    capsys.readouterr()


def test_a_failure_while_writing_leaves_the_earlier_output_set_whole(capsys, tmp_path, monkeypatch):
    from reconcile.result import Result
    feed = tmp_path / "claims.csv"
    feed.write_text(f"{HEADER}\nA,x,killed,3\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(feed), "--out", str(out), "--format", "csv"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    feed.write_text(f"{HEADER}\nA,x,killed,4\nB,y,killed,5\n", encoding="utf-8")
    real = Result.write_tables

    def full_disk(self, directory, fmt):
        real(self, directory, fmt)
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(Result, "write_tables", full_disk)
    assert main(["run", str(feed), "--out", str(out), "--format", "csv"]) == 1
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    capsys.readouterr()


def test_lookalike_spellings_are_one_source_and_flagged():
    rows = [{"source": s, "subject": "x", "predicate": "killed", "value": "3"}
            for s in ("Reuters", "Reuter\u0455", "AFP", "AF\u0420", "BBC")]
    result = reconcile.reconcile(rows)
    sources = result.sources.set_index("source")
    assert sorted(sources.index) == ["AFP", "BBC", "Reuters"]  # the plain spellings are canonical
    assert sources.loc["Reuters", "lookalikes"] == ["Reuter\u0455"]
    assert sources.loc["AFP", "lookalikes"] == ["AF\u0420"]
    assert sources.loc["BBC", "lookalikes"] == []
    assert sorted(result.facts["sources"].iloc[0]) == ["AFP", "BBC", "Reuters"]


def test_names_in_one_other_script_are_not_lookalikes():
    from reconcile.confusables import is_lookalike_of, mixed_scripts
    assert not mixed_scripts("Москва") and not mixed_scripts("Julian Röpcke")
    assert mixed_scripts("AF\u0420") and is_lookalike_of("AF\u0420", "AFP")
    assert not is_lookalike_of("AFP", "AF\u0420") and not is_lookalike_of("AFP", "AFP")


def test_a_source_is_never_listed_on_both_sides_of_a_fact():
    rows = [{"source": "A", "subject": "x", "predicate": "killed", "value": v} for v in ("3", "5")]
    rows += [{"source": "B", "subject": "x", "predicate": "killed", "value": "3"},
             {"source": "C", "subject": "x", "predicate": "killed", "value": "4"}]
    fact = reconcile.reconcile(rows).facts.iloc[0]
    assert not set(fact["sources"]) & set(fact["dissenting"])
    assert "A" not in fact["sources"] and "A" not in fact["dissenting"]  # it says both: neither side
    assert "A (" not in fact["explanation"]


def test_a_plain_run_lets_a_sources_later_figure_supersede_its_earlier_one():
    rows = [{"source": "A", "subject": "x", "predicate": "killed", "value": "3", "reported_at": "2020-01-01"},
            {"source": "A", "subject": "x", "predicate": "killed", "value": "5", "reported_at": "2020-01-02"},
            {"source": "B", "subject": "x", "predicate": "killed", "value": "5"}]
    result = reconcile.reconcile(rows)
    fact = result.facts.iloc[0]
    assert (fact["value"], fact["status"], fact["dissenting"]) == (5, "consensus", [])
    assert [str(h["value"]) for h in fact["history"] if h["source"] == "A"] == ["3", "5"]
    assert result.claims.loc[result.claims["value_min"] == 3, "stance"].tolist() == ["superseded"]
