"""The printed shift briefing and the printed room checklist (A4, reportlab).

Every guest's name and words print in whatever script they were written in, and stay
extractable: DejaVu Sans covers Latin, Greek and Cyrillic, and runs of characters it lacks
(Chinese, Japanese, Korean) switch to Droid Sans Fallback; both are embedded as subsets.
Guest text is untrusted: it is escaped for reportlab's paragraph markup and capped, so no
name or wish can break the layout, and a long wish is cut with a "continued in the app" mark.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from core.clock import to_local
from core.i18n import format_clock, format_day, format_moment, messages, t
from shift_briefing.board import BoardRoom, HousekeepingBoard
from shift_briefing.briefing import LONG_WISH, Briefing, BriefingGuest, WishLine, short
from shift_briefing.readiness import ChecklistItem, RoomChecklist
from shift_briefing.signing import Signature

FONT_DIR = Path(__file__).parent / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
CJK = "DroidSansFallback"

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 15 * mm
HEADER_SPACE = 16 * mm  # between the top margin and the first line of content
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
HAND_SIGNATURE_LINES = 6

# Caps on untrusted text (characters): a single cell can never grow taller than a page.
NAME_CAP = 80
LABEL_CAP = 120
SHORT_CAP = 40
REASON_CAP = 300
LIST_CAP = 12  # remembered wishes, open items, room flags: the rest is in the app

_font_lock = threading.Lock()
_cjk_run: re.Pattern[str] | None = None


def _fonts() -> re.Pattern[str]:
    """Registers the fonts once per process; returns the pattern of runs DejaVu cannot print."""
    global _cjk_run
    if _cjk_run is not None:
        return _cjk_run
    with _font_lock:
        if _cjk_run is None:
            regular = TTFont(REGULAR, str(FONT_DIR / "DejaVuSans.ttf"))
            bold = TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf"))
            cjk = TTFont(CJK, str(FONT_DIR / "DroidSansFallbackFull.ttf"))
            for font in (regular, bold, cjk):
                pdfmetrics.registerFont(font)
            pdfmetrics.registerFontFamily(
                REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
            )
            pdfmetrics.registerFontFamily(CJK, normal=CJK, bold=CJK, italic=CJK, boldItalic=CJK)
            dejavu = set(regular.face.charToGlyph) & set(bold.face.charToGlyph)
            fallback = set(cjk.face.charToGlyph) - dejavu
            _cjk_run = re.compile(f"[{_char_class(fallback)}]+")
    return _cjk_run


def _char_class(code_points: Iterable[int]) -> str:
    """A regex character class body for a set of code points, as ranges."""
    ranges: list[str] = []
    points = sorted(p for p in code_points if p > 0x20)
    start = previous = points[0]
    for point in [*points[1:], -1]:
        if point == previous + 1:
            previous = point
            continue
        ranges.append(
            f"\\U{start:08x}" if start == previous else f"\\U{start:08x}-\\U{previous:08x}"
        )
        start = previous = point
    return "".join(ranges)


# Control characters would reach the PDF as garbage: each becomes a space (tab and newline too,
# since a paragraph folds whitespace anyway).
_CONTROLS = {code: " " for code in [*range(0x20), *range(0x7F, 0xA0)]}


def _markup(text: str, cap: int) -> str:
    """Untrusted plain text as safe paragraph markup, capped, with CJK runs in the CJK font."""
    text = text.translate(_CONTROLS)
    if len(text) > cap:
        text = text[: cap - 1] + "…"
    text = escape(text)
    if text.isascii():
        return text
    return _fonts().sub(rf'<font name="{CJK}">\g<0></font>', text)


class _Text(Paragraph):
    """A paragraph that breaks its lines once per width: a table wraps every cell again when
    it measures, splits across pages and draws, and line breaking is most of the work."""

    _wrapped_width: float | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if availWidth != self._wrapped_width:
            super().wrap(availWidth, availHeight)
            self._wrapped_width = availWidth
        return self.width, self.height


def _small(markup: str) -> str:
    return f'<font size="6.5" color="#444444">{markup}</font>'


def _style(name: str, **values: Any) -> ParagraphStyle:
    defaults = {"fontName": REGULAR, "bulletFontName": REGULAR, "fontSize": 7.5, "leading": 9}
    return ParagraphStyle(name, **{**defaults, **values})


CELL = _style("cell")
SMALL = _style("small", fontSize=6.5, leading=8, textColor=colors.HexColor("#444444"))
HEAD = _style("head", fontName=BOLD)
WISH = _style("wish", leftIndent=7, bulletIndent=0, spaceAfter=1.5)
WISH_LINE = _style("wish_line", leftIndent=7, bulletIndent=0)
WORDS = _style("words", leftIndent=7, spaceAfter=1.5, textColor=colors.HexColor("#444444"))
TITLE = _style("title", fontName=BOLD, fontSize=12, leading=15)
SUBTITLE = _style("subtitle", fontSize=8.5, leading=11)
SECTION = _style(
    "section", fontName=BOLD, fontSize=11, leading=14, spaceBefore=8, spaceAfter=4, keepWithNext=1
)
TEXT = _style("text", fontSize=9, leading=12)
BOX = _style("box", fontSize=9, leading=13, leftIndent=14, bulletIndent=0, bulletFontSize=12)
ROOM = _style("room", fontName=BOLD, fontSize=11, leading=13)
GUEST = _style("guest", fontSize=8.5, leading=10.5)
FOOTER_SIZE = 7

TABLE_STYLE = TableStyle(
    [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("FONTSIZE", (0, 0), (-1, -1), 7.5),
        ("LEADING", (0, 0), (-1, -1), 9),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#999999")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e4e4e4")),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f6f6f6")]),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
)


class _NumberedCanvas(Canvas):
    """Keeps every page until the end, then stamps "page X of Y" on each (one layout pass)."""

    def __init__(self, *args: Any, page_label: Callable[[int, int], str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._page_label = page_label
        self._kept_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._kept_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._kept_pages)
        for number, state in enumerate(self._kept_pages, start=1):
            self.__dict__.update(state)
            self.setFont(REGULAR, FOOTER_SIZE)
            self.setFillColor(colors.HexColor("#444444"))
            self.drawRightString(
                PAGE_WIDTH - MARGIN, MARGIN - 4 * mm, self._page_label(number, total)
            )
            super().showPage()
        super().save()


def _render(story: list[Flowable], header: list[Paragraph], language: str, title: str) -> bytes:
    """Builds an A4 document with `header` on top of every page and "page X of Y" below."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + HEADER_SPACE,
        bottomMargin=MARGIN,
        title=title,
    )
    heights = [p.wrap(CONTENT_WIDTH, PAGE_HEIGHT)[1] for p in header]

    def draw_header(canvas: Canvas, _doc: Any) -> None:
        y = PAGE_HEIGHT - MARGIN
        for paragraph, height in zip(header, heights, strict=True):
            y -= height
            paragraph.drawOn(canvas, MARGIN, y)
        canvas.setStrokeColor(colors.HexColor("#777777"))
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, y - 2, PAGE_WIDTH - MARGIN, y - 2)

    def page_label(number: int, total: int) -> str:
        return t("pdf.page", language, page=number, pages=total)

    doc.build(
        story,
        onFirstPage=draw_header,
        onLaterPages=draw_header,
        canvasmaker=partial(_NumberedCanvas, page_label=page_label),
    )
    return buffer.getvalue()


