"""Scheduled jobs: incremental runs over a store, change reports, exit codes, and safety
(kill -9 at several points, two jobs on one store, byte-identical reruns)."""

import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from reconcile import jobs
from reconcile.cli import main
from reconcile.jobs import diff_store, run_job
from reconcile.store import Store
from reconcile.timeline import split_superseded, superseded_mask

ARTICLES = Path(__file__).resolve().parents[1] / "data" / "articles"
FIRST = ["a01_ferry.txt", "a02_protest.txt", "a03_mine.txt"]
ADDED = ["a04_airstrike.txt", "a05_flood.txt"]
T1, T2 = "2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z"


def folder(tmp_path, names, name="in"):
    target = tmp_path / name
    target.mkdir(exist_ok=True)
    for article in names:
        shutil.copy(ARTICLES / article, target / article)
    return target


def tree(directory):
    """Every file below ``directory`` with its bytes (links followed)."""
    return {p.relative_to(directory).as_posix(): p.read_bytes()
            for p in sorted(Path(directory).rglob("*")) if p.is_file()}


def keyed(facts):
    """Facts by slot: (event,) subject, predicate."""
    columns = [c for c in ("event", "subject", "predicate") if c in facts]
    return dict(zip(map(tuple, facts[columns].astype(str).to_numpy()), facts.itertuples(), strict=True))


def cli(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def extracted(monkeypatch):
    """The names of the articles the jobs extract claims from."""
    names = []
    real = jobs.extract_documents

    def spy(articles):
        names.extend(a["id"] for a in articles)
        return real(articles)
    monkeypatch.setattr(jobs, "extract_documents", spy)
    return names


def test_second_run_extracts_only_the_new_articles_and_diff_shows_what_changed(tmp_path, extracted):
    inputs, store, out = folder(tmp_path, FIRST), tmp_path / "s.db", tmp_path / "out"
    first = run_job([inputs], store, as_of=T1, out=out, published="2026-01-01")
    assert sorted(extracted) == FIRST and first.status == "recorded"
    folder(tmp_path, ADDED)
    extracted.clear()
    second = run_job([inputs], store, as_of=T2, out=out, published="2026-01-01")
    assert sorted(extracted) == ADDED
    assert second.manifest["documents"] == {"read": 5, "new": 2, "known": 3, "skipped": 0}
    # the diff is exactly the difference of the two fact tables
    before, after = keyed(first.result.facts), keyed(second.result.facts)
    report = diff_store(store)
    assert report == second.changes and report["from"] == first.run_id
    assert {tuple(e["slot"]) for e in report["new"]} == after.keys() - before.keys()
    assert {tuple(e["slot"]) for e in report["changed"]} == {
        k for k in before.keys() & after.keys() if before[k].value != after[k].value}
    assert {tuple(e["slot"]) for e in report["contested"]} == {
        k for k in before.keys() & after.keys()
        if after[k].status == "contested" != before[k].status}
    # the run's folder: tables, change report (JSON and Markdown), manifest; latest points to it
    files = set(tree(out / "latest"))
    assert files == {"result.json", "changes.json", "changes.md", "manifest.json"}
    assert json.loads((out / "latest" / "changes.json").read_text()) == report
    manifest = json.loads((out / "latest" / "manifest.json").read_text())
    assert manifest["run_id"] == second.run_id and manifest["as_of"] == T2
    assert manifest["inputs"][0]["documents"] == 5 and len(manifest["inputs"][0]["sha256"]) == 64
    assert set(manifest["outputs"]) == files - {"manifest.json"}
    assert (out / "runs" / first.run_id / "result.json").exists()  # earlier outputs stay


def test_rerun_on_the_same_inputs_changes_nothing_and_says_so(tmp_path, extracted, capsys):
    inputs, store, out = folder(tmp_path, FIRST), tmp_path / "s.db", tmp_path / "out"
    first = run_job([inputs], store, as_of=T1, out=out)
    before = tree(out / "runs" / first.run_id)
    extracted.clear()
    again = run_job([inputs], store, as_of=T1, out=out)  # the same logical run
    assert again.status == "repeated" and again.run_id == first.run_id
    assert tree(out / "runs" / first.run_id) == before
    code, stdout, _ = cli(capsys, "run", inputs, "--store", store, "--as-of", T2)
    summary = json.loads(stdout)
    assert code == 0 and summary["status"] == "recorded"
    assert summary["documents"]["new"] == 0 and sum(summary["changes"].values()) == 0
    assert extracted == [] and len(Store(store, readonly=True).runs()) == 2


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_same_inputs_give_byte_identical_outputs(tmp_path, fmt):
    inputs = folder(tmp_path, FIRST[:2])
    for name in ("a", "b"):
        run_job([inputs], tmp_path / f"{name}.db", as_of=T1, out=tmp_path / name, fmt=fmt)
    assert tree(tmp_path / "a") == tree(tmp_path / "b")
    assert f"facts.{fmt}" in tree(tmp_path / "a" / "latest")


def test_dry_run_plans_and_writes_nothing(tmp_path, capsys, extracted):
    inputs, store, out = folder(tmp_path, FIRST), tmp_path / "s.db", tmp_path / "out"
    code, stdout, _ = cli(capsys, "run", inputs, "--store", store, "--out", out, "--as-of", T1, "--dry-run")
    plan = json.loads(stdout)
    assert code == 0 and plan["status"] == "planned" and sorted(plan["plan"]["extract"]) == FIRST
    assert not store.exists() and not out.exists() and extracted == []
    code, stdout, _ = cli(capsys, "run", inputs, "--dry-run", "--as-of", T1)  # no store: all new
    assert code == 0 and json.loads(stdout)["documents"]["new"] == len(FIRST)
    (inputs / "bad.jsonl").write_text("{not json\n")
    code, stdout, err = cli(capsys, "run", inputs, "--dry-run", "--as-of", T1)
    assert code == 65 and stdout == "" and "bad.jsonl:1" in err


def test_bad_input_exits_65_and_writes_nothing(tmp_path, capsys):
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"id": "a", "text": "Two people were killed, police said."}\n{"id": "b", "text": ""}\n')
    store, out = tmp_path / "s.db", tmp_path / "out"
    code, stdout, err = cli(capsys, "run", feed, "--store", store, "--out", out, "--as-of", T1,
                            "--log-format", "json")
    assert code == 65 and stdout == ""
    record = json.loads(err.strip().splitlines()[-1])
    assert record["event"] == "bad_input" and "feed.jsonl:2" in record["message"]
    assert not out.exists() and not list(tmp_path.glob("s.db*"))


