"""Reading reservations from booking channels: OpenTravel (OTA) XML, as channel managers send it.

`read_ota` turns `OTA_HotelResNotifRQ` and `OTA_CancelRQ` documents (bare, namespaced, or inside
a SOAP envelope, one or many in a file) into the same `ExportFile` rows as a PMS export, so that
the one planner in guests/importer.py applies the same idempotence, rules and summary.

A reservation of several rooms becomes one reservation per room, ID-1, ID-2... (one room: ID).
Once imported, its rooms keep their numbers, whatever the number of rooms of a later version
(the planner, guests.importer, matches them; this reader only says which rows are one
reservation's rooms, `ExportFile.channel_rooms`):
- a room of the new version that says what a room imported before said (same dates, room type,
  room, guests and wishes) is that room; the others take the remaining numbers in order, the
  booked rooms before the cancelled ones;
- a room more than before is added under the next number: with ID imported, a version of two
  rooms is ID and ID-2; with ID-1 and ID-2, a third room is ID-3;
- a room the new version no longer has is cancelled, counted in `cancelled` with its open
  tasks in `tasks_cancelled` (a done task stays done), and its room nights are freed: with
  ID-1 and ID-2 imported, a version of one room is ID-1 and ID-2 is cancelled. Nothing is
  cancelled when one of the version's rooms was rejected by the checks;
- a cancellation of ID cancels every room; a version older than the one imported changes
  nothing, neither adding nor cancelling a room. Of the versions within one file, the newest
  of the reservation as a whole is read.

What it never reads: payment. `Guarantee`, `DepositPayments`, `PaymentCard` and their card
numbers travel in the same message; no element below them is visited, and a card number or a
security code that a channel typed into a comment is masked before the text goes anywhere.

The XML parser refuses a DTD, entity declarations and external references (defusedxml): a
channel has no use for them, and an attacker has many.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from guests.import_file import CANCELLED, ExportFile, ImportRow, UnreadableFile, header_key

OTA_KIND = "xml"
VERSION = "_version"  # the planner never undoes a newer version with an older one
# A room of a reservation of several rooms (imported as ID-1, ID-2...): the channel's own ID, by
# which a cancellation names them all.
ROOM_OF = "_room_of"
# Where each field comes from, as the preview and the row errors name it.
COLUMNS: dict[str, str] = {
    "confirmation": "UniqueID/@ID",
    "guest_name": "PersonName",
    "arrival": "TimeSpan/@Start",
    "departure": "TimeSpan/@End",
    "eta": "ResGuest/@ArrivalTime",
    "room_type": "RoomType/@RoomTypeCode",
    "room": "RoomType/@RoomID",
    "adults": "GuestCount[@AgeQualifyingCode=10]",
    "children": "GuestCount[@AgeQualifyingCode=8|7]",
    "vip": "Customer/@VIP_Indicator",
    "language": "Customer/@Language",
    "email": "Email",
    "phone": "Telephone/@PhoneNumber",
    "status": "@ResStatus",
    "wishes": "SpecialRequests, Comments, Services",
}
PAYMENT = {"Guarantee", "GuaranteesAccepted", "GuaranteeAccepted", "DepositPayments",
           "PaymentCard", "PaymentForm", "PaymentTransactions", "BankAcct", "Cash"}
ADULT, CHILD, INFANT = "10", "8", "7"
YES = {"yes", "y", "true", "1", "oui", "ja", "si", "sì", "x"}
_CARD = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")
# A card's security code typed into a comment ("CVV 737", "code de sécurité : 123").
_SECURITY_CODE = re.compile(
    r"(?i)\b(cvv2?|cvc2?|cv2|cid|security code|code de s[ée]curit[ée]|cryptogramme|"
    r"pr[üu]fnummer|pr[üu]fziffer|sicherheitscode|c[óo]digo de seguridad|codice di sicurezza)"
    r"(\W{0,3})\d{3,4}(?!\d)")


@dataclass
class OtaReservation:
    """One reservation's latest version in the file, before the planner sees it."""

    number: str
    position: int  # its place among the file's reservations, 1 for the first
    modified: str | None  # UTC ISO time of this version, when the message says it
    cells: dict[str, Any] = field(default_factory=dict)
    cancel_only: bool = False  # an OTA_CancelRQ, or a cancellation without its stay
    request_codes: list[str] = field(default_factory=list)  # SpecialRequest/@RequestCode
    room_of: str | None = None  # the channel's ID, when this is one room of several

    @property
    def channel(self) -> str:
        """The channel's ID of the reservation this is (a room of)."""
        return self.room_of or self.number


def looks_like_xml(data: bytes) -> bool:
    head = data[:200].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<") or head[:4] in (b"\xff\xfe<\x00", b"\xfe\xff\x00<")


