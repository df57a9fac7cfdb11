"""Rooms, guests and their reservations."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.clock import now
from core.db import Base, UTCDateTime

HOUSEKEEPING_STATUSES = ("dirty", "clean", "inspected", "out_of_order")
RESERVATION_STATUSES = ("booked", "cancelled", "checked_in", "checked_out", "no_show")
ROOM_FEATURES = ("bathtub", "accessible", "view", "quiet", "twin", "double")


class Room(Base):
    __tablename__ = "rooms"
    __table_args__ = (UniqueConstraint("property_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"), index=True)
    number: Mapped[str] = mapped_column(String(20))
    room_type: Mapped[str] = mapped_column(String(60), default="")
    floor: Mapped[int] = mapped_column(default=0)
    features: Mapped[list[str]] = mapped_column(JSON, default=list)
    connecting_to: Mapped[str | None] = mapped_column(String(20))
    housekeeping_status: Mapped[str] = mapped_column(String(20), default="dirty")
    # A save of the status says which one it saw (version check) and who changed it when.
    status_version: Mapped[int] = mapped_column(default=1, server_default="1")
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status_changed_by: Mapped[str | None] = mapped_column(String(200))


class Guest(Base):
    __tablename__ = "guests"
    __table_args__ = (  # a returning guest is found by e-mail or phone (guests.identity)
        Index("ix_guests_property_email", "property_id", text("lower(email)")),
        Index("ix_guests_property_phone", "property_id", "phone"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    language: Mapped[str | None] = mapped_column(String(5))
    email: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(60))
    vip_level: Mapped[int] = mapped_column(default=0)
    preferences: Mapped[list[str]] = mapped_column(JSON, default=list)
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=now, onupdate=now)
    updated_by: Mapped[str | None] = mapped_column(String(200))  # who saved it last, by name
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class Reservation(Base):
    __tablename__ = "reservations"
    __table_args__ = (
        UniqueConstraint("property_id", "confirmation_number"),
        Index("ix_reservations_property_arrival", "property_id", "arrival_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    confirmation_number: Mapped[str] = mapped_column(String(60))
    guest_id: Mapped[int] = mapped_column(ForeignKey("guests.id"), index=True)
    arrival_date: Mapped[date] = mapped_column(Date)
    departure_date: Mapped[date] = mapped_column(Date)
    eta: Mapped[time | None] = mapped_column(Time)
    room_type: Mapped[str | None] = mapped_column(String(60))
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id"), index=True)
    adults: Mapped[int] = mapped_column(default=1)
    children: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(20), default="booked")
    source: Mapped[str] = mapped_column(String(20), default="manual")
    wish_text: Mapped[str] = mapped_column(Text, default="")
    wishes_reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_by: Mapped[str | None] = mapped_column(String(200))  # who saved it last, by name
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)
    version: Mapped[int] = mapped_column(default=1)

    guest: Mapped[Guest] = relationship(lazy="joined")
    room: Mapped[Room | None] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}

    @property
    def nights(self) -> int:
        return (self.departure_date - self.arrival_date).days


class RoomNight(Base):
    """One night of one room, held by one reservation: the database refuses a second one."""

    __tablename__ = "room_nights"
    __table_args__ = (UniqueConstraint("room_id", "night"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"), index=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"))
    night: Mapped[date] = mapped_column(Date)
    reservation_id: Mapped[int] = mapped_column(ForeignKey("reservations.id"), index=True)


class ImportRecord(Base):
    """One arrivals import: which file, who ran it, when, and what it did."""

    __tablename__ = "import_records"
    __table_args__ = (Index("ix_import_records_property_started", "property_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    file_name: Mapped[str] = mapped_column(String(300))
    file_hash: Mapped[str] = mapped_column(String(64), index=True)  # SHA-256 of the bytes
    file_kind: Mapped[str] = mapped_column(String(10))  # csv or xlsx
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    actor_name: Mapped[str] = mapped_column(String(200))
    replace_range: Mapped[bool] = mapped_column(default=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rows: Mapped[int] = mapped_column(default=0)
    created: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    cancelled: Mapped[int] = mapped_column(default=0)
    rejected: Mapped[int] = mapped_column(default=0)
    requests_created: Mapped[int] = mapped_column(default=0)
    tasks_created: Mapped[int] = mapped_column(default=0)
    tasks_cancelled: Mapped[int] = mapped_column(default=0)
    unknown_columns: Mapped[list[str]] = mapped_column(JSON, default=list)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    conflicts: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class ImportedReservation(Base):
    """What the last import said about a reservation, and what it left in the database.

    The next file is compared with both: a row the file did not change is left alone, and a
    wish text staff changed in the app since is not overwritten by a file that changed it too.
    """

    __tablename__ = "imported_reservations"
    __table_args__ = (UniqueConstraint("reservation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"), index=True)
    reservation_id: Mapped[int] = mapped_column(ForeignKey("reservations.id"))
    import_id: Mapped[int] = mapped_column(ForeignKey("import_records.id"), index=True)
    file_values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    applied_values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


from guests import guest_models as _guest_models  # noqa: E402,F401  (their tables)
