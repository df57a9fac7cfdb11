"""The pages save the version the person saw: a save over someone else's is refused with who
and when, and a person's own saves one after the other never refuse each other (AppTest)."""

from __future__ import annotations

from datetime import time

from streamlit.testing.v1 import AppTest

from core.shifts import update_shift
from shift_briefing.models import Shift
from tests.conftest import _staff, assert_no_error


def morning(database, hotel) -> Shift:
    with database.read() as session:
        return session.query(Shift).filter_by(property_id=hotel.id, name="morning").one()


def save_morning_start(app: AppTest, starts: time) -> AppTest:
    app.time_input[0].set_value(starts)
    [save] = [b for b in app.button if b.label == "Enregistrer"]
    return save.click().run()


def test_shift_hours_saved_over_another_manager_s_are_refused_on_the_page(
    database, hotel, maria, signed_in
):
    other = _staff(database, hotel, "max", "Max Manager", ["manager"])
    app = signed_in("maria", "shifts")
    with database.write() as session:  # Max saves while Maria has the page open
        update_shift(session, other, hotel.id, "morning", time(6, 0), time(14, 0))
    save_morning_start(app, time(8, 0))
    assert_no_error(app)
    assert any("Max Manager" in e.value for e in app.error)
    assert morning(database, hotel).starts_at == time(6, 0)


def test_a_manager_s_own_saves_in_a_row_do_not_refuse_each_other(database, hotel, maria, signed_in):
    app = signed_in("maria", "shifts")
    save_morning_start(app, time(8, 0))
    save_morning_start(app, time(8, 30))
    assert_no_error(app)
    assert [e.value for e in app.error] == []
    assert morning(database, hotel).starts_at == time(8, 30)
