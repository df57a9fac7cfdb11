"""The arrivals import page: upload, preview before anything is written, import, summary.

Streamlit only: the rules are in guests.importer. Everything that comes from the file (column
names, confirmation numbers, values quoted in messages) is shown in dataframes or as plain
text, never as markdown or HTML.
"""

from __future__ import annotations

from dataclasses import astuple

import pandas as pd
import streamlit as st

from core.auth import PermissionDenied
from core.db import get_database
from core.download_ui import guarded_download
from core.errors import UserError
from core.i18n import format_day
from core.ui import actor, language, tr, tr_md
from core.ui_columns import day_column, number_column
from guests.import_file import FIELD_LABELS, ExportFile, ImportLimits, RowProblem, check_size
from guests.import_ota import OTA_KIND
from guests.import_run import import_in_batches
from guests.importer import (
    IMPORTERS,
    Conflict,
    ImportPlan,
    ImportSummary,
    ParsedFile,
    UnreadableFile,
    plan_import,
    problems_csv,
    read_file,
)

_SUMMARY = "import_summary"
_SEPARATORS = {"comma": "import.separator_comma", "semicolon": "import.separator_semicolon",
               "tab": "import.separator_tab"}


def import_page() -> None:
    st.title(tr("import.title"))
    me = actor()
    if not me.has(*IMPORTERS):
        st.error(tr("error.permission"))
        return
    st.caption(tr("import.intro"))
    upload = st.file_uploader(tr("import.upload"), type=["csv", "txt", "tsv", "xlsx", "xml"],
                              key="import_upload")
    replace_range = st.checkbox(tr("import.replace_range"), help=tr("import.replace_range_help"),
                                key="import_replace_range")
    if upload is None:
        return
    try:
        check_size(getattr(upload, "size", 0))  # before the bytes are read
        parsed = _parsed(upload.getvalue(), upload.name,
                         astuple(ImportLimits.from_environment()))
    except UnreadableFile as exc:
        st.error(tr_md(exc.key, **exc.values))
        return
    _file_read(parsed.export, parsed.rows_read)
    done: ImportSummary | None = st.session_state.get(_SUMMARY)
    if done is not None and done.file_hash == parsed.export.sha256:
        _summary(done)
        if st.button(tr("import.again"), key="import_again"):
            del st.session_state[_SUMMARY]
            st.rerun()
        return
    database = get_database()
    with database.read() as session:
        plan = plan_import(session, me, me.property_id, parsed, replace_range=replace_range)
    _preview(plan)
    if not st.button(tr("import.run"), type="primary", disabled=not plan.parsed.rows,
                     key="import_run"):
        return
    bar = st.progress(0.0, text=tr("import.running", done=0, total=len(parsed.rows)))

    def advance(count: int, total: int) -> None:
        bar.progress(count / total if total else 1.0,
                     text=tr("import.running", done=count, total=total))

    # Short transactions, so that everyone else keeps saving while the file goes in.
    summary = None
    try:
        summary = import_in_batches(database, me, me.property_id, parsed,
                                    replace_range=replace_range, progress=advance)
    except PermissionDenied:
        st.error(tr("error.permission"))
    except UserError as exc:
        st.error(tr_md(exc.key, **exc.values))
    if summary is not None:
        st.session_state[_SUMMARY] = summary
        st.rerun()


@st.cache_data(max_entries=2, show_spinner=False)
def _parsed(data: bytes, file_name: str, limits: tuple[int, ...]) -> ParsedFile:
    """The upload read and checked once, keyed by its bytes (and the limits in force): every
    widget change reruns the page, and parsing a large export again each time took seconds.
    An unreadable file raises, and is not cached."""
    del limits  # part of the cache key only: read_file reads them from the environment
    return read_file(data, file_name)


