"""The task board at a hotel's scale (AppTest, in-process): 30 cards a page, the owner picked in
a dialog, a status change said in a toast."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from core.clock import set_now
from core.i18n import t
from guests.models import Reservation
from guests.reservations import ReservationInput, save_reservation
from requests.models import Task

TODAY = date(2026, 7, 14)
FR = "fr"  # the test staff read French


def _book(database, hotel, rita, count: int) -> None:
    set_now(datetime(2026, 7, 1, 8, 0, tzinfo=UTC))
    with database.write() as session:
        for n in range(count):
            save_reservation(
                session,
                rita,
                hotel.id,
                ReservationInput(
                    confirmation_number=f"P{n:03d}",
                    guest_name=f"Guest {n}",
                    arrival_date=TODAY,
                    departure_date=TODAY + timedelta(days=1),
                    wish_text="lit bébé svp",
                ),
            )
    set_now(datetime(2026, 7, 14, 6, 0, tzinfo=UTC))


def open_more(app, task_id: int) -> None:
    """What a tap on a card's "More…" does: the menu opens and its buttons are built."""
    app.session_state[f"task_more_{task_id}"] = True
    app.run()


def _cards(app) -> list[int]:
    return [int(b.key.split("_")[1]) for b in app.button if b.key and b.key.endswith("_done")]


def test_a_long_board_shows_30_cards_a_page(database, hotel, rita, hugo, signed_in):
    _book(database, hotel, rita, 35)
    app = signed_in("hugo", "tasks")
    app.date_input[0].set_value(TODAY).run()
    assert t("tasks.count", FR, count=35, overdue=0) in [c.value for c in app.caption]
    first = _cards(app)
    assert len(first) == 30
    [picker] = [s for s in app.selectbox if s.label == t("pages.pick", FR)]
    picker.select(t("pages.range", FR, first=31, last=35, count=35)).run()
    second = _cards(app)
    assert len(second) == 5 and not set(first) & set(second)


def test_a_manager_gives_a_task_its_owner_in_a_dialog(
    database, hotel, rita, hugo, maria, signed_in
):
    _book(database, hotel, rita, 1)
    app = signed_in("maria", "tasks")
    app.date_input[0].set_value(TODAY).run()
    [task_id] = _cards(app)
    assert not [s for s in app.selectbox if s.key == "owner_pick"]  # no picker on the card
    assert f"owner_open_{task_id}" not in [b.key for b in app.button]  # "More…" is closed
    open_more(app, task_id)
    app.button(key=f"owner_open_{task_id}").click().run()
    app.selectbox(key="owner_pick").select(hugo.id)
    app.button(key="owner_save").click().run()
    assert not app.exception, app.exception
    with database.read() as session:
        assert session.scalars(select(Task.owner_id).where(Task.id == task_id)).one() == hugo.id
    assert not [s for s in app.selectbox if s.key == "owner_pick"]  # the dialog closed
    assert any("Hugo Housekeeping" in c.value for c in app.caption)


def test_a_status_change_is_said_in_a_toast(database, hotel, rita, hugo, signed_in):
    _book(database, hotel, rita, 1)
    app = signed_in("hugo", "tasks")
    app.date_input[0].set_value(TODAY).run()
    [task_id] = _cards(app)
    app.button(key=f"task_{task_id}_in_progress").click().run()
    assert not app.exception, app.exception
    with database.read() as session:
        assert session.get(Task, task_id).status == "in_progress"
    [toast] = app.toast
    assert toast.value.endswith(t("status.in_progress", FR))


def test_todays_board_late_in_the_evening_shows_the_open_task_due_after_midnight(
    database, hotel, rita, hugo, signed_in
):
    """At 23:50 a guest in the house since yesterday is typed in: the cot is due at 00:20, the
    next day, and today's board shows it; tomorrow morning's tasks stay on tomorrow's board."""
    evening = datetime(2026, 7, 14, 21, 50, tzinfo=UTC)  # 23:50 in Paris
    set_now(evening)
    with database.write() as session:
        stays = (("IN-HOUSE", TODAY - timedelta(days=1)), ("NEXT", TODAY + timedelta(days=1)))
        for number, arrival in stays:
            save_reservation(
                session,
                rita,
                hotel.id,
                ReservationInput(
                    confirmation_number=number,
                    guest_name=f"Guest {number}",
                    arrival_date=arrival,
                    departure_date=TODAY + timedelta(days=3),
                    wish_text="lit bébé svp",
                ),
            )
    app = signed_in("hugo", "tasks")
    with database.read() as session:
        shown = session.execute(
            select(Reservation.confirmation_number, Task.due_at)
            .join(Task, Task.reservation_id == Reservation.id)
            .where(Task.id.in_(_cards(app)))
        ).all()
    assert [number for number, _ in shown] == ["IN-HOUSE"], shown
    [(_, due)] = shown
    assert due.replace(tzinfo=UTC) == evening + timedelta(minutes=30)  # 00:20, tomorrow
    app.date_input[0].set_value(TODAY + timedelta(days=1)).run()
    assert len(_cards(app)) == 2  # tomorrow's board: both cots
