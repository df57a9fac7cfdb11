"""The demo hotel: what a new install shows until the hotel enters its own data.

Arrivals are for today and the next two days at the property, so the demo is always live; the
wishes are written as guests write them, in the five languages the parser reads. A few guests
are already in the house (two leave today, two stay over) and one room is out of order, so that
the boards show a whole day: departures to check out, stay-overs and arrivals.
"""

from __future__ import annotations

import secrets
from datetime import date, time, timedelta
from functools import lru_cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import events
from core.audit import Who
from core.auth import system_actor
from core.clock import local_to_utc, now, today
from core.models import Property, Staff
from core.shifts import WEEKDAYS, set_floor_sections, set_usual_shifts
from core.staff import create_staff
from guests.properties import create_property, database_is_empty
from guests.reservations import ReservationInput, save_reservation
from guests.rooms import add_room

DEMO_CODE = "DEMO"
DEMO_ACCOUNTS = (
    # role, login, password, name, department, language
    ("front_desk", "reception", "demo-reception", "Camille Martin", "front_desk", "fr"),
    ("housekeeping", "housekeeping", "demo-housekeeping", "Ana Souza", "housekeeping", "fr"),
    ("reservations", "reservations", "demo-reservations", "Lucas Bernard", None, "fr"),
    ("manager", "manager", "demo-manager", "Sophie Laurent", None, "en"),
)

# The rest of the team, so that every department has people to own its tasks. They have no
# demo password on the login page: a manager may give them one.
# (name, role, department, language, usual shifts)
DEMO_TEAM = (
    ("Inès Moreau", "front_desk", "front_desk", "fr", ("afternoon",)),
    ("Julien Petit", "front_desk", "front_desk", "fr", ("night",)),
    ("Fatou Diallo", "housekeeping", "housekeeping", "fr", ("morning",)),
    ("Marco Rossi", "housekeeping", "housekeeping", "en", ("afternoon",)),
    ("Thomas Girard", "front_desk", "food_beverage", "fr", ("morning",)),
    ("Léa Fontaine", "front_desk", "food_beverage", "fr", ("afternoon",)),
    ("Nadia Benali", "front_desk", "concierge", "fr", ("morning",)),
    ("Hugo Lefèvre", "front_desk", "concierge", "en", ("afternoon",)),
    ("Pierre Roux", "housekeeping", "maintenance", "fr", ("morning",)),
)
# The demo sign-in accounts have no roster line: taken as always on duty, whoever tries the demo
# at whatever hour finds reception with a briefing to sign and housekeeping with its floors.
DEMO_SHIFTS: dict[str, tuple[str, ...]] = {}  # by login
# Housekeeping's sections: floor -> attendant (by name).
DEMO_SECTIONS = {
    1: "Ana Souza",
    2: "Ana Souza",
    3: "Fatou Diallo",
    4: "Fatou Diallo",
    5: "Marco Rossi",
}
# Rooms the front desk gives on the day to today's guests booked without one, once they are near.
ROOMS_GIVEN_ON_THE_DAY = {"Lucía Fernández": "103", "Νίκος Παπαδόπουλος": "109"}
# The story of the day so far: whatever a guest expected within this margin needs is ready.
READY_AHEAD = timedelta(minutes=90)

ROOM_TYPES = {  # position on the floor -> (type, features)
    1: ("Classique double", ["double", "quiet"]),
    2: ("Classique double", ["double", "quiet"]),
    3: ("Twin", ["twin", "quiet"]),
    4: ("Twin", ["twin"]),
    5: ("Classique double", ["double"]),
    6: ("Classique double", ["double"]),
    7: ("Supérieure vue jardin", ["double", "view"]),
    8: ("Supérieure vue jardin", ["double", "view", "bathtub"]),
    9: ("Familiale", ["double", "bathtub"]),
    10: ("Junior suite", ["double", "view", "bathtub", "quiet"]),
    11: ("Accessible", ["double", "accessible"]),
    12: ("Twin", ["twin", "view"]),
}

# Housekeeping's morning so far for the rooms of today's arrivals; every other room is inspected.
TODAYS_ROOMS = {
    "104": "clean",
    "510": "dirty",
    "211": "clean",
    "307": "inspected",
    "402": "dirty",
    "105": "clean",
    "112": "inspected",
    "303": "inspected",
    "409": "dirty",
    "201": "inspected",
}

