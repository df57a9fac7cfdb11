"""A reservation is who it is: a new number that exists is refused, an edit saves over the
version opened or is told who saved in between, and a guest is a person, not an e-mail."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from core.audit import Who
from core.i18n import t
from guests.models import Guest, Reservation
from guests.reservations import (
    ReservationChanged,
    ReservationExists,
    ReservationInput,
    create_reservation,
    field_differences,
    keep_mine,
    reservation_input,
    save_reservation,
    update_reservation,
)
from requests.models import Request, Task
from requests.reservation_save import WishPicks, save_reservation_with_wishes

ARRIVAL = date(2026, 7, 10)


def booking(number: str = "R1", name: str = "Marie Dubois", **values) -> ReservationInput:
    return ReservationInput(
        confirmation_number=number,
        guest_name=name,
        arrival_date=values.pop("arrival_date", ARRIVAL),
        departure_date=values.pop("departure_date", date(2026, 7, 12)),
        **values,
    )


def stored(database, number: str) -> Reservation:
    with database.read() as session:
        reservation = session.scalar(
            select(Reservation).where(Reservation.confirmation_number == number)
        )
        assert reservation is not None
        session.expunge_all()
        return reservation


def test_creating_with_a_number_that_exists_is_refused_and_changes_nothing(
    database, hotel, rita: Who
):
    with database.write() as session:
        save_reservation_with_wishes(
            session, rita, hotel.id, booking(wish_text="Severe nut allergy")
        )
    before = stored(database, "R1")
    with pytest.raises(ReservationExists) as refused, database.write() as session:
        create_reservation(session, rita, hotel.id, booking(name="John Other"))
    assert refused.value.reservation_id == before.id
    assert refused.value.values["guest"] == "Marie Dubois"
    # Said in the reader's words: French dates in French, never ISO.
    said = t(refused.value.key, "fr", **refused.value.values)
    assert "du 10/07/2026 au 12/07/2026" in said and "2026-07" not in said, said
    after = stored(database, "R1")
    assert (after.guest.name, after.version) == ("Marie Dubois", before.version)
    with database.read() as session:
        statuses = session.scalars(select(Task.status)).all()
    assert statuses and set(statuses) == {"open"}  # the allergy task was not cancelled


def test_an_edit_over_a_version_someone_saved_since_is_told_who_and_when(
    database, hotel, rita: Who, maria: Who
):
    with database.write() as session:
        create_reservation(session, rita, hotel.id, booking())
    opened = stored(database, "R1")
    opened_input = reservation_input(opened)
    with database.write() as session:
        update_reservation(session, maria, hotel.id, opened.id, booking(adults=3),
                           version=opened.version, guest_version=opened.guest.version)
    mine = booking(children=2)
    with pytest.raises(ReservationChanged) as changed, database.write() as session:
        update_reservation(session, rita, hotel.id, opened.id, mine,
                           version=opened.version, guest_version=opened.guest.version)
    assert changed.value.by == "Maria Manager"
    assert changed.value.values["who"] == "Maria Manager"
    assert stored(database, "R1").adults == 3 and stored(database, "R1").children == 0
    differences = {name: (theirs, ours, by_them) for name, theirs, ours, by_them in
                   field_differences(opened_input, changed.value.theirs, mine)}
    assert differences == {"adults": (3, 1, True), "children": (0, 2, False)}
    # Keep mine: my change over theirs, and theirs kept where I changed nothing.
    with database.write() as session:
        update_reservation(session, rita, hotel.id, opened.id,
                           keep_mine(opened_input, changed.value.theirs, mine),
                           version=changed.value.version,
                           guest_version=changed.value.guest_version)
    final = stored(database, "R1")
    assert (final.adults, final.children, final.updated_by) == (3, 2, "Rita Reservations")


def test_the_guest_changed_on_another_stay_is_a_conflict_too(database, hotel, rita, maria):
    with database.write() as session:
        create_reservation(session, rita, hotel.id, booking("R1", email="m@example.com"))
        create_reservation(session, rita, hotel.id, booking(
            "R2", email="m@example.com", arrival_date=date(2026, 8, 1),
            departure_date=date(2026, 8, 2)))
    first, second = stored(database, "R1"), stored(database, "R2")
    assert first.guest_id == second.guest_id
    with database.write() as session:
        update_reservation(session, maria, hotel.id, second.id,
                           booking("R2", email="m@example.com", phone="+33 6 00",
                                   arrival_date=date(2026, 8, 1),
                                   departure_date=date(2026, 8, 2)),
                           version=second.version, guest_version=second.guest.version)
    with pytest.raises(ReservationChanged) as changed, database.write() as session:
        update_reservation(session, rita, hotel.id, first.id,
                           booking("R1", email="m@example.com", vip_level=2),
                           version=first.version, guest_version=first.guest.version)
    assert changed.value.by == "Maria Manager"


def test_a_different_name_with_the_same_email_is_a_different_guest(database, hotel, rita):
    with database.write() as session:
        create_reservation(session, rita, hotel.id, booking("R1", email="team@example.com"))
        create_reservation(session, rita, hotel.id,
                           booking("R2", name="Paul Martin", email="team@example.com"))
    first, second = stored(database, "R1"), stored(database, "R2")
    assert first.guest_id != second.guest_id
    assert (first.guest.name, second.guest.name) == ("Marie Dubois", "Paul Martin")


def test_the_same_name_and_email_is_the_returning_guest(database, hotel, rita):
    with database.write() as session:
        create_reservation(session, rita, hotel.id, booking("R1", email="M@Example.com"))
        create_reservation(session, rita, hotel.id,
                           booking("R2", name="marie  dubois", email="m@example.com"))
    assert stored(database, "R1").guest_id == stored(database, "R2").guest_id


def test_renaming_on_one_stay_never_renames_another_stay(database, hotel, rita):
    with database.write() as session:
        create_reservation(session, rita, hotel.id, booking("R1", email="m@example.com"))
        create_reservation(session, rita, hotel.id, booking(
            "R2", email="m@example.com", arrival_date=date(2026, 8, 1),
            departure_date=date(2026, 8, 2)))
    second = stored(database, "R2")
    with database.write() as session:
        update_reservation(session, rita, hotel.id, second.id,
                           booking("R2", name="Paul Dubois", email="m@example.com",
                                   arrival_date=date(2026, 8, 1),
                                   departure_date=date(2026, 8, 2)),
                           version=second.version, guest_version=second.guest.version)
    assert stored(database, "R1").guest.name == "Marie Dubois"
    assert stored(database, "R2").guest.name == "Paul Dubois"
    with database.read() as session:
        assert sorted(session.scalars(select(Guest.name))) == ["Marie Dubois", "Paul Dubois"]


def test_a_typo_corrected_on_the_guests_only_stay_renames_that_guest(database, hotel, rita):
    with database.write() as session:
        create_reservation(session, rita, hotel.id, booking("R1", name="Marie Dubios"))
    opened = stored(database, "R1")
    with database.write() as session:
        update_reservation(session, rita, hotel.id, opened.id, booking("R1"),
                           version=opened.version)
    with database.read() as session:
        assert session.scalars(select(Guest.name)).all() == ["Marie Dubois"]


def test_the_import_uses_the_same_guest_rule(database, hotel, rita):
    """The bulk path (import, demo) matches guests as the form does."""
    from guests.reservations import create_reservations

    with database.write() as session:
        create_reservation(session, rita, hotel.id, booking("R1", email="team@example.com"))
        create_reservations(session, rita, hotel.id, [
            booking("R2", name="Paul Martin", email="team@example.com"),
            booking("R3", name="Marie Dubois", email="team@example.com",
                    arrival_date=date(2026, 9, 1), departure_date=date(2026, 9, 2)),
        ])
    guests = {n: stored(database, n).guest_id for n in ("R1", "R2", "R3")}
    assert guests["R1"] == guests["R3"] != guests["R2"]


def test_an_edit_keeps_its_confirmation_number(database, hotel, rita):
    with database.write() as session:
        create_reservation(session, rita, hotel.id, booking("R1"))
    opened = stored(database, "R1")
    with database.write() as session:
        update_reservation(session, rita, hotel.id, opened.id, booking("R9"),
                           version=opened.version)
    assert stored(database, "R1").id == opened.id


def test_the_agents_picks_override_the_parse_in_the_service(database, hotel, rita):
    text = "Un lit bébé et une place de parking svp"
    with database.write() as session:
        save_reservation_with_wishes(session, rita, hotel.id, booking(wish_text=text),
                                     picks=WishPicks(text, ["baby_cot", "quiet_room"]))
    with database.read() as session:
        rows = dict(session.execute(select(Request.code, Request.status)).all())
    assert rows == {"baby_cot": "active", "parking": "cancelled", "quiet_room": "active"}


def test_picks_made_on_another_text_do_not_count(database, hotel, rita):
    with database.write() as session:
        save_reservation_with_wishes(
            session, rita, hotel.id, booking(wish_text="Une place de parking svp"),
            picks=WishPicks("Un lit bébé", ["baby_cot"]))
    with database.read() as session:
        rows = dict(session.execute(select(Request.code, Request.status)).all())
    assert rows == {"parking": "active"}


def test_the_import_door_still_creates_or_updates_by_number(database, hotel, rita):
    with database.write() as session:
        save_reservation(session, rita, hotel.id, booking("R1"))
        save_reservation(session, rita, hotel.id, booking("R1", adults=2))
    assert stored(database, "R1").adults == 2
