"""Score the wish parser on a labelled set, per language, the way the fresh-set test scores it.

Run from the repository root:

    .venv/bin/python benchmarks/score_wishes.py                      # the fresh set
    .venv/bin/python benchmarks/score_wishes.py tests/requests/data/wishes_holdout.jsonl
    .venv/bin/python benchmarks/score_wishes.py --parser /tmp/p0     # another checkout's parser

``--parser DIR`` imports ``requests.wish_parser`` from DIR instead of this checkout, so the
same scorer gives the score of an older commit (``git worktree add --detach /tmp/p0 0f3351e``
for the parser as it was when the fresh set was written). A labelled line is
``{"text", "lang", "codes", "eta", "negated"}``; the figures printed per language are:

- micro F1 of the codes found against ``codes``;
- negated: how many wishes the guest refused or was indifferent to (``negated``) came back as
  requests (the issue's target is 0);
- exact ETA: the share of texts whose ETA is exactly ``eta`` (``None`` included);
- false ETA: the share of texts without an ETA for which the parser gave one.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
FRESH = REPO_ROOT / "tests" / "requests" / "data" / "wishes_fresh.jsonl"
LANGS = ("fr", "en", "de", "es", "it", "mixed")


def _figures(rows: list[tuple[dict, set[str], str | None]]) -> dict[str, float]:
    tp = fp = fn = negated = exact = without = invented = 0
    for item, found, eta in rows:
        expected = set(item["codes"])
        tp += len(found & expected)
        fp += len(found - expected)
        fn += len(expected - found)
        negated += len(found & set(item["negated"]))
        exact += eta == item["eta"]
        if item["eta"] is None:
            without += 1
            invented += eta is not None
    return {
        "n": len(rows),
        "f1": 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0,
        "negated": negated,
        "eta": exact / len(rows),
        "false_eta": invented / without if without else 0.0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=[FRESH])
    parser.add_argument("--parser", type=Path, default=REPO_ROOT,
                        help="checkout whose requests.wish_parser is scored")
    parser.add_argument("--misses", action="store_true", help="print every text not exact")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.parser.resolve()))
    from requests.wish_parser import parse_wishes

    for path in args.files:
        with path.open(encoding="utf-8") as f:
            labelled = [json.loads(line) for line in f if line.strip()]
        rows = []
        for item in labelled:
            result = parse_wishes(item["text"])
            rows.append((item, {w.code for w in result.requests}, result.eta))
        grouped = defaultdict(list)
        for row in rows:
            grouped[row[0]["lang"]].append(row)
        print(f"{path.name} scored with the parser in {args.parser.resolve()}")
        print(f"{'lang':6} {'n':>4} {'F1':>6} {'negated':>8} {'exact ETA':>10} {'false ETA':>10}")
        for lang in [*[x for x in LANGS if x in grouped], "all"]:
            fig = _figures(rows if lang == "all" else grouped[lang])
            print(f"{lang:6} {fig['n']:>4} {fig['f1']:>6.3f} {fig['negated']:>8} "
                  f"{fig['eta']:>10.3f} {fig['false_eta']:>10.3f}")
        if args.misses:
            for item, found, eta in rows:
                if found != set(item["codes"]) or eta != item["eta"]:
                    print(f"  [{item['lang']}] {item['text']!r}: found {sorted(found)} eta {eta}"
                          f" / labelled {sorted(item['codes'])} eta {item['eta']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
