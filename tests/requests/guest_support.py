"""Shared by the guest-loop tests: a stay with wishes, the guest page served over real HTTP,
and a local SMTP server (aiosmtpd) that keeps what it receives."""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from email.message import Message
from urllib.parse import urlencode

import pytest
import uvicorn
from aiosmtpd.controller import Controller
from sqlalchemy import select
from starlette.applications import Starlette

from core.clock import frozen_at
from core.notifications import SmtpConfig
from guests.guest_links import issue_link
from guests.reservations import ReservationInput, save_reservation
from requests.guest_page import guest_routes
from requests.guest_security import bad_tokens_per_address, requests_per_address
from requests.models import Request, Task

ARRIVAL = date(2026, 7, 14)
BOOKED_AT = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Stay:
    reservation_id: int
    token: str


def book(
    database,
    hotel,
    who,
    *,
    confirmation: str = "G1",
    name: str = "Ms Anna Schmidt",
    language: str | None = "de",
    email: str | None = "anna@example.org",
    phone: str | None = "+49 30 1234567",
    wish_text: str = "Babybett bitte, schwere Nussallergie, Parkplatz",
    arrival: date = ARRIVAL,
    at: datetime = BOOKED_AT,
) -> Stay:
    with frozen_at(at), database.write() as session:
        saved = save_reservation(
            session,
            who,
            hotel.id,
            ReservationInput(
                confirmation_number=confirmation,
                guest_name=name,
                arrival_date=arrival,
                departure_date=arrival + timedelta(days=3),
                language=language,
                email=email,
                phone=phone,
                wish_text=wish_text,
            ),
        )
        token = issue_link(session, who, saved.reservation.id)
        return Stay(saved.reservation.id, token)


def tasks_of(database, reservation_id: int) -> list[Task]:
    with database.read() as session:
        rows = list(
            session.scalars(
                select(Task).where(Task.reservation_id == reservation_id).order_by(Task.id)
            )
        )
        session.expunge_all()
        return rows


def wish_task(database, reservation_id: int, code: str) -> Task:
    with database.read() as session:
        task = session.scalars(
            select(Task)
            .join(Request, Request.id == Task.request_id)
            .where(Task.reservation_id == reservation_id, Request.code == code, Task.kind == "wish")
        ).one()
        session.expunge(task)
        return task


@dataclass
class Reply:
    status: int
    body: str
    headers: dict[str, str]


@dataclass
class GuestBrowser:
    """A tiny HTTP client that keeps the cookie the page sets, as a phone's browser would."""

    base: str
    cookies: dict[str, str] = field(default_factory=dict)

    def _open(self, request: urllib.request.Request) -> Reply:
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=10) as response:
                status, body, headers = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, body, headers = error.code, error.read(), error.headers
        for value in headers.get_all("set-cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return Reply(status, body.decode("utf-8"), {k.lower(): v for k, v in headers.items()})

    def get(self, path: str, headers: dict[str, str] | None = None) -> Reply:
        return self._open(urllib.request.Request(self.base + path, headers=headers or {}))

    def post(self, path: str, fields: list[tuple[str, str]] | dict[str, str]) -> Reply:
        data = urlencode(fields).encode()
        request = urllib.request.Request(self.base + path, data=data, method="POST")
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        return self._open(request)

    def post_raw(self, path: str, data: bytes) -> Reply:
        request = urllib.request.Request(self.base + path, data=data, method="POST")
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        return self._open(request)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@contextmanager
def serving_guest_routes(host: str) -> Iterator[int]:
    """The guest routes served over HTTP by uvicorn on `host`; yields the port."""
    requests_per_address.reset()
    bad_tokens_per_address.reset()
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            Starlette(routes=guest_routes()),
            host=host,
            port=port,
            log_level="warning",
            lifespan="off",
        )
    )
    sockets = None
    if host == "::":  # one socket for IPv6 and IPv4, as Streamlit binds it
        listening = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        listening.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        listening.bind(("::", port))
        sockets = [listening]
    thread = threading.Thread(target=server.run, kwargs={"sockets": sockets}, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.02)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=5)


@pytest.fixture
def guest_server(database_url: str) -> Iterator[str]:
    """The guest routes served over HTTP by uvicorn, on the test's database."""
    with serving_guest_routes("127.0.0.1") as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def dual_stack_guest_server(database_url: str) -> Iterator[str]:
    """The same on "::", as `streamlit run` listens: an IPv4 client (a reverse proxy on this
    machine) arrives as ::ffff:127.0.0.1."""
    with serving_guest_routes("::") as port:
        yield f"http://127.0.0.1:{port}"


@dataclass
class Mailbox:
    messages: list[Message] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, SmtpConfig]]:
    """A local SMTP server (aiosmtpd) and the configuration pointing at it."""
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield mailbox, SmtpConfig(host="127.0.0.1", port=port, sender="hotel@example.org")
    controller.stop()


def body_of(message: Message) -> str:
    return message.get_content()  # type: ignore[attr-defined]
