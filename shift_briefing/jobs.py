"""The shift's scheduled jobs (the archive they fill is read through shift_briefing/archive.py).

- 15 minutes before each shift, its briefing is frozen as a PDF in the archive;
- 30 minutes into each shift, front-desk staff on it who have not signed the current version
  are reminded, and the managers are told who has not;
- an hour before each guest is expected, a room that is not ready alerts housekeeping and the
  front desk;
- at 17:00, tomorrow's wishes still open or not possible go to the front desk and managers.

Each job re-checks the database and notifies "once" (a dedupe key per recipient), so a run
made up after downtime, or a manager's "run now", repeats nothing already said. What
shift_briefing/ does on events (retention, a new property, the demo) is in its listeners.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.auth import system_actor
from core.clock import to_local
from core.i18n import when_value
from core.job_result import JobResult, said
from core.lib import get_property, insert_unless_exists
from core.models import AuditEvent, Property
from core.notifications import Link, notify
from core.scheduling import (
    DailyAt,
    Every,
    Job,
    JobContext,
    Setting,
    hour_setting,
    latest_and_next,
)
from core.shifts import Roster, shifts
from guests.models import Reservation
from requests.jobs import catalogue_labels, task_label
from requests.tasks import tasks_for
from shift_briefing.attention import announce_changes
from shift_briefing.briefing import build_briefing, expected_moment, shift_window
from shift_briefing.models import BriefingAcknowledgement, BriefingArchive
from shift_briefing.pdf import briefing_pdf
from shift_briefing.promises import notify_broken_promises
from shift_briefing.readiness import arrivals_of_day, checklists_for
from shift_briefing.signing import keep_version, signatures, signed_current

SIGNED_IN_BEFORE = timedelta(hours=2)  # a sign-in this long before the shift counts as on it
DIGEST_LINES = 80
PENDING = ("open", "in_progress", "not_possible")


@dataclass(frozen=True)
class ShiftWindow:
    day: date
    shift: str
    start: datetime  # UTC
    end: datetime


def shift_windows(
    session: Session, hotel: Property, now: datetime, days: Sequence[int] = (-1, 0, 1)
) -> list[ShiftWindow]:
    """The property's shifts around `now` (yesterday's, today's, tomorrow's), by start."""
    today = to_local(now, hotel.timezone).date()
    all_shifts = shifts(session, hotel.id)
    windows = []
    for offset in days:
        day = today + timedelta(days=offset)
        for shift in all_shifts:
            start, end = shift_window(hotel, shift, day)
            windows.append(ShiftWindow(day, shift.name, start, end))
    return sorted(windows, key=lambda w: w.start)


@dataclass(frozen=True)
class AroundShifts:
    """Slots at each shift's start, moved by the minutes held in `setting` (before or after)."""

    setting: str
    after_start: bool

    def offset(self, settings: Mapping[str, int]) -> timedelta:
        minutes = timedelta(minutes=int(settings[self.setting]))
        return minutes if self.after_start else -minutes

    def slots(
        self,
        session: Session,
        property_id: int | None,
        timezone: str,
        settings: Mapping[str, int],
        now: datetime,
    ) -> tuple[datetime | None, datetime | None]:
        hotel = session.get(Property, property_id)
        if hotel is None:
            return None, None
        moments = [w.start + self.offset(settings) for w in shift_windows(session, hotel, now)]
        return latest_and_next(moments, now)

    def describe(self, settings: Mapping[str, int]) -> tuple[str, dict[str, Any]]:
        key = (
            "jobs.schedule_after_shift_start" if self.after_start else "jobs.schedule_before_shift"
        )
        return key, {"minutes": int(settings[self.setting])}


def _hotel(session: Session, job: JobContext) -> Property:
    hotel = get_property(session, job.property_id)
    return hotel


def _day(day: date) -> dict[str, str]:
    """A day for a stored text, worded when read in the reader's language (01/08)."""
    return when_value(day)


# --- the briefing archive ---------------------------------------------------------------------


def archive_briefings(session: Session, now: datetime, job: JobContext) -> JobResult:
    """Freezes each shift starting within the lead time (or running) that has no PDF yet."""
    hotel = _hotel(session, job)
    lead = timedelta(minutes=job.settings["minutes_before_shift"])
    system = system_actor(hotel.id, "scheduler")
    made = []
    for window in shift_windows(session, hotel, now):
        if not window.start - lead <= now < window.end:
            continue
        exists = session.scalar(
            select(BriefingArchive.id).where(
                BriefingArchive.property_id == hotel.id,
                BriefingArchive.briefing_date == window.day,
                BriefingArchive.shift == window.shift,
            )
        )
        if exists is not None:
            continue
        language = hotel.default_language
        briefing = build_briefing(session, system, hotel.id, window.day, window.shift, language)
        keep_version(session, briefing)  # its content, to tell later readers what changed
        pdf = briefing_pdf(briefing, signed_current(session, briefing), language)
        inserted = insert_unless_exists(
            session,
            BriefingArchive,
            [
                {
                    "property_id": hotel.id,
                    "briefing_date": window.day,
                    "shift": window.shift,
                    "version": briefing.version,
                    "language": language,
                    "arrivals": len(briefing.arrivals),
                    "pdf": pdf,
                    "made_at": now,
                }
            ],
            ["property_id", "briefing_date", "shift"],
        )
        if inserted:
            made.append(
                {
                    "t": "jobs.result_archived_item",
                    "v": {
                        "shift": {"t": f"shift.{window.shift}"},
                        "date": _day(window.day),
                        "version": briefing.version[:8],
                    },
                }
            )
    return said("jobs.result_archived", items=made) if made else said("jobs.result_no_archive")


