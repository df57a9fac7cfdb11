"""Notifications: an inbox for each person and each role, and e-mail when SMTP is configured.

A notification is addressed to one staff member or to a role of a property. It stores a
translation key and its values, not text, so each reader sees it in their own language; a value
may itself be translated ({"t": key, "v": {...}}), given per language ({"fr": ..., "en": ...}),
or be a list (one line each). Read flags are per person, so a role's notification stays unread
for a colleague who has not seen it.

E-mail is sent after the notifying transaction commits, by whichever process claims the
pending rows (one conditional UPDATE), so two processes never send the same message twice.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    String,
    Text,
    and_,
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from core import audit
from core.audit import Who
from core.auth import ROLES, Actor, require
from core.clock import now
from core.db import Base, Database, UTCDateTime
from core.errors import UserError
from core.i18n import format_when, t
from core.lib import chunks, insert_unless_exists
from core.models import Property, Staff
from core.settings import env_bool, env_int, env_str

log = logging.getLogger(__name__)

INBOX_DAYS = 30  # what an inbox shows; older notifications are purged with guest data
EMAIL_BATCH = 200
# email_state: none (no SMTP when it was made), pending, sending, sent, no_address, failed


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_property_created", "property_id", "created_at"),
        Index("ix_notifications_recipient_created", "recipient_id", "created_at"),
        Index("ix_notifications_email_state", "email_state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    role: Mapped[str | None] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(80))
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    link_page: Mapped[str | None] = mapped_column(String(40))
    link_id: Mapped[int | None] = mapped_column()
    # Set when a notification must exist once only (a reminder per person and version...).
    dedupe_key: Mapped[str | None] = mapped_column(String(250), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    email_state: Mapped[str] = mapped_column(String(12), default="none")
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    email_error: Mapped[str | None] = mapped_column(Text)


class NotificationRead(Base):
    """That one person has read one notification (theirs, or their role's)."""

    __tablename__ = "notification_reads"

    notification_id: Mapped[int] = mapped_column(
        ForeignKey("notifications.id", ondelete="CASCADE"), primary_key=True
    )
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), primary_key=True)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class NotificationAddress(Base):
    """Where a staff member wants their notifications e-mailed (they set it in their inbox)."""

    __tablename__ = "notification_addresses"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), primary_key=True)
    email: Mapped[str] = mapped_column(String(300))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)


# --- making notifications ----------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    page: str  # the app page's url_path: "tasks", "briefing", "archive"...
    id: int | None = None


def notification_row(
    property_id: int,
    key: str,
    values: Mapping[str, Any] | None = None,
    *,
    staff_id: int | None = None,
    role: str | None = None,
    link: Link | None = None,
    once: str | None = None,
) -> dict[str, Any]:
    """One notification as a row for `notify_many`; exactly one of staff_id and role."""
    if (staff_id is None) == (role is None):
        raise ValueError("a notification goes to one staff member or to one role")
    if role is not None and role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    recipient = f"staff:{staff_id}" if staff_id is not None else f"role:{role}"
    return {
        "property_id": property_id,
        "recipient_id": staff_id,
        "role": role,
        "key": key,
        "values": audit.json_safe(dict(values or {})),
        "link_page": link.page if link else None,
        "link_id": link.id if link else None,
        "dedupe_key": f"{once}|{recipient}"[:250] if once else None,
        "created_at": now(),
        "email_state": "pending" if smtp_config() is not None else "none",
    }


def notify(
    session: Session,
    property_id: int,
    key: str,
    values: Mapping[str, Any] | None = None,
    *,
    staff_id: int | None = None,
    role: str | None = None,
    link: Link | None = None,
    once: str | None = None,
) -> bool:
    """Notifies a person or a role; with `once`, never twice for the same key and recipient.

    Returns False when `once` says it was already sent.
    """
    row = notification_row(
        property_id, key, values, staff_id=staff_id, role=role, link=link, once=once
    )
    if once is None:
        session.execute(Notification.__table__.insert().values(**row))
        return True
    return bool(insert_unless_exists(session, Notification, [row], ["dedupe_key"]))


