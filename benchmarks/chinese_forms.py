"""The Chinese registered names uflpa's table holds, as data pipelines mangle them: cut off inside
the legal form, letter-spaced, in traditional characters with a Chinese address after them, with
`（中国）` or an English legal form, and as pinyin with an address or in spaced capitals. Counts
hits on the right entity, beside rapidfuzz and logic-v2 given the same Chinese names.

    .venv/bin/python -m benchmarks.chinese_forms

The dev set's `han` rows are the names as registered, with brackets or the legal form varied;
these are the shapes a field limit, a PDF extraction or a shipper block gives the same names.
"""

from __future__ import annotations

import argparse
import csv
from collections.abc import Sequence
from pathlib import Path

from benchmarks.common import entity_key_map, load_list_entities, machine_header
from benchmarks.systems import build_systems, print_hit_rates

TABLE = Path(__file__).resolve().parents[1] / "uflpa" / "data" / "uflpa_names_zh.csv"
_LEGAL = ("股份有限公司", "有限责任公司", "有限公司")
ADDRESS_ZH = " 新疆維吾爾自治區烏魯木齊市"
ADDRESS_PINYIN = ", Urumqi, Xinjiang"


def mangled(name_zh: str) -> dict[str, str]:
    """The mangled forms of one registered name, by kind (a kind that cannot apply is left out)."""
    import opencc

    from uflpa.names.chinese import han_syllables

    legal = next((s for s in _LEGAL if name_zh.endswith(s)), "")
    core = name_zh[: len(name_zh) - len(legal)]
    syllables = han_syllables(core)
    out = {
        "traditional, address after": opencc.OpenCC("s2t").convert(name_zh) + ADDRESS_ZH,
        "（中国） after": name_zh + "（中国）",
        "English legal form": core + " Co., Ltd.",
        "letter-spaced": " ".join(name_zh),
        "pinyin, address after": " ".join(s.capitalize() for s in syllables)
        + " Co., Ltd."
        + ADDRESS_PINYIN,
        "pinyin in spaced capitals": " ".join(syllables).upper(),
    }
    if legal:
        # Cut inside the legal form, as a field limit cuts it: 新疆大全新能源股份有 / 股份有限.
        out["cut in the legal form, 3 left off"] = name_zh[:-3]
        out["cut in the legal form, 2 left off"] = name_zh[:-2]
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.parse_args(argv)
    print(machine_header("uflpa benchmark: Chinese registered names as pipelines mangle them"))
    entities, note = load_list_entities(with_zh=True)
    keys = entity_key_map(entities)
    with TABLE.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["form"] == "registered"]
    cases = [
        (kind, text, keys.get(r["entity_id"], r["entity_id"]))
        for r in rows
        for kind, text in mangled(r["name_zh"]).items()
    ]
    print(f"# list: {note}, with the table's Chinese names; {len(rows)} registered names")
    systems, skipped = build_systems(["uflpa", "rapidfuzz", "nk-logic-v2"], entities)
    for name, why in skipped.items():
        print(f"# {name} skipped: {why}")
    print_hit_rates(systems, cases)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
