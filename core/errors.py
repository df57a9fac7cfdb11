"""Errors a person can act on: services raise them with a translation key, pages translate."""

from __future__ import annotations

from typing import Any


class UserError(ValueError):
    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(f"{key} {values}" if values else key)
        self.key = key
        self.values = values