def notify_many(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Many notifications in one statement (an escalation scan); rows from notification_row."""
    for chunk in chunks(rows):
        insert_unless_exists(session, Notification, chunk, ["dedupe_key"])


# --- reading them ------------------------------------------------------------------------------


def render(key: str, values: Mapping[str, Any], language: str) -> str:
    """The notification's text in `language`."""
    return t(key, language, **{name: _value(v, language) for name, v in values.items()})


def render_value(value: Any, language: str) -> Any:
    """A notification value (text, {"t": key, "v": values}, or {language: text}) in `language`."""
    return _value(value, language)


def _value(value: Any, language: str) -> Any:
    if (when := format_when(value, language)) is not None:  # a day or time, worded now
        return when
    if isinstance(value, dict):
        if "t" in value:
            inner = value.get("v") or {}
            return t(value["t"], language, **{k: _value(v, language) for k, v in inner.items()})
        return value.get(language) or value.get("en") or next(iter(value.values()), "")
    if isinstance(value, list):
        return "\n".join(str(_value(v, language)) for v in value)
    return value


@dataclass(frozen=True)
class InboxItem:
    id: int
    created_at: datetime
    text: str
    link: Link | None
    to_role: str | None  # the role it was addressed to; None when addressed to the reader
    read: bool


def _addressed_to(reader: Who) -> Any:
    roles = list(reader.roles) if isinstance(reader, Actor) else []
    return and_(
        Notification.property_id == reader.property_id,
        or_(Notification.recipient_id == reader.id, Notification.role.in_(roles)),
    )


def inbox(
    session: Session,
    reader: Actor,
    language: str,
    *,
    unread_only: bool = False,
    days: int = INBOX_DAYS,
    limit: int = 200,
) -> list[InboxItem]:
    """The reader's and their roles' notifications of the last `days` days, newest first."""
    require(reader, *ROLES)
    read_at = (
        select(NotificationRead.read_at)
        .where(
            NotificationRead.notification_id == Notification.id,
            NotificationRead.staff_id == reader.id,
        )
        .scalar_subquery()
    )
    query = (
        select(Notification, read_at.label("read_at"))
        .where(_addressed_to(reader), Notification.created_at >= now() - timedelta(days=days))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    )
    if unread_only:
        query = query.where(read_at.is_(None))
    items = []
    for notification, read in session.execute(query):
        items.append(
            InboxItem(
                id=notification.id,
                created_at=notification.created_at,
                text=render(notification.key, notification.values or {}, language),
                link=Link(notification.link_page, notification.link_id)
                if notification.link_page
                else None,
                to_role=notification.role,
                read=read is not None,
            )
        )
    return items


def _unread_by(reader: Actor, days: int) -> Any:
    """The reader's notifications of the last `days` days that they have not read."""
    read = select(NotificationRead.notification_id).where(
        NotificationRead.notification_id == Notification.id,
        NotificationRead.staff_id == reader.id,
    )
    return and_(
        _addressed_to(reader),
        Notification.created_at >= now() - timedelta(days=days),
        ~read.exists(),
    )


def unread_count(session: Session, reader: Actor, *, days: int = INBOX_DAYS) -> int:
    """What the sidebar shows: the reader's unread notifications of the last `days` days."""
    return session.scalar(select(func.count(Notification.id)).where(_unread_by(reader, days))) or 0


def mark_read(session: Session, reader: Actor, notification_ids: Iterable[int]) -> int:
    """Marks the reader's own (or their roles') notifications read; others' are ignored."""
    require(reader, *ROLES)
    ids = list(notification_ids)
    if not ids:
        return 0
    visible = list(
        session.scalars(
            select(Notification.id).where(_addressed_to(reader), Notification.id.in_(ids))
        )
    )
    rows = [{"notification_id": i, "staff_id": reader.id, "read_at": now()} for i in visible]
    if rows:
        insert_unless_exists(session, NotificationRead, rows, ["notification_id", "staff_id"])
    return len(rows)


def mark_all_read(session: Session, reader: Actor, *, days: int = INBOX_DAYS) -> int:
    require(reader, *ROLES)
    unread = session.scalars(select(Notification.id).where(_unread_by(reader, days)))
    return mark_read(session, reader, list(unread))


def delete_older_than(session: Session, property_id: int, moment: datetime) -> int:
    """Notifications quote guests' names: they go with the guest data past its retention."""
    notifications, reads = Notification.__table__, NotificationRead.__table__
    old = select(notifications.c.id).where(
        notifications.c.property_id == property_id, notifications.c.created_at < moment
    )
    session.execute(delete(reads).where(reads.c.notification_id.in_(old)))
    result = session.execute(
        delete(notifications).where(
            notifications.c.property_id == property_id, notifications.c.created_at < moment
        )
    )
    return result.rowcount or 0


# --- e-mail ------------------------------------------------------------------------------------


def email_address(session: Session, who: Actor) -> str | None:
    return session.scalar(
        select(NotificationAddress.email).where(NotificationAddress.staff_id == who.id)
    )


def set_email_address(session: Session, who: Actor, email: str | None) -> None:
    """A staff member's own address for notifications; empty removes it."""
    require(who, *ROLES)
    email = (email or "").strip()
    if email and ("@" not in email or " " in email or len(email) > 300):
        raise UserError("inbox.error_email", email=email)
    row = session.get(NotificationAddress, who.id)
    before = {"email": row.email if row else None}
    if (row.email if row else "") == email:
        return
    if not email:
        session.delete(row)
    elif row is None:
        session.add(NotificationAddress(staff_id=who.id, email=email))
    else:
        row.email = email
    audit.record(
        session,
        who,
        "notification_email_set",
        "staff",
        who.id,
        before=before,
        after={"email": email or None},
    )


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    sender: str
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    app_url: str | None = None  # prefix of the links in e-mails
    timeout: float = 10.0


def smtp_config() -> SmtpConfig | None:
    """SMTP from the environment; None (no e-mail) while HOTEL_SMTP_HOST is unset."""
    host = env_str("HOTEL_SMTP_HOST", "")
    if not host:
        return None
    return SmtpConfig(
        host=host,
        port=env_int("HOTEL_SMTP_PORT", 25),
        sender=env_str("HOTEL_SMTP_FROM", "hotel@localhost"),
        user=env_str("HOTEL_SMTP_USER", "") or None,
        password=env_str("HOTEL_SMTP_PASSWORD", "") or None,
        starttls=env_bool("HOTEL_SMTP_STARTTLS", False),
        app_url=env_str("HOTEL_APP_URL", "") or None,
    )


def deliver_pending_emails(database: Database, config: SmtpConfig | None = None) -> int:
    """Sends the pending notifications' e-mails; returns how many messages went out."""
    config = config or smtp_config()
    if config is None:
        return 0
    table = Notification.__table__
    with database.write() as session:
        oldest = (
            select(Notification.id)
            .where(Notification.email_state == "pending")
            .order_by(Notification.id)
            .limit(EMAIL_BATCH)
        )
        claimed = list(
            session.scalars(
                update(table)
                .where(table.c.email_state == "pending", table.c.id.in_(oldest))
                .values(email_state="sending")
                .returning(table.c.id)
            )
        )
    if not claimed:
        return 0
    with database.read() as session:
        messages = _messages(session, config, claimed)
    states = _send(config, messages)
    with database.write() as session:
        for notification_id, (state, error) in states.items():
            session.execute(
                update(table)
                .where(table.c.id == notification_id)
                .values(email_state=state, email_error=error, emailed_at=now())
            )
    return sum(len(m[1]) for m in messages if states[m[0]][0] == "sent")


def _messages(
    session: Session, config: SmtpConfig, ids: list[int]
) -> list[tuple[int, list[EmailMessage]]]:
    notifications = list(session.scalars(select(Notification).where(Notification.id.in_(ids))))
    property_ids = {n.property_id for n in notifications}
    hotels = {
        h.id: h.name for h in session.scalars(select(Property).where(Property.id.in_(property_ids)))
    }
    people = list(
        session.execute(
            select(Staff, NotificationAddress.email)
            .join(NotificationAddress, NotificationAddress.staff_id == Staff.id)
            .where(Staff.property_id.in_(property_ids), Staff.active.is_(True))
        )
    )
    result = []
    for notification in notifications:
        recipients = [
            (staff, email)
            for staff, email in people
            if staff.property_id == notification.property_id
            and (
                staff.id == notification.recipient_id
                or (notification.role is not None and notification.role in staff.roles)
            )
        ]
        messages = []
        for staff, email in recipients:
            text = render(notification.key, notification.values or {}, staff.language)
            message = EmailMessage()
            hotel = hotels.get(notification.property_id, "")
            message["Subject"] = f"[{hotel}] {text.splitlines()[0][:150]}"
            message["From"] = config.sender
            message["To"] = email
            body = text
            if config.app_url and notification.link_page:
                link = f"{config.app_url.rstrip('/')}/{notification.link_page}"
                if notification.link_id is not None:
                    link += f"?id={notification.link_id}"
                body += f"\n\n{link}"
            message.set_content(body)
            messages.append(message)
        result.append((notification.id, messages))
    return result


def _send(
    config: SmtpConfig, messages: list[tuple[int, list[EmailMessage]]]
) -> dict[int, tuple[str, str | None]]:
    states: dict[int, tuple[str, str | None]] = {
        i: ("no_address", None) for i, batch in messages if not batch
    }
    to_send = [(i, batch) for i, batch in messages if batch]
    if not to_send:
        return states
    try:
        with smtplib.SMTP(config.host, config.port, timeout=config.timeout) as smtp:
            if config.starttls:
                smtp.starttls()
            if config.user:
                smtp.login(config.user, config.password or "")
            for notification_id, batch in to_send:
                try:
                    for message in batch:
                        smtp.send_message(message)
                    states[notification_id] = ("sent", None)
                except smtplib.SMTPException as exc:
                    log.warning("e-mail of notification %s failed: %s", notification_id, exc)
                    states[notification_id] = ("failed", str(exc)[:1000])
    except (OSError, smtplib.SMTPException) as exc:
        log.error("SMTP server %s:%s unreachable: %s", config.host, config.port, exc)
        for notification_id, _batch in to_send:
            states.setdefault(notification_id, ("failed", str(exc)[:1000]))
    return states
