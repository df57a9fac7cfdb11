"""The batch entry point reads a file's wishes exactly as one call per text would."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from pathlib import Path
from unittest import mock

from requests import wish_parser
from requests.catalogue_defaults import DEFAULT_CATALOGUE
from requests.wish_parser import ParseResult, clear_caches, parse_many, parse_wishes

LABELLED = Path(__file__).parent / "data" / "wishes_labelled.jsonl"


def labelled_texts() -> list[str]:
    with LABELLED.open(encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f if line.strip()]


def test_a_batch_gives_what_one_call_per_text_gives_in_the_same_order():
    texts = labelled_texts()
    batch = [*texts, *(t.upper() for t in texts[:50]), *texts[:50], "", "   "]
    clear_caches()
    assert parse_many(batch) == [parse_wishes(t) for t in batch]
    # read again from the caches: still the same
    assert parse_many(batch) == [parse_wishes(t) for t in batch]


def test_a_batch_takes_the_check_in_time_and_odd_values_like_a_single_call():
    texts = ["arriving at 11:00, can we have the room?", None, 42, "lit bébé svp"]
    for check_in in (dt.time(15, 0), dt.time(10, 0), "15:00"):
        expected = [parse_wishes(t, check_in=check_in) for t in texts]  # type: ignore[arg-type]
        assert parse_many(texts, check_in=check_in) == expected  # type: ignore[arg-type]


def test_a_catalogue_edit_takes_effect_on_the_next_batch():
    bike = dataclasses.replace(DEFAULT_CATALOGUE[0], code="bike_rental",
                               keywords={"en": ("bike",)})
    scooter = dataclasses.replace(bike, keywords={"en": ("scooter",)})
    assert parse_many(["a scooter please"], catalogue=(bike,))[0].requests == ()
    assert [w.code for w in parse_many(["a scooter please"], catalogue=(scooter,))[0].requests] \
        == ["bike_rental"]


def test_unhashable_keywords_still_parse_in_a_batch():
    odd = dataclasses.replace(DEFAULT_CATALOGUE[0], code="bike_rental",
                              keywords={"en": [["nested"], "bike"]})
    results = parse_many(["bike please", "bike please"], catalogue=[odd])
    assert [[w.code for w in r.requests] for r in results] == [["bike_rental"], ["bike_rental"]]


def test_a_parser_bug_in_a_batch_hands_each_text_to_triage(caplog):
    caplog.set_level(logging.ERROR, logger="requests.wish_parser")
    clear_caches()
    with mock.patch.object(wish_parser._Reading, "match_phrases", side_effect=RuntimeError):
        results = parse_many(["Lit bébé\x00 svp", "parking"])
    assert results == [ParseResult((), None, "Lit bébé svp", True),
                       ParseResult((), None, "parking", True)]
    assert "wish parser failed" in caplog.text
    clear_caches()  # the rescued results must not outlive the bug
