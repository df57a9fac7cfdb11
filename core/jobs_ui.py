"""The manager's jobs page: each job, its last run and result, its next run; its settings;
run it now. Streamlit only: the rules are in core/scheduling/ (board.py, runner.py)."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from core.auth import Actor, PermissionDenied
from core.clock import now, to_local
from core.db import Database, get_database
from core.errors import UserError
from core.i18n import format_moment
from core.lib import current_property
from core.retention_ui import retention_notice
from core.scheduling import (
    JobRun,
    JobStatus,
    job_board,
    lease_state,
    recent_runs,
    run_now,
    save_job_setting,
)
from core.ui import action, actor, language, still_signed_in, tr, tr_md
from core.ui_columns import moment_column
from core.ui_versions import forget_seen, seen_version

STATUS = {"ok": "jobs.status_ok", "failed": "jobs.status_failed", "running": "jobs.status_running"}
TRIGGER = {"schedule": "jobs.trigger_schedule", "manual": "jobs.trigger_manual"}


def jobs_page() -> None:
    st.title(tr("jobs.title"))
    st.caption(tr("jobs.intro"))
    database = get_database()
    me = actor()
    with database.read() as session:
        hotel = current_property(session, me)
        board = job_board(session, me)
        lease = lease_state(session)
    timezone = hotel.timezone
    if lease is not None and lease.holder and lease.expires_at > now():
        st.success(
            tr(
                "jobs.lease_held",
                holder=lease.holder,
                at=_when(lease.renewed_at, timezone),
            ),
            icon=":material/play_circle:",
        )
    else:
        st.warning(tr("jobs.lease_none"), icon=":material/pause_circle:")
    st.dataframe(
        pd.DataFrame(
            [_row(status, timezone) for status in board],
            columns=[
                tr("jobs.col_job"),
                tr("jobs.col_schedule"),
                tr("jobs.col_last_run"),
                tr("jobs.col_status"),
                tr("jobs.col_result"),
                tr("jobs.col_next_run"),
            ],
        ),
        hide_index=True,
        width="stretch",
    )
    retention_notice(board)
    for status in board:
        _job(database, status, timezone)


def _when(moment: datetime | None, timezone: str) -> str:
    return format_moment(to_local(moment, timezone), language()) if moment else "—"


def _title(status: JobStatus) -> str:
    title = tr(status.title)
    return title if status.property_id is not None else f"{title} ({tr('jobs.database_wide')})"


def _row(status: JobStatus, timezone: str) -> list[str]:
    key, values = status.schedule
    last = status.last_run
    return [
        _title(status),
        tr(key, **values),
        _when(last.started_at, timezone) if last else tr("jobs.never"),
        tr(STATUS[last.status]) if last else "",
        last.result_in(language()) if last else "",
        _when(status.next_run, timezone) if status.enabled else tr("jobs.disabled"),
    ]


@st.fragment
def _job(database: Database, status: JobStatus, timezone: str) -> None:
    """One job's expander; "run now" reruns this expander only, not the whole page. Its
    recent runs are read and shown once it is opened (ten tables nobody opened made the
    page slow); its form is always there."""
    me = still_signed_in(database)  # a fragment rerun skips the page's sign-in check
    panel = st.expander(_title(status), key=f"job_open_{status.name}", on_change="rerun")
    with panel:
        st.caption(tr(status.help))
        seen = seen_version(f"job:{status.name}", status.version)
        with st.form(f"job_{status.name}"):
            # Keyed by the version seen: what was typed survives the save's rerun.
            enabled = st.checkbox(
                tr("jobs.enabled"), value=status.enabled, key=f"job_{status.name}_on_v{seen}"
            )
            values = {}
            for field in status.fields:
                values[field.name] = st.number_input(
                    tr(field.label),
                    min_value=field.low,
                    max_value=field.high,
                    value=int(status.settings[field.name]),
                    step=1,
                    key=f"job_{status.name}_{field.name}_v{seen}",
                )
            saved = st.form_submit_button(tr("jobs.save"))
        if saved:
            with action(database, done=tr("jobs.saved")) as session:
                save_job_setting(session, me, status.name, enabled, values, version=seen)
                forget_seen(f"job:{status.name}")
        if st.button(tr("jobs.run_now"), key=f"run_{status.name}", type="primary"):
            _run_now(database, me, status.name)
        if not panel.open:
            return
        with database.read() as session:
            runs = recent_runs(session, me, status.name)
        if runs:
            st.caption(tr("jobs.recent"))
            st.dataframe(
                pd.DataFrame(
                    [_run_row(run, timezone) for run in runs],
                    columns=[
                        tr("jobs.col_started"),
                        tr("jobs.col_trigger"),
                        tr("jobs.col_status"),
                        tr("jobs.col_result"),
                    ],
                ),
                hide_index=True,
                width="stretch",
                column_config={tr("jobs.col_started"): moment_column(language(), timezone)},
            )


def _run_row(run: JobRun, timezone: str) -> list[object]:
    return [
        to_local(run.started_at, timezone),  # a time: the table sorts by it
        tr(TRIGGER[run.trigger]),
        tr(STATUS[run.status]),
        run.result_in(language()),
    ]


def _run_now(database: Database, me: Actor, name: str) -> None:
    # run_now opens its own transactions: no page-level write session around it.
    try:
        with st.spinner(tr("jobs.running")):
            outcome = run_now(database, me, name)
    except PermissionDenied:
        st.error(tr("error.permission"))
        return
    except UserError as exc:
        st.error(tr_md(exc.key, **exc.values))
        return
    if outcome.status == "ok":
        st.success(tr_md("jobs.ran", result=outcome.result_in(language())))
    else:
        st.error(tr_md("jobs.run_failed", error=outcome.result))
