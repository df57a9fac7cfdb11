"""Properties of the import, over generated files: twice is once, and A then B is B.

Each example imports into properties of its own, so that examples share the test's database
without seeing each other's reservations.
"""

from __future__ import annotations

import csv
import io
import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from core import clock
from core.auth import system_actor
from guests.importer import read_file, run_import
from guests.models import Reservation
from guests.properties import create_property
from requests.models import Request, Task

HEADER = ["Conf. No", "Guest Name", "Arrival", "Departure", "ETA", "Room", "Adults", "Statut",
          "Specials"]
WISHES = [
    "", "baby cot please", "Un lit bébé svp, merci", "extra pillows please",
    "We will arrive around 11pm", "Quiet room please, away from the lift.",
    "Champagne for our anniversary", "Mon mari fête ses 80 ans, une surprise ?",
    "pas de lit bébé merci", "Late check-out please",
]
FIRST_DAY = date(2026, 7, 10)
_codes = itertools.count()

text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
rows = st.fixed_dictionaries({
    "number": st.sampled_from(["R1", "R2", "R3", "R4", "R5", "R6"]),
    "name": st.sampled_from(["Marie Dubois", "James Whitfield", "Łukasz Wróbel"]),
    "arrival": st.integers(0, 8),
    "nights": st.integers(1, 4),
    "eta": st.sampled_from(["", "", "18:00", "23h30", "11pm"]),
    "room": st.sampled_from(["", "101", "102"]),
    "adults": st.sampled_from(["", "1", "2"]),
    "status": st.sampled_from(["", "", "", "Annulée"]),
    "wishes": st.one_of(st.sampled_from(WISHES), text),
})
files = st.tuples(
    st.lists(rows, max_size=5, unique_by=lambda r: r["number"]),
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from(["utf-8", "utf-8-sig"]),
)
# File A's rooms are not file B's: a reservation of A that B does not name keeps its room, and
# a room holds one reservation a night, so B alone could have had a room that A's left-over
# booking holds (then B's row is imported without it, as it should be, and the states differ).
files_a = st.tuples(
    st.lists(rows.map(lambda r: {**r, "room": r["room"] and str(int(r["room"]) + 100)}),
             max_size=5, unique_by=lambda r: r["number"]),
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from(["utf-8", "utf-8-sig"]),
)
SLOW_DATABASE = settings(max_examples=25, deadline=None,
                         suppress_health_check=[HealthCheck.function_scoped_fixture])


def as_file(spec: tuple[list[dict[str, Any]], str, str]) -> bytes:
    lines, separator, encoding = spec
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator)
    writer.writerow(HEADER)
    for line in lines:
        arrival = FIRST_DAY + timedelta(days=line["arrival"])
        writer.writerow([line["number"], line["name"], arrival.strftime("%d/%m/%Y"),
                         (arrival + timedelta(days=line["nights"])).isoformat(), line["eta"],
                         line["room"], line["adults"], line["status"], line["wishes"]])
    return out.getvalue().encode(encoding)


def new_property(database) -> int:
    with database.write() as session:
        hotel = create_property(session, system_actor(None), code=f"P{next(_codes)}",
                                name="Property test")
        return hotel.id


def import_into(database, property_id: int, data: bytes):
    with database.write() as session:
        return run_import(session, system_actor(property_id, "import"), property_id,
                          read_file(data, "arrivals.csv"))


def state(database, property_id: int, numbers: set[str] | None = None) -> dict[str, Any]:
    """Reservations with their wishes and open tasks, by confirmation number."""
    found: dict[str, Any] = {}
    with database.read() as session:
        reservations = session.scalars(
            select(Reservation).where(Reservation.property_id == property_id)).unique()
        for r in reservations:
            if numbers is not None and r.confirmation_number not in numbers:
                continue
            wishes = sorted(
                (q.code, q.quantity, q.at_time) for q in session.scalars(
                    select(Request).where(Request.reservation_id == r.id,
                                          Request.status == "active")))
            open_tasks = sorted(
                (t.kind, t.department, t.due_at.isoformat(), t.service_date or "")
                for t in session.scalars(select(Task).where(
                    Task.reservation_id == r.id, Task.status.in_(("open", "in_progress")))))
            found[r.confirmation_number] = {
                "guest": r.guest.name, "arrival": r.arrival_date, "departure": r.departure_date,
                "eta": r.eta, "room": r.room.number if r.room else None, "adults": r.adults,
                "status": r.status, "wish_text": r.wish_text, "wishes": wishes,
                "open_tasks": open_tasks,
            }
    return found


def everything(database, property_id: int) -> dict[str, Any]:
    """The state, plus every task and request whatever its status: nothing may be added."""
    with database.read() as session:
        tasks = sorted((t.id, t.status, t.due_at.isoformat()) for t in session.scalars(
            select(Task).where(Task.property_id == property_id)))
        requests = sorted((q.id, q.code, q.status) for q in session.scalars(
            select(Request).where(Request.property_id == property_id)))
    return {"state": state(database, property_id), "tasks": tasks, "requests": requests}


@SLOW_DATABASE
@given(spec=files)
def test_importing_a_file_twice_is_importing_it_once(database, spec):
    clock.set_now(datetime(2026, 7, 1, 8, 0, tzinfo=UTC))
    property_id = new_property(database)
    data = as_file(spec)
    first = import_into(database, property_id, data)
    once = everything(database, property_id)
    again = import_into(database, property_id, data)
    assert everything(database, property_id) == once
    assert (again.created, again.updated, again.cancelled) == (0, 0, 0)
    assert (again.requests_created, again.tasks_created, again.tasks_cancelled) == (0, 0, 0)
    assert again.unchanged == first.created + first.updated + first.unchanged + first.cancelled


@SLOW_DATABASE
@given(a=files_a, b=files)
def test_file_a_then_file_b_leaves_what_file_b_alone_leaves_for_its_rows(database, a, b):
    clock.set_now(datetime(2026, 7, 1, 8, 0, tzinfo=UTC))
    both, b_alone = new_property(database), new_property(database)
    import_into(database, both, as_file(a))
    import_into(database, both, as_file(b))
    import_into(database, b_alone, as_file(b))
    numbers = {line["number"] for line in b[0]}
    assert state(database, both, numbers) == state(database, b_alone)
