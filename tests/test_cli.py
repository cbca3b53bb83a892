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


def test_run_on_the_seed_article_goes_from_text_to_facts(capsys):
    code, out, _ = _run(capsys, "run", "data/seed.txt", "--published", "2020-07-14", "--format", "json")
    assert code == 0
    document = json.loads(out)
    facts = {(f["subject"], f["predicate"]): f for f in document["facts"]}
    wounded = facts["russian soldiers", "wounded"]
    assert wounded["value"] == 3 and wounded["status"] == "consensus"
    assert "Russian Reconciliation Center for Syria" in wounded["sources"] and len(wounded["sources"]) >= 2
    assert facts["turkish crew", "wounded"]["status"] == "single_source"
    assert any(f["predicate"] == "event_time" and f["value"] == "2020-07-14T05:50:00Z" for f in document["facts"])
    names = {s["source"] for s in document["sources"]}
    assert {"Julian Röpcke", "Levent Kemal", "Russian Reconciliation Center for Syria"} <= names
    assert sum("Kemal" in n for n in names) == 1 and sum("Center" in n for n in names) == 1
    turkish = [c for c in document["claims"] if c["language"] == "tr"]
    assert turkish and all(c["source"] == "Levent Kemal" for c in turkish)


def test_extract_prints_claims_with_evidence_offsets(capsys):
    code, out, _ = _run(capsys, "extract", "data/seed.txt", "--published", "2020-07-14")
    assert code == 0
    text = open("data/seed.txt", encoding="utf-8").read()
    claims = [json.loads(line) for line in out.splitlines()]
    assert claims and all(text[int(c["start"]):int(c["end"])] == c["value_text"] for c in claims)


def test_article_feed_and_claim_table_together(capsys, tmp_path):
    feed = tmp_path / "feed.jsonl"
    text = open("data/seed.txt", encoding="utf-8").read()
    feed.write_text(json.dumps({"id": "seed", "text": text, "published": "2020-07-14", "outlet": "Daily"}) + "\n")
    code, out, _ = _run(capsys, "run", str(feed), SEED, "--format", "json")
    assert code == 0 and json.loads(out)["facts"]


def test_bad_feed_line_is_named(capsys, tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"id": "a", "text": "Three people were killed, police said."}\n{"id": "b", "text": 5}\n')
    code, _, err = _run(capsys, "run", str(feed))
    assert code == 65 and f"{feed}:2:" in err


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet", "json"])
def test_same_inputs_give_byte_identical_files(capsys, tmp_path, fmt):
    for run in ("a", "b"):
        assert _run(capsys, "run", "data/seed.txt", SEED, "--published", "2020-07-14",
                    "--out", str(tmp_path / run), "--format", fmt)[0] == 0
    first = sorted((tmp_path / "a").iterdir())
    assert first and all(p.read_bytes() == (tmp_path / "b" / p.name).read_bytes() for p in first)


def test_the_default_reports_the_model_it_chose(capsys, tmp_path):
    """Yes/no answers recurring over many questions are a closed label domain: the default
    reads them with Dawid-Skene and says so in the summary and the text; a news table of
    counts keeps ACCU-COPY."""
    rows = ["source,subject,predicate,value"]
    rows += [f"rater{r},photo {q},shows a heron,{'yes' if (q * 7 + r) % 5 else 'no'}"
             for q in range(30) for r in range(4)]
    labels = tmp_path / "labels.csv"
    labels.write_text("\n".join(rows) + "\n")
    code, out, _ = _run(capsys, "run", str(labels), "--out", str(tmp_path / "out"))
    assert code == 0
    summary = json.loads(out)
    assert (summary["method"], summary["model"]) == ("default", "dawid_skene")
    code, out, _ = _run(capsys, "run", str(labels), "--format", "text")
    assert "(method: default, model dawid_skene)" in out.splitlines()[0]
    code, out, _ = _run(capsys, "run", SEED, "--out", str(tmp_path / "seed"))
    assert json.loads(out)["model"] == "accu_copy"
