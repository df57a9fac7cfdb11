"""The parser reads a text the same way in every process, whatever Python's hash seed.

Typo repair once took the first fitting stem out of a set, so "Barrierereies Zimmer" became
an accessible room in some processes and a line for triage in others: the reception saw a
different result depending on which worker read the file. Only separate processes with
different ``PYTHONHASHSEED`` values can show that, hence the subprocesses.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
LABELLED = Path(__file__).parent / "data" / "wishes_labelled.jsonl"

# Reads texts (JSON on stdin), prints what the parser made of each (JSON on stdout).
_READ = """
import json, sys
from requests.wish_parser import parse_many
texts = json.load(sys.stdin)
print(json.dumps([[r.as_json(), r.needs_triage] for r in parse_many(texts)]))
"""


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(len(word) - 1)
    edit = rng.randrange(3)
    if edit == 0:
        return word[:i] + word[i + 1 :]  # a letter dropped
    if edit == 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # two letters swapped
    return word[:i] + rng.choice("aeirnst") + word[i + 1 :]  # a letter mistyped


def typo_texts() -> list[str]:
    """The labelled wishes with typos in their longer words, plus the case that was seen."""
    with LABELLED.open(encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    rng = random.Random(11)
    out = ["Barrierereies Zimmer, ich bin Rollstuhlfahrer"]
    for text in texts:
        for _ in range(2):
            out.append(
                " ".join(
                    _typo(w, rng) if len(w) >= 5 and rng.random() < 0.5 else w for w in text.split()
                )
            )
    return out


def _read_in_a_process(texts: list[str], seed: str) -> list:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-c", _READ],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    return json.loads(done.stdout)


def test_typo_repair_gives_the_same_result_whatever_the_hash_seed():
    texts = typo_texts()
    # seeds 0 and 4 once ordered "barre*" and "barrierefrei*" differently; 123 is one more
    results = {seed: _read_in_a_process(texts, seed) for seed in ("0", "4", "123")}
    reference = results["0"]
    for seed, result in results.items():
        differing = [t for t, a, b in zip(texts, reference, result, strict=True) if a != b]
        assert differing == [], f"PYTHONHASHSEED={seed} reads these differently: {differing[:3]}"
    # the longest fitting stem wins: an accessible room, nothing left for triage
    barrier = reference[0]
    assert barrier[0]["requests"][0]["code"] == "accessible_room"
    assert barrier[0]["unmatched"] == ""
