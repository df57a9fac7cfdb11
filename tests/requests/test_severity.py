"""The severity of health wishes, read from the guest's words, and those words kept together."""

from __future__ import annotations

import pytest

from requests.severity import CRITICAL, NORMAL, read_severity
from requests.wish_parser import parse_wishes


@pytest.mark.parametrize(
    "text",
    [
        # English
        "Severe nut allergy",
        "anaphylactic to peanuts",
        "she carries an EpiPen",
        "coeliac",
        "celiac disease",
        "life-threatening shellfish allergy",
        "wheelchair user",
        "he cannot walk",
        # French
        "Allergie sévère aux arachides",
        "allergie grave",
        "choc anaphylactique possible",
        "maladie cœliaque",
        "allergie mortelle aux noix",
        # German
        "Schwere Nussallergie",
        "anaphylaktische Reaktion",
        "Zöliakie",
        "lebensbedrohliche Allergie",
        "Rollstuhlfahrer",
        # Spanish
        "Alergia grave a los frutos secos",
        "reacción anafiláctica",
        "soy celíaca",
        "alergia mortal",
        "silla de ruedas",
        # Italian
        "Allergia grave alle noci",
        "shock anafilattico",
        "sono celiaco",
        "allergia mortale",
        "sedia a rotelle",
        # strong words and the injector's other brands
        "highly allergic to sesame",
        "risk of death",
        "Jext pen",
        "très allergique aux noix",
        "risque vital",
        "extrem allergisch gegen Nüsse",
        "allergischer Schock",
        "fuerte alergia al marisco",
        "gravemente allergico ai crostacei",
        "rischio di morte",
        # traces are strict care even in a denial
        "no traces of nuts at all",
        "keine Spuren von Nüssen",
    ],
)
def test_the_guests_words_make_a_health_wish_critical(text):
    assert read_severity(text).level == CRITICAL


@pytest.mark.parametrize(
    "text",
    [
        "nut allergy",
        "lactose intolerant",
        "mild lactose intolerance, not severe",
        "slight allergy to feathers",
        "allergie légère au lactose",
        "ce n'est pas grave",
        "pas très grave",
        "leichte Laktoseintoleranz",
        "nicht lebensbedrohlich",
        "intolerancia leve a la lactosa, no es grave",
        "intolleranza lieve, non è grave",
        "allergic to nuts (not life-threatening)",
        "nut allergy, no EpiPen needed",
        "allergie aux fruits à coque, ce n'est pas mortel",
        "Laktoseintoleranz, nicht schlimm",
        "gluten intolerant",
        "",
    ],
)
def test_mild_or_denied_words_leave_a_health_wish_normal(text):
    assert read_severity(text).level == NORMAL


def test_the_cues_say_which_words_decided():
    assert read_severity("Severe allergy, carries an EpiPen").cues == ("severe", "epipen")


EXAMPLES = [
    ("Severe nut allergy, please inform the restaurant", "food_allergy",
     "Severe nut allergy, please inform the restaurant"),
    ("Allergie sévère aux arachides, merci de prévenir la cuisine", "food_allergy",
     "Allergie sévère aux arachides, merci de prévenir la cuisine"),
    ("Schwere Nussallergie, bitte Küche informieren", "food_allergy",
     "Schwere Nussallergie, bitte Küche informieren"),
    ("Alergia grave a los frutos secos, por favor informen al restaurante", "food_allergy",
     "Alergia grave a los frutos secos, por favor informen al restaurante"),
    ("Allergia grave alle noci, avvisate la cucina per favore", "food_allergy",
     "Allergia grave alle noci, avvisate la cucina"),
    ("Peanut allergy. I always carry an EpiPen.", "food_allergy",
     "Peanut allergy. I always carry an EpiPen"),
    ("Wheelchair user, cannot walk far", "accessible_room", "Wheelchair user, cannot walk far"),
]


@pytest.mark.parametrize(("text", "code", "quoted"), EXAMPLES)
def test_a_critical_health_wish_keeps_all_its_words_and_leaves_nothing_over(text, code, quoted):
    result = parse_wishes(text)
    [wish] = result.requests
    assert (wish.code, wish.text, wish.severity) == (code, quoted, CRITICAL)
    assert (result.unmatched, result.needs_triage) == ("", False)


