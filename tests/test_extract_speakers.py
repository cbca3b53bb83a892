"""Who said it: reporting frames, headlines, quotes named nearby, pronouns, two sources in one
sentence, the outlet's own voice, and how each speaker was found (the ``attribution`` column).
Every sentence here is written for these tests."""

import pandas as pd
import pytest

import reconcile
from reconcile.contract import ATTRIBUTIONS, OPTIONAL_CLAIM_COLUMNS, InputError
from reconcile.display import claim_flags
from reconcile.extract import extract_claims
from reconcile.io import read_claims
from reconcile.resolve import resolve_sources, source_roles
from reconcile.score import INFERRED_WEIGHT, claim_weights

OUTLET = "Valley Courier"


def claims(text: str) -> pd.DataFrame:
    return extract_claims(text, published="2024-05-02", outlet=OUTLET)


def said(text: str, predicate: str) -> list[tuple]:
    """(source, value_min, attribution) of the claims of one predicate, in order."""
    rows = claims(text)
    rows = rows[rows["predicate"] == predicate]
    return list(zip(rows["source"], rows["value_min"], rows["attribution"]))


@pytest.mark.parametrize("text, source, predicate, low", [
    ("Navy spokeswoman Ilse Marquardt placed the death toll at 14.", "Ilse Marquardt", "killed", 14.0),
    ("The provincial governor pegged the number of dead at 22.", "provincial governor", "killed", 22.0),
    ("Earlier reports from the regional radio station spoke of 45 dead.", "regional radio station", "killed", 45.0),
    ("Figures provided by the civil protection agency show 31 people were injured.",
     "civil protection agency", "wounded", 31.0),
    ("According to figures from the health ministry, 12 people died.", "health ministry", "killed", 12.0),
    ("The interior ministry's figures show 40 people were arrested.", "interior ministry", "detained", 40.0),
    ("On Friday the coast guard said 19 people were missing.", "coast guard", "missing", 19.0),
    ("The water board is now reporting 260 people displaced.", "water board", "displaced", 260.0),
    ("The relief group put the toll higher, at 61.", "relief group", "killed", 61.0),
    ("The death toll stood at 33, according to a tally by the news agency.", "news agency", "killed", 33.0),
])
def test_reporting_frames_name_their_speaker(text, source, predicate, low):
    assert said(text, predicate) == [(source, low, "named")]


def test_a_frame_without_a_report_noun_is_not_a_speaker():
    assert said("Photos show 12 bodies in the street.", "killed") == [(OUTLET, 12.0, "outlet")]
    assert said("Several arrests were reported.", "detained")[0][0] == OUTLET  # a passive names no one


@pytest.mark.parametrize("text, source", [
    ("Earlier reports put the toll at 9.", "Earlier reports"),
    ("Previous reports said 9 people had died.", "Previous reports"),
    ("The rescue agency originally said 9 people had died.", "rescue agency"),
    ("According to the Harbour Gazette in a report on Monday, 9 people died.", "Harbour Gazette"),
    ("Earlier reports put the number of the dead to 9.", "Earlier reports"),
    ("But according to Radio Norte the storm killed 9 people.", "Radio Norte"),
    ("The head of the Norland Press Agency Amir Dosti said 9 people died.", "Amir Dosti"),
    ("9 people died, according to the Department of Water and Power (Water Power).",
     "Department of Water and Power"),
    ("Chief Medical Examiner Rosa Pell said 9 people died.", "Rosa Pell"),
])
def test_no_garbled_names(text, source):
    assert said(text, "killed") == [(source, 9.0, "named")]


def test_headline_source_tag_and_the_outlets_own_headline():
    tagged = "Flood toll rises to 52, 300 hurt - Ministry Of Interior\nRains swept the valley on Tuesday."
    assert said(tagged, "killed") == [("Ministry Of Interior", 52.0, "named")]
    colon = "Nine protesters killed in Velmora: rights group\nThe march began at noon."
    assert said(colon, "killed") == [("rights group", 9.0, "named")]
    plain = "Dozens feared dead after ferry sinks\nThe ferry left port at dawn. It carried 80 people."
    assert said(plain, "killed")[0][0] == OUTLET  # not "Dozens"; the headline is the outlet's
    report_tag = "Quake kills 300 in hill villages: official report\nThe quake struck at night."
    assert said(report_tag, "killed") == [(OUTLET, 300.0, "outlet")]


