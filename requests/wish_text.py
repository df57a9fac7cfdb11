"""Text plumbing for the wish parser: normalisation, tokens, clock times, function words.

Kept apart from ``wish_parser`` so that the parser reads as the hotel's rules (what is a
wish, what is negated, what is the arrival time) while this module knows the languages.

Normalised text is lower case with accents stripped (``Bébé`` -> ``bebe``, ``Straße`` ->
``strasse``); every position in it maps back to the guest's original text, so a matched wish
always quotes the guest's own words.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from functools import lru_cache

# --------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------

# Characters whose normal form is not exactly one character. They are rare, so the common case
# (no such character) is one ``str.translate`` and an identity offset map.
_EXPANSIONS = {"ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ĳ": "ij",
               "Ĳ": "ij", "ﬁ": "fi", "ﬂ": "fl", "…": "...", "½": " 1/2", "€": " eur "}


def _build_tables() -> tuple[dict[int, str], dict[str, str]]:
    one_to_one: dict[int, str] = {}
    special: dict[str, str] = dict(_EXPANSIONS)
    for cp in list(range(0x00, 0x2100)) + list(range(0xFF01, 0xFF5F)):
        ch = chr(cp)
        if ch in special:
            continue
        category = unicodedata.category(ch)
        if category == "Cc" and ch not in "\t\n\r":
            one_to_one[cp] = " "  # control characters are noise, never text
            continue
        if category.startswith("M"):
            special[ch] = ""  # a combining accent of decomposed text
            continue
        decomposed = unicodedata.normalize("NFKD", ch)
        base = "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))
        base = base.lower()
        if len(base) == 1:
            if base != ch:
                one_to_one[cp] = base
        elif base:
            special[ch] = base
        # characters that vanish entirely in NFKD are left as they are
    for ch, repl in {"\u00a0": " ", "\u2009": " ", "\u202f": " ", "’": "'", "‘": "'",
                     "´": "'", "`": "'", "–": "-", "—": "-", "‐": "-", "‑": "-",
                     "“": '"', "”": '"', "«": '"', "»": '"', "•": "\n", "·": "\n",
                     "\u2028": "\n", "\u2029": "\n", "İ": "i"}.items():
        special.pop(ch, None)
        one_to_one[ord(ch)] = repl
    return one_to_one, special


_ONE_TO_ONE, _SPECIAL = _build_tables()
_SPECIAL_RE = re.compile("[" + re.escape("".join(sorted(_SPECIAL))) + "]")
# Printable ASCII normalises as its lower case but for these (the table says which): the
# common case, without a dictionary lookup per character.
_ASCII_EXCEPTIONS = tuple(
    (chr(cp), _ONE_TO_ONE[cp]) for cp in range(32, 127)
    if _ONE_TO_ONE.get(cp, chr(cp)) != chr(cp).lower()
)
assert not any(chr(cp) in _SPECIAL for cp in range(128))


class OffsetMap:
    """Maps positions in the normalised text back to the original text."""

    __slots__ = ("_kinds", "_norm_starts", "_orig_starts", "identity")

    def __init__(self, norm_starts: list[int], orig_starts: list[int], kinds: list[bool]):
        self._norm_starts = norm_starts
        self._orig_starts = orig_starts
        self._kinds = kinds  # True: position by position; False: an expansion of one char
        self.identity = not norm_starts  # every position is its own: no need to ask

    def start(self, pos: int) -> int:
        """Original index of the character at normalised ``pos``."""
        if not self._norm_starts:
            return pos
        i = bisect_right(self._norm_starts, pos) - 1
        if i < 0:
            return pos
        if self._kinds[i]:
            return self._orig_starts[i] + (pos - self._norm_starts[i])
        return self._orig_starts[i]

    def end(self, pos: int) -> int:
        """Original index just after the character ending at normalised ``pos``."""
        return self.start(pos - 1) + 1 if pos > 0 else 0


_IDENTITY = OffsetMap([], [], [])


def normalise(text: str) -> tuple[str, OffsetMap]:
    """Lower-case, accent-free copy of ``text`` plus the way back to the original."""
    if text.isascii() and text.isprintable():
        norm = text.lower()
        for ch, repl in _ASCII_EXCEPTIONS:
            if ch in norm:
                norm = norm.replace(ch, repl)
        return norm, _IDENTITY
    if not _SPECIAL_RE.search(text):
        return text.translate(_ONE_TO_ONE), _IDENTITY
    pieces: list[str] = []
    norm_starts: list[int] = []
    orig_starts: list[int] = []
    kinds: list[bool] = []
    norm_pos = 0
    orig_pos = 0
    for m in _SPECIAL_RE.finditer(text):
        if m.start() > orig_pos:
            chunk = text[orig_pos:m.start()].translate(_ONE_TO_ONE)
            norm_starts.append(norm_pos)
            orig_starts.append(orig_pos)
            kinds.append(True)
            pieces.append(chunk)
            norm_pos += len(chunk)
        repl = _SPECIAL[m.group()]
        norm_starts.append(norm_pos)
        orig_starts.append(m.start())
        kinds.append(False)
        pieces.append(repl)
        norm_pos += len(repl)
        orig_pos = m.end()
    norm_starts.append(norm_pos)
    orig_starts.append(orig_pos)
    kinds.append(True)
    pieces.append(text[orig_pos:].translate(_ONE_TO_ONE))
    return "".join(pieces), OffsetMap(norm_starts, orig_starts, kinds)


# Markup pasted by channel managers ("<br>", "&amp;"): blanked in the normalised text so it is
# neither a word nor a wish; line-level tags end a sentence.
_MARKUP_RE = re.compile(r"<\s*/?\s*([a-z][a-z0-9]*)[^<>]{0,300}>|&#?[a-z0-9]{1,10};")
_BREAKING_TAGS = frozenset({"br", "p", "div", "li", "ul", "ol", "tr", "td", "h1", "h2", "h3"})


def blank_markup(norm: str) -> str:
    """Replace HTML tags and entities with spaces (newline for line-level tags)."""
    if "<" not in norm and "&" not in norm:
        return norm

    def blank(m: re.Match[str]) -> str:
        filler = "\n" if (m.group(1) or "") in _BREAKING_TAGS else " "
        return filler + " " * (m.end() - m.start() - 1)

    return _MARKUP_RE.sub(blank, norm)


TOKEN_RE = re.compile(r"[^\W\d_]+|\d+")
# The same tokens for ``re.split``: [gap, token, gap, ..., token, gap].
TOKEN_SPLIT_RE = re.compile(f"({TOKEN_RE.pattern})")
# The same for ASCII text, where a letter is [A-Za-z] and a digit [0-9]: a range test per
# character rather than three category tests.
ASCII_TOKEN_SPLIT_RE = re.compile(r"([A-Za-z]+|[0-9]+)")

# --------------------------------------------------------------------------------------------
# Clock times
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimeMention:
    """A clock time found in normalised text."""

    start: int
    end: int
    hour: int
    minute: int
    settled: bool  # am/pm, a 24h hour, a leading zero or a day-part word says which half-day
    has_unit: bool  # written with h / Uhr / heures / horas: a 24-hour clock


def _longest_first(words: Iterable[str]) -> str:
    """An alternation of ``words`` as a tree of their letters ("acht(?:zehn)?|..."): at each
    place the longer words are tried before a shorter one they begin with, as in a plain
    alternation sorted longest first, but a letter that fits no word is rejected at once
    instead of by every word in turn (a hundred hour words, tried at every word of a text)."""
    by_letter: dict[str, list[str]] = {}
    ends = False
    for word in words:
        if word:
            by_letter.setdefault(word[0], []).append(word[1:])
        else:
            ends = True
    branches = [re.escape(letter) + _longest_first(rest)
                for letter, rest in sorted(by_letter.items())]
    if not branches:
        return ""
    if len(branches) == 1 and not ends:
        return branches[0]
    return f"(?:{'|'.join(branches)}){'?' if ends else ''}"


_UNIT = r"(?:h|hr|hrs|hs|heures?|uhr|horas?|ore)"
_AMPM = r"(?P<ap>a\.?\s?m\.?|p\.?\s?m\.?)(?![a-z])"
_HOUR = r"(?P<h>2[0-4]|[01]?\d)(?!\d)"
_MIN = r"(?P<m>[0-5]\d)"

_CLOCK_RE = re.compile(
    rf"(?<![\d:.,/€$£]){_HOUR}\s?(?P<sep>[:h.])\s?{_MIN}(?![\d/]|[.,]\d|\s*(?:eur|chf|usd|gbp|\$|£))"
    rf"(?P<u>\s?{_UNIT}\b)?(?:\s?{_AMPM})?"
)
_UNIT_RE = re.compile(
    rf"(?<![\d:.,/€$£]){_HOUR}\s?(?P<u>{_UNIT})\b(?!\s?\d)(?:\s?{_AMPM})?"
)
_ORE_RE = re.compile(rf"\bore\s{_HOUR}(?:[:.]{_MIN})?\b(?![.:/]\d)")
_AMPM_RE = re.compile(rf"(?<![\d:.,/€$£]){_HOUR}(?:[:.]{_MIN})?\s?{_AMPM}")
# The words that make a bare hour a clock time ("vers 22", "um 9", "a las 11"). A digit
# follows a space after one of them only, wherever they stand (the longer ones go on with
# letters), so the order in which they are tried does not change what is found.
_BARE_LEADS = (
    "at around about by after before until till approx approximately circa ca env environ "
    "vers apres avant um gegen ab nach vor bis alle dalle".split()
    + ["vers les"]
    + [f"{word} las" for word in ("a", "sobre", "hacia", "desde", "hasta", "tipo", "eso de",
                                  "despues de", "antes de", "entre")]
    + [f"{word} le" for word in ("verso", "dopo", "entro", "tra", "fra", "intorno a", "per")]
)
_BARE_RE = re.compile(
    rf"\b{_longest_first(_BARE_LEADS)}"
    rf"\s{_HOUR}(?:[:.]{_MIN})?(?![\d.:/,]\d)(?!\s?(?:%|x\b|eur|euro|kg|km|cm|m\b))"
)
_WORD_TIME_RE = re.compile(
    r"\b(?P<mid>midnight|minuit|mitternacht|medianoche|mezzanotte)\b"
    r"|\b(?P<noon>noon|midday|midi|mittag|mediodia|mezzogiorno)\b"
    r"|\b(?:all|a la|verso l|dopo l|l|la|entro l)[' ](?P<one>una)\b"
)
# Nouns that make "around 3" a count, not a clock time.
_COUNT_NOUNS = frozenset(
    "nights night nuits nuit nachte nacht noches notti people persons personnes personen "
    "personas persone pax adults adultes erwachsene adultos adulti kids children enfants kinder "
    "ninos bambini beds lits betten camas letti rooms chambres zimmer habitaciones camere days "
    "jours tage dias giorni minutes minuten minutos minuti min mins hours stunden years ans jahre "
    "anos anni months mois monate meses mesi weeks semaines wochen semanas settimane euros "
    "pillows towels oreillers serviettes kissen".split()
)
_EVENING = ("soir", "evening", "abends", "abend", "tarde", "sera", "pomeriggio", "afternoon",
            "nachmittag", "apres midi", "tonight", "pm")
_NIGHT = ("noche", "notte", "nuit", "night", "nachts", "nacht", "madrugada")
_MORNING = ("matin", "morning", "morgens", "manana", "mattina", "mattino", "vormittag", "am",
            "fruh")
_DAYPART_AFTER_RE = re.compile(
    r"\s*(?:o'?clock\s*)?(?:in the |at |du |de la |de l |di |della |del |am |in der |"
    r"dans la |la )?(?P<w>soir|evening|abends|abend|tarde|sera|pomeriggio|afternoon|nachmittags?|"
    r"apres midi|apres-midi|tonight|noche|notte|nuit|night|nachts|nacht|madrugada|matin|"
    r"morning|morgens|manana|mattina|mattino|vormittags?|fruh)\b"
)
_DAYPART_BEFORE_RE = re.compile(
    r"\b(?P<w>abends|nachts|morgens|vormittags|nachmittags|tonight|ce soir|heute abend|"
    r"esta noche|stasera|stanotte|cette nuit|tonite|de madrugada|di notte|de nuit|la nuit|"
    r"in der nacht|at night|de noche)[\s,]+(?:\w+[\s,]+){0,3}$"
)
_DIGIT_RE = re.compile(r"\d")
_DATE_BEFORE_RE = re.compile(r"\b(?:am|le|el|il|on|du|vom|del|dal|den)\s+$")


def _daypart(norm: str, start: int, end: int) -> str | None:
    """'pm', 'am' or 'night' if words next to the time say which part of the day it is."""
    after = _DAYPART_AFTER_RE.match(norm, end, min(len(norm), end + 30))
    word = after.group("w") if after else None
    if word is None:
        before = _DAYPART_BEFORE_RE.search(norm, max(0, start - 30), start)
        word = before.group("w") if before else None
    if word is None:
        return None
    if word.startswith(_NIGHT) or word in _NIGHT or word in ("di notte", "de nuit", "la nuit",
                                                             "in der nacht", "at night",
                                                             "de noche", "de madrugada"):
        return "night"
    if word.startswith(_EVENING) or word in ("ce soir", "heute abend", "esta noche", "stasera",
                                             "tonite", "stanotte", "cette nuit"):
        return "night" if word in ("stanotte", "cette nuit") else "pm"
    if word.startswith(_MORNING):
        return "am"
    return None


# --- times written in words ("half past nine", "vingt-deux heures", "halb zehn", "las nueve y
# media", "le dieci e un quarto"): spoken times, so a 12-hour clock unless the hour says more.

_HOUR_WORDS: dict[str, int] = {
    # English
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    # French
    "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15,
    "seize": 16, "dix-sept": 17, "dix sept": 17, "dix-huit": 18, "dix huit": 18,
    "dix-neuf": 19, "dix neuf": 19, "vingt": 20, "vingt et une": 21, "vingt-et-une": 21,
    "vingt-deux": 22, "vingt deux": 22, "vingt-trois": 23, "vingt trois": 23,
    # German
    "ein": 1, "eins": 1, "zwei": 2, "drei": 3, "vier": 4, "funf": 5, "fuenf": 5, "sechs": 6,
    "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwolf": 12, "zwoelf": 12,
    "dreizehn": 13, "vierzehn": 14, "funfzehn": 15, "sechzehn": 16, "siebzehn": 17,
    "achtzehn": 18, "neunzehn": 19, "zwanzig": 20, "einundzwanzig": 21,
    "zweiundzwanzig": 22, "dreiundzwanzig": 23,
    # Spanish
    "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
    "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14, "quince": 15,
    "dieciseis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20,
    "veintiuna": 21, "veintiuno": 21, "veintidos": 22, "veintitres": 23,
    # Italian
    "due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6, "sette": 7, "otto": 8,
    "nove": 9, "dieci": 10, "undici": 11, "dodici": 12, "tredici": 13, "quattordici": 14,
    "quindici": 15, "sedici": 16, "diciassette": 17, "diciotto": 18, "diciannove": 19,
    "venti": 20, "ventuno": 21, "ventidue": 22, "ventitre": 23,
}

_HW = _longest_first(_HOUR_WORDS)
_HOUR_WORD = rf"(?P<h>{_HW}|\d{{1,2}})"
_EN_PREP = (r"(?:at|around|about|by|towards?|after|before|until|till|approximately|roughly|"
            r"circa|from|between|at about|at around|round about|sometime around)")
_MINUTE_WORDS = {"thirty": 30, "fifteen": 15, "forty five": 45, "forty-five": 45,
                 "trente": 30, "quarante-cinq": 45, "quarante cinq": 45, "dreissig": 30,
                 "funfzehn": 15}
_WORD_CLOCK_RES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), kind) for pattern, kind in (
        # English: "half past nine", "quarter to ten", "half eight" (British 8:30)
        (rf"\b(?:a\s)?(?P<q>half|quarter|twenty|ten|five)\s(?P<rel>past|to|after)\s{_HOUR_WORD}\b",
         "en_rel"),
        (rf"\b{_EN_PREP}\s(?:a\s)?(?P<q>half)\s{_HOUR_WORD}\b", "en_half"),
        # "getting in half ten at night": no preposition, the part of the day says it is a time
        (rf"\b(?P<q>half)\s{_HOUR_WORD}(?=\s(?:at night|in the evening|tonight)\b)", "en_half"),
        (rf"\b{_EN_PREP}\s{_HOUR_WORD}(?:\s(?P<min>thirty|fifteen|forty[- ]five))?"
         rf"(?P<tail>\s?o'?\s?clock|ish\b(?:\s?(?P<ish_ap>[ap])\.?m\b\.?)?|"
         rf"\s?(?P<ap>[ap])\.?m\b\.?|"
         rf"\s(?=in the (?:evening|morning|afternoon)|at night|tonight))", "en_plain"),
        (rf"\b{_HOUR_WORD}(?P<tail>ish)\b(?:\s?(?P<ap>[ap])\.?m\b\.?)?", "en_plain"),
        # French: "vingt-deux heures", "neuf heures et demie", "onze heures moins le quart"
        (rf"\b{_HOUR_WORD}\s(?:heures?|h)(?:\s(?P<frac>et demie?|et quart|moins le quart|"
         rf"moins quart|trente|quinze|quarante[- ]cinq))?\b", "fr"),
        (r"\b(?P<mid>minuit|midi|midnight|noon|mezzanotte|mezzogiorno|medianoche|mediodia)"
         r"\s(?P<frac>et demie?|et quart|moins le quart|and a half|and a quarter|e mezza|e mezzo|"
         r"e un quarto|y media|y cuarto)\b", "fr_mid"),
        (r"\b(?P<frac>half past|quarter past|quarter to)\s(?P<mid>midnight|noon)\b", "fr_mid"),
        # German: "halb zehn", "Viertel nach acht", "dreiviertel neun", "zweiundzwanzig Uhr"
        (rf"\b(?P<frac>halb|viertel nach|viertel vor|dreiviertel|drei viertel)\s{_HOUR_WORD}\b",
         "de_rel"),
        (rf"\b{_HOUR_WORD}\suhr(?:\s(?P<min>dreissig|funfzehn))?\b", "de"),
        # Spanish: "las nueve y media", "la una y cuarto", "las diez menos cuarto"
        (rf"\b(?:las|la)\s{_HOUR_WORD}(?:\s(?P<frac>y media|y cuarto|menos cuarto|y treinta))?"
         rf"\b", "es"),
        # Italian: "le nove e mezza", "le undici e un quarto", "le dieci meno un quarto"
        (rf"\b(?:le|alle|dalle|l'|all')\s?{_HOUR_WORD}(?:\s(?P<frac>e mezza|e mezzo|e un quarto|"
         rf"e quarto|meno un quarto|meno un quarto|e trenta))?\b", "it"),
    )
)
_FRACTIONS = {"half past": 30, "quarter past": 15, "quarter to": -15,
              "et demie": 30, "et demi": 30, "et quart": 15, "moins le quart": -15,
              "moins quart": -15, "trente": 30, "quinze": 15, "quarante-cinq": 45,
              "quarante cinq": 45, "and a half": 30, "and a quarter": 15,
              "y media": 30, "y cuarto": 15, "menos cuarto": -15, "y treinta": 30,
              "e mezza": 30, "e mezzo": 30, "e un quarto": 15, "e quarto": 15,
              "meno un quarto": -15, "e trenta": 30}
_EN_REL = {"half": 30, "quarter": 15, "twenty": 20, "ten": 10, "five": 5}


def _word_clock(m: re.Match[str], kind: str) -> tuple[int, int] | None:
    """(hour, minute) of a time written in words, or None if it is no time after all."""
    groups = m.groupdict()
    if kind == "fr_mid":
        hour = 0 if groups["mid"] in ("minuit", "midnight", "mezzanotte", "medianoche") else 12
        return _shifted(hour, 0, _FRACTIONS[groups["frac"]])
    word = groups["h"]
    hour = int(word) if word.isdigit() else _HOUR_WORDS[word]
    if not 0 < hour <= 24:
        return None
    if kind == "en_rel":
        minutes = _EN_REL[groups["q"]]
        return _shifted(hour, 0, -minutes if groups["rel"] == "to" else minutes)
    if kind == "en_half":
        return hour, 30
    if kind in ("en_plain", "de"):
        if groups.get("ap") or groups.get("ish_ap"):  # "9pm", "tenish pm"
            hour = _apply_ampm(hour, groups.get("ap") or groups["ish_ap"])
        return hour, _MINUTE_WORDS.get((groups.get("min") or "").replace("-", " "), 0)
    if kind == "de_rel":
        frac = groups["frac"]
        if frac == "halb":
            return _shifted(hour, 0, -30)
        return _shifted(hour, 0, 15 if frac == "viertel nach" else -15)
    frac = groups.get("frac")
    return _shifted(hour, 0, _FRACTIONS[frac]) if frac else (hour, 0)


def _shifted(hour: int, minute: int, delta: int) -> tuple[int, int]:
    total = (hour * 60 + minute + delta) % (24 * 60)
    return total // 60, total % 60


# What each pattern of _WORD_CLOCK_RES cannot match without; a text without it skips the
# pattern, which is most of them for most texts:
# - whole words, where a word of the pattern stands between a word boundary and a space or
#   another boundary, hence is one of the text's ``TOKEN_RE`` tokens: one word of each group
#   (at most two; None for none) must be a token. A set test, where a substring test lets "la"
#   in "table" and "le" in "please" through;
# - otherwise literal pieces, one of which must be in the text (one alternation: a single C
#   scan, where a substring test per piece costs a Python call each).
_EN_PREP_TOKENS = frozenset(
    "at around about by toward towards after before until till approximately roughly circa "
    "from between round sometime".split()
)
_Words = frozenset[str] | None
_WORD_CLOCK_NEEDS: tuple[tuple[_Words, _Words, tuple[str, ...] | str | None], ...] = (
    (frozenset({"half", "quarter", "twenty", "ten", "five"}), frozenset({"past", "to", "after"}),
     None),  # en_rel
    (_EN_PREP_TOKENS, frozenset({"half"}), None),  # en_half
    (frozenset({"half"}), frozenset({"night", "evening", "tonight"}), None),  # without "at"
    (_EN_PREP_TOKENS, None, ("clock", "ish", "am", "pm", "a.m", "p.m", "evening", "morning",
                             "afternoon", "night")),  # en_plain: "at 9pm", "by nine o'clock"
    (None, None, ("ish",)),  # "11ish", "tenish": "ish" may end another word
    (frozenset({"h", "heure", "heures"}), None, r"\sh"),  # fr: " heures", " h"
    (frozenset({"minuit", "midi", "midnight", "noon", "mezzanotte", "mezzogiorno",
                "medianoche", "mediodia"}), None, None),  # fr_mid
    (frozenset({"half", "quarter"}), frozenset({"midnight", "noon"}), None),  # half past noon
    (frozenset({"halb", "viertel", "dreiviertel"}), None, None),  # de_rel
    (frozenset({"uhr"}), None, None),  # de
    (frozenset({"las", "la"}), None, None),  # es
    (None, None, ("le", "l'")),  # it: le, alle, dalle, l', all' ("le" may touch the hour)
)


def _needs_search(pieces: tuple[str, ...] | str | None) -> re.Pattern[str] | None:
    """One alternation of the literal pieces (a string is a regular expression already)."""
    if pieces is None or isinstance(pieces, str):
        return None if pieces is None else re.compile(pieces)
    return re.compile("|".join(map(re.escape, pieces)))


# ((pattern, kind), word group, other word group, search)
_WORD_CLOCKS = tuple(
    (clock, one, other, _needs_search(pieces))
    for clock, (one, other, pieces) in zip(_WORD_CLOCK_RES, _WORD_CLOCK_NEEDS, strict=True)
)
# _WORD_TIME_RE cannot match without one of these tokens (each of its words stands between
# two word boundaries)
_WORD_TIME_TOKENS = frozenset({"midnight", "minuit", "mitternacht", "medianoche", "mezzanotte",
                               "noon", "midday", "midi", "mittag", "mediodia", "mezzogiorno",
                               "una"})


def _word_times(norm: str, tokens: set[str]) -> list[TimeMention]:
    """Times written in words; digits only where a word says it is a time ("11ish").
    ``tokens``: the text's ``TOKEN_RE`` tokens."""
    found = []
    for (pattern, kind), one, other, needs in _WORD_CLOCKS:
        if one is not None and (one.isdisjoint(tokens) or (
                other is not None and other.isdisjoint(tokens))):
            continue
        if needs is not None and needs.search(norm) is None:
            continue
        for m in pattern.finditer(norm):
            word = m.groupdict().get("h")
            if kind in ("es", "it") and word.isdigit() and not (
                    word == "1" and m.group().startswith("la ")):
                continue  # "a las 21", "alle 20" are read as clock digits already
            if kind in ("es", "it", "en_plain") and _followed_by_count_noun(norm, m.end()):
                continue  # "las dos habitaciones", "le tre camere"
            clock = _word_clock(m, kind)
            if clock is None:
                continue
            hour, minute = clock
            settled = hour > 12 or kind == "fr_mid" or bool(
                m.groupdict().get("ap") or m.groupdict().get("ish_ap"))
            # the time starts at its first time word: "until" in "keep the room until ten pm"
            # stays a word of the wish
            first = min(m.start(g) for g in ("q", "frac", "mid", "h") if m.groupdict().get(g))
            found.append(_with_daypart(norm, first, m.end(), hour, minute, settled, False))
    return found