def _day(day: date, language: str) -> str:
    return format_day(day, language)


def _shift_name(shift: str, language: str) -> str:
    key = f"pdf.shift_{shift}"
    return t(key, language) if key in messages("en") else shift


# A table row never splits (reportlab's in-row split misplaces the repeated header), so a
# guest's wishes or a room's items taller than this many points continue in a further row.
ROW_HEIGHT = 220
CELL_PADDING = 6


def _by_height(blocks: list[list[_Text]], width: float) -> list[list[_Text]]:
    """The blocks of a cell (a wish: its line and the guest's words) in groups no taller than
    ROW_HEIGHT. They are measured only when a rough upper bound (every character a full em
    wide) says they might not fit in one."""
    width -= CELL_PADDING
    rough = sum(
        (len(p.text) * p.style.fontSize / width + 3) * p.style.leading + p.style.spaceAfter
        for block in blocks
        for p in block
    )
    if rough <= ROW_HEIGHT:
        return [[p for block in blocks for p in block]]
    groups: list[list[_Text]] = [[]]
    height = 0.0
    for block in blocks:
        tall = sum(p.wrap(width, PAGE_HEIGHT)[1] + p.style.spaceAfter for p in block)
        if groups[-1] and height + tall > ROW_HEIGHT:
            groups.append([])
            height = 0.0
        groups[-1] += block
        height += tall
    return groups


