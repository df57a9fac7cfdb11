"""Critical health wishes: stored with their severity, first and in red wherever the wishes are
read (arrival card, briefing on screen and on paper, room checklist), and a check-in that needs
"kitchen informed" while such a wish is still open."""

from __future__ import annotations

import io
from datetime import time

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from core.audit import audit_events
from core.clock import now
from core.errors import UserError
from core.i18n import t
from guests.models import Reservation
from guests.reservations import ReservationInput, save_reservation
from requests.models import Request, Task
from requests.tasks import change_task_status
from requests.wishes import WishChoice, correct_wishes
from shift_briefing.board import housekeeping_board
from shift_briefing.briefing import build_briefing
from shift_briefing.checkin import arrival_card, check_in
from shift_briefing.pdf import briefing_pdf, checklist_pdf
from shift_briefing.readiness import day_checklists, tick
from shift_briefing.signing import compare_contents
from tests.conftest import assert_no_error
from tests.shift_briefing.conftest import DAY, open_arrival

CRITICAL_ALLERGY = WishChoice("food_allergy", severity="critical")
SEVERE = "Severe nut allergy, please inform the restaurant. Baby cot please"


def active(database, reservation_id: int) -> dict[str, Request]:
    with database.read() as session:
        rows = session.scalars(
            select(Request).where(
                Request.reservation_id == reservation_id, Request.status == "active"
            )
        ).all()
        for row in rows:
            session.expunge(row)
    return {r.code: r for r in rows}


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_a_severe_allergy_is_stored_critical_in_one_piece_without_a_triage(database, book):
    reservation = book("A", "Anna", SEVERE, eta=time(11, 0), room="101")
    requests = active(database, reservation)
    assert set(requests) == {"food_allergy", "baby_cot"}  # no triage of leftover words
    allergy = requests["food_allergy"]
    assert (allergy.severity, allergy.matched_text) == (
        "critical",
        "Severe nut allergy, please inform the restaurant",
    )
    assert requests["baby_cot"].severity == "normal"


def test_the_severity_follows_the_text_and_its_change_is_audited(database, hotel, rita, book):
    reservation = book("A", "Anna", "nut allergy", room="101")
    assert active(database, reservation)["food_allergy"].severity == "normal"
    with database.write() as session:
        save_reservation(
            session,
            rita,
            hotel.id,
            ReservationInput(
                confirmation_number="A",
                guest_name="Anna",
                arrival_date=DAY,
                departure_date=DAY.replace(day=16),
                room_number="101",
                wish_text="anaphylactic nut allergy",
            ),
        )
    allergy = active(database, reservation)["food_allergy"]
    assert allergy.severity == "critical"
    with database.read() as session:
        [event] = [
            e for e in audit_events(session, hotel.id) if e.action == "request_severity_changed"
        ]
    assert (event.before, event.after) == ({"severity": "normal"}, {"severity": "critical"})


def test_staff_correct_the_severity_and_it_wins(database, hotel, alice, book):
    reservation = book("A", "Anna", "nut allergy", room="101")
    with database.write() as session:
        correct_wishes(session, alice, reservation, [CRITICAL_ALLERGY])
    allergy = active(database, reservation)["food_allergy"]
    assert (allergy.severity, allergy.corrected_by_staff) == ("critical", True)
    with database.read() as session:
        actions = [e.action for e in audit_events(session, hotel.id)]
    assert "request_severity_corrected" in actions
    with pytest.raises(UserError) as refused, database.write() as session:
        correct_wishes(session, alice, reservation, [WishChoice("food_allergy", severity="mega")])
    assert refused.value.key == "request.error_severity"


def test_critical_wishes_come_first_and_other_roles_see_the_severity_not_the_words(
    database, hotel, alice, hugo, book
):
    book("A", "Anna", "Baby cot please. " + SEVERE.split(".")[0], eta=time(11, 0), room="101")
    with database.read() as session:
        front = build_briefing(session, alice, hotel.id, DAY, "morning", "en")
        housekeeping = build_briefing(session, hugo, hotel.id, DAY, "morning", "en")
    [guest] = front.arrivals
    assert (guest.wishes[0].code, guest.wishes[0].severity) == ("food_allergy", "critical")
    assert guest.wishes[0].detail == "Severe nut allergy, please inform the restaurant"
    [narrow] = housekeeping.arrivals
    assert (narrow.wishes[0].severity, narrow.wishes[0].detail) == ("critical", None)


