"""Turn a guest's free-text wishes into catalogue requests, an arrival time and a remainder.

Guests write in French, English, German, Spanish and Italian, often mixed, with typos and
abbreviations, and booking sites add their own phrasing. The parser's promise to the front
desk: every wish it recognises becomes a request with the guest's own words attached; what it
does not understand is never dropped but kept as ``unmatched``, and ``needs_triage`` says
whether a human has to read it.

How it reads a text, in order:

1. normalise (lower case, no accents, markup blanked) and cut into words, sentences and
   clauses (commas, "but", "mais", "aber"...);
2. find clock times ("vers 23h", "9.30pm", "gegen 18 Uhr", "a las 11 de la noche");
3. repair typos in words nobody knows ("parkng" -> "parking") with one edit at most;
4. match the catalogue's keyword phrases plus the parser's own function words (negations,
   indifference, arrival words...), longest phrase first, sentence by sentence (steps 3 and 4
   are ``requests.wish_matcher``, cached per catalogue, word and sentence);
5. apply negation ("pas besoin de lit bébé"), indifference ("peu importe") and "X or Y" between
   two exclusive wishes;
6. give each time an owner: the arrival (-> ETA), a wake-up call, a table, a transfer...;
7. add what follows from the ETA (late arrival from 21:00 or after midnight; early check-in
   when the guest wants the room before check-in time);
8. give a health wish (allergy, mobility: the catalogue's sensitive entries) the words about
   it, and read its severity from them (requests.severity);
9. keep what was not explained, and decide whether a human must read it.

A health wish's words are never split into a leftover: "Severe nut allergy, please inform the
restaurant" is one food allergy, critical, quoting the whole sentence. The wish keeps every
other word of its clause (up to another wish, or an "and" that asks for something else), and
the neighbouring clauses without a wish of their own that only talk about it (how serious it
is, who to tell, the allergen, the injector: ``requests.severity.HEALTH_CONTEXT``); such a
clause further away in the same sentence is quoted after a "…".

What needs triage: a clause in which nothing was recognised and which holds more than
politeness ("Merci !", "Kind regards, Anna") or glue words; or something joined to a
recognised wish by "and" / "+" ("lit bébé + chaise haute"). Other leftover words in a clause
with a recognised wish describe that wish ("un lit d'appoint pour notre fils de 10 ans"): they
stay in ``unmatched`` for the record but do not raise a triage task, which would otherwise
follow almost every wish.

Size: texts longer than ``MAX_ANALYSED_CHARS`` (20,000 characters; booking channels cap special
requests far below that) are read up to that point and the rest is handed over untouched in
``unmatched`` with ``needs_triage``: a pasted document needs a human anyway, and a megabyte
then costs about 0.1 s. Every step is linear, so even uncapped a megabyte takes 1.5-3 s, not
minutes.

Conventions for arrival times, which the labelled test set follows: the first time of a range
is the ETA ("between 22:00 and 23:00" -> 22:00); a flight or train time is the transfer's time,
not the ETA; a time with the check-in ("check in at 10am") is the ETA; a bare hour from 1 to 7
for an arrival ("arriving around 3") is afternoon/evening, and a bare hour up to 11 next to
"late"/"tonight"/"soir" is evening.
"""

from __future__ import annotations

import datetime as dt
import logging
from bisect import bisect_left
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from core.collector import cycle_collection_paused
from requests.catalogue_defaults import DEFAULT_CATALOGUE, CatalogueEntry
from requests.severity import NORMAL, health_context_length, read_severity
from requests.wish_matcher import Matcher, Phrase, matcher_for
from requests.wish_matcher import clear_caches as clear_matcher_caches
from requests.wish_text import (
    ABBREVIATIONS,
    AND_WORDS,
    ASCII_TOKEN_SPLIT_RE,
    CACHED_CHARS,
    CLOSING_WORDS,
    CONDITION_WORDS,
    CONTRAST_WORDS,
    DOT_ABBREVIATIONS,
    FILLER,
    GREETING_WORDS,
    LATE_WORDS,
    NEED_WORDS,
    NUMBER_WORDS,
    OR_WORDS,
    PIECE_WORDS,
    POLITENESS,
    TOKEN_SPLIT_RE,
    TimeMention,
    blank_markup,
    find_dates,
    find_times,
    has_time_words,
    normalise,
)
from requests.wish_text import clear_caches as clear_text_caches

__all__ = ["ParseResult", "ParsedWish", "clear_caches", "parse_many", "parse_wishes"]

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ParsedWish:
    """One recognised wish: a catalogue code and the guest's words for it."""

    code: str
    text: str  # the span of the ORIGINAL text it matched
    quantity: int | None
    time: str | None  # "HH:MM" for timed wishes (wake-up 6:30 -> "06:30"), else None
    severity: str = NORMAL  # "critical" for a health wish the guest's words say is serious


@dataclass(frozen=True)
class ParseResult:
    """Everything the parser made of one wish text."""

    requests: tuple[ParsedWish, ...]
    eta: str | None  # "HH:MM"
    unmatched: str  # what the parser did not explain, original text, whitespace-collapsed
    needs_triage: bool  # the unmatched remainder is more than politeness or filler

    def as_json(self) -> dict:
        """Plain data for the command line and the services (no triage flag: it is derived)."""
        return {
            "requests": [
                {"code": w.code, "text": w.text, "quantity": w.quantity, "time": w.time,
                 "severity": w.severity}
                for w in self.requests
            ],
            "eta": self.eta,
            "unmatched": self.unmatched,
        }


# Codes the parser's own rules refer to. A catalogue without them simply never gets them.
LATE_ARRIVAL = "late_arrival"
EARLY_CHECK_IN = "early_check_in"
LATE_CHECK_OUT = "late_check_out"
AIRPORT_TRANSFER = "airport_transfer"
RESTAURANT_BOOKING = "restaurant_booking"
# Wishes whose time is the time next to them ("wake-up call at 6:30").
TIMED_CODES = frozenset({"wake_up_call", RESTAURANT_BOOKING, AIRPORT_TRANSFER, LATE_CHECK_OUT,
                         EARLY_CHECK_IN, LATE_ARRIVAL})
# "Double or twin": asking for either of two exclusive wishes is asking for neither.
EXCLUSIVE_PAIRS = (frozenset({"double_bed", "twin_beds"}), frozenset({"high_floor", "low_floor"}))
_EXCLUSIVE_CODES = frozenset().union(*EXCLUSIVE_PAIRS)
# A floor refused names the other end: "pas dans les étages", "not on the ground floor".
OPPOSITE_WHEN_REFUSED = {"high_floor": "low_floor", "low_floor": "high_floor"}
# Refusals that only say the thing is not needed ("no need for a high floor"): nothing flips.
_NEEDLESS = frozenset({"pas besoin", "plus besoin", "no need", "unnecessary", "inutile",
                       "unnotig", "innecesari"})
