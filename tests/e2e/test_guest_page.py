"""The guest page in a real browser at phone width, with JavaScript off, in two languages,
served by the same `streamlit run` as the staff app; and a correction sent from it."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core.clock import today
from core.db import Database
from core.settings import ROOT
from guests.models import Reservation

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def guest_link(server, tmp_path_factory) -> str:
    """The page of a German guest of the demo arriving tomorrow, as the command line prints it."""
    folders = tmp_path_factory.getbasetemp().glob("server*")
    folder = max(folders, key=lambda f: f.stat().st_mtime)  # this session's server fixture
    database_file = folder / "hotel.db"
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{database_file}"}
    subprocess.run(
        [sys.executable, "-m", "guests", "demo"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        check=False,
    )  # unless the app seeded it already
    database = Database(f"sqlite:///{database_file}")
    with database.read() as session:
        guest = (
            session.scalars(
                select(Reservation)
                .where(
                    Reservation.arrival_date == today("Europe/Paris") + timedelta(days=1),
                )
                .order_by(Reservation.id)
            )
            .unique()
            .all()
        )
        number = next(r.confirmation_number for r in guest if r.guest.language == "de")
    database.dispose()
    printed = subprocess.run(
        [sys.executable, "-m", "guests", "guest-link", number, "--property", "DEMO"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert printed.startswith("http://localhost:8501/guest/")
    return server + urlsplit(printed).path


def test_a_guest_reads_their_page_on_a_phone_in_german_then_french(browser, guest_link, tmp_path):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="de-DE")
    page = context.new_page()
    response = page.goto(guest_link)
    assert response is not None and response.status == 200
    assert len(response.body()) < 100_000
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ihr Aufenthalt")
    expect(page.get_by_role("heading", name="Ihre Wünsche")).to_be_visible()
    page.screenshot(path=str(tmp_path / "guest-de.png"), full_page=True)

    page.get_by_role("link", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Vos souhaits")).to_be_visible()
    page.get_by_label("Avec vos mots").fill("Un lit bébé s'il vous plaît")
    page.get_by_label("Heure d'arrivée (HH:MM)").fill("22:15")
    page.get_by_role("button", name="Envoyer à l'hôtel").click()
    expect(page.get_by_role("status")).to_contain_text("Merci : l'hôtel a reçu vos changements")
    expect(page.get_by_text("Lit bébé", exact=True)).to_be_visible()
    expect(page.get_by_text("Heure d'arrivée : vers 22:15")).to_be_visible()
    page.screenshot(path=str(tmp_path / "guest-fr.png"), full_page=True)
    context.close()


def test_a_tampered_link_shows_the_neutral_page(browser, server, guest_link):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    tampered = guest_link[:-2] + ("xx" if not guest_link.endswith("xx") else "yy")
    response = page.goto(tampered)
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("This link is no longer valid")
    context.close()
