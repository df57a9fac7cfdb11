"""Messages to guests: the pre-arrival confirmation and "not possible", and their outbox.

A message is written once per reservation, kind and state (the hash of what it promises): the
same state is never written twice, a changed promise writes a new one, and an older message of
the same kind still waiting is superseded. With SMTP configured the job sends what waits;
without it the messages wait in the outbox, which front desk sees and prints.
E-mails never repeat health details: those wishes read "passed to the team concerned".

"Not possible" is told by the channel that fits the time left: always an e-mail when the guest
has an address, and under 24 hours before they arrive also a front-desk call task, due within
the hour, with the phone number (a guest without an address is called in any case, by the
tell task's usual deadline when there is more time). The front desk's "tell the guest" task
is done as soon as the guest has been told, by the e-mail going out or by the call.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import smtplib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core import audit
from core.audit import Who
from core.auth import require, system_actor
from core.clock import now, to_local
from core.db import Database
from core.lib import chunks, get_property, insert_unless_exists
from core.models import Property
from core.notifications import SmtpConfig
from guests.guest_i18n import gt, guest_language
from guests.guest_links import TOKEN_BYTES, issue_link, page_url, token_hash
from guests.guest_models import GuestLink, GuestMessage
from guests.models import Reservation
from requests.guest_view import (
    GuestView,
    catalogue_by_code,
    guest_moment,
    guest_view,
    guest_views,
)
from requests.models import Task
from requests.states import OPEN
from requests.tasks import record_status

log = logging.getLogger(__name__)
URGENT = timedelta(hours=24)  # under this before arrival, the front desk calls
CALL_WITHIN = timedelta(hours=1)
BATCH = 500
MESSAGE_KINDS = ("confirmation", "not_possible")
NOT_EMAILED = ("pending", "no_address", "failed")  # what the outbox shows front desk
# A message claimed for sending this long ago and still not marked: the sending process died
# between the SMTP server and the database. Shown to front desk, who check and hand it over.
STUCK_SENDING = timedelta(hours=1)


def _system(property_id: int) -> Who:
    return system_actor(property_id, "guest_confirmations")


def _lines(view: GuestView) -> list[str]:
    lines = []
    for wish in view.wishes:
        text = f"- {wish.label}" + (f" — {wish.promise}" if wish.promise else "")
        if wish.alternative:
            text += f" ({gt('promise.alternative', view.language, alternative=wish.alternative)})"
        lines.append(text)  # a triage wish's words are not repeated either: they may be health
    return lines


def compose_confirmation(view: GuestView, url: str) -> tuple[str, str]:
    lang = view.language
    parts = [
        gt("page.hello", lang, name=view.first_name),
        "",
        gt("mail.confirmation_intro", lang, arrival=view.arrival, departure=view.departure),
        *(_lines(view) or [gt("mail.nothing", lang)]),
        "",
        gt("page.eta", lang, eta=view.eta)
        if view.eta
        else gt("page.no_eta", lang, check_in=view.check_in),
        "",
        gt("mail.link", lang, url=url),
        "",
        gt("mail.sign", lang, hotel=view.hotel),
    ]
    return gt("mail.confirmation_subject", lang, hotel=view.hotel), "\n".join(parts)


def compose_not_possible(view: GuestView, request_id: int, url: str) -> tuple[str, str]:
    lang = view.language
    wish = next(w for w in view.wishes if w.request_id == request_id)
    line = f"{wish.label} — {wish.promise}"
    parts = [
        gt("page.hello", lang, name=view.first_name),
        "",
        gt("mail.not_possible_intro", lang),
        line,
    ]
    if wish.alternative:
        parts.append(gt("promise.alternative", lang, alternative=wish.alternative))
    parts += ["", gt("mail.link", lang, url=url), "", gt("mail.sign", lang, hotel=view.hotel)]
    return gt("mail.not_possible_subject", lang, hotel=view.hotel), "\n".join(parts)


def queue_message(
    session: Session,
    reservation: Reservation,
    kind: str,
    state: str,
    compose,
    *,
    still_true: Collection[str] = (),
) -> GuestMessage | None:
    """Writes the message unless this state was already written; supersedes the older ones of
    its kind still waiting, except those whose state is in `still_true` (another wish's
    "not possible": the guest must hear of each)."""
    exists = session.scalar(
        select(GuestMessage.id).where(
            GuestMessage.reservation_id == reservation.id,
            GuestMessage.kind == kind,
            GuestMessage.state == state,
        )
    )
    if exists is not None:
        return None
    language = guest_language(reservation.guest.language)
    token = issue_link(session, _system(reservation.property_id), reservation.id)
    subject, body = compose(language, page_url(token))
    table = GuestMessage.__table__
    session.execute(
        update(table)
        .where(
            table.c.reservation_id == reservation.id,
            table.c.kind == kind,
            table.c.status == "pending",
            table.c.state.not_in(list(still_true)),
        )
        .values(status="superseded")
    )
    message = GuestMessage(
        property_id=reservation.property_id,
        reservation_id=reservation.id,
        kind=kind,
        state=state,
        language=language,
        to_address=reservation.guest.email,
        subject=subject,
        body=body,
        status="pending" if reservation.guest.email else "no_address",
        created_at=now(),
    )
    try:
        with session.begin_nested():
            session.add(message)
            session.flush()
    except IntegrityError:  # another process wrote this very state a moment ago
        return None
    return message


# --- the pre-arrival confirmation -----------------------------------------------------------


def queue_confirmations(session: Session, property_id: int, days_before: int) -> int:
    """Confirmations for the arrivals of the next `days_before` days whose promises changed.

    In bulk: the views in two queries, the states already written in one, then the new links,
    messages and audit events inserted together (a message whose state another process wrote a
    moment ago is skipped by the unique constraint)."""
    hotel = get_property(session, property_id)
    today = to_local(now(), hotel.timezone).date()
    reservations = [
        r
        for r in session.scalars(
            select(Reservation)
            .where(
                Reservation.property_id == property_id,
                Reservation.status == "booked",
                Reservation.arrival_date >= today,
                Reservation.arrival_date <= today + timedelta(days=days_before),
            )
            .order_by(Reservation.arrival_date, Reservation.id)
        ).unique()
        if r.guest.email and r.guest.anonymised_at is None
    ]
    languages = {r.id: guest_language(r.guest.language) for r in reservations}
    views = guest_views(session, reservations, languages, catalogue_by_code(session, property_id))
    written: set[tuple[int, str]] = set()
    waiting: set[int] = set()
    for batch in chunks(reservations, BATCH):
        chunk = [r.id for r in batch]
        for reservation_id, state, status in session.execute(
            select(GuestMessage.reservation_id, GuestMessage.state, GuestMessage.status).where(
                GuestMessage.reservation_id.in_(chunk), GuestMessage.kind == "confirmation"
            )
        ):
            written.add((reservation_id, state))
            if status == "pending":
                waiting.add(reservation_id)
    fresh = [
        (reservation, view)
        for reservation, view in zip(reservations, views, strict=True)
        if (reservation.id, view.state()) not in written
    ]
    if not fresh:
        return 0
    moment = now()
    tokens = [secrets.token_urlsafe(TOKEN_BYTES) for _ in fresh]
    link_ids = session.scalars(
        insert(GuestLink).returning(GuestLink.id, sort_by_parameter_order=True),
        [
            {
                "property_id": property_id,
                "reservation_id": reservation.id,
                "token_hash": token_hash(token),
                "created_at": moment,
            }
            for (reservation, _), token in zip(fresh, tokens, strict=True)
        ],
    ).all()
    superseded = [reservation.id for reservation, _ in fresh if reservation.id in waiting]
    table = GuestMessage.__table__
    for chunk in chunks(superseded, BATCH):
        session.execute(
            update(table)
            .where(
                table.c.reservation_id.in_(chunk),
                table.c.kind == "confirmation",
                table.c.status == "pending",
            )
            .values(status="superseded")
        )
    rows = []
    for (reservation, view), token in zip(fresh, tokens, strict=True):
        subject, body = compose_confirmation(view, page_url(token))
        rows.append(
            {
                "property_id": property_id,
                "reservation_id": reservation.id,
                "kind": "confirmation",
                "state": view.state(),
                "language": view.language,
                "to_address": reservation.guest.email,
                "subject": subject,
                "body": body,
                "status": "pending",
                "created_at": moment,
            }
        )
    inserted: list[int] = []
    for chunk in chunks(rows, BATCH):
        inserted += insert_unless_exists(
            session, GuestMessage, chunk, ["reservation_id", "kind", "state"]
        )
    audit.record_many(
        session,
        _system(property_id),
        [
            {
                "action": "guest_link_issued",
                "entity": "reservation",
                "entity_id": reservation.id,
                "after": {"link": link_id, "for": "confirmation"},
                "property_id": property_id,
            }
            for (reservation, _), link_id in zip(fresh, link_ids, strict=True)
        ],
    )
    return len(inserted)


# --- "not possible" reaches the guest -------------------------------------------------------


def tell_guest_not_possible(
    session: Session, who: Who, task: Task, tell: Task, hotel: Property
) -> str:
    """Called when a wish's task becomes not possible: the e-mail, and a call if it is urgent.

    Returns the channel: "email", "call" (with the e-mail as well when there is an address)."""
    reservation = session.get(Reservation, task.reservation_id)
    assert reservation is not None
    language = guest_language(reservation.guest.language)
    view = guest_view(session, reservation, language)
    if task.request_id is not None and any(w.request_id == task.request_id for w in view.wishes):
        queue_message(
            session,
            reservation,
            "not_possible",
            not_possible_state(task.id, task.reason, task.alternative),
            lambda _lang, url: compose_not_possible(view, task.request_id, url),
            still_true=refused_now(session, reservation.id),
        )
    moment = now()
    phone = reservation.guest.phone or "—"
    if guest_moment(reservation, hotel) - moment > URGENT:
        if reservation.guest.email:
            return "email"
        # No address to write to: the front desk calls, in the time there is.
        tell.title = f"☎ {reservation.guest.name}: {phone}"[:300]
        return "call"
    tell.title = f"☎ {reservation.guest.name}: {phone}"[:300]
    tell.due_at = moment + CALL_WITHIN
    audit.record(
        session,
        who,
        "guest_call_needed",
        "task",
        tell.id,
        after={"due_at": tell.due_at.isoformat()},
        property_id=hotel.id,
    )
    return "call"


def not_possible_state(task_id: int, reason: str | None, alternative: str | None) -> str:
    """What a "not possible" e-mail tells: which task, its reason and the alternative."""
    return hashlib.sha256(f"{task_id}|{reason}|{alternative}".encode()).hexdigest()[:32]


def refused_now(session: Session, reservation_id: int) -> dict[str, int]:
    """The state of each wish of the reservation not possible now -> its request id."""
    return {
        not_possible_state(task.id, task.reason, task.alternative): task.request_id
        for task in session.scalars(
            select(Task).where(
                Task.reservation_id == reservation_id,
                Task.kind == "wish",
                Task.status == "not_possible",
                Task.request_id.is_not(None),
            )
        )
    }


def withdraw_untrue_refusals(session: Session, reservation_id: int) -> None:
    """A refused wish was reopened: its "not possible" e-mail still waiting no longer goes."""
    table = GuestMessage.__table__
    session.execute(
        update(table)
        .where(
            table.c.reservation_id == reservation_id,
            table.c.kind == "not_possible",
            table.c.status == "pending",
            table.c.state.not_in(list(refused_now(session, reservation_id))),
        )
        .values(status="superseded")
    )


def _close_tell_tasks(session: Session, message: GuestMessage) -> None:
    """The e-mail went out: the guest has been told of that wish, its front desk task is done
    (another wish's refusal waits for its own e-mail or call)."""
    told = refused_now(session, message.reservation_id).get(message.state)
    if told is None:
        return
    tasks = session.scalars(
        select(Task).where(
            Task.reservation_id == message.reservation_id,
            Task.request_id == told,
            Task.kind == "tell_guest",
            Task.status.in_(OPEN),
        )
    )
    at = to_local(now(), _timezone(session, message.property_id)).strftime("%d/%m %H:%M")
    for task in tasks:
        record_status(session, _system(message.property_id), task, "done", f"e-mail {at}")


def _timezone(session: Session, property_id: int) -> str:
    hotel = session.get(Property, property_id)
    return hotel.timezone if hotel else "UTC"


# --- delivery and the front desk's outbox ---------------------------------------------------


def deliver_guest_messages(database: Database, config: SmtpConfig | None) -> int:
    """Sends what waits, claimed with one conditional UPDATE so two processes never both send."""
    if config is None:
        return 0
    sent = 0
    while True:
        table = GuestMessage.__table__
        with database.write() as session:
            oldest = (
                select(table.c.id)
                .where(table.c.status == "pending")
                .order_by(table.c.id)
                .limit(BATCH)
            )
            claimed = list(
                session.scalars(
                    update(table)
                    .where(table.c.status == "pending", table.c.id.in_(oldest))
                    .values(status="sending")
                    .returning(table.c.id)
                )
            )
        if not claimed:
            return sent
        with database.read() as session:
            messages = list(
                session.scalars(select(GuestMessage).where(GuestMessage.id.in_(claimed)))
            )
            session.expunge_all()
        states = _send(config, messages)
        moment = now()
        sent_ids = [m.id for m in messages if states[m.id][0] == "sent"]
        with database.write() as session:
            for chunk in chunks(sent_ids, BATCH):
                session.execute(
                    update(table)
                    .where(table.c.id.in_(chunk))
                    .values(status="sent", error=None, sent_at=moment)
                )
            for message in messages:
                state, error = states[message.id]
                if state != "sent":
                    session.execute(
                        update(table)
                        .where(table.c.id == message.id)
                        .values(status=state, error=error)
                    )
                elif message.kind == "not_possible":
                    _close_tell_tasks(session, message)
        sent += len(sent_ids)


def _send(
    config: SmtpConfig, messages: Sequence[GuestMessage]
) -> dict[int, tuple[str, str | None]]:
    states: dict[int, tuple[str, str | None]] = {}
    try:
        with smtplib.SMTP(config.host, config.port, timeout=config.timeout) as smtp:
            if config.starttls:
                smtp.starttls()
            if config.user:
                smtp.login(config.user, config.password or "")
            for message in messages:
                try:
                    email = EmailMessage()
                    email["Subject"] = message.subject
                    email["From"] = config.sender
                    email["To"] = message.to_address or ""
                    email["Content-Language"] = message.language
                    email.set_content(message.body)
                except ValueError as exc:  # an address no e-mail can carry (a line break in an
                    states[message.id] = ("failed", str(exc)[:1000])  # imported cell): outbox
                    continue
                try:
                    smtp.send_message(email)
                    states[message.id] = ("sent", None)
                except smtplib.SMTPException as exc:
                    states[message.id] = ("failed", str(exc)[:1000])
    except (OSError, smtplib.SMTPException) as exc:
        log.error("SMTP server %s:%s unreachable: %s", config.host, config.port, exc)
        for message in messages:
            states.setdefault(message.id, ("pending", str(exc)[:1000]))  # retried next run
    return states


@dataclass(frozen=True)
class OutboxItem:
    id: int
    reservation_id: int
    confirmation_number: str
    guest_name: str
    to_address: str | None
    kind: str
    status: str
    subject: str
    body: str
    created_at: datetime
    printed_at: datetime | None


def outbox(
    session: Session, who: Who, property_id: int, *, waiting_only: bool = True
) -> list[OutboxItem]:
    """What front desk sees: messages not (yet) e-mailed, newest first, to print or hand over."""
    require(who, "front_desk", "manager")
    query = (
        select(GuestMessage, Reservation)
        .join(Reservation, Reservation.id == GuestMessage.reservation_id)
        .where(GuestMessage.property_id == property_id)
    )
    if waiting_only:
        query = query.where(
            or_(
                GuestMessage.status.in_(NOT_EMAILED),
                and_(
                    GuestMessage.status == "sending",
                    GuestMessage.created_at < now() - STUCK_SENDING,
                ),
            )
        )
    rows = session.execute(query.order_by(GuestMessage.id.desc()).limit(500)).unique()
    return [
        OutboxItem(
            id=message.id,
            reservation_id=reservation.id,
            confirmation_number=reservation.confirmation_number,
            guest_name=reservation.guest.name,
            to_address=message.to_address,
            kind=message.kind,
            status=message.status,
            subject=message.subject,
            body=message.body,
            created_at=message.created_at,
            printed_at=message.printed_at,
        )
        for message, reservation in rows
    ]


def outbox_printout(session: Session, who: Who, property_id: int) -> str:
    """Every waiting message as one text to print, a page each, read when it is asked for (the
    download is made at the click, for the person checked then: it holds guests' addresses)."""
    return "\n\f\n".join(
        f"{m.guest_name} ({m.confirmation_number}) — {m.to_address or '—'}\n{m.subject}\n\n{m.body}"
        for m in outbox(session, who, property_id)
    )


def mark_printed(session: Session, who: Who, message_id: int) -> None:
    """Front desk printed it for the guest: for a "not possible", the guest is being told."""
    require(who, "front_desk", "manager")
    message = session.get(GuestMessage, message_id)
    if message is None or message.property_id != who.property_id:
        return
    message.printed_at = now()
    audit.record(
        session,
        who,
        "guest_message_printed",
        "guest_message",
        message.id,
        property_id=message.property_id,
    )