# --- reminders to sign ------------------------------------------------------------------------


def on_shift(session: Session, property_id: int, window: ShiftWindow, now: datetime) -> set[int]:
    """Who works the shift: whom the roster puts on it, whoever signed in since shortly before
    it started, and whoever has signed any version of its briefing."""
    signed_in = session.scalars(
        select(AuditEvent.actor_id).where(
            AuditEvent.property_id == property_id,
            AuditEvent.action == "login",
            AuditEvent.at >= window.start - SIGNED_IN_BEFORE,
            AuditEvent.at <= now,
        )
    )
    signers = session.scalars(
        select(BriefingAcknowledgement.staff_id).where(
            BriefingAcknowledgement.property_id == property_id,
            BriefingAcknowledgement.briefing_date == window.day,
            BriefingAcknowledgement.shift == window.shift,
        )
    )
    roster = Roster(session, property_id)
    rostered = {
        staff_id
        for staff_id, duty in roster.on_shift(window.start).items()
        if (duty.shift, duty.day) == (window.shift, window.day)
    }
    return {i for i in signed_in if i is not None} | set(signers) | rostered


def remind_unsigned(session: Session, now: datetime, job: JobContext) -> JobResult:
    hotel = _hotel(session, job)
    into = timedelta(minutes=job.settings["minutes_into_shift"])
    system = system_actor(hotel.id, "scheduler")
    told: list[dict[str, Any]] = []
    for window in shift_windows(session, hotel, now):
        if not window.start + into <= now < window.end:
            continue
        briefing = build_briefing(
            session, system, hotel.id, window.day, window.shift, hotel.default_language
        )
        board = signatures(session, system, briefing)
        working = on_shift(session, hotel.id, window, now)
        unsigned = [s for s in board if not s.current and s.staff_id in working]
        values = {"shift": {"t": f"shift.{window.shift}"}, "date": _day(window.day)}
        version_key = f"{hotel.id}:{window.day}:{window.shift}:{briefing.version}"
        for person in unsigned:
            notify(
                session,
                hotel.id,
                "notify.sign_briefing",
                values,
                staff_id=person.staff_id,
                link=Link("briefing"),
                once=f"unsigned:{version_key}",
            )
        if unsigned:
            names = ", ".join(s.name for s in unsigned)
            notify(
                session,
                hotel.id,
                "notify.unsigned_summary",
                {**values, "names": names},
                role="manager",
                link=Link("dashboard"),
                once=f"unsigned-summary:{version_key}",
            )
            told.append({"t": "jobs.result_not_signed_by", "v": {**values, "names": names}})
        elif not any(s.current for s in board):
            notify(
                session,
                hotel.id,
                "notify.nobody_signed",
                values,
                role="manager",
                link=Link("dashboard"),
                once=f"nobody-signed:{version_key}",
            )
            told.append({"t": "jobs.result_nobody_signed", "v": values})
        else:
            told.append({"t": "jobs.result_all_signed", "v": values})
    return (
        said("jobs.result_reminders", shifts={"join": told, "sep": "; "})
        if told
        else said("jobs.result_no_shift")
    )


# --- rooms not ready before the guest arrives -------------------------------------------------


def alert_rooms_not_ready(session: Session, now: datetime, job: JobContext) -> JobResult:
    hotel = _hotel(session, job)
    lead = timedelta(minutes=job.settings["minutes_before_arrival"])
    today = to_local(now, hotel.timezone).date()
    nearby = list(
        session.scalars(
            select(Reservation)
            .where(
                Reservation.property_id == hotel.id,
                Reservation.arrival_date >= today - timedelta(days=1),
                Reservation.arrival_date <= today + timedelta(days=1),
                Reservation.status == "booked",
            )
            .order_by(Reservation.id)
        ).unique()
    )
    expected = {r.id: expected_moment(r, hotel) for r in nearby}
    # From an hour before the guest is expected to an hour after: a run made up late still warns.
    soon = [r for r in nearby if expected[r.id] - lead <= now < expected[r.id] + lead]
    system = system_actor(hotel.id, "scheduler")
    checklists = checklists_for(session, system, hotel.id, soon, hotel.check_in_time)
    alerted = []
    for reservation in soon:
        checklist = checklists[reservation.id]
        if checklist.ready:
            continue
        moment = expected[reservation.id]
        missing = checklist.open_items
        values = {
            "guest": checklist.guest_name,
            "room": checklist.room_number or "",
            "time": when_value(to_local(moment, hotel.timezone).time()),
            "missing": {
                "fr": ", ".join(i.label_fr for i in missing),
                "en": ", ".join(i.label_en for i in missing),
            },
        }
        once = f"room-not-ready:{reservation.id}:{moment.isoformat()}"
        key = "notify.room_not_ready" if checklist.room_number else "notify.room_not_assigned"
        for role, page in (("housekeeping", "housekeeping"), ("front_desk", "arrivals")):
            notify(
                session,
                hotel.id,
                key,
                values,
                role=role,
                link=Link(page, reservation.id),
                once=once,
            )
        alerted.append(checklist.room_number or checklist.confirmation_number)
    if not soon:
        return said("jobs.result_no_arrival_soon")
    return said(
        "jobs.result_arrivals_soon",
        count=len(soon),
        rooms=", ".join(alerted) if alerted else {"t": "jobs.result_none"},
    )


