"""The pages save the version the person saw: a save over someone else's is refused with who
and when, and a person's own saves one after the other never refuse each other (AppTest)."""

from __future__ import annotations

from datetime import time

import pytest
import streamlit as st
from streamlit.navigation.page import calc_hash
from streamlit.testing.v1 import AppTest

from core.settings import ROOT
from shift_briefing.models import Shift
from shift_briefing.service import update_shift
from tests.conftest import _staff


@pytest.fixture
def manager_page(database_url, monkeypatch):
    monkeypatch.setenv("HOTEL_DEMO", "false")
    st.cache_resource.clear()

    def open_page(login: str, page: str) -> AppTest:
        app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()
        app.text_input(key="login_name").input(login)
        app.text_input(key="login_password").input(f"{login}-password")
        app.button[0].click().run()
        app._page_hash = calc_hash(page)
        app.run()
        assert not app.exception, app.exception
        return app

    yield open_page
    st.cache_resource.clear()


def morning(database, hotel) -> Shift:
    with database.read() as session:
        return session.query(Shift).filter_by(property_id=hotel.id, name="morning").one()


def save_morning_start(app: AppTest, starts: time) -> AppTest:
    app.time_input[0].set_value(starts)
    [save] = [b for b in app.button if b.label == "Enregistrer"]
    return save.click().run()


def test_shift_hours_saved_over_another_manager_s_are_refused_on_the_page(
    database, hotel, maria, manager_page
):
    other = _staff(database, hotel, "max", "Max Manager", ["manager"])
    app = manager_page("maria", "shifts")
    with database.write() as session:  # Max saves while Maria has the page open
        update_shift(session, other, hotel.id, "morning", time(6, 0), time(14, 0))
    save_morning_start(app, time(8, 0))
    assert not app.exception, app.exception
    assert any("Max Manager" in e.value for e in app.error)
    assert morning(database, hotel).starts_at == time(6, 0)


def test_a_manager_s_own_saves_in_a_row_do_not_refuse_each_other(
    database, hotel, maria, manager_page
):
    app = manager_page("maria", "shifts")
    save_morning_start(app, time(8, 0))
    save_morning_start(app, time(8, 30))
    assert not app.exception, app.exception
    assert [e.value for e in app.error] == []
    assert morning(database, hotel).starts_at == time(8, 30)