def _apply_ampm(hour: int, ap: str) -> int:
    if ap.startswith("p") and hour < 12:
        return hour + 12
    if ap.startswith("a") and hour == 12:
        return 0
    return hour


_HAS_WORD_CLOCK_RE = re.compile(
    r"\b(?:heures?|uhr|halb|viertel|dreiviertel|half|quarter|o'?\s?clock|ish|las|la|le|alle|pm|"
    r"p\.m|"
    r"evening|night|tonight|morning|afternoon)\b|\dish\b")


# One of these tokens is in every text _HAS_WORD_CLOCK_RE matches (each of its words is a
# token of its own; "o'clock" is "o" "clock", "oclock"; "p.m" is "p" "m"; "9ish" is "9" "ish"),
# as one of _WORD_TIME_TOKENS is in every text _WORD_TIME_RE matches.
_CLOCK_WORD_TOKENS = frozenset(
    "heure heures uhr halb viertel dreiviertel half quarter clock oclock ish las la le alle pm p "
    "evening night tonight morning afternoon".split()
)
_TIME_WORD_TOKENS = _CLOCK_WORD_TOKENS | _WORD_TIME_TOKENS


def has_time_words(norm: str, tokens: Iterable[str] | None = None) -> bool:
    """A time without digits: "midnight", "minuit", "l'una", "half past nine". ``tokens``,
    the text's ``TOKEN_RE`` tokens if known, spare the scans of most texts (each pattern is
    only scanned for when one of its words is a token)."""
    if tokens is None:
        return bool(_WORD_TIME_RE.search(norm) or _HAS_WORD_CLOCK_RE.search(norm))
    if _TIME_WORD_TOKENS.isdisjoint(tokens):
        return False
    tokens = set(tokens)
    return bool((not _WORD_TIME_TOKENS.isdisjoint(tokens) and _WORD_TIME_RE.search(norm))
                or (not _CLOCK_WORD_TOKENS.isdisjoint(tokens)
                    and _HAS_WORD_CLOCK_RE.search(norm)))


