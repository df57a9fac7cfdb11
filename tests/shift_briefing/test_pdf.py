"""The printed briefing and room checklist: every name in every script, every wish, readable.

Pure: the briefing and checklists are built as dataclasses, no database. The assertions read
the text pypdf extracts from the PDF, the way a search or a screen reader would.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from pypdf import PdfReader

from shift_briefing.board import BoardRoom, HousekeepingBoard, Stay
from shift_briefing.briefing import Briefing, BriefingGuest, WishLine, short
from shift_briefing.pdf import briefing_pdf, checklist_pdf
from shift_briefing.readiness import ChecklistItem, RoomChecklist
from shift_briefing.signing import Signature

ZONE = "Europe/Paris"
DAY = date(2025, 3, 14)  # winter time: Paris is UTC+1
VERSION = "c0ffee12deadbeef"
MADE_AT = datetime(2025, 3, 14, 5, 45, tzinfo=UTC)  # 06:45 in Paris
DUE = datetime(2025, 3, 14, 13, 0, tzinfo=UTC)  # 14:00 in Paris
NAMES = (
    "Łukasz Wróbel",
    "Zoë Van den Berg",
    "Şükrü Yılmaz",
    "Νίκος Παπαδόπουλος",
    "Анна Иванова",
    "山田 太郎",
    "王小明",
)
CJK_NAMES = ("山田 太郎", "王小明")
LONG_TEXT = " ".join(f"word{i:04d}" for i in range(600))[:5000]
MARKUP_TEXT = "Cot please <b>not</b> near the window & <script>alert('x')</script>"
FILLERS = 45  # enough arrivals for three pages and more


def wish(
    task_id: int,
    label: str,
    status: str = "open",
    *,
    detail: str | None = None,
    overdue: bool = False,
    reason: str | None = None,
    quantity: int | None = None,
    at_time: str | None = None,
) -> WishLine:
    return WishLine(
        task_id=task_id,
        kind="wish",
        code=label.lower().replace(" ", "_"),
        label=label,
        status=status,
        due_at=DUE,
        overdue=overdue,
        reason=reason,
        quantity=quantity,
        at_time=at_time,
        sensitive=False,
        detail=detail,
    )


def item(key: str, label: str, done: bool) -> ChecklistItem:
    return ChecklistItem(key=key, label_fr=f"{label} (fr)", label_en=label, done=done)


def room_checklist(
    number: int,
    guest_name: str,
    room: str | None,
    floor: int | None,
    items: tuple[ChecklistItem, ...],
) -> RoomChecklist:
    return RoomChecklist(
        reservation_id=number,
        confirmation_number=f"CONF{number:04d}",
        guest_name=guest_name,
        expected_at=time(15, 0),
        room_id=number if room else None,
        room_number=room,
        floor=floor,
        housekeeping_status="clean" if room else None,
        items=items,
    )


def guest(
    number: int,
    name: str,
    wishes: tuple[WishLine, ...],
    *,
    room: str | None = None,
    vip: int = 0,
    readiness: RoomChecklist | None = None,
    flags: tuple[str, ...] = (),
    returning: bool = False,
) -> BriefingGuest:
    return BriefingGuest(
        reservation_id=number,
        confirmation_number=f"CONF{number:04d}",
        guest_name=name,
        vip_level=vip,
        returning=returning,
        remembered=("Extra pillows",) if returning else (),
        arrival_date=DAY,
        expected_at=time(7 + number % 8, 30),
        eta_given=number % 2 == 0,
        room_number=room,
        nights=3,
        adults=2,
        children=1,
        status="booked",
        wish_text="",
        wishes=wishes,
        room_flags=flags,
        readiness=readiness,
    )


NOT_READY = room_checklist(
    1,
    NAMES[0],
    "101",
    1,
    (item("cleaned", "Room cleaned", False), item("task:1", "Cot installed", False)),
)
READY = room_checklist(
    2,
    NAMES[1],
    "102",
    1,
    (item("cleaned", "Room cleaned", True), item("inspected", "Room inspected", True)),
)

NAMED_GUESTS = (
    guest(
        1,
        NAMES[0],
        (wish(1, "Cot in the room", detail=MARKUP_TEXT),),
        room="101",
        readiness=NOT_READY,
        flags=("Twin beds", "Bathtub"),
    ),
    guest(
        2,
        NAMES[1],
        (wish(2, "Feather-free bedding", "done", detail=LONG_TEXT),),
        room="102",
        vip=3,
        readiness=READY,
        returning=True,
    ),
    guest(3, NAMES[2], (wish(3, "Late check-out", "not_possible", reason="Fully booked"),)),
    guest(4, NAMES[3], (wish(4, "Champagne on arrival", overdue=True),), room="305"),
    guest(
        5,
        NAMES[4],
        (wish(5, "Airport shuttle", "in_progress", at_time="16:30", detail="Рейс SU 2454"),),
    ),
    guest(
        6, NAMES[5], (wish(6, "Wake-up call", at_time="06:30", detail="静かな部屋をお願いします"),)
    ),
    guest(7, NAMES[6], (wish(7, "Extra pillows", quantity=3, detail="请给我两个枕头"),)),
)
FILLER_GUESTS = tuple(
    guest(
        100 + n,
        f"Filler Guest {n:02d}",
        (wish(100 + n, "Extra towels", detail="Two more bath towels please. " * 6),),
        room=str(200 + n),
    )
    for n in range(FILLERS)
)
IN_HOUSE = (
    replace(  # checked in the evening before: in house, never "arrived" before she has
        guest(900, "Marta Nowak", (wish(900, "Daily newspaper", at_time="07:00"),), room="404"),
        arrival_date=DAY - timedelta(days=1),
        status="checked_in",
        checked_in_at=datetime(2025, 3, 13, 18, 5, tzinfo=UTC),
    ),
)
LABELS = (
    "Cot in the room",
    "Feather-free bedding",
    "Late check-out",
    "Champagne on arrival",
    "Airport shuttle",
    "Wake-up call",
    "Extra pillows",
    "Extra towels",
    "Daily newspaper",
)


def make_briefing(
    arrivals: tuple[BriefingGuest, ...] = NAMED_GUESTS + FILLER_GUESTS,
    in_house: tuple[BriefingGuest, ...] = IN_HOUSE,
) -> Briefing:
    return Briefing(
        property_id=1,
        hotel_name="Hôtel Test",
        timezone=ZONE,
        day=DAY,
        shift="morning",
        starts=datetime(2025, 3, 14, 6, 0, tzinfo=UTC),
        ends=datetime(2025, 3, 14, 14, 0, tzinfo=UTC),
        version=VERSION,
        made_at=MADE_AT,
        arrivals=arrivals,
        in_house=in_house,
        content={},
    )


SIGNED = (
    Signature(1, "Alice Front", VERSION, datetime(2025, 3, 14, 7, 2, tzinfo=UTC), True),
    Signature(2, "Bob Earlier", "0123456789abcdef", datetime(2025, 3, 14, 6, 1, tzinfo=UTC), False),
)


def pages_of(pdf: bytes) -> list[str]:
    """Each page's extracted text with whitespace folded (wrapped lines join with a space)."""
    assert pdf.startswith(b"%PDF")
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def english() -> list[str]:
    return pages_of(briefing_pdf(make_briefing(), SIGNED, "en"))


