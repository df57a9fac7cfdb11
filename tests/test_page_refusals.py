"""One refusal per staff page, read where the person reads it (AppTest, in-process): each test
does what the rules refuse and asserts the message on screen, in the person's language (the
test staff read French), and that nothing was saved.

The dashboard and the archive take no action of their own (the archive's only one is a
download, whose file is made on another thread when clicked, which AppTest does not run): what
they can refuse is the session itself, at the next action of a person deactivated meanwhile.
The refused download is in the browser tests (tests/e2e/test_downloads.py: the same guarded
download as the briefing's PDF and the housekeeping checklist).
"""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from sqlalchemy import func, select

from core.auth import actor_for
from core.i18n import t, worded
from core.models import Property, Staff
from core.notifications import email_address
from core.scheduling import save_job_setting
from core.shifts import update_shift
from core.staff import set_active
from core.ui import escape_markdown
from core.versions import changed
from guests.import_file import UnreadableFile
from guests.importer import read_file
from guests.models import Reservation, Room
from requests.models import Task
from shift_briefing.models import BriefingAcknowledgement, Shift
from tests.conftest import _staff, assert_no_error, sign_in_on, staff_app, staff_row
from tests.shift_briefing.conftest import DAY, book, morning_of_the_day, open_arrival, rooms  # noqa: F401

FR = "fr"


def said(key: str, /, **values: object) -> str:
    """A refusal as the page shows it: the service's values are escaped for markdown."""
    return t(key, FR, **{n: escape_markdown(str(worded(v, FR))) for n, v in values.items()})


def errors(app) -> list[str]:
    assert_no_error(app)
    return [e.value for e in app.error]


def warnings(app) -> list[str]:
    assert_no_error(app)
    return [w.value for w in app.warning]


def button(app, label: str, form: str | None = None):
    [found] = [b for b in app.button if b.label == label and (form is None or b.form_id == form)]
    return found


def deactivate(database, hotel, login: str) -> None:
    other = _staff(database, hotel, "max", "Max Manager", ["manager"])
    with database.write() as session:
        set_active(session, other, staff_row(database, login).id, False)


# --- sign-in ----------------------------------------------------------------------------------


def test_login_refuses_a_wrong_password(alice, signed_in):
    app = sign_in_on(staff_app().run(), "alice", "not-her-password")
    assert errors(app) == [t("login.failed_invalid", FR)]
    assert [t_.value for t_ in app.title] == [t("app.title", FR)]  # still the sign-in page


# --- front desk -------------------------------------------------------------------------------


def test_arrivals_refuses_a_check_in_into_a_room_not_ready(database, alice, book, signed_in):  # noqa: F811
    reservation = book("A", "Anna Morning", eta=time(11, 0), room="101")  # 101 is dirty
    app = open_arrival(signed_in("alice", "arrivals"), reservation)  # its form is built then
    button(app, t("checkin.submit", FR)).click().run()
    refusal = t("checkin.blocker_room_not_ready", FR)
    assert refusal in errors(app)
    assert t("checkin.done_now", FR, guest="Anna Morning", room="101") not in [
        s.value for s in app.success
    ]
    with database.read() as session:
        assert session.get(Reservation, reservation).status == "booked"


def test_briefing_refuses_a_signature_without_the_tick(database, alice, book, signed_in):  # noqa: F811
    book("A", "Anna Morning", "baby cot please", eta=time(11, 0), room="101")
    app = signed_in("alice", "briefing")
    button(app, t("briefing.sign", FR)).click().run()
    assert errors(app) == [t("briefing.tick_first", FR)]
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(BriefingAcknowledgement)) == 0


def test_guest_messages_refuses_a_link_for_an_unknown_reservation(alice, signed_in):
    app = signed_in("alice", "guest-messages")
    app.text_input(key="guest_link_number").input("NOPE").run()
    button(app, t("guest_ui.new_link", FR)).click().run()
    assert errors(app) == [t("reservation.error_not_found", FR)]
    assert len(app.code) == 0  # no link shown


