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
