"""The shift briefing: who arrives during a shift, and every wish with its task status.

Its version is a hash of what a reader needs (arrivals, rooms, ETAs, wishes, task statuses,
deadlines, reasons): it changes exactly when one of those changes, and not when time merely
passes.

Who is where, truthfully: a guest is an arrival of the shift they walk in (their check-in time
once checked in, their expected time until then), never "arrived" before they have; a guest
checked in is in house, the others with wishes due during the shift are awaited; each
reservation, and so each room, appears once.

The content is built in full and then narrowed to what the reader's role may see: health
details go to the front desk and managers only.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from core.audit import Who
from core.auth import require, system_actor
from core.clock import local_to_utc, now, to_local
from core.errors import UserError
from core.models import Property
from core.shifts import Shift, shift_window
from guests.models import Reservation, Room
from requests.catalogue import catalogue_items
from requests.deadlines import NIGHT_ENDS
from requests.guest_corrections import changed_by_guest
from requests.labels import task_label_text
from requests.models import Request, Task
from requests.severity import CRITICAL, NORMAL
from requests.tasks import TRIAGE, TaskView, sees_health_details, tasks_for
from shift_briefing.booked import AnyReservation, AnyRoom, Booked, Stay, booked, stays
from shift_briefing.readiness import RoomChecklist, checklists_for

READERS = ("front_desk", "manager", "housekeeping", "reservations")
ROOM_FEATURE_OF = {  # wish code -> the room feature that grants it
    "twin_beds": "twin",
    "accessible_room": "accessible",
    "quiet_room": "quiet",
    "view": "view",
    "bathtub": "bathtub",
    "double_bed": "double",
}
LONG_WISH = 600  # characters of a guest's words printed before "continued in the app"
# A shift's reservations as read: in full (Booked) to describe them, or as the version reads
# them (Stay).
Read = TypeVar("Read", Booked, Stay)


@dataclass(frozen=True)
class WishLine:
    task_id: int
    kind: str  # wish, triage, tell_guest
    code: str | None
    label: str  # the practical instruction, in the reader's language
    status: str
    due_at: datetime
    overdue: bool
    reason: str | None
    quantity: int | None
    at_time: str | None
    sensitive: bool
    detail: str | None  # the guest's words; None when the reader's role may not see them
    alternative: str | None = None  # what staff proposed the guest when not possible
    severity: str = NORMAL  # CRITICAL: shown first, in red, to every reader (words or not)

    @property
    def critical(self) -> bool:
        return self.severity == CRITICAL


@dataclass(frozen=True)
class BriefingGuest:
    reservation_id: int
    confirmation_number: str
    guest_name: str
    vip_level: int
    returning: bool
    remembered: tuple[str, ...]  # labels of wishes from earlier stays
    arrival_date: date
    expected_at: time  # the ETA, or the check-in time
    eta_given: bool
    room_number: str | None
    nights: int
    adults: int
    children: int
    status: str
    wish_text: str
    wishes: tuple[WishLine, ...]
    room_flags: tuple[str, ...]  # labels of room wishes the room does not (or cannot yet) meet
    readiness: RoomChecklist | None
    expected_moment: datetime | None = None  # UTC: when the guest is expected to walk in
    checked_in_at: datetime | None = None  # UTC, once checked in

    @property
    def checked_in(self) -> bool:
        return self.status == "checked_in"

    changed_by_guest_at: datetime | None = None  # the guest corrected their wishes on their page


@dataclass(frozen=True)
class Briefing:
    property_id: int
    hotel_name: str
    timezone: str
    day: date
    shift: str
    starts: datetime  # UTC
    ends: datetime  # UTC
    version: str
    made_at: datetime  # UTC
    arrivals: tuple[BriefingGuest, ...]  # who arrives during the shift, checked in or not
    in_house: tuple[BriefingGuest, ...]  # checked in before the shift, with wishes due during it
    content: dict[str, Any]  # what the version hashes, kept when someone signs
    # Booked guests arriving in another shift (later, or late) with wishes due during this one.
    awaited: tuple[BriefingGuest, ...] = ()

    @property
    def expected(self) -> tuple[BriefingGuest, ...]:
        """The shift's arrivals still to come: a guest checked in leaves this list."""
        return tuple(g for g in self.arrivals if not g.checked_in)

    @property
    def checked_in(self) -> tuple[BriefingGuest, ...]:
        """The shift's arrivals already checked in, in order of check-in."""
        done = [g for g in self.arrivals if g.checked_in]
        return _in_check_in_order(done, self.starts, lambda g: g.guest_name)


