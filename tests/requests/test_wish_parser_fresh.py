"""The parser on wishes written without looking at it: data/wishes_fresh.jsonl.

334 wishes (60 per language, 34 mixed), written for issue 12 before any rule was changed and
scored once as they were (micro F1 0.716, exact ETA 0.892: see the issue's closing note). They
cover the families the first set missed: times in words ("halb zehn", "las nueve y media de la
noche"), allergies that are not food (pollen, wool, nickel, perfume, animals, medicines), what
the guest does not want said in another language, after a contrast or as a reason, train and
flight times that are not the arrival, rooms near each other, and floors named by what to
avoid. The floors below are the issue's targets, per language.

Run with ``pytest -s`` to see the figures, or per language with every figure of the issue
(F1, negated returned, exact ETA, false ETA): ``.venv/bin/python benchmarks/score_wishes.py``;
the first score comes back with the parser of the commit that added the set:
``git worktree add --detach /tmp/p0 0f3351e`` then ``... score_wishes.py --parser /tmp/p0``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from requests.catalogue_defaults import DEFAULT_CATALOGUE
from requests.wish_parser import parse_wishes

DATA = Path(__file__).parent / "data" / "wishes_fresh.jsonl"
# 110 more, written after the rules changed and scored once before any further fix (F1 0.959,
# exact ETA 0.973); held to the same floors overall.
HOLDOUT = Path(__file__).parent / "data" / "wishes_holdout.jsonl"
LANGS = ("fr", "en", "de", "es", "it", "mixed")
MIN_F1 = 0.97
MIN_ETA_ACCURACY = 0.97
MAX_FALSE_ETA = 0.01


def _read(path: Path) -> list[tuple[dict, set[str], str | None]]:
    with path.open(encoding="utf-8") as f:
        labelled = [json.loads(line) for line in f if line.strip()]
    out = []
    for item in labelled:
        result = parse_wishes(item["text"])
        out.append((item, {w.code for w in result.requests}, result.eta))
    return out


@pytest.fixture(scope="module")
def readings() -> list[tuple[dict, set[str], str | None]]:
    """Each fresh wish with the codes and ETA the parser found."""
    return _read(DATA)


def _by_language(readings) -> dict[str, list]:
    grouped = defaultdict(list)
    for row in readings:
        grouped[row[0]["lang"]].append(row)
    return grouped


def _f1(rows) -> float:
    tp = fp = fn = 0
    for item, found, _ in rows:
        expected = set(item["codes"])
        tp, fp, fn = tp + len(found & expected), fp + len(found - expected), fn + len(
            expected - found)
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0


def test_the_set_is_fresh_sized_and_well_formed(readings):
    known = {e.code for e in DEFAULT_CATALOGUE}
    grouped = _by_language(readings)
    assert all(len(grouped[lang]) >= 60 for lang in ("fr", "en", "de", "es", "it"))
    assert len(grouped["mixed"]) >= 30
    for item, _, _ in readings:
        assert set(item["codes"]) | set(item["negated"]) <= known, item


@pytest.mark.parametrize("lang", LANGS)
def test_micro_f1_is_at_least_097_in_every_language(readings, lang):
    rows = _by_language(readings)[lang]
    misses = [(i["text"], sorted(found), i["codes"]) for i, found, _ in rows
              if found != set(i["codes"])]
    print(f"\n{lang}: F1 {_f1(rows):.3f} on {len(rows)}")
    assert _f1(rows) >= MIN_F1, misses


def test_the_held_out_wishes_meet_the_same_floors():
    held_out = _read(HOLDOUT)
    assert _f1(held_out) >= MIN_F1
    assert sum(eta == item["eta"] for item, _, eta in held_out) / len(held_out) >= (
        MIN_ETA_ACCURACY)
    assert [i["text"] for i, found, _ in held_out if found & set(i["negated"])] == []


def test_no_refused_or_indifferent_wish_is_ever_requested(readings):
    assert [(i["text"], sorted(found & set(i["negated"])))
            for i, found, _ in readings if found & set(i["negated"])] == []


def test_the_arrival_time_is_exact_for_97_percent_and_never_invented(readings):
    exact = sum(eta == item["eta"] for item, _, eta in readings) / len(readings)
    without = [(item, eta) for item, _, eta in readings if item["eta"] is None]
    invented = [item["text"] for item, eta in without if eta is not None]
    assert exact >= MIN_ETA_ACCURACY, [(i["text"], eta, i["eta"]) for i, _, eta in readings
                                       if eta != i["eta"]]
    assert len(invented) / len(without) <= MAX_FALSE_ETA, invented


@pytest.mark.parametrize(("text", "code", "eta"), [
    ("gegen halb zehn am Abend", "late_arrival", "21:30"),  # halb zehn is 9:30
    ("towards half past nine in the evening", "late_arrival", "21:30"),
    ("vers vingt-deux heures", "late_arrival", "22:00"),
    ("sobre las nueve y media de la noche", "late_arrival", "21:30"),
    ("verso le dieci di sera", "late_arrival", "22:00"),
    ("around 11ish at night", "late_arrival", "23:00"),
])
def test_times_written_in_words_are_the_arrival(text, code, eta):
    result = parse_wishes(text)
    assert result.eta == eta
    assert code in {w.code for w in result.requests}


def test_a_train_time_is_not_the_arrival_unless_the_guest_says_so():
    result = parse_wishes("Der ICE kommt um 20 Uhr an, wir sind dann gegen 21 Uhr im Hotel.")
    assert result.eta == "21:00"
    assert parse_wishes("Notre train arrive à 18h12, une navette serait bienvenue.").eta is None


def test_a_pollen_allergy_is_neither_food_nor_a_pet_and_hazelnuts_stay_food():
    assert {w.code for w in parse_wishes("Allergic to cats and pollen").requests} == {
        "other_allergy"}
    assert {w.code for w in parse_wishes("allergic to hazelnuts").requests} == {"food_allergy"}


def test_a_floor_to_avoid_asks_for_the_other_end():
    assert [w.code for w in parse_wishes("Pas dans les étages s'il vous plaît").requests] == [
        "low_floor"]
    assert [w.code for w in parse_wishes("Not on the ground floor please").requests] == [
        "high_floor"]