# --- tomorrow's digest ------------------------------------------------------------------------


def tomorrow_digest(session: Session, now: datetime, job: JobContext) -> JobResult:
    hotel = _hotel(session, job)
    tomorrow = to_local(job.slot, hotel.timezone).date() + timedelta(days=1)
    arrivals = arrivals_of_day(session, hotel.id, tomorrow)
    system = system_actor(hotel.id, "scheduler")
    broken = notify_broken_promises(session, hotel, tomorrow - timedelta(days=2))  # yesterday
    tasks = (
        [
            t
            for t in tasks_for(
                session,
                system,
                hotel.id,
                reservation_ids=[r.id for r in arrivals],
                timezone=hotel.timezone,
            )
            if t.status in PENDING
        ]
        if arrivals
        else []
    )
    if not tasks:
        return said(
            "jobs.result_digest_nothing", date=str(tomorrow), count=len(arrivals), broken=broken
        )
    labels = catalogue_labels(session, hotel.id)
    tasks.sort(key=lambda t: (t.status != "not_possible", t.guest_name, t.due_at))
    lines: list[Any] = [
        {
            "t": "notify.digest_line",
            "v": {
                "guest": t.guest_name,
                "room": t.room_number or "—",
                "wish": task_label(t.kind, t.code, labels),
                "status": {"t": f"status.{t.status}"},
            },
        }
        for t in tasks[:DIGEST_LINES]
    ]
    if len(tasks) > DIGEST_LINES:
        lines.append({"t": "notify.digest_more", "v": {"count": len(tasks) - DIGEST_LINES}})
    not_possible = sum(1 for t in tasks if t.status == "not_possible")
    values = {
        "date": _day(tomorrow),
        "open": len(tasks) - not_possible,
        "not_possible": not_possible,
        "lines": lines,
    }
    for role in ("front_desk", "manager"):
        notify(
            session,
            hotel.id,
            "notify.tomorrow_digest",
            values,
            role=role,
            link=Link("arrivals"),
            once=f"digest:{hotel.id}:{tomorrow}",
        )
    return said(
        "jobs.result_digest",
        date=str(tomorrow),
        open=len(tasks) - not_possible,
        not_possible=not_possible,
        broken=broken,
    )


# --- briefings changed after they were signed -------------------------------------------------


def tell_changed_briefings(session: Session, now: datetime, job: JobContext) -> JobResult:
    announced = announce_changes(session, _hotel(session, job), now)
    if not announced.shifts:
        return said("jobs.result_no_signed_briefing")
    return said("jobs.result_changed_told", shifts=announced.shifts, told=announced.told)


# --- the jobs, registered by core/startup.py in this order ------------------------------------

ARCHIVE = Job(
    name="archive_briefings",
    title="jobs.archive_title",
    help="jobs.archive_help",
    run=archive_briefings,
    schedule=AroundShifts("minutes_before_shift", after_start=False),
    settings=(Setting("minutes_before_shift", 15, "jobs.setting_minutes_before_shift", 0, 240),),
    position=20,
)
REMINDERS = Job(
    name="remind_unsigned",
    title="jobs.remind_title",
    help="jobs.remind_help",
    run=remind_unsigned,
    schedule=AroundShifts("minutes_into_shift", after_start=True),
    settings=(Setting("minutes_into_shift", 30, "jobs.setting_minutes_into_shift", 0, 480),),
    position=30,
)
ROOMS = Job(
    name="room_not_ready",
    title="jobs.rooms_title",
    help="jobs.rooms_help",
    run=alert_rooms_not_ready,
    schedule=Every(5),
    settings=(
        Setting("minutes_before_arrival", 60, "jobs.setting_minutes_before_arrival", 5, 480),
    ),
    position=40,
)
CHANGED = Job(
    name="briefing_changed",
    title="jobs.changed_title",
    help="jobs.changed_help",
    run=tell_changed_briefings,
    schedule=Every(5),
    position=35,
)
DIGEST = Job(
    name="tomorrow_digest",
    title="jobs.digest_title",
    help="jobs.digest_help",
    run=tomorrow_digest,
    schedule=DailyAt("hour"),
    settings=(hour_setting(17),),
    grace=timedelta(hours=6),
    position=50,
)
JOBS = (ARCHIVE, REMINDERS, ROOMS, CHANGED, DIGEST)
