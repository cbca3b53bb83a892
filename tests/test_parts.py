"""Parts and totals, increments, earlier figures: a count about a part of an event, an increment
or an earlier toll is not the event's total, and does not contest it (sentences written here)."""

import pandas as pd

import reconcile
from reconcile import extract_claims
from reconcile.timeline import superseded_mask


def _counts(text, published="2024-03-05"):
    claims = extract_claims(text, published=published, outlet="Wire")
    return claims[claims["value_kind"] == "count"]


def _fact(result, predicate, subject="people"):
    facts = result.facts
    rows = facts[(facts["predicate"] == predicate) & (facts["subject"] == subject)]
    assert len(rows) == 1, facts[["subject", "predicate", "value", "status"]]
    return rows.iloc[0]


def _run(tmp_path, text):
    path = tmp_path / "story.txt"
    path.write_text(text, encoding="utf-8")
    return reconcile.reconcile(str(path), published="2024-03-05", outlet="Wire")


# -- the extractor marks parts ----------------------------------------------------------------

def test_a_breakdown_by_place_is_two_parts_not_the_total():
    claims = _counts("Gunmen killed 21 villagers in Zamfara state on Monday, police said. "
                     "Police spokesman Musa Ibo said 14 were killed in Kurmin and 7 in Gidan Dutse.")
    total = claims[claims["value_max"] == 21]
    assert total["part"].isna().all()
    parts = claims[claims["value_max"] == 14]
    assert parts["part"].tolist() == ["kurmin"] and parts["subject"].str.contains("kurmin").all()


def test_an_increment_is_a_part_of_its_own():
    claims = _counts("At least 30 people have died in the floods, officials said. "
                     "Rescuers recovered five more bodies on Tuesday, the governor said.")
    more = claims[claims["value_max"] == 5]
    assert more["part"].tolist() == ["more"] and more["subject"].tolist() == ["more people"]
    assert claims.loc[claims["value_max"] == 30, "part"].isna().all()


def test_another_after_the_same_speakers_count_is_an_increment_but_not_after_another_kind():
    claims = _counts("Commander Ali Tamer said the rebels killed three guards at the gate. "
                     "He said they then killed another six soldiers at the depot. "
                     "Nine people were killed and another 20 wounded, the army said.")
    assert claims.loc[claims["value_max"] == 6, "part"].tolist() == ["more"]
    assert claims.loc[claims["value_max"] == 20, "part"].isna().all()  # "another 20 wounded": the wounded total


def test_a_place_phrase_and_a_share_are_parts():
    claims = _counts("The death toll rose to 17, the ministry said. "
                     "Twelve people were killed at the scene, the ministry said. "
                     "Of those, three of the victims were children, it added.")
    assert claims.loc[claims["value_max"] == 12, "part"].tolist() == ["at the scene"]
    assert claims.loc[claims["value_max"] == 17, "part"].isna().all()
    assert claims.loc[claims["value_max"] == 3, "part"].notna().all()


def test_an_earlier_figure_is_marked_and_a_contrasting_current_one_is_not():
    claims = _counts("The toll from the mine blast rose to 52, the agency said. "
                     "Earlier reports had put the number of dead at 38, but the agency now says 52.")
    assert claims.loc[claims["value_max"] == 38, "earlier"].tolist() == [True]
    assert not claims.loc[claims["value_max"] == 52, "earlier"].any()


def test_the_span_of_the_event_is_not_another_occasion():
    claims = _counts("Extreme heat has killed at least 19 people in the last week, health officials said. "
                     "The fire, which broke out a week ago, has killed 12 people, the governor said.")
    assert claims["event"].nunique() == 1 and claims["event"].iloc[0].endswith("#1")


def test_a_figure_from_weeks_or_years_ago_is_another_occasion():
    claims = _counts("A gunman killed three people at a clinic in Tolna on Monday, police said. "
                     "Less than three weeks ago, 11 people were killed in a shooting at a mall in Pecs. "
                     "Two years ago, a gunman killed 7 people at a school.")
    events = claims.set_index("value_max")["event"]
    assert events[3.0].endswith("#1")
    assert not events[11.0].endswith("#1") and not events[7.0].endswith("#1")


