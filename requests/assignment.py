"""Who owns a task: each department's rule, the roster, and the handover at the end of a shift.

A department's rule (requests.models.DepartmentOwner) is one of:
- "person": a named staff member owns every new task of the department;
- "on_shift": whoever of the department is on shift, the least loaded first (fewest open
  tasks); when nobody is on shift now, the one whose shift starts first;
- "sections" (housekeeping): the attendant whose floor section holds the guest's room; a task
  without a room, or on a floor without an attendant, goes as for "on_shift".
Without a rule, housekeeping works by sections and every other department by "on_shift".

The department's members are the active staff whose department it is. Someone without any
roster line is taken as always available: the app does not know their hours, so it never
takes a task away from them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.clock import now
from core.models import Staff
from core.shifts import Duty, Roster, floor_sections
from requests.catalogue_defaults import DEPARTMENTS
from requests.models import ASSIGNMENT_RULES, DEFAULT_HANDLING_MINUTES, DepartmentOwner, Task
from requests.states import OPEN


@dataclass(frozen=True)
class DepartmentRule:
    department: str
    rule: str
    owner_id: int | None
    handling_minutes: int

    @property
    def handling(self) -> timedelta:
        return timedelta(minutes=self.handling_minutes)


def default_rule(department: str) -> str:
    return "sections" if department == "housekeeping" else "on_shift"


def department_rules(session: Session, property_id: int) -> dict[str, DepartmentRule]:
    """Every department's rule, the default where the manager has not chosen one."""
    stored = {
        row.department: row
        for row in session.scalars(
            select(DepartmentOwner).where(DepartmentOwner.property_id == property_id)
        )
    }
    rules = {}
    for department in dict.fromkeys([*DEPARTMENTS, *stored]):
        row = stored.get(department)
        rule = row.rule if row is not None and row.rule in ASSIGNMENT_RULES else None
        rules[department] = DepartmentRule(
            department=department,
            rule=rule or default_rule(department),
            owner_id=row.owner_id if row is not None else None,
            handling_minutes=row.handling_minutes if row is not None else DEFAULT_HANDLING_MINUTES,
        )
    return rules


class Assigner:
    """Owners for many new tasks in one pass: the rules, roster and loads are read once."""

    def __init__(self, session: Session, property_id: int, moment: datetime | None = None) -> None:
        self.session = session
        self.property_id = property_id
        self.moment = moment or now()
        self.rules = department_rules(session, property_id)
        self._roster: Roster | None = None
        self._sections: dict[int, int] | None = None
        self._at_work: dict[int, Duty] | None = None
        self._rostered: set[int] | None = None
        members: dict[str, list[int]] = {}
        self.active: set[int] = set()
        for staff_id, department in session.execute(
            select(Staff.id, Staff.department)
            .where(Staff.property_id == property_id, Staff.active.is_(True))
            .order_by(Staff.id)
        ):
            self.active.add(staff_id)
            if department:
                members.setdefault(department, []).append(staff_id)
        self.members = members
        self._load: dict[int, int] | None = None

    @property
    def load(self) -> dict[int, int]:
        """Each owner's open tasks, read at the first owner asked (the dashboard's warning,
        nobody_to_own, needs none), then counted up as this pass gives tasks out."""
        if self._load is None:
            self._load = dict(
                self.session.execute(
                    select(Task.owner_id, func.count())
                    .where(
                        Task.property_id == self.property_id,
                        Task.status.in_(OPEN),
                        Task.owner_id.is_not(None),
                    )
                    .group_by(Task.owner_id)
                ).all()
            )
        return self._load

    @property
    def roster(self) -> Roster:
        if self._roster is None:
            self._roster = Roster(self.session, self.property_id)
        return self._roster

    @property
    def sections(self) -> dict[int, int]:
        if self._sections is None:
            self._sections = floor_sections(self.session, self.property_id)
        return self._sections

    def rule(self, department: str) -> DepartmentRule:
        return self.rules.get(department) or DepartmentRule(
            department, default_rule(department), None, DEFAULT_HANDLING_MINUTES
        )

    def handling(self, department: str) -> timedelta:
        return self.rule(department).handling

    def owner(self, department: str, floor: int | None = None) -> int | None:
        """The owner of a new task of this department (for a room on `floor`), or None."""
        rule = self.rule(department)
        chosen: int | None = None
        if rule.rule == "person" and rule.owner_id in self.active:
            chosen = rule.owner_id
        elif (
            rule.rule == "sections"
            and floor is not None
            and self.sections.get(floor) in (self.active)
        ):
            chosen = self.sections[floor]
        if chosen is None:
            chosen = self.on_shift(department)
        if chosen is not None:
            self.load[chosen] = self.load.get(chosen, 0) + 1
        return chosen

    def on_shift(self, department: str, *, leaving: Iterable[int] = ()) -> int | None:
        """Whoever of the department is at work now, least loaded first; else the next to come."""
        members = [m for m in self.members.get(department, []) if m not in set(leaving)]
        if not members:
            return None
        rostered = self.rostered(members)
        at_work = self.at_work
        here = [m for m in members if m in at_work or m not in rostered]
        if here:
            return min(here, key=lambda m: (self.load.get(m, 0), m))
        duty = self.roster.next_duty(members, self.moment)
        return duty.staff_id if duty is not None else None

    @property
    def at_work(self) -> dict[int, Duty]:
        """Who is on shift at this pass's moment (read once: one pass is one moment)."""
        if self._at_work is None:
            self._at_work = self.roster.on_shift(self.moment)
        return self._at_work

    def rostered(self, staff_ids: Iterable[int]) -> set[int]:
        if self._rostered is None:
            self._rostered = {s for ids in self.roster.usual.values() for s in ids}
        return {s for s in staff_ids if s in self._rostered}

    def nobody_to_own(self) -> list[str]:
        """Departments whose tasks nobody would get: a red warning for the manager."""
        missing = []
        for department in DEPARTMENTS:
            rule = self.rule(department)
            if rule.rule == "person" and rule.owner_id in self.active:
                continue
            if rule.rule == "sections" and any(s in self.active for s in self.sections.values()):
                continue
            if self.members.get(department):
                continue
            missing.append(department)
        return missing


def departments_without_owner(session: Session, property_id: int) -> list[str]:
    return Assigner(session, property_id).nobody_to_own()
