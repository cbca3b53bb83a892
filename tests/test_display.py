"""Rich display, pictures and the report: escaped input, contested first, self-contained HTML."""

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import reconcile
from reconcile import display, report
from reconcile.cli import main

SEED = "data/seed_claims.csv"
SCRIPT = "<script>alert(1)</script>"
try:
    import matplotlib  # noqa: F401 - the report draws its pictures with it
    PICTURES = True
except ImportError:
    PICTURES = False


@pytest.fixture(scope="module")
def seed():
    return reconcile.reconcile(SEED)


@pytest.fixture(scope="module")
def hostile():
    """A source and a claim made of markup; two exact figures make the slot contested."""
    rows = [
        {"source": SCRIPT, "subject": "villagers", "predicate": "killed", "value": "12",
         "evidence": f"Twelve villagers were killed, {SCRIPT} said.", "document": SCRIPT},
        {"source": "Police", "subject": "villagers", "predicate": "killed", "value": "40",
         "evidence": "Police said 40 villagers were killed."},
        {"source": "Police", "subject": "attack", "predicate": "event_type", "value": SCRIPT,
         "evidence": f"It was a {SCRIPT}."},
        {"source": "<img src=x onerror=alert(2)>", "subject": "attack", "predicate": "event_type",
         "value": "raid", "evidence": "a raid"},
        {"source": f"-->{SCRIPT}<!--", "subject": "villagers", "predicate": "killed", "value": "12",
         "evidence": f"]]>{SCRIPT}"},
    ]
    return reconcile.reconcile(rows)


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attributes = set(), set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)


def _no_markup_from_input(text: str):
    assert "<script" not in text.lower()
    assert "<img" not in text.lower()
    parsed = _Tags()
    parsed.feed(text)
    assert not parsed.tags & {"script", "img", "iframe", "object", "embed", "link"}
    assert not [a for a in parsed.attributes if a.startswith("on")]


def test_repr_html_escapes_source_names_and_claims(hostile):
    bundle = hostile._repr_mimebundle_()
    _no_markup_from_input(bundle["text/html"])
    assert html.escape(SCRIPT) in bundle["text/html"]
    assert bundle["text/plain"] == repr(hostile)


def test_report_escapes_every_input_string(hostile):
    page = hostile.to_html()
    _no_markup_from_input(page)
    assert html.escape(SCRIPT) in page
    pictures = re.findall(r"<svg.*?</svg>", page, re.DOTALL)
    assert len(pictures) >= 3 or not PICTURES
    for svg in pictures:  # labels are drawn as paths, not written as text or comments
        assert "<!--" not in svg and "-->" not in svg and "alert" not in svg


def test_markdown_escapes_markup(hostile):
    text = hostile.to_markdown()
    _no_markup_from_input(text)
    assert "&lt;script&gt;" in text


def test_fact_view_escapes_evidence(hostile):
    view = display.explain(hostile, "attack", "event_type")
    _no_markup_from_input(view._repr_html_())


def test_contested_facts_come_first(hostile):
    page = hostile._repr_mimebundle_()["text/html"]
    first = re.search(r'class="rc-badge rc-(\w+)"', page).group(1)
    assert first == "contested"


def test_repr_shows_status_confidence_and_trust(seed):
    page = seed._repr_mimebundle_()["text/html"]
    assert "consensus" in page and "single_source" in page
    for confidence in seed.facts["confidence"]:
        assert f"{confidence:.2f}</span>" in page
    for name in seed.sources["source"]:
        assert html.escape(name) in page
    assert f"{seed.sources['trust'].max():.2f}" in page


def test_report_forbids_loading_anything(seed):
    page = seed.to_html()
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in policy and "script-src" not in policy


def test_nothing_loads_from_the_network(seed):
    for page in (seed._repr_mimebundle_()["text/html"], seed.to_html()):
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
        assert "@import" not in page and not re.search(r"url\((?!#)", page)  # only local ids


def test_highlight_marks_the_value_in_its_sentence():
    assert display.highlight("Three were hurt, said X.", "three") == "<mark>Three</mark> were hurt, said X."
    assert display.highlight("a < b", "b") == "a &lt; <mark>b</mark>"
    assert display.highlight("abc", "zz") == "abc"
    assert display.highlight("İdlib’te bir bombalı araç", "bombalı araç") == "İdlib’te bir <mark>bombalı araç</mark>"
    # offsets win when they point at the value inside the sentence
    assert display.highlight("3 or 3", "3", start=5, end=6) == "3 or <mark>3</mark>"


def test_explain_lists_supporters_and_evidence(seed):
    view = display.explain(seed, "russian soldiers", "wounded")
    page = view._repr_html_()
    assert "Julian Röpcke" in page and "some sources" in page
    assert "<mark>three</mark>" in page.lower()
    assert "russian soldiers / wounded" in repr(view)