def test_archive_a_deactivated_account_is_refused_at_its_next_action(
    database, hotel, alice, signed_in
):
    app = signed_in("alice", "archive")
    deactivate(database, hotel, "alice")
    app.date_input(key="archive_period").set_value((DAY, DAY)).run()
    assert_no_error(app)
    assert [i.value for i in app.info] == [t("login.account_inactive", FR)]
    assert [t_.value for t_ in app.title] == [t("app.title", FR)]


# --- housekeeping -----------------------------------------------------------------------------


def test_housekeeping_refuses_inspecting_a_dirty_room(database, hugo, book, signed_in):  # noqa: F811
    book("A", "Anna Morning", eta=time(11, 0), room="101")
    with database.read() as session:
        room_id = session.scalars(select(Room.id).where(Room.number == "101")).one()
    app = signed_in("hugo", "housekeeping")
    inspected = f"room_{room_id}_inspected|"
    [box] = [b for b in app.checkbox if b.key.startswith(inspected)]
    box.check().run()
    assert errors(app) == [t("room.error_inspect_before_clean", FR, room="101")]
    [box] = [b for b in app.checkbox if b.key.startswith(inspected)]
    assert box.value is False  # the box shows what is stored


def test_tasks_refuses_not_possible_without_a_reason(database, hugo, book, signed_in):  # noqa: F811
    book("A", "Anna Morning", "baby cot please", eta=time(11, 0), room="101")
    with database.read() as session:
        task_id = session.scalars(select(Task.id).where(Task.department == "housekeeping")).one()
    app = signed_in("hugo", "tasks")
    app.date_input[0].set_value(DAY).run()
    app.session_state[f"task_more_{task_id}"] = True  # the card's "More…" opened
    app.run()
    app.button(key=f"np_open_{task_id}").click().run()  # the reason is asked in a dialog
    app.button(key=f"np_{task_id}").click().run()
    assert errors(app) == [t("task.error_reason_required", FR)]
    with database.read() as session:
        assert session.get(Task, task_id).status == "open"


# --- reservations -----------------------------------------------------------------------------


def test_reservations_refuses_a_period_that_ends_before_it_starts(rita, signed_in):
    app = signed_in("rita", "reservations")
    first, last = app.date_input
    first.set_value(last.value + timedelta(days=1)).run()
    assert warnings(app) == [t("error.dates_order", FR)]
    assert not app.dataframe


def test_reservation_refuses_a_taken_confirmation_number(database, rita, book, signed_in):  # noqa: F811
    book("R1", "Marie Dubois", arrival=DAY)
    app = signed_in("rita", "reservation")
    app.text_input(key="res_new_number").input("R1")
    [name] = [w for w in app.text_input if w.label == t("reservation.field_guest_name", FR)]
    name.input("Paul Martin")
    button(app, t("reservation.create", FR)).click().run()
    refusal = said(
        "reservation.error_exists",
        number="R1",
        guest="Marie Dubois",
        arrival=DAY,
        departure=DAY + timedelta(days=2),
    )
    assert errors(app) == [refusal] and "2026" in refusal and "-07-" not in refusal
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(Reservation)) == 1


def test_import_refuses_a_file_it_cannot_read(database, rita, signed_in):
    data, name = b"\x00\x01 nothing here", "arrivals.csv"
    with pytest.raises(UnreadableFile) as unreadable:
        read_file(data, name)
    app = signed_in("rita", "import")
    app.file_uploader(key="import_upload").set_value((name, data, "text/csv")).run()
    assert errors(app) == [said(unreadable.value.key, **unreadable.value.values)]
    assert not [b for b in app.button if b.key == "import_run"]


# --- manager ----------------------------------------------------------------------------------


def test_dashboard_a_deactivated_manager_is_refused_at_the_next_action(
    database, hotel, maria, signed_in
):
    app = signed_in("maria", "dashboard")
    deactivate(database, hotel, "maria")
    app.run()
    assert_no_error(app)
    assert [i.value for i in app.info] == [t("login.account_inactive", FR)]
    assert [t_.value for t_ in app.title] == [t("app.title", FR)]


