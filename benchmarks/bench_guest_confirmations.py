"""The pre-arrival confirmation job for 2,000 arrivals, e-mailed to a local SMTP server.

Seeds 2,000 reservations arriving within the next three days (two wishes each, an e-mail
address each) on SQLite, runs `guest_confirmations` through the scheduler's run_job and sends
what it wrote to aiosmtpd; prints that time next to a baseline measured in the same run: a bare
loop sending 2,000 e-mails of the same size over one SMTP connection to the same server.

    .venv/bin/python benchmarks/bench_guest_confirmations.py
"""

from __future__ import annotations

import smtplib
import socket
import sys
import tempfile
import time as clock
from datetime import UTC, datetime, time, timedelta
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiosmtpd.controller import Controller
from sqlalchemy import insert, select

from core.auth import system_actor
from core.clock import local_to_utc, set_now, to_local
from core.notifications import SmtpConfig
from core.scheduling import run_job
from core.startup import ready_database
from guests.guest_i18n import GUEST_LANGUAGES
from guests.guest_models import GuestMessage
from guests.models import Guest, Reservation
from guests.properties import create_property
from requests.guest_outbox import deliver_guest_messages
from requests.wishes import sync_reservations

ARRIVALS = 2_000
GUEST_CODES = tuple(GUEST_LANGUAGES)  # one guest in five per guest language
TWO_WISHES = (
    "Un lit bébé et des oreillers supplémentaires svp",
    "Late check-out please, and a parking space",
    "Bitte ein ruhiges Zimmer und ein Babybett",
    "Una cama supletoria y toallas extra, gracias",
    "Camera con vista e parcheggio per favore",
)


class Counter:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench_confirmations_"))
    database = ready_database(f"sqlite:///{folder / 'hotel.db'}")
    moment = datetime.now(UTC).replace(microsecond=0)
    set_now(moment)
    with database.write() as session:
        hotel = create_property(session, system_actor(None, "benchmark"), code="B", name="Bench")
        hotel_id, zone = hotel.id, hotel.timezone
    today = to_local(moment, zone).date()
    moment = local_to_utc(today, time(10, 0), zone)  # mid-morning: no e-mail is written at night
    set_now(moment)
    with database.write() as session:
        guest_ids = session.scalars(
            insert(Guest).returning(Guest.id, sort_by_parameter_order=True),
            [
                {"property_id": hotel_id, "name": f"Guest {n}", "preferences": [],
                 "email": f"guest{n}@example.org", "language": GUEST_CODES[n % 5]}
                for n in range(ARRIVALS)
            ],
        ).all()
        session.execute(
            insert(Reservation),
            [
                {
                    "property_id": hotel_id, "confirmation_number": f"B{n:06d}",
                    "guest_id": guest_ids[n], "arrival_date": today + timedelta(days=1 + n % 3),
                    "departure_date": today + timedelta(days=3 + n % 3),
                    "wish_text": TWO_WISHES[n % len(TWO_WISHES)], "version": 1,
                }
                for n in range(ARRIVALS)
            ],
        )
    with database.write() as session:
        ids = list(session.scalars(select(Reservation.id)))
        sync_reservations(session, system_actor(hotel_id, "benchmark"), ids)

    counter = Counter()
    port = _free_port()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    config = SmtpConfig(host="127.0.0.1", port=port, sender="hotel@example.org")
    try:
        started = clock.perf_counter()
        outcome = run_job(database, "guest_confirmations", hotel_id, moment, holder="bench")
        written = clock.perf_counter() - started
        sent = deliver_guest_messages(database, config)
        ours = clock.perf_counter() - started
        assert outcome is not None and outcome.status == "ok", outcome
        assert sent == ARRIVALS == counter.count, (sent, counter.count)
        again = run_job(database, "guest_confirmations", hotel_id, moment + timedelta(minutes=5),
                        holder="bench")
        assert again is not None and again.result.startswith("0 "), again

        with database.read() as session:
            sample = session.scalars(select(GuestMessage).limit(1)).one()
            subject, body = sample.subject, sample.body
        started = clock.perf_counter()
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            for n in range(ARRIVALS):
                message = EmailMessage()
                message["Subject"] = subject
                message["From"] = "hotel@example.org"
                message["To"] = f"guest{n}@example.org"
                message.set_content(body)
                smtp.send_message(message)
        baseline = clock.perf_counter() - started
    finally:
        controller.stop()
    print(f"arrivals: {ARRIVALS}, confirmations written: {outcome.result}, e-mails sent: {sent}")
    print(f"job (compose, links, outbox) {written:.2f} s + sending -> total {ours:.2f} s")
    print(f"baseline, bare loop of {ARRIVALS} e-mails to the same SMTP server: {baseline:.2f} s")
    print(f"ratio ours / baseline: {ours / baseline:.1f}x")


if __name__ == "__main__":
    main()
