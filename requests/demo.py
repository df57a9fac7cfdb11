"""The demo hotel's day so far, for the tasks: what was due before the demo opened is done.

The demo (guests/demo.py) is seeded at whatever hour someone installs it. Without this, seeded
at 23:50 it would open with the day's work undone: tasks booked late or due within the hour,
and alarms in everybody's inbox. The story is that the day went well: every task due before
`ready_by` was done by its owner. Tasks due later are open, with their real deadlines.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import events
from core.auth import system_actor
from requests.models import Task
from requests.service import record_status
from requests.states import OPEN


@events.subscribe(events.DEMO_SEEDED)
def _the_day_so_far(
    session: Session, property_id: int, ready_by: datetime, **_: object
) -> dict[str, int]:
    demo = system_actor(property_id, "demo")
    tasks = session.scalars(
        select(Task).where(
            Task.property_id == property_id, Task.status.in_(OPEN), Task.due_at < ready_by
        )
    ).all()
    for task in tasks:
        record_status(session, demo, task, "done")
        task.completed_by_id = task.owner_id  # the story: its owner did it
    session.flush()
    return {"tasks_done": len(tasks)}
