"""Task boards: the day's tasks of a department, sorted by deadline, one tap to start or finish."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.clock import to_local, today
from core.db import get_database
from core.models import Property
from core.ui import action, actor, tr
from requests import service
from requests.catalogue import catalogue_items
from requests.service import ROLE_DEPARTMENTS, TaskView


def wish_labels(session, property_id: int, language: str) -> dict[str, str]:  # noqa: ANN001
    """Catalogue labels in the reader's language, by code."""
    return {
        item.code: item.label_fr if language == "fr" else item.label_en
        for item in catalogue_items(session, property_id, active_only=False)
    }


def task_label(task: TaskView, labels: dict[str, str]) -> str:
    wish = labels.get(task.code or "", task.code or "")
    if task.kind == "triage":
        return tr("task.kind_triage")
    if task.kind == "tell_guest":
        return tr("task.kind_tell_guest", wish=wish)
    extra = []
    if task.quantity and task.quantity > 1:
        extra.append(f"x{task.quantity}")
    if task.at_time:
        extra.append(task.at_time)
    return " ".join([wish, *extra])


def my_departments() -> list[str]:
    me = actor()
    departments = {d for role in me.roles for d in ROLE_DEPARTMENTS.get(role, ())}
    if me.department:
        departments.add(me.department)
    return sorted(departments)


def tasks_page() -> None:
    st.title(tr("tasks.title"))
    database = get_database()
    me = actor()
    with database.read() as session:
        hotel = session.get(Property, me.property_id)
        assert hotel is not None
        day = st.date_input(tr("tasks.day"), value=today(hotel.timezone))
        departments = my_departments()
        tasks = [
            task
            for task in service.tasks_for(session, me, hotel.id, day=day, timezone=hotel.timezone)
            if (not departments or task.department in departments or task.owner_id == me.id)
            and task.status != "cancelled"
        ]
        labels = wish_labels(session, hotel.id, me.language)
    if not tasks:
        st.info(tr("tasks.none"))
        return
    for task in tasks:
        with st.container(border=True):
            due = to_local(task.due_at, hotel.timezone).strftime("%H:%M")
            room = task.room_number or tr("room.not_assigned")
            flag = " ⚠ " + tr("tasks.overdue") if task.overdue else ""
            st.markdown(f"**{due}** · {tr('room.label')} {room} · {tr(f'status.{task.status}')}{flag}")
            st.text(f"{task_label(task, labels)} — {task.guest_name}")
            if task.detail:
                st.text(task.detail)
            _task_buttons(database, task)


def _task_buttons(database, task: TaskView) -> None:  # noqa: ANN001
    columns = st.columns(2)
    moves = {"open": ("in_progress", "done"), "in_progress": ("done",)}.get(task.status, ())
    for column, status in zip(columns, moves, strict=False):
        if column.button(tr(f"tasks.to_{status}"), key=f"task_{task.id}_{status}"):
            with action(database) as session:
                service.change_task_status(session, actor(), task.id, task.version, status)
                st.rerun()


def tasks_table(tasks: list[TaskView], labels: dict[str, str], timezone: str) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                tr("tasks.due"): to_local(t.due_at, timezone).strftime("%d/%m %H:%M"),
                tr("room.label"): t.room_number or tr("room.not_assigned"),
                tr("tasks.guest"): t.guest_name,
                tr("tasks.task"): task_label(t, labels),
                tr("tasks.department"): tr(f"department.{t.department}"),
                tr("tasks.status"): tr(f"status.{t.status}"),
                tr("tasks.overdue"): t.overdue,
            }
            for t in tasks
        ]
    )
