"""Fixtures: every database test runs on SQLite and on PostgreSQL, with named staff."""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from streamlit.testing.v1 import AppTest

from core import auth, clock
from core.auth import Actor, actor_for, system_actor
from core.db import Database, forget_database, get_database
from core.i18n import STAFF_LANGUAGES, t
from core.migrations import upgrade_to_head
from core.models import Property, Staff
from core.staff import create_staff
from core.startup import register_domains
from guests.properties import create_property
from tests import staff_app as staff_app_script

register_domains()  # the same registrations as the app and the command lines
# Tests drive the jobs with a frozen clock; no app under test starts a real-time scheduler.
os.environ["HOTEL_SCHEDULER_IN_APP"] = "false"
IN_CI = os.environ.get("CI", "").lower() == "true"


def postgres_url_or_skip() -> str:
    url = os.environ.get("TEST_DATABASE_URL", "").strip()
    if not url:
        reason = "TEST_DATABASE_URL is not set: the PostgreSQL half of the suite did not run"
        if IN_CI:
            pytest.fail(reason + " (CI=true: a skip is a failure)")
        pytest.skip(reason)
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test: migrations run once per session."""
    path = tmp_path_factory.mktemp("template") / "hotel.db"
    database = Database(f"sqlite:///{path}")
    upgrade_to_head(database)
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this test session, dropped at the end."""
    base = make_url(postgres_url_or_skip())
    name = f"hotel_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = base.set(database=name).render_as_string(hide_password=False)
    database = Database(url)
    upgrade_to_head(database)
    database.dispose()
    yield url
    forget_database(url)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def _empty_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        tables = (
            connection.execute(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                    "AND tablename <> 'alembic_version'"
                )
            )
            .scalars()
            .all()
        )
        if tables:
            names = ", ".join(f'"{t}"' for t in tables)
            # Between tests only: the audit log's triggers refuse TRUNCATE to everyone else.
            connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
            connection.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """The URL of an empty, migrated database; the app's DATABASE_URL points at it."""
    if request.param == "sqlite":
        path = tmp_path / "hotel.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres_server_url")
        _empty_postgres(url)
    monkeypatch.setenv("DATABASE_URL", url)
    yield url
    forget_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database without a single table, as on the very first start; dropped afterwards."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'new' / 'hotel.db'}"
        yield url
        forget_database(url)
        return
    base = make_url(postgres_url_or_skip())
    name = f"hotel_empty_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = base.set(database=name).render_as_string(hide_password=False)
    yield url
    forget_database(url)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture
def database(database_url: str) -> Database:
    return get_database(database_url)


REAL_PASSWORD_HASHER = auth._hasher


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    """argon2id at its lowest cost: the production parameters take ~0.15 s a hash, and the
    suite hashes and checks passwords hundreds of times. test_auth checks the real ones."""
    auth._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    auth._hasher = REAL_PASSWORD_HASHER


