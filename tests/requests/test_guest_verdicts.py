"""The guest's verdict: asked from the morning of departure to 14 days after, stored with the
reservation, shown to managers, and its words erased by retention. Both databases."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from core.clock import frozen_at
from core.errors import UserError
from core.scheduling import run_job
from guests.guest_models import GuestMessage
from requests.guest_models import GuestCorrection, GuestVerdict
from requests.guest_outbox import queue_confirmations
from requests.models import Task
from requests.verdicts import Answer, save_verdict, verdicts
from tests.requests.guest_support import (
    GuestBrowser,
    book,
    tasks_of,
    wish_task,
)

# The stay is 14 -> 17 July in Paris (UTC+2).
EVE_OF_DEPARTURE = datetime(2026, 7, 16, 20, 0, tzinfo=UTC)
DEPARTURE_MORNING = datetime(2026, 7, 17, 4, 30, tzinfo=UTC)  # 06:30
LAST_EVENING = datetime(2026, 7, 31, 21, 0, tzinfo=UTC)  # 23:00 on the 14th day
TOO_LATE = datetime(2026, 7, 31, 22, 30, tzinfo=UTC)  # 00:30 on 1 August


@pytest.mark.parametrize(
    ("moment", "asked"),
    [(EVE_OF_DEPARTURE, False), (DEPARTURE_MORNING, True), (LAST_EVENING, True)],
)
def test_the_verdict_is_asked_from_the_morning_of_departure_for_14_days(
    database, hotel, rita, guest_server, moment, asked
):
    stay = book(database, hotel, rita, language="en", wish_text="baby cot, parking")
    with frozen_at(moment):
        page = GuestBrowser(guest_server).get(f"/guest/{stay.token}")
    assert page.status == 200
    assert ("Was it ready when you arrived?" in page.body) is asked
    with frozen_at(TOO_LATE):
        assert GuestBrowser(guest_server).get(f"/guest/{stay.token}").status == 404


def test_the_guests_answers_are_stored_and_shown_to_managers(
    database, hotel, rita, maria, guest_server
):
    stay = book(database, hotel, rita, language="en", wish_text="baby cot, parking")
    cot = wish_task(database, stay.reservation_id, "baby_cot")
    parking = wish_task(database, stay.reservation_id, "parking")
    with frozen_at(DEPARTURE_MORNING):
        browser = GuestBrowser(guest_server)
        page = browser.get(f"/guest/{stay.token}")
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.body).group(1)
        sent = browser.post(
            f"/guest/{stay.token}/verdict",
            {
                "csrf": csrf,
                f"ready_{cot.request_id}": "yes",
                f"ready_{parking.request_id}": "no",
                f"comment_{parking.request_id}": "we had to look for a space",
                "free": "Lovely staff <3",
            },
        )
        assert sent.status == 303
        again = browser.get(sent.headers["location"])
    assert "Thank you for your answers." in again.body
    assert "Lovely staff &lt;3</textarea>" in again.body  # shown back, as text
    with database.read() as session:
        rows = verdicts(session, maria, hotel.id, since=datetime(2026, 7, 1).date())
    assert [(r.code, r.ready, r.comment) for r in rows] == [
        ("baby_cot", True, ""),
        ("parking", False, "we had to look for a space"),
        (None, None, "Lovely staff <3"),
    ]


def test_no_verdict_before_its_window(database, hotel, rita):
    stay = book(database, hotel, rita, language="en", wish_text="baby cot")
    with frozen_at(EVE_OF_DEPARTURE), database.write() as session, pytest.raises(UserError):
        save_verdict(session, stay.reservation_id, {}, "too early")


def test_retention_erases_the_guests_words_and_keeps_the_yes_and_no(
    database, hotel, rita, guest_server
):
    stay = book(database, hotel, rita, language="en", wish_text="baby cot")
    cot = wish_task(database, stay.reservation_id, "baby_cot")
    with frozen_at(datetime(2026, 7, 12, 8, 0, tzinfo=UTC)), database.write() as session:
        queue_confirmations(session, hotel.id, 3)
        session.get(Task, cot.id).title = "☎ Ms Anna Schmidt: +49 30 1234567"
        session.add(
            GuestCorrection(
                property_id=hotel.id,
                reservation_id=stay.reservation_id,
                added_text="severe nut allergy",
                removed_codes="",
            )
        )
    with frozen_at(DEPARTURE_MORNING), database.write() as session:
        save_verdict(
            session,
            stay.reservation_id,
            {cot.request_id: Answer(True, "cot was perfect")},
            "Anna Schmidt, room 12",
        )
    night = datetime(2026, 8, 17, 1, 0, tzinfo=UTC)  # 31 days after departure
    with frozen_at(night):
        outcome = run_job(database, "purge_guest_data", hotel.id, night, holder="test")
    assert outcome is not None and outcome.status == "ok", outcome
    with database.read() as session:
        kept = [(v.request_id, v.ready, v.comment) for v in session.scalars(select(GuestVerdict))]
        corrections = session.scalars(select(GuestCorrection)).all()
        messages = [
            (m.to_address, m.subject, m.body) for m in session.scalars(select(GuestMessage))
        ]
    assert kept == [(cot.request_id, True, "")]
    assert corrections == []
    assert messages == [(None, "", "")]
    assert all(t.title == "" for t in tasks_of(database, stay.reservation_id))
    with frozen_at(night):
        assert GuestBrowser(guest_server).get(f"/guest/{stay.token}").status == 404


def test_after_the_stay_the_page_no_longer_asks_for_the_arrival_time(
    database, hotel, rita, guest_server
):
    stay = book(database, hotel, rita, language="en", wish_text="baby cot")
    with frozen_at(DEPARTURE_MORNING):
        page = GuestBrowser(guest_server).get(f"/guest/{stay.token}")
    assert "Was it ready when you arrived?" in page.body
    assert "Arrival time" not in page.body and "tell us below" not in page.body