# Guests already in the house, checked in on their arrival day at CHECKED_IN_AT:
# (days since arrival, name, language, room, nights, wish text)
IN_HOUSE = (
    (2, "Paul Lambert", "fr", "107", 2, ""),
    (3, "Emma Collins", "en", "204", 3, "Late check-out around 13:00 if possible, thank you!"),
    (1, "Lea Hoffmann", "de", "302", 3, "Bitte zusätzliche Handtücher."),
    (2, "Matteo Conti", "it", "405", 3, ""),
)
CHECKED_IN_AT = time(16, 0)
OUT_OF_ORDER = "512"  # its shower is being repaired

# (day offset, name, language, eta, room, adults, children, vip, nights, wish text)
ARRIVALS = (
    (
        0,
        "Marie Dubois",
        "fr",
        None,
        "104",
        2,
        1,
        0,
        3,
        "Bonjour, nous voyageons avec notre bébé de 8 mois, serait-il possible d'avoir un lit "
        "bébé ? Nous arriverons vers 23h. Merci beaucoup !",
    ),
    (
        0,
        "James Whitfield",
        "en",
        time(14, 0),
        "510",
        2,
        0,
        2,
        2,
        "It's our 10th wedding anniversary - could you arrange a bottle of champagne in the "
        "room? Quiet room please, away from the lift.",
    ),
    (
        0,
        "Hannah Schmidt",
        "de",
        None,
        "211",
        1,
        0,
        0,
        4,
        "Ich bin Rollstuhlfahrerin, bitte ein barrierefreies Zimmer. Allergie gegen Federn - "
        "bitte keine Daunenkissen.",
    ),
    (
        0,
        "Lucía Fernández",
        "es",
        time(12, 30),
        None,
        2,
        0,
        0,
        2,
        "Llegamos temprano, sobre las 12:30, ¿sería posible hacer el check-in antes? Dos camas "
        "separadas por favor.",
    ),
    (
        0,
        "Giulia Romano",
        "it",
        None,
        "307",
        2,
        0,
        0,
        3,
        "Sono celiaca, per la colazione senza glutine grazie. Camera con vista se possibile.",
    ),
    (
        0,
        "Łukasz Wróbel",
        "en",
        time(21, 30),
        "402",
        1,
        0,
        0,
        1,
        "Arriving late, around 9.30pm. Need a parking space for my car. Wake-up call at 6:30 "
        "please.",
    ),
    (
        0,
        "Zoë Van den Berg",
        "en",
        None,
        "105",
        2,
        2,
        0,
        5,
        "Travelling with 2 kids - an extra bed for our son please, and connecting rooms if "
        "possible. We have a small dog.",
    ),
    (
        0,
        "Şükrü Yılmaz",
        "en",
        time(16, 0),
        "112",
        2,
        0,
        1,
        2,
        "Non-smoking room, extra pillows. Airport pick-up from CDG please, flight TK1823.",
    ),
    (
        0,
        "Νίκος Παπαδόπουλος",
        "en",
        None,
        None,
        2,
        0,
        0,
        3,
        "Honeymoon! Flowers in the room would be lovely. Late check-out on departure day?",
    ),
    (
        0,
        "Анна Иванова",
        "en",
        time(18, 0),
        "303",
        1,
        0,
        0,
        2,
        "Vegetarian. I need a fridge in the room for my medication, please.",
    ),
    (
        0,
        "山田 太郎",
        "en",
        None,
        "409",
        2,
        0,
        0,
        2,
        "Please reserve a table at your restaurant for 2 at 20:00 on arrival day.",
    ),
    (0, "Thomas Leroy", "fr", None, "201", 1, 0, 0, 1, ""),
    (
        1,
        "Claire Fontaine",
        "fr",
        time(10, 0),
        None,
        2,
        0,
        1,
        2,
        "Anniversaire de mariage, une bouteille de champagne serait parfaite. Arrivée vers 10h, "
        "chambre dès que possible svp.",
    ),
    (
        1,
        "Peter Müller",
        "de",
        None,
        "108",
        2,
        0,
        0,
        3,
        "Bitte Zimmer mit Badewanne, ruhiges Zimmer zum Innenhof. Wir kommen gegen 18 Uhr.",
    ),
    (
        1,
        "Carmen López",
        "es",
        None,
        "203",
        2,
        1,
        0,
        2,
        "Viajamos con un bebé, necesitamos una cuna. Llegada a las 23:30 aprox. Gracias.",
    ),
    (
        1,
        "Marco Bianchi",
        "it",
        time(15, 0),
        "404",
        2,
        0,
        0,
        4,
        "Vorremmo un piano alto e letto matrimoniale. Parcheggio in garage per favore.",
    ),
    (
        1,
        "Sarah O'Connor",
        "en",
        None,
        "111",
        1,
        0,
        0,
        2,
        "Severe nut allergy - please inform the restaurant. Feather-free pillows too.",
    ),
    (
        1,
        "Jean-Pierre Morel",
        "fr",
        None,
        "102",
        2,
        0,
        0,
        1,
        "Lit double ou deux lits, peu importe. Pas besoin de parking, nous venons en train.",
    ),
    (
        1,
        "Emma Johansson",
        "en",
        time(13, 0),
        None,
        2,
        0,
        0,
        3,
        "Early check-in if at all possible, we land at 11am. Extra towels please.",
    ),
    (
        1,
        "Klaus Weber",
        "de",
        None,
        "305",
        1,
        0,
        0,
        2,
        "Kein Babybett nötig. Ankunft ca. 22 Uhr, bitte Zimmer nicht freigeben.",
    ),
    (
        2,
        "Isabelle Garnier",
        "fr",
        None,
        "110",
        2,
        0,
        2,
        3,
        "Demande en mariage prévue ! Des fleurs et une bouteille de champagne en chambre svp, "
        "chambre avec vue.",
    ),
    (
        2,
        "Antonio García",
        "es",
        None,
        "206",
        2,
        2,
        0,
        2,
        "Necesitamos una cama supletoria y una habitación tranquila. Traslado desde el aeropuerto.",
    ),
    (
        2,
        "Francesca Ricci",
        "it",
        time(19, 0),
        "301",
        1,
        0,
        0,
        2,
        "Vegana. Sveglia alle 7:00 per favore.",
    ),
    (
        2,
        "Oliver Brown",
        "en",
        None,
        "501",
        2,
        0,
        0,
        2,
        "Ground floor room please, my father can't manage stairs. Low floor or lift access.",
    ),
    (
        2,
        "Lena Fischer",
        "de",
        None,
        None,
        2,
        1,
        0,
        3,
        "Zwei Einzelbetten bitte, und ein Kinderbett. Wir reisen mit Hund.",
    ),
    (
        2,
        "Paul Durand",
        "fr",
        None,
        "106",
        2,
        0,
        0,
        1,
        "Pouvez-vous nous conseiller un bon restaurant près de l'hôtel ? Merci d'avance.",
    ),
)