def _in_check_in_order(done: list[Any], starts: datetime, name: Any) -> tuple[Any, ...]:
    """The briefing's order of the guests checked in, on screen (BriefingOutline, rows) and
    on paper (Briefing, described guests) alike: by check-in, then by name."""
    return tuple(sorted(done, key=lambda g: (g.checked_in_at or starts, name(g))))


def shift_of(session: Session, property_id: int, name: str) -> Shift:
    shift = session.scalar(
        select(Shift).where(Shift.property_id == property_id, Shift.name == name)
    )
    if shift is None:
        raise UserError("briefing.error_shift", shift=name)
    return shift


def current_shift(session: Session, hotel: Property) -> tuple[date, str]:
    """The shift running now at the property, and the date it started on."""
    moment = now()
    local = to_local(moment, hotel.timezone)
    for day in (local.date(), local.date() - timedelta(days=1)):
        for shift in session.scalars(select(Shift).where(Shift.property_id == hotel.id)):
            start, end = shift_window(hotel, shift, day)
            if start <= moment < end:
                return day, shift.name
    return local.date(), "morning"


def expected_moment(reservation: AnyReservation | Stay, hotel: Property) -> datetime:
    """When the guest walks in (UTC): the ETA, after midnight if it is before 06:00."""
    at = reservation.eta or hotel.check_in_time
    day = reservation.arrival_date
    if reservation.eta is not None and reservation.eta < NIGHT_ENDS:
        day += timedelta(days=1)
    return local_to_utc(day, at, hotel.timezone)


def arrival_moment(reservation: AnyReservation | Stay, hotel: Property) -> datetime:
    """When the guest arrives for the briefing (UTC): their check-in once checked in (an early
    check-in is an arrival of the shift it happened in), else when they are expected."""
    if reservation.status == "checked_in" and reservation.checked_in_at is not None:
        return reservation.checked_in_at
    return expected_moment(reservation, hotel)


def _arrival_at(reservation: AnyReservation | Stay, expected: datetime) -> datetime:
    """arrival_moment, with the guest's expected moment already computed."""
    if reservation.status == "checked_in" and reservation.checked_in_at is not None:
        return reservation.checked_in_at
    return expected


def in_house(reservation: AnyReservation | Stay, day: date) -> bool:
    return reservation.status == "checked_in" or reservation.arrival_date < day


@dataclass(frozen=True)
class _ShiftReservations(Generic[Read]):
    """Who the briefing of a shift is about, each list in its order (build_briefing's rule)."""

    hotel: Property
    start: datetime  # UTC
    end: datetime  # UTC
    arrivals: list[Read]
    staying: list[Read]  # in house, with a task due in the shift
    awaited: list[Read]  # arriving in another shift, with a task due in this one
    moments: dict[int, datetime]  # reservation id -> expected_moment


