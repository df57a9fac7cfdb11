"""The shift's jobs, driven by a frozen clock: the briefing frozen before the shift, reminders
to sign it, rooms not ready before the guest, and tomorrow's digest."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from core import auth
from core.auth import PermissionDenied, actor_for, system_actor
from core.clock import set_now
from core.notifications import inbox
from core.scheduling import due_runs, run_job
from core.staff import create_staff
from guests.models import Reservation
from guests.rooms import set_housekeeping_status
from requests.models import Request, Task
from requests.tasks import change_task_status
from shift_briefing.archive import archived_briefings, archived_pdf
from shift_briefing.briefing import build_briefing
from shift_briefing.jobs import AroundShifts
from shift_briefing.models import BriefingArchive, BriefingVersion
from shift_briefing.signing import sign_briefing

DAY = date(2026, 7, 14)  # summer in Paris: UTC+2


def paris(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour - 2, minute, tzinfo=UTC)


def run(database, hotel, job: str, at: datetime) -> str:
    set_now(at)
    outcome = run_job(database, job, hotel.id, at, holder="test")
    assert outcome is not None and outcome.status == "ok", outcome
    return outcome.result


def told(database, who) -> list[str]:
    with database.read() as session:
        return [item.text for item in inbox(session, who, "en")]


@pytest.fixture
def bob(database, hotel):
    """Bob works at the front desk too."""
    with database.write() as session:
        person = create_staff(
            session,
            system_actor(hotel.id),
            name="Bob Desk",
            login="bob",
            password="bob-password",
            roles=["front_desk"],
            language="en",
            property_id=hotel.id,
        )
        return actor_for(person)


def sign_in(database, login: str, at: datetime) -> None:
    set_now(at)
    with database.write() as session:
        assert auth.authenticate(session, login, f"{login}-password").actor is not None


# --- the briefing archive ---------------------------------------------------------------------


def test_the_briefing_is_frozen_fifteen_minutes_before_its_shift(
    database, hotel, alice, hugo, book
):
    book("A", "Anna Late", "baby cot please", eta=time(16, 0), room="101")
    with database.read() as session:
        schedule = AroundShifts("minutes_before_shift", after_start=False)
        slots = schedule.slots(
            session, hotel.id, hotel.timezone, {"minutes_before_shift": 15}, paris(DAY, 14, 50)
        )
    assert slots == (paris(DAY, 14, 45), paris(DAY, 22, 45))

    # The first run ever also freezes the night shift still running: it had no archive yet.
    first = run(database, hotel, "archive_briefings", paris(DAY, 6, 45))
    assert first.startswith("archived: Night 13/07 v") and ", Morning 14/07 v" in first
    result = run(database, hotel, "archive_briefings", paris(DAY, 14, 45))
    assert result.startswith("archived: Afternoon 14/07")
    with database.read() as session:
        frozen = build_briefing(session, alice, hotel.id, DAY, "afternoon", "fr")
        archive = session.scalars(
            select(BriefingArchive).where(BriefingArchive.shift == "afternoon")
        ).one()
        kept = session.scalars(
            select(BriefingVersion.version).where(BriefingVersion.shift == "afternoon")
        ).all()
    assert archive.version == frozen.version and kept == [frozen.version]
    assert archive.pdf.startswith(b"%PDF") and archive.arrivals == 1
    assert archive.made_at == paris(DAY, 14, 45)

    # What was handed over stays: a later change, or a second run, does not touch the archive.
    with database.write() as session:
        cot = session.scalars(select(Task)).first()
        change_task_status(session, hugo, cot.id, cot.version, "done")
    assert run(database, hotel, "archive_briefings", paris(DAY, 14, 55)) == "nothing to archive"
    with database.read() as session:
        assert session.get(BriefingArchive, archive.id).version == frozen.version


def test_the_front_desk_downloads_what_was_handed_over(database, hotel, alice, hugo, book):
    book("A", "Anna Late", eta=time(16, 0))
    run(database, hotel, "archive_briefings", paris(DAY, 14, 45))
    with database.read() as session:
        listed = archived_briefings(session, alice, hotel.id, DAY, DAY)
        assert [(a.day, a.shift, a.erased) for a in listed] == [
            (DAY, "afternoon", False),
            (DAY, "morning", False),
        ]
        assert archived_pdf(session, alice, hotel.id, listed[0].id).startswith(b"%PDF")
        assert listed[0].size > 1000
        with pytest.raises(PermissionDenied):
            archived_briefings(session, hugo, hotel.id, DAY, DAY)


# --- reminders to sign ------------------------------------------------------------------------


def test_thirty_minutes_into_the_shift_who_has_not_signed_is_reminded(
    database, hotel, alice, bob, maria, book
):
    book("A", "Anna Late", "baby cot please", eta=time(16, 0), room="101")
    carol = actor_for(_front_desk(database, hotel, "carol", "Carol Home"))  # not working today
    sign_in(database, "alice", paris(DAY, 14, 40))
    sign_in(database, "bob", paris(DAY, 14, 50))
    with database.write() as session:
        briefing = build_briefing(session, bob, hotel.id, DAY, "afternoon", "en")
        sign_briefing(session, bob, briefing, briefing.version)

    result = run(database, hotel, "remind_unsigned", paris(DAY, 15, 30))
    assert result == "Afternoon 14/07: not signed by Alice Front"
    assert told(database, alice) == ["Please read and sign the briefing of 14/07 (Afternoon)."]
    assert told(database, bob) == [] and told(database, carol) == []
    assert told(database, maria) == ["Briefing of 14/07 (Afternoon) not signed by: Alice Front."]

    run(database, hotel, "remind_unsigned", paris(DAY, 15, 45))  # a manager's "run now"
    assert len(told(database, alice)) == 1 and len(told(database, maria)) == 1


def test_the_manager_hears_when_nobody_has_signed(database, hotel, maria, book):
    book("A", "Anna Late", eta=time(16, 0))
    run(database, hotel, "remind_unsigned", paris(DAY, 15, 30))
    assert told(database, maria) == ["Nobody has signed the briefing of 14/07 (Afternoon) yet."]


def test_reminders_wait_for_thirty_minutes_into_the_shift(database, hotel, alice, maria, book):
    sign_in(database, "alice", paris(DAY, 14, 40))
    with database.read() as session:
        due = {d.job: d.slot for d in due_runs(session, paris(DAY, 15, 29))}
    assert due["remind_unsigned"] == paris(DAY, 7, 30)  # the morning's, already past
    with database.read() as session:
        due = {d.job: d.slot for d in due_runs(session, paris(DAY, 15, 30))}
    assert due["remind_unsigned"] == paris(DAY, 15, 30)


def _front_desk(database, hotel, login: str, name: str):
    with database.write() as session:
        return create_staff(
            session,
            system_actor(hotel.id),
            name=name,
            login=login,
            password=f"{login}-password",
            roles=["front_desk"],
            property_id=hotel.id,
        )


# --- rooms not ready --------------------------------------------------------------------------


def test_an_hour_before_the_guest_a_room_not_ready_alerts_housekeeping_and_the_front_desk(
    database, hotel, alice, hugo, book
):
    book("A", "Anna Late", "baby cot please", eta=time(16, 0), room="101")
    assert run(database, hotel, "room_not_ready", paris(DAY, 14, 55)) == (
        "no arrival within the hour"
    )
    result = run(database, hotel, "room_not_ready", paris(DAY, 15, 0))
    assert result == "1 arrival soon; not ready: 101"
    expected = (
        "Room 101 is not ready for Anna Late, expected at 16:00. "
        "Still to do: Room cleaned, Room inspected, "
    )
    [to_housekeeping] = told(database, hugo)
    [to_front_desk] = told(database, alice)
    assert to_housekeeping.startswith(expected) and to_front_desk == to_housekeeping
    run(database, hotel, "room_not_ready", paris(DAY, 15, 5))
    assert len(told(database, hugo)) == 1  # said once


def test_a_ready_room_raises_no_alert(database, hotel, hugo, book):
    reservation = book("A", "Anna Late", "baby cot please", eta=time(16, 0), room="101")
    with database.write() as session:
        cot = session.scalars(select(Task).where(Task.reservation_id == reservation)).one()
        change_task_status(session, hugo, cot.id, cot.version, "done")
        room_id = session.get(Reservation, reservation).room_id
        set_housekeeping_status(session, hugo, room_id, "clean")
        set_housekeeping_status(session, hugo, room_id, "inspected")
    result = run(database, hotel, "room_not_ready", paris(DAY, 15, 10))
    assert result == "1 arrival soon; not ready: none"
    assert told(database, hugo) == []


# --- tomorrow's digest ------------------------------------------------------------------------


def test_at_five_the_day_before_open_and_impossible_wishes_go_out(
    database, hotel, alice, hugo, maria, book
):
    first = book("A", "Anna Late", "baby cot and extra pillows please", room="101")
    book("B", "Ben Early", "late check-out", room="102")
    with database.write() as session:
        tasks = {
            code: task
            for task, code in session.execute(
                select(Task, Request.code).join(Request, Request.id == Task.request_id)
            )
        }
        change_task_status(session, hugo, tasks["extra_pillows"].id, 1, "done")
        change_task_status(
            session, hugo, tasks["baby_cot"].id, 1, "not_possible", reason="no cot left"
        )
    assert first
    the_day_before = DAY - timedelta(days=1)
    result = run(database, hotel, "tomorrow_digest", paris(the_day_before, 17, 0))
    assert result == "2026-07-14: 2 open, 1 not possible; 0 promises broken yesterday"
    [to_manager] = told(database, maria)
    assert told(database, alice) == [to_manager]
    lines = to_manager.splitlines()
    assert lines[0] == "Tomorrow, 14/07: 2 wishes still open, 1 not possible."
    assert lines[1] == "• Anna Late (101): Baby cot — Not possible"
    assert "Extra pillows" not in to_manager  # done: nothing to say
    assert any(line.startswith("• Ben Early (102): ") for line in lines)


def test_a_digest_missed_by_more_than_six_hours_is_not_sent_late(database, hotel, maria):
    with database.read() as session:
        evening = {d.job for d in due_runs(session, paris(DAY, 22, 59))}
        late = {d.job for d in due_runs(session, paris(DAY, 23, 1))}
    assert "tomorrow_digest" in evening and "tomorrow_digest" not in late
