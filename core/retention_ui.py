"""The manager's jobs page says how long guest data is kept, what goes and what stays.

Streamlit only: the period is the purge job's setting (guests/jobs.py), the backups' bounds
come from core/backup.py.
"""

from __future__ import annotations

import streamlit as st

from core.backup import RETENTION_JOB
from core.scheduling import JobStatus
from core.ui import tr, tr_md


def retention_notice(board: list[JobStatus]) -> None:
    purge = next((status for status in board if status.name == RETENTION_JOB), None)
    if purge is None:
        return
    days = purge.settings["retention_days"]
    with st.container(border=True):
        st.markdown(tr_md("retention.title", days=days))
        st.caption(tr("retention.erased"))
        st.caption(tr("retention.kept"))
        st.caption(tr("retention.backups", days=days))