def test_explain_without_a_slot_shows_every_fact_contested_first(hostile, seed):
    page = display.explain(hostile)._repr_html_()
    assert page.count('class="rc-fact ') == len(hostile.facts)
    assert re.search(r'class="rc-badge rc-(\w+)"', page).group(1) == "contested"
    _no_markup_from_input(page)
    assert len(display.explain(seed, limit=2).facts) == 2
    assert repr(display.explain(seed)).count("\n[") == len(seed.facts) - 1


def test_explain_unknown_slot_names_known_ones(seed):
    with pytest.raises(KeyError, match="attack / event_type"):
        display.explain(seed, "nobody", "nothing")


def test_report_has_facts_evidence_graph_sources_method_and_hashes(seed, tmp_path):
    page = report.report_html(seed, inputs=[SEED])
    assert page.startswith("<!DOCTYPE html>")
    assert ("<svg" in page) == PICTURES  # the graph and the trust chart, inline
    assert "<mark>" in page
    for name in seed.sources["source"]:
        assert html.escape(name) in page
    assert "accu" in page and "contest_share" in page
    assert report.input_hashes([SEED])[0]["sha256"] in page
    assert reconcile.__version__ in page


def test_markdown_report_lists_every_fact(seed):
    text = seed.to_markdown()
    for fact in seed.facts.itertuples():
        assert f"{fact.subject} / {fact.predicate}" in text
    assert "| source |" in text


def test_report_command_writes_one_file(tmp_path, capsys):
    out = tmp_path / "seed.html"
    assert main(["report", SEED, "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and report.input_hashes([SEED])[0]["sha256"] in page
    assert [p.name for p in tmp_path.iterdir()] == ["seed.html"]
    assert main(["report", SEED, "--out", str(tmp_path / "seed.md"), "--title", "Idlib"]) == 0
    assert (tmp_path / "seed.md").read_text(encoding="utf-8").startswith("# Idlib")


def test_report_from_the_article_text(tmp_path):
    out = tmp_path / "story.html"
    assert main(["report", "data/seed.txt", "--published", "2020-07-14", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "russian soldiers / wounded" in page and "<mark>" in page
    assert report.input_hashes(["data/seed.txt"])[0]["sha256"] in page


def test_report_of_bad_input_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("source,subject\nA,x\n", encoding="utf-8")
    assert main(["report", str(bad), "--out", str(tmp_path / "r.html")]) == 65
    assert not (tmp_path / "r.html").exists()


def test_plots_return_figures_and_save(seed, tmp_path):
    pytest.importorskip("matplotlib")
    figure = seed.plot("russian soldiers / wounded")
    figure.savefig(tmp_path / "slot.svg")
    figure.savefig(tmp_path / "slot.png")
    assert (tmp_path / "slot.svg").read_text().lstrip().startswith("<?xml")
    trust = seed.plot_trust()
    bars = trust.axes[0].patches
    assert len(bars) == len(seed.sources)
    trust.savefig(tmp_path / "trust.png")
    assert (tmp_path / "trust.png").stat().st_size > 1000


def test_slot_plot_styles_agree_and_conflict_edges_differently(hostile):
    pytest.importorskip("matplotlib")
    from reconcile.plot import EDGE_STYLES
    assert EDGE_STYLES["agrees"] != EDGE_STYLES["conflicts"]
    figure = hostile.plot(("villagers", "killed"))
    styles = {c.get_label() for c in figure.axes[0].collections}
    assert "conflicts" in styles


def test_plot_labels_are_not_parsed_as_math():
    pytest.importorskip("matplotlib")
    result = reconcile.reconcile([{"source": "$x^2$", "subject": "a", "predicate": "b", "value": "1"}])
    figure = result.plot()
    texts = [t.get_text() for t in figure.axes[0].texts]
    assert any(t.startswith("$x^2$") for t in texts)
    figure.savefig(__import__("io").BytesIO(), format="svg")  # no mathtext error


def test_compact_view_of_a_large_result_is_capped():
    rows = [{"source": f"s{i % 70}", "subject": f"item {i}", "predicate": "count", "value": str(i % 5)}
            for i in range(140)]
    page = reconcile.reconcile(rows)._repr_mimebundle_()["text/html"]
    assert "… and 90 more facts" in page and "… and 20 more sources" in page
    assert page.count("<tr>") == 1 + 50 + 1 + 50


def test_slot_graph_needs_no_event_when_one_event_has_the_fact():
    import reconcile
    result = reconcile.reconcile(Path(__file__).resolve().parents[1] / "data" / "seed.txt", published="2020-07-14")
    graph = result.slot_graph("russian soldiers", "wounded")
    assert any(n.startswith("slot:") for n in graph)
    with pytest.raises(KeyError, match="no slot"):
        result.slot_graph("russian soldiers", "missing")
