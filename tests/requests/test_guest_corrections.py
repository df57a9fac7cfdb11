"""The guest corrects and adds on their page: tasks follow, the briefing changes version and
says so; the form is CSRF-protected, size-limited and shows the guest's text as text."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select

from core.auth import system_actor
from core.clock import frozen_at
from requests import tasks
from requests.guest_models import GuestCorrection
from shift_briefing.briefing import build_briefing
from tests.requests.guest_support import (
    ARRIVAL,
    GuestBrowser,
    book,
    tasks_of,
    wish_task,
)

BEFORE = datetime(2026, 7, 10, 9, 0, tzinfo=UTC)


def _form(browser: GuestBrowser, token: str) -> tuple[str, dict[str, str]]:
    page = browser.get(f"/guest/{token}?lang=en")
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.body)
    assert csrf, page.body
    removable = dict(
        (label.strip(), value)
        for value, label in re.findall(
            r'name="remove" value="(\d+)"> remove: ([^<]+)</label>', page.body
        )
    )
    return csrf.group(1), removable


def _briefing(database, hotel):
    with database.read() as session:
        return build_briefing(session, system_actor(hotel.id), hotel.id, ARRIVAL, "afternoon", "en")


def test_a_correction_adds_and_cancels_tasks_and_the_briefing_shows_a_new_version(
    database, hotel, rita, hugo, guest_server
):
    stay = book(database, hotel, rita, language="en", wish_text="baby cot, parking, extra towels")
    towels = wish_task(database, stay.reservation_id, "extra_towels")
    with frozen_at(BEFORE), database.write() as session:  # housekeeping already did the towels
        tasks.change_task_status(session, hugo, towels.id, towels.version, "done")
    with frozen_at(BEFORE):
        signed_version = _briefing(database, hotel).version
        browser = GuestBrowser(guest_server)
        csrf, removable = _form(browser, stay.token)
        sent = browser.post(
            f"/guest/{stay.token}/wishes?lang=en",
            [
                ("csrf", csrf),
                ("remove", removable["Parking space"]),
                ("remove", removable["Extra towels"]),
                ("text", "Also an extra pillow please"),
                ("eta", "21:30"),
            ],
        )
        assert sent.status == 303
        page = browser.get(sent.headers["location"])
        after = _briefing(database, hotel)
    assert "Thank you: the hotel has your changes" in page.body
    assert "Extra pillows</span> — it will be in your room when you arrive" in page.body
    assert "Parking space" not in page.body and "Arrival time: around 21:30" in page.body
    by_status = {(t.title or t.kind, t.status) for t in tasks_of(database, stay.reservation_id)}
    pillow = wish_task(database, stay.reservation_id, "extra_pillows")
    assert pillow.status == "open" and pillow.department == "housekeeping"
    assert pillow.due_at < datetime(2026, 7, 14, 13, 0, tzinfo=UTC)  # before the 15:00 check-in
    assert wish_task(database, stay.reservation_id, "parking").status == "cancelled"
    assert (
        wish_task(database, stay.reservation_id, "extra_towels").status == "done"
    )  # never reopened
    assert ("wish", "open") in by_status
    assert after.version != signed_version
    guest = next(g for g in after.arrivals if g.reservation_id == stay.reservation_id)
    assert guest.changed_by_guest_at == BEFORE
    assert after.content["arrivals"][0]["changed_by_guest"] == BEFORE.isoformat()


def test_a_form_without_its_csrf_token_changes_nothing_and_keeps_the_text(
    database, hotel, rita, guest_server
):
    stay = book(database, hotel, rita, language="en", wish_text="baby cot")
    with frozen_at(BEFORE):
        browser = GuestBrowser(guest_server)
        _form(browser, stay.token)  # the browser has its cookie
        forged = browser.post(
            f"/guest/{stay.token}/wishes", {"csrf": "0" * 64, "text": "a parking space"}
        )
        stranger = GuestBrowser(guest_server).post(  # no cookie at all (a cross-site form)
            f"/guest/{stay.token}/wishes", {"text": "a parking space"}
        )
    assert (forged.status, stranger.status) == (403, 403)
    assert "This form has expired" in forged.body
    assert ">a parking space</textarea>" in forged.body  # nothing the guest typed is lost
    with database.read() as session:
        assert session.scalars(select(GuestCorrection)).all() == []
    assert {t.kind for t in tasks_of(database, stay.reservation_id)} == {"wish"}
    assert len(tasks_of(database, stay.reservation_id)) == 1


def test_too_long_a_text_is_refused_with_its_limit_and_kept(database, hotel, rita, guest_server):
    stay = book(database, hotel, rita, language="en", wish_text="baby cot")
    with frozen_at(BEFORE):
        browser = GuestBrowser(guest_server)
        csrf, _ = _form(browser, stay.token)
        long_text = "parking " * 251  # 2,008 characters
        refused = browser.post(f"/guest/{stay.token}/wishes", {"csrf": csrf, "text": long_text})
        huge = browser.post_raw(
            f"/guest/{stay.token}/wishes", b"csrf=" + csrf.encode() + b"&text=" + b"x" * 40_000
        )
        many = browser.post_raw(f"/guest/{stay.token}/wishes", b"&".join([b"remove=1"] * 300))
        bad_time = browser.post(
            f"/guest/{stay.token}/wishes", {"csrf": csrf, "text": "parking", "eta": "25:99"}
        )
        # the page of a refused form is at .../wishes: its language links lead back to the page
        [french] = re.findall(r'href="([^"]*lang=fr)"', bad_time.body)
        in_french = browser.get(french)
    assert refused.status == 400 and "at most 2000 characters" in refused.body
    assert long_text.strip() in refused.body
    assert huge.status == 413 and many.status == 413
    assert bad_time.status == 400 and "HH:MM" in bad_time.body
    assert in_french.status == 200 and '<html lang="fr">' in in_french.body
    assert len(tasks_of(database, stay.reservation_id)) == 1  # nothing was added


def test_the_guests_text_is_shown_as_text(database, hotel, rita, guest_server):
    stay = book(database, hotel, rita, language="en", wish_text="baby cot")
    with frozen_at(BEFORE):
        browser = GuestBrowser(guest_server)
        csrf, _ = _form(browser, stay.token)
        browser.post(
            f"/guest/{stay.token}/wishes",
            {"csrf": csrf, "text": "<script>alert(1)</script><b>bold</b>"},
        )
        page = browser.get(f"/guest/{stay.token}")
    assert "<script>" not in page.body and "<b>bold" not in page.body
    assert "alert(1)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in page.body  # the words, as text


def test_health_details_the_guest_adds_are_sensitive_like_any_other(
    database, hotel, rita, guest_server
):
    stay = book(database, hotel, rita, language="en", wish_text="baby cot")
    with frozen_at(BEFORE):
        browser = GuestBrowser(guest_server)
        csrf, _ = _form(browser, stay.token)
        browser.post(f"/guest/{stay.token}/wishes", {"csrf": csrf, "text": "peanut allergy"})
        page = browser.get(f"/guest/{stay.token}")
        with database.read() as session:
            views = tasks.tasks_for(session, hugo_like(hotel), hotel.id)
    assert "Food allergy</span> — your information has been passed" in page.body
    allergy = next(v for v in views if v.code == "food_allergy")
    assert allergy.sensitive and allergy.detail is None  # housekeeping does not read the words


def hugo_like(hotel):
    from core.auth import Actor

    return Actor(id=None, name="H", property_id=hotel.id, login="h", roles=("housekeeping",))


def test_after_arrival_the_form_is_closed(database, hotel, rita, guest_server):
    stay = book(database, hotel, rita, language="en", wish_text="baby cot")
    with frozen_at(datetime(2026, 7, 15, 9, 0, tzinfo=UTC)):
        page = GuestBrowser(guest_server).get(f"/guest/{stay.token}")
    assert page.status == 200 and 'name="text"' not in page.body
    assert "please speak to reception" in page.body


def test_a_wish_removed_then_asked_for_again_in_the_guests_words_comes_back(
    database, hotel, rita, guest_server
):
    stay = book(database, hotel, rita, language="en", wish_text="baby cot, parking")
    with frozen_at(BEFORE):
        browser = GuestBrowser(guest_server)
        csrf, removable = _form(browser, stay.token)
        browser.post(
            f"/guest/{stay.token}/wishes", [("csrf", csrf), ("remove", removable["Parking space"])]
        )
        assert wish_task(database, stay.reservation_id, "parking").status == "cancelled"
        sent = browser.post(
            f"/guest/{stay.token}/wishes",
            {"csrf": csrf, "text": "We need a parking space after all"},
        )
        page = browser.get(sent.headers["location"])
    assert "Parking space</span> — it will be ready when you arrive" in page.body
    wishes = [t.status for t in tasks_of(database, stay.reservation_id) if t.kind == "wish"]
    assert sorted(wishes) == ["cancelled", "open", "open"]  # the cot, the old and new parking


def test_an_empty_form_is_not_thanked_for(database, hotel, rita, guest_server):
    stay = book(database, hotel, rita, language="en", wish_text="baby cot")
    with frozen_at(BEFORE):
        browser = GuestBrowser(guest_server)
        csrf, _ = _form(browser, stay.token)
        empty = browser.post(f"/guest/{stay.token}/wishes", {"csrf": csrf, "text": " \x00 "})
    assert empty.status == 400
    assert "Nothing to change" in empty.body and "Thank you" not in empty.body
    with database.read() as session:
        assert session.scalars(select(GuestCorrection)).all() == []