def test_a_headline_is_its_own_sentence_and_the_dateline_after_it_is_no_event_date():
    text = "Storm kills four in Brava\nBRAVA, March 5 (Wire) - A storm killed four people on Sunday in the town.\n"
    rows = extract_claims(text, published="2024-03-05", outlet=OUTLET)
    assert rows[rows["predicate"] == "event_date"]["value"].tolist() == ["2024-03-03"]  # Sunday, not March 5
    assert rows[rows["predicate"] == "killed"]["evidence"].tolist() == ["Storm kills four in Brava"]


def test_the_reporters_voice_is_the_outlet_never_unattributed():
    assert said("At least 29 people have died since the storm hit.", "killed") == [(OUTLET, 29.0, "outlet")]


def test_the_agency_is_the_one_it_shares_words_with_not_a_persons_employer():
    text = ("The national disaster agency said 80 people were aboard. Ari Sen, the head of the rescue agency, "
            "said 30 were missing. So far, four bodies have been found, according to the local disaster agency.")
    assert said(text, "killed") == [("national disaster agency", 4.0, "named")]


def test_a_quote_named_in_the_paragraph_before():
    text = ("Rescue chief Dana Okoro said the search would go on through the night.\n\n"
            "“We have pulled 17 bodies from the river so far.”\n")
    assert said(text, "killed") == [("Dana Okoro", 17.0, "adjacent")]


def test_a_quote_named_in_the_paragraph_after():
    text = ("“Eleven people were injured, four of them critically.”\n\n"
            "Hospital director Lena Varga said the wards were full.\n")
    assert said(text, "wounded")[0] == ("Lena Varga", 11.0, "adjacent")


def test_a_quote_with_its_own_speaker_stays_named():
    text = ("Rescue chief Dana Okoro spoke first.\n\n"
            "“Six people drowned,” said police captain Imre Tal.\n")
    assert said(text, "killed") == [("Imre Tal", 6.0, "named")]


def test_pronouns_reach_the_nearest_agreeing_antecedent():
    person = ("Mayor Ana Ruiz said the water rose at night. The civil defence agency said 30 homes were "
              "destroyed. Four people drowned, she said.")
    assert said(person, "killed") == [("Ana Ruiz", 4.0, "pronoun")]
    plural = ("Mayor Ana Ruiz said the water rose at night. Police earlier blamed a broken levee. "
              "They said 6 people were hurt.")
    assert said(plural, "wounded") == [("Police", 6.0, "pronoun")]
    spokesman = ("Mayor Teo Brand said the school burned. Army spokesman Kofi Amadu placed the toll at 12. "
                 "Five people were injured, he said.")
    assert said(spokesman, "wounded") == [("Kofi Amadu", 5.0, "pronoun")]


def test_one_partys_statement_in_another_partys_story():
    text = ("Coastal Watch, a monitoring group, said 80 protesters died.\n\n"
            "The government has not released a toll. But it disputed the group's report.\n\n"
            "It claimed only 12 protesters had died.\n")
    assert said(text, "killed") == [("Coastal Watch", 80.0, "named"), ("government", 12.0, "pronoun")]


def test_an_agency_named_with_an_official_adjective_is_what_it_refers_to():
    text = ("Another 28 people were missing, the official Norland News Agency reported. "
            "Twenty people died in the blast, it said.")
    assert said(text, "killed") == [("Norland News Agency", 20.0, "pronoun")]


def test_two_sources_in_one_sentence_each_with_its_figure():
    text = "Officials said ten people died, contradicting a report by the rescue agency that said 15 had been killed."
    assert said(text, "killed") == [("Officials", 10.0, "named"), ("rescue agency", 15.0, "named")]


def test_a_retraction_is_the_same_sources_later_figure():
    text = "The ministry first said 20 people had died. It later said only five had died."
    assert [(s, v) for s, v, _ in said(text, "killed")] == [("ministry", 20.0), ("ministry", 5.0)]


def test_a_role_in_apposition_stays_with_the_name():
    rows = claims("Andrei Vaskov, the mayor of Kelmar where the raid happened, said 20 people were killed.")
    row = rows[rows["predicate"] == "killed"].iloc[0]
    assert (row["source"], row["source_raw"]) == ("Andrei Vaskov", "Andrei Vaskov, the mayor of Kelmar")


# -- the attribution column through the engine --------------------------------------------------

def test_attribution_is_an_optional_contract_column():
    assert "attribution" in OPTIONAL_CLAIM_COLUMNS
    assert ATTRIBUTIONS == ("named", "adjacent", "pronoun", "outlet")
    result = reconcile.reconcile(claims("Mayor Ana Ruiz said the dam broke. Four people drowned, she said."))
    assert result.claims["attribution"].tolist() == ["pronoun"]