def test_every_name_in_every_script_and_every_wish_label_is_extractable(
    english: list[str],
) -> None:
    text = " ".join(english)
    for name in (*NAMES, "Marta Nowak"):
        assert name in text
    for n in range(FILLERS):
        assert f"Filler Guest {n:02d}" in text
    for label in LABELS:
        assert label in text
    for words in ("Рейс SU 2454", "静かな部屋をお願いします", "请给我两个枕头"):
        assert words in text


def test_chinese_and_japanese_are_drawn_in_the_embedded_cjk_font() -> None:
    pdf = briefing_pdf(make_briefing(NAMED_GUESTS, ()), [], "en")
    drawn: dict[str, str] = {}

    def collect(text: str, _cm: object, _tm: object, font: dict | None, _size: float) -> None:
        if font is not None:
            base = str(font.get("/BaseFont", ""))
            drawn[base] = drawn.get(base, "") + text

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=collect)
    cjk = "".join(text for base, text in drawn.items() if base.endswith("+DroidSansFallback"))
    dejavu = "".join(text for base, text in drawn.items() if "+DejaVuSans" in base)
    for name in CJK_NAMES:
        for part in name.split():
            assert part in cjk
    assert "Łukasz Wróbel" in dejavu and "Νίκος Παπαδόπουλος" in dejavu
    assert "Łukasz" not in cjk


