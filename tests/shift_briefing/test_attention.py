"""A briefing that changed after you signed it finds you: once per version in your inbox, on
your landing page and in the navigation, until you sign again."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from core.clock import set_now
from core.notifications import Notification, inbox, unread_count
from core.scheduling import run_job
from requests.models import Request, Task
from requests.tasks import change_task_status
from shift_briefing.attention import announce, changed_since_signed, unannounced
from shift_briefing.briefing import build_briefing
from shift_briefing.signing import sign_briefing

DAY = date(2026, 7, 14)


def sign(database, who, hotel, shift="afternoon"):
    with database.read() as session:
        read = build_briefing(session, who, hotel.id, DAY, shift, "en")
    with database.write() as session:
        sign_briefing(session, who, read, read.version)
    return read.version


def set_status(database, who, reservation_id, code, status):
    with database.write() as session:
        task = session.scalars(
            select(Task)
            .join(Request, Request.id == Task.request_id)
            .where(Task.reservation_id == reservation_id, Request.code == code)
        ).one()
        change_task_status(session, who, task.id, task.version, status)


def look(database, who):
    """What a page load does: detect, and notify what was not said yet."""
    with database.read() as session:
        changed = changed_since_signed(session, who)
        new = unannounced(session, who, changed)
    with database.write() as session:
        announce(session, who, new)
    return changed


def notices(database, who):
    with database.read() as session:
        return list(
            session.scalars(
                select(Notification).where(
                    Notification.recipient_id == who.id,
                    Notification.key == "notify.briefing_changed",
                )
            )
        )


def test_nothing_to_say_while_the_signed_version_is_current(database, hotel, alice, book):
    book("A", "Anna Late", "baby cot please", room="101")
    sign(database, alice, hotel)
    assert look(database, alice) == []
    assert notices(database, alice) == []


def test_a_change_after_signing_is_notified_once_per_version(database, hotel, alice, hugo, book):
    anna = book("A", "Anna Late", "baby cot and extra pillows please", room="101")
    signed = sign(database, alice, hotel)
    set_status(database, hugo, anna, "baby_cot", "done")
    [changed] = look(database, alice)
    assert (changed.day, changed.shift, changed.signed_version) == (DAY, "afternoon", signed)
    look(database, alice)  # a second page load says nothing new
    assert len(notices(database, alice)) == 1
    with database.read() as session:
        [item] = [i for i in inbox(session, alice, "en") if "briefing" in i.text]
        assert unread_count(session, alice) == 1
    assert item.text.startswith("The briefing of 14/07 (Afternoon) changed after you signed it")
    assert item.link is not None and item.link.page == "briefing"

    set_status(database, hugo, anna, "extra_pillows", "done")  # another version
    look(database, alice)
    assert len(notices(database, alice)) == 2


def test_signing_the_new_version_ends_the_notice_and_reads_it(database, hotel, alice, hugo, book):
    anna = book("A", "Anna Late", "baby cot please", room="101")
    sign(database, alice, hotel)
    set_status(database, hugo, anna, "baby_cot", "done")
    assert look(database, alice)
    sign(database, alice, hotel)
    assert look(database, alice) == []
    with database.read() as session:
        assert unread_count(session, alice) == 0


def test_a_shift_that_is_over_is_no_longer_news(database, hotel, alice, hugo, book):
    anna = book("A", "Anna Late", "baby cot please", room="101")
    sign(database, alice, hotel)
    set_status(database, hugo, anna, "baby_cot", "done")
    set_now(datetime(2026, 7, 14, 21, 30, tzinfo=UTC))  # 23:30 in Paris: the afternoon ended
    assert look(database, alice) == []


def test_only_signers_are_told(database, hotel, alice, hugo, maria, book):
    anna = book("A", "Anna Late", "baby cot please", room="101")
    sign(database, alice, hotel)
    set_status(database, hugo, anna, "baby_cot", "done")
    assert look(database, maria) == [] and look(database, hugo) == []


def test_the_scheduler_tells_signers_who_are_not_in_the_app_once(
    database, hotel, alice, hugo, book
):
    anna = book("A", "Anna Late", "baby cot please", room="101")
    sign(database, alice, hotel)
    set_status(database, hugo, anna, "baby_cot", "done")
    moment = datetime(2026, 7, 14, 8, 5, tzinfo=UTC)
    first = run_job(database, "briefing_changed", hotel.id, moment, holder="test")
    assert (
        first is not None
        and first.result == "1 signed briefings checked; 1 people told of a change"
    )
    assert len(notices(database, alice)) == 1
    look(database, alice)  # her next page load: already told, nothing new
    later = run_job(
        database, "briefing_changed", hotel.id, moment + timedelta(minutes=5), holder="t"
    )
    assert later is not None and later.result.endswith("0 people told of a change")
    assert len(notices(database, alice)) == 1
