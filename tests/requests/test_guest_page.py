"""The guest page over real HTTP: what the guest sees, in their language, and what a stranger
with a wrong, expired or revoked link sees (the same neutral 404), on both databases."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from core.clock import frozen_at
from guests.guest_links import revoke_links
from requests.guest_security import bad_tokens_per_address, client_address
from tests.requests.guest_support import (
    ARRIVAL,
    GuestBrowser,
    book,
)

BEFORE = datetime(2026, 7, 10, 9, 0, tzinfo=UTC)


def test_the_page_shows_the_stay_and_each_wish_with_its_promise_in_the_guests_language(
    database, hotel, rita, guest_server
):
    stay = book(database, hotel, rita, wish_text="Babybett bitte, Nussallergie, Parkplatz")
    with frozen_at(BEFORE):
        page = GuestBrowser(guest_server).get(f"/guest/{stay.token}")
    assert page.status == 200
    assert '<html lang="de">' in page.body
    assert "Hôtel Test" in page.body and "Guten Tag Anna," in page.body
    assert "Vom 14. Juli 2026 bis 17. Juli 2026 (3 Nächte)" in page.body
    assert "Babybett</span> — es wird bei Ihrer Ankunft in Ihrem Zimmer sein" in page.body
    assert "Parkplatz</span> — es wird bei Ihrer Ankunft bereit sein" in page.body
    # health: named, never repeated
    assert "Lebensmittelallergie</span> — Ihre Angaben wurden" in page.body
    assert "Nussallergie" not in page.body
    assert len(page.body.encode()) < 100_000
    assert "<script" not in page.body
    assert set(re.findall(r'href="([^"]*)"', page.body)) == {
        f"/guest/{stay.token}?lang={code}" for code in ("en", "fr", "de", "es", "it")
    }
    assert page.headers["referrer-policy"] == "same-origin"
    assert page.headers["cache-control"] == "no-store"


def test_the_language_switch_gives_the_same_page_in_french(database, hotel, rita, guest_server):
    stay = book(database, hotel, rita, wish_text="Babybett bitte")
    with frozen_at(BEFORE):
        page = GuestBrowser(guest_server).get(f"/guest/{stay.token}?lang=fr")
        unknown = GuestBrowser(guest_server).get(f"/guest/{stay.token}?lang=xx")
    assert '<html lang="fr">' in page.body
    assert "Lit bébé</span> — il sera prêt dans votre chambre à votre arrivée" in page.body
    assert '<html lang="en">' in unknown.body  # a language we do not speak: English


def test_a_late_arrival_reads_as_noted_and_the_room_kept(database, hotel, rita, guest_server):
    stay = book(database, hotel, rita, language="en", wish_text="we arrive late, around 23:00")
    with frozen_at(BEFORE):
        page = GuestBrowser(guest_server).get(f"/guest/{stay.token}")
    assert "Late arrival around 23:00</span> — noted, your room is kept" in page.body


def test_wrong_tampered_expired_and_revoked_links_get_the_same_neutral_404(
    database, hotel, rita, alice, guest_server
):
    stay = book(database, hotel, rita)
    other = book(database, hotel, rita, confirmation="G2", name="Bob Other")
    tampered = stay.token[:-1] + ("A" if stay.token[-1] != "A" else "B")
    browser = GuestBrowser(guest_server)
    with frozen_at(BEFORE):
        replies = [browser.get(f"/guest/{tampered}"), browser.get("/guest/nothing-at-all")]
        with database.write() as session:
            revoke_links(session, alice, other.reservation_id)
        replies.append(browser.get(f"/guest/{other.token}"))
    last_day = ARRIVAL + timedelta(days=3 + 14)
    with frozen_at(datetime(last_day.year, last_day.month, last_day.day, 20, 0, tzinfo=UTC)):
        assert browser.get(f"/guest/{stay.token}").status == 200  # still the 14th day
    with frozen_at(datetime(last_day.year, last_day.month, last_day.day, 23, 30, tzinfo=UTC)):
        replies.append(browser.get(f"/guest/{stay.token}"))  # 01:30 in Paris: expired
    assert [r.status for r in replies] == [404] * 4
    assert len({r.body for r in replies}) == 1
    assert "This link is no longer valid" in replies[0].body
    for secret in ("Anna", "Schmidt", "Bob", "Hôtel Test", "G1"):
        assert secret not in replies[0].body


def test_guessing_links_from_one_address_is_slowed_down(database, hotel, rita, guest_server):
    stay = book(database, hotel, rita)
    browser = GuestBrowser(guest_server)
    with frozen_at(BEFORE):
        statuses = [browser.get(f"/guest/guess-{n}").status for n in range(12)]
        blocked = browser.get(f"/guest/{stay.token}")
    limit = bad_tokens_per_address.limit
    assert statuses[:limit] == [404] * limit and set(statuses[limit:]) == {429}
    assert blocked.status == 429  # even a right link, from that address, for a while


def test_behind_the_proxy_one_guessing_stranger_does_not_lock_out_the_other_guests(
    database, hotel, rita, dual_stack_guest_server
):
    """The README's nginx rule on this machine: every request comes from ::ffff:127.0.0.1,
    the guest's own address in X-Forwarded-For."""
    stay = book(database, hotel, rita)
    browser = GuestBrowser(dual_stack_guest_server)
    stranger = {"X-Forwarded-For": "203.0.113.7"}
    with frozen_at(BEFORE):
        statuses = [browser.get(f"/guest/guess-{n}", stranger).status for n in range(12)]
        guest = browser.get(f"/guest/{stay.token}", {"X-Forwarded-For": "198.51.100.9"})
        still_blocked = browser.get(f"/guest/{stay.token}", stranger)
    limit = bad_tokens_per_address.limit
    assert statuses[:limit] == [404] * limit and set(statuses[limit:]) == {429}
    assert guest.status == 200
    assert still_blocked.status == 429


def test_the_rate_limits_count_the_guests_own_address():
    assert client_address("::ffff:127.0.0.1", "203.0.113.7") == "203.0.113.7"
    assert client_address("127.0.0.1", "10.0.0.1, 203.0.113.7") == "203.0.113.7"  # the proxy's
    # from anyone but this machine, the header is the sender's own words: ignored
    assert client_address("192.0.2.10", "203.0.113.7") == "192.0.2.10"
    assert client_address("127.0.0.1", "not an address") == "127.0.0.1"
    # an IPv6 subscriber holds a whole /64: one address of it counts for all
    assert client_address("2001:db8:1:2::a", None) == client_address("2001:db8:1:2:ffff::1", None)
    assert client_address("2001:db8:1:2::a", None) != client_address("2001:db8:1:3::a", None)


def test_each_wish_reads_as_what_it_means_for_the_guest(database, hotel, rita, guest_server):
    stay = book(
        database,
        hotel,
        rita,
        language="en",
        wish_text="early check-in, we travel with our dog, a table at your restaurant, "
        "we arrive late",
    )
    with frozen_at(BEFORE):
        page = GuestBrowser(guest_server).get(f"/guest/{stay.token}")
    assert "Early check-in</span> — we are preparing your room early" in page.body
    assert "Pet</span> — welcome: a bowl and a basket will be in your room" in page.body
    assert "Restaurant booking</span> — noted: we are booking your table" in page.body
    assert "Late arrival</span> — noted, your room is kept" in page.body  # even without a time
    assert "Pet</span> — it will be in your room" not in page.body
