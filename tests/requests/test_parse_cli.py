"""`python -m requests parse`, run the way an operator runs it: from the repo root."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from requests.__main__ import build_parser, main

REPO_ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, stdin: str | None = None, env: dict | None = None):
    return subprocess.run(
        [sys.executable, "-m", "requests", *args],
        cwd=REPO_ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        env=env,
        check=False,
    )


def test_parse_prints_one_json_object_for_a_text():
    done = run_cli("parse", "Baby cot please, arriving around 11pm")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "requests": [
            {"code": "baby_cot", "text": "Baby cot", "quantity": None, "time": None,
             "severity": "normal"},
            {
                "code": "late_arrival",
                "text": "arriving around 11pm",
                "quantity": None,
                "time": "23:00",
                "severity": "normal",
            },
        ],
        "eta": "23:00",
        "unmatched": "",
    }


def test_parse_keeps_non_ascii_text_readable():
    done = run_cli("parse", "2 lits bébé, Straße ruhig, café ?")
    assert done.returncode == 0, done.stderr
    assert "bébé" in done.stdout and "\\u00e9" not in done.stdout
    payload = json.loads(done.stdout)
    assert payload["requests"][0] == {
        "code": "baby_cot",
        "text": "2 lits bébé",
        "quantity": 2,
        "time": None,
        "severity": "normal",
    }
    assert "café" in payload["unmatched"]


def test_parse_reads_one_text_per_line_from_standard_input():
    lines = "Lit bébé svp\nKein Babybett, aber Parkplatz bitte\nLlegaremos sobre las 23:00\n"
    done = run_cli("parse", stdin=lines)
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(out) == 3
    assert [[r["code"] for r in o["requests"]] for o in out] == [
        ["baby_cot"],
        ["parking"],
        ["late_arrival"],
    ]
    assert out[2]["eta"] == "23:00"


def test_parse_stdin_survives_a_c_locale_and_odd_lines():
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    env.pop("PYTHONIOENCODING", None)
    done = run_cli("parse", stdin="Culla per favore 👶\n\n<script>x</script>\n", env=env)
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(out) == 3
    assert out[0]["requests"][0]["code"] == "baby_cot"
    assert out[1] == {"requests": [], "eta": None, "unmatched": ""}


def test_main_returns_zero_and_prints_json(capsys):
    assert main(["parse", "Réveil à 6h30"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["requests"][0]["time"] == "06:30"


def test_commands_are_subparsers_so_more_can_be_added():
    parser = build_parser()
    with pytest.raises(SystemExit) as missing:
        parser.parse_args([])
    assert missing.value.code == 2
    assert parser.parse_args(["parse"]).text is None