def seed_demo(session: Session) -> Property | None:
    """Seeds the demo hotel into an empty database; does nothing otherwise."""
    if not database_is_empty(session):
        return None
    system = system_actor(None, "demo")
    hotel = create_property(
        session,
        system,
        code=DEMO_CODE,
        name="Hôtel des Tilleuls",
        timezone="Europe/Paris",
        is_demo=True,
    )
    system = system_actor(hotel.id, "demo")
    first_day = today(hotel.timezone)
    ready = _expected_soon(hotel, first_day)
    for floor in range(1, 6):
        for position, (room_type, features) in ROOM_TYPES.items():
            if position == 11 and floor > 2:
                room_type, features = "Classique double", ["double"]
            number = f"{floor}{position:02d}"
            state = "inspected" if number in ready.values() else TODAYS_ROOMS.get(number)
            state = "out_of_order" if number == OUT_OF_ORDER else state
            add_room(
                session,
                system,
                hotel.id,
                number,
                room_type=room_type,
                floor=floor,
                features=features,
                connecting_to={"105": "106", "106": "105"}.get(number),
                housekeeping_status=state or "inspected",
            )
    _seed_team(session, system, hotel)
    for number, row in enumerate(ARRIVALS, start=1):
        offset, name, language, eta, room, adults, children, vip, nights, wishes = row
        room = room or (ready.get(name) if offset == 0 else None)
        save_reservation(
            session,
            system,
            hotel.id,
            _booking(
                number,
                first_day + timedelta(days=offset),
                nights,
                guest_name=name,
                language=language,
                eta=eta,
                room_number=room,
                adults=adults,
                children=children,
                vip_level=vip,
                wish_text=wishes,
            ),
        )
    _seed_in_house(session, system, hotel, first_day, start=len(ARRIVALS) + 1)
    # The domains above tell the day so far (requests/: the work already due is done).
    events.publish(events.DEMO_SEEDED, session, property_id=hotel.id, ready_by=now() + READY_AHEAD)
    return hotel