def test_every_page_has_the_header_and_page_x_of_y(english: list[str]) -> None:
    total = len(english)
    assert total >= 3
    for number, text in enumerate(english, start=1):
        assert text.startswith("Hôtel Test — Shift briefing")
        assert "14/03/2025 · Morning shift · version c0ffee12 · made at 06:45" in text
        assert f"page {number} of {total}" in text
    assert VERSION not in " ".join(english)  # the short form only


def test_the_table_header_repeats_on_the_next_pages(english: list[str]) -> None:
    for text in english[:2]:
        assert "Time Guest Room Stay Wishes" in text
    assert english[1].index("Time Guest Room Stay Wishes") < english[1].index("Filler Guest")


def test_a_very_long_wish_is_cut_with_the_continued_in_the_app_mark(english: list[str]) -> None:
    text = " ".join(english)
    assert len(LONG_TEXT) == 5000
    printed, cut = short(LONG_TEXT)
    assert cut
    last_printed = printed.split()[-1]
    first_not_printed = LONG_TEXT.split()[len(printed.split())]
    assert "“word0000 word0001 word0002" in text
    assert f"{last_printed}” [continued in the app]" in text
    assert first_not_printed not in text
    assert "word0555" not in text
    assert text.count("[continued in the app]") == 1


def test_wishes_print_quantity_time_and_status_with_local_deadlines(english: list[str]) -> None:
    text = " ".join(english)
    assert "Cot in the room — Open, due 14/03, 14:00" in text
    assert "Feather-free bedding — Done" in text
    assert "Late check-out — Not possible: Fully booked" in text
    assert "Champagne on arrival — OVERDUE since 14/03, 14:00" in text
    assert "Airport shuttle at 16:30 — In progress, due 14/03, 14:00" in text
    assert "Extra pillows ×3 — Open, due 14/03, 14:00" in text


def test_guest_details_show_vip_room_readiness_and_flags(english: list[str]) -> None:
    first = english[0]
    assert "Zoë Van den Berg ★★★" in first
    assert "returning guest" in first and "remembered: Extra pillows" in first
    assert "not ready: Room cleaned, Cot installed" in first
    assert "⚠ check room: Twin beds, Bathtub" in first
    assert re.search(r"\b102 ready\b", first)
    assert "not assigned" in first
    assert "3 nights 2 ad. + 1 ch." in first


def test_guest_text_prints_as_text_and_never_as_markup(english: list[str]) -> None:
    assert f"“{MARKUP_TEXT}”" in " ".join(english)


def test_guests_in_house_follow_the_arrivals_in_their_own_section(english: list[str]) -> None:
    text = " ".join(english)
    section = text.index("Guests in house: wishes due during the shift")
    assert text.index(f"Filler Guest {FILLERS - 1:02d}") < section
    assert section < text.index("Marta Nowak") < text.index("Daily newspaper at 07:00")
    assert "checked in 13/03, 19:05" in text[section:]  # the hotel's time (UTC+1)
    (page,) = [page for page in english if "Guests in house" in page]
    assert "Marta Nowak" in page  # the heading is never left alone at the foot of a page


def test_signatures_of_this_version_then_empty_lines_to_sign_by_hand(english: list[str]) -> None:
    last = english[-1]
    assert "Signed (this version) ✓ Alice Front, signed 14/03, 08:02" in last
    assert "Bob Earlier" not in " ".join(english)  # he signed an older version
    assert last.index("Alice Front") < last.index("Sign by hand")
    assert last.count("Name Signature Time") == 6


def test_an_empty_shift_still_prints_header_and_signature_lines() -> None:
    (page,) = pages_of(briefing_pdf(make_briefing((), ()), [], "en"))
    assert "No arrival during this shift." in page
    assert "No guest in house has a wish due during this shift." in page
    assert "Nobody has signed this version yet." in page
    assert page.count("Name Signature Time") == 6
    assert "page 1 of 1" in page