def test_catalogue_refuses_a_person_rule_without_a_person(database, maria, signed_in):
    app = signed_in("maria", "catalogue")
    app.selectbox(key="owner_rule_front_desk").select("person")
    app.selectbox(key="owner_person_front_desk").select(None)
    button(app, t("catalogue.save_owners", FR)).click().run()
    assert t("owners.error_person_required", FR) in errors(app)
    assert t("saved", FR) not in [s.value for s in app.success]


def test_shifts_refuses_a_save_over_another_manager_s(database, hotel, maria, signed_in):
    other = _staff(database, hotel, "max", "Max Manager", ["manager"])
    app = signed_in("maria", "shifts")
    with database.write() as session:  # Max saves while Maria has the page open
        update_shift(session, other, hotel.id, "morning", time(6, 0), time(14, 0))
    with database.read() as session:
        morning = session.scalars(select(Shift).where(Shift.name == "morning")).one()
        lost = changed(session, "shift", morning.id, "Europe/Paris", FR, key="shifts.error_changed")
    app.time_input[0].set_value(time(8, 0))
    button(app, t("reservation.save", FR), form="shifts").click().run()
    assert errors(app) == [said(lost.key, **lost.values)]
    with database.read() as session:
        assert session.get(Shift, morning.id).starts_at == time(6, 0)


def test_shifts_refuses_a_shift_that_ends_when_it_starts_naming_it_in_words(
    database, hotel, maria, signed_in
):
    app = signed_in("maria", "shifts")
    starts, ends = app.time_input[0], app.time_input[1]
    ends.set_value(starts.value)
    button(app, t("reservation.save", FR), form="shifts").click().run()
    refusal = t("shifts.error_empty", FR, shift=t("shift.morning", FR))
    assert errors(app) == [refusal] and "morning" not in refusal


def test_staff_refuses_a_login_already_taken(database, maria, alice, signed_in):
    app = signed_in("maria", "staff")
    form = [w for w in app.text_input if w.form_id == "add_staff"]
    by_label = {w.label: w for w in form}
    by_label[t("staff.name", FR)].input("Alice Bis")
    by_label[t("login.login", FR)].input("alice")
    by_label[t("login.password", FR)].input("a long enough password")
    [roles] = [m for m in app.multiselect if m.form_id == "add_staff"]
    roles.select("front_desk")
    button(app, t("staff.add", FR), form="add_staff").click().run()
    assert errors(app) == [said("staff.error_login_taken", login="alice")]
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(Staff)) == 2


def test_audit_refuses_a_period_that_ends_before_it_starts(maria, signed_in):
    app = signed_in("maria", "audit")
    since, until = app.date_input
    since.set_value(until.value + timedelta(days=1)).run()
    assert warnings(app) == [t("error.dates_order", FR)]
    assert not app.dataframe


def test_jobs_refuses_a_save_over_another_manager_s(database, hotel, maria, signed_in):
    other = _staff(database, hotel, "max", "Max Manager", ["manager"])
    app = signed_in("maria", "jobs")
    with database.write() as session:  # Max switches the job off while Maria has the page open
        save_job_setting(session, other, "room_not_ready", False, {})
    with database.read() as session:
        timezone = session.get(Property, hotel.id).timezone
        lost = changed(session, "job", "room_not_ready", timezone, FR, key="jobs.error_changed")
    button(app, t("jobs.save", FR), form="job_room_not_ready").click().run()
    assert said(lost.key, **lost.values) in errors(app)
    assert t("jobs.saved", FR) not in [s.value for s in app.success]


# --- everyone ---------------------------------------------------------------------------------


def test_inbox_refuses_an_address_that_is_not_one(database, alice, signed_in):
    app = signed_in("alice", "inbox")
    [address] = [w for w in app.text_input if w.form_id == "inbox_email"]
    address.input("not an address")
    button(app, t("inbox.email_save", FR), form="inbox_email").click().run()
    assert errors(app) == [said("inbox.error_email", email="not an address")]
    with database.read() as session:
        assert email_address(session, actor_for(staff_row(database, "alice"))) is None
