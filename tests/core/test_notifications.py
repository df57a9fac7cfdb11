"""Notifications: an inbox per person and role, read in the reader's language, e-mailed once."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from core.auth import actor_for, system_actor
from core.clock import set_now
from core.errors import UserError
from core.notifications import (
    Link,
    Notification,
    deliver_pending_emails,
    inbox,
    mark_all_read,
    mark_read,
    notify,
    set_email_address,
    unread_count,
)
from core.staff import create_staff

NOON = datetime(2026, 7, 14, 10, 0, tzinfo=UTC)


@pytest.fixture
def bob(database, hotel):
    """Bob works at the front desk too, in English."""
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


class Mailbox:
    """An SMTP server's handler that keeps what it receives."""

    def __init__(self) -> None:
        self.received: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.received.append(email.message_from_bytes(envelope.content, policy=default_policy))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Mailbox]:
    """A real SMTP server on 127.0.0.1, and the app configured to use it."""
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("HOTEL_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("HOTEL_SMTP_PORT", str(port))
    monkeypatch.setenv("HOTEL_SMTP_FROM", "desk@hotel.test")
    monkeypatch.setenv("HOTEL_APP_URL", "https://wishes.hotel.test/")
    yield mailbox
    controller.stop()


def overdue_cot(database, hotel, **address) -> None:
    with database.write() as session:
        notify(
            session,
            hotel.id,
            "notify.task_overdue",
            {
                "task": {"fr": "Lit bébé", "en": "Baby cot"},
                "guest": "Anna {Late}",
                "room": "101",
                "due": "14/07 12:00",
                "department": {"t": "department.housekeeping"},
                "owner": {"t": "notify.no_owner"},
            },
            link=Link("tasks", 42),
            **address,
        )


def test_a_notification_reads_in_each_readers_language(database, hotel, alice, bob):
    set_now(NOON)
    overdue_cot(database, hotel, role="front_desk")
    with database.read() as session:
        [in_french] = inbox(session, alice, "fr")
        [in_english] = inbox(session, bob, "en")
    assert "Lit bébé" in in_french.text and "Anna {Late}" in in_french.text
    assert "Baby cot" in in_english.text and "Housekeeping" in in_english.text
    assert in_english.link == Link("tasks", 42) and in_english.to_role == "front_desk"


def test_a_role_notification_stays_unread_for_each_person_until_they_read_it(
    database, hotel, alice, bob, hugo
):
    set_now(NOON)
    overdue_cot(database, hotel, role="front_desk")
    with database.read() as session:
        assert (unread_count(session, alice), unread_count(session, bob)) == (1, 1)
        assert unread_count(session, hugo) == 0  # housekeeping is not the front desk
        [item] = inbox(session, alice, "en")
    with database.write() as session:
        assert mark_read(session, alice, [item.id]) == 1
        assert mark_read(session, alice, [item.id]) == 1  # twice is harmless
    with database.read() as session:
        assert (unread_count(session, alice), unread_count(session, bob)) == (0, 1)
        assert inbox(session, alice, "en")[0].read
        assert inbox(session, alice, "en", unread_only=True) == []


def test_nobody_reads_or_marks_someone_elses_notification(database, hotel, alice, hugo):
    set_now(NOON)
    overdue_cot(database, hotel, staff_id=alice.id)
    with database.read() as session:
        assert inbox(session, hugo, "en") == []
        [item] = inbox(session, alice, "en")
    with database.write() as session:
        assert mark_read(session, hugo, [item.id]) == 0
    with database.read() as session:
        assert unread_count(session, alice) == 1


def test_once_means_once_for_each_recipient(database, hotel, alice, bob):
    set_now(NOON)
    with database.write() as session:
        for _ in range(2):
            assert notify(
                session, hotel.id, "notify.no_owner", staff_id=alice.id, once="reminder"
            ) is (_ == 0)
        assert notify(session, hotel.id, "notify.no_owner", staff_id=bob.id, once="reminder")
    with database.read() as session:
        assert (unread_count(session, alice), unread_count(session, bob)) == (1, 1)


def test_mark_all_read_and_the_inbox_keeps_thirty_days(database, hotel, alice):
    set_now(NOON - timedelta(days=31))
    overdue_cot(database, hotel, staff_id=alice.id)
    set_now(NOON)
    overdue_cot(database, hotel, staff_id=alice.id)
    overdue_cot(database, hotel, role="front_desk")
    with database.read() as session:
        assert unread_count(session, alice) == 2
    with database.write() as session:
        assert mark_all_read(session, alice) == 2
    with database.read() as session:
        assert unread_count(session, alice) == 0


def test_emails_go_out_once_in_the_readers_language_with_the_link(
    database, hotel, alice, bob, hugo, smtp
):
    set_now(NOON)
    with database.write() as session:
        set_email_address(session, alice, "alice@hotel.test")
        set_email_address(session, bob, "bob@hotel.test")
    overdue_cot(database, hotel, role="front_desk")
    overdue_cot(database, hotel, staff_id=hugo.id)  # Hugo gave no address
    assert deliver_pending_emails(database) == 2
    assert deliver_pending_emails(database) == 0  # each message goes once
    by_address = {m["To"]: m for m in smtp.received}
    assert sorted(by_address) == ["alice@hotel.test", "bob@hotel.test"]
    assert by_address["alice@hotel.test"]["From"] == "desk@hotel.test"
    assert "Lit bébé" in by_address["alice@hotel.test"].get_content()
    body = by_address["bob@hotel.test"].get_content()
    assert "Baby cot" in body and "https://wishes.hotel.test/tasks?id=42" in body
    assert by_address["bob@hotel.test"]["Subject"].startswith("[Hôtel Test] ")
    with database.read() as session:
        rows = session.execute(select(Notification.recipient_id, Notification.email_state))
        states = {recipient: state for recipient, state in rows}
    assert states == {None: "sent", hugo.id: "no_address"}


def test_an_unreachable_smtp_server_marks_the_email_failed(database, hotel, alice, monkeypatch):
    set_now(NOON)
    monkeypatch.setenv("HOTEL_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("HOTEL_SMTP_PORT", str(free_port()))  # nobody listens there
    with database.write() as session:
        set_email_address(session, alice, "alice@hotel.test")
    overdue_cot(database, hotel, staff_id=alice.id)
    assert deliver_pending_emails(database) == 0
    with database.read() as session:
        notification = session.scalars(select(Notification)).one()
    assert notification.email_state == "failed" and notification.email_error


def test_without_smtp_nothing_waits_to_be_emailed(database, hotel, alice, monkeypatch):
    monkeypatch.delenv("HOTEL_SMTP_HOST", raising=False)
    overdue_cot(database, hotel, staff_id=alice.id)
    assert deliver_pending_emails(database) == 0
    with database.read() as session:
        assert session.scalars(select(Notification.email_state)).one() == "none"


def test_an_email_address_must_look_like_one(database, hotel, alice):
    with pytest.raises(UserError) as refused, database.write() as session:
        set_email_address(session, alice, "alice at hotel")
    assert refused.value.key == "inbox.error_email"
    with database.write() as session:
        set_email_address(session, alice, "alice@hotel.test")
        set_email_address(session, alice, "")
