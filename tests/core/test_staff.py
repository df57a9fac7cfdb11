"""Staff accounts: a manager adds people, sets their roles, resets passwords and deactivates."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from core import staff
from core.auth import PermissionDenied, actor_for, authenticate, system_actor
from core.errors import UserError
from core.models import AuditEvent, Staff
from guests.properties import create_property
from guests.reservations import ReservationInput, save_reservation
from tests.conftest import staff_row


def add_nadia(database, maria, roles=("front_desk", "housekeeping")) -> Staff:
    with database.write() as session:
        return staff.create_staff(session, maria, name="Nadia Night", login="Nadia",
                                  password="night-audit-1", roles=list(roles), language="en")


def test_a_manager_adds_a_staff_member_with_several_roles(database, maria):
    nadia = add_nadia(database, maria)
    row = staff_row(database, "nadia")
    assert (row.id, row.property_id, row.active) == (nadia.id, maria.property_id, True)
    assert actor_for(row).roles == ("front_desk", "housekeeping")
    assert row.password_hash.startswith("$argon2id$")
    with database.write() as session:
        assert authenticate(session, "nadia", "night-audit-1").actor.language == "en"


def test_a_new_account_needs_a_real_password_and_a_known_role(database, maria):
    with pytest.raises(UserError) as short:
        add_nadia_with(database, maria, password="short")
    assert short.value.key == "staff.error_password_short"
    with pytest.raises(UserError) as unknown:
        add_nadia_with(database, maria, roles=["night_porter"])
    assert unknown.value.key == "staff.error_unknown_roles"
    with pytest.raises(UserError) as none:
        add_nadia_with(database, maria, roles=[])
    assert none.value.key == "staff.error_no_role"


def add_nadia_with(database, maria, **changes):
    values = {"name": "Nadia", "login": "nadia", "password": "night-audit-1",
              "roles": ["front_desk"], **changes}
    with database.write() as session:
        return staff.create_staff(session, maria, **values)


def test_two_people_cannot_share_a_login(database, maria, alice):
    with pytest.raises(UserError) as taken:
        add_nadia_with(database, maria, login="ALICE")
    assert taken.value.key == "staff.error_login_taken"


def test_a_manager_sets_roles(database, maria, alice):
    with database.write() as session:
        staff.set_roles(session, maria, alice.id, ["front_desk", "reservations"])
    assert staff_row(database, "alice").roles == ["front_desk", "reservations"]


def test_a_manager_resets_a_password_and_the_lock_goes_with_it(database, maria, alice):
    with database.write() as session:
        for _ in range(5):
            authenticate(session, "alice", "guess")
    with database.write() as session:
        staff.reset_password(session, maria, alice.id, "new-front-desk")
    with database.write() as session:
        assert authenticate(session, "alice", "alice-password").failure == "invalid"
        assert authenticate(session, "alice", "new-front-desk").actor is not None


def test_a_manager_deactivates_and_reactivates_an_account(database, maria, alice):
    with database.write() as session:
        staff.set_active(session, maria, alice.id, False)
    assert staff_row(database, "alice").active is False
    with database.write() as session:
        staff.set_active(session, maria, alice.id, True)
        assert authenticate(session, "alice", "alice-password").actor is not None


def test_a_manager_cannot_deactivate_herself(database, maria):
    with pytest.raises(UserError) as refused, database.write() as session:
        staff.set_active(session, maria, maria.id, False)
    assert refused.value.key == "staff.error_deactivate_self"


@pytest.mark.parametrize("operation", [
    lambda s, who, other: staff.create_staff(s, who, name="X", login="x", password="password-x",
                                             roles=["manager"]),
    lambda s, who, other: staff.set_roles(s, who, who.id, ["manager"]),
    lambda s, who, other: staff.reset_password(s, who, other.id, "taken-over"),
    lambda s, who, other: staff.set_active(s, who, other.id, False),
    lambda s, who, other: staff.list_staff(s, who),
], ids=["create_staff", "set_roles", "reset_password", "set_active", "list_staff"])
def test_housekeeping_cannot_manage_staff(database, hugo, alice, operation):
    with pytest.raises(PermissionDenied), database.write() as session:
        operation(session, hugo, alice)
    assert staff_row(database, "hugo").roles == ["housekeeping"]


def test_the_front_desk_cannot_manage_staff_either(database, alice, hugo):
    with pytest.raises(PermissionDenied), database.write() as session:
        staff.set_active(session, alice, hugo.id, False)


def test_housekeeping_cannot_save_a_reservation(database, hotel, hugo):
    booking = ReservationInput(confirmation_number="HK-1", guest_name="Paul Martin",
                               arrival_date=date(2026, 6, 1), departure_date=date(2026, 6, 3))
    with pytest.raises(PermissionDenied), database.write() as session:
        save_reservation(session, hugo, hotel.id, booking)


def test_a_manager_cannot_manage_another_hotels_staff(database, maria, alice):
    with database.write() as session:
        other = create_property(session, system_actor(None), code="OTHER", name="Autre hôtel")
        stranger = staff.create_staff(session, system_actor(other.id), name="Sam", login="sam",
                                      password="sam-password", roles=["manager"],
                                      property_id=other.id)
    with pytest.raises(UserError) as refused, database.write() as session:
        staff.set_active(session, maria, stranger.id, False)
    assert refused.value.key == "staff.error_not_found"
    with database.read() as session:
        assert [p.login for p in staff.list_staff(session, maria)] == ["alice", "maria"]


def test_a_manager_cannot_add_staff_to_another_hotel(database, maria):
    with database.write() as session:
        other = create_property(session, system_actor(None), code="OTHER", name="Autre hôtel")
    with pytest.raises(PermissionDenied), database.write() as session:
        staff.create_staff(session, maria, name="Sam", login="sam", password="sam-password",
                           roles=["manager"], property_id=other.id)


def test_everyone_chooses_their_own_language(database, hugo):
    with database.write() as session:
        staff.set_language(session, hugo, "en")
    assert staff_row(database, "hugo").language == "en"
    with pytest.raises(UserError), database.write() as session:
        staff.set_language(session, hugo, "de")


def test_every_staff_change_is_audited_without_the_password(database, maria, alice):
    nadia = add_nadia(database, maria)
    with database.write() as session:
        staff.set_roles(session, maria, nadia.id, ["manager"])
        staff.reset_password(session, maria, nadia.id, "another-secret")
        staff.set_active(session, maria, nadia.id, False)
    with database.read() as session:
        events = list(session.scalars(
            select(AuditEvent).where(AuditEvent.entity == "staff",
                                     AuditEvent.entity_id == str(nadia.id))
            .order_by(AuditEvent.id)
        ))
    assert [e.action for e in events] == [
        "staff_created", "staff_roles_set", "staff_password_reset", "staff_deactivated",
    ]
    assert {e.actor_id for e in events} == {maria.id}
    created, roles, reset, deactivated = events
    assert created.after["login"] == "nadia"
    assert "password_hash" not in created.after
    assert (roles.before, roles.after) == ({"roles": ["front_desk", "housekeeping"]},
                                           {"roles": ["manager"]})
    assert reset.before is None and reset.after is None
    assert (deactivated.before, deactivated.after) == ({"active": True}, {"active": False})