def _file_read(export: ExportFile, rows: int) -> None:
    if export.kind == OTA_KIND:
        st.text(tr("import.file_read_xml", rows=rows))
    else:
        st.text(tr("import.file_read", kind=export.kind.upper(), rows=rows,
                   header=export.header_row))
        if len(export.sheets) > 1:
            st.text(tr("import.sheets_read", sheets=", ".join(export.sheets)))
        elif export.sheet is not None:
            st.text(tr("import.sheet", sheet=export.sheet))
        else:
            separator = tr(_SEPARATORS[export.separator]) if export.separator in _SEPARATORS else ""
            st.text(tr("import.encoding", encoding=export.encoding, separator=separator))
        if export.sheets_left_out:
            st.text(tr("import.sheets_left_out", sheets=", ".join(export.sheets_left_out)))
    st.subheader(tr("import.columns_title"))
    st.dataframe(
        pd.DataFrame(
            [{tr("import.column_in_file"): header, tr("import.column_read_as"): tr(label)}
             for field, label in FIELD_LABELS.items()
             for header in export.columns.get(field, [])]
        ),
        hide_index=True,
    )
    if export.unknown_columns:
        st.text(tr("import.unknown_columns", columns=", ".join(export.unknown_columns)))


def _preview(plan: ImportPlan) -> None:
    st.subheader(tr("import.preview_title"))
    columns = st.columns(5)
    columns[0].metric(tr("import.to_create"), plan.count("create"))
    columns[1].metric(tr("import.to_update"), plan.count("update"))
    columns[2].metric(tr("import.to_cancel"), plan.count("cancel"))
    columns[3].metric(tr("import.to_leave"), plan.count("unchanged"))
    columns[4].metric(tr("import.rejected"), len(plan.parsed.problems))
    if plan.missing and plan.date_range is not None:
        first, last = plan.date_range
        st.text(tr("import.will_cancel_title", first=format_day(first, language()),
                   last=format_day(last, language())))
        st.dataframe(
            pd.DataFrame(
                [{tr("reservations.confirmation"): r.confirmation_number,
                  tr("reservations.guest"): r.guest.name,
                  tr("reservations.arrival"): r.arrival_date}
                 for r in plan.missing]
            ),
            hide_index=True,
            column_config={tr("reservations.arrival"): day_column(language())},
        )
    _conflicts(plan.conflicts)
    _problems(plan.parsed.problems)
    if not plan.parsed.rows:
        st.info(tr("import.nothing_to_import"))


def _summary(summary: ImportSummary) -> None:
    st.success(tr("import.done"))
    st.subheader(tr("import.summary_title"))
    first, second = st.columns(5), st.columns(5)
    first[0].metric(tr("import.created"), summary.created)
    first[1].metric(tr("import.updated"), summary.updated)
    first[2].metric(tr("import.cancelled"), summary.cancelled)
    first[3].metric(tr("import.unchanged"), summary.unchanged)
    first[4].metric(tr("import.rejected"), summary.rejected)
    second[0].metric(tr("import.requests_created"), summary.requests_created)
    second[1].metric(tr("import.tasks_created"), summary.tasks_created)
    second[2].metric(tr("import.tasks_cancelled"), summary.tasks_cancelled)
    _conflicts(summary.conflicts)
    _problems(summary.errors)
    if summary.errors:
        lang, errors = language(), list(summary.errors)
        guarded_download(
            get_database(), tr("import.download_errors"),
            lambda _me: problems_csv(errors, lang), roles=IMPORTERS,
            file_name="import-errors.csv", mime="text/csv", key="import_download",
        )


def _conflicts(conflicts: list[Conflict]) -> None:
    if not conflicts:
        return
    st.subheader(tr("import.conflicts_title"))
    st.dataframe(
        pd.DataFrame([{tr("import.row"): c.row or None, tr("import.message"): c.message(language())}
                      for c in conflicts]),
        hide_index=True,
        column_config={tr("import.row"): number_column()},  # row 10 after row 9, not after 1
    )


def _problems(problems: list[RowProblem]) -> None:
    if not problems:
        return
    st.subheader(tr("import.errors_title"))
    st.dataframe(
        pd.DataFrame([{tr("import.row"): f"{p.sheet} · {p.row}" if p.sheet else p.row,
                       tr("import.column"): p.column or "",
                       tr("import.message"): p.message(language())} for p in problems]),
        hide_index=True,
    )