# -- consensus: parts never contest the total; a sum above it does ------------------------------

def test_parts_within_the_total_do_not_contest_it(tmp_path):
    result = _run(tmp_path, "Twenty-one people were killed when gunmen raided two villages in Zamfara state, "
                            "police said. Councillor Musa Ibo said 14 were killed in Kurmin and 7 in Gidan Dutse.")
    fact = _fact(result, "killed")
    assert fact["value"] == 21 and fact["status"] != "contested"
    assert "parts within the total" in fact["explanation"] and "kurmin 14" in fact["explanation"]


def test_parts_adding_up_to_more_than_the_total_contest_it(tmp_path):
    result = _run(tmp_path, "Twelve people were killed when gunmen raided two villages in Zamfara state, "
                            "police said. Councillor Musa Ibo said 14 were killed in Kurmin and 7 in Gidan Dutse.")
    fact = _fact(result, "killed")
    assert fact["value"] == 12 and fact["status"] == "contested"
    assert "add up to 21, more than the total" in fact["explanation"]
    assert fact["explanation"].startswith("12 — contested:")


def test_an_increment_is_not_the_total(tmp_path):
    result = _run(tmp_path, "At least 30 people have died in the floods in Ranchi, officials said. "
                            "Rescuers recovered five more bodies on Tuesday, district chief Anil Soren said. "
                            "Another three more deaths were reported in Dumka, the police said.")
    fact = _fact(result, "killed")
    assert fact["value_min"] == 30 and fact["status"] != "contested"
    assert (result.facts["predicate"] == "killed").sum() == 1  # the increments make no fact of their own
    increments = result.claims[result.claims["part"] == "more"]
    assert len(increments) == 2 and (increments["stance"] == "superseded").all()


def test_an_earlier_figure_is_superseded_not_a_dissent(tmp_path):
    result = _run(tmp_path, "The death toll from the mine blast in Tarkwa rose to 52, the mines ministry said. "
                            "Earlier reports put the death toll at 38.")
    fact = _fact(result, "killed")
    assert fact["value"] == 52 and fact["status"] == "single_source" and not fact["dissenting"]
    stances = result.claims.set_index("value_text")["stance"]
    assert stances["38"] == "superseded"  # kept in the claims, out of the vote
    assert any(h["superseded"] and h["value"] == 38 for h in fact["history"])


def test_two_exact_figures_from_independent_sources_are_contested_whatever_the_trust(tmp_path):
    result = _run(tmp_path, "The health ministry said 64 people were killed in the blast in Yalova. "
                            "The governor said 64 people died. The red crescent said 90 people were killed.")
    fact = _fact(result, "killed")
    assert fact["status"] == "contested"


def test_a_sources_smaller_figure_beside_its_total_is_a_part_not_a_conflict(tmp_path):
    result = _run(tmp_path, "Rescuers are searching for three missing firefighters in Rize, minister "
                            "Kemal Aras said. Aras said 11 people were reported missing.")
    fact = result.facts[result.facts["predicate"] == "missing"].iloc[0]
    assert fact["value"] == 11 and fact["status"] == "single_source"


def test_superseded_mask_reads_earlier_without_dates():
    claims = pd.DataFrame({"source": ["a", "b", "c"], "subject": ["people"] * 3,
                           "predicate": ["killed"] * 3, "value": [38, 52, 7],
                           "earlier": [True, False, True]})
    claims.loc[2, "subject"] = "soldiers"  # an earlier figure with nothing current in its slot stays
    assert superseded_mask(claims).tolist() == [True, False, False]


# -- dates, places and background ---------------------------------------------------------------

def _values(text, predicate, published="2024-03-06"):
    claims = extract_claims(text, published=published)
    return claims.loc[claims["predicate"] == predicate, "value"].tolist()


def test_the_day_of_a_statement_is_not_the_events_date():
    assert _values("A car bomb exploded in Quetta on Monday, killing 12 people, the ministry said on "
                   "Tuesday.", "event_date") == ["2024-03-04"]
    assert _values("The ministry said on Tuesday that a car bomb exploded in Quetta, killing 12 people.",
                   "event_date") == []
    assert _values("Police said Tuesday's car bomb in Quetta killed 12 people.", "event_date") == ["2024-03-05"]


