"""How well the parser reads real-looking wishes: the labelled set in data/wishes_labelled.jsonl.

Each line is one wish as guests and booking sites write them, labelled by hand:
``codes`` the requests a hotel must act on, ``eta`` the stated arrival time (the first time of
a range; a flight time is not an arrival), ``negated`` the wishes mentioned only to be refused
or left open ("pas besoin de lit bébé", "double or twin, doesn't matter").

Run with ``pytest -s`` to see precision, recall and F1 per language.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from requests.catalogue_defaults import DEFAULT_CATALOGUE
from requests.wish_parser import parse_wishes

DATA = Path(__file__).parent / "data" / "wishes_labelled.jsonl"
LANGS = ("fr", "en", "de", "es", "it", "mixed")
MIN_F1 = 0.95
MIN_ETA_ACCURACY = 0.95


def load_wishes() -> list[dict]:
    with DATA.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture(scope="module")
def labelled() -> list[dict]:
    """The hand-labelled wishes."""
    return load_wishes()


@pytest.fixture(scope="module")
def readings(labelled) -> list[tuple[dict, set[str], str | None]]:
    """Each labelled wish with the codes and ETA the parser found."""
    out = []
    for item in labelled:
        result = parse_wishes(item["text"])
        out.append((item, {w.code for w in result.requests}, result.eta))
    return out


def test_labelled_set_is_large_varied_and_well_formed(labelled):
    known = {e.code for e in DEFAULT_CATALOGUE}
    assert len(labelled) >= 300
    per_lang = defaultdict(int)
    for item in labelled:
        assert set(item) == {"text", "lang", "codes", "eta", "negated"}, item
        assert item["lang"] in LANGS
        assert item["codes"] == sorted(item["codes"])
        assert set(item["codes"]) <= known and set(item["negated"]) <= known, item
        assert not set(item["codes"]) & set(item["negated"]), item
        assert item["eta"] is None or re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", item["eta"])
        per_lang[item["lang"]] += 1
    assert all(per_lang[lang] >= 50 for lang in ("fr", "en", "de", "es", "it")), per_lang
    assert per_lang["mixed"] >= 30
    assert len({item["text"] for item in labelled}) == len(labelled)
    # hard cases are there: refusals, indifference and texts with nothing to do
    assert sum(bool(item["negated"]) for item in labelled) >= 30
    assert sum(not item["codes"] and item["eta"] is None for item in labelled) >= 20


def _scores(rows) -> tuple[float, float, float, float]:
    tp = fp = fn = eta_ok = 0
    for item, found, eta in rows:
        expected = set(item["codes"])
        tp += len(found & expected)
        fp += len(found - expected)
        fn += len(expected - found)
        eta_ok += eta == item["eta"]
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, eta_ok / len(rows)


def test_codes_are_found_with_micro_f1_of_at_least_095(readings):
    print(f"\n{'lang':6} {'n':>4} {'prec':>6} {'recall':>6} {'F1':>6} {'ETA':>6}")
    by_lang = defaultdict(list)
    for row in readings:
        by_lang[row[0]["lang"]].append(row)
    for lang in (*LANGS, "all"):
        rows = readings if lang == "all" else by_lang[lang]
        p, r, f1, eta = _scores(rows)
        print(f"{lang:6} {len(rows):4d} {p:6.3f} {r:6.3f} {f1:6.3f} {eta:6.3f}")
    misses = [
        (item["text"], sorted(found), item["codes"])
        for item, found, _ in readings
        if found != set(item["codes"])
    ]
    _, _, f1_all, _ = _scores(readings)
    assert f1_all >= MIN_F1, misses[:20]


def test_a_refused_or_indifferent_wish_is_never_requested(readings):
    wrong = [
        (item["text"], sorted(found & set(item["negated"])))
        for item, found, _ in readings
        if found & set(item["negated"])
    ]
    assert wrong == []


def test_arrival_time_is_exact_for_at_least_95_percent(readings):
    *_, accuracy = _scores(readings)
    misses = [(item["text"], eta, item["eta"]) for item, _, eta in readings if eta != item["eta"]]
    assert accuracy >= MIN_ETA_ACCURACY, misses[:20]
