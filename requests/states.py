"""A task's states, its moves and what "late" means: said once, read by every page and job.

Late means open (or in progress) past its deadline. A task booked late (created after its ideal
deadline, see requests.deadlines.not_born_late) is not late at birth: it is "booked late" until
its new deadline passes, and then late like any other.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_

from requests.models import TASK_STATUSES, Task

OPEN = ("open", "in_progress")
FINISHED = ("done", "not_possible")
assert set(OPEN + FINISHED) < set(TASK_STATUSES)

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "open": ("in_progress", "done", "not_possible", "cancelled"),
    "in_progress": ("open", "done", "not_possible", "cancelled"),
    "done": ("open",),
    "not_possible": ("open",),
    "cancelled": (),
}
# Moves a person makes on the task board (cancelling is the reservation's doing, not theirs).
BOARD_MOVES = ("in_progress", "open", "done", "not_possible")
NEEDS_REASON = ("not_possible",)


def is_late(status: str, due_at: datetime, moment: datetime) -> bool:
    return status in OPEN and due_at < moment


def late_clause(moment: datetime) -> Any:
    """The SQL form of is_late, for counts and filters."""
    return and_(Task.status.in_(OPEN), Task.due_at < moment)


def board_moves(status: str) -> tuple[str, ...]:
    """The moves the task board offers from a status, in the lifecycle's order."""
    return tuple(move for move in TRANSITIONS.get(status, ()) if move in BOARD_MOVES)