def test_the_briefing_prints_in_french() -> None:
    pages = pages_of(briefing_pdf(make_briefing(), SIGNED, "fr"))
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        assert "14/03/2025 · Service du matin · version c0ffee12 · établi à 06:45" in text
        assert f"page {number} sur {total}" in text
    text = " ".join(pages)
    assert "Heure Client Chambre Séjour Souhaits" in pages[1]
    assert "[suite dans l'application]" in text
    assert "Late check-out — Impossible : Fully booked" in text
    assert "Alice Front, signé le 14/03 08:02" in text
    assert text.count("Nom Signature Heure") == 6


def test_a_guest_with_more_wishes_than_a_page_holds_continues_below() -> None:
    many = tuple(
        wish(1000 + n, f"Wish number {n:02d}", detail=f"detail{n:02d} " + "blah " * 115)
        for n in range(40)
    )
    pages = pages_of(briefing_pdf(make_briefing((guest(1, NAMES[0], many),), ()), [], "en"))
    text = " ".join(pages)
    assert len(pages) >= 3
    for n in range(40):
        assert f"Wish number {n:02d}" in text
    assert f"{NAMES[0]} (continued)" in text


def test_huge_and_hostile_guest_text_never_breaks_the_layout() -> None:
    hostile = guest(
        1,
        "Z" * 3000 + " <para>&amp; 😀",
        (
            wish(1, "<i>label</i> & " + "L" * 2000, detail="王" * 5000),
            wish(2, "Bell\x00\x07 <br/>", reason="x" * 5000, status="not_possible"),
        ),
        room="<b>1</b>" * 50,
        flags=tuple(f"flag{n}" for n in range(200)),
    )
    pages = pages_of(briefing_pdf(make_briefing((hostile,), ()), [], "en"))
    text = "".join(pages).replace(" ", "")
    assert "[continuedintheapp]" in text
    assert "王" * 100 in text and "王" * 700 not in text
    assert "Z" * 3000 not in text  # names are capped


# The room checklist ---------------------------------------------------------------------------


def stay(number: int, name: str, fact: str, at: time) -> Stay:
    return Stay(number, f"CONF{number:04d}", name, fact, at, checked_in=fact != "arrival")


def wish_item(key: str, label: str, done: bool) -> ChecklistItem:
    return ChecklistItem(
        key=key, label_fr=f"{label} (fr)", label_en=label, done=done, task_id=int(key[5:])
    )


def board_room(
    number: str,
    floor: int,
    status: str,
    stays: tuple[Stay, ...],
    wishes: tuple[ChecklistItem, ...] = (),
) -> BoardRoom:
    standard = (
        item("cleaned", "Room cleaned", status in ("clean", "inspected")),
        item("inspected", "Room inspected", status == "inspected"),
    )
    arrivals = tuple(
        room_checklist(s.reservation_id, s.guest_name, number, floor, standard + wishes)
        for s in stays
        if s.fact in ("arrival", "arrived")
    )
    return BoardRoom(int(number), number, floor, status, 1, stays, standard, arrivals)


EVENING = time(11, 0)
BOARD = HousekeepingBoard(
    day=DAY,
    rooms=(
        board_room(
            "101",
            1,
            "dirty",
            (stay(1, NAMES[0], "arrival", time(15, 0)),),
            (wish_item("task:7", "Cot installed", False),),
        ),
        board_room(  # one room, two facts: a guest leaves and another comes
            "102",
            1,
            "dirty",
            (stay(2, NAMES[1], "due_out", EVENING), stay(3, NAMES[2], "arrival", time(16, 0))),
        ),
        board_room(
            "204",
            2,
            "clean",
            (stay(4, NAMES[3], "arrival", time(15, 0)),),
            (wish_item("task:8", "Champagne placed", False),),
        ),
        board_room(
            "210",
            2,
            "inspected",
            (stay(5, NAMES[4], "arrival", time(15, 0)),),
            (wish_item("task:9", "Feather-free bedding", True),),
        ),
        board_room("305", 3, "clean", (stay(6, NAMES[5], "stay_over", EVENING),)),
        board_room("306", 3, "out_of_order", ()),
    ),
    unassigned=(
        room_checklist(7, NAMES[6], None, None, (wish_item("task:11", "Extra pillows", False),)),
    ),
)
ROOMS_BY_FLOOR = {1: ("101", "102"), 2: ("204", "210"), 3: ("305", "306")}


