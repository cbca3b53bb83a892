"""Behaviour of reconcile.extract on the seed article and small cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.extraction import COUNT_PREDICATES
from benchmarks.shared import shared_path
from reconcile.contract import CLAIM_COLUMNS, InputError
from reconcile.extract import detect_language, extract_claims, extract_documents, read_articles

SEED = shared_path("seeds", "000_b8c5f92c0bf04987.txt")
SEED_TEXT = SEED.read_text(encoding="utf-8")


def _rows(df, **where):
    for k, v in where.items():
        df = df[df[k] == v]
    return df




def _count_rows(text: str, *columns: str) -> set:
    """The (source, predicate, value_min, *columns) of the count claims in ``text``."""
    df = extract_claims(text, published="2024-03-04")
    counts = df[df["predicate"].isin(COUNT_PREDICATES)]
    for row in counts.itertuples():
        assert text[row.start:row.end] == row.value_text
    return set(zip(counts["source"], counts["predicate"], counts["value_min"], *(counts[c] for c in columns)))


@pytest.fixture(scope="module")
def seed():
    return extract_claims(SEED_TEXT, published="2020-07-14", document="seed")


def test_seed_columns_and_offsets(seed):
    assert set(CLAIM_COLUMNS) <= set(seed.columns)
    assert {"cites", "source_type", "language"} <= set(seed.columns)
    for r in seed.itertuples():
        assert SEED_TEXT[r.start:r.end] == r.value_text
        assert r.value_text in r.evidence
    assert seed["claim_id"].is_unique


def test_seed_speakers_have_one_name_each(seed):
    sources = set(seed["source"])
    assert "Julian Röpcke" in sources
    assert "Russian Reconciliation Center for Syria" in sources
    assert "Levent Kemal" in sources
    assert not sources & {"Röpcke", "Center", "the Center", "leventkemaI"}
    raws = set(_rows(seed, source="Russian Reconciliation Center for Syria")["source_raw"])
    assert "the Center" in raws


def test_seed_counts(seed):
    r = _rows(seed, source="Julian Röpcke", predicate="wounded").iloc[0]
    assert r.subject == "russian soldiers" and r.value_text == "Several" and r.value_min >= 2
    r = _rows(seed, source="some sources", predicate="wounded").iloc[0]
    assert r.value_min == 3 and r.hedged and r.source_type == "anonymous"
    center = _rows(seed, source="Russian Reconciliation Center for Syria", predicate="wounded")
    assert set(center["subject"]) == {"russian servicemen", "turkish crew"}
    turkish = center[center["subject"] == "turkish crew"].iloc[0]
    assert turkish.value_min == 1 and turkish.value_max != turkish.value_max  # open-ended


def test_seed_event_time_type_and_turkish_tweet(seed):
    t = _rows(seed, predicate="event_time").iloc[0]
    assert t.value == "2020-07-14T05:50:00Z" and t.source == "Russian Reconciliation Center for Syria"
    kemal = _rows(seed, source="Levent Kemal")
    assert "car bomb" in set(kemal[kemal["predicate"] == "event_type"]["value"])
    assert "tr" in set(kemal["language"])
    turkish = kemal[(kemal["predicate"] == "event_type") & (kemal["language"] == "tr")].iloc[0]
    assert turkish.value == "car bomb" and "bombalı araç" in turkish.value_text
    assert "car bomb" in set(_rows(seed, source="Julian Röpcke", predicate="event_type")["value"])


def test_trailing_attribution_and_zero():
    text = ("Two people were killed and 14 injured in the blast on Monday, police said. "
            "A hospital official said no one else had died.")
    df = extract_claims(text, published="2024-05-06")
    killed = _rows(df, predicate="killed")
    assert set(zip(killed["source"], killed["value_min"])) == {("police", 2.0), ("hospital official", 0.0)}
    assert _rows(df, predicate="wounded").iloc[0].value == 14


def test_citing_and_quoting_chain():
    text = "State television reported that 7 miners were trapped, quoting a rescue official."
    r = _rows(extract_claims(text), predicate="missing").iloc[0]
    assert r.source == "State television" and r.cites == "rescue official" and r.subject == "miners"


def test_denial_sets_negated():
    text = "The ministry denied reports that 40 protesters had been arrested."
    r = _rows(extract_claims(text), predicate="detained").iloc[0]
    assert r.negated and r.source == "ministry"


def test_outlet_speaks_when_nobody_is_named():
    df = extract_claims("Three people were injured in a fire.", outlet="Wire")
    assert set(df["source"]) == {"Wire"}
    assert set(extract_claims("Three people were injured in a fire.")["source"]) == {"unattributed"}


def test_language_detection():
    assert detect_language("Üç Rus askeri hafif yaralandı ve bir araç hasar gördü.") == "tr"
    assert detect_language("Officials said the toll would rise.") == "en"


def test_empty_and_bad_text():
    assert len(extract_claims("")) == 0
    with pytest.raises(TypeError):
        extract_claims(None)


def test_read_articles_txt_and_jsonl(tmp_path):
    (tmp_path / "a.txt").write_text(" date 2020-07-14 Two soldiers were killed, the army said.", encoding="utf-8")
    feed = tmp_path / "b.jsonl"
    feed.write_text(json.dumps({"id": "x1", "text": "Five people died, police said.", "published": "2024-01-02",
                                "outlet": "Wire"}) + "\n\n", encoding="utf-8")
    docs = read_articles(tmp_path)
    assert [d["id"] for d in docs] == ["a.txt", "x1"]
    assert docs[0]["published"] == "2020-07-14"
    df = extract_documents(docs)
    assert set(df["document"]) == {"a.txt", "x1"}
    assert set(_rows(df, document="a.txt")["reported_at"]) == {"2020-07-14"}


@pytest.mark.parametrize("line, problem", [
    ("{not json", "invalid JSON"),
    ("[1, 2]", "expected a JSON object"),
    ('{"id": "a"}', "missing or empty 'text'"),
    ('{"text": "x", "published": "last week"}', "ISO 8601"),
])
def test_read_articles_bad_lines_name_file_and_line(tmp_path, line, problem):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"text": "ok"}) + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_articles(feed)
    assert err.value.line == 2 and err.value.file == str(feed) and problem in str(err.value)


def test_read_articles_missing_and_unsupported(tmp_path):
    with pytest.raises(InputError):
        read_articles(tmp_path / "nope.txt")
    (tmp_path / "x.csv").write_text("a,b\n")
    with pytest.raises(InputError):
        read_articles(tmp_path / "x.csv")


def test_quoted_as_saying_and_in_a_statement():
    text = ("State news agency Xinhua quoted a local official as saying 12 people were missing. "
            "In a statement, the ministry said 4 people had been arrested.")
    df = extract_claims(text)
    r = _rows(df, predicate="missing").iloc[0]
    assert r.source == "Xinhua" and r.cites == "local official"
    assert _rows(df, predicate="detained").iloc[0].source == "ministry"


def test_long_text_without_punctuation_is_linear():
    text = "at least 12 people were killed police said " * 5000
    df = extract_claims(text)
    assert len(df) >= 1 and (df["value_text"] == [text[s:e] for s, e in zip(df["start"], df["end"])]).all()


@pytest.mark.parametrize("text, expected", [
    ("Police spokesman John Doe said three people died. He said 12 others were injured.",
     {("John Doe", "killed", 3.0), ("John Doe", "wounded", 12.0)}),
    ("The ministry issued a statement on Monday. The statement said 40 people had been detained.",
     {("ministry", "detained", 40.0)}),
    ('"At least 20 bodies have been recovered," said Maria Lopez, a Red Cross spokeswoman.',
     {("Maria Lopez", "killed", 20.0)}),
    ("Two soldiers were killed and five wounded, according to a military statement.",
     {("military statement", "killed", 2.0), ("military statement", "wounded", 5.0)}),
    ("No casualties were reported, the fire department said.", {("fire department", "killed", 0.0)}),
    ("The explosion at 0630 GMT killed 4 workers, the company said.", {("company", "killed", 4.0)}),
    ("The death toll climbed to 212, the health ministry said, up from 180 a day earlier.",
     {("health ministry", "killed", 212.0)}),
    ("Rescuers pulled 8 survivors from the rubble, the agency reported.", {("agency", "rescued", 8.0)}),
    ("At least 121 people, most of them women, were crushed to death, officials said.",
     {("officials", "killed", 121.0)}),
    ("A man in his 70s was missing after a landslide, police said.", {("police", "missing", 1.0)}),
    ("Soldiers recovered 68 bodies and were searching for the remaining four, the army said.",
     {("army", "killed", 68.0), ("army", "missing", 4.0)}),
    ("Authorities urged millions of residents to evacuate, the agency said.", set()),
])
def test_attribution_and_count_patterns(text, expected):
    assert _count_rows(text) == expected


def test_pronoun_after_quote_goes_to_the_quoted_speaker():
    text = ('Administrator Sandis Tsaka said five bodies were recovered. "It could be much higher," '
            'Serhan Aktoprak, head of the IOM mission, was quoted as saying by the ABC. '
            'He said more than 1,000 people had been displaced.')
    df = extract_claims(text)
    assert _rows(df, predicate="displaced").iloc[0].source == "Serhan Aktoprak"


def test_unknown_bound_falls_back_to_the_number_and_claimed_lives():
    text = ("A further 13 were still buried, officials said. "
            "The collapse claimed at least 132 lives, police said.")
    df = extract_claims(text)
    missing = _rows(df, predicate="missing").iloc[0]
    assert missing.value == 13 and missing.value_text == "13"
    assert _rows(df, predicate="killed").iloc[0].value_min == 132


@pytest.mark.parametrize("text, source, predicate, low", [
    ("Eight people, including two police officers, were wounded in the blast, said Karim Rahimi, a police "
     "spokesman.", "Karim Rahimi", "wounded", 8.0),
    ("The UN humanitarian office (OCHA) said at least 2,300 people had been displaced.", "OCHA", "displaced", 2300.0),
    ("Nearly two dozen people were injured, a hospital official told AP.", "hospital official", "wounded", 21.0),
    ("Civil defence volunteers, known as the White Helmets, put the death toll at 27.",
     "Civil defence volunteers", "killed", 27.0),
    ("An estimated 15,000 people joined the march, organisers said.", "organisers", "participants", 13500.0),
    ("Five police officers were among the dead, the ministry said.", "ministry", "killed", 5.0),
    ("Officials fear the toll could rise, with 60 people unaccounted for.", "Officials", "missing", 60.0),
    ("Separately, a 12-year-old girl was killed by a stray bullet, her family said.", "her family", "killed", 1.0),
    ("Authorities said 1,200 people were moved to shelters.", "Authorities", "displaced", 1200.0),
])
def test_more_speaker_forms(text, source, predicate, low):
    df = extract_claims(text)
    rows = df[df["predicate"] == predicate]
    assert list(zip(rows["source"], rows["value_min"])) == [(source, low)]


def test_quote_in_another_language_inside_an_english_sentence():
    text = ("The health director, Carlos Quispe, told RPP radio on Wednesday, in a long interview about the "
            'crash and the rescue, that "murieron 29 personas y hay 18 heridos en el hospital".')
    df = extract_claims(text, published="2024-03-04")
    got = df[df["predicate"].isin(["killed", "wounded"])]
    assert set(zip(got["source"], got["predicate"], got["value"], got["language"])) == {
        ("Carlos Quispe", "killed", 29, "es"), ("Carlos Quispe", "wounded", 18, "es")}


@pytest.mark.parametrize("text, expected", [
    # a denial that anyone was hurt puts the count at zero (a claim of its own, not a negated one)
    ("The ministry denied that anyone was killed in the raid.", {("ministry", "killed", 0.0, "people", False)}),
    ("The army said 20 militants were killed. The group denied reports that any of its fighters had died.",
     {("army", "killed", 20.0, "militants", False), ("group", "killed", 0.0, "fighters", False)}),
    # the noun a predicate adjective qualifies is the subject
    ("Doctors said 14 wounded protesters were brought to the clinic.",
     {("Doctors", "wounded", 14.0, "protesters", False)}),
    # a count without a noun right after one with a noun shares it
    ("Twelve miners were killed and four hurt, the company said.",
     {("company", "killed", 12.0, "miners", False), ("company", "wounded", 4.0, "miners", False)}),
    # a count inside another count's phrase is not a count of the predicate
    ("Some 300 families from three villages were evacuated, officials said.",
     {("officials", "evacuated", 270.0, "families", False)}),
    # a background rate is not a count of this event
    ("Traffic accidents kill about 1,500 people in the country each year, the report said.", set()),
    ("Hundreds of thousands of worshippers gathered, the ministry said.",
     {("ministry", "participants", 200000.0, "worshippers", False)}),
])
def test_zero_by_denial_subjects_and_background_rates(text, expected):
    assert _count_rows(text, "subject", "negated") == expected


@pytest.mark.parametrize("text, published, expected", [
    # the day written after the GMT time is that time's own day
    ("The blast occurred at 9:10 p.m. local time on Tuesday (0210 GMT on Wednesday), the agency said.",
     "2024-03-15", "2024-03-13T02:10:00Z"),
    # a time with no day of its own takes the day the story gave earlier, even without an event word
    ("Three workers died after gas leaked at a plant on Thursday night, an official said. "
     "The leak began at 10:20 p.m. local time (1650 GMT), the collector said.", "2024-04-26", "2024-04-25T16:50:00Z"),
    # a weekday looks back from the publication day
    ("The earthquake struck at 4:17 a.m. (0117 GMT) on Monday, the agency said.", "2024-04-26",
     "2024-04-22T01:17:00Z"),
])
def test_event_time_takes_the_right_day(text, published, expected):
    times = _rows(extract_claims(text, published=published), predicate="event_time")
    assert times["value"].tolist() == [expected]


@pytest.mark.parametrize("text, expected", [
    # a speaker who cites someone is still the speaker
    ("The mayor, citing initial reports from rescuers, said at least six people were missing.",
     {("mayor", "missing", 6.0, "people")}),
    # a hospital treating people counts the wounded
    ("A clinic in the capital said it was treating 31 people for burns.", {("clinic in the capital", "wounded", 31.0, "people")}),
    # "the number of X killed at N" puts a count of X
    ("The governor gave a lower figure, putting the number of miners killed at 7.",
     {("governor", "killed", 7.0, "miners")}),
    # a passive attribution names the speaker a later pronoun stands for
    ("The toll was disputed by a representative of the drivers' union. Speaking on condition of anonymity, "
     "he said four drivers had not been accounted for.",
     {("representative of the drivers' union", "missing", 4.0, "drivers")}),
])
def test_citing_treating_number_of_and_passive_speakers(text, expected):
    assert _count_rows(text, "subject") == expected


def test_the_dateline_date_is_not_the_event_date():
    text = ("LIMA, March 13 (Wire) - A bus crashed late on Monday, killing 12 people, police said. "
            "The crash happened at 11:40 p.m. (0440 GMT), police said.")
    df = extract_claims(text, published="2024-03-13")
    # 11:40 p.m. on Monday in Lima is 04:40 GMT on Tuesday
    assert _rows(df, predicate="event_time")["value"].tolist() == ["2024-03-12T04:40:00Z"]


@pytest.mark.parametrize("text, expected", [
    # everyone accounted for: no one is missing
    ("The airline said all passengers on the flight had been accounted for.", {("airline", "missing", 0.0)}),
    # reports from someone are that someone's
    ("Early reports from the coast guard said at least three fishermen had drowned.", {("coast guard", "killed", 3.0)}),
    # an adverb and a relative clause between the speaker and the verb
    ("The army, which sent two helicopters, later put the death toll at nine.", {("army", "killed", 9.0)}),
    # a toll phrase with commas inside, and missing people who have not been found or come back
    ("The death toll in Sunday's flood at Kuta, a village near the coast, rose to 15, the governor said.",
     {("governor", "killed", 15.0)}),
    ("The harbour master said 11 fishermen had not come back and two divers had not yet been found.",
     {("harbour master", "missing", 11.0), ("harbour master", "missing", 2.0)}),
    ("The company denied that any of its drivers were among the injured.", {("company", "wounded", 0.0)}),
    ("Officials said more than 500 residents living near the river had been evacuated.",
     {("Officials", "evacuated", 501.0)}),
    ("Organisers said nearly 20,000 people were inside the stadium.", {("Organisers", "participants", 18000.0)}),
])
def test_accounted_for_reports_from_and_more_count_forms(text, expected):
    assert _count_rows(text) == expected


def test_live_blog_headings_a_speakers_place_and_another_years_toll():
    text = ("Update 17:10: Police say at least eight people have died in a crush at the stadium.\n\n"
            "Update 18:00: The district hospital in Zomba said it was treating 20 people.\n\n"
            "The stadium was rebuilt after a 2009 crush that killed 19 fans.")
    df = extract_claims(text, published="2024-10-19")
    assert _rows(df, predicate="event_time").empty  # a heading's clock is not the event's
    wounded = _rows(df, predicate="wounded").iloc[0]
    assert wounded.subject == "people" and wounded.event == df.iloc[0].event  # Zomba names the hospital
    older = _rows(df, predicate="killed", value_min=19.0).iloc[0]
    assert older.event != _rows(df, predicate="killed", value_min=8.0).iloc[0].event


def test_a_reduced_relative_clause_inside_the_subject():
    assert _count_rows("Police said seven men suspected of smuggling fuel to the rebels had been arrested.") == {
        ("Police", "detained", 7.0)}


@pytest.mark.parametrize("text, expected", [
    # two counts joined by "and" share the verb
    ("Two soldiers and three civilians were killed, the army said.",
     {("army", "killed", 2.0, "soldiers"), ("army", "killed", 3.0, "civilians")}),
    # "X disagreed, saying ...": the subject speaks, and "It" later is X
    ("The relief agency disagreed, saying four fishermen were still missing. It said 30 people had been injured.",
     {("relief agency", "missing", 4.0, "fishermen"), ("relief agency", "wounded", 30.0, "people")}),
    ("About 2,000 people took part in the march, the organisers said.",
     {("organisers", "participants", 1800.0, "people")}),
    ("Doctors said 45 patients had been admitted overnight.", {("Doctors", "wounded", 45.0, "people")}),
])
def test_coordinated_counts_subjects_saying_and_more_forms(text, expected):
    assert _count_rows(text, "subject") == expected


def test_a_separate_incident_is_another_event_at_its_place():
    text = ("A gas explosion killed six people in Yaroslavl, the ministry said. In a separate incident, "
            "a gas cylinder exploded in a cafe in Kazan, killing one person, Tatarstan's health ministry said.")
    df = _rows(extract_claims(text, published="2025-10-04"), predicate="killed")
    assert df["subject"].tolist() == ["people", "people in kazan"]
    assert df["event"].nunique() == 2


@pytest.mark.parametrize("text, expected", [
    ("The sheriff put the toll higher, telling a local station that nine people had died.",
     {("sheriff", "killed", 9.0)}),
    ("The governor declared an emergency and said in a post on X that about 400 people had been forced from "
     "their homes.", {("governor", "displaced", 360.0)}),
])
def test_the_subject_speaks_through_telling_and_and_said(text, expected):
    assert _count_rows(text) == expected


def test_another_day_or_the_second_incident_is_another_event():
    text = ("An explosion at a fireworks warehouse in Tultepec killed at least 11 people on Tuesday, officials said. "
            "On Sunday, a fire at a market in Celaya killed four people, the civil protection agency said. "
            "A Red Cross official said six people had died in Celaya. "
            "In the second incident, near Olsztyn, 11 passengers were injured, police said.")
    df = extract_claims(text, published="2024-12-17")
    counts = df[df["predicate"].isin(COUNT_PREDICATES)]
    assert counts["subject"].tolist() == ["people", "people in celaya", "people in celaya", "people in olsztyn"]
    assert counts["event"].nunique() == 3
    # the other incident's type and place are its own, not the main event's
    main = counts["event"].iloc[0]
    assert _rows(df, predicate="location", event=main)["value"].tolist() == ["tultepec"]
    assert _rows(df, predicate="event_type", event=main)["value"].tolist() == ["explosion"]


@pytest.mark.parametrize("text, expected", [
    ("The number of pilgrims who have died from heatstroke during the pilgrimage has risen to 31, the "
     "ministry said.", {("ministry", "killed", 31.0)}),
    ("The foreign ministry confirmed the deaths of two citizens.", {("foreign ministry", "killed", 2.0)}),
])
def test_longer_toll_phrases_and_the_deaths_of(text, expected):
    assert _count_rows(text) == expected
