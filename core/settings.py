"""Settings read from the environment by a few tiny helpers, with defaults that run the demo."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("HOTEL_DATA_DIR", ROOT / "data"))


def env_str(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError as exc:
        raise ValueError(f"{name} must be a whole number, not {value!r}") from exc


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    return value in {"1", "true", "yes", "on"}


def database_url() -> str:
    """DATABASE_URL selects the database; the default is a SQLite file in the data folder."""
    default = f"sqlite:///{DATA_DIR / 'hotel.db'}"
    url = env_str("DATABASE_URL", default)
    if url.startswith("postgresql://"):
        # One driver for the whole project: psycopg 3.
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def idle_timeout_minutes() -> int | float:
    """Whole minutes as a rule; a fraction (0.1) lets a browser test see the timeout pass."""
    value = env_str("HOTEL_IDLE_TIMEOUT_MINUTES", "30")
    try:
        minutes = float(value)
    except ValueError as exc:
        raise ValueError(f"HOTEL_IDLE_TIMEOUT_MINUTES must be a number, not {value!r}") from exc
    if minutes <= 0:
        raise ValueError("HOTEL_IDLE_TIMEOUT_MINUTES must be more than 0")
    return int(minutes) if minutes.is_integer() else minutes


def seed_demo_on_empty() -> bool:
    return env_bool("HOTEL_DEMO", True)
