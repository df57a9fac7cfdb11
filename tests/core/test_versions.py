"""Every manager save is a version check: the second of two people who loaded the same row is
told who saved it, when and what changed, and nothing of theirs is written."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from core import clock
from core.scheduling import JobSetting, job_board, save_job_setting
from core.shifts import shifts, update_shift
from core.staff import reset_password, set_active, set_roles
from core.versions import Changed
from requests.catalogue import CatalogueChange, save_catalogue_item
from requests.models import CatalogueItem
from shift_briefing.models import Shift
from tests.conftest import _staff, staff_row

TEN_PAST_NINE = datetime(2026, 7, 14, 7, 10, tzinfo=UTC)  # 09:10 in Paris


@pytest.fixture
def max_(database, hotel):
    """Max is the other manager, working at the same time as Maria."""
    return _staff(database, hotel, "max", "Max Manager", ["manager"])


def test_a_role_change_on_an_account_someone_else_just_changed_is_refused(
    database, hotel, maria, max_, alice
):
    loaded = staff_row(database, "alice").version
    clock.set_now(TEN_PAST_NINE)
    with database.write() as session:
        set_roles(session, max_, alice.id, ["front_desk", "reservations"], version=loaded)
    with pytest.raises(Changed) as lost, database.write() as session:
        set_active(session, maria, alice.id, False, version=loaded)
    assert lost.value.key == "staff.error_changed"
    assert lost.value.values == {"by": "Max Manager", "at": "09:10", "what": "rôles"}
    row = staff_row(database, "alice")
    assert (row.active, row.roles) == (True, ["front_desk", "reservations"])


def test_a_password_reset_moves_the_version_and_is_named(database, hotel, maria, max_, alice):
    loaded = staff_row(database, "alice").version
    with database.write() as session:
        reset_password(session, max_, alice.id, "a-new-secret", version=loaded)
    with pytest.raises(Changed) as lost, database.write() as session:
        set_roles(session, maria, alice.id, ["manager"], version=loaded)
    assert lost.value.what == "mot de passe"
    assert staff_row(database, "alice").roles == ["front_desk"]


def test_signing_in_does_not_move_an_account_s_version(database, hotel, maria, alice):
    """Failed and successful sign-ins count on the row, but are not a manager's edit."""
    from core.auth import authenticate

    loaded = staff_row(database, "alice").version
    with database.write() as session:
        authenticate(session, "alice", "guess")
        authenticate(session, "alice", "alice-password")
    with database.write() as session:
        set_roles(session, maria, alice.id, ["manager"], version=loaded)
    assert staff_row(database, "alice").roles == ["manager"]


def shift_version(database, hotel, name: str) -> int:
    with database.read() as session:
        return next(s.version for s in shifts(session, hotel.id) if s.name == name)


def test_shift_hours_saved_over_someone_else_s_are_refused(database, hotel, maria, max_):
    loaded = shift_version(database, hotel, "morning")
    clock.set_now(TEN_PAST_NINE)
    with database.write() as session:
        update_shift(session, max_, hotel.id, "morning", time(6, 0), time(14, 0), version=loaded)
    with pytest.raises(Changed) as lost, database.write() as session:
        update_shift(session, maria, hotel.id, "morning", time(8, 0), time(16, 0), version=loaded)
    assert lost.value.values == {"by": "Max Manager", "at": "09:10", "what": "début, fin"}
    with database.read() as session:
        morning = session.query(Shift).filter_by(property_id=hotel.id, name="morning").one()
    assert (morning.starts_at, morning.version) == (time(6, 0), loaded + 1)


def cot_change(label: str) -> CatalogueChange:
    return CatalogueChange(
        code="baby_cot",
        label_fr="Lit bébé",
        label_en=label,
        department="housekeeping",
        timing="before_arrival",
        lead_minutes=120,
        sensitive=False,
        constrains_room=False,
        readiness_items=[{"key": "cot", "label_fr": "Lit bébé", "label_en": "Cot"}],
        keywords={"en": ["cot"], "fr": ["lit bébé"]},
    )