def read_ota(data: bytes, name: str = "") -> ExportFile:
    """Every reservation the file holds, each in its latest version; raises UnreadableFile."""
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise UnreadableFile("import.file_xml_unsafe", reason=type(exc).__name__) from exc
    except (ParseError, ValueError) as exc:
        raise UnreadableFile("import.file_xml_malformed", reason=str(exc)[:200]) from exc
    latest: dict[str, list[OtaReservation]] = {}  # the channel's ID -> its rooms
    for version in _versions(root):
        channel = version[0].channel
        if channel in latest and not _newer(version[0], latest[channel][0]):
            continue
        latest[channel] = version
    if not latest:
        raise UnreadableFile("import.file_xml_no_reservations")
    ordered = sorted((r for rooms in latest.values() for r in rooms), key=lambda r: r.position)
    columns = {name_: [header] for name_, header in COLUMNS.items()}
    return ExportFile(
        name=name, sha256=hashlib.sha256(data).hexdigest(), kind=OTA_KIND, encoding=None,
        separator=None, sheet=None, header_row=0, columns=columns, unknown_columns=[],
        rows=[(r.position, {k: [v] if k != "wishes" else v for k, v in r.cells.items()})
              for r in ordered if not r.cancel_only],
        cancellations=[ImportRow(r.position, r.number, {"status": "cancelled"})
                       for r in ordered if r.cancel_only],
        extras={r.number: _extras(r) for r in ordered if _extras(r)},
        channel_rooms={channel: [r.number for r in rooms if not r.cancel_only]
                       for channel, rooms in latest.items()},
    )


def _extras(reservation: OtaReservation) -> dict[str, Any]:
    extras: dict[str, Any] = {}
    if reservation.modified:
        extras[VERSION] = reservation.modified
    if reservation.request_codes:
        extras["_request_codes"] = reservation.request_codes
    if reservation.room_of:
        extras[ROOM_OF] = reservation.room_of
    return extras


def _newer(found: OtaReservation, kept: OtaReservation) -> bool:
    """A later version wins; without times, the later one in the file does."""
    if found.modified and kept.modified and found.modified != kept.modified:
        return found.modified > kept.modified
    return True


def _local(element: Element) -> str:
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def _children(element: Element, name: str) -> Iterator[Element]:
    return (child for child in element if _local(child) == name)


def _child(element: Element | None, *path: str) -> Element | None:
    for name in path:
        if element is None:
            return None
        element = next(_children(element, name), None)
    return element


def _walk(element: Element, name: str) -> Iterator[Element]:
    """Descendants named `name`, never entering payment elements."""
    for child in element:
        local = _local(child)
        if local in PAYMENT:
            continue
        if local == name:
            yield child
        yield from _walk(child, name)