def test_a_wish_becoming_critical_makes_a_new_briefing_version_that_says_so(
    database, hotel, alice, rita, book
):
    reservation = book("A", "Anna", "nut allergy", eta=time(11, 0), room="101")
    with database.read() as session:
        before = build_briefing(session, alice, hotel.id, DAY, "morning", "en")
    with database.write() as session:
        correct_wishes(session, alice, reservation, [CRITICAL_ALLERGY])
    with database.read() as session:
        after = build_briefing(session, alice, hotel.id, DAY, "morning", "en")
    assert after.version != before.version
    keys = [c.key for c in compare_contents(before.content, after.content)]
    assert keys == ["briefing.change_severity_critical"]


def test_the_printed_briefing_puts_the_critical_wish_first_with_its_marker(
    database, hotel, alice, book
):
    book("A", "Anna", "Baby cot please. " + SEVERE.split(".")[0], eta=time(11, 0), room="101")
    for language, word, allergy, cot in (
        ("en", "CRITICAL", "Food allergy", "Baby cot"),
        ("fr", "CRITIQUE", "Allergie alimentaire", "Lit bébé"),
    ):
        with database.read() as session:
            briefing = build_briefing(session, alice, hotel.id, DAY, "morning", language)
        text = " ".join(pdf_text(briefing_pdf(briefing, [], language)).split())
        assert f"⚠ {word} {allergy}" in text
        assert text.index(f"⚠ {word} {allergy}") < text.index(f"• {cot}")
        assert "please inform the restaurant" in text


def test_the_checklist_names_the_critical_wish_of_the_rooms_guest(database, hotel, hugo, book):
    book("A", "Anna", "Severe feather allergy, wheelchair user", eta=time(11, 0), room="201")
    with database.read() as session:
        [room] = day_checklists(session, hugo, hotel.id, DAY, hotel.check_in_time)
    assert {c.code for c in room.critical} == {"feather_free", "accessible_room"}
    wish_items = [i for i in room.items if i.code]
    assert wish_items and all(i.critical for i in wish_items)
    with database.read() as session:
        board = housekeeping_board(session, hugo, hotel, DAY)
    text = " ".join(pdf_text(checklist_pdf(hotel.name, board, "fr")).split())
    assert "⚠ CRITIQUE souhait de santé du client" in text
    assert "⚠ CRITIQUE Literie hypoallergénique en place" in text
    assert "feather allergy" not in text  # housekeeping prints the instruction, not the words


def ready_room(database, hotel, hugo, reservation_id: int) -> None:
    with database.write() as session:
        tick(session, hugo, hotel.id, reservation_id, "cleaned", True)
        tick(session, hugo, hotel.id, reservation_id, "inspected", True)
    with database.read() as session:
        [room] = day_checklists(session, hugo, hotel.id, DAY, hotel.check_in_time)
    for item in room.open_items:
        with database.write() as session:
            tick(session, hugo, hotel.id, reservation_id, item.key, True, item.task_version)


def test_check_in_with_an_open_critical_wish_needs_kitchen_informed_and_is_audited(
    database, hotel, alice, hugo, book
):
    reservation = book("A", "Anna", SEVERE, eta=time(11, 0), room="101")
    ready_room(database, hotel, hugo, reservation)
    with database.read() as session:
        card = arrival_card(session, alice, hotel.id, reservation, "en")
    assert [w.code for w in card.critical_open] == ["food_allergy"]
    with pytest.raises(UserError) as refused, database.write() as session:
        check_in(session, alice, hotel.id, reservation, wishes_reviewed=True, language="fr")
    assert refused.value.key == "checkin.error_kitchen_informed"
    message = t(refused.value.key, "fr", **refused.value.values)
    assert "cuisine" in message and "Allergie alimentaire" in message
    with database.read() as session:
        assert session.get(Reservation, reservation).status == "booked"
    with database.write() as session:
        check_in(session, alice, hotel.id, reservation, wishes_reviewed=True, kitchen_informed=True)
    with database.read() as session:
        assert session.get(Reservation, reservation).status == "checked_in"
        events = {e.action: e for e in audit_events(session, hotel.id)}
    assert events["check_in_kitchen_informed"].after["critical_wishes"] == ["food_allergy"]
    assert events["check_in_kitchen_informed"].actor_id == alice.id
    assert events["checked_in"].after["kitchen_informed"] is True


