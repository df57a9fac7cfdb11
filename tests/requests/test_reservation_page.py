"""The reservation screen: what was understood is shown before saving, and the agent's
correction is what gets saved (AppTest, in-process)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from guests.models import Reservation
from requests.models import Request
from tests.conftest import assert_no_error


@pytest.fixture
def page(hotel, rita, signed_in):
    """Rita (reservations) on the reservation screen, creating reservation R1."""
    app = signed_in("rita", "reservation")
    app.text_input(key="res_new_number").input("R1")  # the form for a new reservation
    [name] = [w for w in app.text_input if w.label == "Client"]
    name.input("Marie Dubois")
    return app


def click(app: AppTest, label: str) -> AppTest:
    [button] = [b for b in app.button if b.label == label]
    button.click().run()
    assert_no_error(app)
    return app


def active_codes(database) -> dict[str, str]:
    with database.read() as session:
        rows = session.execute(select(Request.code, Request.status, Request.source)).all()
    return {code: f"{status}/{source}" for code, status, source in rows}


def test_what_was_understood_shows_before_anything_is_saved(database, page):
    page.text_area(key="res_new_wish_text").input("Un lit bébé svp, arrivée vers 23h")
    click(page, "Qu'a-t-on compris ?")
    assert "Lit bébé, Arrivée tardive 23:00, Heure d'arrivée 23:00" in [t.value for t in page.text]
    [picker] = page.multiselect
    assert sorted(picker.value) == ["baby_cot", "late_arrival"]
    with database.read() as session:
        assert session.scalars(select(Reservation)).all() == []


def test_the_agent_sees_which_words_gave_which_wish(page):
    page.text_area(key="res_new_wish_text").input(
        "Allergique au pollen. Tout sauf le rez-de-chaussée, merci.")
    click(page, "Qu'a-t-on compris ?")
    shown = [t.value for t in page.text]
    assert "Allergie non alimentaire, d'après les mots : « Allergique au pollen »" in shown
    assert "Étage élevé, d'après les mots : « Tout sauf le rez-de-chaussée »" in shown


def test_the_agents_correction_is_what_gets_saved(database, page):
    page.text_area(key="res_new_wish_text").input("Un lit bébé et une place de parking svp")
    click(page, "Qu'a-t-on compris ?")
    [picker] = page.multiselect
    picker.unselect("parking").select("quiet_room")
    click(page, "Créer la réservation")
    assert active_codes(database) == {
        "baby_cot": "active/parser",
        "parking": "cancelled/parser",
        "quiet_room": "active/catalogue",
    }
    with database.read() as session:
        [reservation] = session.scalars(select(Reservation)).all()
    assert reservation.wish_text == "Un lit bébé et une place de parking svp"
    # Reopened on what was saved: editing R1, with no confirmation field to retype.
    assert any(h.value.startswith("Réservation R1") for h in page.subheader)
    assert not [w for w in page.text_input if w.key == "res_new_number"]


def test_guest_text_with_markup_is_shown_as_text(page):
    words = "<b>Surprise</b> <script>alert(1)</script> pour ma femme"
    page.text_area(key="res_new_wish_text").input(words)
    click(page, "Qu'a-t-on compris ?")
    assert any("<script>alert(1)</script>" in t.value for t in page.text)
    assert not any("<script>" in m.value for m in page.markdown)


def test_a_new_reservation_after_a_save_starts_from_an_empty_form(database, page):
    click(page, "Créer la réservation")
    assert any(h.value.startswith("Réservation R1") for h in page.subheader)
    click(page, "Nouvelle réservation")
    assert next(h.value for h in page.subheader) == "Nouvelle réservation"
    [number] = [w for w in page.text_input if w.label == "Confirmation"]
    [name] = [w for w in page.text_input if w.label == "Client"]
    assert (number.value, name.value) == ("", "")


def test_a_taken_number_is_refused_and_the_form_keeps_what_was_typed(database, page):
    click(page, "Créer la réservation")
    click(page, "Nouvelle réservation")
    [number] = [w for w in page.text_input if w.label == "Confirmation"]
    number.input("R1")
    [name] = [w for w in page.text_input if w.label == "Client"]
    name.input("Paul Martin")
    click(page, "Créer la réservation")
    assert any("existe déjà" in e.value for e in page.error)
    assert [w.value for w in page.text_input if w.label == "Client"] == ["Paul Martin"]
    click(page, "Ouvrir la réservation R1")
    assert any(h.value.startswith("Réservation R1 — Marie Dubois") for h in page.subheader)
    with database.read() as session:
        [reservation] = session.scalars(select(Reservation)).all()
    assert reservation.guest.name == "Marie Dubois"


def test_a_severe_allergy_shows_as_critical_and_the_agent_can_correct_it(database, page):
    page.text_area(key="res_new_wish_text").input("Allergie sévère aux arachides")
    click(page, "Qu'a-t-on compris ?")
    assert "Allergie alimentaire (⚠ CRITIQUE)" in [t.value for t in page.text]
    click(page, "Créer la réservation")
    with database.read() as session:
        [allergy] = session.scalars(select(Request)).all()
    assert allergy.severity == "critical"
    [critical] = [box for box in page.checkbox if box.label.startswith("Critique")]
    assert critical.value is True
    critical.uncheck()
    click(page, "Enregistrer les souhaits")
    with database.read() as session:
        [allergy] = session.scalars(select(Request)).all()
    assert (allergy.severity, allergy.corrected_by_staff) == ("normal", True)
