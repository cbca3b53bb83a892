"""Events across outlets: clustering, copies counted once, supersession, no cross-event facts."""

import json
import random
from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

import reconcile
from benchmarks.events import evaluate, incremental
from reconcile.cli import main
from reconcile.events import (EventIndex, EventSummary, bcubed, cluster_events, find_copies,
                              find_credits, link_events, place_similarity, summarize_events)
from reconcile.extract import extract_claims, extract_documents, read_articles
from reconcile.pipeline import load_claims
from reconcile.score import slot_columns

FEED = "data/feeds/events.jsonl"
TWO = "data/feeds/seed_two_outlets.jsonl"


@pytest.fixture(scope="module")
def figures():
    return evaluate()


def test_feed_clustering_is_good_and_never_mixes_events(figures):
    assert figures["f1"] >= 0.9
    assert figures["events"] == figures["gold_events"] == 11
    assert figures["mixed_facts"] == 0


def test_feed_copies_are_found_and_counted_once(figures):
    found = {c: o for c, (o, _) in figures["copies_found"].items()}
    assert found == figures["copies_gold"]
    assert figures["copies_double_counted"] == 0


def test_feed_facts_per_event_are_right(figures):
    right = sum(ok for ok, _, _ in figures["per_event"].values())
    assert right == sum(n for _, n, _ in figures["per_event"].values())


def test_unrelated_articles_stay_apart_and_the_seed_twins_merge():
    """The 27 test articles and the shared dev articles are all different events, except the
    seed story and its copy in the dev set; everything dated the same day to make it hard."""
    frame, _ = load_claims(["data/articles", "data/seed.txt"], published="2020-07-14")
    events = {a["event"] for k, a in frame.attrs["events"].items() if k.endswith("#1")}
    assert len(events) == len({k for k in frame.attrs["events"] if k.endswith("#1")})
    both = load_claims(["data/seed.txt", "data/feeds/seed_two_outlets.jsonl"], published="2020-07-14")[0]
    assert both["event"].nunique() == 1


def test_rising_toll_is_an_update_not_a_conflict():
    result = reconcile.reconcile(FEED)
    kabul = result.facts[result.facts["event"].str.contains("car bomb")
                         & (result.facts["subject"] == "people") & (result.facts["predicate"] == "killed")]
    main_fact = kabul[kabul["value"] == 21].iloc[0]
    assert main_fact["status"] != "contested"
    assert "updated: police 12 (08:00) → 21 (14:00)" in main_fact["explanation"]
    # another outlet's earlier 15 is a lower bound of the rising toll, not a dissent
    assert "health official" in main_fact["sources"] and main_fact["dissenting"] == []
    history = main_fact["history"]
    assert [h["value"] for h in history if h["source"] == "police"][0] == 12
    assert any(h["superseded"] for h in history)
    # last year's attack (40 killed) is another event of the same article, not a dissent
    other = kabul[kabul["value"] == 40]
    assert len(other) == 1 and other.iloc[0]["event"] != main_fact["event"]


def test_seed_and_a_rewrite_are_one_event_supported_by_both_articles():
    result = reconcile.reconcile(TWO)
    events = set(result.facts["event"])
    assert len(events) == 1
    fact = result.facts[(result.facts["subject"] == "russian soldiers") & (result.facts["predicate"] == "wounded")]
    assert len(fact) == 1 and fact.iloc[0]["value"] == 3
    claims = result.claims.set_index("claim_id")
    supporting = claims.loc[list(fact.iloc[0]["claim_ids"])]
    supporting = supporting[supporting["source"].isin(fact.iloc[0]["sources"])]
    assert set(supporting["document"]) == {"seed-aa", "seed-rewrite"}