def find_times(norm: str, tokens: Iterable[str] | None = None) -> list[TimeMention]:
    """Every clock time in the normalised text, left to right, without overlaps. ``tokens``,
    the text's ``TOKEN_RE`` tokens if known, spare finding them again."""
    if len(norm) > CACHED_CHARS:
        return _find_times(norm, tokens)
    # cached: a text in capitals, or sent again, has the same normalised text (least recently
    # used first out; by hand, so that the tokens reach the reading of a text not seen yet)
    found = _times.get(norm)
    if found is None:
        found = _times[norm] = tuple(_find_times(norm, tokens))
        if len(_times) > TIMES_KEPT:
            with suppress(KeyError):  # another thread may have emptied it
                _times.popitem(last=False)
    else:
        with suppress(KeyError):
            _times.move_to_end(norm)
    return list(found)


# Wish texts are short; a pasted document is not worth keeping in memory.
CACHED_CHARS = 2_000
TIMES_KEPT = 20_000
_times: OrderedDict[str, tuple[TimeMention, ...]] = OrderedDict()


def _find_times(norm: str, tokens: Iterable[str] | None) -> list[TimeMention]:
    words = set(TOKEN_RE.findall(norm) if tokens is None else tokens)
    digit = _DIGIT_RE.search(norm)
    if digit is None and not has_time_words(norm, words):
        return []
    found: list[TimeMention] = []
    if digit is not None:  # every clock of digits needs one: skip five scans of a text without
        found = _digit_times(norm, digit.start())
    if not _WORD_TIME_TOKENS.isdisjoint(words):
        for m in _WORD_TIME_RE.finditer(norm):
            if m.group("mid"):
                found.append(TimeMention(m.start(), m.end(), 0, 0, True, False))
            elif m.group("noon"):
                found.append(TimeMention(m.start(), m.end(), 12, 0, True, False))
            else:
                found.append(_with_daypart(norm, m.start("one"), m.end(), 1, 0, False, False))
    found += _word_times(norm, words)
    return _without_overlaps(_with_ranges(norm, found))


