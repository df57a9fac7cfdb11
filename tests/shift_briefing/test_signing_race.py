"""Signing at the same moment: different people all succeed, the same person twice is told
it is already signed; never a unique-constraint error (each signer has its own connection)."""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import func, select

from core.errors import UserError
from shift_briefing.briefing import build_briefing
from shift_briefing.models import BriefingAcknowledgement, BriefingVersion
from shift_briefing.signing import sign_briefing
from tests.conftest import _staff

DAY = date(2026, 7, 14)


def sign_together(database, signers, briefing) -> list[str]:
    """Each signer signs in its own thread and write session, released at the same moment."""
    start = threading.Barrier(len(signers))
    outcomes: list[str] = []

    def sign(person) -> None:
        start.wait()
        try:
            with database.write() as session:
                sign_briefing(session, person, briefing, briefing.version)
            outcomes.append("signed")
        except UserError as refused:
            outcomes.append(refused.key)
        except Exception as failed:  # what the race used to end in
            outcomes.append(type(failed).__name__)

    threads = [threading.Thread(target=sign, args=(person,)) for person in signers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def test_four_people_signing_the_same_version_at_once_all_succeed(database, hotel, book):
    book("A", "Anna Late", "baby cot please", room="101")
    people = [
        _staff(database, hotel, f"desk{n}", f"Desk {n}", ["front_desk"], "front_desk")
        for n in range(4)
    ]
    with database.read() as session:
        briefing = build_briefing(session, people[0], hotel.id, DAY, "afternoon", "en")
    for _ in range(3):
        assert sign_together(database, people, briefing) == ["signed"] * 4
        with database.write() as session:  # again, on a fresh slate
            session.query(BriefingAcknowledgement).delete()
            session.query(BriefingVersion).delete()
    assert sign_together(database, people, briefing) == ["signed"] * 4
    with database.read() as session:
        count = session.scalar(select(func.count()).select_from(BriefingAcknowledgement))
        versions = session.scalar(select(func.count()).select_from(BriefingVersion))
    assert (count, versions) == (4, 1)


def test_the_same_person_signing_twice_at_once_is_told_it_is_already_signed(
    database, hotel, alice, book
):
    book("A", "Anna Late", "baby cot please", room="101")
    with database.read() as session:
        briefing = build_briefing(session, alice, hotel.id, DAY, "afternoon", "en")
    assert sign_together(database, [alice, alice], briefing) == [
        "briefing.error_already_signed",
        "signed",
    ]