def test_cli_runs_a_feed_and_can_switch_events_off(capsys):
    assert main(["run", TWO, "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len({f["event"] for f in out["facts"]}) == 1
    assert main(["run", TWO, "--format", "json", "--no-events"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert "event" not in out["facts"][0]


def test_other_place_and_other_occasion_get_their_own_event_ids():
    text = ("A car bomb killed 12 people in Kabul on Monday, police said. Last year's attack on the same "
            "market killed 40 people. In neighbouring Logar province, no deaths were reported.")
    claims = extract_claims(text, published="2024-05-06", document="d")
    by_value = dict(zip(claims["value"].astype(str), claims["event"]))
    assert by_value["12"] == "d#1"
    assert len({by_value["12"], by_value["40"], by_value["0"]}) == 3


def test_clustering_is_deterministic_whatever_the_order():
    articles = read_articles(FEED)
    base = load_claims(FEED, events=False)[0]
    summaries = summarize_events(base.assign(event=base["document"] + "#1"), articles)
    first = {k: a.event for k, a in cluster_events(summaries).items()}
    shuffled = list(summaries)
    random.Random(7).shuffle(shuffled)
    assert {k: a.event for k, a in cluster_events(shuffled).items()} == first


def test_incremental_in_feed_order_is_good_too():
    assert incremental()[2] >= 0.9


def test_incremental_index_explains_each_merge():
    index = EventIndex()
    day = date(2024, 9, 10)
    first = EventSummary("a#1", "a", day=day, types=("car bomb",), places=("erikha",),
                         lead="A car bomb hit a Russian patrol near Erikha in Idlib.")
    same = EventSummary("b#1", "b", day=day, types=("explosive attack",), places=("ariha",),
                        lead="A bomb struck a joint patrol near Ariha, Idlib province.")
    other_type = EventSummary("c#1", "c", day=day, types=("flood",), places=("ariha",), lead="Floods in Ariha.")
    other_place = EventSummary("d#1", "d", day=day, types=("car bomb",), places=("kandahar",),
                               lead="A car bomb exploded in Kandahar.")
    later = replace(same, key="e#1", document="e", day=date(2024, 9, 20))
    ids = [index.add(s) for s in (first, same, other_type, other_place, later)]
    assert ids[0] == ids[1] and len(set(ids)) == 4
    why = index.assignments["b#1"].why
    assert "ariha~erikha" in why and "same day" in why
    assert index.assignments["a#1"].why == "new event"


def test_place_names_are_matched_across_transliterations():
    assert place_similarity("Erikha", "Ariha") >= 0.8
    assert place_similarity("Idlib province", "Idlib") == 1.0
    assert place_similarity("Kabul", "Quetta") < 0.5


def test_copies_and_wire_credits():
    articles = read_articles(FEED)
    copies = find_copies(articles)
    assert copies["kabul-gulftimes"][0] == "kabul-afp-1"
    assert "kabul-reuters-1" not in copies
    credits = find_credits([{"id": "x", "outlet": "Site", "text": "Five died, according to Reuters."},
                            {"id": "y", "outlet": "AFP", "text": "PARIS (AFP) - Five died."},
                            {"id": "z", "outlet": "Blog", "text": "KABUL (AFP) - Five died."}])
    assert credits == {"x": "Reuters", "z": "AFP"}


def test_a_republished_copy_votes_as_its_origin():
    text = "Five people were killed in a fire in Surat on Tuesday."
    feed = [{"id": "o", "outlet": "PTI", "published": "2024-09-10T08:00:00Z", "text": text},
            {"id": "c", "outlet": "Copy Times", "published": "2024-09-10T09:00:00Z", "text": text}]
    linked = link_events(extract_documents(feed), feed)
    copy = linked[linked["document"] == "c"]
    assert set(copy["cites"]) == {"PTI"} and linked["event"].nunique() == 1
    fact = reconcile.reconcile(linked).facts.query("predicate == 'killed'").iloc[0]
    assert fact["status"] == "single_source"


def test_all_null_event_column_is_no_event_column():
    frame = pd.DataFrame({"source": ["a"], "subject": ["s"], "predicate": ["p"], "value": [1], "event": [None]})
    assert slot_columns(frame) == ["subject", "predicate"]
    assert slot_columns(frame.assign(event="e")) == ["event", "subject", "predicate"]
    assert "event" not in reconcile.reconcile(frame).facts


def test_bcubed():
    assert bcubed({"a": 1, "b": 1, "c": 1}, {"a": "x", "b": "x", "c": "y"}) == (0.5556, 1.0, 0.7143)
