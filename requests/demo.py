"""The demo hotel's day so far, for the tasks: what was due before the demo opened is done.

The demo (guests/demo.py) is seeded at whatever hour someone installs it. Without this, seeded
at 23:50 it would open with the day's work undone: tasks booked late or due within the hour,
and alarms in everybody's inbox. The story is that the day went well: every task due before
`ready_by` was done in time by its owner, so it keeps its ideal deadline (a demo task is not
"booked late": it was booked long ago in the story). Tasks due later are open.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.auth import system_actor
from core.lib import get_property
from guests.models import Reservation
from requests.catalogue import catalogue_entries
from requests.deadlines import arrival_moment, deadlines
from requests.models import Request, Task
from requests.states import OPEN
from requests.tasks import TRIAGE, record_status, stay_of
from requests.wishes import TRIAGE_AHEAD


def finish_the_day_so_far(
    session: Session, property_id: int, ready_by: datetime, **_: object
) -> dict[str, int]:
    hotel = get_property(session, property_id)
    demo = system_actor(property_id, "demo")
    catalogue = {entry.code: entry for entry in catalogue_entries(session, property_id)}
    rows = session.execute(
        select(Task, Request, Reservation)
        .join(Reservation, Reservation.id == Task.reservation_id)
        .outerjoin(Request, Request.id == Task.request_id)
        .where(Task.property_id == property_id, Task.status.in_(OPEN), Task.due_at < ready_by)
    ).all()
    for task, request, reservation in rows:
        if task.booked_late:
            stay = stay_of(reservation, hotel)
            if request is not None and request.code == TRIAGE:
                ideal = arrival_moment(stay) - TRIAGE_AHEAD
            else:
                entry = catalogue.get(request.code) if request is not None else None
                wanted = (
                    deadlines(stay, entry.timing, entry.lead_minutes, request.at_time)
                    if entry is not None and request is not None
                    else []
                )
                day = date.fromisoformat(task.service_date) if task.service_date else None
                ideal = next((d.due_at for d in wanted if d.service_date == day), task.due_at)
            task.due_at, task.booked_late = ideal, False
        record_status(session, demo, task, "done")
        task.completed_by_id = task.owner_id  # the story: its owner did it, in time
        task.completed_at = min(task.completed_at or task.due_at, task.due_at)
    session.flush()
    return {"tasks_done": len(rows)}
