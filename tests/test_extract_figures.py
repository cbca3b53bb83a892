"""Figures of real copy, as general rules: people written without a numeral, the new count
predicates, large number words, bodies, words that are not quantities. Sentences are our own."""

import pytest

from reconcile.extract import extract_claims


def counts(text):
    df = extract_claims(text, published="2024-03-05", outlet="Gazette")
    df = df[df.value_kind == "count"]
    return sorted((r.subject, r.predicate, r.value) for r in df.itertuples())


@pytest.mark.parametrize("text, expected", [
    ("A man was shot and killed late Friday outside a bakery in Elmford.", [("man", "killed", 1)]),
    ("A 19-year-old boy died after the shooting, police said.", [("boy", "killed", 1)]),
    ("A woman was wounded in the exchange of fire.", [("woman", "wounded", 1)]),
    ("The victim was pronounced dead at the scene.", [("victim", "killed", 1)]),
    ("Two masked men opened fire on the porch, killing a teenager.", [("teenager", "killed", 1)]),
    ("He was taken to a hospital with gunshot wounds.", [("victim", "wounded", 1)]),
    ("A clerk was shot in the shoulder during the robbery.", [("clerk", "wounded", 1)]),
    ("A 34-year-old was shot and killed near the bus depot.", [("people", "killed", 1)]),
    ("Dana Whitfield, a 52-year-old Latina nurse, died Sunday after being shot in Ridgeview.",
     [("nurse", "killed", 1)]),
])
def test_one_person_without_a_numeral(text, expected):
    assert counts(text) == expected


def test_two_people_joined_by_and_share_the_verb():
    assert counts("A man and a woman were shot and wounded on Pine Street.") == [("people", "wounded", 2)]
    assert counts("A guard, a driver and a student were killed.") == [("people", "killed", 3)]


def test_an_apposition_is_one_person_not_two():
    assert counts("A baker, a father of three, was killed on Monday.") == []


def test_a_denied_injury_is_zero_but_not_seriously_hurt_is_hurt():
    assert counts("Fortunately, the trooper was not injured.") == [("trooper", "wounded", 0)]
    assert counts("Neither deputy was hurt.") == [("deputy", "wounded", 0)]
    assert counts("She was not seriously injured.") == [("victim", "wounded", 1)]


def test_the_same_victim_mentioned_again_does_not_add_up():
    text = ("Officers found a 41-year-old man with a gunshot wound to the chest on Elm Road. "
            "He was taken to Mercy Hospital, where he later died.")
    assert counts(text) == [("victim", "killed", 1)]
    text = "Police said a cashier was killed. Investigators said the cashier was shot in the back."
    assert counts(text) == [("cashier", "killed", 1)]


def test_different_people_keep_their_own_outcomes():
    text = "A man was killed and a woman was wounded when shots rang out in Dunmore."
    assert counts(text) == [("man", "killed", 1), ("woman", "wounded", 1)]


def test_a_hospital_death_is_killed_not_wounded():
    assert counts("Four people died in hospital on Thursday.") == [("people", "killed", 4)]
    assert counts("The man was taken to a hospital, where he was pronounced dead.") == [("victim", "killed", 1)]


def test_a_condition_qualifies_people_already_counted():
    found = counts("Nine patients were being treated, three of them in critical condition.")
    assert ("people", "wounded", 3) not in found


def test_a_pronoun_counts_only_where_it_opens_a_clause():
    assert counts("He admitted to killing his neighbour, the sheriff said.") == [("neighbour", "killed", 1)]
    assert counts("A woman who lives on the corner told reporters she heard shots.") == []


@pytest.mark.parametrize("text, expected", [
    ("Nine villagers were wounded and four others abducted, the chief said.",
     [("people", "kidnapped", 4), ("villagers", "wounded", 9)]),
    ("Bandits kidnapped 23 passengers on the highway.", [("people", "kidnapped", 23)]),
    ("Eleven tourists were taken hostage at the lodge.", [("tourists", "kidnapped", 11)]),
    ("Divers said 64 passengers were rescued from the ferry.", [("people", "rescued", 64)]),
    ("Crews pulled 7 workers out alive.", [("workers", "rescued", 7)]),
    ("At least 30 survivors were brought ashore.", [("people", "rescued", ">=30")]),
    ("Some 4,000 residents were moved to safety.", [("people", "evacuated", 4000)]),
    ("About 20,000 people remained under evacuation orders.", [("people", "evacuated", 20000)]),
    ("Officials said 700 households were evacuated.", [("households", "evacuated", 700)]),
    ("About 300 families were left homeless.", [("families", "displaced", 300)]),
])
def test_kidnapped_rescued_evacuated(text, expected):
    assert counts(text) == expected


def test_survivors_are_never_read_as_killed():
    found = counts("Rescuers found 12 survivors in the wreckage.")
    assert found == [("people", "rescued", 12)]


@pytest.mark.parametrize("text, expected", [
    ("Fourteen miners are still missing.", [("miners", "missing", 14)]),
    ("At least 19 people remain unaccounted for.", [("people", "missing", ">=19")]),
    ("Dozens of residents are feared buried.", [("people", "missing", "24-199")]),
    ("Six workers were trapped under the rubble.", [("workers", "missing", 6)]),
    ("Up to 40 people could still be under the rubble.", [("people", "missing", "<=40")]),
])
def test_missing_in_every_phrasing(text, expected):
    assert counts(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Half a million people fled the fighting.", [("people", "displaced", 500000)]),
    ("A quarter of a million residents were evacuated.", [("people", "evacuated", 250000)]),
    ("Some 1.5 million people were displaced.", [("people", "displaced", 1500000)]),
    ("Two dozen people were injured.", [("people", "wounded", 24)]),
])
def test_large_number_words(text, expected):
    assert counts(text) == expected