def test_a_critical_wish_already_done_needs_no_confirmation(
    database, hotel, alice, hugo, maria, book
):
    reservation = book("A", "Anna", "Severe nut allergy", eta=time(11, 0), room="101")
    ready_room(database, hotel, hugo, reservation)
    with database.write() as session:
        task = session.scalars(select(Task).where(Task.reservation_id == reservation)).one()
        change_task_status(session, maria, task.id, task.version, "done")
    with database.write() as session:
        check_in(session, alice, hotel.id, reservation, wishes_reviewed=True)
    with database.read() as session:
        assert session.get(Reservation, reservation).status == "checked_in"


# -- the pages (AppTest, in-process) -----------------------------------------------------------


def test_the_arrival_card_shows_the_critical_wish_in_red_and_check_in_needs_the_kitchen(
    database, hotel, alice, hugo, book, signed_in
):
    reservation = book("A", "Anna", SEVERE.split(".")[0], eta=time(11, 0), room="101")
    ready_room(database, hotel, hugo, reservation)
    app = open_arrival(signed_in("alice", "arrivals"), reservation)
    [alert] = [e for e in app.error if "CRITIQUE" in e.value]
    assert "Allergie alimentaire" in alert.value
    assert r"Severe nut allergy, please inform the restaurant" in alert.value.replace("\\", "")
    app.checkbox(key=f"reviewed_{reservation}").check()
    [submit] = [b for b in app.button if b.label == "Enregistrer l'arrivée"]
    submit.click().run()
    assert any("Un souhait critique est encore ouvert" in e.value for e in app.error)
    with database.read() as session:
        assert session.get(Reservation, reservation).status == "booked"
    kitchen = app.checkbox(key=f"kitchen_{reservation}")
    assert kitchen.label.startswith("Cuisine / service concerné prévenu")
    kitchen.check()
    app.checkbox(key=f"reviewed_{reservation}").check()
    [submit] = [b for b in app.button if b.label == "Enregistrer l'arrivée"]
    submit.click().run()
    assert_no_error(app)
    with database.read() as session:
        assert session.get(Reservation, reservation).status == "checked_in"


def test_the_housekeeping_board_flags_the_room_of_a_critical_wish(
    database, hotel, hugo, book, signed_in
):
    book("A", "Anna", "Wheelchair user, cannot walk far", eta=time(11, 0), room="201")
    app = signed_in("hugo", "housekeeping")
    [alert] = [e for e in app.error if "CRITIQUE" in e.value]
    assert "Chambre accessible" in alert.value or "PMR" in alert.value
    [item] = [box for box in app.checkbox if "PMR" in box.label]
    assert item.label.startswith(":red[**CRITIQUE**]")
    assert "cannot walk" not in " ".join(e.value for e in app.error)  # the words stay private


def test_the_briefing_page_shows_the_critical_wish_first_and_the_words_only_to_the_front_desk(
    database, hotel, alice, hugo, book, signed_in
):
    book("A", "Anna", "Baby cot please. " + SEVERE.split(".")[0], eta=time(11, 0), room="101")
    front = signed_in("alice", "briefing")
    [alert] = [e for e in front.error if "CRITIQUE" in e.value]
    assert "Allergie alimentaire" in alert.value and "restaurant" in alert.value
    [listed] = [x.value for x in front.text if "Lit bébé" in x.value and "•" in x.value]
    assert "Allergie alimentaire" not in listed  # not twice: the red box holds it
    # Housekeeping has no briefing page: its board carries the same red box.
    housekeeping = signed_in("hugo", "housekeeping")
    [alert] = [e for e in housekeeping.error if "CRITIQUE" in e.value]
    assert "Allergie alimentaire" in alert.value and "restaurant" not in alert.value


def test_anonymising_a_guest_erases_how_severe_their_allergy_was(database, hotel, book):
    from requests.listeners import erase_wish_texts

    reservation = book("A", "Anna", "Severe nut allergy", room="101")
    with database.write() as session:
        erase_wish_texts(session, hotel.id, [reservation], now())
    allergy = active(database, reservation)["food_allergy"]
    assert (allergy.severity, allergy.matched_text) == ("normal", "")
