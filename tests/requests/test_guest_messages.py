"""What the guest is told by e-mail: the pre-arrival confirmation (once per state, never the
health details) against a real local SMTP server, and "not possible" by the channel that fits
the time left before arrival. Both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller
from sqlalchemy import select

from core.clock import frozen_at
from core.i18n import t
from core.notifications import SmtpConfig
from core.scheduling import run_job, save_job_setting
from guests.guest_models import GuestMessage
from requests import tasks
from requests.guest_outbox import deliver_guest_messages, outbox
from shift_briefing.briefing import build_briefing
from tests.requests.guest_support import (
    ARRIVAL,
    Mailbox,
    body_of,
    book,
    free_port,
    tasks_of,
    wish_task,
)

THREE_DAYS_BEFORE = datetime(2026, 7, 11, 8, 0, tzinfo=UTC)
ARRIVES = datetime(2026, 7, 14, 13, 0, tzinfo=UTC)  # 15:00 in Paris


def confirm(database, hotel, moment: datetime, config) -> None:
    with frozen_at(moment):
        outcome = run_job(database, "guest_confirmations", hotel.id, moment, holder="test")
        assert outcome is not None and outcome.status == "ok", outcome
        deliver_guest_messages(database, config)


def test_the_confirmation_is_sent_once_in_the_guests_language_without_health_details(
    database, hotel, rita, smtp
):
    mailbox, config = smtp
    book(database, hotel, rita, wish_text="Babybett bitte, Nussallergie, Parkplatz")
    confirm(database, hotel, THREE_DAYS_BEFORE - timedelta(days=1), config)
    assert mailbox.messages == []  # four days before: not yet
    confirm(database, hotel, THREE_DAYS_BEFORE, config)
    confirm(database, hotel, THREE_DAYS_BEFORE + timedelta(hours=1), config)
    assert len(mailbox.messages) == 1
    mail = mailbox.messages[0]
    text = body_of(mail)
    assert mail["To"] == "anna@example.org"
    assert mail["Subject"] == "Ihr Aufenthalt — Hôtel Test: was wir notiert haben"
    assert "Guten Tag Anna," in text and "- Babybett — es wird bei Ihrer Ankunft" in text
    assert "Lebensmittelallergie — Ihre Angaben wurden an das zuständige Team" in text
    assert "Nuss" not in text
    assert "http://localhost:8501/guest/" in text


def test_a_changed_promise_is_confirmed_again_once(database, hotel, rita, maria, smtp):
    mailbox, config = smtp
    stay = book(database, hotel, rita, wish_text="Babybett bitte, Parkplatz")
    confirm(database, hotel, THREE_DAYS_BEFORE, config)
    parking = wish_task(database, stay.reservation_id, "parking")
    with frozen_at(THREE_DAYS_BEFORE + timedelta(hours=2)), database.write() as session:
        tasks.change_task_status(
            session,
            maria,
            parking.id,
            parking.version,
            "not_possible",
            "the garage is closed for works",
            alternative="public car park 200 m away",
        )
    with frozen_at(THREE_DAYS_BEFORE + timedelta(hours=2)):
        deliver_guest_messages(database, config)  # the "not possible" e-mail goes at once
    for hours in (3, 4):
        confirm(database, hotel, THREE_DAYS_BEFORE + timedelta(hours=hours), config)
    subjects = [m["Subject"] for m in mailbox.messages]
    assert subjects == [
        "Ihr Aufenthalt — Hôtel Test: was wir notiert haben",
        "Ihr Aufenthalt — Hôtel Test: zu einem Ihrer Wünsche",
        "Ihr Aufenthalt — Hôtel Test: was wir notiert haben",
    ]
    assert "Parkplatz — nicht möglich: the garage is closed for works" in body_of(
        mailbox.messages[1]
    )
    assert "wir schlagen vor: public car park 200 m away" in body_of(mailbox.messages[1])


def test_without_smtp_the_confirmation_waits_in_the_front_desks_outbox(
    database, hotel, rita, alice
):
    book(database, hotel, rita, wish_text="Babybett bitte")
    book(database, hotel, rita, confirmation="G2", name="No Mail", email=None)
    confirm(database, hotel, THREE_DAYS_BEFORE, None)
    confirm(database, hotel, THREE_DAYS_BEFORE + timedelta(hours=1), None)
    with database.read() as session:
        waiting = outbox(session, alice, hotel.id)
    assert [(m.confirmation_number, m.status, m.kind) for m in waiting] == [
        ("G1", "pending", "confirmation")
    ]
    assert "Babybett" in waiting[0].body


def test_a_booking_made_after_the_confirmation_day_is_confirmed_at_once(
    database, hotel, rita, smtp
):
    mailbox, config = smtp
    late = THREE_DAYS_BEFORE + timedelta(days=2)
    book(database, hotel, rita, wish_text="Babybett bitte", at=late)
    confirm(database, hotel, late + timedelta(minutes=5), config)
    assert len(mailbox.messages) == 1


def _not_possible(database, hugo, reservation_id: int, moment: datetime) -> None:
    cot = wish_task(database, reservation_id, "baby_cot")
    with frozen_at(moment), database.write() as session:
        tasks.change_task_status(
            session,
            hugo,
            cot.id,
            cot.version,
            "not_possible",
            "all our cots are in use",
            alternative="a travel cot from the shop next door",
        )


def test_more_than_24_hours_before_arrival_the_guest_is_told_by_e_mail(
    database, hotel, rita, hugo, alice, smtp
):
    mailbox, config = smtp
    stay = book(database, hotel, rita, wish_text="Babybett bitte")
    moment = ARRIVES - timedelta(hours=25)
    _not_possible(database, hugo, stay.reservation_id, moment)
    tell = next(t for t in tasks_of(database, stay.reservation_id) if t.kind == "tell_guest")
    assert tell.title == "" and tell.due_at > moment + timedelta(hours=1)  # no call
    with frozen_at(moment + timedelta(minutes=1)):
        deliver_guest_messages(database, config)
    assert len(mailbox.messages) == 1
    told = next(t for t in tasks_of(database, stay.reservation_id) if t.kind == "tell_guest")
    assert told.status == "done" and told.reason.startswith("e-mail ")
    with database.read() as session:  # the briefing says the guest was told, and how
        briefing = build_briefing(session, alice, hotel.id, ARRIVAL, "afternoon", "en")
    [guest] = briefing.arrivals
    line = next(w for w in guest.wishes if w.kind == "tell_guest")
    assert (line.status, line.reason) == ("done", told.reason)
    cot = next(w for w in guest.wishes if w.kind == "wish")
    assert cot.alternative == "a travel cot from the shop next door"  # as the guest reads it


def test_less_than_24_hours_before_arrival_the_front_desk_calls_within_the_hour(
    database, hotel, rita, hugo, alice, smtp
):
    mailbox, config = smtp
    stay = book(database, hotel, rita, wish_text="Babybett bitte")
    moment = ARRIVES - timedelta(hours=23)
    _not_possible(database, hugo, stay.reservation_id, moment)
    call = next(t for t in tasks_of(database, stay.reservation_id) if t.kind == "tell_guest")
    assert call.title == "☎ Ms Anna Schmidt: +49 30 1234567"
    assert call.due_at == moment + timedelta(hours=1) and call.department == "front_desk"
    with frozen_at(moment + timedelta(minutes=10)), database.write() as session:
        tasks.change_task_status(session, alice, call.id, call.version, "done")  # she called
    with frozen_at(moment + timedelta(minutes=11)):
        deliver_guest_messages(database, config)
    assert len(mailbox.messages) == 1  # the e-mail as well
    with database.read() as session:
        sent = session.scalars(select(GuestMessage).where(GuestMessage.kind == "not_possible"))
        assert [m.status for m in sent] == ["sent"]
    done = next(t for t in tasks_of(database, stay.reservation_id) if t.kind == "tell_guest")
    assert done.status == "done" and done.completed_by_id == alice.id  # closed once, by the call


def _refuse(database, who, reservation_id: int, code: str, reason: str, moment: datetime):
    task = wish_task(database, reservation_id, code)
    with frozen_at(moment), database.write() as session:
        tasks.change_task_status(session, who, task.id, task.version, "not_possible", reason)


def _tell_task(database, reservation_id: int, code: str):
    wish = wish_task(database, reservation_id, code)
    return next(
        t
        for t in tasks_of(database, reservation_id)
        if t.kind == "tell_guest" and t.request_id == wish.request_id
    )


def test_two_wishes_refused_in_a_row_are_both_told_by_e_mail(
    database, hotel, rita, hugo, maria, smtp
):
    mailbox, config = smtp
    stay = book(database, hotel, rita, wish_text="Babybett bitte, Parkplatz")
    moment = ARRIVES - timedelta(days=3)
    _refuse(database, hugo, stay.reservation_id, "baby_cot", "all our cots are in use", moment)
    _refuse(database, maria, stay.reservation_id, "parking", "the garage is closed", moment)
    with frozen_at(moment + timedelta(minutes=1)):
        deliver_guest_messages(database, config)  # the next run: both e-mails wait
    bodies = [body_of(m) for m in mailbox.messages]
    assert len(bodies) == 2
    assert "Babybett — nicht möglich: all our cots are in use" in bodies[0]
    assert "Parkplatz — nicht möglich: the garage is closed" in bodies[1]
    assert _tell_task(database, stay.reservation_id, "baby_cot").status == "done"
    assert _tell_task(database, stay.reservation_id, "parking").status == "done"


def test_an_e_mail_about_one_wish_does_not_close_the_other_wishs_tell_task(
    database, hotel, rita, hugo, maria
):
    class RefusesParking(Mailbox):
        async def handle_DATA(self, server, session, envelope):
            mail = message_from_bytes(envelope.content, policy=policy.default)
            if "Parkplatz" in body_of(mail):
                return "550 mailbox full"
            self.messages.append(mail)
            return "250 OK"

    mailbox = RefusesParking()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        config = SmtpConfig(host="127.0.0.1", port=controller.port, sender="hotel@example.org")
        stay = book(database, hotel, rita, wish_text="Babybett bitte, Parkplatz")
        moment = ARRIVES - timedelta(days=3)
        _refuse(database, hugo, stay.reservation_id, "baby_cot", "all our cots are in use", moment)
        _refuse(database, maria, stay.reservation_id, "parking", "the garage is closed", moment)
        with frozen_at(moment + timedelta(minutes=1)):
            deliver_guest_messages(database, config)
    finally:
        controller.stop()
    assert len(mailbox.messages) == 1
    assert _tell_task(database, stay.reservation_id, "baby_cot").status == "done"
    assert _tell_task(database, stay.reservation_id, "parking").status == "open"  # not told yet


def test_a_refusal_taken_back_before_its_e_mail_went_is_not_sent(database, hotel, rita, hugo, smtp):
    mailbox, config = smtp
    stay = book(database, hotel, rita, wish_text="Babybett bitte")
    moment = ARRIVES - timedelta(days=3)
    _refuse(database, hugo, stay.reservation_id, "baby_cot", "all our cots are in use", moment)
    cot = wish_task(database, stay.reservation_id, "baby_cot")
    with frozen_at(moment + timedelta(minutes=2)), database.write() as session:
        tasks.change_task_status(session, hugo, cot.id, cot.version, "open")  # one came back
    with frozen_at(moment + timedelta(minutes=3)):
        deliver_guest_messages(database, config)
    assert mailbox.messages == []
    assert _tell_task(database, stay.reservation_id, "baby_cot").status == "cancelled"


def test_a_guest_without_an_e_mail_address_is_called_even_days_before(
    database, hotel, rita, hugo
):
    stay = book(database, hotel, rita, wish_text="Babybett bitte", email=None)
    moment = ARRIVES - timedelta(days=3)
    _not_possible(database, hugo, stay.reservation_id, moment)
    call = next(t for t in tasks_of(database, stay.reservation_id) if t.kind == "tell_guest")
    assert call.title == "☎ Ms Anna Schmidt: +49 30 1234567"  # the number to call
    assert call.due_at > moment + timedelta(days=1)  # no rush: the usual deadline


def test_an_address_no_e_mail_can_carry_fails_alone_and_waits_in_the_outbox(
    database, hotel, rita, alice, smtp
):
    mailbox, config = smtp
    book(database, hotel, rita, wish_text="Babybett bitte", email="anna@example.org\nBcc: x@y.z")
    book(database, hotel, rita, confirmation="G2", name="Bob Other", email="bob@example.org")
    confirm(database, hotel, THREE_DAYS_BEFORE, config)
    assert [m["To"] for m in mailbox.messages] == ["bob@example.org"]  # the other one went
    with database.read() as session:
        waiting = outbox(session, alice, hotel.id)
    assert [(m.confirmation_number, m.status) for m in waiting] == [("G1", "failed")]


def test_a_message_whose_sending_was_cut_off_shows_in_the_outbox_after_an_hour(
    database, hotel, rita, alice
):
    book(database, hotel, rita, wish_text="Babybett bitte")
    confirm(database, hotel, THREE_DAYS_BEFORE, None)
    with database.write() as session:  # claimed, then the process died before marking it
        [message] = session.scalars(select(GuestMessage))
        message.status = "sending"
    for later, shown in ((timedelta(minutes=30), []), (timedelta(hours=2), ["sending"])):
        with frozen_at(THREE_DAYS_BEFORE + later), database.read() as session:
            assert [m.status for m in outbox(session, alice, hotel.id)] == shown
    assert t("guest_ui.status_sending", "fr") != "guest_ui.status_sending"


def test_no_confirmation_is_e_mailed_before_the_managers_hour(database, hotel, rita, maria, smtp):
    mailbox, config = smtp
    with database.write() as session:
        save_job_setting(session, maria, "guest_confirmations", True, {"from_hour": 9})
    book(database, hotel, rita, wish_text="Babybett bitte")
    night = datetime(2026, 7, 11, 3, 0, tzinfo=UTC)  # 05:00 in Paris, three days before
    with frozen_at(night):
        outcome = run_job(database, "guest_confirmations", hotel.id, night, holder="test")
        deliver_guest_messages(database, config)
    assert outcome.status == "ok" and outcome.result.startswith("not before 09:00")
    assert mailbox.messages == []
    confirm(database, hotel, datetime(2026, 7, 11, 7, 5, tzinfo=UTC), config)  # 09:05
    assert len(mailbox.messages) == 1
