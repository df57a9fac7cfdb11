"""Sign-in attempts are limited per client address and in total per minute, and refused
before any password is hashed: a flood costs the server a counter, not an argon2 hash."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from core import auth, clock
from core.auth import sign_in
from core.models import AuditEvent

MORNING = datetime(2026, 6, 1, 7, 0, 5, tzinfo=UTC)


class CountingHasher(PasswordHasher):
    """The real argon2 hasher (cheap parameters), counting the passwords it checks."""

    checks = 0

    def verify(self, hash, password):
        CountingHasher.checks += 1
        return super().verify(hash, password)


@pytest.fixture
def hashes(monkeypatch: pytest.MonkeyPatch) -> type[CountingHasher]:
    CountingHasher.checks = 0
    monkeypatch.setattr(
        auth, "_hasher", CountingHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
    return CountingHasher


def test_attempts_over_an_address_s_limit_are_refused_without_hashing(
    database, alice, hashes, monkeypatch
):
    monkeypatch.setenv("HOTEL_SIGN_IN_PER_ADDRESS_PER_MINUTE", "3")
    clock.set_now(MORNING)
    outcomes = [sign_in(database, "alice", "guess", "203.0.113.9") for _ in range(6)]
    assert [o.failure for o in outcomes] == ["invalid"] * 3 + ["limited"] * 3
    assert hashes.checks == 3
    # Another device is not held back, and the next minute the address may try again.
    assert sign_in(database, "alice", "alice-password", "198.51.100.4").actor is not None
    clock.set_now(MORNING + timedelta(minutes=1))
    assert sign_in(database, "alice", "alice-password", "203.0.113.9").actor is not None


def test_attempts_over_the_total_limit_are_refused_without_hashing(
    database, alice, hashes, monkeypatch
):
    monkeypatch.setenv("HOTEL_SIGN_IN_PER_MINUTE", "4")
    clock.set_now(MORNING)
    outcomes = [sign_in(database, "nobody", "guess", f"192.0.2.{n}") for n in range(7)]
    assert [o.failure for o in outcomes] == ["invalid"] * 4 + ["limited"] * 3
    assert hashes.checks == 4


def test_one_address_over_its_limit_does_not_use_up_everyone_s_total(database, alice, monkeypatch):
    monkeypatch.setenv("HOTEL_SIGN_IN_PER_ADDRESS_PER_MINUTE", "2")
    monkeypatch.setenv("HOTEL_SIGN_IN_PER_MINUTE", "5")
    clock.set_now(MORNING)
    for _ in range(20):
        sign_in(database, "alice", "guess", "203.0.113.9")
    assert sign_in(database, "alice", "alice-password", "198.51.100.4").actor is not None


def test_an_address_reaching_its_limit_is_audited_once_a_minute(database, alice, monkeypatch):
    monkeypatch.setenv("HOTEL_SIGN_IN_PER_ADDRESS_PER_MINUTE", "2")
    clock.set_now(MORNING)
    for _ in range(10):
        sign_in(database, "alice", "guess", "203.0.113.9")
    with database.read() as session:
        limited = list(
            session.scalars(select(AuditEvent).where(AuditEvent.action == "login_limited"))
        )
    assert [(e.actor_name, e.note) for e in limited] == [
        ("203.0.113.9", "2 sign-in attempts this minute (address:203.0.113.9): more are refused")
    ]


def test_refused_attempts_write_nothing(database, alice, monkeypatch):
    """A flood is turned away by a read: it takes no write lock from the staff."""
    from core.models import SignInWindow

    monkeypatch.setenv("HOTEL_SIGN_IN_PER_ADDRESS_PER_MINUTE", "2")
    clock.set_now(MORNING)
    for _ in range(10):
        sign_in(database, "alice", "guess", "203.0.113.9")
    with database.read() as session:
        counted = session.scalars(select(SignInWindow.attempts).order_by(SignInWindow.key)).all()
    assert counted == [2, 2]  # the address and the total: the 8 refusals were not counted


def test_an_unknown_login_costs_a_hash_like_a_wrong_password(database, alice, hashes):
    """Same work for every refusal, so timing does not tell which logins exist."""
    sign_in(database, "nobody", "guess", "192.0.2.1")
    sign_in(database, "alice", "guess", "192.0.2.1")
    assert hashes.checks == 2


def test_attempts_without_a_known_address_count_in_the_total_only(database, alice, monkeypatch):
    """Streamlit gives no address for localhost or a local reverse proxy: the whole hotel
    would share one address, so only the server's total applies."""
    monkeypatch.setenv("HOTEL_SIGN_IN_PER_ADDRESS_PER_MINUTE", "2")
    monkeypatch.setenv("HOTEL_SIGN_IN_PER_MINUTE", "4")
    clock.set_now(MORNING)
    outcomes = [sign_in(database, "alice", "guess", "") for _ in range(5)]
    assert [o.failure for o in outcomes] == ["invalid"] * 4 + ["limited"]