LATE_FROM = 21 * 60  # an arrival from 21:00...
LATE_UNTIL = 5 * 60  # ...or after midnight until 05:00 is a late arrival
CHECK_OUT_BY = 12 * 60  # leaving the room after noon is a late check-out
MEAL_WORDS = frozenset({"dinner", "diner", "cena", "cenar", "abendessen", "dinieren"})

# Beyond this size a text is a pasted document, not a wish list (booking channels cap special
# requests at a few hundred characters): the parser reads the beginning and leaves the rest to
# a human, untouched, so a megabyte still parses in milliseconds.
MAX_ANALYSED_CHARS = 20_000
# Typo repair is for short wish texts; a flood of unknown words must not cost a second.
MAX_TYPO_REPAIRS = 300

_NEG_REACH_AHEAD = 6
_NEG_REACH_BACK = 5
_FOR_WORDS = frozenset({"for", "pour", "fur", "para", "per"})
_PEOPLE_WORDS = frozenset({"people", "persons", "personnes", "personen", "personas", "persone",
                           "pax", "guests", "adults", "adultes", "erwachsene", "adultos", "adulti",
                           "of", "us"})
_SENTENCE_MARKS = frozenset("!?;\n\r|")
_SEGMENT_WORDS = CONTRAST_WORDS | AND_WORDS | OR_WORDS
# Phrases whose words are explained by being found (a negation waits for its wish).
_EXPLAINING_ROLES = frozenset({"wish", "neutral", "indifference", "declined", "check_in",
                               "check_out", "arrival", "forget", "room_access"})
_REFUSING_ROLES = frozenset({"negation", "instead", "except", "own", "indifference",
                             "declined"})
# Words that say a thing is (not) needed, as opposed to politeness ("bitte", "please").
_NEED_PROPER = NEED_WORDS - POLITENESS - frozenset({"plus", "anymore", "more", "longer", "mehr"})
# A non-food allergy explains words that would otherwise read as other wishes in its sentence:
# the cat of "allergic to cats", the "allergy" of "dust mite allergy", the hypoallergenic
# bedding it asks for (a feather-free request names feathers).
ABSORBED_BY_ALLERGY = {"pet": None, "food_allergy": ("allerg", "alerg"),
                       "feather_free": ("hypo", "hipo", "anallerg", "antiallerg", "anti",
                                        "allergiker", "non allergenic"),
                       "welcome_amenity": ("flower", "fleur", "blume", "flor", "fiori",
                                           "bouquet", "ramo", "mazzo")}
# The allergy names an animal: any pet word in its sentence is about the allergen.
_ANIMAL_STEMS = ("cat", "chat", "katze", "gat", "dog", "chien", "hund", "perr", "can", "animal",
                 "tier", "pelo", "poil", "pet", "mascot")
OTHER_ALLERGY = "other_allergy"
_AND_REACH = 12  # words after an "and" that may ask for something besides a health wish
_INDIFFERENCE_REACH = 12  # "lit double ou deux lits séparés, c'est égal": about a dozen words


# --------------------------------------------------------------------------------------------
# One parse
# --------------------------------------------------------------------------------------------


class _Match:
    """One phrase found in the text (plain attributes: this is the parser's hot path)."""

    __slots__ = ("code", "first", "last", "negated", "phrase", "pieces", "positions",
                 "quantity", "quantity_pos", "quote_from", "role", "time")

    def __init__(self, phrase: Phrase, positions: list[int]):
        self.phrase = phrase
        self.positions = positions
        self.first = positions[0]
        self.last = positions[-1]
        self.code = phrase.code
        self.role = phrase.role
        self.negated = False
        self.quantity: int | None = None
        self.time: str | None = None
        self.quantity_pos: int | None = None
        self.quote_from: int | None = None  # a floor asked by refusing the other end: the refusal
        self.pieces: list[tuple[int, int]] = []  # a health wish's quoted words (token ranges)


@dataclass
class _Found:
    """A wish the rules derived rather than read (late arrival from the ETA...)."""

    code: str
    start: int  # token range for the quoted text
    end: int
    time: str | None


# A wish asked for: (code, health quote pieces or None, first and last token to quote
# otherwise, quantity, time).
_Wanted = tuple[str, tuple[tuple[int, int], ...] | None, int, int, int | None, str | None]
# All a reading decided, before quoting: (wishes, ETA, leftover spans, triage).
_Plan = tuple[tuple[_Wanted, ...], str | None, tuple[tuple[int, int, bool], ...], bool]