def test_an_unknown_attribution_is_an_input_error(tmp_path):
    path = tmp_path / "claims.csv"
    path.write_text("source,subject,predicate,value,attribution\npolice,people,killed,3,named\n"
                    "mayor,people,killed,4,Guessed\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_claims(path)
    assert error.value.line == 3 and "attribution" in str(error.value) and "Guessed" in str(error.value)
    path.write_text("source,subject,predicate,value,attribution\npolice,people,killed,3,Pronoun\n", encoding="utf-8")
    assert read_claims(path)["attribution"].tolist() == ["pronoun"]


def test_inferred_speakers_weigh_less():
    frame = pd.DataFrame({"hedged": [False, True, False, True, False],
                          "attribution": ["named", "named", "pronoun", "adjacent", "outlet"]})
    assert claim_weights(frame, 0.5).tolist() == [1.0, 0.5, INFERRED_WEIGHT, 0.5 * INFERRED_WEIGHT, 1.0]
    assert claim_weights(frame.drop(columns="attribution"), 0.5).tolist() == [1.0, 0.5, 1.0, 0.5, 1.0]


def test_a_named_figure_outweighs_the_same_sources_count_through_a_pronoun():
    rows = [{"source": "A", "subject": "people", "predicate": "killed", "value": 5, "attribution": "named"},
            {"source": "B", "subject": "people", "predicate": "killed", "value": 5, "attribution": "named"},
            {"source": "C", "subject": "people", "predicate": "killed", "value": 9, "attribution": "pronoun"},
            {"source": "D", "subject": "people", "predicate": "killed", "value": 9, "attribution": "pronoun"}]
    firm = reconcile.reconcile(pd.DataFrame(rows), method="majority_vote").facts.iloc[0]
    assert firm["value"] == 5
    swapped = [dict(r, attribution="pronoun" if r["value"] == 5 else "named") for r in rows]
    assert reconcile.reconcile(pd.DataFrame(swapped), method="majority_vote").facts.iloc[0]["value"] == 9


def test_the_report_and_display_say_where_the_speaker_was_guessed(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("Mayor Ana Ruiz said the water rose at night. Four people drowned, she said.\n", encoding="utf-8")
    result = reconcile.reconcile(str(path), published="2024-05-02", outlet=OUTLET)
    claim = next(result.claims[result.claims["predicate"] == "killed"].itertuples(index=False))
    assert claim_flags(claim) == ["speaker guessed from the pronoun “she”"]
    assert "speaker guessed from the pronoun" in result.to_markdown()
    assert "speaker guessed from the pronoun" in result.to_html()


# -- one source across outlets ----------------------------------------------------------------

def _resolve(pairs):
    sources = pd.Series([s for s, _ in pairs])
    return resolve_sources(sources, roles=source_roles(sources, pd.Series([r for _, r in pairs])))


def test_two_spellings_of_one_persons_name_under_one_role_merge_and_say_why():
    resolution = _resolve([("Ondrei Vasko", "Kelmar Mayor Ondrei Vasko"),
                           ("Andrei Vaskov", "Andrei Vaskov, the mayor of Kelmar")])
    assert resolution.canonical["Ondrei Vasko"] == resolution.canonical["Andrei Vaskov"]
    assert "same role (mayor)" in resolution.merges["Andrei Vaskov"]


@pytest.mark.parametrize("pairs", [
    [("Teo Brand", "Mayor Teo Brand"), ("Ines Varo", "Mayor Ines Varo")],  # two mayors
    [("John Harlan", "Police chief John Harlan"), ("Jane Harlan", "Police chief Jane Harlan")],  # other first name
    [("Ondrei Vasko", "Kelmar Mayor Ondrei Vasko"), ("Andrei Vaskov", "Andrei Vaskov, the mayor of Tarnow")],
    [("Ondrei Vasko", "Mayor Ondrei Vasko"), ("Andrei Vaskov", "Andrei Vaskov, the army spokesman")],  # other role
])
def test_different_people_stay_apart(pairs):
    resolution = _resolve(pairs)
    assert len(set(resolution.canonical.values())) == 2 and not resolution.merges


def test_the_merge_reason_is_in_the_sources_table(tmp_path):
    (tmp_path / "a.txt").write_text("Gunmen killed 20 people in Tarvo, Kelmar Mayor Ondrei Vasko said on Monday.\n",
                                    encoding="utf-8")
    (tmp_path / "b.txt").write_text("Andrei Vaskov, the mayor of Kelmar, said 20 people were killed in Tarvo.\n",
                                    encoding="utf-8")
    result = reconcile.reconcile([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")], published="2024-03-04")
    mayor = result.sources[result.sources["source"].isin(["Ondrei Vasko", "Andrei Vaskov"])]
    assert len(mayor) == 1 and "same role (mayor)" in mayor["merged_because"].iloc[0]
