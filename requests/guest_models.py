"""What the guest writes on their page: corrections of their wishes and their verdict."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.clock import now
from core.db import Base, UTCDateTime


class GuestCorrection(Base):
    """One form the guest sent: added text, removed wishes, arrival time (personal data)."""

    __tablename__ = "guest_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    reservation_id: Mapped[int] = mapped_column(ForeignKey("reservations.id"), index=True)
    added_text: Mapped[str] = mapped_column(Text, default="")
    removed_codes: Mapped[str] = mapped_column(Text, default="")  # comma-separated codes
    eta: Mapped[str | None] = mapped_column(String(5))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class GuestVerdict(Base):
    """The guest's answer about one wish (request_id) or their free comment (request_id None)."""

    __tablename__ = "guest_verdicts"
    __table_args__ = (UniqueConstraint("reservation_id", "request_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    reservation_id: Mapped[int] = mapped_column(ForeignKey("reservations.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"))
    ready: Mapped[bool | None] = mapped_column()
    comment: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
