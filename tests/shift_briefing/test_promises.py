"""Promises measured for the manager: fulfilled before arrival, told before arrival when not
possible, or broken; confirmed by the guest; and yesterday's broken ones in the 17:00 digest."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from core.clock import frozen_at, set_now
from core.i18n import t
from core.notifications import inbox
from core.scheduling import run_job
from requests import tasks
from requests.guest_outbox import deliver_guest_messages
from requests.verdicts import Answer, save_verdict
from shift_briefing.promises import measured_promises
from tests.conftest import assert_no_error
from tests.requests.guest_support import book, tasks_of, wish_task

ARRIVAL = date(2026, 7, 14)  # a Tuesday; the guest is expected at 15:00 (13:00 UTC)


def a_stay_with_three_promises(database, hotel, rita, hugo, maria, alice) -> int:
    """The cot is ready in time, the parking is refused and the guest told, the towels forgotten."""
    stay = book(database, hotel, rita, language="en", wish_text="baby cot, parking, extra towels")
    cot = wish_task(database, stay.reservation_id, "baby_cot")
    parking = wish_task(database, stay.reservation_id, "parking")
    with frozen_at(datetime(2026, 7, 13, 9, 0, tzinfo=UTC)), database.write() as session:
        tasks.change_task_status(
            session, maria, parking.id, parking.version, "not_possible", "garage closed"
        )
    tell = next(t for t in tasks_of(database, stay.reservation_id) if t.kind == "tell_guest")
    with frozen_at(datetime(2026, 7, 13, 9, 5, tzinfo=UTC)), database.write() as session:
        tasks.change_task_status(session, alice, tell.id, tell.version, "done")  # she called
    with frozen_at(datetime(2026, 7, 14, 10, 0, tzinfo=UTC)), database.write() as session:
        tasks.change_task_status(session, hugo, cot.id, cot.version, "done")
    with frozen_at(datetime(2026, 7, 17, 7, 0, tzinfo=UTC)), database.write() as session:
        save_verdict(session, stay.reservation_id, {cot.request_id: Answer(True)}, "")
    return stay.reservation_id


def test_each_wish_of_the_week_counts_as_fulfilled_told_or_broken(
    database, hotel, rita, hugo, maria, alice
):
    a_stay_with_three_promises(database, hotel, rita, hugo, maria, alice)
    with frozen_at(datetime(2026, 7, 17, 8, 0, tzinfo=UTC)), database.read() as session:
        promises = measured_promises(session, maria, hotel.id)
    assert len(promises.weeks) == 12
    week = promises.weeks[-1]
    assert (week.key, week.wishes) == ("2026-07-13", 3)
    assert (week.fulfilled, week.told, week.broken) == (1 / 3, 1 / 3, 1 / 3)
    assert (week.confirmed, week.answered) == (1 / 3, 1)
    assert week.median_hours == 13 * 24 + 1  # booked 1 July 09:00, done 14 July 10:00
    assert all(w.wishes == 0 for w in promises.weeks[:-1])
    housekeeping = next(r for r in promises.departments if r.key == "housekeeping")
    assert (housekeeping.wishes, housekeeping.fulfilled, housekeeping.broken) == (2, 0.5, 0.5)
    assert {r.key for r in promises.codes} == {"baby_cot", "parking", "extra_towels"}


def test_a_guest_not_yet_arrived_counts_for_nothing(database, hotel, rita, hugo, maria, alice):
    a_stay_with_three_promises(database, hotel, rita, hugo, maria, alice)
    with frozen_at(datetime(2026, 7, 14, 12, 0, tzinfo=UTC)), database.read() as session:
        assert measured_promises(session, maria, hotel.id).weeks[-1].wishes == 0


def test_the_digest_tells_managers_of_yesterdays_broken_promises(
    database, hotel, rita, hugo, maria, alice
):
    a_stay_with_three_promises(database, hotel, rita, hugo, maria, alice)
    at = datetime(2026, 7, 15, 15, 0, tzinfo=UTC)  # 17:00 the day after the arrival
    with frozen_at(at):
        outcome = run_job(database, "tomorrow_digest", hotel.id, at, holder="test")
    assert outcome is not None and outcome.result.endswith("1 promises broken yesterday")
    with frozen_at(at), database.read() as session:
        texts = [item.text for item in inbox(session, maria, "en")]
    broken = next(t for t in texts if t.startswith("Broken promises of 14/07/2026"))
    assert "• Ms Anna Schmidt: Extra towels — —" in broken
    assert "Baby cot" not in broken and "Parking" not in broken
    with frozen_at(at + timedelta(minutes=5)):
        run_job(database, "tomorrow_digest", hotel.id, at + timedelta(minutes=5), holder="t2")
    with frozen_at(at), database.read() as session:
        again = [i.text for i in inbox(session, maria, "en") if i.text.startswith("Broken")]
    assert len(again) == 1  # once a day


def test_an_e_mail_about_one_refused_wish_does_not_count_as_telling_of_another(
    database, hotel, rita, hugo, maria, smtp
):
    """The cot refused and e-mailed days before; the parking refused once the guest is there:
    the cot was told, the parking was broken."""
    _, config = smtp
    stay = book(database, hotel, rita, language="en", wish_text="baby cot, parking")
    cot = wish_task(database, stay.reservation_id, "baby_cot")
    with frozen_at(datetime(2026, 7, 11, 9, 0, tzinfo=UTC)), database.write() as session:
        tasks.change_task_status(session, hugo, cot.id, cot.version, "not_possible", "none left")
    with frozen_at(datetime(2026, 7, 11, 9, 1, tzinfo=UTC)):
        deliver_guest_messages(database, config)
    parking = wish_task(database, stay.reservation_id, "parking")
    with frozen_at(datetime(2026, 7, 14, 15, 0, tzinfo=UTC)), database.write() as session:
        tasks.change_task_status(
            session, maria, parking.id, parking.version, "not_possible", "garage full"
        )
    with frozen_at(datetime(2026, 7, 17, 8, 0, tzinfo=UTC)), database.read() as session:
        promises = measured_promises(session, maria, hotel.id)
    by_code = {r.key: r for r in promises.codes}
    assert (by_code["baby_cot"].told, by_code["baby_cot"].broken) == (1.0, 0.0)
    assert (by_code["parking"].told, by_code["parking"].broken) == (0.0, 1.0)


def test_the_dashboard_shows_the_promises_as_charts_with_their_numbers_and_a_csv(
    database, hotel, rita, hugo, maria, alice, signed_in
):
    a_stay_with_three_promises(database, hotel, rita, hugo, maria, alice)
    set_now(datetime(2026, 7, 17, 8, 0, tzinfo=UTC))
    app = signed_in("maria", "dashboard")
    assert_no_error(app)
    assert t("promises.title", "fr") in [s.value for s in app.subheader]
    assert len(app.get("vega_lite_chart")) >= 2  # shares by week; confirmed vs broken
    weeks = next(d.value for d in app.dataframe if t("promises.week", "fr") in d.value.columns)
    this_week = weeks[weeks[t("promises.week", "fr")] == "2026-07-13"].iloc[0]
    assert this_week[t("promises.wishes", "fr")] == 3
    assert this_week[t("promises.fulfilled", "fr")] == 33.3  # the number beside the chart
    assert this_week[t("promises.broken", "fr")] == 33.3
    departments = [d.value for d in app.dataframe if t("promises.department", "fr") in d.value]
    codes = [d.value for d in app.dataframe if t("promises.code", "fr") in d.value]
    assert departments and codes
    [csv] = [b for b in app.get("download_button") if b.proto.label == t("promises.csv", "fr")]
    assert csv.proto.deferred_file_id  # made at the click, for the person checked then
