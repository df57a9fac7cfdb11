"""A big hotel on one day, seeded fast for the page benchmarks (issue 13: pages at scale).

500 rooms on 10 floors; 400 arrivals today (200 with one wish, 200 with two: 600 wishes, and
the requests and tasks the wish parser makes of them), 60 departures and 60 stay-overs checked
in; 40 staff across the departments, a third of the tasks owned by someone; 300 unread
notifications for the manager and housekeeping. Bulk inserts for rooms, guests and stays (a
service call per row would take minutes), the real services for what the pages read back:
sync_reservations makes the requests and tasks, create_staff the staff.

    from benchmarks.big_hotel import seed_big_hotel
    hotel = seed_big_hotel("sqlite:///...")  # the clock is frozen at NOW from here on
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from argon2 import PasswordHasher  # noqa: E402
from sqlalchemy import insert, select, update  # noqa: E402

from core import auth  # noqa: E402
from core import clock as hotel_clock  # noqa: E402
from core.auth import system_actor  # noqa: E402
from core.notifications import Link, notification_row, notify_many  # noqa: E402
from core.staff import create_staff  # noqa: E402
from core.startup import ready_database  # noqa: E402
from guests.models import Guest, Reservation, Room  # noqa: E402
from guests.properties import create_property  # noqa: E402
from requests.models import Task  # noqa: E402
from requests.wishes import sync_reservations  # noqa: E402

ROOMS, ARRIVALS, DEPARTURES, STAY_OVERS = 500, 400, 60, 60
NOW = datetime(2027, 3, 1, 8, 30, tzinfo=UTC)  # 09:30 in Paris, before the arrivals
ONE_WISH = ("Baby cot please", "Feather-free pillows", "Extra pillows please", "Late check-out")
TWO_WISHES = (
    "Un lit bébé et des oreillers supplémentaires svp",
    "Late check-out please, and a parking space",
    "Bitte ein ruhiges Zimmer und ein Babybett",
    "Hypoallergenic bedding and a bathtub if possible",
)
# login -> (name, roles, department); password "<login>-password"
LOGINS = {
    "fd": ("Front Desk", ["front_desk"], "front_desk"),
    "hk": ("Housekeeper", ["housekeeping"], "housekeeping"),
    "mgr": ("Manager", ["manager"], None),
    "res": ("Reservations", ["reservations"], None),
}
TEAM = (  # the other staff: the owner pickers list them all
    [(f"hk{n}", ["housekeeping"], "housekeeping") for n in range(20)]
    + [(f"fd{n}", ["front_desk"], "front_desk") for n in range(8)]
    + [(f"fb{n}", ["front_desk"], "food_beverage") for n in range(4)]
    + [(f"mt{n}", ["housekeeping"], "maintenance") for n in range(4)]
)


@dataclass(frozen=True)
class BigHotel:
    url: str
    property_id: int
    day: object  # the date of the arrivals
    tasks: int
    wishes: int


def seed_big_hotel(url: str, now: datetime = NOW) -> BigHotel:
    """Seeds the big hotel into the (empty) database at `url`; freezes the clock at `now`."""
    hotel_clock.set_now(now)
    day = now.date()
    database = ready_database(url)
    system = system_actor(None, "benchmark")
    hasher = auth._hasher
    auth._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # 44 hashes
    try:
        with database.write() as session:
            hotel = create_property(session, system, code="BIG", name="Grand Hôtel")
            hotel_id = hotel.id
            local = system_actor(hotel_id, "benchmark")
            staff_ids = {}
            people = [(login, *person) for login, person in LOGINS.items()]
            people += [(login, f"Staff {login}", roles, dept) for login, roles, dept in TEAM]
            for login, name, roles, department in people:
                person = create_staff(
                    session,
                    local,
                    name=name,
                    login=login,
                    password=f"{login}-password",
                    roles=roles,
                    department=department,
                    property_id=hotel_id,
                )
                staff_ids[login] = person.id
    finally:
        auth._hasher = hasher
    with database.write() as session:
        rooms = session.scalars(
            insert(Room).returning(Room.id, sort_by_parameter_order=True),
            [
                {
                    "property_id": hotel_id,
                    "number": f"{1 + n // 50}{n % 50 + 1:02d}",
                    "floor": 1 + n // 50,
                    "room_type": "double",
                    "features": [],
                    "housekeeping_status": ("dirty", "clean", "inspected")[n % 3],
                }
                for n in range(ROOMS)
            ],
        ).all()
        people = ARRIVALS + DEPARTURES + STAY_OVERS
        guests = session.scalars(
            insert(Guest).returning(Guest.id, sort_by_parameter_order=True),
            [
                {"property_id": hotel_id, "name": f"Guest {n}", "preferences": []}
                for n in range(people)
            ],
        ).all()
        rows = []
        for n in range(people):
            if n < ARRIVALS:
                wish = TWO_WISHES[n % 4] if n % 2 else ONE_WISH[n % 4]
                arrival, departure, status = day, day + timedelta(days=2), "booked"
            elif n < ARRIVALS + DEPARTURES:
                wish, arrival, departure, status = "", day - timedelta(days=2), day, "checked_in"
            else:
                wish, status = "", "checked_in"
                arrival, departure = day - timedelta(days=1), day + timedelta(days=1)
            rows.append(
                {
                    "property_id": hotel_id,
                    "confirmation_number": f"B{n:04d}",
                    "guest_id": guests[n],
                    "arrival_date": arrival,
                    "departure_date": departure,
                    "eta": time(12 + n % 10, 0),
                    "room_id": rooms[n % ROOMS],
                    "status": status,
                    "version": 1,
                    "wish_text": wish,
                }
            )
        session.execute(insert(Reservation), rows)
        ids = list(session.scalars(select(Reservation.id).where(Reservation.status == "booked")))
        report = sync_reservations(session, local, ids)
    with database.write() as session:
        task_ids = list(session.scalars(select(Task.id).where(Task.property_id == hotel_id)))
        owners = [staff_ids[login] for login, _, department in TEAM if department == "housekeeping"]
        owners.append(staff_ids["hk"])
        for n, task_id in enumerate(task_ids[::3]):  # a third of the tasks have an owner
            session.execute(
                update(Task).where(Task.id == task_id).values(owner_id=owners[n % len(owners)])
            )
        notices = []
        for n, task_id in enumerate(task_ids[:300]):
            values = {
                "task": f"Task {n}",
                "guest": f"Guest {n}",
                "room": "101",
                "due": "01/03 15:00",
                "department": {"t": "department.housekeeping"},
                "owner": {"t": "notify.no_owner"},
            }
            role = "manager" if n % 2 else "housekeeping"
            key = "notify.task_overdue_manager" if n % 2 else "notify.task_overdue"
            notices.append(
                notification_row(
                    hotel_id, key, values, role=role, link=Link("tasks", task_id), once=f"bench:{n}"
                )
            )
        notify_many(session, notices)
    database.dispose()
    return BigHotel(url, hotel_id, day, len(task_ids), report.requests_created)


if __name__ == "__main__":
    import tempfile
    import time as timer

    folder = Path(tempfile.mkdtemp(prefix="big_hotel_"))
    started = timer.perf_counter()
    big = seed_big_hotel(f"sqlite:///{folder / 'hotel.db'}")
    print(
        f"seeded {big.wishes} wishes, {big.tasks} tasks in {timer.perf_counter() - started:.1f} s"
        f" ({big.url})"
    )