def _text(element: Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _when(value: str | None) -> str | None:
    """An OTA time stamp as UTC ISO text, comparable as text; None if it cannot be read."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _versions(root: Element) -> Iterator[list[OtaReservation]]:
    """Each version of a reservation the file holds: its rooms, or its cancellation alone."""
    position = 0
    messages = [root] if _local(root).startswith("OTA_") else []
    messages += [e for e in root.iter() if e is not root and _local(e).startswith("OTA_")]
    for message in messages:
        kind = _local(message)
        stamp = _when(message.get("TimeStamp"))
        if kind == "OTA_CancelRQ":
            number = _unique_id(message)
            if number:
                position += 1
                yield [OtaReservation(number, position, stamp, cancel_only=True)]
            continue
        if kind not in ("OTA_HotelResNotifRQ", "OTA_HotelResModifyNotifRQ"):
            continue
        for reservation in _walk(message, "HotelReservation"):
            rooms = list(_stays(reservation, message, stamp))
            for found in rooms:
                position += 1
                found.position = position
            if rooms:
                yield rooms


def _unique_id(element: Element) -> str:
    """The reservation's id: UniqueID/@ID, else the first HotelReservationID/@ResID_Value."""
    for unique in _children(element, "UniqueID"):
        if unique.get("ID", "").strip() and unique.get("Type", "14") in ("14", "10", "16"):
            return unique.get("ID", "").strip()
    for ref in _walk(element, "HotelReservationID"):
        if ref.get("ResID_Value", "").strip():
            return ref.get("ResID_Value", "").strip()
    return ""


def _stays(reservation: Element, message: Element, stamp: str | None) -> Iterator[OtaReservation]:
    number = _unique_id(reservation)
    if not number:
        return
    status = reservation.get("ResStatus") or message.get("ResStatus") or ""
    cancelled = header_key(status) in CANCELLED
    modified = (_when(reservation.get("LastModifyDateTime"))
                or _when(reservation.get("CreateDateTime")) or stamp)
    stays = [s for s in _walk(reservation, "RoomStay")]
    if not stays:
        if cancelled:
            yield OtaReservation(number, 0, modified, cancel_only=True)
        return
    guest = _guest(reservation)
    shared_wishes = _wishes(reservation, skip={"RoomStay", "ResGuest"})
    guest_wishes = [w for g in _walk(reservation, "ResGuest") for w in _wishes(g, skip=set())]
    global_span = _child(reservation, "ResGlobalInfo", "TimeSpan")
    for index, stay in enumerate(stays, start=1):
        cells: dict[str, Any] = {"confirmation": number if len(stays) == 1 else f"{number}-{index}"}
        cells.update(guest)
        span = _child(stay, "TimeSpan") if _child(stay, "TimeSpan") is not None else global_span
        if span is not None:
            cells["arrival"] = span.get("Start") or span.get("StartDate")
            cells["departure"] = span.get("End") or span.get("EndDate")
        room_type = next(_walk(stay, "RoomType"), None)
        if room_type is not None:
            cells["room_type"] = room_type.get("RoomTypeCode") or room_type.get("RoomType")
            cells["room"] = room_type.get("RoomID")
        adults = children = 0
        counted = False
        for count in _walk(stay, "GuestCount"):
            counted = True
            how_many = int(count.get("Count", "1") or 1)
            if count.get("AgeQualifyingCode") in (CHILD, INFANT):
                children += how_many
            else:
                adults += how_many
        if counted:
            cells["adults"], cells["children"] = adults, children
        cells["status"] = "cancelled" if cancelled or header_key(
            stay.get("RoomStayStatus", "")) in CANCELLED else "booked"
        said = [*shared_wishes, *guest_wishes, *_wishes(stay, skip=set())]
        cells["wishes"] = [words for words, _ in said]
        codes = sorted({code for _, code in said if code})
        yield OtaReservation(cells["confirmation"], 0, modified, cells, request_codes=codes,
                             room_of=number if len(stays) > 1 else None)


def _guest(reservation: Element) -> dict[str, Any]:
    """The first guest's name, contact, language, VIP mark and arrival time."""
    cells: dict[str, Any] = {}
    resguest = next(_walk(reservation, "ResGuest"), None)
    customer = next(_walk(resguest if resguest is not None else reservation, "Customer"), None)
    if customer is None:
        customer = next(_walk(reservation, "Customer"), None)
    if resguest is not None and resguest.get("ArrivalTime"):
        cells["eta"] = resguest.get("ArrivalTime")
    if customer is None:
        return cells
    person = _child(customer, "PersonName")
    if person is not None:
        given = " ".join(_text(e) for e in _children(person, "GivenName"))
        cells["guest_name"] = " ".join(p for p in (given, _text(_child(person, "Surname"))) if p)
    email = _child(customer, "Email")
    if email is not None:
        cells["email"] = _text(email)
    phone = _child(customer, "Telephone")
    if phone is not None:
        cells["phone"] = phone.get("PhoneNumber")
    if customer.get("Language"):
        cells["language"] = customer.get("Language")
    if customer.get("VIP_Indicator"):
        cells["vip"] = "1" if customer.get("VIP_Indicator", "").lower() in YES else "0"
    return cells


def _wishes(element: Element, skip: set[str]) -> list[tuple[str, str]]:
    """The guest's words held under `element` (requests, comments, paid extras), each with the
    channel's RequestCode where it gives one."""
    words: list[tuple[str, str]] = []
    for child in element:
        local = _local(child)
        if local in PAYMENT or local in skip:
            continue
        if local == "SpecialRequests":
            words += [(w, (r.get("RequestCode") or "").strip())
                      for r in _children(child, "SpecialRequest") if (w := _special(r))]
        elif local == "Comments":
            words += [(w, "") for c in _children(child, "Comment") if (w := _masked(_text(c)))]
        elif local == "Services":
            words += [(w, "") for s in _children(child, "Service") if (w := _service(s))]
        elif local in ("ResGlobalInfo", "RoomStays", "ResGuests"):
            words += _wishes(child, skip)
    return words


def _special(request: Element) -> str:
    """ "Extra bed": "Yes" means an extra bed; a Text of its own is the guest's words."""
    name = (request.get("Name") or "").strip()
    text = " ".join(_text(e) for e in _children(request, "Text")) or _text(request)
    if not text or text.casefold() in YES:
        return _masked(name)
    if name and name.casefold() not in text.casefold():
        return _masked(f"{name}: {text}")
    return _masked(text)


def _service(service: Element) -> str:
    """A paid extra, by the name its description gives it ("Car Park", "Extra Bathrobe")."""
    parts = []
    for description in _walk(service, "ServiceDescription"):
        parts += [description.get("Name", "").strip(), _text(description)]
    if not any(parts):
        parts = [service.get("ServiceDescription", ""), service.get("Name", "")]
    return _masked(" ".join(dict.fromkeys(p for p in parts if p)))


def _masked(text: str) -> str:
    """A card number typed into free text never leaves the reader."""
    text = _CARD.sub(lambda m: "[…]" if _luhn(m.group()) else m.group(), text)
    return _SECURITY_CODE.sub(r"\1\2[…]", text).strip()


def _luhn(candidate: str) -> bool:
    digits = [int(c) for c in candidate if c.isdigit()]
    total = 0
    for i, digit in enumerate(reversed(digits)):
        if i % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return len(digits) >= 13 and total % 10 == 0