# How far before its hour's first digit a clock of words and digits can start: "despues de
# las 9" (14 letters and a space).
_BARE_LEAD = 16
_DIGIT_RUN_RE = re.compile(r"\d+")


@lru_cache(maxsize=1)
def _digit_runs(norm: str) -> tuple[int, ...]:
    """Where each run of digits begins: dates and clock times are both tried there, one
    text after the other (the last text is kept)."""
    return tuple(m.start() for m in _DIGIT_RUN_RE.finditer(norm))


def _at_runs(pattern: re.Pattern[str], norm: str, runs: Iterable[int]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(norm)`` for a pattern whose matches start where digits start (after
    a character that is no digit): tried at those places only, not at every character."""
    end = 0
    for pos in runs:
        if pos >= end:
            m = pattern.match(norm, pos)
            if m is not None:
                end = m.end()
                yield m


def _digit_times(norm: str, first_digit: int = 0) -> list[TimeMention]:
    """Clock times written with digits: "21:30", "23h", "ore 20", "9pm", "vers 22".

    No clock starts before ``first_digit`` (the text's first digit) less the words that may
    lead it; clocks that begin with their hour are tried where a run of digits begins (their
    lookbehind refuses a digit before the hour), those led by a word scanned from a few
    characters before the first digit.
    """
    found: list[TimeMention] = []
    runs = _digit_runs(norm)  # (none before the first digit)
    for m in _at_runs(_CLOCK_RE, norm, runs):
        hour, minute = int(m.group("h")), int(m.group("m"))
        if hour > 23 and not (hour == 24 and minute == 0):
            continue
        if m.group("sep") == "." and _looks_like_date(norm, m, hour, minute):
            continue
        ap = m.group("ap")
        settled = bool(ap) or hour > 12 or m.group("h").startswith("0")
        if ap:
            hour = _apply_ampm(hour, ap.replace(".", "").replace(" ", ""))
        has_unit = m.group("sep") == "h" or bool(m.group("u"))
        found.append(_with_daypart(norm, m.start(), m.end(), hour, minute, settled, has_unit))
    for m in _at_runs(_UNIT_RE, norm, runs):
        hour = int(m.group("h"))
        ap = m.group("ap")
        if ap:
            hour = _apply_ampm(hour, ap.replace(".", "").replace(" ", ""))
        found.append(_with_daypart(norm, m.start(), m.end(), hour, 0,
                                   bool(ap) or hour > 12, True))
    # "ore 20": four characters before the hour's digits
    ore = [pos - 4 for pos in runs if pos >= 4] if "ore" in norm else []
    for m in _at_runs(_ORE_RE, norm, ore):
        found.append(_with_daypart(norm, m.start("h"), m.end(), int(m.group("h")),
                                   int(m.group("m") or 0), int(m.group("h")) > 12, True))
    for m in _at_runs(_AMPM_RE, norm, runs):
        hour = _apply_ampm(int(m.group("h")), m.group("ap").replace(".", "").replace(" ", ""))
        found.append(TimeMention(m.start(), m.end(), hour, int(m.group("m") or 0), True, False))
    for m in _BARE_RE.finditer(norm, max(0, first_digit - _BARE_LEAD)):
        if _followed_by_count_noun(norm, m.end()):
            continue
        hour = int(m.group("h"))
        found.append(_with_daypart(norm, m.start("h"), m.end(), hour, int(m.group("m") or 0),
                                   hour > 12 or m.group("h").startswith("0"), False))
    return found


def _with_daypart(norm: str, start: int, end: int, hour: int, minute: int, settled: bool,
                  has_unit: bool) -> TimeMention:
    part = _daypart(norm, start, end)
    if part is not None and hour <= 12:
        if part == "pm" and 1 <= hour < 12:
            hour += 12
        elif part == "night":
            hour = hour + 12 if 6 <= hour < 12 else (0 if hour == 12 else hour)
        settled = True
    return TimeMention(start, end, hour % 24, minute, settled, has_unit)


def _looks_like_date(norm: str, m: re.Match[str], day: int, month: int) -> bool:
    """'14.07.' or 'am 12.06' is a date, '21.30' is a time."""
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return False
    nxt = norm[m.end():m.end() + 1]
    return nxt == "." or bool(_DATE_BEFORE_RE.search(norm, max(0, m.start() - 5), m.start()))


def _followed_by_count_noun(norm: str, end: int) -> bool:
    m = TOKEN_RE.search(norm, end, min(len(norm), end + 20))
    return bool(m) and m.start() - end <= 2 and m.group() in _COUNT_NOUNS


_RANGE_BEFORE_RE = re.compile(
    r"(?:\b(?:between|entre|zwischen|tra|fra|from|de|von|dalle|desde)\s+(?:las\s+|les\s+|le\s+)?)?"
    r"(?<![\d:.])(?P<h>[01]?\d|2[0-3])(?:[:h.](?P<m>[0-5]\d))?\s?(?:h|uhr)?\s?"
    r"(?:-|to|a|et|and|und|bis|y|e|ou|or|o|/)\s?(?:las\s+|les\s+|le\s+|alle\s+)?$"
)


def _with_ranges(norm: str, found: list[TimeMention]) -> list[TimeMention]:
    """'between 22:00 and 23:00' or '9-10pm': the arrival window opens at the first time."""
    out: list[TimeMention] = []
    for t in found:
        lo = max(0, t.start - 40)
        # the range's first hour is written with digits: without one, no range
        m = _RANGE_BEFORE_RE.search(norm, lo, t.start) if _DIGIT_RE.search(
            norm, lo, t.start) else None
        if m is None:
            out.append(t)
            continue
        hour, minute = int(m.group("h")), int(m.group("m") or 0)
        if t.hour >= 12 and hour < 12 and t.hour - 12 >= hour and not m.group("m"):
            hour += 12  # "9-10pm": the pm of the second time also applies to the first
        elif t.hour >= 12 and hour < 12 and t.settled and t.hour - 12 > hour:
            hour += 12
        out.append(TimeMention(m.start(), t.end, hour, minute, t.settled, t.has_unit))
    return out


def _without_overlaps(found: list[TimeMention]) -> list[TimeMention]:
    found.sort(key=lambda t: (t.start, -(t.end - t.start)))
    out: list[TimeMention] = []
    for t in found:
        if out and t.start < out[-1].end:
            continue
        out.append(t)
    return out


_DATE_RE = re.compile(
    r"(?<![\d:.])(?:[0-3]?\d[./-][01]?\d(?:[./-](?:\d{4}|\d{2}))?\.?"
    r"|(?:19|20)\d\d-[01]\d-[0-3]\d)(?![\d:])"
)


def find_dates(norm: str) -> list[tuple[int, int]]:
    """Calendar dates ("14.07.", "15/06/2025", "2025-06-15"): context, never a count or time."""
    return list(_dates_in(norm) if len(norm) <= CACHED_CHARS else _find_dates(norm))


@lru_cache(maxsize=20_000)
def _dates_in(norm: str) -> tuple[tuple[int, int], ...]:
    return _find_dates(norm)


def _find_dates(norm: str) -> tuple[tuple[int, int], ...]:
    # a date is written with digits, and begins where they begin (its lookbehind refuses a
    # digit before it)
    runs = _digit_runs(norm)
    out = []
    for m in _at_runs(_DATE_RE, norm, runs):
        text = m.group()
        if text[-1] == "." or "/" in text or text.count(".") == 2 or text.count("-") >= 2:
            out.append((m.start(), m.end()))
    return tuple(out)


def clear_caches() -> None:
    """Forget the times and dates found so far (a benchmark's cold start)."""
    _times.clear()
    _dates_in.cache_clear()
    _digit_runs.cache_clear()


# --------------------------------------------------------------------------------------------
# Function words the parser knows itself (the catalogue only holds the wishes)
# --------------------------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Phrases, written in the catalogue's keyword syntax, that steer the parser. The role names the
# rule they take part in.
BUILTIN_PHRASES: dict[str, tuple[str, ...]] = {
    # negate the wishes that follow (or, failing that, the wish just before)
    "negation": (
        "pas", "pas de", "pas d", "pas besoin", "plus besoin", "sans", "aucun", "aucune", "ni",
        "jamais", "inutile", "non", "ne pas",
        "no", "not", "without", "never", "none", "nothing", "avoid*", "evit*", "vermeid*",
        "don t", "dont", "doesn t", "doesnt",
        "didn t", "won t", "wont", "isn t", "aren t", "no need", "no longer",
        "unnecessary", "nor", "neither", "cancel", "cancelled", "canceled", "annul*",
        "stornier*", "storno", "cancela*", "anula*", "annulla*",
        "kein", "keine", "keinen", "keinem", "keiner", "keines", "nicht", "ohne", "nein",
        "unnotig", "weder",
        "sin", "ningun", "ninguna", "ninguno", "nada", "tampoco", "innecesari*",
        "senza", "nessun", "nessuna", "nessuno", "niente", "neanche", "nemmeno",
        "impossible", "imposible", "impossibile", "unmoglich",
    ),
    # "un grand lit plutôt que deux lits": refuses only what follows
    "instead": ("plutot que", "au lieu de", "rather than", "instead of", "statt", "anstatt",
                "anstelle", "en lugar de", "en vez de", "invece di", "piuttosto che"),
    # "anything but the ground floor": refuses what follows, and a floor refused names the
    # other end, as a negation does
    "except": ("anything but", "everything but", "anything except", "tout sauf",
               "n importe quoi sauf", "alles ausser", "alles nur nicht", "todo menos",
               "cualquier cosa menos", "cualquiera menos", "tutto tranne", "tutto fuorche",
               "qualsiasi cosa tranne", "tutto ma non"),
    # "our own travel cot": the guest brings it, the hotel does nothing
    "own": ("own", "propre", "propres", "eigenes", "eigene", "eigenen", "eigener", "propio",
            "propia", "proprio", "propria"),
    # "peu importe": the guest does not mind, so there is nothing to promise
    "indifference": (
        "peu importe", "n importe", "importe peu", "pas de preference", "sans preference",
        "indifferent*", "egal", "ist egal", "doesn t matter", "does not matter", "doesnt matter",
        "don t mind", "do not mind", "dont mind", "no preference", "no matter", "either",
        "whichever", "either is fine", "either way", "keine praferenz", "keine vorliebe*",
        "sin preferencia", "da igual", "me da igual", "nos da igual", "lo que sea",
        "cualquiera", "non importa", "fa lo stesso", "e uguale", "indifferente", "qualsiasi",
        "any is fine", "whatever",
    ),
    # "n'oubliez pas le lit bébé": a negation word that is not a refusal
    "forget": ("oubli*", "forget", "vergess*", "olvid*", "dimentic*"),
    # the time next to these is when the guest arrives
    "arrival": (
        "arriv*", "eta", "get in", "gets in", "get there", "be there", "be at the hotel",
        "reach the hotel", "coming", "come", "serons la", "serons sur place", "serons a l hotel",
        "heure d arrivee", "ankunft*", "anreis*", "ankomm*", "kommen", "komme", "eintreff*",
        "da sein", "vor ort", "lleg*", "estaremos", "saremo", "saremo li", "orario di arrivo",
        "kommt", "be with you", "viendr*", "im hotel", "in hotel", "en el hotel",
    ),
    "check_in": ("check in", "checkin", "einchecken", "einchecke", "enregistrement"),
    # wanting the room: before check-in time that is an early check-in
    "room_access": (
        "avoir la chambre", "acceder a la chambre", "acces a la chambre", "chambre disponible",
        "disposer de la chambre", "prendre la chambre", "get the room", "have the room",
        "access to the room", "access the room", "get into the room", "get into our room",
        "room available", "zimmer beziehen", "zimmer verfugbar", "ins zimmer", "aufs zimmer",
        "entrar ... habitacion", "acceder a la habitacion", "habitacion disponible",
        "tener la habitacion", "entrare in camera", "avere la camera", "camera disponibile",
        "accedere alla camera",
    ),
    "check_out": ("check out", "checkout", "auschecken", "dejar la habitacion",
                  "lasciare la camera", "liberer la chambre", "rendre la chambre",
                  "leave the room", "vacate the room"),
    # a flight or train time is not the arrival at the hotel; it is the transfer's time
    "travel": ("flight", "vol", "flug", "vuelo", "volo", "land", "lands", "landing", "landen",
               "landet", "atterri*", "aterriz*", "atterr*", "train", "zug", "tren", "treno",
               "tgv", "ter", "eurostar", "thalys", "der ice", "dem ice", "the ice", "intercity",
               "railjet", "el ave", "frecciarossa", "italo", "plane", "avion", "flugzeug",
               "aereo", "ferry", "fahre"),
    # times for things the catalogue does not cover: not the arrival, left for a human
    "other_time": ("petit dejeuner", "breakfast", "fruhstuck", "desayuno", "colazione",
                   "dejeuner", "lunch", "mittagessen", "almuerzo", "pranzo", "spa", "massage",
                   "massaggio", "masaje", "meeting", "reunion", "riunione", "tour", "visite",
                   "ausflug", "excursion", "escursione", "dinner", "diner", "abendessen",
                   "cena", "cenar", "dinieren"),
    # "No thanks": polite on its own; the answer to a question that named a wish
    # ("Une baignoire ? Non merci") it refuses that wish
    "declined": ("non merci", "no thanks", "no thank you", "nein danke", "no gracias",
                 "no grazie", "non grazie"),
    # restatements of the booked room or set phrases containing a negation word: no wish
    "neutral": (
        "double room", "chambre double", "habitacion doble", "camera doppia", "single room",
        "chambre simple", "chambre individuelle", "habitacion individual", "camera singola",
        "family room", "chambre familiale", "bank transfer", "wire transfer", "sans doute",
        "sans faute", "without fail", "no problem", "no worries", "pas de probleme",
        "pas de souci", "kein problem", "ningun problema", "no hay problema",
        "nessun problema", "not sure", "pas sur", "nicht sicher", "no estoy segur*",
        "non sono sicur*", "no later than", "pas plus tard que", "not later than",
        "nicht spater als", "no idea", "n a", "sans probleme", "not too late",
        "nichts besonderes", "nada especial", "niente di particolare", "rien de special",
        "rien de particulier", "nothing special", "no special requests", "keine wunsche",
        "keine besonderen wunsche", "aucune demande", "no requests",
        "you have a booker that would like", "based on availability", "subject to availability",
        "selon disponibilite", "sous reserve de disponibilite", "nach verfugbarkeit",
        "segun disponibilidad", "sujeto a disponibilidad", "in base alla disponibilita",
        "salvo disponibilita", "the guest has requested", "le client a demande",
        # a calm dog or a mid-afternoon arrival asks for nothing
        "est tres calme", "est calme", "is very quiet", "is quiet", "is very calm", "is calm",
        "ist sehr ruhig", "ist ruhig", "es muy tranquilo", "es tranquilo", "e molto tranquillo",
        "e tranquillo", "media tarde", "a media tarde", "tardo pomeriggio", "fin d apres midi",
        "late afternoon", "spaten nachmittag", "am spaten nachmittag",
    ),
}

# Words that carry no request of their own: politeness, greetings, glue words. A remainder made
# only of these does not need a human to read it.
POLITENESS = _words(
    "merci thanks thank thx thks thanx tks ty danke dankeschon gracias grazie please pls plz "
    "svp stp bitte favor favore regards cordialement cordially sincerely greetings salutations "
    "hello hi hey dear bonjour bonsoir bjr cdlt slt salut hallo servus moin hola buenas buenos "
    "dias buongiorno buonasera salve ciao cheers best kind warm wishes avance advance voraus "
    "anticipo antemano adelantado mfg lg vg gruss grusse gruessen grussen gruesse freundlichen "
    "freundliche liebe lieber liebes sehr geehrte geehrter damen herren saludos saludo "
    "atentamente cordiales cordiali saluti distinti gentile gentili egregi madame monsieur "
    "mesdames messieurs sir madam team equipe equipo staff vielen dank tausend mille muchas "
    "mil beaucoup lot much advance appreciated appreciate bisous abrazos baci besos "
    "welcome bienvenue herzlich herzliche herzlichen bonne journee soiree buen buona giornata "
    "sera tag abend"
)
FILLER = POLITENESS | _words(
    # English
    "a an the and or but if so as at by for from in into of on onto to with within without "
    "up down out about around over under we i me my our ours us you your it its it's is are "
    "was were be been being am will would could can may might shall should must do does did "
    "have has had get got getting need needed needs want wanted wants like liked would like "
    "love loved possible possibly if available availability request requests requested "
    "requesting room rooms hotel stay staying visit trip please kindly also too very really "
    "just only some any this that these those there here what which who whom whose when where "
    "why how all both each other another more most such no yes ok okay fine great good nice "
    "lovely perfect ideal appreciated much many thing things something anything nothing "
    "everything special note notes guest guests booking booked reservation reserved provide "
    "provided arrange arranged give have let make made sure ensure required require requires "
    "necessary able allow allowed thank regards look looking forward forwards quite rather "
    "later soon asap pm am day days night nights morning evening date dates please possible "
    "tonight hope hoping wondering wonder whether think maybe perhaps prefer preferred preferably "
    "preference option options n a na none nil thanks also then than after before during "
    "again already still yet one ones per etc",
) | _words(
    # French
    "le la les l un une des de du d au aux a et ou mais donc or ni car pour par sur sous dans "
    "en avec chez vers je j me m moi nous vous il elle ils elles on notre nos votre vos mon "
    "ma mes ton ta tes son sa ses leur leurs ce cet cette ces c ca cela ceci qui que qu quoi "
    "dont ou est sont etre ete etait serait serions sera seront suis sommes etes ai as avons "
    "avez ont avoir eu aurons aurait aurions pourrait pourrions pourriez pouvez peut puis "
    "pouvons possible possibilite souhaite souhaitons souhaiterais souhaiterions souhaiteraient "
    "voudrais voudrions aimerions aimerais besoin svp merci tres bien si oui non plus moins "
    "aussi encore deja chambre chambres hotel sejour reservation demande demandes nuit nuits "
    "jour jours merci beaucoup cordialement bonne soiree journee y s n t se te lui eux "
    "particulier particuliere special speciale rien tout tous toute toutes autre autres "
    "disponible dispo prevoir prevu prevue prevues installer mettre faire fait possible "
    "necessaire necessaires idealement idealement preference de preference svp stp",
) | _words(
    # German
    "der die das den dem des ein eine einen einem einer eines und oder aber wenn falls ob "
    "fur mit von vom zu zum zur im in am an auf aus bei nach uber unter vor um ich wir ihr "
    "sie es mich mir uns euch mein meine meinen meiner unser unsere unseren unserem unserer "
    "ihre ihren ist sind war waren bin bist sein hatte hatten habe haben hat wird werden "
    "wurde wurden wurde ware waren konnte konnten konnen kann mochte mochten mochte wollen "
    "will brauchen brauche brauchten bruchten benotigen benotige benotigt notig noetig "
    "gerne gern bitte danke zimmer hotel aufenthalt buchung wunsch wunsche besondere "
    "besonderen sehr auch noch schon moglich moeglich wenn ja nein nur mal etwas alles "
    "nacht nachte tag tage super toll schon schoen ware waere",
) | _words(
    # Spanish
    "el la los las lo un una unos unas de del al a y e o u pero si para por con sin en "
    "sobre que quien cual como cuando donde yo nosotros nosotras me mi mis nos nuestro "
    "nuestra nuestros nuestras su sus es son soy somos estoy estamos esta estan ser estar "
    "hay tener tenemos tengo tiene queremos quisieramos quisiera queria gustaria necesitamos "
    "necesito necesitariamos podria podrian podriamos pueden puede podemos posible favor "
    "gracias muchas habitacion habitaciones hotel estancia reserva noche noches dia dias "
    "tambien muy mas ya ok vale bien especial nada todo se le les te",
) | _words(
    # Italian
    "il lo la i gli le un uno una di del della dello dei degli delle da dal dalla dai "
    "dagli dalle a al alla allo ai agli alle in nel nella nei negli nelle su sul sulla "
    "con per tra fra e ed o ma se che chi cui come quando dove io noi mi ci me ce mio mia "
    "miei mie nostro nostra nostri nostre suo sua sono siamo e ero essere avere abbiamo "
    "ho ha hanno vorremmo vorrei volevamo serve servirebbe bisogno potete potreste possiamo "
    "puo possibile sarebbe favore grazie mille camera camere hotel soggiorno prenotazione "
    "notte notti giorno giorni anche molto piu gia bene ok particolare speciale niente "
    "tutto sara l c un po",
) | _words(
    # glue of our own rules: words that only appear around handled things
    "x xx stuck stk pieces piece pcs pz st h hr hrs hs uhr heures heure horas hora ore "
    "ca env approx aprox circa around environ etwa voraussichtlich probablement probably "
    "prevista previsto prevue prevu expected estimated approximate approximately aproximada "
    "aproximadamente vers gegen sobre hacia verso intorno th st nd rd er eme e o a te ten "
    "needed needs required necessary necesario necesaria necesarios necessario necessaria "
    "necessarie necessari erforderlich notwendig benotigt besoin nodig falta hace serve "
    "anymore longer finalement finally after all alla fine mehr ya more plus piu "
    "time heure uhrzeit hora orario arrival arrivee arrivo llegada ankunft",
)

# Who a wish is for, and when: context, never a request of its own.
CONTEXT = _words(
    "ll re ve s t d m husband wife partner son daughter kid kids child children baby boy girl "
    "mother father mum mom dad parents friend friends girlfriend boyfriend sister brother "
    "colleague colleagues family adults adult people persons old years months weeks "
    "mari femme epoux epouse conjoint fils fille filles enfant enfants bebe garcon mere pere "
    "parents ami amie amis soeur frere collegue collegues famille adultes personnes ans mois "
    "mann frau ehemann ehefrau partnerin sohn tochter kind kinder mutter vater eltern freund "
    "freundin schwester bruder kollege kollegen familie erwachsene personen jahre monate "
    "marido mujer esposa esposo hijo hija hijos nino nina ninos madre padre padres amigo amiga "
    "amigos hermana hermano companero familia adultos personas anos meses "
    "marito moglie compagno compagna figlio figlia figli bambino bambina bambini madre padre "
    "genitori amico amica amici sorella fratello collega colleghi famiglia adulti persone anni "
    "mesi "
    "monday tuesday wednesday thursday friday saturday sunday lundi mardi mercredi jeudi "
    "vendredi samedi dimanche montag dienstag mittwoch donnerstag freitag samstag sonntag lunes "
    "martes miercoles jueves viernes sabado domingo lunedi martedi mercoledi giovedi venerdi "
    "sabato domenica january february march april may june july august september october "
    "november december janvier fevrier mars avril mai juin juillet aout septembre octobre "
    "novembre decembre januar februar marz juni juli oktober dezember enero febrero marzo "
    "abril mayo junio julio agosto septiembre octubre noviembre diciembre gennaio febbraio "
    "aprile maggio giugno luglio settembre ottobre dicembre today tomorrow tonight demain "
    "aujourd hui ce soir morgen heute manana hoy domani oggi stasera first second third "
    "premier premiere erste ersten primer primera primo prima booker availability "
    "disponibilite verfugbarkeit disponibilidad disponibilita amazing wonderful awesome "
    "appreciated genial super top parfait parfaite parfaits idealement ideale ideal "
    "toll fantastisch perfecto perfetto fantastico fantastica stupendo "
    "kitchen cuisine kuche kueche cocina cucina restaurant weitergeben informieren "
    "now maintenant jetzt ahora ora adesso booked gebucht reserve reserviert reservado "
    "reservada prenotato prenotata coming come venons venir venimos vamos veniamo kommen "
    "voyageons voyage viajamos viaggiamo reisen travelling traveling travel car cars voiture "
    "auto coche macchina wagen plane avion flugzeug aereo pied foot erst geht"
)
# Negation words are not content either: "pas", "kein" alone ask for nothing.
NEGATION_WORDS = _words(
    "pas plus aucun aucune jamais ni no not never none nor neither without kein keine keinen "
    "keinem keiner keines nicht ohne nein weder sin ningun ninguna ninguno tampoco senza "
    "nessun nessuna nessuno neanche nemmeno don doesn didn won isn aren cancel"
)
FILLER = FILLER | CONTEXT | NEGATION_WORDS | frozenset(
    "one two three four five six deux trois quatre cinq zwei drei vier funf dos tres cuatro "
    "cinco due tre quattro cinque".split()
)

# Words that are a count in front of a wish ("deux lits bébé", "two cots").
NUMBER_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "couple": 2,
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
    "zwei": 2, "zwo": 2, "drei": 3, "vier": 4, "funf": 5, "sechs": 6,
    "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6,
}

# Abbreviations guests use, expanded before matching.
ABBREVIATIONS: dict[str, str] = {
    "zi": "zimmer", "zimm": "zimmer", "hab": "habitacion", "xtra": "extra", "addl": "additional",
    "bjr": "bonjour", "cdlt": "cordialement", "dispo": "disponible", "w": "with",
    "pls": "please", "plz": "please", "thx": "thanks", "tks": "thanks", "rm": "room",
}

# After one of these a full stop is an abbreviation ("ca.", "Zi."), not the end of a sentence.
DOT_ABBREVIATIONS = frozenset(
    "ca env approx aprox zi hab nr no tel bzw usw etc mr mrs ms dr st ste av vs z b d h min "
    "p a m i e u sr sra srta sig dott".split()
)

# Words that begin a new clause: a negation before them does not reach past them.
CONTRAST_WORDS = frozenset("but mais aber sondern pero sino pero pero tuttavia pero pero "
                           "however cependant toutefois jedoch allerdings".split())
AND_WORDS = frozenset("and et und y e also aussi ausserdem ademas inoltre".split())
# "2 Stück": a count written after the wish
PIECE_WORDS = frozenset("stuck stk pieces piece pcs pz pezzi unidades unites units x".split())
OR_WORDS = frozenset("or ou oder o u oppure ovvero bzw".split())
CONDITION_WORDS = frozenset("if si wenn falls se ob".split())
# Late-evening words that make "arriving around 11" mean 23:00.
LATE_WORDS = frozenset("late tard tardive tardif spat spate spaten spater tarde tardia tardio "
                       "tardi tarda tonight soir evening abend abends noche sera".split())
# A negation on its own after a comma refers back: "Abbiamo la culla, non serve."
NEED_WORDS = frozenset("needed need required necessary necessaire necessaires notig noetig "
                       "notwendig erforderlich benotigt mehr serve servono necessari necessaria "
                       "necessario necessarie falta hace necesari necesaria necesario please "
                       "thanks merci danke gracias grazie besoin plus anymore more longer "
                       "bitte svp".split())
# A greeting opens a clause that may carry a name ("Dear Anna", "Hallo Frau Meier").
GREETING_WORDS = frozenset("hello hi hey dear bonjour bonsoir bjr hallo liebe lieber "
                           "geehrte geehrter hola estimado estimada estimados buongiorno "
                           "buonasera gentile gentili salve ciao caro cara madame monsieur "
                           "guten".split())
# A closing formula: a few words after it are a signature.
CLOSING_WORDS = frozenset("regards cordialement gruss grusse gruesse grussen saludos saluti "
                          "cheers sincerely atentamente mfg lg vg cdlt bisous abrazos baci "
                          "thanks merci danke gracias grazie thank yours".split())