def test_the_kitchen_is_not_a_cake():
    """'Küche' was repaired into 'Kuchen' and became a welcome amenity."""
    codes = {w.code for w in parse_wishes("Nussallergie, bitte Küche informieren").requests}
    assert codes == {"food_allergy"}


def test_words_about_the_allergy_further_in_the_sentence_are_quoted_after_an_ellipsis():
    result = parse_wishes("Nut allergy, baby cot, please inform the kitchen")
    by_code = {w.code: w.text for w in result.requests}
    assert by_code == {"food_allergy": "Nut allergy … inform the kitchen", "baby_cot": "baby cot"}
    assert result.unmatched == ""


def test_something_else_asked_for_after_an_allergy_still_goes_to_triage():
    result = parse_wishes("nut allergy and a yoga mat please")
    assert [(w.code, w.text) for w in result.requests] == [("food_allergy", "nut allergy")]
    assert (result.unmatched, result.needs_triage) == ("yoga mat", True)


def test_another_wish_in_the_clause_keeps_its_own_words():
    """The allergy takes the words up to the cot: who has it is part of it."""
    result = parse_wishes("Baby cot for our son who has a severe nut allergy")
    by_code = {w.code: (w.text, w.severity) for w in result.requests}
    assert by_code == {
        "baby_cot": ("Baby cot", NORMAL),
        "food_allergy": ("for our son who has a severe nut allergy", CRITICAL),
    }


def test_the_demo_guests_health_wishes_are_read_whole():
    result = parse_wishes(
        "Ich bin Rollstuhlfahrerin, bitte ein barrierefreies Zimmer. Allergie gegen Federn - "
        "bitte keine Daunenkissen."
    )
    by_code = {w.code: (w.text, w.severity) for w in result.requests}
    assert by_code == {
        "accessible_room": ("Ich bin Rollstuhlfahrerin, bitte ein barrierefreies Zimmer", CRITICAL),
        "feather_free": ("Allergie gegen Federn - bitte keine Daunenkissen", NORMAL),
    }
    assert result.unmatched == ""


def test_a_mild_allergy_is_one_wish_of_normal_severity():
    [wish] = parse_wishes("mild lactose intolerance, not severe").requests
    assert (wish.text, wish.severity) == ("mild lactose intolerance, not severe", NORMAL)


def test_a_wish_that_is_not_about_health_is_never_critical():
    """'grave' and 'severe' only weigh on allergies, medical and mobility wishes."""
    [wish] = parse_wishes("Baby cot please, it is a grave matter").requests
    assert wish.severity == NORMAL


def test_the_command_line_shows_the_severity():
    assert parse_wishes("Severe nut allergy").as_json()["requests"][0]["severity"] == CRITICAL


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("Peanut allergy. Very severe. Please tell the chef.",
         "Peanut allergy. Very severe. Please tell the chef"),
        ("Attention : allergie grave aux crustacés ! Merci de prévenir le chef.",
         "Attention : allergie grave aux crustacés ! Merci de prévenir le chef"),
        ("Our son (8) is anaphylactic to sesame and carries an EpiPen; please make sure the "
         "breakfast team knows.",
         "Our son (8) is anaphylactic to sesame and carries an EpiPen; please make sure the "
         "breakfast team knows"),
        ("Tengo alergia a los frutos secos, es grave. Llegaremos tarde, sobre las 23h.",
         "Tengo alergia a los frutos secos, es grave"),
        ("Rollstuhl! Bitte Zimmer ohne Stufen, Aufzug in der Nähe.",
         "Rollstuhl! Bitte Zimmer ohne Stufen, Aufzug in der Nähe"),
    ],
)
def test_the_sentences_about_a_critical_wish_stay_with_it(text, quoted):
    result = parse_wishes(text)
    [wish] = [w for w in result.requests if w.severity == CRITICAL]
    assert wish.text == quoted
    assert result.unmatched == ""


def test_a_bracket_the_quote_opened_is_closed():
    [wish, _] = parse_wishes("Pas de plumes svp (allergie), et un lit bébé").requests
    assert (wish.code, wish.text) == ("feather_free", "Pas de plumes svp (allergie)")