RED = "#b00000"


def _critical(language: str) -> str:
    """The marker of a critical health wish: an icon the embedded fonts have, and the word."""
    return f'<font color="{RED}"><b>⚠ {_markup(t("pdf.critical", language), LABEL_CAP)}</b></font>'


def _joined(labels: Sequence[str], cap: int = LIST_CAP) -> str:
    shown = ", ".join(labels[:cap])
    return shown + ", …" if len(labels) > cap else shown


# The briefing ---------------------------------------------------------------------------------

BRIEFING_COLUMNS = (15 * mm, 39 * mm, 29 * mm, 22 * mm, CONTENT_WIDTH - 105 * mm)


class _BriefingPrinter:
    """Turns a briefing into table rows and paragraphs in the reader's language and the
    hotel's timezone."""

    def __init__(self, briefing: Briefing, language: str) -> None:
        self.briefing = briefing
        self.language = language
        self.zone = briefing.timezone
        self.status_label = {
            status: t(f"status.{status}", language)
            for status in ("open", "in_progress", "done", "not_possible", "cancelled")
        }
        self.head_row = [
            _Text(_markup(t(f"pdf.col_{name}", language), LABEL_CAP), HEAD)
            for name in ("time", "guest", "room", "stay", "wishes")
        ]

    def tr(self, key: str, **values: Any) -> str:
        return t(key, self.language, **values)

    def when(self, moment: datetime, with_day: bool = True) -> str:
        """The hotel's time of `moment` in the reader's words: 01/08 21:30, or 21:30."""
        local = to_local(moment, self.zone)
        if with_day:
            return format_moment(local, self.language)
        return format_clock(local, self.language)

    def table(self, guests: Sequence[BriefingGuest], arriving: bool) -> Table:
        rows = [self.head_row]
        for guest in guests:
            rows += self.rows(guest, arriving)
        return Table(rows, colWidths=BRIEFING_COLUMNS, repeatRows=1, style=TABLE_STYLE)

    def rows(self, guest: BriefingGuest, arriving: bool) -> list[list[Any]]:
        """The guest's row, and continuation rows when the wishes are too many for one."""
        first, *rest = _by_height([self.wish(w) for w in guest.wishes], BRIEFING_COLUMNS[4])
        rows = [self.row(guest, arriving, first)]
        if rest:
            name = _markup(self.tr("pdf.continued_row", name=guest.guest_name), NAME_CAP + 20)
            rows += [["", _Text(name, SMALL), "", "", wishes] for wishes in rest]
        return rows

    def row(self, guest: BriefingGuest, arriving: bool, wishes: list[_Text]) -> list[Any]:
        tr = self.tr
        if arriving:
            when = format_clock(guest.expected_at, self.language)
            if guest.eta_given:
                when += "\n" + tr("pdf.eta")
        else:
            when = _Text(_markup(self.whereabouts(guest), LABEL_CAP), CELL)

        name = f"<b>{_markup(guest.guest_name, NAME_CAP)}</b>"
        if guest.vip_level > 0:
            name += " " + "★" * min(guest.vip_level, 5)
        about = [_markup(guest.confirmation_number, SHORT_CAP)]
        if guest.returning:
            about.append(_markup(tr("pdf.returning"), LABEL_CAP))
        if guest.remembered:
            about.append(
                _markup(tr("pdf.remembered", wishes=_joined(guest.remembered)), REASON_CAP)
            )
        if guest.changed_by_guest_at is not None:  # as on screen: whoever signed reads again
            changed = tr("pdf.changed_by_guest", at=self.when(guest.changed_by_guest_at))
            about.append(f"<b>{_markup(changed, REASON_CAP)}</b>")
        who = _Text(f"{name}<br/>{_small('<br/>'.join(about))}", CELL)

        if guest.room_number is None:
            room = _markup(tr("pdf.not_assigned"), LABEL_CAP)
        else:
            room = f"<b>{_markup(guest.room_number, SHORT_CAP)}</b>"
        if arriving and guest.readiness is not None:
            if guest.readiness.ready:
                state = tr("pdf.ready")
            else:
                missing = [item.label(self.language) for item in guest.readiness.open_items]
                state = tr("pdf.not_ready", items=_joined(missing))
            room += "<br/>" + _small(_markup(state, REASON_CAP))
        if guest.room_flags:
            flags = tr("pdf.check_room", wishes=_joined(guest.room_flags))
            room += "<br/>" + _small(f"<b>{_markup(flags, REASON_CAP)}</b>")

        stay = _Text(
            _markup(tr("pdf.nights", count=guest.nights), LABEL_CAP)
            + "<br/>"
            + _markup(tr("pdf.people", adults=guest.adults, children=guest.children), LABEL_CAP),
            CELL,
        )
        return [when, who, _Text(room, CELL), stay, wishes or ""]

    def whereabouts(self, guest: BriefingGuest) -> str:
        """A guest not arriving in the shift: checked in when, or still expected when."""
        if guest.checked_in_at is not None:
            return self.tr("pdf.checked_in_at", date=self.when(guest.checked_in_at))
        arrived = format_day(guest.arrival_date, self.language, "day_month")
        if guest.arrival_date < self.briefing.day:
            return self.tr("pdf.staying_since", date=arrived)
        if guest.expected_moment is not None:
            return self.tr("pdf.expected_at", date=self.when(guest.expected_moment))
        return self.tr("pdf.expected_on", date=arrived)

    def wish(self, wish: WishLine) -> list[_Text]:
        """The wish's line, then the guest's words in a plain paragraph of their own (one font
        and colour: reportlab's fast path for the longest text of the briefing)."""
        text = f"<b>{_markup(wish.label, LABEL_CAP)}</b>"
        if wish.critical:  # first in the cell (the wishes come sorted), in red
            text = f'{_critical(self.language)} <font color="{RED}">{text}</font>'
        extras = []
        if wish.quantity is not None:
            extras.append(f"×{wish.quantity}")
        if wish.at_time:
            extras.append(self.tr("pdf.at_time", time=wish.at_time))
        if extras:
            text += " " + _markup(" ".join(extras), LABEL_CAP)
        text += " — " + self.status(wish)
        if not wish.detail:
            return [_Text(text, WISH, bulletText="•")]
        words, cut = short(wish.detail)
        quoted = f"“{words.strip()}”"
        if cut:
            quoted += " " + self.tr("pdf.continued")
        return [
            _Text(text, WISH_LINE, bulletText="•"),
            _Text(_markup(quoted, LONG_WISH + LABEL_CAP), WORDS),
        ]

    def status(self, wish: WishLine) -> str:
        due = self.when(wish.due_at)
        if wish.status == "not_possible":
            text = self.tr("pdf.not_possible", reason=wish.reason or "—")
            if wish.alternative:  # what the guest page and the e-mail propose instead
                text += " · " + self.tr("tasks.alternative_proposed",
                                        alternative=wish.alternative)
            return f"<b>{_markup(text, REASON_CAP)}</b>"
        if wish.status in ("open", "in_progress") and wish.overdue:
            late = _markup(self.tr("pdf.overdue", due=due), LABEL_CAP)
            return f'<font color="#b00000"><b>{late}</b></font>'
        if wish.status in ("open", "in_progress"):
            label = self.status_label[wish.status]
            return _markup(self.tr("pdf.due", status=label, due=due), LABEL_CAP)
        return _markup(self.status_label.get(wish.status, wish.status), LABEL_CAP)

    def signatures(self, signed: Sequence[Signature]) -> list[Flowable]:
        """Who signed this version and when (a signature of another version does not count),
        then empty lines to sign by hand."""
        tr = self.tr
        valid = sorted(
            (s.signed_at, s.name)
            for s in signed
            if s.version == self.briefing.version and s.signed_at is not None
        )
        lines = [
            Paragraph(
                _markup(tr("pdf.signed_by", name=name, time=self.when(at)), NAME_CAP + 40),
                TEXT,
                bulletText="✓",
            )
            for at, name in valid
        ] or [Paragraph(_markup(tr("pdf.nobody_signed"), LABEL_CAP), TEXT)]
        labels = [tr("pdf.sign_name"), "", tr("pdf.sign_signature"), "", tr("pdf.sign_time"), ""]
        by_hand = Table(
            [labels] * HAND_SIGNATURE_LINES,
            colWidths=(20 * mm, 55 * mm, 22 * mm, 45 * mm, 14 * mm, 24 * mm),
            rowHeights=9 * mm,
            style=TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                    ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("ALIGN", (0, 0), (0, -1), "RIGHT"),
                    ("ALIGN", (2, 0), (2, -1), "RIGHT"),
                    ("ALIGN", (4, 0), (4, -1), "RIGHT"),
                    *(("LINEBELOW", (c, 0), (c, -1), 0.5, colors.black) for c in (1, 3, 5)),
                ]
            ),
        )
        return [
            CondPageBreak(60 * mm),
            Paragraph(_markup(tr("pdf.signed_title"), LABEL_CAP), SECTION),
            *lines,
            Spacer(1, 4 * mm),
            KeepTogether([Paragraph(_markup(tr("pdf.sign_by_hand"), LABEL_CAP), SECTION), by_hand]),
        ]