class _Noted(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture(autouse=True)
def _no_streamlit_deprecation() -> Iterator[None]:
    """Streamlit says a call is deprecated in its log (and on screen in development), not as a
    Python warning: a test whose pages make such a call fails, before the call stops working."""
    deprecations = logging.getLogger("streamlit.deprecation_util")
    noted = _Noted()
    deprecations.addHandler(noted)
    try:
        yield
    finally:
        deprecations.removeHandler(noted)
    assert noted.messages == [], "Streamlit deprecation: " + "\n".join(noted.messages)


@pytest.fixture(autouse=True)
def _clock_runs_again() -> Iterator[None]:
    yield
    clock.set_now(None)


@pytest.fixture
def hotel(database: Database) -> Property:
    """Hôtel Test in Paris (check-in 15:00, check-out 11:00), with its catalogue and shifts."""
    with database.write() as session:
        return create_property(session, system_actor(None), code="HOTEL", name="Hôtel Test")


def _staff(
    database: Database,
    hotel: Property,
    login: str,
    name: str,
    roles: list[str],
    department: str | None = None,
) -> Actor:
    with database.write() as session:
        person = create_staff(
            session,
            system_actor(hotel.id),
            name=name,
            login=login,
            password=f"{login}-password",
            roles=roles,
            department=department,
            property_id=hotel.id,
        )
        return actor_for(person)


@pytest.fixture
def alice(database: Database, hotel: Property) -> Actor:
    """Alice works at the front desk."""
    return _staff(database, hotel, "alice", "Alice Front", ["front_desk"], "front_desk")


@pytest.fixture
def hugo(database: Database, hotel: Property) -> Actor:
    """Hugo works in housekeeping."""
    return _staff(database, hotel, "hugo", "Hugo Housekeeping", ["housekeeping"], "housekeeping")


@pytest.fixture
def rita(database: Database, hotel: Property) -> Actor:
    """Rita takes reservations."""
    return _staff(database, hotel, "rita", "Rita Reservations", ["reservations"])


@pytest.fixture
def maria(database: Database, hotel: Property) -> Actor:
    """Maria is the manager."""
    return _staff(database, hotel, "maria", "Maria Manager", ["manager"])


def staff_row(database: Database, login: str) -> Staff:
    with database.read() as session:
        row = session.query(Staff).filter_by(login=login).one()
        session.expunge(row)
        return row


# The page tests' app: streamlit_app.py, plus a click in its navigation (tests/staff_app.py).
STAFF_APP = Path(__file__).parent / "staff_app.py"


def staff_app() -> AppTest:
    """A new browser session on the staff app (not run yet)."""
    return AppTest.from_file(str(STAFF_APP), default_timeout=60)


def offered_pages(app: AppTest) -> set[str]:
    """The url paths the navigation offered the person in the last run."""
    return set(app.session_state[staff_app_script.OFFERED])


def shown_page(app: AppTest) -> str:
    """The url path of the page the last run showed."""
    return app.session_state[staff_app_script.SHOWN]


def open_page(app: AppTest, url_path: str) -> AppTest:
    """Clicks url_path in the navigation; fails if the person has no such page."""
    app.session_state[staff_app_script.CLICK] = url_path
    app.run()
    assert shown_page(app) == url_path, f"{url_path} is not among {sorted(offered_pages(app))}"
    assert_no_error(app)
    return app


def unexpected_errors(app: AppTest) -> list[str]:
    """What the person sees when a page failed: core.ui.run_page shows a short message instead
    of raising, so `app.exception` alone never sees a page body fail."""
    failed = {t("error.unexpected", language) for language in STAFF_LANGUAGES}
    return [e.value for e in app.exception] + [e.value for e in app.error if e.value in failed]


def assert_no_error(app: AppTest) -> None:
    assert unexpected_errors(app) == [], unexpected_errors(app)


SIGN_IN_LABELS = {t("login.submit", language) for language in STAFF_LANGUAGES}


def sign_in_on(app: AppTest, login: str, password: str) -> AppTest:
    """Types the login and password on the sign-in page and submits them."""
    app.text_input(key="login_name").input(login)
    app.text_input(key="login_password").input(password)
    [submit] = [b for b in app.button if b.label in SIGN_IN_LABELS]
    submit.click().run()
    assert_no_error(app)
    return app


@pytest.fixture
def signed_in(database_url: str, monkeypatch: pytest.MonkeyPatch):
    """Opens the app and signs in as one of the test staff (password '<login>-password') on a
    page: `signed_in("alice", "briefing")` gives the AppTest showing it."""
    import streamlit as st

    monkeypatch.setenv("HOTEL_DEMO", "false")
    st.cache_resource.clear()

    def sign_in(login: str, page: str) -> AppTest:
        app = sign_in_on(staff_app().run(), login, f"{login}-password")
        return open_page(app, page)

    yield sign_in
    st.cache_resource.clear()