def _shift_reservations(
    session: Session,
    property_id: int,
    day: date,
    shift_name: str,
    read: Callable[..., list[Read]] = booked,  # type: ignore[assignment]
) -> _ShiftReservations[Read]:
    """The shift's reservations, read by `read`: `booked` (to describe them) or `stays` (the
    version's columns alone)."""
    hotel = session.get(Property, property_id)
    if hotel is None:
        raise UserError("error.no_property")
    shift = shift_of(session, property_id, shift_name)
    start, end = shift_window(hotel, shift, day)
    # Rows, not ORM objects (shift_briefing.booked): this runs on every rerun of the
    # briefing and of the dashboard.
    where: tuple[ColumnElement[bool], ...] = (
        Reservation.property_id == property_id,
        Reservation.arrival_date >= day - timedelta(days=1),
        Reservation.arrival_date <= day + timedelta(days=1),
        Reservation.status.in_(("booked", "checked_in")),
    )
    nearby = read(session, *where)
    # When each guest is expected, computed once per reservation (sorts and describes use it),
    # and once per arrival day and ETA (a big hotel's day has hundreds of guests, a few ETAs).
    at: dict[tuple[date, time | None], datetime] = {}
    moments: dict[int, datetime] = {}
    for r in nearby:
        key = (r.arrival_date, r.eta)
        moment = at.get(key)
        if moment is None:
            moment = at[key] = expected_moment(r, hotel)
        moments[r.id] = moment
    arrivals = sorted(
        (r for r in nearby if start <= _arrival_at(r, moments[r.id]) < end),
        key=lambda r: (moments[r.id], r.confirmation_number),
    )
    arriving = {r.id for r in arrivals}
    # The other reservations with a task due in the shift that is not cancelled, in one query
    # of their ids; those read above (the day's other arrivals) are not read again.
    staying_ids = [
        i
        for i in session.scalars(
            select(Reservation.id)
            .where(
                Reservation.id.in_(
                    select(Task.reservation_id).where(
                        Task.property_id == property_id,
                        Task.due_at >= start,
                        Task.due_at < end,
                        Task.status != "cancelled",
                    )
                ),
                Reservation.status.in_(("booked", "checked_in")),
                Reservation.arrival_date <= day + timedelta(days=1),
                Reservation.departure_date >= day,
            )
            .order_by(Reservation.confirmation_number)
        )
        if i not in arriving
    ]
    known = {r.id: r for r in nearby}
    unread = [i for i in staying_ids if i not in known]
    if unread:
        known.update((r.id, r) for r in read(session, Reservation.id.in_(unread)))
    others = [known[i] for i in staying_ids]
    for r in others:
        if r.id not in moments:
            moments[r.id] = expected_moment(r, hotel)
    # In house: checked in here, or a stay that began on an earlier day (the PMS may have
    # checked them in). A guest due today or later who has not checked in is awaited.
    staying = [r for r in others if in_house(r, day)]
    awaited = sorted(
        (r for r in others if not in_house(r, day)),
        key=lambda r: (moments[r.id], r.confirmation_number),
    )
    return _ShiftReservations(hotel, start, end, arrivals, staying, awaited, moments)


def build_briefing(
    session: Session,
    who: Who,
    property_id: int,
    day: date,
    shift_name: str,
    language: str,
) -> Briefing:
    """The shift's briefing (briefing_version gives its version alone, without describing
    the guests)."""
    require(who, *READERS)
    shift = _shift_reservations(session, property_id, day, shift_name)
    hotel, start, end = shift.hotel, shift.start, shift.end
    describe = GuestDescriber(
        session,
        hotel,
        shift.arrivals + shift.staying + shift.awaited,
        language,
        moments=shift.moments,
    )
    full = Briefing(
        property_id=property_id,
        hotel_name=hotel.name,
        timezone=hotel.timezone,
        day=day,
        shift=shift_name,
        starts=start,
        ends=end,
        version="",
        made_at=now(),
        arrivals=tuple(describe(r) for r in shift.arrivals),
        in_house=tuple(describe(r, due_from=start, due_before=end) for r in shift.staying),
        awaited=tuple(describe(r, due_from=start, due_before=end) for r in shift.awaited),
        content={},
    )
    content = briefing_content(full)
    briefing = replace(full, version=_version_of(content), content=content)
    return briefing if sees_health_details(who) else narrowed(briefing)