def cot_item(database, hotel) -> CatalogueItem:
    with database.read() as session:
        return session.query(CatalogueItem).filter_by(property_id=hotel.id, code="baby_cot").one()


def test_a_catalogue_entry_saved_over_someone_else_s_edit_is_refused(database, hotel, maria, max_):
    loaded = cot_item(database, hotel).version
    with database.write() as session:
        save_catalogue_item(session, max_, hotel.id, cot_change("Crib"), version=loaded)
    with pytest.raises(Changed) as lost, database.write() as session:
        save_catalogue_item(session, maria, hotel.id, cot_change("Baby bed"), version=loaded)
    assert lost.value.key == "catalogue.error_changed"
    assert lost.value.by == "Max Manager"
    assert cot_item(database, hotel).label_en == "Crib"


def test_adding_a_code_someone_else_just_added_is_refused(database, hotel, maria, max_):
    change = cot_change("Crib")
    change.code = "crib"
    with database.write() as session:
        save_catalogue_item(session, max_, hotel.id, change, version=0)
    change.label_en = "Cot"
    with pytest.raises(Changed) as lost, database.write() as session:
        save_catalogue_item(session, maria, hotel.id, change, version=0)
    assert lost.value.by == "Max Manager"


def retention_version(database, maria) -> int:
    with database.read() as session:
        return next(j.version for j in job_board(session, maria) if j.name == "purge_guest_data")


def test_job_settings_saved_over_someone_else_s_are_refused(database, hotel, maria, max_):
    first = retention_version(database, maria)
    assert first == 0  # the defaults: nothing stored yet
    clock.set_now(TEN_PAST_NINE)
    with database.write() as session:
        save_job_setting(
            session, max_, "purge_guest_data", True, {"retention_days": 90}, version=first
        )
    with pytest.raises(Changed) as lost, database.write() as session:
        save_job_setting(
            session, maria, "purge_guest_data", False, {"retention_days": 30}, version=first
        )
    assert (lost.value.key, lost.value.by, lost.value.at) == (
        "jobs.error_changed",
        "Max Manager",
        "09:10",
    )
    loaded = retention_version(database, maria)
    with database.write() as session:
        save_job_setting(
            session, maria, "purge_guest_data", True, {"retention_days": 30}, version=loaded
        )
    with database.read() as session:
        stored = session.query(JobSetting).filter_by(job="purge_guest_data").one()
    assert (stored.values["retention_days"], stored.version) == (30, loaded + 1)


def test_a_versioned_row_lost_at_commit_reads_as_a_message_not_a_traceback(database):
    """The backstop behind every service's own check: a mapper's stale save (raised here as
    the ORM raises it at commit) reaches the page as a message."""
    from sqlalchemy.orm.exc import StaleDataError

    from core.errors import UserError

    with pytest.raises(UserError) as refused, database.write():
        raise StaleDataError("UPDATE statement on table 'tasks' expected to update 1 row(s)")
    assert refused.value.key == "error.changed_meanwhile"


def test_two_managers_adding_the_same_login_at_once_are_told_it_is_taken(database, hotel, maria):
    """Bea adds nadia while Maria's addition of nadia is not committed yet: on PostgreSQL her
    insert waits for Maria's and then meets the unique login; she is told it is taken."""
    import threading
    import time as timer

    from core.errors import UserError
    from core.staff import create_staff

    told: list[str] = []

    def add(name: str) -> None:
        try:
            with database.write() as session:
                create_staff(
                    session,
                    maria,
                    name=name,
                    login="nadia",
                    password="night-audit-1",
                    roles=["front_desk"],
                )
            told.append("added")
        except UserError as refused:
            told.append(refused.key)
        except Exception as failed:
            told.append(type(failed).__name__)

    with database.write() as session:
        create_staff(
            session,
            maria,
            name="Nadia A",
            login="nadia",
            password="night-audit-1",
            roles=["front_desk"],
        )
        other = threading.Thread(target=add, args=("Nadia B",))
        other.start()
        timer.sleep(0.5)  # her lookup finds no nadia yet; her insert waits for this commit
    other.join()
    assert told == ["staff.error_login_taken"]
