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
