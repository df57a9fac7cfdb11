"""Signing in: argon2id hashes, a 15-minute lock after five failures, every attempt audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from core import clock
from core.auth import ROLES, Actor, authenticate, current_actor
from core.models import AuditEvent, Staff
from core.staff import set_active
from tests.conftest import REAL_PASSWORD_HASHER, staff_row

MORNING = datetime(2026, 6, 1, 7, 0, tzinfo=UTC)


def sign_in(database, login: str, password: str):
    with database.write() as session:
        return authenticate(session, login, password)


def login_events(database, staff_id: int | None = None) -> list[AuditEvent]:
    with database.read() as session:
        query = select(AuditEvent).where(AuditEvent.action.in_(("login", "login_failed")))
        if staff_id is not None:
            query = query.where(AuditEvent.entity_id == str(staff_id))
        return list(session.scalars(query.order_by(AuditEvent.id)))


def test_the_four_roles_of_the_hotel():
    assert set(ROLES) == {"reservations", "front_desk", "housekeeping", "manager"}


def test_passwords_are_stored_as_argon2id_hashes(database, alice):
    stored = staff_row(database, "alice").password_hash
    assert stored.startswith("$argon2id$")
    assert "alice-password" not in stored


def test_outside_the_tests_hashes_cost_what_rfc_9106_recommends():
    """The suite hashes cheaply (conftest); the app uses argon2id's recommended parameters."""
    assert REAL_PASSWORD_HASHER.hash("alice-password").startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_the_right_password_signs_alice_in_with_her_roles(database, alice):
    outcome = sign_in(database, "alice", "alice-password")
    assert outcome.failure is None
    assert isinstance(outcome.actor, Actor)
    assert (outcome.actor.id, outcome.actor.roles) == (alice.id, ("front_desk",))


def test_the_login_is_not_case_sensitive(database, alice):
    assert sign_in(database, "  Alice ", "alice-password").actor is not None


def test_a_wrong_password_fails(database, alice):
    outcome = sign_in(database, "alice", "alice-passwort")
    assert (outcome.actor, outcome.failure) == (None, "invalid")


def test_an_unknown_login_fails_like_a_wrong_password(database, alice):
    assert sign_in(database, "alicia", "alice-password").failure == "invalid"


def test_five_failed_logins_lock_the_account_for_fifteen_minutes(database, alice):
    clock.set_now(MORNING)
    for _ in range(5):
        assert sign_in(database, "alice", "guess").reason == "wrong_password"
    locked = sign_in(database, "alice", "guess")
    assert (locked.failure, locked.reason) == ("invalid", "locked")  # told like any refusal

    clock.set_now(MORNING + timedelta(minutes=14, seconds=59))
    assert sign_in(database, "alice", "alice-password").reason == "locked"

    clock.set_now(MORNING + timedelta(minutes=15, seconds=1))
    outcome = sign_in(database, "alice", "alice-password")
    assert outcome.failure is None
    assert outcome.actor.id == alice.id


def test_after_the_lock_the_count_starts_again(database, alice):
    clock.set_now(MORNING)
    for _ in range(5):
        sign_in(database, "alice", "guess")
    clock.set_now(MORNING + timedelta(minutes=16))
    assert sign_in(database, "alice", "guess").failure == "invalid"
    assert staff_row(database, "alice").failed_logins == 1


def test_a_successful_login_clears_the_failures(database, alice):
    for _ in range(4):
        sign_in(database, "alice", "guess")
    assert sign_in(database, "alice", "alice-password").actor is not None
    assert staff_row(database, "alice").failed_logins == 0
    for _ in range(4):
        assert sign_in(database, "alice", "guess").failure == "invalid"


def test_failed_and_successful_logins_are_audited(database, alice):
    clock.set_now(MORNING)
    sign_in(database, "alice", "guess")
    sign_in(database, "alice", "alice-password")
    failed, succeeded = login_events(database, alice.id)
    assert (failed.action, failed.actor_id, failed.entity) == ("login_failed", alice.id, "staff")
    assert failed.note == "wrong password"
    assert (succeeded.action, succeeded.actor_id) == ("login", alice.id)
    assert succeeded.at == MORNING
    assert succeeded.property_id == alice.property_id


def test_an_attempt_on_an_unknown_login_is_audited(database, alice):
    sign_in(database, "mallory", "anything")
    [event] = login_events(database)
    assert (event.action, event.actor_id, event.actor_name) == ("login_failed", None, "mallory")


def test_locked_attempts_are_audited(database, alice):
    for _ in range(6):
        sign_in(database, "alice", "guess")
    notes = [e.note for e in login_events(database, alice.id)]
    assert notes[4] == "wrong password; locked for 15 minutes"
    assert notes[5] == "account locked"


def test_a_deactivated_account_cannot_sign_in(database, alice, maria):
    with database.write() as session:
        set_active(session, maria, alice.id, False)
    outcome = sign_in(database, "alice", "alice-password")
    assert (outcome.actor, outcome.failure, outcome.reason) == (None, "invalid", "inactive")
    assert login_events(database, alice.id)[-1].note == "account deactivated"


def test_every_refusal_reads_the_same_so_logins_cannot_be_guessed(database, alice, hugo, maria):
    """Unknown login, wrong password, locked account, deactivated account (right or wrong
    password): the person is told the same; only the audit log knows the reason."""
    with database.write() as session:
        set_active(session, maria, hugo.id, False)
    for _ in range(5):
        sign_in(database, "alice", "guess")
    outcomes = [
        sign_in(database, "nobody", "guess"),
        sign_in(database, "maria", "guess"),
        sign_in(database, "alice", "alice-password"),  # locked
        sign_in(database, "hugo", "hugo-password"),  # deactivated, right password
        sign_in(database, "hugo", "guess"),  # deactivated, wrong password
    ]
    assert {(o.actor, o.failure) for o in outcomes} == {(None, "invalid")}
    assert [o.reason for o in outcomes] == [
        "unknown", "wrong_password", "locked", "inactive", "wrong_password"
    ]


def test_a_deactivated_account_is_no_longer_the_current_actor(database, alice, maria):
    with database.read() as session:
        assert current_actor(session, alice.id) == alice
    with database.write() as session:
        set_active(session, maria, alice.id, False)
    with database.read() as session:
        assert current_actor(session, alice.id) is None


def test_changed_roles_reach_the_current_actor(database, alice):
    with database.write() as session:
        session.get(Staff, alice.id).roles = ["front_desk", "manager"]
    with database.read() as session:
        assert current_actor(session, alice.id).roles == ("front_desk", "manager")
