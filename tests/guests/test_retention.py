"""Guest data past its retention is anonymised at night: never a guest in house or arriving;
names, contacts and wish texts go (health data first); counts, codes and timings stay."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, func, select

from core.audit import audit_events
from core.clock import set_now
from core.notifications import Notification, notify
from core.scheduling import run_job, save_job_setting
from guests.jobs import ANONYMOUS_NAME
from guests.models import Guest, Reservation
from guests.reservations import ReservationInput, save_reservation
from requests.models import Request, Task
from shift_briefing.models import BriefingArchive, BriefingVersion

NIGHT = datetime(2026, 7, 14, 1, 0, tzinfo=UTC)  # 03:00 in Paris, 14 July


@pytest.fixture
def stay(database, hotel, rita):
    def stay(
        number: str,
        name: str,
        arrival: date,
        nights: int = 2,
        *,
        wishes: str = "",
        status: str = "booked",
        email: str | None = None,
    ) -> int:
        with database.write() as session:
            saved = save_reservation(
                session,
                rita,
                hotel.id,
                ReservationInput(
                    confirmation_number=number,
                    guest_name=name,
                    arrival_date=arrival,
                    departure_date=arrival + timedelta(days=nights),
                    wish_text=wishes,
                    status=status,
                    email=email,
                    phone="+33 6 00 00 00 00" if email else None,
                ),
            )
            return saved.reservation.guest_id

    return stay


def purge(database, hotel) -> str:
    set_now(NIGHT)
    outcome = run_job(database, "purge_guest_data", hotel.id, NIGHT, holder="test")
    assert outcome is not None and outcome.status == "ok", outcome
    return outcome.result


def guest(database, guest_id: int) -> Guest:
    with database.read() as session:
        return session.get(Guest, guest_id)


def test_a_guest_gone_thirty_days_is_anonymised_and_the_statistics_stay(database, hotel, stay):
    marie = stay(
        "M1",
        "Marie Dubois",
        date(2026, 6, 1),
        wishes="peanut allergy, and a baby cot please",
        email="marie@example.com",
    )
    with database.read() as session:
        before = session.execute(
            select(Request.code, Request.sensitive, Task.status, Task.due_at)
            .join(Task, Task.request_id == Request.id)
            .order_by(Request.code)
        ).all()
    assert {(code, sensitive) for code, sensitive, _, _ in before} == {
        ("baby_cot", False),
        ("food_allergy", True),
    }
    result = purge(database, hotel)
    assert result.startswith(
        "1 guest anonymised (reservations: 1, health-related wishes: 1, wishes: 1"
    )
    gone = guest(database, marie)
    assert (gone.name, gone.email, gone.phone) == (ANONYMOUS_NAME, None, None)
    assert gone.anonymised_at == NIGHT
    with database.read() as session:
        reservation = session.scalars(
            select(Reservation).where(Reservation.guest_id == marie)
        ).one()
        after = session.execute(
            select(Request.code, Request.sensitive, Task.status, Task.due_at)
            .join(Task, Task.request_id == Request.id)
            .order_by(Request.code)
        ).all()
        texts = session.execute(select(Request.original_text, Request.matched_text)).all()
        [audited] = audit_events(session, hotel.id, action="guest_anonymised")
    assert reservation.wish_text == "" and reservation.departure_date == date(2026, 6, 3)
    assert after == before  # codes, statuses and timings stay for the statistics
    assert set(texts) == {("", "")}
    assert audited.entity_id == str(marie) and audited.after == {"reservations": 1}
    assert "Marie" not in repr((audited.before, audited.after, audited.note))


def test_guests_in_house_arriving_or_recently_gone_are_left_alone(database, hotel, stay):
    in_house = stay("P1", "Paul Present", date(2026, 6, 1), status="checked_in")
    coming_back = stay("A1", "Ann Again", date(2026, 5, 1), email="ann@example.com")
    stay("A2", "Ann Again", date(2026, 7, 20), email="ann@example.com")
    recent = stay("R1", "Rose Recent", date(2026, 6, 20))  # left 22 June: 22 days ago
    assert purge(database, hotel).startswith("no guest past 30 days")
    assert guest(database, in_house).name == "Paul Present"
    assert guest(database, coming_back).name == "Ann Again"
    assert guest(database, recent).name == "Rose Recent"


def test_the_retention_is_a_managers_setting(database, hotel, maria, stay):
    marie = stay("M1", "Marie Dubois", date(2026, 6, 1))
    with database.write() as session:
        save_job_setting(session, maria, "purge_guest_data", True, {"retention_days": 60})
    purge(database, hotel)
    assert guest(database, marie).name == "Marie Dubois"


def test_running_it_again_changes_nothing(database, hotel, stay):
    stay("M1", "Marie Dubois", date(2026, 6, 1), wishes="baby cot")
    purge(database, hotel)
    set_now(NIGHT + timedelta(days=1))
    again = run_job(database, "purge_guest_data", hotel.id, NIGHT + timedelta(days=1), holder="t")
    assert again is not None and again.result.startswith("no guest past 30 days")


def test_the_briefings_and_archived_pdfs_of_those_days_are_erased(database, hotel, stay):
    stay("M1", "Marie Dubois", date(2026, 6, 1))
    with database.write() as session:
        for day in (date(2026, 6, 1), date(2026, 6, 20)):
            session.add(
                BriefingVersion(
                    property_id=hotel.id,
                    briefing_date=day,
                    shift="afternoon",
                    version="v1",
                    content={"arrivals": [{"guest": "Marie Dubois"}]},
                )
            )
            session.add(
                BriefingArchive(
                    property_id=hotel.id,
                    briefing_date=day,
                    shift="afternoon",
                    version="v1",
                    language="fr",
                    arrivals=1,
                    pdf=b"%PDF-1.4 Marie Dubois",
                    made_at=NIGHT - timedelta(days=40),
                )
            )
    purge(database, hotel)
    with database.read() as session:
        rows = session.execute(select(BriefingVersion.briefing_date, BriefingVersion.content))
        versions = {day: content for day, content in rows}
        archives = {a.briefing_date: a for a in session.scalars(select(BriefingArchive))}
    assert versions[date(2026, 6, 1)] == {"erased": True}
    assert versions[date(2026, 6, 20)] == {"arrivals": [{"guest": "Marie Dubois"}]}
    assert archives[date(2026, 6, 1)].pdf is None
    assert archives[date(2026, 6, 1)].erased_at == NIGHT
    assert archives[date(2026, 6, 1)].version == "v1"  # that it was handed over stays
    assert archives[date(2026, 6, 20)].pdf is not None


def test_notifications_older_than_the_retention_go_too(database, hotel, alice, stay):
    set_now(NIGHT - timedelta(days=31))
    with database.write() as session:
        notify(session, hotel.id, "notify.no_owner", staff_id=alice.id)
    set_now(NIGHT - timedelta(days=2))
    with database.write() as session:
        notify(session, hotel.id, "notify.no_owner", staff_id=alice.id)
    assert purge(database, hotel).endswith("1 old notifications removed")
    with database.read() as session:
        assert session.scalar(select(func.count(Notification.id))) == 1


def test_health_data_is_erased_first(database, hotel, stay):
    stay("M1", "Marie Dubois", date(2026, 6, 1), wishes="peanut allergy, and a baby cot please")
    statements: list[str] = []

    def seen(_conn, _cursor, statement, _parameters, _context, _many) -> None:
        if statement.lstrip().upper().startswith("UPDATE"):
            statements.append(" ".join(statement.split()))

    event.listen(database.engine, "before_cursor_execute", seen)
    try:
        purge(database, hotel)
    finally:
        event.remove(database.engine, "before_cursor_execute", seen)

    def updates_of(table: str) -> list[int]:
        return [i for i, s in enumerate(statements) if s.startswith(f"UPDATE {table} ")]

    first, second = (statements[i] for i in updates_of("requests")[:2])
    assert re.search(r"sensitive IS (1|true)", first)
    assert re.search(r"sensitive IS (0|false)", second)
    assert max(updates_of("requests")) < min(updates_of("guests"))