def test_bodies_are_an_exact_count_of_the_dead():
    assert counts("Police said 17 bodies were recovered from the river.") == [("people", "killed", 17)]
    assert counts("The bodies of 9 climbers were found on the ridge.") == [("climbers", "killed", 9)]


@pytest.mark.parametrize("text", [
    "It was not clear how many people were injured.",
    "Many people were killed in the fighting, residents said.",
    "The many people who died were remembered on Sunday.",
])
def test_words_that_are_not_quantities_are_not_counts(text):
    assert counts(text) == []


def test_one_person_shot_is_wounded_but_a_shooter_is_not():
    assert counts("Police said a cyclist was shot twice near the depot.") == [("cyclist", "wounded", 1)]
    assert counts("A man shot the clerk during the robbery.") == []
    assert counts("Nine people were shot at the party.") == []  # hit by gunfire: the dead among them too


def test_one_person_of_a_counted_group_is_a_part_not_a_toll():
    text = "Two men were wounded in the shooting. Police said a man was shot in the leg."
    assert counts(text) == [("men", "wounded", 2)]


@pytest.mark.parametrize("text", [
    "He is charged in the death of 47-year-old Ray Dunn.",
    "Children under the age of 10 were killed in such accidents.",
])
def test_ages_are_not_counts(text):
    assert counts(text) == []


def test_a_shooter_shot_is_not_a_victim_but_an_arrest_counts():
    assert counts("The gunman was shot dead by deputies.") == []
    assert counts("Officers arrested a suspect on Friday.") == [("suspect", "detained", 1)]


def test_the_body_of_one_person_is_one_dead():
    assert counts("A jogger found the body of a woman with a gunshot wound near the canal.") == [("woman", "killed", 1)]


def test_wounds_and_possessives_are_not_people():
    assert counts("She suffered three gunshot wounds.") == []  # three wounds, not three people
    assert counts("He was charged with injuring a neighbor's son.") == [("son", "wounded", 1)]


@pytest.mark.parametrize("text, expected", [
    ("Police named the man as Ike Okafor. Okafor was pronounced dead at the scene.", [("victim", "killed", 1)]),
    ("Deputies said 38-year-old Dana Pruitt was shot and killed outside her home.", [("victim", "killed", 1)]),
    ("The victim was Lee Brennan. Brennan, 27, died at a hospital.", [("victim", "killed", 1)]),
    ("Lindqvist was not hurt.", []),
    ("Police were called to the scene.", []),
])
def test_a_named_person(text, expected):
    assert counts(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("He said he killed people like that.", []),  # the killer, in the active voice
    ("The cashier shot a robber.", []),
    ("Police identified him as Ray Fenwick. Fenwick died Jan. 3.", [("victim", "killed", 1)]),  # a date is no object
    ("The victim was taken to a hospital where he died the next day.", [("victim", "killed", 1)]),
    ("A woman killed in Monday's crash was identified.", [("woman", "killed", 1)]),
])
def test_the_active_voice_names_a_killer_not_a_victim(text, expected):
    assert counts(text) == expected


def test_more_ways_to_write_one_wounded_person():
    assert counts("The injured man was driven to a clinic.") == [("man", "wounded", 1)]
    assert counts("He was transported to the hospital and listed in stable condition.") == [("victim", "wounded", 1)]
    assert counts("Police said a woman, who was later identified as Ann Roe, was shot and killed.") == \
        [("woman", "killed", 1)]
    assert counts("He survived, relatives said.") == []  # a shooting victim who lived is not "rescued"


def test_both_is_two():
    assert counts("Both were pronounced dead at the scene.") == [("people", "killed", 2)]


def test_trapped_lifted_out_and_burns():
    assert counts("A gas blast trapped 31 workers underground, the agency said.") == [("workers", "missing", 31)]
    assert counts("Nine other workers were lifted out of the shaft, one of whom suffered burns.") == \
        [("other workers", "rescued", 9), ("people", "wounded", 1)]


def test_taken_to_a_named_hospital():
    assert counts("The 31-year-old victim went to Lakeside Hospital on his own.") == [("victim", "wounded", 1)]
    assert counts("Two men were taken by ambulance to St. Anne Medical Center.") == [("men", "wounded", 2)]
    assert counts("Detectives went to the hospital to interview him.") == []


def test_a_later_death_settles_only_the_wounded_before_it():
    text = "The teenage boy was shot and killed. He died a short time later. The shooting left another teen critically wounded."
    assert ("teen", "wounded", 1) in counts(text)


def test_a_headline_name_before_a_plural_noun_is_not_a_person():
    assert counts("Covering Celebrity Gun Deaths: the stories behind them") == []


def test_a_person_and_a_predicate_at_the_very_end_of_the_text():
    """Found by fuzzing: nothing after the predicate is no object (it raised IndexError)."""
    assert counts("Police said Mr Dunne was killed") == [("victim", "killed", 1)]
    assert counts("A man was shot and killed") == [("man", "killed", 1)]
