"""The import page: preview before anything is written, then import, then the summary."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from core import clock
from core.i18n import t
from guests.models import ImportRecord, Reservation
from tests.conftest import assert_no_error

FILE = (
    "Conf. No;Guest Name;Arrival;Departure;Specials;Loyalty\n"
    "C1;Marie Dubois;14/07/2026;16/07/2026;**Un lit bébé** <b>svp</b>;Gold\n"
    "C2;James Whitfield;14/07/2026;17/07/2026;;\n"
    "C3;Bad Dates;16/07/2026;15/07/2026;;\n"
).encode("cp1252")


def page() -> None:
    from guests.import_ui import import_page

    import_page()


@pytest.fixture
def screen(database, hotel, rita) -> AppTest:
    """Rita's import page with the file dropped on it (the next run reads it)."""
    clock.set_now(datetime(2026, 7, 1, 8, 0, tzinfo=UTC))
    at = AppTest.from_function(page, default_timeout=60)
    at.session_state["actor"] = rita
    at.session_state["lang"] = "en"
    at.run().file_uploader(key="import_upload").set_value(("arrivals.csv", FILE, "text/csv"))
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def reservations(database) -> int:
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(Reservation))


def test_the_preview_shows_what_will_happen_and_writes_nothing(screen, database):
    screen.run()
    assert_no_error(screen)
    assert metrics(screen) == {
        "To create": "2",
        "To update": "0",
        "To cancel": "0",
        "Unchanged": "0",
        "Rejected rows": "1",
    }
    recognised = screen.dataframe[0].value
    assert list(recognised["Column in the file"]) == [
        "Conf. No",
        "Guest Name",
        "Arrival",
        "Departure",
        "Specials",
    ]
    errors = screen.dataframe[-1].value
    assert list(errors["Row"]) == [4]
    assert "Columns ignored: Loyalty" in [t.value for t in screen.text]
    assert reservations(database) == 0


def test_import_then_the_summary_with_the_errors_to_download(screen, database):
    screen.run()
    screen.button(key="import_run").click().run()
    assert_no_error(screen)
    assert reservations(database) == 2
    shown = metrics(screen)
    assert (shown["Created"], shown["Rejected rows"], shown["Tasks created"]) == ("2", "1", "1")
    assert [s.value for s in screen.success] == ["Import finished."]
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(ImportRecord)) == 1
    # The guest's words never went through markdown.
    assert not any("lit bébé" in m.value for m in screen.markdown)
    screen.button(key="import_again").click().run()
    assert metrics(screen)["Unchanged"] == "2"


def test_housekeeping_cannot_import(screen, hugo):
    screen.session_state["actor"] = hugo
    screen.run()
    assert [e.value for e in screen.error] == [t("error.permission", "en")]
    assert not screen.metric
