"""Errors a person can act on: services raise them with a translation key, pages translate."""

from __future__ import annotations

from typing import Any


class UserError(ValueError):
    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(f"{key} {values}" if values else key)
        self.key = key
        self.values = values


class RefusedAndRecorded(UserError):
    """A refusal whose record must stay: the write session commits what was written before it
    was raised (a counted wrong password and its audit line), then the error reaches the page.
    Raise it before the operation has written anything else."""
