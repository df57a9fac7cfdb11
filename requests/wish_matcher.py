"""The wish parser's keyword matcher: catalogue phrases compiled for word-by-word lookup, typo
repair, and the phrases found in one sentence.

Kept apart from ``wish_parser`` (the hotel's rules: negation, times, quantities, what is left)
because it is the part that only depends on the catalogue, so everything here is computed once
per catalogue content and kept in ``functools.lru_cache`` caches: the compiled matcher per
catalogue key, and inside it the candidate phrases per word, the repair per unknown word and
the chosen phrases per sentence. A changed catalogue has another key, hence another matcher:
nothing is ever cleared by hand to stay in step with the settings page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from weakref import WeakSet

from requests.catalogue_defaults import CatalogueEntry
from requests.severity import known_words
from requests.wish_text import (
    ABBREVIATIONS,
    BUILTIN_PHRASES,
    FILLER,
    NUMBER_WORDS,
    TOKEN_RE,
    normalise,
)

__all__ = ["EXACT", "GAP", "PREFIX", "Matcher", "Phrase", "catalogue_key", "clear_caches",
           "matcher_for"]

EXACT, PREFIX, GAP = 0, 1, 2
GAP_WORDS = 3  # "allerg* ... plume*": up to three other words in between
# Distinct words and sentences are few (guests write the same wishes); the bounds only keep a
# flood of garbage from growing the caches without end.
CACHE_SIZE = 50_000
CACHED_SENTENCE_WORDS = 64  # a longer "sentence" is a pasted document: not kept

# What a compiled matcher depends on, per catalogue entry: (code, sensitive, ((language,
# phrases), ...)). Hashable unless a phrase list holds something unhashable.
CatalogueKey = tuple[tuple[object, bool, tuple], ...]


@dataclass(frozen=True)
class Phrase:
    """One keyword phrase, compiled: its words (exact or prefix) and gaps."""

    code: str  # catalogue code; "" for the parser's own phrases
    role: str  # "wish" or a BUILTIN_PHRASES role
    elements: tuple[tuple[int, str], ...]
    words: int
    numeric: int
    chars: int
    # longest phrase first; on a tie a catalogue wish beats the parser's own words
    rank: tuple[int, int, int, bool] = field(init=False, repr=False, compare=False)
    # the element right after the first word, unless a gap: most candidates fail on it
    second: tuple[int, str] | None = field(init=False, repr=False, compare=False)
    # the words, when every element is one exact word: the phrase is then found by comparing
    # a slice of the sentence with them
    exact_words: tuple[str, ...] | None = field(init=False, repr=False, compare=False)
    # a gap right after the first word: the next word as it must stand in the gap's reach,
    # " word " (exact) or " stem" (prefix), for a substring test before the full match
    gap_probe: str | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        rank = (-self.words, -(self.words - self.numeric), -self.chars, self.role != "wish")
        object.__setattr__(self, "rank", rank)
        second = self.elements[1] if len(self.elements) > 1 else None
        object.__setattr__(self, "second", None if second and second[0] == GAP else second)
        exact = all(kind == EXACT for kind, _ in self.elements)
        object.__setattr__(self, "exact_words",
                           tuple(w for _, w in self.elements) if exact else None)
        probe = None
        if second is not None and second[0] == GAP:
            kind, word = self.elements[2]  # a phrase never ends with a gap
            probe = f" {word} " if kind == EXACT else f" {word}"
        object.__setattr__(self, "gap_probe", probe)


def compile_phrase(text: str, code: str, role: str) -> Phrase | None:
    """Parse one keyword phrase of the documented syntax; None if it has no usable word."""
    if not isinstance(text, str):
        return None
    norm, _ = normalise(text)
    elements: list[tuple[int, str]] = []
    for piece in norm.split():
        if piece.strip(".") == "" and len(piece) >= 3:
            if elements and elements[-1][0] != GAP:
                elements.append((GAP, ""))
            continue
        words = TOKEN_RE.findall(piece)
        if not words:
            continue
        star = piece.endswith("*")
        for i, w in enumerate(words):
            last = i == len(words) - 1
            if star and last and len(w) >= 3:
                elements.append((PREFIX, w))
            else:
                elements.append((EXACT, w))
    while elements and elements[-1][0] == GAP:
        elements.pop()
    if not elements:
        return None
    real = [e for e in elements if e[0] != GAP]
    numeric = sum(1 for _, w in real if w.isdigit() or w in NUMBER_WORDS)
    return Phrase(code, role, tuple(elements), len(real), numeric, sum(len(w) for _, w in real))


def _damerau_one(a: str, b: str) -> str | None:
    """The kind of single edit turning a into b ('sub', 'swap', 'indel'), or None."""
    la, lb = len(a), len(b)
    if a == b or abs(la - lb) > 1:
        return None
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return "sub"
        if (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                and a[diff[1]] == b[diff[0]]):
            return "swap"
        return None
    short, long_ = (a, b) if la < lb else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return "indel" if short[i:] == long_[i + 1:] else None


def _typo_allowed(word: str, target: str, edit: str) -> bool:
    """Short words are only repaired by safe edits, so "tower" never becomes "towel"."""
    n = len(word)
    if n < 4:
        return False
    if n == 4:
        return edit == "swap"
    if n < 7 and word[0] != target[0]:
        return False
    return not (n <= 5 and edit == "sub")


def _deletes(word: str) -> list[str]:
    return [word[:i] + word[i + 1:] for i in range(len(word))]


def match_at(phrase: Phrase, words: Sequence[str], i: int) -> tuple[int, ...] | None:
    """Positions of ``phrase`` in the sentence ``words`` starting at word ``i``, or None."""
    positions: list[int] = []
    n = len(words)
    j = i
    reach = 0
    for kind, text in phrase.elements:
        if kind == GAP:
            reach = GAP_WORDS
            continue
        hit = -1
        for k in range(j, min(n, j + reach + 1)):
            w = words[k]
            if w and (w == text if kind == EXACT else w.startswith(text)):
                hit = k
                break
            if not positions:
                break
        if hit < 0:
            return None
        positions.append(hit)
        j = hit + 1
        reach = 0
    return tuple(positions)


class Matcher:
    """Keyword phrases of one catalogue, indexed for word-by-word lookup.

    Built from a ``catalogue_key``; its per-word and per-sentence answers are cached on the
    instance, so they live exactly as long as the catalogue content they were computed for.
    """

    cached = False  # True for the shared matcher of a catalogue key (``matcher_for``)

    def __init__(self, key: CatalogueKey):
        phrases: list[Phrase] = []
        self.codes: frozenset[str] = frozenset(code for code, _, _ in key
                                               if isinstance(code, str))
        self.health_codes: frozenset[str] = frozenset(code for code, sensitive, _ in key
                                                      if sensitive)
        for code, _, items in key:
            if not isinstance(code, str):
                continue
            for _, lang_phrases in items:
                for text in lang_phrases:
                    p = compile_phrase(text, code, "wish")
                    if p is not None:
                        phrases.append(p)
        for role, texts in BUILTIN_PHRASES.items():
            for text in texts:
                p = compile_phrase(text, "", role)
                if p is not None:
                    phrases.append(p)
        self.exact: dict[str, list[Phrase]] = {}
        self.prefix: dict[str, list[Phrase]] = {}
        vocab: set[str] = set()
        stems: set[str] = set()
        for p in phrases:
            kind, first = p.elements[0]
            (self.exact if kind == EXACT else self.prefix).setdefault(first, []).append(p)
            for k, w in p.elements:
                if p.role == "negation":
                    continue
                if k == EXACT and len(w) >= 4 and w.isalpha():
                    vocab.add(w)
                elif k == PREFIX and len(w) >= 4:
                    stems.add(w)
        self.prefix_lengths = tuple(sorted({len(s) for s in self.prefix}))
        self.known: frozenset[str] = frozenset(
            FILLER | set(NUMBER_WORDS) | set(ABBREVIATIONS) | vocab | known_words()
            | {w for p in phrases for _, w in p.elements}
        )
        # known words that stay as they are (an abbreviation is known, yet expanded)
        self.kept: frozenset[str] = self.known - frozenset(ABBREVIATIONS)
        self._delete_index: dict[str, set[str]] = {}
        for w in vocab:
            for k in [w, *_deletes(w)]:
                self._delete_index.setdefault(k, set()).add(w)
        # Repair tries stems in a fixed order, longest first (the most specific wins:
        # "barrierefrei*" before "barre*"), then alphabetical; a set's order would make the
        # repair depend on PYTHONHASHSEED, hence vary from one process to the next.
        self._stems_by_head: dict[str, list[str]] = {}
        for s in sorted(stems, key=lambda stem: (-len(stem), stem)):
            self._stems_by_head.setdefault(s[:3], []).append(s)
        self.candidates = lru_cache(maxsize=CACHE_SIZE)(self._candidates)
        self.repair = lru_cache(maxsize=CACHE_SIZE)(self._repair)
        self.sentence_matches = lru_cache(maxsize=CACHE_SIZE)(self._sentence_matches)

    def phrases_in(self, words: tuple[str, ...]) -> tuple[tuple[Phrase, tuple[int, ...]], ...]:
        """The phrases chosen in one sentence (see ``_sentence_matches``), cached when short."""
        if len(words) <= CACHED_SENTENCE_WORDS:
            return self.sentence_matches(words)
        return self._sentence_matches(words)

    def cache_clear(self) -> None:
        """Forget the per-word and per-sentence answers (a benchmark's cold start)."""
        self.candidates.cache_clear()
        self.repair.cache_clear()
        self.sentence_matches.cache_clear()

    def _candidates(self, word: str) -> tuple[tuple[Phrase, ...], tuple[Phrase, ...]]:
        """Phrases whose first word can be ``word``: those of one word (found as soon as the
        word is), then the longer ones, each in index order."""
        hits = list(self.exact.get(word, ()))
        for n in self.prefix_lengths:
            if n > len(word):
                break
            hits.extend(self.prefix.get(word[:n], ()))
        return (tuple(p for p in hits if p.words == 1), tuple(p for p in hits if p.words > 1))

    def _sentence_matches(self, words: tuple[str, ...]) -> tuple[tuple[Phrase, tuple[int, ...]],
                                                                    ...]:
        """The phrases chosen in one sentence (its words after typo repair, "" for a time),
        in text order, with their word positions in the sentence.

        Phrases never reach across a sentence, so the choice in one sentence depends on its
        words alone: longest phrase first, each word owned by one phrase (or by several
        phrases of the same wish).
        """
        found: list[tuple[Phrase, tuple[int, ...]]] = []
        candidates = self.candidates
        last = len(words) - 1
        for i, w in enumerate(words):
            if not w:
                continue
            singles, longer = candidates(w)
            for phrase in singles:  # the index lookup already matched its only word
                found.append((phrase, (i,)))
            if not longer:
                continue
            following = words[i + 1] if i < last else ""
            reach: str | None = None  # the words a gap after this one reaches, " "-joined
            for phrase in longer:
                second = phrase.second
                if second is not None and not (following and (
                        following == second[1] if second[0] == EXACT
                        else following.startswith(second[1]))):
                    continue  # the word after the first is not the phrase's second word
                probe = phrase.gap_probe
                if probe is not None:
                    if reach is None:
                        reach = f" {' '.join(words[i + 1:i + 2 + GAP_WORDS])} "
                    if probe not in reach:
                        continue  # the word after the gap is nowhere in its reach
                exact = phrase.exact_words
                if exact is not None:  # (a time's "" never equals a word)
                    if words[i:i + len(exact)] == exact:
                        found.append((phrase, tuple(range(i, i + len(exact)))))
                    continue
                positions = match_at(phrase, words, i)
                if positions is not None:
                    found.append((phrase, positions))
        if not found:
            return ()
        if len(found) == 1:  # nothing to share the words with
            return (found[0],)
        # longest first; the order found breaks ties (the sort is stable)
        found.sort(key=lambda m: (m[0].rank, m[1][0]))
        owner: list[Phrase | None] = [None] * len(words)
        chosen: list[tuple[Phrase, tuple[int, ...]]] = []
        for phrase, positions in found:
            wish = phrase.role == "wish"
            for k in positions:  # free, or already owned by a phrase of the same wish
                held = owner[k]
                if held is not None and not (wish and held.role == "wish"
                                             and held.code == phrase.code):
                    break
            else:
                for k in positions:
                    if owner[k] is None:
                        owner[k] = phrase
                chosen.append((phrase, positions))
        chosen.sort(key=lambda m: m[1][0])
        return tuple(chosen)

    def _repair(self, word: str) -> str:
        """The known word one typo away from ``word``, or ``word`` itself."""
        return self._find_repair(word) or word

    def _find_repair(self, word: str) -> str | None:
        stems = self._stems_by_head.get(word[:3], ())
        if any(word.startswith(stem) for stem in stems):
            return None  # a known word with its own ending ("plumes" for "plume*")
        best: str | None = None
        seen: set[str] = set()
        for key in [word, *_deletes(word)]:
            for target in self._delete_index.get(key, ()):
                if target in seen:
                    continue
                seen.add(target)
                edit = _damerau_one(word, target)
                if edit and _typo_allowed(word, target, edit) and (best is None or target < best):
                    best = target
        if best is not None:
            return best
        for stem in stems:
            n = len(stem)
            for size in (n - 1, n, n + 1):
                if size < 4 or size > len(word):
                    continue
                head = word[:size]
                edit = _damerau_one(head, stem)
                if edit and _typo_allowed(head, stem, edit):
                    return stem + word[size:]
        return None


def catalogue_key(catalogue: Sequence[CatalogueEntry]) -> CatalogueKey:
    """What the compiled matcher depends on: each entry's code and keywords (cheap to build:
    the services hand over a fresh catalogue tuple for every reservation)."""
    key = []
    for e in catalogue:
        kw = getattr(e, "keywords", None)
        items: tuple = ()
        if hasattr(kw, "items"):
            items = tuple(
                (lang, ps if type(ps) is tuple else (ps,) if isinstance(ps, str) else tuple(ps))
                for lang, ps in kw.items()
            )
        key.append((getattr(e, "code", None), getattr(e, "sensitive", False) is True, items))
    return tuple(key)


_shared: WeakSet[Matcher] = WeakSet()


@lru_cache(maxsize=32)
def _compiled(key: CatalogueKey) -> Matcher:
    matcher = Matcher(key)
    matcher.cached = True
    _shared.add(matcher)
    return matcher


def clear_caches() -> None:
    """Forget the words and sentences every shared matcher has seen (not the matchers)."""
    for matcher in list(_shared):
        matcher.cache_clear()


# The catalogue tuple last seen, recognised by identity: the default catalogue, or one import
# parsing a whole file, then skips building the key for every text. One slot, replaced.
_last: tuple[object, Matcher] | None = None


def matcher_for(catalogue: Sequence[CatalogueEntry]) -> Matcher:
    """Compile once per catalogue content; a tuple catalogue seen last is found by identity."""
    global _last
    last = _last
    if last is not None and last[0] is catalogue and isinstance(catalogue, tuple):
        return last[1]
    key = catalogue_key(catalogue)
    try:
        matcher = _compiled(key)
    except TypeError:  # an unhashable keyword: still parse, just without the cache
        return Matcher(key)
    if isinstance(catalogue, tuple):
        _last = (catalogue, matcher)
    return matcher
