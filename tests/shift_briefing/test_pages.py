"""The front-desk and housekeeping pages do the job end to end (AppTest, in-process): what a
click saves is in the database afterwards."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from guests.models import Reservation
from requests.models import Request, Task
from shift_briefing.models import BriefingAcknowledgement
from tests.conftest import assert_no_error
from tests.shift_briefing.conftest import open_arrival

DAY = date(2026, 7, 14)


def test_signing_on_the_briefing_page_is_saved(database, alice, book, signed_in):
    book("A", "Anna Morning", "baby cot please", eta=time(11, 0), room="101")
    app = signed_in("alice", "briefing")
    [read] = [box for box in app.checkbox if box.label == "J'ai lu ce briefing"]
    read.check()
    [sign] = [b for b in app.button if b.label == "Signer le briefing"]
    sign.click().run()
    assert_no_error(app)
    with database.read() as session:
        [signature] = session.scalars(select(BriefingAcknowledgement)).all()
    assert (signature.staff_id, signature.shift) == (alice.id, "morning")
    assert any("Vous avez signé cette version" in s.value for s in app.success)


def test_ticking_the_cot_on_the_housekeeping_board_finishes_its_task(
    database, hugo, book, signed_in
):
    reservation = book("A", "Anna Morning", "baby cot please", eta=time(11, 0), room="101")
    app = signed_in("hugo", "housekeeping")
    [cot] = [box for box in app.checkbox if box.label == "Lit bébé installé et fait"]
    cot.check().run()
    assert_no_error(app)
    with database.read() as session:
        task = session.scalars(
            select(Task)
            .join(Request, Request.id == Task.request_id)
            .where(Task.reservation_id == reservation, Request.code == "baby_cot")
        ).one()
    assert (task.status, task.completed_by_id) == ("done", hugo.id)


def test_checking_in_on_the_arrivals_page_is_saved(database, alice, hugo, book, signed_in):
    reservation = book("A", "Anna Morning", eta=time(11, 0), room="101")
    from shift_briefing.readiness import tick

    with database.write() as session:
        tick(session, hugo, 1, reservation, "cleaned", True)
        tick(session, hugo, 1, reservation, "inspected", True)
    app = open_arrival(signed_in("alice", "arrivals"), reservation)
    [check_in] = [b for b in app.button if b.label == "Enregistrer l'arrivée"]
    check_in.click().run()
    assert_no_error(app)
    with database.read() as session:
        assert session.get(Reservation, reservation).status == "checked_in"


def test_a_guest_name_that_looks_like_markdown_shows_as_typed(database, alice, book, signed_in):
    book("A", "[Call me](http://evil.example) **now**", eta=time(11, 0), room="101")
    app = signed_in("alice", "arrivals")
    [card] = [e for e in app.expander if "Call me" in e.label]
    # Every markdown character is escaped: the title shows the name, never a link or bold.
    assert r"\[Call me\]\(http\:" in card.label and r"\*\*now\*\*" in card.label