def briefing_pdf(briefing: Briefing, signed: Sequence[Signature], language: str) -> bytes:
    """The shift briefing on A4: arrivals, guests in house with wishes due, and signatures."""
    _fonts()
    printer = _BriefingPrinter(briefing, language)
    title = t("pdf.briefing_title", language)
    subtitle = " · ".join(
        (
            _day(briefing.day, language),
            _shift_name(briefing.shift, language),
            t("pdf.version", language, version=briefing.version[:8]),
            t("pdf.made_at", language, time=printer.when(briefing.made_at, with_day=False)),
        )
    )
    header = [
        Paragraph(f"{_markup(briefing.hotel_name, NAME_CAP)} — {_markup(title, LABEL_CAP)}", TITLE),
        Paragraph(_markup(subtitle, REASON_CAP), SUBTITLE),
    ]
    count = len(briefing.expected)
    legend = Paragraph(_small(_markup(t("pdf.legend", language), REASON_CAP)), TEXT)
    story: list[Flowable] = [
        Paragraph(_markup(t("pdf.arrivals_title", language, count=count), LABEL_CAP), SECTION)
    ]
    if briefing.expected:
        story.append(printer.table(briefing.expected, arriving=True))
    else:
        story.append(Paragraph(_markup(t("pdf.no_arrivals", language), LABEL_CAP), TEXT))
    if briefing.checked_in:
        title = t("pdf.checked_in_title", language, count=len(briefing.checked_in))
        story.append(Paragraph(_markup(title, LABEL_CAP), SECTION))
        story.append(printer.table(briefing.checked_in, arriving=False))
    story.append(Paragraph(_markup(t("pdf.in_house_title", language), LABEL_CAP), SECTION))
    if briefing.in_house:
        story.append(printer.table(briefing.in_house, arriving=False))
    else:
        story.append(Paragraph(_markup(t("pdf.no_in_house", language), LABEL_CAP), TEXT))
    if briefing.awaited:
        story.append(Paragraph(_markup(t("pdf.awaited_title", language), LABEL_CAP), SECTION))
        story.append(printer.table(briefing.awaited, arriving=False))
    story.append(legend)  # what the symbols mean, before the signatures
    story += printer.signatures(signed)
    return _render(story, header, language, title=f"{briefing.hotel_name} — {title}")


