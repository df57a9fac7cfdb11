"""The manager's pages for owners (AppTest, in-process): a department nobody owns is a red
warning on the dashboard and the catalogue page; the rules and the roster a manager saves are
in the database; the task board offers the lifecycle's moves and counts late tasks as the
dashboard does."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from core.clock import set_now
from core.i18n import t
from core.shifts import StaffShift
from guests.reservations import ReservationInput, save_reservation
from requests.models import DepartmentOwner, Task
from tests.conftest import assert_no_error

TODAY = date(2026, 7, 14)
FR = "fr"  # the test staff read French


def _nobody(department: str) -> str:
    return t("owners.nobody", FR, department=t(f"department.{department}", FR))


def test_a_department_nobody_works_is_red_on_the_catalogue_and_the_dashboard(
    database, maria, alice, hugo, signed_in
):
    for page in ("catalogue", "dashboard"):
        app = signed_in("maria", page)
        errors = [e.value for e in app.error]
        assert _nobody("food_beverage") in errors and _nobody("concierge") in errors
        assert _nobody("front_desk") not in errors and _nobody("housekeeping") not in errors


def test_the_manager_names_a_person_and_a_handling_time(database, maria, alice, signed_in):
    app = signed_in("maria", "catalogue")
    app.selectbox(key="owner_rule_front_desk").select("person")
    app.selectbox(key="owner_person_front_desk").select(alice.id)
    app.number_input(key="owner_handling_front_desk").set_value(20)
    [save] = [b for b in app.button if b.label == t("catalogue.save_owners", FR)]
    save.click().run()
    assert_no_error(app)
    with database.read() as session:
        rule = session.scalars(
            select(DepartmentOwner).where(DepartmentOwner.department == "front_desk")
        ).one()
    assert (rule.rule, rule.owner_id, rule.handling_minutes) == ("person", alice.id, 20)


def test_the_roster_saved_on_the_shifts_page_is_in_the_database(database, maria, alice, signed_in):
    app = signed_in("maria", "shifts")
    app.multiselect(key=f"roster_shifts_{alice.id}").select("morning")
    app.multiselect(key=f"roster_days_{alice.id}").unselect(6)
    [save] = [b for b in app.button if b.label == t("roster.save", FR)]
    save.click().run()
    assert_no_error(app)
    with database.read() as session:
        lines = session.scalars(select(StaffShift).where(StaffShift.staff_id == alice.id)).all()
    assert sorted((line.shift, line.weekday) for line in lines) == [
        ("morning", day) for day in range(6)
    ]


def test_the_board_offers_the_lifecycles_moves_and_the_one_late_count(
    database, hotel, rita, hugo, signed_in
):
    set_now(datetime(2026, 7, 1, 8, 0, tzinfo=UTC))
    with database.write() as session:
        save_reservation(
            session,
            rita,
            hotel.id,
            ReservationInput(
                confirmation_number="B1",
                guest_name="Anna Board",
                arrival_date=TODAY,
                departure_date=TODAY + timedelta(days=1),
                room_number="101",
                wish_text="lit bébé svp",
            ),
        )
    set_now(datetime(2026, 7, 14, 12, 0, tzinfo=UTC))  # the cot was due at 11:00 UTC
    app = signed_in("hugo", "tasks")
    app.date_input[0].set_value(TODAY).run()
    assert t("tasks.count", FR, count=1, overdue=1) in [c.value for c in app.caption]
    labels = [b.label for b in app.button]
    assert t("tasks.to_in_progress", FR) in labels and t("tasks.to_done", FR) in labels
    assert t("tasks.to_open", FR) not in labels  # open -> open is no move
    [done] = [b for b in app.button if b.label == t("tasks.to_done", FR)]
    done.click().run()
    assert_no_error(app)
    with database.read() as session:
        assert session.scalars(select(Task.status)).one() == "done"
    assert t("tasks.to_open", FR) in [b.label for b in app.button]  # done -> reopen


def test_the_dashboard_the_board_and_the_inbox_show_the_same_late_count(
    database, hotel, rita, hugo, maria, signed_in
):
    set_now(datetime(2026, 7, 1, 8, 0, tzinfo=UTC))
    with database.write() as session:
        for number, wishes in (("D1", "lit bébé svp"), ("D2", "parking svp")):
            save_reservation(
                session,
                rita,
                hotel.id,
                ReservationInput(
                    confirmation_number=number,
                    guest_name=f"Guest {number}",
                    arrival_date=TODAY,
                    departure_date=TODAY + timedelta(days=1),
                    wish_text=wishes,
                ),
            )
    set_now(datetime(2026, 7, 14, 12, 0, tzinfo=UTC))  # both were due at 11:00 UTC
    dashboard = signed_in("maria", "dashboard")
    [late] = [m for m in dashboard.metric if m.label == t("dashboard.overdue", FR)]
    board = signed_in("maria", "tasks")
    board.toggle[0].set_value(True).run()  # late only, all days
    inbox = signed_in("maria", "inbox")
    assert late.value == "2"
    assert t("tasks.count", FR, count=2, overdue=2) in [c.value for c in board.caption]
    assert t("inbox.late_tasks", FR, count=2) in [w.value for w in inbox.warning]