def test_locked_store_exits_75(tmp_path, capsys):
    inputs, store = folder(tmp_path, FIRST[:1]), tmp_path / "s.db"
    holder = Store(store)
    holder.begin()
    try:
        code, stdout, err = cli(capsys, "run", inputs, "--store", store, "--as-of", T1, "--wait", "0.2")
    finally:
        holder.rollback()
        holder.close()
    assert code == 75 and stdout == "" and "in use by another job" in err
    assert cli(capsys, "run", inputs, "--store", store, "--as-of", T1)[0] == 0


class _Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_progress_line_only_on_a_terminal_with_text_logs(tmp_path, monkeypatch, log_format):
    inputs = folder(tmp_path, FIRST[:2])
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["run", str(inputs), "--store", str(tmp_path / "s.db"), "--as-of", T1,
                 "--log-format", log_format]) == 0
    shown = "\rextracting 2/2 new documents\n" in terminal.getvalue()
    assert shown == (log_format == "text")
    if log_format == "json":
        assert all(json.loads(line) for line in terminal.getvalue().splitlines())


def test_diff_command(tmp_path, capsys):
    inputs, store = folder(tmp_path, FIRST[:1]), tmp_path / "s.db"
    first = run_job([inputs], store, as_of=T1)
    folder(tmp_path, FIRST[1:2])
    second = run_job([inputs], store, as_of=T2)
    code, stdout, _ = cli(capsys, "diff", "--store", store)
    assert code == 0 and json.loads(stdout) == second.changes
    code, stdout, _ = cli(capsys, "diff", first.run_id[:12], "2", "--store", store, "--format", "markdown")
    assert code == 0 and stdout.startswith(f"# Changes from run {first.run_id} to run {second.run_id}")
    assert cli(capsys, "diff", "nope", "--store", store)[0] == 2
    assert cli(capsys, "diff", "--store", tmp_path / "missing.db")[0] == 2


def test_since_skips_older_articles(tmp_path):
    feed = tmp_path / "feed.jsonl"
    lines = [{"id": "old", "published": "2026-01-01", "text": "Two people were killed in Kabul, police said."},
             {"id": "new", "published": "2026-01-05", "text": "Five people were killed in Herat, police said."}]
    feed.write_text("".join(json.dumps(line) + "\n" for line in lines))
    done = run_job([feed], tmp_path / "s.db", as_of=T1, since="2026-01-03")
    assert done.manifest["documents"]["skipped"] == 1 and done.manifest["documents"]["new"] == 1
    assert Store(tmp_path / "s.db", readonly=True).watermark() == "2026-01-05"


