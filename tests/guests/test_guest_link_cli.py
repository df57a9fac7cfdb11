"""`python -m guests guest-link CONFIRMATION [--property CODE]`: the page's absolute URL."""

from __future__ import annotations

from datetime import UTC, datetime

from core.clock import frozen_at
from guests.__main__ import main
from guests.guest_links import reservation_for_token
from tests.requests.guest_support import book


def test_it_prints_a_link_that_opens_the_reservations_page(
    database, hotel, rita, monkeypatch, capsys
):
    stay = book(database, hotel, rita)
    monkeypatch.setenv("HOTEL_APP_URL", "https://guests.hotel.example/")
    assert main(["guest-link", "G1", "--property", hotel.code]) == 0
    url = capsys.readouterr().out.strip()
    assert url.startswith("https://guests.hotel.example/guest/")
    token = url.rsplit("/", 1)[1]
    with frozen_at(datetime(2026, 7, 10, 9, 0, tzinfo=UTC)), database.read() as session:
        assert reservation_for_token(session, token).id == stay.reservation_id


def test_the_default_address_is_localhost_8501(database, hotel, rita, monkeypatch, capsys):
    book(database, hotel, rita)
    monkeypatch.delenv("HOTEL_APP_URL", raising=False)
    assert main(["guest-link", "G1"]) == 0  # the only hotel: no --property needed
    assert capsys.readouterr().out.startswith("http://localhost:8501/guest/")


def test_no_such_reservation_or_property_exits_1(database, hotel, rita, capsys):
    book(database, hotel, rita)
    assert main(["guest-link", "NOPE", "--property", hotel.code]) == 1
    assert main(["guest-link", "G1", "--property", "NOWHERE"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "No reservation 'G1'" in err
