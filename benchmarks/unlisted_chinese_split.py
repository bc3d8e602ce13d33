"""Chinese and pinyin names no table holds, split by entity into a tuning half and a report half.

`benchmarks/data/zh_renderings_2.csv` holds a second set of hand-written Chinese renderings of
listed English names that uflpa's Chinese-name table does not cover (full names and, where one
is unambiguous, a short form without place and legal form), and hard negatives: Chinese names of
other firms that share a place and an industry word with a listed one. None is in a table the
matcher reads, and none was derived from the matcher's lexicon (that would test the lexicon
against itself).

Rows are split by entity (even entity number: tune; odd: report) and negatives by row (even
row: tune; odd: report), so that tuning on one half leaves the other unseen. Each name is
screened in simplified and traditional characters, spaced pinyin (with `Co., Ltd.` for a full
name, without for a short form: the trade name stays pinyin while the English listed name
translates its industry words) and joined upper-case pinyin, with the Chinese-name table
switched off, beside nomenklatura's logic-v2 over the same list.

    .venv/bin/python -m benchmarks.unlisted_chinese_split [--half tune|report|both]
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from benchmarks.common import machine_header
from benchmarks.systems import name_only
from benchmarks.unlisted_chinese import query_forms, systems

RENDERINGS = Path(__file__).parent / "data" / "zh_renderings_2.csv"
FORMS = ("han", "han_traditional", "pinyin", "pinyin_joined")


def short_forms(short_zh: str) -> dict[str, str]:
    """A short form (trade name and industry, no place or legal form) in the same scripts."""
    full = query_forms(short_zh)
    return {
        "short_han": full["han"],
        "short_traditional": full["han_traditional"],
        "short_pinyin": full["pinyin"].removesuffix(" Co., Ltd."),
    }


def half_of(row: dict[str, str], index: int) -> str:
    """'tune' or 'report': positives by entity number, negatives by row."""
    if row["entity_id"]:
        return "tune" if int(row["entity_id"].rsplit("-", 1)[1]) % 2 == 0 else "report"
    return "tune" if index % 2 == 0 else "report"


def cases(rows: list[dict[str, str]], half: str) -> list[tuple[str, str, str]]:
    """(kind, query, expected entity id or '') for the rows of one half."""
    out: list[tuple[str, str, str]] = []
    for index, row in enumerate(rows):
        if half != "both" and half_of(row, index) != half:
            continue
        expected = row["entity_id"]
        for kind, query in query_forms(row["name_zh"]).items():
            out.append((kind if expected else "negative " + kind, query, expected))
        if expected and row.get("short_zh"):
            for kind, query in short_forms(row["short_zh"]).items():
                out.append((kind, query, expected))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--renderings", type=Path, default=RENDERINGS)
    parser.add_argument("--half", choices=("tune", "report", "both"), default="both")
    parser.add_argument("--show", action="store_true", help="print each missed or wrong row")
    args = parser.parse_args(argv)
    print(machine_header("uflpa benchmark: Chinese names no table holds, tune/report split"))
    with args.renderings.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    halves = ("tune", "report") if args.half == "both" else (args.half,)
    built = systems()
    for half in halves:
        todo = cases(rows, half)
        positives = sum(1 for _, _, e in todo if e)
        print(f"\n#### half: {half} ({positives} positive and {len(todo) - positives} negative "
              "queries)")  # fmt: skip
        for label, system in built.items():
            counts: Counter[tuple[str, str]] = Counter()
            for kind, query, expected in todo:
                out = system.run(name_only(query))
                if not expected:
                    outcome = out.verdict
                elif out.verdict == "clear":
                    outcome = "missed"
                else:
                    outcome = out.verdict if out.entity_id == expected else "wrong entity"
                counts[(kind, outcome)] += 1
                shown = outcome != ("clear" if not expected else "hit")
                if args.show and label.startswith("uflpa") and shown:
                    print(f"#   {kind:24} {outcome:12} {query} -> {out.entity_id} {out.score:.3f}")
            _table(label, todo, counts)
    return 0


def _table(label: str, todo: list[tuple[str, str, str]], counts: Counter[tuple[str, str]]) -> None:
    kinds = list(dict.fromkeys(kind for kind, _, _ in todo))
    print(f"\n== {label} ==")
    print(f"{'form':28} {'n':>4} {'hit':>6} {'review':>7} {'wrong':>6} {'missed':>7}")
    pos = Counter[str]()
    for kind in kinds:
        n = sum(1 for k, _, _ in todo if k == kind)
        if kind.startswith("negative"):
            cells = [counts[(kind, o)] for o in ("hit", "review")]
            print(f"{kind:28} {n:>4} {cells[0] / n:>6.3f} {cells[1] / n:>7.3f}")
            pos["neg n"] += n
            pos["neg hit"] += cells[0]
            pos["neg review"] += cells[1]
            continue
        cells = [counts[(kind, o)] for o in ("hit", "review", "wrong entity", "missed")]
        print(f"{kind:28} {n:>4} {cells[0] / n:>6.3f} {cells[1] / n:>7.3f} {cells[2]:>6} "
              f"{cells[3]:>7}")  # fmt: skip
        pos["n"] += n
        pos["hit"] += cells[0]
        pos["review"] += cells[1]
    if pos["n"]:
        print(f"{'positives: hit':28} {pos['n']:>4} {pos['hit'] / pos['n']:>6.3f}"
              f"   hit or review {(pos['hit'] + pos['review']) / pos['n']:.3f}")  # fmt: skip
    if pos["neg n"]:
        n = pos["neg n"]
        print(f"{'negatives: hit':28} {n:>4} {pos['neg hit'] / n:>6.3f}"
              f"   review {pos['neg review'] / n:.3f}")  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