# The room checklist ---------------------------------------------------------------------------

CHECKLIST_COLUMNS = (20 * mm, 70 * mm, CONTENT_WIDTH - 90 * mm)


def _item_markup(item: ChecklistItem, language: str) -> str:
    """A box's label; the item of a critical health wish is marked and red."""
    label = _markup(item.label(language), LABEL_CAP)
    if not item.critical:
        return label
    return f'{_critical(language)} <font color="{RED}">{label}</font>'


def _critical_note(arrivals: Sequence[RoomChecklist], language: str) -> list[_Text]:
    """The arriving guests' critical health wishes, by name only, above the room's boxes."""
    critical = [c.label(language) for a in arrivals for c in a.critical]
    if not critical:
        return []
    wishes = _joined(list(dict.fromkeys(critical)))
    note = _markup(t("pdf.critical_room", language, wishes=wishes), REASON_CAP)
    return [_Text(f'{_critical(language)} <font color="{RED}">{note}</font>', TEXT)]


def _item_box(item: ChecklistItem, language: str) -> _Text:
    """One box to tick on the sheet, as stored when printed (☑ done, ☐ to do)."""
    return _Text(_item_markup(item, language), BOX, bulletText="☑" if item.done else "☐")


def _room_lines(room: BoardRoom, language: str) -> list[_Text]:
    """The room's state in words, then each stay: who leaves, stays or comes, and when."""
    state = t(f"board.{room.state}", language)
    if room.state == "occupied":
        state += " · " + t(f"room_status.{room.housekeeping_status}", language)
    if room.arrivals:
        state += " · " + t("board.ready" if room.ready else "board.not_ready", language)
    lines = [_Text(f"<b>{_markup(state, LABEL_CAP)}</b>", GUEST)]
    for stay in room.stays:
        fact = f"{t(f'board.{stay.fact}', language)} {format_clock(stay.at, language)}"
        lines.append(
            _Text(
                f"{_markup(fact, LABEL_CAP)} · <b>{_markup(stay.guest_name, NAME_CAP)}</b> "
                f"({_markup(stay.confirmation_number, SHORT_CAP)})",
                GUEST,
            )
        )
    return lines