def test_a_later_report_supersedes_the_same_sources_earlier_one(tmp_path):
    feed = tmp_path / "feed.jsonl"
    day1 = {"id": "d1", "published": "2026-01-01", "text": "Eight people were killed in the blast in "
            "Kabul, police said. Hospital officials said eight people died."}
    day2 = {"id": "d2", "published": "2026-01-02", "text": "Eleven people were killed in the blast in "
            "Kabul, police said on Friday. Hospital officials said 11 people were killed."}
    feed.write_text(json.dumps(day1) + "\n")
    store = tmp_path / "s.db"
    run_job([feed], store, as_of=T1)
    feed.write_text(json.dumps(day1) + "\n" + json.dumps(day2) + "\n")
    second = run_job([feed], store, as_of=T2)
    facts = second.result.facts
    [killed] = facts[facts["subject"].eq("people") & facts["predicate"].eq("killed")].itertuples()
    assert killed.value == 11 and killed.status == "consensus"  # an update, not a dispute
    assert second.manifest["counts"]["superseded"] >= 2
    assert [(e["from"], e["to"], e["status"]) for e in second.changes["changed"]
            if e["slot"][-2:] == ["people", "killed"]] == [(8, 11, "consensus")]
    history = Store(store, readonly=True).fact_history("people", "killed")
    assert [h["value"] for h in history] == [8, 11]


def test_superseded_mask():
    claims = pd.DataFrame({
        "source": ["Police", "police ", "hospital", "police", "police"],
        "subject": ["people"] * 5, "predicate": ["killed"] * 4 + ["wounded"],
        "value": [8, 11, 9, 12, 3],
        "reported_at": ["2026-01-01", "2026-01-02", "2026-01-01", None, "2026-01-01"]})
    assert superseded_mask(claims).tolist() == [True, False, False, False, False]
    voting, superseded = split_superseded(claims)
    assert len(voting) == 4 and superseded["value"].tolist() == [8]


# -- real processes ---------------------------------------------------------------------

def _command(inputs, store, out, as_of):
    return [sys.executable, "-m", "reconcile.cli", "run", str(inputs), "--store", str(store),
            "--out", str(out), "--as-of", as_of, "--log-format", "json", "--format", "csv"]


def _start_paused(argv, stage, resume=None):
    env = dict(os.environ, RECONCILE_TEST_PAUSE_AT=stage, RECONCILE_TEST_PAUSE_SECONDS="60",
               RECONCILE_TEST_RESUME=str(resume or ""))
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    for line in process.stderr:  # wait until the job says it has reached the stage
        if json.loads(line).get("event") == "pause":
            return process
    raise AssertionError(f"the job ended before {stage}: {process.wait()}")


def test_kill_9_at_any_stage_leaves_store_and_outputs_intact(tmp_path):
    inputs = folder(tmp_path, FIRST[:2])
    base, reference = tmp_path / "base", tmp_path / "reference"
    run_job([inputs], base / "s.db", as_of=T1, out=base / "out", fmt="csv")
    folder(tmp_path, FIRST[2:3])
    shutil.copytree(base, reference, symlinks=True)
    run_job([inputs], reference / "s.db", as_of=T2, out=reference / "out", fmt="csv")
    expected = tree(reference / "out")
    for stage in ("extracted", "staging", "written", "committed"):
        work = tmp_path / stage
        shutil.copytree(base, work, symlinks=True)
        before = tree(work / "out")
        process = _start_paused(_command(inputs, work / "s.db", work / "out", T2), stage)
        if stage == "staging":  # a half-built run folder, never renamed into place
            assert [p.name for p in (work / "out" / "runs").iterdir() if p.name.startswith(".")]
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stderr.close()
        process.stdout.close()
        runs = len(Store(work / "s.db", readonly=True).runs())
        assert runs == (2 if stage == "committed" else 1), stage
        after = tree(work / "out")
        assert {name: after.get(name) for name in before} == before, stage  # earlier outputs intact
        assert os.readlink(work / "out" / "latest") == os.readlink(base / "out" / "latest"), stage
        assert sqlite3.connect(work / "s.db").execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert main(_command(inputs, work / "s.db", work / "out", T2)[3:]) == 0
        assert tree(work / "out") == expected, stage  # no staging folder left either


def test_two_jobs_on_one_store(tmp_path):
    inputs, store, out = folder(tmp_path, FIRST[:1]), tmp_path / "s.db", tmp_path / "out"
    resume = tmp_path / "resume"
    first = _start_paused(_command(inputs, store, out, T1), "locked", resume=resume)  # holds the store
    second = subprocess.run(_command(inputs, store, out, T2), capture_output=True, text=True, check=False)
    assert second.returncode == 75 and second.stdout == ""
    assert "in use by another job" in json.loads(second.stderr.strip().splitlines()[-1])["message"]
    third = subprocess.Popen(_command(inputs, store, out, T2) + ["--wait", "60"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    resume.touch()  # the first job goes on; the third waits for it, then runs
    first.communicate()
    third_out, third_err = third.communicate()
    assert first.returncode == 0 and third.returncode == 0, third_err
    assert json.loads(third_out)["documents"] == {"read": 1, "new": 0, "known": 1, "skipped": 0}
    with Store(store, readonly=True) as db:
        assert [r["as_of"] for r in db.runs()] == [T1, T2]
        assert db.counts()["documents"] == 1
    assert sqlite3.connect(store).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
