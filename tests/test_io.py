"""Reading claim tables: every bad input names the file, the line and the problem."""

import json

import pandas as pd
import pytest

from reconcile.contract import InputError
from reconcile.io import MAX_LINE_BYTES, claims_frame, read_claims, write_atomic

HEADER = "source,subject,predicate,value\n"


def _error(tmp_path, name, content: bytes) -> InputError:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_claims(path)
    assert caught.value.file == str(path)
    return caught.value


def test_reads_csv_with_line_numbers(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(HEADER + "A,x,killed,3\nB,x,killed,four\n", encoding="utf-8")
    frame = read_claims(path)
    assert frame["_line"].tolist() == [2, 3]
    assert frame["value"].tolist() == ["3", "four"]


def test_missing_column_names_it(tmp_path):
    error = _error(tmp_path, "c.csv", b"source,subject,value\nA,x,3\n")
    assert error.line == 1 and "predicate" in error.problem


def test_empty_file(tmp_path):
    assert "empty" in _error(tmp_path, "c.csv", b"").problem
    assert "empty" in _error(tmp_path, "c.jsonl", b"\n  \n").problem


def test_header_only_has_no_rows(tmp_path):
    error = _error(tmp_path, "c.csv", HEADER.encode())
    assert "no rows" in error.problem


def test_non_utf8_names_the_line(tmp_path):
    error = _error(tmp_path, "c.csv", (HEADER + "A,x,killed,3\nB,caf\xe9,killed,3\n").encode("latin-1"))
    assert error.line == 3 and "UTF-8" in error.problem


def test_a_huge_single_line_is_refused(tmp_path):
    error = _error(tmp_path, "c.csv", b"a" * (10 * MAX_LINE_BYTES))
    assert error.line == 1 and "limit" in error.problem


def test_wrong_types_name_the_line(tmp_path):
    error = _error(tmp_path, "c.csv", (HEADER[:-1] + ",hedged\nA,x,killed,3,true\nB,x,killed,3,maybe\n").encode())
    assert error.line == 3 and "hedged" in error.problem
    error = _error(tmp_path, "d.csv", (HEADER[:-1] + ",value_min\nA,x,killed,3,lots\n").encode())
    assert error.line == 2 and "value_min" in error.problem


def test_empty_required_cell(tmp_path):
    error = _error(tmp_path, "c.csv", (HEADER + "A,x,killed,3\n,x,killed,3\n").encode())
    assert error.line == 3 and "'source' is empty" in error.problem


def test_jsonl_errors(tmp_path):
    good = json.dumps({"source": "A", "subject": "x", "predicate": "killed", "value": 3})
    error = _error(tmp_path, "c.jsonl", f"{good}\n{{not json\n".encode())
    assert error.line == 2 and "JSON" in error.problem
    error = _error(tmp_path, "d.jsonl", f"{good}\n[1, 2]\n".encode())
    assert error.line == 2 and "object" in error.problem
    nested = json.dumps({"source": "A", "subject": "x", "predicate": "killed", "value": {"n": 3}})
    error = _error(tmp_path, "e.jsonl", f"{good}\n{nested}\n".encode())
    assert error.line == 2 and "'value'" in error.problem


def test_unknown_suffix_and_missing_file(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        read_claims(tmp_path / "claims.xlsx")
    with pytest.raises(InputError, match="no such file"):
        read_claims(tmp_path / "absent.csv")


def test_parquet_and_json_round_trip(tmp_path):
    frame = pd.DataFrame({"source": ["A"], "subject": ["x"], "predicate": ["killed"], "value": ["3"]})
    frame.to_parquet(tmp_path / "c.parquet")
    assert read_claims(tmp_path / "c.parquet")["value"].tolist() == ["3"]
    (tmp_path / "c.json").write_text(json.dumps({"claims": frame.to_dict(orient="records")}))
    assert read_claims(tmp_path / "c.json")["source"].tolist() == ["A"]


def test_records_must_be_objects():
    with pytest.raises(InputError) as caught:
        claims_frame([{"source": "A", "subject": "x", "predicate": "p", "value": 1}, "oops"])
    assert caught.value.line == 2


def test_write_atomic_leaves_no_temporary_files(tmp_path):
    target = tmp_path / "out" / "facts.csv"
    write_atomic(target, "a\n")
    write_atomic(target, "b\n")
    assert target.read_text() == "b\n"
    assert [p.name for p in target.parent.iterdir()] == ["facts.csv"]


def test_write_atomic_streams_from_a_writer_and_keeps_the_old_file_when_it_fails(tmp_path):
    target = tmp_path / "facts.csv"
    write_atomic(target, lambda out: (out.write(b"a,"), out.write(b"b\n")))
    assert target.read_bytes() == b"a,b\n"

    def broken(out):
        out.write(b"half a table")
        raise RuntimeError("disk trouble")

    with pytest.raises(RuntimeError):
        write_atomic(target, broken)
    assert target.read_bytes() == b"a,b\n"
    assert [p.name for p in tmp_path.iterdir()] == ["facts.csv"]


def test_empty_optional_cells_are_missing(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(HEADER[:-1] + ",cites\nA,x,killed,42,\nC,x,killed,42,A\n", encoding="utf-8")
    assert read_claims(path)["cites"].isna().tolist() == [True, False]


def test_written_files_are_readable_by_others(tmp_path):
    write_atomic(tmp_path / "facts.csv", "a\n")
    assert (tmp_path / "facts.csv").stat().st_mode & 0o777 == 0o644


def test_jsonl_rows_keep_their_line_numbers_across_blank_lines(tmp_path):
    good = json.dumps({"source": "A", "subject": "x", "predicate": "killed", "value": 3})
    path = tmp_path / "c.jsonl"
    path.write_text(f"{good}\n\n{good}\n")
    assert read_claims(path)["_line"].tolist() == [1, 3]
