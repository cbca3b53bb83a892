"""The command line: outputs, exit codes, and bad input that writes nothing."""

import json
import subprocess
import sys

import pytest

from reconcile.cli import main

SEED = "data/seed_claims.csv"


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_run_prints_the_json_document(capsys):
    code, out, _ = _run(capsys, "run", SEED, "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert set(document) == {"facts", "claims", "sources"}
    wounded = [f for f in document["facts"] if f["subject"] == "russian soldiers" and f["predicate"] == "wounded"]
    assert wounded[0]["value"] == 3 and wounded[0]["status"] == "consensus"


@pytest.mark.parametrize("fmt, files", [("json", ["result.json"]),
                                        ("csv", ["claims.csv", "facts.csv", "sources.csv"]),
                                        ("jsonl", ["claims.jsonl", "facts.jsonl", "sources.jsonl"])])
def test_run_writes_into_out(capsys, tmp_path, fmt, files):
    code, out, _ = _run(capsys, "run", SEED, "--out", str(tmp_path), "--format", fmt)
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == files
    assert json.loads(out)["facts"] > 0


def test_text_format_lists_contested_first(capsys, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("source,subject,predicate,value\nA,x,killed,3\nB,x,killed,3\nC,y,killed,4\nD,y,killed,9\n")
    code, out, _ = _run(capsys, "run", str(path), "--format", "text")
    assert code == 0
    lines = out.splitlines()
    assert lines[1].startswith("[contested") and lines[2].startswith("[consensus")


def test_aliases_option(capsys, tmp_path):
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("alias,canonical\nsome sources,Anonymous sources\n")
    code, out, _ = _run(capsys, "run", SEED, "--aliases", str(aliases))
    assert code == 0
    assert "Anonymous sources" in {s["source"] for s in json.loads(out)["sources"]}


BAD_INPUTS = {
    "missing column": (b"source,subject,value\nA,x,3\n", 1, "predicate"),
    "empty file": (b"", 1, "empty"),
    "non-UTF-8": (b"source,subject,predicate,value\nA,caf\xe9,killed,3\n", 2, "UTF-8"),
    "wrong type": (b"source,subject,predicate,value,hedged\nA,x,killed,3,perhaps\n", 2, "hedged"),
    "10 MB line": (b"source,subject,predicate,value\n" + b"x" * 10_000_000, 2, "limit"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_exits_65_names_file_and_line_and_writes_nothing(capsys, tmp_path, case):
    content, line, word = BAD_INPUTS[case]
    path = tmp_path / "claims.csv"
    path.write_bytes(content)
    out_dir = tmp_path / "out"
    code, out, err = _run(capsys, "run", str(path), "--out", str(out_dir))
    assert code == 65
    assert f"{path}:{line}:" in err and word in err
    assert out == "" and not out_dir.exists()


def test_one_bad_file_among_good_ones_writes_nothing(capsys, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"source": "A", "subject": "x", "predicate": "killed", "value": 3}\n{oops\n')
    code, _, err = _run(capsys, "run", SEED, str(bad), "--out", str(tmp_path / "out"))
    assert code == 65 and f"{bad}:2:" in err
    assert not (tmp_path / "out").exists()


def test_usage_errors_exit_2(capsys):
    assert _run(capsys, "run")[0] == 2
    assert _run(capsys, "frobnicate")[0] == 2
    code, _, err = _run(capsys, "run", SEED, "--method", "nope")
    assert code == 2 and "nope" in err


def test_console_script_runs_as_a_module():
    done = subprocess.run([sys.executable, "-m", "reconcile.cli", "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("reconcile ")
