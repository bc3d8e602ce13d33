"""Chinese and pinyin names that no table holds: does structure alignment find the listed firm?

The dev set's `han`, `han_traditional` and `pinyin` rows mostly name firms whose Chinese name is in
uflpa's reviewed table, so they measure the table as much as the matcher. The judged queries are of
other firms. `benchmarks/data/zh_renderings.csv` holds Chinese renderings of listed English names
of firms the table does not cover, written by hand for this check (not verified registered names,
and in no table the matcher reads). Each is screened in simplified and traditional characters
(OpenCC s2t), spaced pinyin with an English legal form, and joined upper-case pinyin, with the
Chinese-name table switched off, beside the nomenklatura logic-v2 baseline over the same list.
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from benchmarks.common import entity_key_map, load_list_entities, machine_header
from benchmarks.systems import System, UflpaSystem, build_systems, name_only

RENDERINGS = Path(__file__).parent / "data" / "zh_renderings.csv"
_LEGAL = ("股份有限公司", "有限责任公司", "有限公司")


def query_forms(name_zh: str) -> dict[str, str]:
    """The four spellings of one rendering that the check screens."""
    import opencc

    from uflpa.names.chinese import han_syllables

    core = next((name_zh[: -len(s)] for s in _LEGAL if name_zh.endswith(s)), name_zh)
    syllables = han_syllables(core)
    return {
        "han": name_zh,
        "han_traditional": opencc.OpenCC("s2t").convert(name_zh),
        "pinyin": " ".join(s.capitalize() for s in syllables) + " Co., Ltd.",
        "pinyin_joined": "".join(syllables).upper(),
    }


def systems() -> dict[str, System]:
    """uflpa with its Chinese-name table switched off, and logic-v2 over the same list."""
    from uflpa.lists.bundled import load_bundled
    from uflpa.match.matcher import Matcher

    entities, _ = load_list_entities()
    keys = entity_key_map(entities)
    out: dict[str, System] = {
        "uflpa (no Chinese-name table)": UflpaSystem(
            Matcher([load_bundled()], enrich_chinese=False), keys
        )
    }
    built, skipped = build_systems(["nk-logic-v2"], entities)
    for name, why in skipped.items():
        print(f"# {name} skipped: {why}")
    return out | built


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--renderings", type=Path, default=RENDERINGS)
    args = parser.parse_args(argv)
    print(machine_header("uflpa benchmark: Chinese and pinyin names no table holds"))
    with args.renderings.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    print(f"# renderings: {args.renderings} ({len(rows)} names of "
          f"{len({r['entity_id'] for r in rows})} listed entities)")  # fmt: skip
    for label, system in systems().items():
        counts: Counter[tuple[str, str]] = Counter()
        for row in rows:
            for kind, query in query_forms(row["name_zh"]).items():
                out = system.run(name_only(query))
                right = out.entity_id == row["entity_id"]
                outcome = out.verdict if right and out.verdict != "clear" else "missed"
                if not right and out.verdict != "clear":
                    outcome = "wrong entity"
                counts[(kind, outcome)] += 1
        print(f"\n== {label} ==")
        print(f"{'form':16} {'hit':>5} {'review':>7} {'wrong entity':>13} {'missed':>7}")
        for kind in ("han", "han_traditional", "pinyin", "pinyin_joined"):
            cells = [counts[(kind, o)] for o in ("hit", "review", "wrong entity", "missed")]
            print(f"{kind:16} {cells[0]:>5} {cells[1]:>7} {cells[2]:>13} {cells[3]:>7}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
