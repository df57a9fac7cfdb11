"""The wish parser, one hotel situation per test."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
from types import MappingProxyType
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from requests import wish_parser
from requests.catalogue_defaults import (
    DEFAULT_CATALOGUE,
    DEPARTMENTS,
    TIMINGS,
    WISH_LANGUAGES,
    CatalogueEntry,
)
from requests.wish_parser import ParseResult, parse_wishes


def codes(text: str, **kwargs) -> set[str]:
    return {w.code for w in parse_wishes(text, **kwargs).requests}


def wish(text: str, code: str):
    found = [w for w in parse_wishes(text).requests if w.code == code]
    assert found, f"{code} not found in {text!r}"
    return found[0]


# -- the catalogue as data ------------------------------------------------------------------


def test_default_catalogue_entries_are_complete_and_consistent():
    seen = set()
    for entry in DEFAULT_CATALOGUE:
        assert entry.code not in seen
        seen.add(entry.code)
        assert entry.department in DEPARTMENTS
        assert entry.timing in TIMINGS
        assert set(entry.keywords) == set(WISH_LANGUAGES), entry.code
        assert all(entry.keywords[lang] for lang in WISH_LANGUAGES), entry.code
        assert entry.lead_minutes >= 0
        assert entry.lead_minutes == 0 or entry.timing == "before_arrival"


def test_health_wishes_are_the_sensitive_ones():
    sensitive = {e.code for e in DEFAULT_CATALOGUE if e.sensitive}
    assert sensitive == {"feather_free", "food_allergy", "other_allergy", "accessible_room"}


def test_room_constraints_are_flagged():
    constraining = {e.code for e in DEFAULT_CATALOGUE if e.constrains_room}
    assert constraining == {
        "twin_beds",
        "accessible_room",
        "connecting_rooms",
        "quiet_room",
        "high_floor",
        "low_floor",
        "view",
        "bathtub",
    }


def test_cot_is_a_housekeeping_task_two_hours_before_arrival_with_a_checklist_item():
    cot = next(e for e in DEFAULT_CATALOGUE if e.code == "baby_cot")
    assert (cot.label_fr, cot.department, cot.timing, cot.lead_minutes) == (
        "Lit bébé",
        "housekeeping",
        "before_arrival",
        120,
    )
    assert [item.key for item in cot.readiness_items] == ["cot_installed"]


# -- reading wishes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Lit bébé svp",
        "Baby cot please",
        "Babybett bitte",
        "Cuna por favor",
        "Culla per favore",
        "lit BB merci",
    ],
)
def test_cot_is_understood_in_every_language(text):
    assert codes(text) == {"baby_cot"}


@pytest.mark.parametrize(
    "text",
    [
        "Pas besoin de lit bébé, nous avons le nôtre.",
        "Kein Babybett nötig",
        "No baby cot needed, thanks",
        "No necesitamos cuna",
        "Non serve la culla",
        "Abbiamo la nostra culla, non serve",
        "Baby cot not required anymore",
        "Wir bringen unser eigenes Reisebett mit",
        "Please cancel the baby cot",
    ],
)
def test_negated_cot_is_not_requested(text):
    result = parse_wishes(text)
    assert "baby_cot" not in {w.code for w in result.requests}
    assert not result.needs_triage


def test_no_parking_needed_is_not_a_parking_request():
    assert codes("No parking needed, we're coming by train.") == set()


def test_negation_stops_at_but():
    assert codes("pas de lit bébé mais une place de parking") == {"parking"}


def test_negation_stops_at_a_comma():
    assert codes("No cot, extra bed please") == {"extra_bed"}


def test_a_reminder_is_not_a_refusal():
    assert codes("N'oubliez pas le lit bébé svp") == {"baby_cot"}


def test_a_condition_is_not_a_refusal():
    assert codes("Si pas possible, un lit d'appoint") == {"extra_bed"}


def test_rather_than_refuses_only_what_follows():
    result = codes("Un grand lit plutôt que deux lits simples svp")
    assert result == {"double_bed"}


@pytest.mark.parametrize(
    "text",
    [
        "Lit double ou deux lits, peu importe.",
        "Twin or double, doesn't matter",
        "Doppelbett oder zwei Einzelbetten, ist uns egal",
        "Cama doble o dos camas, nos da igual",
        "Letto matrimoniale o due letti singoli, non importa",
    ],
)
def test_indifference_between_double_and_twin_requests_neither(text):
    assert codes(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "We don't mind a high floor",
        "Doppelbett ist uns egal",
        "Vista mare, non importa",
        "Vue sur mer : peu importe",
    ],
)
def test_indifference_without_alternatives_is_no_request(text):
    assert codes(text) == set()


def test_double_or_twin_without_a_preference_word_is_still_no_promise():
    assert codes("King or twin") == set()


def test_two_cots_have_quantity_two():
    assert wish("2 lits bébé SVP (jumeaux de 8 mois)", "baby_cot").quantity == 2
    assert wish("deux lits bébé", "baby_cot").quantity == 2
    assert wish("Lit bébé x2", "baby_cot").quantity == 2
    assert wish("Zusätzliche Kissen bitte, 2 Stück", "extra_pillows").quantity == 2


def test_two_cots_is_not_a_twin_room():
    assert codes("2 lits bébé") == {"baby_cot"}


def test_an_ordinal_is_not_a_quantity():
    assert wish("our 50th birthday", "celebration").quantity is None


def test_each_code_appears_once_with_the_larger_quantity():
    result = parse_wishes("1 lit bébé, et finalement 2 lits bébé")
    assert [(w.code, w.quantity) for w in result.requests] == [("baby_cot", 2)]


def test_matched_text_quotes_the_guest_not_the_normalised_form():
    assert wish("Bonjour, LIT BÉBÉ svp", "baby_cot").text == "LIT BÉBÉ"
    assert wish("Bitte ein ruhiges Zimmer, nicht zur Straße", "quiet_room").text == "ruhiges"


def test_wake_up_call_carries_its_time():
    assert wish("Wake-up call at 6:30 please", "wake_up_call").time == "06:30"
    assert wish("Réveil à 6h30 le 12 svp", "wake_up_call").time == "06:30"
    assert wish("Potete svegliarci alle 5?", "wake_up_call").time == "05:00"


@pytest.mark.parametrize(
    ("text", "eta"),
    [
        ("Nous arriverons vers 23h", "23:00"),
        ("ETA around 9.30pm", "21:30"),
        ("Anreise gegen 18 Uhr", "18:00"),
        ("Llegamos tarde, a las 11 de la noche", "23:00"),
        ("Arriveremo verso le 23", "23:00"),
        ("Approximate time of arrival: between 22:00 and 23:00", "22:00"),
        ("Arrivée prévue entre 17h et 18h", "17:00"),
        ("Arrival between 9 and 10pm", "21:00"),
        ("ETA 22-23h", "22:00"),
        ("llegamos entre las 10 y las 11 de la noche", "22:00"),
        ("Ankunft am 14.07. gegen 18 Uhr", "18:00"),
        ("Arriveremo tardi, verso l'una di notte", "01:00"),
        ("We arrive around 2", "14:00"),
        ("arriving late, around 11", "23:00"),
        ("Lit bébé svp", None),
    ],
)
def test_arrival_time_is_read_in_every_language(text, eta):
    assert parse_wishes(text).eta == eta


@pytest.mark.parametrize(
    "text",
    ["Nous arriverons vers 23h", "arriving 1am", "Wir kommen um Mitternacht an", "ETA 21:00"],
)
def test_arrival_from_21_or_after_midnight_is_a_late_arrival(text):
    assert "late_arrival" in codes(text)


def test_arrival_at_eight_in_the_evening_is_not_late():
    assert codes("Arrival around 20:00") == set()


def test_late_arrival_carries_the_eta():
    assert wish("ETA 23:30, king size bed please", "late_arrival").time == "23:30"


def test_a_flight_time_is_the_transfer_time_not_the_eta():
    result = parse_wishes("Please arrange an airport pick-up, flight BA304 arriving 14:35")
    assert result.eta is None
    assert (
        wish(
            "Please arrange an airport pick-up, flight BA304 arriving 14:35", "airport_transfer"
        ).time
        == "14:35"
    )


def test_a_restaurant_time_is_not_the_eta():
    result = parse_wishes("Pourriez-vous nous réserver une table pour 4 personnes samedi à 20h ?")
    assert result.eta is None
    assert [(w.code, w.quantity, w.time) for w in result.requests] == [
        ("restaurant_booking", 4, "20:00")
    ]


def test_wanting_the_room_before_check_in_time_is_an_early_check_in():
    assert codes("Arrivée vers 11h, est-il possible d'avoir la chambre plus tôt ?") == {
        "early_check_in"
    }
    assert codes("Can we check in at 10am?") == {"early_check_in"}


def test_early_check_in_depends_on_the_property_check_in_time():
    text = "Arrivée vers 10h, chambre dispo ?"
    assert codes(text) == {"early_check_in"}
    assert codes(text, check_in=dt.time(9, 0)) == set()


def test_arriving_early_without_asking_for_the_room_is_not_an_early_check_in():
    assert codes("We arrive at 10am") == set()


def test_dates_and_prices_are_not_times():
    assert parse_wishes("Arrivée le 15/06/2025, lit bébé").eta is None
    assert parse_wishes("Parking à 12.50 € par nuit ?").eta is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("bayb cot pls", "baby_cot"),
        ("Do you have parkng on site?", "parking"),
        ("It's our anniversery", "celebration"),
        ("Babybet für 2 Nächte", "baby_cot"),
        ("chambre clame svp", "quiet_room"),
        ("Hypoalergenic bedding pls", "feather_free"),
    ],
)
def test_common_typos_are_understood(text, code):
    assert code in codes(text)


def test_typo_repair_does_not_invent_wishes():
    assert codes("Room with a tower view") == {"view"}  # not a towel
    assert codes("quite late") == set()  # not quiet


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lit BB + chaise haute", {"baby_cot"}),
        ("chambre PMR svp", {"accessible_room"}),
        ("ETA 22h, parking svp", {"late_arrival", "parking"}),
        ("Zi. mit Kinderbett", {"baby_cot"}),
        ("Hab. doble con cuna", {"baby_cot"}),
        ("Arriving 8am, room asap pls", {"early_check_in"}),
    ],
)
def test_abbreviations_are_understood(text, expected):
    assert codes(text) == expected


def test_one_text_can_mix_languages():
    assert codes("Lit bébé and arrival around 9pm, Parkplatz bitte") == {
        "baby_cot",
        "late_arrival",
        "parking",
    }


def test_feather_allergy_is_bedding_not_food():
    assert codes("pas de plumes svp (allergie)") == {"feather_free"}
    assert codes("Almohadas sin plumas, soy alérgico") == {"feather_free"}


def test_accessible_alone_is_not_an_accessible_room():
    assert codes("Est-ce que le spa est accessible aux enfants ?") == set()


def test_markup_from_channel_managers_is_ignored():
    result = parse_wishes("<p>Baby cot please</p><br>Arrival around 20:00")
    assert codes("<p>Baby cot please</p><br>Arrival around 20:00") == {"baby_cot"}
    assert result.eta == "20:00"
    assert not result.needs_triage


# -- what is left for a human ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Merci !",
        "Thank you!",
        "Vielen Dank im Voraus!",
        "Muchas gracias",
        "Grazie mille!",
        "Kind regards, John Smith",
        "Hello, we're looking forward to our stay!",
        "",
    ],
)
def test_politeness_alone_needs_no_triage(text):
    result = parse_wishes(text)
    assert result.requests == ()
    assert not result.needs_triage


def test_politeness_is_kept_in_the_remainder_but_does_not_need_triage():
    result = parse_wishes("Merci !")
    assert (result.unmatched, result.needs_triage) == ("Merci !", False)


def test_an_unknown_request_is_kept_for_triage():
    result = parse_wishes("lit BB + chaise haute")
    assert result.unmatched == "chaise haute"
    assert result.needs_triage


def test_something_else_asked_for_with_and_needs_triage():
    result = parse_wishes("We need a cot for our baby and a bottle warmer")
    assert "bottle warmer" in result.unmatched
    assert result.needs_triage


def test_who_the_wish_is_for_is_context_not_triage():
    result = parse_wishes("Un lit d'appoint pour notre fils de 10 ans")
    assert codes("Un lit d'appoint pour notre fils de 10 ans") == {"extra_bed"}
    assert not result.needs_triage


def test_text_nothing_explains_is_kept_whole():
    text = "Voyage d'affaires,  facture au nom de la société SVP"
    result = parse_wishes(text)
    assert result.unmatched == "Voyage d'affaires, facture au nom de la société SVP"
    assert result.needs_triage


def test_a_fully_understood_text_leaves_nothing():
    result = parse_wishes("Nous aurons besoin d'une place de parking pour la nuit")
    assert (result.unmatched, result.needs_triage) == ("", False)


def test_as_json_has_the_documented_shape():
    result = parse_wishes("Réveil à 6h30, 2 lits bébé. Arrivée vers 23h. Vélo ?")
    assert result.as_json() == {
        "requests": [
            {"code": "wake_up_call", "text": "Réveil", "quantity": None, "time": "06:30",
             "severity": "normal"},
            {"code": "baby_cot", "text": "2 lits bébé", "quantity": 2, "time": None,
             "severity": "normal"},
            {"code": "late_arrival", "text": "Arrivée vers 23h", "quantity": None, "time": "23:00",
             "severity": "normal"},
        ],
        "eta": "23:00",
        "unmatched": "Vélo ?",
    }


# -- a property's own catalogue -------------------------------------------------------------


def bike_entry(keywords: dict[str, tuple[str, ...]]) -> CatalogueEntry:
    return CatalogueEntry(
        code="bike_rental",
        label_fr="Location de vélo",
        label_en="Bike rental",
        department="concierge",
        timing="before_arrival",
        lead_minutes=60,
        readiness_items=(),
        sensitive=False,
        keywords=keywords,
    )


def test_a_property_can_add_its_own_wish():
    catalogue = (
        *DEFAULT_CATALOGUE,
        bike_entry({"fr": ("velo*", "location ... velo*"), "en": ("bike*",)}),
    )
    assert codes("Deux vélos et un lit bébé svp", catalogue=catalogue) == {
        "bike_rental",
        "baby_cot",
    }
    assert wish_in("Location de deux vélos électriques", catalogue).text == "Location de deux vélos"


def wish_in(text: str, catalogue):
    return parse_wishes(text, catalogue=catalogue).requests[0]


def test_keyword_syntax_is_case_and_accent_blind_and_star_means_any_ending():
    catalogue = (bike_entry({"fr": ("Vélo Électrique*",)}),)
    assert codes("un velo electriques", catalogue=catalogue) == {"bike_rental"}
    assert codes("un vélo", catalogue=catalogue) == set()


def test_a_keyword_edit_takes_effect_on_the_next_parse():
    before = (bike_entry({"en": ("bike",)}),)
    after = (bike_entry({"en": ("scooter",)}),)
    assert codes("a scooter please", catalogue=before) == set()
    assert codes("a scooter please", catalogue=after) == {"bike_rental"}
    assert codes("a bike please", catalogue=before) == {"bike_rental"}


def test_a_catalogue_without_the_built_in_codes_never_gets_them():
    catalogue = (bike_entry({"en": ("bike",)}),)
    result = parse_wishes("bike please, arriving at 23:00", catalogue=catalogue)
    assert [w.code for w in result.requests] == ["bike_rental"]
    assert result.eta == "23:00"


def test_broken_keywords_are_skipped_not_fatal():
    catalogue = (bike_entry({"en": ("", "*", "...", "bike", 42)}),)  # type: ignore[dict-item]
    assert codes("bike", catalogue=catalogue) == {"bike_rental"}


def test_keywords_may_be_frozen_or_plain_dicts():
    frozen = dataclasses.replace(bike_entry({}), keywords=MappingProxyType({"en": ("bike",)}))
    assert codes("bike", catalogue=[frozen]) == {"bike_rental"}


# -- never raises, stays fast ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\x00\x01\x07 lit bébé \x1b[31m",
        "<script>alert('cot')</script>",
        "🎂🎉👶🛏️",
        "\ud800 cot",
        "2" * 5000,
        "a" * 50_000,
        "é" * 10_000,
        "<" * 1000,
        "12.12." * 1000,
        "ß" * 3000,
        "e\u0301" * 2000,
        None,
        42,
    ],
)
def test_parser_never_raises_on_hostile_input(text, caplog):
    caplog.set_level(logging.ERROR, logger="requests.wish_parser")
    result = parse_wishes(text)  # type: ignore[arg-type]
    assert isinstance(result, ParseResult)
    assert caplog.records == []  # read properly, not rescued by the safety net


def test_a_parser_bug_hands_the_whole_text_to_triage(caplog):
    with mock.patch.object(wish_parser._Reading, "match_phrases", side_effect=RuntimeError):
        result = parse_wishes("Lit bébé\x00 svp")
    assert result == ParseResult((), None, "Lit bébé svp", True)
    assert "wish parser failed" in caplog.text


def test_control_characters_never_reach_the_remainder():
    result = parse_wishes("vélo\x00\x07 svp")
    assert result.unmatched == "vélo svp"


def test_a_megabyte_of_text_parses_and_keeps_every_word_for_a_human():
    # How fast is a figure of benchmarks/bench_parse.py ("1 MB text"), never a timed test.
    text = (
        "Lit bébé svp, arrivée vers 23h. Nous voyageons avec un vélo et une trottinette. " * 13_000
    )[:1_000_000]
    with mock.patch.object(wish_parser._log, "exception", side_effect=AssertionError):
        result = parse_wishes(text)  # no parser failure, no rescue path
    assert {"baby_cot", "late_arrival"} <= {w.code for w in result.requests}
    assert result.needs_triage  # nothing is dropped: the rest is there for a human
    assert len(result.unmatched) > 900_000


HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=300)
    | st.sampled_from(
        [
            "Lit bébé svp, arrivée vers 23h",
            "No cot, 2 extra pillows x2, ETA 9.30pm",
            "Zwei Einzelbetten oder Doppelbett, egal; Weckruf 6:00",
            "cuna y parking por favor",
        ]
    ).flatmap(lambda base: st.text(max_size=40).map(lambda noise: base + noise))
)
def test_any_text_gives_a_well_formed_result(text):
    with mock.patch.object(wish_parser._log, "exception", side_effect=AssertionError):
        result = parse_wishes(text)
    found = [w.code for w in result.requests]
    assert len(found) == len(set(found))
    for w in result.requests:
        assert w.text and w.text in text
        assert w.time is None or HHMM.match(w.time)
        assert w.quantity is None or 1 <= w.quantity <= 50
    assert result.eta is None or HHMM.match(result.eta)
    assert result.unmatched == " ".join(result.unmatched.split())


# --- Issue 12's families on sentences of our own (not the fresh set): five languages, mixed ---
# Written to check the families after the fresh set was tuned on; those that failed were fixed
# ("tenish pm", "veintidós horas", "ventidue", "anything but the ground floor", horses and drugs
# named by an allergy, "chambres mitoyennes", "rooms close together"...).


LATE, OTHER, FOOD = {"late_arrival"}, {"other_allergy"}, {"food_allergy"}
NEAR, TRANSFER = {"connecting_rooms"}, {"airport_transfer"}


def _reading(text: str) -> tuple[set[str], str | None]:
    result = parse_wishes(text)
    return {w.code for w in result.requests}, result.eta


@pytest.mark.parametrize(("lang", "text", "expected", "eta"), [
    ("fr", "Nous pensons être là vers dix heures et quart du soir.", LATE, "22:15"),
    ("fr", "Arrivée prévue aux alentours de vingt et une heures trente.", LATE, "21:30"),
    ("fr", "On arrive vers onze heures moins le quart ce soir.", LATE, "22:45"),
    ("en", "We should get in around quarter to ten in the evening.", LATE, "21:45"),
    ("en", "Arriving at about half past ten at night.", LATE, "22:30"),
    ("en", "ETA tenish pm.", LATE, "22:00"),
    ("de", "Wir kommen gegen halb elf abends an.", LATE, "22:30"),
    ("de", "Ankunft etwa um Viertel vor zehn am Abend.", LATE, "21:45"),
    ("de", "Wir sind gegen zweiundzwanzig Uhr da.", LATE, "22:00"),
    ("es", "Llegaremos hacia las diez y cuarto de la noche.", LATE, "22:15"),
    ("es", "Nuestra llegada será a eso de las once menos cuarto de la noche.", LATE, "22:45"),
    ("es", "Llegamos sobre las veintidós horas.", LATE, "22:00"),
    ("it", "Arriveremo verso le undici meno un quarto di sera.", LATE, "22:45"),
    ("it", "Arrivo previsto intorno alle nove e mezza di sera.", LATE, "21:30"),
    ("it", "Saremo lì verso le ventidue.", LATE, "22:00"),
    ("mixed", "Hello! Wir kommen gegen halb zehn abends, merci beaucoup.", LATE, "21:30"),
    ("mixed", "Arrivée vers 10ish pm, thanks!", LATE, "22:00"),
    ("fr", "Nous arriverons sur les coups de vingt-trois heures.", LATE, "23:00"),
    ("fr", "Arrivée vers neuf heures et quart du soir.", LATE, "21:15"),
    ("en", "We'll be there at a quarter past eleven at night.", LATE, "23:15"),
    ("en", "Expect us elevenish pm.", LATE, "23:00"),
    ("de", "Anreise gegen dreiviertel zehn abends.", LATE, "21:45"),
    ("de", "Wir kommen um dreiundzwanzig Uhr an.", LATE, "23:00"),
    ("es", "Llegaremos a las veintitrés horas.", LATE, "23:00"),
    ("es", "Llegada sobre las diez y media de la noche.", LATE, "22:30"),
    ("it", "Arriviamo alle ventitré.", LATE, "23:00"),
    ("it", "Arrivo verso le dieci e un quarto di sera.", LATE, "22:15"),
    ("mixed", "Ciao! We arrive verso le undici di sera, thanks.", LATE, "23:00"),
    ("fr", "On devrait arriver vers minuit moins le quart.", LATE, "23:45"),
    ("fr", "Arrivée vers vingt-deux heures trente.", LATE, "22:30"),
    ("en", "We'll arrive at around ten thirty pm.", LATE, "22:30"),
    ("en", "Getting in half ten at night probably.", LATE, "22:30"),
    ("de", "Ankunft gegen Viertel nach elf abends.", LATE, "23:15"),
    ("es", "Llegamos a las once y cuarto de la noche.", LATE, "23:15"),
    ("es", "Llegada prevista hacia las veintiuna horas.", LATE, "21:00"),
    ("it", "Arriviamo verso le ventuno e trenta.", LATE, "21:30"),
    ("it", "Arrivo alle undici di sera circa.", LATE, "23:00"),
    ("mixed", "Bonsoir, we arrive gegen halb elf abends.", LATE, "22:30"),
])
def test_an_arrival_time_in_words_or_half_words_is_the_eta(lang, text, expected, eta):
    assert _reading(text) == (expected, eta)


@pytest.mark.parametrize(("lang", "text", "expected", "eta"), [
    ("fr", "Je suis allergique au pollen de bouleau.", OTHER, None),
    ("fr", "Mon mari est allergique à la laine, merci.", OTHER, None),
    ("fr", "Allergie au nickel, merci d'éviter les bijoux de décoration.", OTHER, None),
    ("fr", "Allergique à la pénicilline.", OTHER, None),
    ("fr", "Allergique aux noisettes.", FOOD, None),
    ("en", "My daughter has a severe allergy to horses and other animals.", OTHER, None),
    ("en", "Allergic to wool blankets.", OTHER, None),
    ("en", "Allergy to ibuprofen, just so you know.", OTHER, None),
    ("en", "Allergic to hazelnuts and almonds.", FOOD, None),
    ("de", "Ich habe eine Pollenallergie.", OTHER, None),
    ("de", "Meine Frau ist allergisch gegen Nickel.", OTHER, None),
    ("de", "Allergisch auf Wolle und Parfüm.", OTHER, None),
    ("de", "Ich bin allergisch gegen Katzen.", OTHER, None),
    ("de", "Allergie gegen Haselnüsse.", FOOD, None),
    ("es", "Soy alérgica al polen.", OTHER, None),
    ("es", "Tengo alergia a la lana.", OTHER, None),
    ("es", "Alergia al níquel.", OTHER, None),
    ("es", "Mi hijo es alérgico a los perros.", OTHER, None),
    ("es", "Alérgico a la amoxicilina y a otros medicamentos.", OTHER, None),
    ("es", "Alérgico a las avellanas.", FOOD, None),
    ("it", "Sono allergica al polline.", OTHER, None),
    ("it", "Allergia alla lana, grazie.", OTHER, None),
    ("it", "Mio marito è allergico al nichel.", OTHER, None),
    ("it", "Allergico ai profumi, niente deodoranti per ambienti.", OTHER, None),
    ("it", "Allergica alle nocciole.", FOOD, None),
    ("mixed", "Hi, ich bin allergisch gegen Pollen, merci.", OTHER, None),
    ("mixed", "Bonjour, allergic to cats please.", OTHER, None),
    ("fr", "Ma fille est allergique aux chevaux.", OTHER, None),
    ("fr", "Allergie au latex, attention aux gants du ménage.", OTHER, None),
    ("en", "Severe pollen allergy, windows closed please.", OTHER, None),
    ("en", "Allergic to nickel, so no metal jewellery trays.", OTHER, None),
    ("en", "Nut allergy, please tell the kitchen.", FOOD, None),
    ("de", "Allergisch gegen Duftstoffe.", OTHER, None),
    ("de", "Ich habe eine Erdnussallergie.", FOOD, None),
    ("es", "Alergia a los ácaros del polvo.", OTHER, None),
    ("es", "Soy alérgico al ibuprofeno.", OTHER, None),
    ("it", "Allergia al pelo di gatto.", OTHER, None),
    ("it", "Sono allergico all'aspirina.", OTHER, None),
    ("mixed", "Allergic to pollen, merci de fermer les fenêtres.", OTHER, None),
    ("fr", "Allergique aux poils de chien.", OTHER, None),
    ("fr", "Allergie à l'aspirine.", OTHER, None),
    ("en", "Hay fever in spring, please keep flowers out of the room.", OTHER, None),
    ("en", "Allergic to peanuts.", FOOD, None),
    ("de", "Hausstauballergie, bitte gründlich saugen.", OTHER, None),
    ("de", "Ich reagiere allergisch auf Latex.", OTHER, None),
    ("es", "Tengo alergia a la penicilina.", OTHER, None),
    ("es", "Alergia al marisco.", FOOD, None),
    ("it", "Allergia ai pollini primaverili.", OTHER, None),
    ("it", "Allergico al lattice.", OTHER, None),
    ("mixed", "Merci! Allergic to dogs, bitte keine Hunde im Zimmer.", OTHER, None),
])
def test_an_allergy_that_is_not_food_is_its_own_wish_and_nuts_stay_food(lang, text, expected, eta):
    assert _reading(text) == (expected, eta)


@pytest.mark.parametrize(("lang", "text", "expected", "eta"), [
    ("fr", "Notre vol atterrit à 21h40, nous serons à l'hôtel vers 23h.", LATE, "23:00"),
    ("fr", "Le TGV arrive à 19h05.", set(), None),
    ("en", "Our flight lands at 10:30pm, could you arrange a pickup?", TRANSFER, None),
    ("en", "Train gets in at 20:15, we'll walk over.", set(), None),
    ("en", "My flight arrives at 22:00 so I'll be at the hotel around 23:30.", LATE, "23:30"),
    ("de", "Unser Flug landet um 22:10 Uhr.", set(), None),
    ("de", "Der Zug kommt um 19:40 an, wir sind dann gegen 20:30 im Hotel.", set(), "20:30"),
    ("es", "Nuestro vuelo llega a las 21:50, necesitamos traslado.", TRANSFER, None),
    ("es", "El tren llega a las 18:20.", set(), None),
    ("it", "Il volo atterra alle 22:30, arriveremo in hotel verso mezzanotte.", LATE, "00:00"),
    ("it", "Il treno arriva alle 19:10.", set(), None),
    ("mixed", "Flight lands 21:15, ein Transfer wäre super.", TRANSFER, None),
    ("fr", "Notre avion atterrit à 22h50.", set(), None),
    ("en", "Our train arrives at 19:45, then a short walk.", set(), None),
    ("de", "Flug landet 21:30, bitte Abholung.", TRANSFER, None),
    ("es", "El vuelo aterriza a las 20:10 y llegaremos al hotel hacia las 22:00.", LATE, "22:00"),
    ("it", "Il treno arriva alle 21:05 a Milano Centrale.", set(), None),
    ("fr", "Le train arrive en gare à 20h30.", set(), None),
    ("en", "Flight EZY123 lands 21:10.", set(), None),
    ("de", "Der Zug kommt um 22 Uhr an.", set(), None),
    ("es", "El avión aterriza a las 23:00, llegaremos sobre la medianoche.", LATE, "00:00"),
    ("it", "Il nostro volo atterra alle 20:40.", set(), None),
])
def test_a_train_or_flight_time_is_the_eta_only_when_the_guest_says_so(lang, text, expected, eta):
    assert _reading(text) == (expected, eta)


@pytest.mark.parametrize(("lang", "text", "expected", "eta"), [
    ("fr", "Deux chambres voisines pour nous et les enfants.", NEAR, None),
    ("fr", "Merci de nous donner des chambres côte à côte.", NEAR, None),
    ("fr", "Si possible des chambres mitoyennes.", NEAR, None),
    ("en", "Could our two rooms be next to one another?", NEAR, None),
    ("en", "Adjoining rooms for the family please.", NEAR, None),
    ("en", "Please put us in rooms close together.", NEAR, None),
    ("de", "Bitte zwei Nachbarzimmer.", NEAR, None),
    ("de", "Wir hätten gern zwei Zimmer direkt nebeneinander.", NEAR, None),
    ("de", "Die Zimmer bitte nah beieinander.", NEAR, None),
    ("es", "Queremos habitaciones juntas.", NEAR, None),
    ("es", "Dos habitaciones contiguas, por favor.", NEAR, None),
    ("es", "Habitaciones una al lado de otra si es posible.", NEAR, None),
    ("it", "Camere adiacenti per favore.", NEAR, None),
    ("it", "Vorremmo due camere vicine.", NEAR, None),
    ("it", "Due stanze una accanto all'altra.", NEAR, None),
    ("mixed", "Two rooms, bitte nebeneinander.", NEAR, None),
    ("mixed", "Chambres voisines please, we travel with grandma.", NEAR, None),
    ("fr", "Deux chambres l'une à côté de l'autre.", NEAR, None),
    ("en", "Can the two family rooms be side by side?", NEAR, None),
    ("de", "Zwei Zimmer auf dem gleichen Flur bitte.", NEAR, None),
    ("es", "Dos habitaciones cercanas entre sí.", NEAR, None),
    ("it", "Camere comunicanti se possibile.", NEAR, None),
    ("mixed", "Deux chambres, next to each other please.", NEAR, None),
    ("fr", "Nous voudrions des chambres proches.", NEAR, None),
    ("en", "We'd love our rooms to be adjoining.", NEAR, None),
    ("de", "Bitte benachbarte Zimmer.", NEAR, None),
    ("es", "Habitaciones contiguas por favor.", NEAR, None),
    ("it", "Camere vicine tra loro, grazie.", NEAR, None),
    ("mixed", "Zwei Zimmer side by side, merci.", NEAR, None),
])
def test_rooms_asked_near_each_other_are_connecting_rooms(lang, text, expected, eta):
    assert _reading(text) == (expected, eta)


@pytest.mark.parametrize(("lang", "text", "expected", "eta"), [
    ("fr", "Pas dans les étages, j'ai du mal à marcher.", {"low_floor"}, None),
    ("fr", "Plutôt pas en hauteur, j'ai le vertige.", {"low_floor"}, None),
    ("fr", "Pas au rez-de-chaussée svp.", {"high_floor"}, None),
    ("en", "Rather not up in the tower, the lifts make me nervous.", {"low_floor"}, None),
    ("en", "Please not too high up, I hate elevators.", {"low_floor"}, None),
    ("en", "Anything but the ground floor please.", {"high_floor"}, None),
    ("en", "Everything but a top floor, please", {"low_floor"}, None),
    ("fr", "Tout sauf le rez-de-chaussée.", {"high_floor"}, None),
    ("de", "Alles außer Erdgeschoss bitte.", {"high_floor"}, None),
    ("es", "Cualquier cosa menos la planta baja.", {"high_floor"}, None),
    ("it", "Tutto tranne il piano terra.", {"high_floor"}, None),
    ("de", "Bitte nicht ganz oben, ich mag keine Aufzüge.", {"low_floor"}, None),
    ("de", "Nicht im Erdgeschoss bitte.", {"high_floor"}, None),
    ("es", "Mejor no en un piso alto, me dan miedo los ascensores.", {"low_floor"}, None),
    ("es", "Que no sea en la planta baja, por favor.", {"high_floor"}, None),
    ("it", "Non ai piani alti per favore.", {"low_floor"}, None),
    ("it", "Non al piano terra, grazie.", {"high_floor"}, None),
    ("mixed", "Not on the ground floor bitte, danke.", {"high_floor"}, None),
    ("mixed", "Pas trop haut please, vertigo.", {"low_floor"}, None),
    ("fr", "Évitez les étages élevés, j'ai peur en ascenseur.", {"low_floor"}, None),
    ("en", "Not too high please, I get dizzy.", {"low_floor"}, None),
    ("de", "Bitte nicht zu hoch, Höhenangst.", {"low_floor"}, None),
    ("es", "Que no sea un piso alto, por favor.", {"low_floor"}, None),
    ("it", "Non troppo in alto, per favore.", {"low_floor"}, None),
    ("mixed", "Bitte nicht im Erdgeschoss, thanks.", {"high_floor"}, None),
    ("fr", "Pas trop haut s'il vous plaît.", {"low_floor"}, None),
    ("en", "Please avoid the top floors.", {"low_floor"}, None),
    ("de", "Nicht in den oberen Etagen bitte.", {"low_floor"}, None),
    ("es", "No en la planta baja, gracias.", {"high_floor"}, None),
    ("it", "Non al pianterreno.", {"high_floor"}, None),
])
def test_a_floor_asked_by_what_to_avoid_is_the_other_end(lang, text, expected, eta):
    assert _reading(text) == (expected, eta)


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("fr", "Pas besoin de lit bébé, on a le nôtre.", set()),
    ("fr", "N'importe quel oreiller ira très bien.", set()),
    ("fr", "Une baignoire c'est impossible pour moi, je ne peux pas enjamber le rebord.", set()),
    ("en", "We don't need a parking space, we come by train.", set()),
    ("en", "Any pillow you have is fine.", set()),
    ("en", "Double or twin, doesn't matter.", set()),
    ("de", "Wir brauchen kein Babybett.", set()),
    ("de", "Egal welches Kissen, passt schon.", set()),
    ("es", "No necesitamos cuna.", set()),
    ("es", "Cualquier almohada nos vale.", set()),
    ("it", "Non serve la culla.", set()),
    ("it", "Qualsiasi cuscino va bene.", set()),
    ("mixed", "Baby cot please. Pas de parking, merci.", {"baby_cot"}),
    ("mixed", "Lit bébé svp, no need for extra towels.", {"baby_cot"}),
    ("mixed", "Extra pillows bitte, aber kein Parkplatz nötig.", {"extra_pillows"}),
    ("fr", "Aucun besoin de parking.", set()),
    ("fr", "L'oreiller que vous avez fera l'affaire.", set()),
    ("en", "No cot needed, baby sleeps with us.", set()),
    ("en", "Whatever pillow you have will do.", set()),
    ("de", "Ein Zustellbett brauchen wir nicht.", set()),
    ("es", "No hace falta cuna.", set()),
    ("it", "Non abbiamo bisogno del parcheggio.", set()),
    ("mixed", "Cot please, kein Parkplatz nötig.", {"baby_cot"}),
    ("fr", "On n'a pas besoin du parking.", set()),
    ("fr", "Peu importe le lit.", set()),
    ("en", "No extra bed required.", set()),
    ("en", "Twin or double, we're easy.", set()),
    ("de", "Parkplatz brauchen wir keinen.", set()),
    ("es", "No hace falta la cama supletoria.", set()),
    ("it", "Il parcheggio non ci serve.", set()),
    ("mixed", "Babybett please, pas besoin de parking.", {"baby_cot"}),
])
def test_what_the_guest_does_not_want_or_need_is_never_requested(lang, text, expected):
    assert _reading(text) == (expected, None)


@pytest.mark.parametrize(("lang", "text"), [
    ("en", 'Climbing into a bathtub is not possible for me, so a walk-in shower please.'),
    ("de", 'Eine Badewanne geht für mich leider nicht, ich komme nicht über den Rand.'),
    ("es", 'No puedo usar bañera porque no puedo levantar la pierna.'),
    ("it", 'La vasca per me è impossibile, non riesco a scavalcare il bordo.'),
])
def test_a_bath_edge_given_as_a_reason_is_not_a_bathtub_request(lang, text):
    assert "bathtub" not in _reading(text)[0]


def test_a_reaction_without_the_word_allergy_goes_to_a_human():
    result = parse_wishes("I react badly to perfume, please no scented products.")
    assert (result.requests, result.needs_triage) == ((), True)


@pytest.mark.parametrize(("text", "code", "words"), [
    ("Not on the ground floor please", "high_floor", "Not on the ground floor"),
    ("Tout sauf le rez-de-chaussée, merci.", "high_floor", "Tout sauf le rez-de-chaussée"),
    ("Pas dans les étages", "low_floor", "Pas dans les étages"),
])
def test_a_floor_asked_by_refusing_the_other_end_quotes_the_refusal(text, code, words):
    assert [(w.code, w.text) for w in parse_wishes(text).requests] == [(code, words)]