def test_a_pages_updated_stamp_is_not_an_event_time():
    assert _values("Updated 10:40 GMT\n\nA car bomb exploded in Quetta on Monday.", "event_time") == []


def test_the_city_of_a_briefing_is_not_the_events_place():
    places = _values("An earthquake killed 40 people in Hatay, officials said. A further 300 people were "
                     "injured in the quake, he told a UN briefing in Geneva.", "location")
    assert "hatay" in places and "geneva" not in places


def test_a_district_named_after_its_kind_is_the_place():
    places = _values("Rebels attacked a school in the Ugandan district of Kasese, the army said.", "location")
    assert places == ["kasese"]


def test_a_background_paragraph_stays_with_its_occasion():
    claims = _counts("A gas blast in a coal mine in Huaibei killed 20 miners on Tuesday, state media said.\n\n"
                     "On Thursday, a flood in a coal mine in Jixi city killed four workers. Xinhua said "
                     "13 were still missing.\n\nRescuers said 6 miners were still missing in Huaibei.",
                     published="2024-03-05")
    events = claims.set_index("value_max")["event"]
    assert events[13.0] == events[4.0] != events[20.0]
    assert events[6.0] == events[20.0]  # a new paragraph is the story's again


def test_a_revised_figure_supersedes_the_same_speakers_other_and_a_pluperfect_one(tmp_path):
    claims = _counts("Police said 8 people were killed in the blast in Tarkwa. Police later said the toll "
                     "rose to 11. The regional police had put the death toll at 9.")
    earlier = claims.set_index("value_max")["earlier"]
    assert earlier[8.0] and not earlier[11.0] and earlier[9.0]
    result = _run(tmp_path, "Police said 8 people were killed in the blast in Tarkwa. Police later said the "
                            "toll rose to 11. The regional police had put the death toll at 9.")
    fact = _fact(result, "killed")
    assert fact["value"] == 11 and fact["status"] == "single_source"


def test_a_listed_breakdown_is_parts_of_the_paragraphs_count(tmp_path):
    text = ("The storm killed 40 people across the South, officials said. Deaths were reported in "
            "Florida (11), Georgia (17) and the Carolinas (12).")
    claims = _counts(text)
    parts = claims[claims["part"].notna()].set_index("part")["value_max"].to_dict()
    assert parts == {"florida": 11.0, "georgia": 17.0, "carolinas": 12.0}
    fact = _fact(_run(tmp_path, text), "killed")
    assert fact["value"] == 40 and fact["status"] != "contested" and "parts within the total" in fact["explanation"]


def test_groups_under_a_total_are_parts():
    for text in ("At least 119 people died in the flood, officials said, including 112 women and seven children.",
                 "At least 119 people died in the flood, officials said. The dead included 112 women and seven "
                 "children."):
        claims = _counts(text)
        parts = claims[claims["part"].notna()].set_index("part")["value_max"].to_dict()
        assert parts == {"women": 112.0, "children": 7.0}, text
        assert claims.loc[claims["value_min"] == 119, "part"].isna().all()


def test_more_after_another_kinds_count_is_not_an_increment():
    claims = _counts("The fire killed at least 14 workers and injured dozens more, officials said.")
    assert claims["part"].isna().all()


def test_a_small_named_group_beside_a_larger_toll_is_a_subset_not_its_group(tmp_path):
    result = _run(tmp_path, "At least 28 people have died in the heat wave, officials said. "
                            "On Saturday, a motorcyclist died near Barstow, the coroner said.")
    fact = _fact(result, "killed")
    assert fact["value_min"] == 28 and fact["status"] != "contested"


def test_a_lone_part_phrase_or_share_is_the_figure_there_is():
    """No total of its kind and no other part: "at the scene" or "one of whom" is the figure."""
    scene = _counts("Two men were found shot in a parked car. Both were pronounced dead at the scene.")
    assert scene.loc[scene["predicate"] == "killed", "part"].isna().all()
    share = _counts("Rescuers lifted twelve miners out of the shaft, one of whom was injured.")
    assert share.loc[share["predicate"] == "wounded", "part"].isna().all()