def _seed_in_house(
    session: Session, system: Who, hotel: Property, first_day: date, start: int
) -> None:
    """The guests of IN_HOUSE, booked and checked in on their arrival day, as the front desk
    did then (the story of the days before the demo, so it is not audited as a check-in now)."""
    for number, (since, name, language, room, nights, wishes) in enumerate(IN_HOUSE, start):
        arrival = first_day - timedelta(days=since)
        saved = save_reservation(
            session,
            system,
            hotel.id,
            _booking(
                number,
                arrival,
                nights,
                guest_name=name,
                language=language,
                room_number=room,
                wish_text=wishes,
            ),
        )
        saved.reservation.status = "checked_in"
        saved.reservation.checked_in_at = local_to_utc(arrival, CHECKED_IN_AT, hotel.timezone)


def _booking(number: int, arrival: date, nights: int, **values: Any) -> ReservationInput:
    """The demo's reservation `number` (its confirmation number says the day it arrives)."""
    return ReservationInput(
        confirmation_number=f"DM{arrival:%m%d}{number:03d}",
        arrival_date=arrival,
        departure_date=arrival + timedelta(days=nights),
        source="demo",
        **values,
    )


def _expected_soon(hotel: Property, first_day: date) -> dict[str, str]:
    """Today's guests expected before now + READY_AHEAD, by name, with their room: the front
    desk gave a room to those booked without one, and housekeeping made those rooms ready."""
    rooms = {}
    for offset, name, _, eta, room, *_ in ARRIVALS:
        if offset != 0:
            continue
        at = min(eta, hotel.check_in_time) if eta and eta >= time(6, 0) else hotel.check_in_time
        if local_to_utc(first_day, at, hotel.timezone) <= now() + READY_AHEAD:
            rooms[name] = room or ROOMS_GIVEN_ON_THE_DAY[name]
    return rooms


def _seed_team(session: Session, system: Who, hotel: Property) -> None:
    """The demo's staff in every department, their usual shifts and housekeeping's sections."""
    people: dict[str, Staff] = {}
    for role, login, password, name, department, language in DEMO_ACCOUNTS:
        people[name] = create_staff(
            session,
            system,
            name=name,
            login=login,
            password=password,
            roles=[role],
            department=department,
            language=language,
            property_id=hotel.id,
        )
        for shift in DEMO_SHIFTS.get(login, ()):
            set_usual_shifts(session, system, people[name].id, [(shift, d) for d in WEEKDAYS])
    for name, role, department, language, worked in DEMO_TEAM:
        login = "demo-" + name.split()[0].lower().replace("è", "e").replace("é", "e")
        people[name] = create_staff(
            session,
            system,
            name=name,
            login=login,
            password=secrets.token_urlsafe(18),
            roles=[role],
            department=department,
            language=language,
            property_id=hotel.id,
        )
        set_usual_shifts(
            session, system, people[name].id, [(s, d) for s in worked for d in WEEKDAYS]
        )
    set_floor_sections(
        session, system, hotel.id, {floor: people[name].id for floor, name in DEMO_SECTIONS.items()}
    )


_hasher = PasswordHasher()


@lru_cache(maxsize=64)
def _still_demo_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def demo_logins(session: Session) -> list[tuple[str, str, str]]:
    """Demo accounts to show on the login page: only while the demo hotel is active, and only
    those whose password is still the demo one."""
    if session.scalar(select(Property.id).where(Property.is_demo.is_(True))) is None:
        return []
    shown = []
    for role, login, password, *_ in DEMO_ACCOUNTS:
        staff = session.scalar(select(Staff).where(Staff.login == login, Staff.active.is_(True)))
        if staff is not None and _still_demo_password(staff.password_hash, password):
            shown.append((role, login, password))
    return shown
