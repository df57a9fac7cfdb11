"""Fixtures of the requests tests."""

from __future__ import annotations

import pytest

from core.auth import Actor
from core.db import Database
from core.models import Property
from requests.catalogue import CatalogueChange, save_catalogue_item
from tests.requests.guest_support import (  # noqa: F401  (the guest loop's)
    dual_stack_guest_server,
    guest_server,
    smtp,
)


@pytest.fixture
def newspaper(database: Database, hotel: Property, maria: Actor) -> str:
    """The hotel's own catalogue code, added by Maria: a newspaper every day of the stay."""
    with database.write() as session:
        save_catalogue_item(
            session,
            maria,
            hotel.id,
            CatalogueChange(
                code="newspaper",
                label_fr="Journal",
                label_en="Newspaper",
                department="front_desk",
                timing="daily",
                lead_minutes=0,
                sensitive=False,
                constrains_room=False,
                readiness_items=[],
                keywords={"en": ["newspaper"], "fr": ["journal"]},
            ),
        )
    return "newspaper"
