"""How many wishes per second the parser reads, next to a naive single-regex scan.

Run from the repository root:

    .venv/bin/python benchmarks/bench_parse.py

It builds 10,000 wishes from the labelled test set (as written, shouted in capitals, two wishes
run together, wrapped in a greeting), then times, over all of them:

- ``parse_wishes`` called once per text, every cache emptied first (one reservation at a time);
- ``parse_many`` on the whole batch, every cache emptied first: a file imported for the first
  time (a text seen twice in the file, a sentence or a word seen before, is read once);
- ``parse_many`` on the same batch again without emptying the caches: the same file imported
  again (the nightly re-import of overlapping reservations);

- ``parse_wishes`` on one text of 1 MB (a pasted document: the parser reads its first
  ``MAX_ANALYSED_CHARS`` and hands the rest to a human), the figure the test suite keeps out
  of its assertions;

and, in the same run, one ``finditer`` pass of a single compiled regular expression made of
every catalogue keyword. The regex only spots keywords (no negation, times, typos or
remainder); the ratios say what the parser's understanding costs on top of that.
Target (issue 13): at least 20,000 wishes/s on one core for a first import (``parse_many``,
CPU time: on a shared machine the wall-clock rate says more about the neighbours).

Wall-clock rates depend on what else runs on the machine, so CPU-time rates and the load
average are printed too; the ratio, measured in the same run, is the steadier figure.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

from requests.catalogue_defaults import DEFAULT_CATALOGUE  # noqa: E402
from requests.wish_parser import clear_caches, parse_many, parse_wishes  # noqa: E402

LABELLED = REPO_ROOT / "tests" / "requests" / "data" / "wishes_labelled.jsonl"
WISHES = 10_000
ROUNDS = 3
TARGET = 20_000


def build_wishes(count: int = WISHES) -> list[str]:
    """A realistic mix: the labelled texts, varied so the parser cannot just remember them."""
    with LABELLED.open(encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    rng = random.Random(7)
    out = []
    for i in range(count):
        text = texts[i % len(texts)]
        variant = rng.randrange(4)
        if variant == 1:
            text = text.upper()
        elif variant == 2:
            text = f"{text} {rng.choice(texts)}"
        elif variant == 3:
            greeting = rng.choice(["Bonjour,", "Hello,", "Hallo!", "Hola,", "Buongiorno,"])
            thanks = rng.choice(["Merci !", "Thanks!", "Danke.", "Gracias", "Grazie"])
            text = f"{greeting} {text} {thanks}"
        out.append(text)
    return out


def keyword_regex() -> re.Pattern[str]:
    """Every catalogue phrase as one alternation: the simplest thing that could spot wishes."""
    parts = []
    for entry in DEFAULT_CATALOGUE:
        for phrases in entry.keywords.values():
            for phrase in phrases:
                words = []
                for word in phrase.split():
                    if word == "...":
                        words.append(r"(?:\w+\W+){0,3}?")
                        continue
                    star = word.endswith("*")
                    core = re.escape(word.rstrip("*"))
                    words.append(core + (r"\w*" if star else "") + r"\W+")
                pattern = "".join(words)
                if pattern.endswith(r"\W+"):
                    pattern = pattern[: -len(r"\W+")]
                parts.append(pattern)
    parts.sort(key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b", re.IGNORECASE)


def time_one_by_one(wishes: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) to parse every wish with its own call, caches empty."""
    clear_caches()
    wall, cpu = time.perf_counter(), time.process_time()
    for text in wishes:
        parse_wishes(text)
    return time.perf_counter() - wall, time.process_time() - cpu


def time_batch(wishes: list[str], cold: bool) -> tuple[float, float]:
    """(wall seconds, CPU seconds) for one ``parse_many`` over every wish."""
    if cold:
        clear_caches()
    wall, cpu = time.perf_counter(), time.process_time()
    parse_many(wishes)
    return time.perf_counter() - wall, time.process_time() - cpu


def time_regex(wishes: list[str], regex: re.Pattern[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) for one finditer pass over every wish."""
    wall, cpu = time.perf_counter(), time.process_time()
    for text in wishes:
        for _ in regex.finditer(text):
            pass
    return time.perf_counter() - wall, time.process_time() - cpu


MEGABYTE_TEXT = (
    "Lit bébé svp, arrivée vers 23h. Nous voyageons avec un vélo et une trottinette. " * 13_000
)[:1_000_000]


def time_megabyte() -> tuple[float, float]:
    """(wall, CPU) seconds to parse one 1 MB text."""
    wall, cpu = time.perf_counter(), time.process_time()
    parse_wishes(MEGABYTE_TEXT)
    return time.perf_counter() - wall, time.process_time() - cpu


def time_megabyte_regex(regex: re.Pattern[str]) -> tuple[float, float]:
    """(wall, CPU) seconds for the regex scan of the 1 MB text (once: it takes seconds)."""
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in regex.finditer(MEGABYTE_TEXT):
        pass
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> int:
    wishes = build_wishes()
    started = time.perf_counter()
    parse_wishes("warm-up: the matcher is compiled once per catalogue")
    compile_ms = (time.perf_counter() - started) * 1000
    regex = keyword_regex()
    runs: dict[str, list[tuple[float, float]]] = {
        "parse_wishes each": [], "parse_many, 1st": [], "parse_many, again": [], "regex": []
    }
    for _ in range(ROUNDS):
        runs["parse_wishes each"].append(time_one_by_one(wishes))
        runs["parse_many, 1st"].append(time_batch(wishes, cold=True))
        runs["parse_many, again"].append(time_batch(wishes, cold=False))
        runs["regex"].append(time_regex(wishes, regex))
    megabyte = [time_megabyte() for _ in range(ROUNDS)]
    megabyte_regex = time_megabyte_regex(regex)
    wall = {name: statistics.median(w for w, _ in r) for name, r in runs.items()}
    cpu = {name: statistics.median(c for _, c in r) for name, r in runs.items()}
    n = len(wishes)
    chars = sum(len(t) for t in wishes)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    print(f"wishes: {n:,} ({chars / n:.0f} characters on average, {len(set(wishes)):,} distinct), "
          f"median of {ROUNDS} rounds; load average {load} on {os.cpu_count()} CPUs")
    print(f"matcher compile (first parse): {compile_ms:.1f} ms")
    print(f"{'':22} {'wall-clock':>14} {'CPU time':>14}   time / regex scan (CPU)")
    for name in runs:
        label = "single regex scan" if name == "regex" else name
        print(f"{label:22} {n / wall[name]:9,.0f} /s   {n / cpu[name]:9,.0f} /s   "
              f"{wall[name] / wall['regex']:5.2f}x ({cpu[name] / cpu['regex']:.2f}x)")
    mb = [statistics.median(m[i] for m in megabyte) for i in range(2)] + list(megabyte_regex)
    print(f"1 MB text, parse_wishes: {mb[0] * 1000:,.0f} ms wall-clock, {mb[1] * 1000:,.0f} ms CPU;"
          f" regex scan of it {mb[3] * 1000:,.0f} ms CPU; "
          f"{mb[0] / mb[2]:.2f}x ({mb[1] / mb[3]:.2f}x CPU) the regex scan's time")
    rate = n / cpu["parse_many, 1st"]
    print(f"target {TARGET:,} wishes/s on one core (parse_many, first import, CPU time): "
          f"{'met' if rate >= TARGET else 'NOT met'} ({rate:,.0f} /s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