def _version_of(content: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(content, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()[:16]


@dataclass(frozen=True)
class ShiftVersion:
    """A shift's briefing as signatures are compared with it: its version, and how many
    guests arrive during the shift."""

    property_id: int
    day: date
    shift: str
    version: str
    arrivals: int


def briefing_version(
    session: Session, who: Who, property_id: int, day: date, shift_name: str
) -> ShiftVersion:
    """build_briefing(...).version, and the count of its arrivals, without describing the
    guests (labels, room flags, the board's task rows): the dashboard and the signers' notices
    ask on every page run."""
    require(who, *READERS)
    shift = _shift_reservations(session, property_id, day, shift_name, stays)
    content = _shift_content(session, shift, day, shift_name)
    return ShiftVersion(property_id, day, shift_name, _version_of(content), len(shift.arrivals))


@dataclass(frozen=True)
class BriefingOutline:
    """A shift's briefing before its guests are described: its version and its content (what
    signing keeps, what a change is told from), and its guests in the briefing's order, as
    rows. The screen describes the page of them it shows (describe_guests); the printed
    briefing is build_briefing's."""

    property_id: int
    day: date
    shift: str
    starts: datetime  # UTC
    ends: datetime  # UTC
    version: str
    made_at: datetime  # UTC
    content: dict[str, Any]
    arrivals: tuple[Booked, ...]  # Briefing.arrivals' reservations
    in_house: tuple[Booked, ...]
    awaited: tuple[Booked, ...]

    @property
    def expected(self) -> tuple[Booked, ...]:
        """Briefing.expected: the shift's arrivals still to come."""
        return tuple(r for r in self.arrivals if r.status != "checked_in")

    @property
    def checked_in(self) -> tuple[Booked, ...]:
        """Briefing.checked_in: the shift's arrivals checked in, in order of check-in."""
        done = [r for r in self.arrivals if r.status == "checked_in"]
        return _in_check_in_order(done, self.starts, lambda r: r.guest.name)


def briefing_outline(
    session: Session, who: Who, property_id: int, day: date, shift_name: str
) -> BriefingOutline:
    """The shift's briefing as the screen first needs it: build_briefing's version, content
    and guests, none of them described yet (a big hotel's shift is hundreds of guests, the
    screen shows a page of them)."""
    require(who, *READERS)
    shift = _shift_reservations(session, property_id, day, shift_name)
    content = _shift_content(session, shift, day, shift_name)
    return BriefingOutline(
        property_id=property_id,
        day=day,
        shift=shift_name,
        starts=shift.start,
        ends=shift.end,
        version=_version_of(content),
        made_at=now(),
        content=content,
        arrivals=tuple(shift.arrivals),
        in_house=tuple(shift.staying),
        awaited=tuple(shift.awaited),
    )


def describe_guests(
    session: Session,
    who: Who,
    outline: BriefingOutline,
    guests: Sequence[Booked],
    language: str,
) -> list[BriefingGuest]:
    """These guests of the outline as build_briefing describes them, with what the version
    does not hash (room readiness, earlier stays), narrowed to what the reader may see: the
    page of a shift's guests the screen shows."""
    require(who, *READERS)
    if not guests:
        return []
    hotel = session.get(Property, outline.property_id)
    if hotel is None:
        raise UserError("error.no_property")
    describe = GuestDescriber(session, hotel, list(guests), language)
    arriving = {r.id for r in outline.arrivals}
    described = [
        describe(r)
        if r.id in arriving
        else describe(r, due_from=outline.starts, due_before=outline.ends)
        for r in guests
    ]
    return described if sees_health_details(who) else [narrowed_guest(g) for g in described]


def _shift_content(
    session: Session, shift: _ShiftReservations[Any], day: date, shift_name: str
) -> dict[str, Any]:
    """briefing_content of build_briefing's briefing, read without describing the guests: the
    same guests (_shift_reservations) and the same content pieces (_guest_content,
    _wish_content), so the same version."""
    guests = shift.arrivals + shift.staying + shift.awaited
    ids = [r.id for r in guests]
    # The tasks GuestDescriber reads (tasks_for's order, cancelled ones left out), as the
    # briefing hashes them: a task without a request has no code, quantity, time or words.
    tasks: dict[int, list[tuple[Any, ...]]] = {i: [] for i in ids}
    if ids:
        rows = session.execute(
            select(
                Task.reservation_id,
                Task.id,
                Task.kind,
                Request.code,
                Task.status,
                Task.due_at,
                Task.reason,
                Request.quantity,
                Request.at_time,
                Request.matched_text,
                Request.severity,
                Task.alternative,
            )
            .outerjoin(Request, Request.id == Task.request_id)
            .where(
                Task.property_id == shift.hotel.id,
                Task.reservation_id.in_(ids),
                Task.status != "cancelled",
            )
            .order_by(Task.due_at, Task.id)
        )
        for row in rows:
            tasks[row[0]].append(tuple(row)[1:])
    changes = changed_by_guest(session, ids)
    hotel = shift.hotel

    def person(
        r: Booked | Stay, due_from: datetime | None = None, due_before: datetime | None = None
    ) -> dict[str, Any]:
        wishes = [
            _wish_content(*task)
            for task in tasks[r.id]
            if (due_from is None or task[4] >= due_from)
            and (due_before is None or task[4] < due_before)
        ]
        wishes.sort(key=lambda wish: "severity" not in wish)  # critical first, as described
        return _guest_content(
            changes.get(r.id),
            r.confirmation_number,
            r.guest_name,
            r.vip_level,
            r.eta or hotel.check_in_time,
            r.eta is not None,
            r.room_number,
            r.nights,
            r.adults,
            r.children,
            r.wish_text or "",
            wishes,
        )

    return _content(
        day,
        shift_name,
        [person(r) for r in shift.arrivals],
        [person(r, shift.start, shift.end) for r in shift.staying],
        [person(r, shift.start, shift.end) for r in shift.awaited],
    )


class GuestDescriber:
    """Describes reservations for the briefing and the arrival card, with one query per kind
    of data for all of them (a busy afternoon has hundreds of arrivals)."""

    def __init__(
        self,
        session: Session,
        hotel: Property,
        reservations: Sequence[AnyReservation],
        language: str,
        moments: dict[int, datetime] | None = None,
    ) -> None:
        self.hotel = hotel
        self.language = language
        self.moments = moments or {}  # reservation id -> expected_moment, when already known
        self.wish_labels: dict[tuple[str, str | None], str] = {}  # (kind, code) -> label
        everyone = system_actor(hotel.id)  # narrowing for the reader's role comes after
        self.labels = {
            item.code: (item.label_fr if language == "fr" else item.label_en, item.constrains_room)
            for item in catalogue_items(session, hotel.id, active_only=False)
        }
        ids = [r.id for r in reservations]
        self.tasks: dict[int, list[TaskView]] = {i: [] for i in ids}
        if ids:
            for task in tasks_for(
                session,
                everyone,
                hotel.id,
                reservation_ids=ids,
                timezone=hotel.timezone,
                hide_cancelled=True,
            ):
                self.tasks[task.reservation_id].append(task)
        arrivals_today = [r for r in reservations if r.status in ("booked", "checked_in")]
        self.readiness = checklists_for(
            session, everyone, hotel.id, arrivals_today, hotel.check_in_time
        )
        # The lowest and the highest floor are all _room_meets asks of the hotel's floors.
        lowest, highest = session.execute(
            select(func.min(Room.floor), func.max(Room.floor)).where(Room.property_id == hotel.id)
        ).one()
        self.floors = [] if lowest is None else [lowest, highest]
        self.earlier = _earlier_stays(session, reservations)
        self.guest_changes = changed_by_guest(session, ids)

    def __call__(
        self,
        reservation: AnyReservation,
        due_from: datetime | None = None,
        due_before: datetime | None = None,
    ) -> BriefingGuest:
        lines = [
            WishLine(
                task_id=task.id,
                kind=task.kind,
                code=task.code,
                label=self.wish_label(task.kind, task.code),
                status=task.status,
                due_at=task.due_at,
                overdue=task.overdue,
                reason=task.reason,
                quantity=task.quantity,
                at_time=task.at_time,
                sensitive=task.sensitive,
                detail=task.detail,
                alternative=task.alternative,
                severity=task.severity,
            )
            for task in self.tasks.get(reservation.id, [])
            if (due_from is None or task.due_at >= due_from)
            and (due_before is None or task.due_at < due_before)
        ]
        lines.sort(key=lambda line: not line.critical)  # critical first, else as they were
        returning, remembered, readiness = self.details(reservation)
        return BriefingGuest(
            reservation_id=reservation.id,
            confirmation_number=reservation.confirmation_number,
            guest_name=reservation.guest.name,
            vip_level=reservation.guest.vip_level,
            returning=returning,
            remembered=remembered,
            arrival_date=reservation.arrival_date,
            expected_at=reservation.eta or self.hotel.check_in_time,
            eta_given=reservation.eta is not None,
            room_number=reservation.room.number if reservation.room else None,
            nights=reservation.nights,
            adults=reservation.adults,
            children=reservation.children,
            status=reservation.status,
            wish_text=reservation.wish_text or "",
            wishes=tuple(lines),
            room_flags=_room_flags(reservation, lines, self.labels, self.floors),
            readiness=readiness,
            expected_moment=self.moments.get(reservation.id)
            or expected_moment(reservation, self.hotel),
            checked_in_at=reservation.checked_in_at if reservation.status == "checked_in" else None,
            changed_by_guest_at=self.guest_changes.get(reservation.id),
        )

    def wish_label(self, kind: str, code: str | None) -> str:
        """_wish_label, once per kind and code: a shift's hundreds of wishes share a few."""
        key = (kind, code)
        label = self.wish_labels.get(key)
        if label is None:
            label = self.wish_labels[key] = _wish_label(kind, code, self.labels, self.language)
        return label

    def details(
        self, reservation: AnyReservation
    ) -> tuple[bool, tuple[str, ...], RoomChecklist | None]:
        """What the version does not hash: returning guest, their remembered wishes, and the
        room's readiness (with `details=False`: not returning, their preferences, none)."""
        returning, earlier_codes = self.earlier.get(reservation.id, (False, set()))
        remembered = sorted(earlier_codes | set(reservation.guest.preferences or []))
        labelled = tuple(self.labels.get(c, (c, False))[0] for c in remembered)
        return returning, labelled, self.readiness.get(reservation.id)


def _earlier_stays(
    session: Session, reservations: Sequence[AnyReservation]
) -> dict[int, tuple[bool, set[str]]]:
    """For each reservation: has the guest stayed before, and which wishes did they have then."""
    if not reservations:
        return {}
    guest_ids = {r.guest_id for r in reservations}
    stays = session.execute(
        select(Reservation.id, Reservation.guest_id, Reservation.arrival_date).where(
            Reservation.guest_id.in_(guest_ids)
        )
    ).all()
    codes = session.execute(
        select(Request.reservation_id, Request.code)
        .join(Reservation, Reservation.id == Request.reservation_id)
        .where(Reservation.guest_id.in_(guest_ids), Request.code != TRIAGE)
    ).all()
    codes_of: dict[int, set[str]] = {}
    for reservation_id, code in codes:
        codes_of.setdefault(reservation_id, set()).add(code)
    # Per guest, once: how many of their stays had each code, and their two first arrivals.
    # A reservation's "other stays" are then the guest's less its own, with no loop over the
    # others: a guest with hundreds of stays (a company, a tour operator) costs no square.
    counted: dict[int, Counter[str]] = {}
    firsts: dict[int, list[tuple[date, int]]] = {}
    for i, guest, day in stays:
        counted.setdefault(guest, Counter()).update(codes_of.get(i, set()))
        firsts[guest] = sorted([*firsts.get(guest, []), (day, i)])[:2]
    result = {}
    for r in reservations:
        own = codes_of.get(r.id, set())
        others = counted.get(r.guest_id, Counter())
        earlier = [day for day, i in firsts.get(r.guest_id, []) if i != r.id][:1]
        result[r.id] = (
            bool(earlier) and earlier[0] < r.arrival_date,
            {code for code, n in others.items() if n - (code in own) > 0},
        )
    return result


def _wish_label(
    kind: str, code: str | None, labels: dict[str, tuple[str, bool]], language: str
) -> str:
    """requests.labels' one task label function, in the reader's language."""
    wish = {code: {language: labels[code][0]}} if code in labels else {}
    return task_label_text(kind, code, wish, language)


def _room_flags(
    reservation: AnyReservation,
    lines: list[WishLine],
    labels: dict[str, tuple[str, bool]],
    floors: list[int],
) -> tuple[str, ...]:
    """Room wishes the assigned room does not meet, or all of them while no room is assigned."""
    room = reservation.room
    flags = []
    for line in lines:
        if line.kind != "wish" or line.code is None or line.status == "not_possible":
            continue
        label, constrains = labels.get(line.code, (line.code, False))
        if not constrains:
            continue
        if room is None or not _room_meets(line.code, room, floors):
            flags.append(label)
    return tuple(dict.fromkeys(flags))


def _room_meets(code: str, room: AnyRoom, floors: list[int]) -> bool:
    if code in ROOM_FEATURE_OF:
        return ROOM_FEATURE_OF[code] in (room.features or [])
    if code == "connecting_rooms":
        return room.connecting_to is not None
    if code == "high_floor" and floors:
        return room.floor > (min(floors) + max(floors)) / 2
    if code == "low_floor" and floors:
        return room.floor == min(floors)
    return True  # a hotel's own room wish: the front desk checks it


def briefing_content(briefing: Briefing) -> dict[str, Any]:
    """What a reader needs, language- and time-independent: the version is its hash."""

    def person(g: BriefingGuest) -> dict[str, Any]:
        return _guest_content(
            g.changed_by_guest_at,
            g.confirmation_number,
            g.guest_name,
            g.vip_level,
            g.expected_at,
            g.eta_given,
            g.room_number,
            g.nights,
            g.adults,
            g.children,
            g.wish_text,
            [
                _wish_content(
                    w.task_id,
                    w.kind,
                    w.code,
                    w.status,
                    w.due_at,
                    w.reason,
                    w.quantity,
                    w.at_time,
                    w.detail,
                    w.severity,
                    w.alternative,
                )
                for w in g.wishes
            ],
        )

    return _content(
        briefing.day,
        briefing.shift,
        [person(g) for g in briefing.arrivals],
        [person(g) for g in briefing.in_house],
        [person(g) for g in briefing.awaited],
    )


def _content(
    day: date,
    shift: str,
    arrivals: list[dict[str, Any]],
    in_house: list[dict[str, Any]],
    awaited: list[dict[str, Any]],
) -> dict[str, Any]:
    return {
        "day": day.isoformat(),
        "shift": shift,
        "arrivals": arrivals,
        "in_house": in_house,
        "awaited": awaited,
    }


def _guest_content(
    changed_by_guest_at: datetime | None,
    confirmation_number: str,
    guest_name: str,
    vip_level: int,
    expected_at: time,
    eta_given: bool,
    room_number: str | None,
    nights: int,
    adults: int,
    children: int,
    wish_text: str,
    wishes: list[dict[str, Any]],
) -> dict[str, Any]:
    content = {
        "reservation": confirmation_number,
        "guest": guest_name,
        "vip": vip_level,
        "expected": expected_at.strftime("%H:%M"),
        "eta_given": eta_given,
        "room": room_number,
        "nights": nights,
        "adults": adults,
        "children": children,
        "text": wish_text,
        "wishes": wishes,
    }
    if changed_by_guest_at:
        content["changed_by_guest"] = changed_by_guest_at.isoformat()
    return content


def _wish_content(
    task_id: int,
    kind: str,
    code: str | None,
    status: str,
    due_at: datetime,
    reason: str | None,
    quantity: int | None,
    at_time: str | None,
    detail: str | None,
    severity: str | None,
    alternative: str | None,
) -> dict[str, Any]:
    content = {
        "task": task_id,
        "kind": kind,
        "code": code,
        "status": status,
        "due": due_at.isoformat(),
        "reason": reason,
        "quantity": quantity,
        "time": at_time,
        "detail": detail,
    }
    if severity == CRITICAL:  # only then, so that versions signed before severities stay valid
        content["severity"] = severity
    if alternative:
        content["alternative"] = alternative
    return content


def narrowed_guest(guest: BriefingGuest) -> BriefingGuest:
    """A guest without health details: the practical instruction stays, the guest's words go."""
    if not any(w.sensitive for w in guest.wishes):
        return guest
    return replace(
        guest,
        wish_text="",
        wishes=tuple(replace(w, detail=None) if w.sensitive else w for w in guest.wishes),
    )


def narrowed(briefing: Briefing) -> Briefing:
    """The same briefing without health details, for roles that do not need them."""
    hide = narrowed_guest
    return replace(
        briefing,
        arrivals=tuple(hide(g) for g in briefing.arrivals),
        in_house=tuple(hide(g) for g in briefing.in_house),
        awaited=tuple(hide(g) for g in briefing.awaited),
    )


def short(text: str, limit: int = LONG_WISH) -> tuple[str, bool]:
    """A guest's words cut for print; True when they were cut."""
    if len(text) <= limit:
        return text, False
    return text[:limit].rsplit(" ", 1)[0], True
