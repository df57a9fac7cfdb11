"""The manager's "promises kept" section of the dashboard: charts with their numbers beside
them, by week, department and catalogue code, what guests answered, and a CSV download."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session

from core.audit import Who
from core.clock import now, to_local
from core.db import get_database
from core.download_ui import guarded_download
from core.models import Property
from core.ui import language, tr
from core.ui_columns import day_column
from requests.verdicts import VerdictRow, verdicts
from shift_briefing.promises import WEEKS, PromiseRow, Promises, measured_promises


def _table(rows: list[PromiseRow], key_label: str) -> pd.DataFrame:
    def percent(value: float) -> float:
        return round(100 * value, 1)

    return pd.DataFrame(
        {
            key_label: [r.key for r in rows],
            tr("promises.wishes"): [r.wishes for r in rows],
            tr("promises.fulfilled"): [percent(r.fulfilled) for r in rows],
            tr("promises.told"): [percent(r.told) for r in rows],
            tr("promises.broken"): [percent(r.broken) for r in rows],
            tr("promises.confirmed"): [percent(r.confirmed) for r in rows],
            tr("promises.answered"): [r.answered for r in rows],
            tr("promises.median_hours"): [
                None if r.median_hours is None else round(r.median_hours, 1) for r in rows
            ],
        }
    )


def _chart(weeks: pd.DataFrame, series: list[str], mark: str) -> dict:
    """A Vega-Lite spec written out: st.bar_chart/line_chart build it through altair, whose
    schema validation took about a quarter of a big hotel's dashboard run (profiled)."""
    week = tr("promises.week")
    # Column by column (DataFrame.to_dict("records") was most of this function's time).
    shares = {name: weeks[name].tolist() for name in series}
    values = [
        {"week": str(key), "series": name, "share": shares[name][row]}
        for row, key in enumerate(weeks[week].tolist())
        for name in series
    ]
    y: dict = {"field": "share", "type": "quantitative", "title": "%"}
    if mark == "bar":
        y["stack"] = True
    return {
        "data": {"values": values},
        "mark": {"type": mark, "tooltip": True},
        "encoding": {
            "x": {"field": "week", "type": "ordinal", "title": week},
            "y": y,
            "color": {"field": "series", "type": "nominal", "title": None},
        },
    }


@dataclass(frozen=True)
class PromisesRead:
    """What the section shows, read in the dashboard's session (one session a run)."""

    promises: Promises
    answers: list[VerdictRow]


def read_promises(session: Session, me: Who, hotel: Property) -> PromisesRead:
    since = to_local(now(), hotel.timezone).date() - timedelta(weeks=WEEKS)
    return PromisesRead(
        measured_promises(session, me, hotel.id), verdicts(session, me, hotel.id, since)
    )


def promises_section(read: PromisesRead) -> None:
    """Called by the dashboard with what read_promises read, for the manager's own hotel."""
    promises, answers = read.promises, read.answers
    st.subheader(tr("promises.title"))
    st.caption(tr("promises.help"))
    weeks = _table(promises.weeks, tr("promises.week"))
    shares = [tr("promises.fulfilled"), tr("promises.told"), tr("promises.broken")]
    chart, numbers = st.columns([3, 2])
    chart.vega_lite_chart(_chart(weeks, shares, "bar"), width="stretch")
    numbers.dataframe(weeks, hide_index=True)
    st.vega_lite_chart(
        _chart(weeks, [tr("promises.confirmed"), tr("promises.broken")], "line"), width="stretch"
    )
    by_department = _table(promises.departments, tr("promises.department"))
    by_department[tr("promises.department")] = [
        tr(f"department.{r.key}") for r in promises.departments
    ]
    by_code = _table(promises.codes, tr("promises.code"))
    left, right = st.columns(2)
    left.dataframe(by_department, hide_index=True)
    right.dataframe(by_code, hide_index=True)
    names = (tr("promises.week"), tr("promises.department"), tr("promises.code"))

    def table(_me: object) -> bytes:
        """The CSV, made on the click (counts only, no guest in it): the tables shown."""
        everything = pd.concat(
            [
                weeks.assign(group="week").rename(columns={names[0]: "key"}),
                by_department.assign(group="department").rename(columns={names[1]: "key"}),
                by_code.assign(group="code").rename(columns={names[2]: "key"}),
            ]
        )
        return everything.to_csv(index=False).encode("utf-8")

    guarded_download(
        get_database(),
        tr("promises.csv"),
        table,
        roles=("manager",),
        file_name="promises.csv",
        mime="text/csv",
        key="promises_csv",
    )
    st.subheader(tr("promises.verdicts", count=len(answers)))
    if answers:
        st.dataframe(
            pd.DataFrame(
                {
                    tr("promises.reservation"): [a.confirmation_number for a in answers],
                    tr("promises.departure"): [a.departure_date for a in answers],
                    tr("promises.code"): [a.code or tr("promises.free_comment") for a in answers],
                    tr("promises.ready"): [
                        "—" if a.ready is None else tr("promises.yes" if a.ready else "promises.no")
                        for a in answers
                    ],
                    tr("promises.comment"): [a.comment for a in answers],
                }
            ),
            hide_index=True,
            column_config={tr("promises.departure"): day_column(language())},
        )
