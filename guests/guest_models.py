"""What the guest loop keeps about a reservation on the guests/ side: its private links and the
messages written to the guest (the outbox, sent by SMTP or printed by the front desk)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.clock import now
from core.db import Base, UTCDateTime


class GuestLink(Base):
    """A reservation's private page link. Only the SHA-256 of the token is stored."""

    __tablename__ = "guest_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    reservation_id: Mapped[int] = mapped_column(ForeignKey("reservations.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class GuestMessage(Base):
    """One e-mail to a guest. `state` is a hash of what it says: the same state is never
    written twice for a reservation and kind (the unique constraint holds it under races)."""

    __tablename__ = "guest_messages"
    __table_args__ = (
        UniqueConstraint("reservation_id", "kind", "state"),
        Index("ix_guest_messages_status", "status"),
        Index("ix_guest_messages_property_created", "property_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    reservation_id: Mapped[int] = mapped_column(ForeignKey("reservations.id"))
    kind: Mapped[str] = mapped_column(String(20))  # confirmation, not_possible
    state: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(5))
    to_address: Mapped[str | None] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending/sending/sent/...
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