class _Reading:
    """The state of parsing one text; methods are the steps of the module docstring."""

    def __init__(self, text: str, matcher: Matcher, check_in: dt.time):
        self.text = text
        self.matcher = matcher
        self.check_in_minutes = check_in.hour * 60 + check_in.minute
        norm, self.offsets = normalise(text)
        self.norm = norm = blank_markup(norm)
        # [gap, token, gap, ..., token, gap]: the tokens, what lies between them and, summing
        # the lengths, where each starts and ends, without a match object per token
        pieces = (ASCII_TOKEN_SPLIT_RE if norm.isascii() else TOKEN_SPLIT_RE).split(norm)
        bounds = list(accumulate(map(len, pieces)))
        self.starts: list[int] = bounds[0:-1:2]
        self.ends: list[int] = bounds[1::2]
        self.gaps: list[str] = pieces[0::2]  # gaps[i]: the text just before token i
        self.tokens: list[str] = pieces[1::2]  # as written (``words`` gets repaired)
        self.words: list[str] = pieces[1::2]
        self.n = len(self.words)
        self.explained = [False] * self.n
        self.soft = [False] * self.n  # signature names, greetings: never worth a triage
        self.time_of_token: list[int] = [-1] * self.n
        self.refused_in: set[tuple[int, str]] = set()  # (sentence, code) a refusal covers

    # -- 1. sentences and clauses ---------------------------------------------------------
    def segment(self) -> None:
        n, words, gaps = self.n, self.words, self.gaps
        self.or_before = or_before = [False] * n  # an "or" or "/" stands right before it
        self.sentence_starts = [0] if n else []  # the first token of each sentence
        sentence_of: list[int] = []
        clause_of: list[int] = []
        scope_of: list[int] = []
        self.clause_spans: dict[int, tuple[int, int]] = {}  # first and last token, in order
        sentence = clause = scope = 0
        filled = clause_first = 0
        # only a gap other than one space, or a word that opens a clause or a scope, or "or",
        # changes anything: the tokens in between share their numbers
        for i in [i for i in range(1, n) if gaps[i] != " " or words[i] in _SEGMENT_WORDS]:
            run = i - filled
            sentence_of += [sentence] * run
            clause_of += [clause] * run
            scope_of += [scope] * run
            filled = i
            was = clause
            gap = gaps[i]
            if gap != " ":
                if self._ends_sentence(gap, i):
                    self.sentence_starts.append(i)
                    sentence += 1
                    clause += 1
                    scope += 1
                elif "," in gap or " - " in gap or "+" in gap or self._ordinal_dot(gap, i):
                    clause += 1
                    scope += 1
                if "/" in gap:
                    or_before[i] = True
            w = words[i]
            if w in CONTRAST_WORDS:
                clause += 1
                scope += 1
            elif w in AND_WORDS and not self._accented(i):
                scope += 1
            elif w in OR_WORDS:
                or_before[i] = True
            if clause != was:
                self.clause_spans[was] = (clause_first, i - 1)
                clause_first = i
        run = n - filled
        sentence_of += [sentence] * run
        clause_of += [clause] * run
        scope_of += [scope] * run
        if n:
            self.clause_spans[clause] = (clause_first, n - 1)
        self.sentence, self.clause, self.scope = sentence_of, clause_of, scope_of

    def _accented(self, i: int) -> bool:
        """Italian "è" (is) normalises to "e" (and): the guest's own letter tells them apart."""
        return self.text[self.offsets.start(self.starts[i])] in "èéÈÉ"

    def _ends_sentence(self, gap: str, i: int) -> bool:
        if not _SENTENCE_MARKS.isdisjoint(gap):
            return True
        if "." not in gap:
            return False
        prev = self.words[i - 1]
        if prev == "h" and i >= 2 and self.words[i - 2].isdigit():
            return True  # "vers 23h. Vélo ?"
        # "ca.", "Zi.", "p.m." are abbreviations; "60. Geburtstag", "am 14. Juli" ordinals
        return not (prev in DOT_ABBREVIATIONS or len(prev) == 1 or prev.isdigit())

    def _ordinal_dot(self, gap: str, i: int) -> bool:
        return "." in gap and self.words[i - 1].isdigit()

    # -- 2. clock times ---------------------------------------------------------------------
    def find_clock_times(self) -> None:
        self.times: list[TimeMention] = []
        self.time_tokens: list[tuple[int, int]] = []
        if not any(map(str.isdigit, self.words)) and not (
                self.n and has_time_words(self.norm, self.tokens)):
            return
        starts, explained, time_of_token = self.starts, self.explained, self.time_of_token
        for start, end in find_dates(self.norm):
            for k in range(bisect_left(starts, start), bisect_left(starts, end)):
                explained[k] = True  # the stay's dates are in the booking already
                time_of_token[k] = -2  # never a count, never a keyword
        self.times = find_times(self.norm, self.tokens)
        for t_index, t in enumerate(self.times):
            first = bisect_left(starts, t.start)  # the tokens starting within the time
            stop = bisect_left(starts, t.end, first)
            for k in range(first, stop):
                time_of_token[k] = t_index
            self.time_tokens.append((first, stop - 1) if stop > first else (-1, -1))

    # -- 3. typos and abbreviations ---------------------------------------------------------
    def repair_words(self) -> None:
        known, matcher, words = self.matcher.known, self.matcher, self.words
        budget = MAX_TYPO_REPAIRS
        kept, time_of_token = matcher.kept, self.time_of_token
        if self.times or -2 in time_of_token:  # clocks or dates: their tokens go too
            todo = [i for i, w in enumerate(words) if w not in kept or time_of_token[i] != -1]
        else:  # most words are known and stay as they are
            todo = [i for i, w in enumerate(words) if w not in kept]
        for i in todo:
            w = words[i]
            if time_of_token[i] != -1:
                words[i] = ""  # a clock time or a date is never part of a keyword
                continue
            full = ABBREVIATIONS.get(w)
            if full is not None:
                words[i] = full
            elif w in known:
                continue
            elif budget and 4 <= len(w) <= 30 and w.isascii() and w.isalpha():
                budget -= 1
                words[i] = matcher.repair(w)

    # -- 4. phrases -------------------------------------------------------------------------
    def match_phrases(self) -> None:
        chosen: list[_Match] = []
        words, n = self.words, self.n
        phrases_in = self.matcher.phrases_in
        explained = self.explained
        bounds = self.sentence_starts
        for s, start in enumerate(bounds):  # phrases never reach across a sentence: cached
            end = bounds[s + 1] if s + 1 < len(bounds) else n
            for phrase, positions in phrases_in(tuple(words[start:end])):
                m = _Match(phrase, [start + k for k in positions] if start else list(positions))
                chosen.append(m)
                if phrase.role in _EXPLAINING_ROLES:
                    for k in m.positions:
                        explained[k] = True
        self.matches = chosen
        self.wishes = [m for m in chosen if m.role == "wish"]
        self.wish_tokens: set[int] = set()

    def _index(self) -> None:
        """Where the wishes are, so each rule looks only at its neighbourhood (linear time)."""
        self.wish_starting_at = {w.first: w for w in self.wishes}
        self.wish_tokens = {k for w in self.wishes for k in w.positions}
        self.wishes_in_scope: dict[int, list[_Match]] = defaultdict(list)
        self.wishes_in_clause: dict[int, list[_Match]] = defaultdict(list)
        for w in self.wishes:
            for index, ids in ((self.wishes_in_scope, self.scope),
                               (self.wishes_in_clause, self.clause)):
                index[ids[w.first]].append(w)
                if ids[w.last] != ids[w.first]:
                    index[ids[w.last]].append(w)
        self.clause_span = self.clause_spans
        self.forget_starts = [m.first for m in self.matches if m.role == "forget"]
        self.scope_starts = {scope: [w.first for w in ws]
                             for scope, ws in self.wishes_in_scope.items()}
        self.clause_starts = {clause: [w.first for w in ws]
                              for clause, ws in self.wishes_in_clause.items()}

    def _wishes_in_clause_near(self, clause: int, lo: int, hi: int) -> list[_Match]:
        wishes = self.wishes_in_clause.get(clause)
        if not wishes:
            return []
        starts = self.clause_starts[clause]
        return wishes[bisect_left(starts, lo):bisect_left(starts, hi)]

    def _wishes_near(self, scope: int, lo: int, hi: int) -> list[_Match]:
        """Wishes of a negation scope starting in [lo, hi) (lists are in text order)."""
        wishes = self.wishes_in_scope.get(scope)
        if not wishes:
            return []
        starts = self.scope_starts[scope]
        return wishes[bisect_left(starts, lo):bisect_left(starts, hi)]

    # -- 5. negation and indifference -------------------------------------------------------
    def apply_negation(self) -> None:
        if not self.wishes:
            return
        if any(m.role in _REFUSING_ROLES for m in self.matches):
            self._index()
        else:
            self.wish_tokens = {k for w in self.wishes for k in w.positions}
            self._exclusive_choices()
            return
        for m in self.matches:
            if m.role in ("negation", "instead", "except"):
                self._negate_from(m)
            elif m.role == "own":
                follower = self.wish_starting_at.get(m.last + 1)
                if follower is not None and self.scope[follower.first] == self.scope[m.last]:
                    follower.negated = True
                    self._explain(m.positions)
            elif m.role == "indifference":
                for w in self._indifferent_to(m):
                    w.negated = True
            elif m.role == "declined":
                for w in self._asked_just_before(m):
                    w.negated = True
                    # "Un lit bébé ? Non merci, nous avons un lit parapluie": theirs
                    self.refused_in.add((self.sentence[m.first], w.code))
        self._exclusive_choices()

    def _negate_from(self, neg: _Match) -> None:
        start = neg.first
        words = self.words
        if any(words[k] in CONDITION_WORDS for k in range(max(0, start - 2), start)):
            return  # "if not possible": a condition, not a refusal
        scope = self.scope[neg.last]
        ahead = self._wishes_near(scope, neg.last + 1, neg.last + _NEG_REACH_AHEAD + 1)
        if ahead:
            # "n'oubliez pas le lit bébé" is a reminder, not a refusal
            targets = [w for w in ahead if not self._forget_between(max(0, start - 2), w.first)]
            if len(targets) < len(ahead):
                self._explain(neg.positions)
        elif neg.role in ("instead", "except"):  # only what follows
            targets = []
        else:
            nearby = self._wishes_near(scope, neg.first - _NEG_REACH_BACK - 16, neg.first)
            targets = [w for w in nearby if self.scope[w.last] == scope
                       and 0 < neg.first - w.last <= _NEG_REACH_BACK]
            if not targets and self._clause_only_refuses(neg):
                clause = self.clause[neg.first]
                targets = [w for w in self.wishes_in_clause.get(clause - 1, [])
                           if self.clause[w.last] == clause - 1
                           and self.sentence[w.last] == self.sentence[neg.first]]
        needless = " ".join(words[k] for k in neg.positions) in _NEEDLESS or any(
            words[k] in _NEED_PROPER for k in range(neg.first, min(self.n, neg.last + 8))
            if self.scope[k] == scope)
        for w in targets:
            opposite = OPPOSITE_WHEN_REFUSED.get(w.code)
            if opposite and neg.role in ("negation", "except") and not needless:
                w.code = opposite  # refusing one end of the building asks for the other
                w.quote_from = neg.first  # and the refusal is what the agent reads
            else:
                w.negated = True
        if targets:
            self._explain(neg.positions)

    def _asked_just_before(self, declined: _Match) -> list[_Match]:
        """The wishes of a question that "no thanks" opens its sentence to answer."""
        first = declined.first
        if first == 0 or self.sentence[first - 1] == self.sentence[first]:
            return []
        if "?" not in self.gaps[first]:
            return []
        asked = self.sentence[first - 1]
        return [w for w in self.wishes if self.sentence[w.first] == asked]

    def _forget_between(self, start: int, end: int) -> bool:
        i = bisect_left(self.forget_starts, start)
        return i < len(self.forget_starts) and self.forget_starts[i] < end

    def _clause_only_refuses(self, neg: _Match) -> bool:
        """'..., non serve' / '..., not needed': a clause that is nothing but a refusal."""
        first, last = self.clause_span[self.clause[neg.first]]
        return all(k in neg.positions or self.words[k] in NEED_WORDS or self.words[k] in FILLER
                   for k in range(first, last + 1))

    def _indifferent_to(self, marker: _Match) -> list[_Match]:
        clause, sentence = self.clause[marker.first], self.sentence[marker.first]
        lo, hi = marker.first - _INDIFFERENCE_REACH, marker.last + _INDIFFERENCE_REACH
        same = self._wishes_in_clause_near(clause, lo - 16, hi)
        if same:
            return same
        before = [w for w in self._wishes_in_clause_near(clause - 1, lo - 16, marker.first)
                  if self.sentence[w.first] == sentence and self.clause[w.last] == clause - 1]
        if before:
            return before
        after = [w for w in self._wishes_in_clause_near(clause + 1, marker.last, hi)
                 if self.sentence[w.first] == sentence and self.clause[w.first] == clause + 1]
        if after and self.words[after[0].first] not in CONTRAST_WORDS:
            return after
        return []

    def _exclusive_choices(self) -> None:
        if sum(w.code in _EXCLUSIVE_CODES for w in self.wishes) < 2:
            return  # no pair to choose between
        positive = [w for w in self.wishes if not w.negated]
        for i, a in enumerate(positive):
            for b in positive[i + 1:]:
                if b.first - a.last > 12 or self.sentence[a.last] != self.sentence[b.first]:
                    break
                if b.first <= a.last or frozenset({a.code, b.code}) not in EXCLUSIVE_PAIRS:
                    continue
                if any(self.or_before[k] for k in range(a.last + 1, b.first + 1)):
                    a.negated = b.negated = True

    # -- quantities -------------------------------------------------------------------------
    def read_quantities(self) -> None:
        words = self.words
        if NUMBER_WORDS.keys().isdisjoint(words) and not any(map(str.isdigit, words)):
            return  # no count anywhere (a time's digits are "" by now)
        for w in self.wishes:
            if w.negated:
                continue
            q = self._count_before(w) or self._count_after(w)
            if q is not None:
                w.quantity = q

    def _number(self, k: int) -> int | None:
        if k < 0 or k >= self.n or self.time_of_token[k] != -1:
            return None
        word = self.words[k]
        value = int(word) if word.isdigit() and len(word) <= 2 else NUMBER_WORDS.get(word, 0)
        return value if 1 <= value <= 50 else None

    def _count_before(self, w: _Match) -> int | None:
        k = w.first - 1
        if k < 0 or self.clause[k] != self.clause[w.first]:
            return None
        if self.words[k] == "x" and self._number(k - 1):
            self.explained[k] = self.explained[k - 1] = True
            w.quantity_pos = k - 1
            return self._number(k - 1)
        q = self._number(k)
        if q is None and k - 1 >= 0 and self.words[k].isalpha() and not self._in_wish(k) and (
            self.starts[k] > self.ends[k - 1]  # "50th", "20ème" are ordinals, not counts
        ):
            q = self._number(k - 1)
            if q is not None and self.clause[k - 1] == self.clause[w.first]:
                self.explained[k] = True  # "2 grands oreillers": the adjective is in the span
                k -= 1
            else:
                q = None
        if q is not None:
            self.explained[k] = True
            w.quantity_pos = k
        return q

    def _count_after(self, w: _Match) -> int | None:
        k = w.last + 1
        if k >= self.n:
            return None
        # "Zusätzliche Kissen bitte, 2 Stück"
        j = k
        while j < self.n and j - k < 2 and self.words[j] in POLITENESS:
            j += 1
        if (j + 1 < self.n and self.sentence[j] == self.sentence[w.last] and self._number(j)
                and self.words[j + 1] in PIECE_WORDS):
            self.explained[j] = self.explained[j + 1] = True
            return self._number(j)
        gap = self.gaps[k].strip()
        if self.words[k] == "x" and k + 1 < self.n and self._number(k + 1):
            self.explained[k] = self.explained[k + 1] = True
            return self._number(k + 1)
        if gap in ("x", "×", "(", ":", "*", "=") and self._number(k):
            self.explained[k] = True
            return self._number(k)
        if self.words[w.last] in _FOR_WORDS and self._number(k):
            self.explained[k] = True  # "table for 4"
            if k + 1 < self.n and self.words[k + 1] in _PEOPLE_WORDS:
                self.explained[k + 1] = True
            return self._number(k)
        if self.words[k] in _FOR_WORDS and self._number(k + 1):
            after = self.words[k + 2] if k + 2 < self.n else ""
            if k + 2 >= self.n or self.clause[k + 2] != self.clause[k] or after in _PEOPLE_WORDS:
                self.explained[k] = self.explained[k + 1] = True
                if k + 2 < self.n and after:
                    self.explained[k + 2] = True
                return self._number(k + 1)
        return None

    def _in_wish(self, k: int) -> bool:
        return k in self.wish_tokens

    # -- 6. times ---------------------------------------------------------------------------
    def assign_times(self) -> None:
        self.eta_minutes: int | None = None
        self.eta_tokens: tuple[int, int] | None = None
        self.found: list[_Found] = []
        if not self.times:  # nothing to give an owner (and no ETA to derive anything from)
            return
        triggers = [m for m in self.matches
                    if m.role in ("arrival", "check_in", "check_out", "travel", "other_time")
                    or (m.role == "wish" and m.code in TIMED_CODES)]
        self.trigger_starts = [m.first for m in triggers]
        self.first_positive: dict[str, _Match] = {}
        for w in self.wishes:
            if not w.negated:
                self.first_positive.setdefault(w.code, w)
        self.negated_codes = {w.code for w in self.wishes if w.negated} - set(self.first_positive)
        positive = set(self.first_positive)
        triggered_eta: list[tuple[int, int, int, int]] = []
        loose_eta: list[tuple[int, int, int, int]] = []
        for index, t in enumerate(self.times):
            first, last = self.time_tokens[index]
            if first < 0:
                continue
            owner = self._owner(triggers, first, last)
            kind = self._kind(owner, triggers)
            minutes = t.hour * 60 + t.minute
            start = min(first, owner.first) if owner else first
            used = True
            if kind == "arrival":
                triggered_eta.append((first, self._evening(t, first, minutes), start, last))
            elif kind == "check_in":
                minutes = self._evening(t, first, minutes)
                triggered_eta.append((first, minutes, start, last))
                if LATE_UNTIL <= minutes < self.check_in_minutes:
                    self._derive(EARLY_CHECK_IN, start, last, minutes)
            elif kind == "check_out":
                minutes = self._afternoon(t, minutes, 7)
                if minutes > CHECK_OUT_BY:
                    self._derive(LATE_CHECK_OUT, start, last, minutes)
            elif kind == "travel":
                used = AIRPORT_TRANSFER in positive
                if used:
                    self._set_time(AIRPORT_TRANSFER, minutes)
            elif kind == "meal":
                used = RESTAURANT_BOOKING in positive
                if used:
                    self._set_time(RESTAURANT_BOOKING, self._afternoon(t, minutes, 10))
            elif kind == "other_time":
                used = False
            elif kind in TIMED_CODES:
                code = kind
                if owner is not None and owner.negated:
                    pass
                elif code in (LATE_ARRIVAL, EARLY_CHECK_IN):
                    minutes = self._evening(t, first, minutes)
                    triggered_eta.append((first, minutes, start, last))
                    self._set_time(code, minutes)
                elif code == LATE_CHECK_OUT:
                    self._set_time(code, self._afternoon(t, minutes, 7))
                elif code == RESTAURANT_BOOKING:
                    self._set_time(code, self._afternoon(t, minutes, 10))
                else:
                    self._set_time(code, minutes)
            elif t.settled or t.has_unit:
                taker = self._timed_wish_in_sentence(first)
                if taker is None:
                    loose_eta.append((first, minutes, first, last))
                else:  # "mesa para dos ... el viernes a las 21:00": the table's time
                    self._set_time(taker.code, self._afternoon(t, minutes, 10))
            else:
                used = False
            if used and owner is not None:
                self._explain(owner.positions)
            if used:
                self._explain(range(first, last + 1))
        chosen = (triggered_eta or loose_eta or [None])[0]
        if chosen is not None:
            _, self.eta_minutes, start, last = chosen
            self.eta_tokens = (start, last)
            self._explain(range(chosen[0], last + 1))

    def _timed_wish_in_sentence(self, first: int) -> _Match | None:
        """A wish with a time of its own (a table, a wake-up call, a transfer) still without
        its time, in the sentence of a time nothing else claimed."""
        for code in (RESTAURANT_BOOKING, "wake_up_call", AIRPORT_TRANSFER, LATE_CHECK_OUT):
            w = self.first_positive.get(code)
            if w is not None and w.time is None and self.sentence[w.first] == self.sentence[first]:
                return w
        return None

    def _owner(self, triggers: list[_Match], first: int, last: int) -> _Match | None:
        """The word a time belongs to: nearest before it in its clause, else after it, else
        the same in its sentence (a flight word only counts inside its own clause)."""
        clause, sentence = self.clause[first], self.sentence[first]
        best: _Match | None = None
        best_key: tuple[int, int, int] | None = None
        # phrases are short: only triggers starting close to the time can reach it
        lo = bisect_left(self.trigger_starts, first - 12 - 16)
        hi = bisect_left(self.trigger_starts, last + 7)
        for m in triggers[lo:hi]:
            if m.last < first:
                distance, side = first - m.last, 0
            elif m.first > last:
                distance, side = m.first - last, 1
            else:
                continue
            if self.clause[m.first] == clause or self.clause[m.last] == clause:
                rank, reach = 0, (8 if side == 0 else 5)
            elif self.sentence[m.last] == sentence and m.role != "travel":
                rank, reach = 1, (12 if side == 0 else 6)
            else:
                continue
            key = (rank, side, distance)
            if distance <= reach and (best_key is None or key < best_key):
                best, best_key = m, key
        return best

    def _kind(self, owner: _Match | None, triggers: list[_Match]) -> str | None:
        if owner is None:
            return None
        if owner.role == "wish":
            return owner.code
        if owner.role == "other_time":
            return "meal" if self.words[owner.first] in MEAL_WORDS else "other_time"
        if owner.role == "arrival":
            clause = self.clause[owner.first]
            lo = bisect_left(self.trigger_starts, owner.first - 8)
            hi = bisect_left(self.trigger_starts, owner.first)
            travel_before = any(m.role == "travel" and self.clause[m.last] == clause
                                and 0 < owner.first - m.last <= 3 for m in triggers[lo:hi])
            if travel_before:
                return "travel"
        return owner.role

    def _evening(self, t: TimeMention, first: int, minutes: int) -> int:
        """An arrival "around 3" is 15:00; "late, around 11" is 23:00."""
        if t.settled or t.has_unit or not 1 <= t.hour <= 11:
            return minutes
        sentence = self.sentence[first]
        late = any(self.sentence[k] == sentence and self.words[k] in LATE_WORDS
                   for k in range(max(0, first - 15), min(self.n, first + 15)))
        return minutes + 720 if late or t.hour <= 7 else minutes

    @staticmethod
    def _afternoon(t: TimeMention, minutes: int, up_to: int) -> int:
        if t.settled or t.has_unit or not 1 <= t.hour <= up_to:
            return minutes
        return minutes + 720

    def _set_time(self, code: str, minutes: int) -> None:
        w = self.first_positive.get(code)
        if w is not None and w.time is None:
            w.time = _hhmm(minutes)

    def _derive(self, code: str, start: int, end: int, minutes: int | None) -> None:
        if code in self.matcher.codes and code not in self.negated_codes:
            self.found.append(_Found(code, start, end, _hhmm(minutes) if minutes is not None
                                     else None))

    # -- 7. what follows from the arrival time ----------------------------------------------
    def derive_from_eta(self) -> None:
        eta = self.eta_minutes
        if eta is None or self.eta_tokens is None:
            return
        start, end = self.eta_tokens
        if eta >= LATE_FROM or eta < LATE_UNTIL:
            self._derive(LATE_ARRIVAL, start, end, eta)
            self._set_time(LATE_ARRIVAL, eta)
        if eta < self.check_in_minutes:
            self._set_time(EARLY_CHECK_IN, eta)
            if eta >= LATE_UNTIL:
                for m in self.matches:
                    if m.role in ("room_access", "check_in"):
                        self._derive(EARLY_CHECK_IN, m.first, m.last, eta)
                        break

    # -- 8. a health wish's words -----------------------------------------------------------
    def keep_health_words(self) -> None:
        """Each allergy or mobility wish takes its clause and the clauses that only talk about
        it, so its words are quoted together and never left over for triage."""
        health = [w for w in self._asked() if w.code in self.matcher.health_codes]
        if not health:
            return
        n = self.n
        code_of: dict[int, str] = {}
        for w in self.wishes:
            for k in w.positions:
                code_of.setdefault(k, w.code)
        self.health_word = health_word = [False] * n
        words, explained = self.words, self.explained
        k = 0
        while k < n:
            length = 0 if explained[k] else health_context_length(words, k)
            if length:
                end = min(n, k + length)
                health_word[k:end] = [True] * (end - k)
                k += length
            else:
                k += 1
        self.code_of = code_of
        # words worth quoting: the wishes' own, and leftover words that carry something
        matters = [k in code_of or self._matters(k, strict=False) for k in range(n)]
        # and the words about health, even those that are glue elsewhere ("Küche informieren")
        worth = [m or h for m, h in zip(matters, self.health_word, strict=True)]
        spans = self.clause_spans
        wish_clauses = {self.clause[k] for k in code_of}
        for w in health:
            a, b = self._widen(w, code_of, matters)
            self._explain(range(a, b + 1))
            w.pieces.append(self._trimmed(a, b, worth))
            for step in (1, -1):  # the clauses after it, then those before it
                c = self.clause[w.first if step < 0 else w.last] + step
                while c in spans and c not in wish_clauses and self._only_about_health(
                        spans[c], matters):
                    first, last = spans[c]
                    self._explain(range(first, last + 1))
                    if any(worth[first:last + 1]):
                        w.pieces.append(self._trimmed(first, last, worth))
                    c += step
        # a clause further away in a health wish's sentence that only talks about it
        by_sentence: dict[int, list[_Match]] = defaultdict(list)
        for w in health:
            by_sentence[self.sentence[w.first]].append(w)
        for c, (first, last) in spans.items():
            if c in wish_clauses or all(self.explained[first:last + 1]):
                continue
            if not any(worth[first:last + 1]) or not self._only_about_health(
                    (first, last), matters):
                continue
            near = by_sentence.get(self.sentence[first])
            if near:  # the nearest one (wishes are in text order)
                i = bisect_left([w.first for w in near], first) if len(near) > 1 else 0
                owner = min(near[max(0, i - 1):i + 1], key=lambda w: min(abs(w.first - first),
                                                                          abs(w.last - last)))
                self._explain(range(first, last + 1))
                owner.pieces.append(self._trimmed(first, last, worth))

    def _widen(self, w: _Match, code_of: dict[int, str], matters: list[bool]) -> tuple[int, int]:
        """The wish's clause around it, up to another wish or to an "and" asking for more."""
        clause = self.clause[w.first]

        def free(k: int) -> bool:
            return (0 <= k < self.n and self.clause[k] == clause
                    and (code_of.get(k) == w.code or not self.explained[k]))

        def asks_more(k: int, step: int) -> bool:
            """An "and" whose far side holds a word that is not about the health wish."""
            if self.words[k] not in AND_WORDS:
                return False
            j = k + step
            while free(j) and code_of.get(j) != w.code and abs(j - k) <= _AND_REACH:
                if matters[j] and not self.health_word[j]:
                    return True
                j += step
            return False

        a = w.first if w.quantity_pos is None else min(w.first, w.quantity_pos)
        b = w.last
        while free(a - 1) and not asks_more(a - 1, -1):
            a -= 1
        while free(b + 1) and not asks_more(b + 1, 1):
            b += 1
        return a, b

    def _only_about_health(self, span: tuple[int, int], matters: list[bool]) -> bool:
        first, last = span
        return all(not self.explained[k] and (not matters[k] or self.health_word[k])
                   for k in range(first, last + 1))

    def _trimmed(self, a: int, b: int, matters: list[bool]) -> tuple[int, int]:
        """Without the glue words at either end when they hold politeness or an "and"
        ("please", "per favore", "merci de"): the quote keeps the other words ("Ich bin
        Rollstuhlfahrerin, bitte ein barrierefreies Zimmer")."""

        def glue(k: int) -> bool:
            return self.words[k] in POLITENESS or self.words[k] in AND_WORDS or self.soft[k]

        start, end = a, b
        while start < b and not matters[start]:
            start += 1
        if any(glue(k) for k in range(a, start)):
            a = start
        while end > a and not matters[end]:
            end -= 1
        if any(glue(k) for k in range(end + 1, b + 1)):
            b = end
        return a, b

    # -- 9. what is left --------------------------------------------------------------------
    def mark_courtesies(self) -> None:
        """Greeting names and signatures are politeness, not wishes."""
        words, n = self.words, self.n
        # the last closing word, if among the last five words (a signature of at most four)
        closing = -1
        for k in range(n - 1, max(-1, n - 6), -1):
            if words[k] in CLOSING_WORDS:
                closing = k
                break
        if closing >= 0 and n - closing - 1 <= 4:
            for k in range(closing + 1, n):
                if not self.explained[k]:
                    self.soft[k] = True
        if GREETING_WORDS.isdisjoint(words):
            return
        k = 0
        while k < n:
            if words[k] in GREETING_WORDS:
                end = self.clause_spans[self.clause[k]][1]
                if end - k <= 3:
                    for j in range(k, end + 1):
                        self.soft[j] = True
                k = end + 1
            else:
                k += 1

    def remainder(self) -> tuple[tuple[tuple[int, int, bool], ...], bool]:
        """The token spans left over (first, last, with the punctuation after it), in text
        order, and whether a human must read them."""
        pieces: list[tuple[int, int, bool]] = []
        triage = False
        for k, end in self.clause_spans.values():
            if True not in self.explained[k:end + 1]:
                pieces.append((k, end, True))
                triage = triage or any(self._matters(j, strict=True) for j in range(k, end + 1))
            else:
                j = k
                while j <= end:
                    if self.explained[j]:
                        j += 1
                        continue
                    run_end = j
                    while run_end + 1 <= end and not self.explained[run_end + 1]:
                        run_end += 1
                    a, b = j, run_end
                    while a <= b and not self._matters(a, strict=False):
                        a += 1
                    while b >= a and not self._matters(b, strict=False):
                        b -= 1
                    if a <= b:
                        pieces.append((a, b, False))
                        # "lit bébé et une chaise haute": another thing asked for. Otherwise
                        # the words are the wish's context ("pour notre fils de 10 ans").
                        triage = triage or self._coordinated(j, run_end)
                    j = run_end + 1
        return tuple(pieces), triage

    def _coordinated(self, a: int, b: int) -> bool:
        """Is the leftover run a..b another thing asked for ("... and a high chair")?

        Something must follow an "and" / "+" in it; and if a recognised wish comes right after
        the run ("and a bottle of champagne"), a single "and" only describes that wish.
        """
        ands = [k for k in range(a, b + 1) if self.words[k] in AND_WORDS]
        if a > 0:
            gap = self.gaps[a]
            if "+" in gap or "&" in gap:
                ands.insert(0, a - 1)
        if not ands or not any(self._matters(k, strict=False) for k in range(ands[-1] + 1, b + 1)):
            return False
        followed_by_wish = b + 1 < self.n and self.clause[b + 1] == self.clause[a] and (
            self.explained[b + 1])
        return not followed_by_wish or len(ands) > 1

    def _matters(self, k: int, strict: bool) -> bool:
        """Does this leftover word carry something a human should read?"""
        if self.soft[k] or self.explained[k]:
            return False
        word = self.tokens[k]
        if word in FILLER or self.words[k] in FILLER:
            return False
        if word.isdigit():
            # "Zimmer 305" asks for something; "4 ans", "6 kg" only describe
            unit = self.words[k + 1] if k + 1 < self.n else ""
            return strict and unit not in FILLER and unit not in ("kg", "cm", "km", "m", "g")
        return True

    def _original(self, first: int, last: int, trailing: bool) -> str:
        if self.offsets.identity and not trailing:  # the common case, without the map
            return self.text[self.starts[first]:self.ends[last]]
        start = self.offsets.start(self.starts[first])
        end = self.offsets.end(self.ends[last])
        if trailing:
            stop = self.starts[last + 1] if last + 1 < self.n else len(self.norm)
            gap = self.text[end:self.offsets.start(stop) if stop < len(self.norm) else len(
                self.text)]
            end += len(gap.rstrip())
        return self.text[start:end]

    def _explain(self, positions: Iterable[int]) -> None:
        for k in positions:
            if 0 <= k < self.n:
                self.explained[k] = True

    # -- result -----------------------------------------------------------------------------
    def requests(self) -> tuple[_Wanted, ...]:
        """The wishes asked for, one per code, in text order: what to quote, quantity, time."""
        merged: dict[str, list] = {}  # code: [position, start, last, quantity, time, pieces]
        pieces: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for w in self._asked():
            pieces[w.code] += w.pieces
            start = w.quantity_pos if w.quantity_pos is not None else w.first
            if w.quote_from is not None:
                start = min(start, w.quote_from)
            self._merge(merged, w.code, w.first, start, w.last, w.quantity, w.time)
        for f in self.found:
            self._merge(merged, f.code, f.start, f.start, f.end, None, f.time)
        for code, ranges in pieces.items():
            if ranges and code in merged:
                merged[code][5] = self._quoted(code, ranges)
        ordered = sorted(merged.items(), key=lambda item: item[1][0])
        return tuple((code, quote, start, last, quantity, time)
                     for code, (_, start, last, quantity, time, quote) in ordered)

    def _quoted(self, code: str, ranges: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
        """A health wish's pieces in text order (quoted apart, joined by "…")."""
        joined: list[list[int]] = []
        for a, b in sorted(ranges):
            # glue words and the same wish's words between two pieces do not part them
            if joined and all(self.explained[k] and self.code_of.get(k, code) == code
                              for k in range(joined[-1][1] + 1, a)):
                joined[-1][1] = max(joined[-1][1], b)
            else:
                joined.append([a, b])
        return tuple((a, b) for a, b in joined)

    # -- the guest's words ------------------------------------------------------------------
    def accents(self) -> tuple[int, ...]:
        """The "and" words written with an accent ("è": is): all that reading the text takes
        from the original rather than the normalised text, besides the quotes."""
        text = self.text
        if "è" not in text and "é" not in text and "È" not in text and "É" not in text:
            return ()
        return tuple(i for i, w in enumerate(self.tokens) if w in AND_WORDS and self._accented(i))

    def render(self, plan: _Plan) -> ParseResult:
        """The result, quoting this text: ``plan`` may come from another text with the same
        normalised words (the same text in capitals)."""
        wanted, eta, leftover, triage = plan
        requests = []
        for code, quote, start, last, quantity, time in wanted:
            if quote is None:
                requests.append(ParsedWish(code, self._original(start, last, False), quantity,
                                           time))
            else:
                text = " … ".join(self._closed(a, b) for a, b in quote)
                requests.append(ParsedWish(code, text, quantity, time, _severity(text)))
        if not leftover:
            return ParseResult(tuple(requests), eta, "", triage)
        unmatched = _collapse(" ".join(self._original(a, b, t) for a, b, t in leftover))
        if not unmatched.isprintable():  # (printable: no control character to blank)
            unmatched = _collapse(_printable(unmatched))
        return ParseResult(tuple(requests), eta, unmatched, triage)

    def _closed(self, first: int, last: int) -> str:
        """The original words, with the bracket they opened closed: "(allergie)"."""
        text = self._original(first, last, trailing=False)
        if text.count("(") > text.count(")"):
            end = self.offsets.end(self.ends[last])
            rest = self.text[end:end + 3]
            if rest.lstrip().startswith(")"):
                text += rest[: rest.index(")") + 1].strip()
        return text

    def _asked(self) -> list[_Match]:
        """The wishes the guest asks for, in text order (known once negation is read)."""
        asked: list[_Match] | None = getattr(self, "_asked_wishes", None)
        if asked is None:
            asked = self._asked_wishes = self._find_asked()
        return asked

    def _find_asked(self) -> list[_Match]:
        # "Kein Babybett nötig, wir bringen ein Reisebett mit": in one sentence, a refusal of a
        # wish outweighs another mention of it
        refused = {(self.sentence[w.first], w.code) for w in self.wishes if w.negated}
        refused |= self.refused_in
        allergies = [w for w in self.wishes if w.code == OTHER_ALLERGY and not w.negated]
        return [
            w
            for w in self.wishes
            if not w.negated
            and (self.sentence[w.first], w.code) not in refused
            and not (allergies and self._absorbed_by_allergy(w, allergies))
        ]

    def _absorbed_by_allergy(self, w: _Match, allergies: list[_Match]) -> bool:
        if w.code not in ABSORBED_BY_ALLERGY:
            return False
        stems = ABSORBED_BY_ALLERGY[w.code]
        if stems is None:  # an animal: the allergen, in the allergy's clause or sentence
            return any(self.clause[a.first] == self.clause[w.first]
                       or (self.sentence[a.first] == self.sentence[w.first]
                           and any(self.words[k].startswith(_ANIMAL_STEMS) for k in a.positions))
                       for a in allergies)
        return any(self.sentence[a.first] == self.sentence[w.first] for a in allergies) and all(
            self.words[k].startswith(stems) for k in w.positions)

    @staticmethod
    def _merge(merged: dict[str, list], code: str, pos: int, start: int, last: int,
               quantity: int | None, time: str | None) -> None:
        """The first mention is quoted; the largest count and the first time are kept."""
        old = merged.get(code)
        if old is None:
            merged[code] = [pos, start, last, quantity, time, None]
            return
        quantities = [q for q in (old[3], quantity) if q is not None]
        old[3] = max(quantities) if quantities else None
        old[4] = old[4] or time


def _hhmm(minutes: int) -> str:
    minutes %= 24 * 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _collapse(text: str) -> str:
    return " ".join(text.split())


def parse_wishes(
    text: str,
    catalogue: Sequence[CatalogueEntry] = DEFAULT_CATALOGUE,
    check_in: dt.time = dt.time(15, 0),
) -> ParseResult:
    """Read a guest's wish text: requests, arrival time, and what a human still has to read.

    Never raises: whatever the input, the worst outcome is an empty result whose
    ``unmatched`` holds the text for triage (and an error in the log). The keyword matcher is
    compiled once per catalogue content; a tuple catalogue is recognised by identity, so
    build new entries (``dataclasses.replace``) rather than mutating keyword dicts in place.
    ``check_in`` is the property's check-in time: wanting the room before it is an early
    check-in. What was read from a text's normalised words (up to ``CACHED_CHARS``) is kept
    per matcher and check-in time, so the same words in capitals are only quoted anew.
    """
    return _parse_guarded(text, catalogue, check_in, None)


def parse_many(
    texts: Iterable[str],
    catalogue: Sequence[CatalogueEntry] = DEFAULT_CATALOGUE,
    check_in: dt.time = dt.time(15, 0),
) -> list[ParseResult]:
    """``parse_wishes`` for every text of a batch (an imported file), results in the same order.

    Same results as one call per text, cheaper: the matcher is looked up once, and a text
    already read (in this batch, or in one of the last batches: the same file imported again
    the next day) is not read again (texts up to ``CACHED_CHARS``). Results are immutable,
    so sharing them is safe. Like ``parse_wishes``, a text whose normalised words were read
    before (the same text in capitals) takes that reading and only quotes its own letters.
    """
    if not isinstance(check_in, dt.time):
        check_in = dt.time(15, 0)
    try:
        matcher: Matcher | None = matcher_for(catalogue)
    except Exception:  # each text then fails, and is rescued, exactly as parse_wishes does
        matcher = None
    remembered = _remembered if matcher is not None and matcher.cached else None
    out: list[ParseResult] = []
    with cycle_collection_paused():  # readings, words and matches: no cycles among them
        for text in texts:
            if remembered is not None and type(text) is str and len(text) <= CACHED_CHARS:
                out.append(remembered(text, matcher, check_in))
            else:
                out.append(_parse_guarded(text, catalogue, check_in, matcher))
    return out


@lru_cache(maxsize=20_000)
def _remembered(text: str, matcher: Matcher, check_in: dt.time) -> ParseResult:
    return _parse_guarded(text, (), check_in, matcher)


def clear_caches() -> None:
    """Forget every text, sentence and word read so far (keeps the compiled matchers): what a
    benchmark needs to time a first import."""
    _remembered.cache_clear()
    _plans.clear()
    _severity.cache_clear()
    clear_matcher_caches()
    clear_text_caches()


def _parse_guarded(
    text: object, catalogue: Sequence[CatalogueEntry], check_in: object, matcher: Matcher | None
) -> ParseResult:
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if not isinstance(check_in, dt.time):
        check_in = dt.time(15, 0)
    analysed, rest = text, ""
    if len(text) > MAX_ANALYSED_CHARS:
        cut = text.rfind(" ", MAX_ANALYSED_CHARS - 200, MAX_ANALYSED_CHARS)
        cut = cut if cut > 0 else MAX_ANALYSED_CHARS
        analysed, rest = text[:cut], text[cut:]
    try:
        result = _parse(analysed, matcher if matcher is not None else matcher_for(catalogue),
                        check_in)
    except Exception:  # a bug here must not lose the guest's text: it all goes to a human
        _log.exception("wish parser failed; the whole text is kept for triage")
        collapsed = _collapse(_printable(text))
        return ParseResult((), None, collapsed, bool(collapsed))
    if rest:
        tail = _collapse(_printable(rest))
        if tail:
            unmatched = f"{result.unmatched} {tail}".strip()
            return ParseResult(result.requests, result.eta, unmatched, True)
    return result


def _parse(text: str, matcher: Matcher, check_in: dt.time) -> ParseResult:
    reading = _Reading(text, matcher, check_in)
    if reading.n == 0:
        left = _collapse(_printable(text))
        return ParseResult((), None, left, False)
    if not matcher.cached or len(text) > CACHED_CHARS:
        return reading.render(_analyse(reading))
    # the same words in capitals, or with other accents, are read the same way
    key = (reading.norm, reading.accents(), matcher, check_in)
    plan = _plans.get(key)
    if plan is None:
        plan = _plans[key] = _analyse(reading)
        if len(_plans) > PLANS_KEPT:
            with suppress(KeyError):  # another thread may have emptied it
                _plans.popitem(last=False)
    return reading.render(plan)


def _analyse(reading: _Reading) -> _Plan:
    reading.segment()
    reading.find_clock_times()
    reading.repair_words()
    reading.match_phrases()
    reading.apply_negation()
    reading.read_quantities()
    reading.assign_times()
    reading.derive_from_eta()
    reading.keep_health_words()
    reading.mark_courtesies()
    leftover, triage = reading.remainder()
    eta = _hhmm(reading.eta_minutes) if reading.eta_minutes is not None else None
    return reading.requests(), eta, leftover, triage


# What reading a normalised text decided, by (normalised text, accents, matcher, check-in):
# the oldest goes first when full.
PLANS_KEPT = 20_000
_plans: OrderedDict[tuple, _Plan] = OrderedDict()


@lru_cache(maxsize=20_000)
def _severity(quote: str) -> str:
    return read_severity(quote).level


_CONTROL = {c: " " for c in range(32) if chr(c) not in "\t\n\r"} | {0x7F: " "}


def _printable(text: str) -> str:
    """Control characters are never part of what a human should read."""
    return text.translate(_CONTROL)