def _sheet_rows(
    number: str, lines: list[_Text], boxes: list[_Text], language: str
) -> list[list[Any]]:
    first, *rest = _by_height([[box] for box in boxes], CHECKLIST_COLUMNS[2]) if boxes else [[]]
    rows: list[list[Any]] = [[_Text(_markup(number, SHORT_CAP), ROOM), lines, first or ""]]
    continued = _markup(t("pdf.continued_row", language, name=number), NAME_CAP)
    rows += [[_Text(continued, SMALL), "", more] for more in rest]
    return rows


def _checklist_table(rows: list[list[Any]], language: str) -> Table:
    head = [
        _Text(_markup(t(f"pdf.col_{name}", language), LABEL_CAP), HEAD)
        for name in ("room", "state", "items")
    ]
    return Table([head, *rows], colWidths=CHECKLIST_COLUMNS, repeatRows=1, style=TABLE_STYLE)


def checklist_pdf(
    hotel_name: str, board: HousekeepingBoard, language: str, floor: int | None = None
) -> bytes:
    """The floor sheet for the trolley: the board on paper, every room once with its state,
    its stays and its boxes; a new page per floor, guests without a room yet last; `floor`
    prints that floor only."""
    _fonts()
    floors = [floor] if floor is not None else board.floors
    story: list[Flowable] = []
    for index, shown in enumerate(floors):
        if index:
            story.append(PageBreak())
        story.append(Paragraph(_markup(t("pdf.floor", language, floor=shown), LABEL_CAP), SECTION))
        rows = [
            row
            for room in board.on_floor(shown)
            for row in _sheet_rows(
                room.number,
                _room_lines(room, language),
                _critical_note(room.arrivals, language)
                + [_item_box(item, language) for item in room.standard]
                + [_item_box(item, language) for _reservation, item in room.wish_items],
                language,
            )
        ]
        if rows:
            story.append(_checklist_table(rows, language))
        else:
            story.append(Paragraph(_markup(t("pdf.no_rooms", language), LABEL_CAP), TEXT))
    if board.unassigned and floor is None:
        if story:
            story.append(PageBreak())
        story.append(Paragraph(_markup(t("pdf.unassigned_rooms", language), LABEL_CAP), SECTION))
        rows = []
        for arrival in board.unassigned:
            at = format_clock(arrival.expected_at, language)
            fact = f"{t('board.arrival', language)} {at}"
            lines = [
                _Text(
                    f"{_markup(fact, LABEL_CAP)} · <b>{_markup(arrival.guest_name, NAME_CAP)}</b> "
                    f"({_markup(arrival.confirmation_number, SHORT_CAP)})",
                    GUEST,
                )
            ]
            boxes = _critical_note([arrival], language) + [
                _item_box(i, language) for i in arrival.items if i.task_id is not None
            ]
            rows += _sheet_rows("—", lines, boxes, language)
        story.append(_checklist_table(rows, language))
    if not story:
        story.append(Paragraph(_markup(t("pdf.no_rooms", language), LABEL_CAP), TEXT))

    title = t("pdf.checklist_title", language)
    subtitle = _day(board.day, language)
    if floor is not None:
        subtitle += " · " + t("pdf.floor", language, floor=floor)
    header = [
        Paragraph(f"{_markup(hotel_name, NAME_CAP)} — {_markup(title, LABEL_CAP)}", TITLE),
        Paragraph(_markup(subtitle, LABEL_CAP), SUBTITLE),
    ]
    legend = t("pdf.checklist_legend", language)  # our own words: no cap to guard against
    story.insert(0, Paragraph(_markup(legend, len(legend)), SMALL))
    return _render(story, header, language, title=f"{hotel_name} — {title}")
