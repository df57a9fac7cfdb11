"""A download is made for a person checked at the moment of the click: signed in, active, in
the role, not idle past the timeout; a refusal is audited and makes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.audit import audit_events
from core.clock import set_now
from core.models import Staff
from core.session_guard import IDLE, INACTIVE, NOT_ALLOWED, SIGNED_OUT, SessionEnded, SessionGuard
from core.staff import set_active

MORNING = datetime(2026, 7, 14, 7, 0, tzinfo=UTC)


def refusal(database, guard: SessionGuard, *roles: str) -> str:
    with pytest.raises(SessionEnded) as refused:
        guard.check(database, *roles)
    return refused.value.reason


def test_an_active_person_gets_the_file_and_it_counts_as_activity(database, alice):
    set_now(MORNING)
    guard = SessionGuard(alice.id)
    set_now(MORNING + timedelta(minutes=29))
    assert guard.check(database, "front_desk", "manager").id == alice.id
    set_now(MORNING + timedelta(minutes=58))  # 29 minutes after the download
    assert guard.check(database, "front_desk").name == "Alice Front"


def test_after_the_idle_timeout_nothing_is_made_and_the_session_is_over(database, hotel, alice):
    set_now(MORNING)
    guard = SessionGuard(alice.id)
    set_now(MORNING + timedelta(minutes=31))
    assert refusal(database, guard, "front_desk") == IDLE
    set_now(MORNING + timedelta(minutes=31, seconds=1))
    guard.touch()  # the page running again does not bring it back
    assert refusal(database, guard, "front_desk") == IDLE
    with database.read() as session:
        events = audit_events(session, hotel.id, action="download_refused")
    assert [(e.actor_name, e.note) for e in events] == [("Alice Front", IDLE)] * 2


def test_the_timeout_is_the_setting(database, alice, monkeypatch):
    monkeypatch.setenv("HOTEL_IDLE_TIMEOUT_MINUTES", "5")
    set_now(MORNING)
    guard = SessionGuard(alice.id)
    set_now(MORNING + timedelta(minutes=6))
    assert refusal(database, guard) == IDLE


def test_a_deactivated_account_gets_nothing(database, alice, maria):
    set_now(MORNING)
    guard = SessionGuard(alice.id)
    with database.write() as session:
        set_active(session, maria, alice.id, False)
    assert refusal(database, guard, "front_desk") == INACTIVE
    with database.write() as session:
        set_active(session, maria, alice.id, True)
    assert refusal(database, guard, "front_desk") == INACTIVE  # that session stays over


def test_a_role_taken_away_refuses_the_download(database, alice):
    set_now(MORNING)
    guard = SessionGuard(alice.id)
    with database.write() as session:
        session.get(Staff, alice.id).roles = ["housekeeping"]
    assert refusal(database, guard, "front_desk", "manager") == NOT_ALLOWED
    assert guard.check(database, "housekeeping").id == alice.id  # the session itself goes on


def test_signed_out_is_signed_out(database, alice):
    guard = SessionGuard(alice.id)
    guard.end()
    assert refusal(database, guard) == SIGNED_OUT


def test_every_download_button_is_a_guarded_one():
    """A plain st.download_button carries its file in the page, made when the page ran: it
    still downloads after the idle timeout or a deactivation. Every download goes through
    core.download_ui.guarded_download, which makes the file at the click, for the person
    checked then (the guest-messages printout holds guests' addresses)."""
    from core.settings import ROOT

    sources = [ROOT / "streamlit_app.py"] + [
        path
        for domain in ("core", "guests", "requests", "shift_briefing")
        for path in sorted((ROOT / domain).rglob("*.py"))
    ]
    plain = [
        str(path.relative_to(ROOT))
        for path in sources
        if path.name != "download_ui.py"
        and "download_button(" in path.read_text(encoding="utf-8")
    ]
    assert plain == []


def test_the_guest_messages_printout_is_read_for_the_person_at_the_click(
    database, hotel, alice, hugo
):
    """The printout is asked of the outbox service with the person the guard checked: a
    housekeeper (or anyone the role was taken from) gets nothing."""
    from core.auth import PermissionDenied
    from requests.guest_outbox import outbox_printout

    with database.read() as session:
        assert outbox_printout(session, alice, hotel.id) == ""  # nothing waiting yet
        with pytest.raises(PermissionDenied):
            outbox_printout(session, hugo, hotel.id)