def test_the_floor_sheet_holds_every_room_its_state_stays_and_boxes() -> None:
    pages = pages_of(checklist_pdf("Hôtel Test", BOARD, "en"))
    text = " ".join(pages)
    for rooms in ROOMS_BY_FLOOR.values():
        for room in rooms:
            assert len(re.findall(rf"\b{room}\b", text)) == 1  # each room once
    for name in NAMES:
        assert name in text
    for room in BOARD.rooms:
        for entry in (*room.standard, *(i for _r, i in room.wish_items)):
            box = "☑" if entry.done else "☐"
            assert f"{box} {entry.label_en}" in text
    assert "☐ Extra pillows" in text
    for words in ("Vacant dirty", "Vacant clean", "Inspected · Ready", "Out of order"):
        assert words in text
    assert f"Due out 11:00 · {NAMES[1]}" in text and f"Arrival 16:00 · {NAMES[2]}" in text
    assert f"Stay-over 11:00 · {NAMES[5]}" in text
    assert "☐ to tick · ☑ done when this sheet was printed" in text  # the symbols explained
    for heading in ("Floor 1", "Floor 2", "Floor 3", "Rooms not assigned yet"):
        assert heading in text
    assert all(page.startswith("Hôtel Test — Room checklist 14/03/2025") for page in pages)


def test_each_floor_starts_a_new_page_and_unassigned_rooms_come_last() -> None:
    pages = pages_of(checklist_pdf("Hôtel Test", BOARD, "en"))
    headings = ("Floor 1", "Floor 2", "Floor 3", "Rooms not assigned yet")
    assert len(pages) == 4
    for page, heading in zip(pages, headings, strict=True):
        assert heading in page
        assert [h for h in headings if h in page] == [heading]
    assert NAMES[6] in pages[3]
    assert pages[0].index("101") < pages[0].index("102")
    assert "page 4 of 4" in pages[3]


def test_the_checklist_for_one_floor_prints_only_that_floor() -> None:
    (page,) = pages_of(checklist_pdf("Hôtel Test", BOARD, "fr", floor=2))
    assert "Étage 2" in page
    assert "Étage 1" not in page and "Étage 3" not in page
    assert "Chambres pas encore attribuées" not in page
    for room in ROOMS_BY_FLOOR[2]:
        assert re.search(rf"\b{room}\b", page)
    for room in ROOMS_BY_FLOOR[1] + ROOMS_BY_FLOOR[3]:
        assert not re.search(rf"\b{room}\b", page)
    assert "☐ Champagne placed (fr)" in page and "☑ Feather-free bedding (fr)" in page
    assert "Libre propre" in page and "Contrôlée · Prête" in page
    assert "page 1 sur 1" in page


def test_a_floor_without_rooms_prints_a_page_saying_so() -> None:
    (page,) = pages_of(checklist_pdf("Hôtel Test", BOARD, "en", floor=7))
    assert "Floor 7" in page and "No room on this floor." in page


def test_a_room_with_many_items_continues_below() -> None:
    items = tuple(
        wish_item(f"task:{n}", f"Item number {n:02d} " + "x" * 100, False) for n in range(70)
    )
    room = board_room("101", 1, "dirty", (stay(1, "Ann", "arrival", time(15, 0)),), items)
    pages = pages_of(checklist_pdf("Hôtel Test", HousekeepingBoard(DAY, (room,), ()), "en"))
    text = " ".join(pages)
    for n in range(70):
        assert f"Item number {n:02d}" in text
    assert "101 (continued)" in text


def test_a_refusal_prints_what_was_proposed_and_a_guests_own_change_is_flagged() -> None:
    """The printed briefing tells what the guest page and the e-mail told the guest."""
    refused = replace(wish(90, "Parking", "not_possible", reason="Garage closed"),
                      alternative="public car park 200 m away")
    corrected = replace(guest(90, "Carla Changed", (refused,), room="101"),
                        changed_by_guest_at=datetime(2025, 3, 14, 7, 45, tzinfo=UTC))
    text = " ".join(pages_of(briefing_pdf(make_briefing((corrected,), ()), (), "en")))
    assert ("Parking — Not possible: Garage closed · proposed instead: public car park 200 m "
            "away") in text
    assert "Changed by the guest 14/03, 08:45" in text
