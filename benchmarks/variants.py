"""Every listed name as trade documents rewrite it: cut at a field limit, abbreviated, with an
address or a country after it, with its legal form changed or dropped, in capitals without
punctuation, with the place it starts with moved after it or into brackets (after the whole name
or right after the trade name, in ASCII or full-width brackets), with an address in pinyin after
it. Counts hits on the right entity, beside the rapidfuzz and logic-v2 baselines.

The pinyin addresses and the spellings of a bracketed place come from one of two pools: `tuned`,
which the matcher was developed against, and `held-out`, other places, streets and address words
written by the same rules, which is only ever reported (`--pool held-out`).

The dev set holds a few rows of each kind for a few entities; this holds every entity to each
kind, with rewrites written once here rather than picked to pass.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from benchmarks.common import entity_key_map, load_list_entities, machine_header
from benchmarks.systems import build_systems, name_only, print_hit_rates
from benchmarks.typos import near_miss

# Abbreviations as freight forwarders write them; a word not listed is kept, in capitals.
ABBREVIATIONS = {
    "group": "GRP", "technology": "TECH", "industry": "IND", "industrial": "IND",
    "international": "INTL", "manufacturing": "MFG", "textile": "TEX", "chemical": "CHEM",
    "development": "DEV", "holdings": "HLDGS", "xinjiang": "XJ", "company": "CO",
    "limited": "LTD", "corporation": "CORP", "materials": "MATLS", "energy": "ENGY",
    "trading": "TRDG", "products": "PRODS", "cotton": "CTN", "import": "IMP", "export": "EXP",
    "logistics": "LOGIS", "electronics": "ELEC", "garment": "GMT", "science": "SCI", "and": "&",
    "biotechnology": "BIOTECH", "apparel": "APP", "silicon": "SI",
}  # fmt: skip
_LEGAL = re.compile(r",?\s*(Co\.,? ?Ltd\.?|Co\. Ltd|Company Limited|Ltd\.?|Co\.)\s*$")
ADDRESS = ", No. 8 Industrial Park Road, Urumqi, Xinjiang 830000, China"
# Two more shipper-block styles: an office address that starts with its room, and a district
# ('New Area', 新区) with a city and postcode, in capitals and without a comma before it.
ADDRESS_ROOM = ", Room 1201, Pudong New Area, Shanghai"
ADDRESS_AREA = " BINHAI NEW AREA, TIANJIN 300450"
# Places a name can start with, for the two word-order rewrites: China's provinces and largest
# cities, written here, and every one-word spelling of the Xinjiang places table. A name that
# starts with none of them gets neither rewrite.
_CHINA_PLACES = """
anhui beijing chongqing fujian gansu guangdong guangxi guizhou hainan hebei heilongjiang henan
hubei hunan jiangsu jiangxi jilin liaoning ningxia qinghai shaanxi shandong shanghai shanxi
sichuan tianjin tibet yunnan zhejiang hongkong macau
guangzhou shenzhen zhuhai dongguan foshan shantou hangzhou ningbo wenzhou shaoxing jiaxing
nanjing suzhou wuxi changzhou nantong yangzhou xuzhou jiangyin hefei wuhu fuzhou xiamen
zhangzhou quanzhou jinan qingdao yantai weifang jining zibo heze binzhou linyi rizhao
zhengzhou luoyang nanyang kaifeng wuhan yichang changsha zhuzhou nanchang chengdu mianyang
xian lanzhou taiyuan datong shijiazhuang baoding hengshui tangshan handan dalian shenyang
changchun harbin baotou hohhot kunming guiyang nanning haikou xining yinchuan lhasa
"""


_PLACES_TABLE = Path(__file__).resolve().parents[1] / "uflpa" / "data" / "xinjiang_places.csv"
POOLS = ("tuned", "held-out")


@cache
def _places_rows() -> tuple[dict[str, str], ...]:
    with _PLACES_TABLE.open(encoding="utf-8") as f:
        return tuple(csv.DictReader(f))


@cache
def head_places() -> frozenset[str]:
    """Lower-case one-word place names, from the list above and the Xinjiang places table."""
    words = set(_CHINA_PLACES.split())
    for row in _places_rows():
        spellings = row["english_and_variant_spellings"].split("|")
        words.update(w.strip().lower() for w in spellings if w.strip().isalpha())
    return frozenset(w for w in words if w.isascii())


@cache
def _spellings(pool: str) -> dict[str, tuple[str, ...]]:
    """One-word spellings of each Xinjiang place, by each of its spellings: the tuned pool keeps a
    place as the name writes it, the held-out pool writes it as another of its spellings
    (Hetian → Hotan, Kashgar → Kashi), where the table has one."""
    out: dict[str, tuple[str, ...]] = {}
    for row in _places_rows():
        words = [w.strip() for w in row["english_and_variant_spellings"].split("|")]
        words = [w for w in words if w.isalpha() and w.isascii()]
        for w in words:
            out.setdefault(w.lower(), tuple(x for x in words if x.lower() != w.lower()))
    return out if pool == "held-out" else {}


# Pinyin addresses: administrative units from the places table's own pinyin column ('Wulumuqi
# Shi', 'Kashi Diqu', 'Shufu Xian', 'Changji Huizu Zizhizhou'), streets and zones below. Rows of
# the table alternate between the pools, so the held-out pool names other places.
_STREETS = {
    "tuned": ("Nanhu", "Jiefang", "Renmin", "Youhao", "Beijing", "Xinhua", "Guangming"),
    "held-out": ("Heping", "Wenhua", "Jianshe", "Zhongshan", "Kunlun", "Tianshan", "Changjiang"),
}
_STREET_WORDS = {"tuned": ("Lu", "Jie", "Dajie"), "held-out": ("Lu", "Dadao", "Xiang")}
_ZONES = {
    "tuned": ("Jingji Jishu Kaifaqu", "Gongyeyuan", "Kaifaqu"),
    "held-out": ("Gaoxin Jishu Chanye Kaifaqu", "Gongye Yuanqu", "Chanyeyuan"),
}
_TOWNS = {"tuned": ("Nanhu", "Dongcheng", "Xincheng"), "held-out": ("Beicheng", "Xinmin", "Hongqi")}


@cache
def _units(pool: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(prefecture-level units, county-level units) of the pool, in the table's pinyin."""
    upper: list[str] = []
    lower: list[str] = []
    for n, row in enumerate(_places_rows()):
        if (n % 2 == 0) != (pool == "tuned") or not row["name_pinyin"].strip():
            continue
        level = row["level"]
        if level in ("prefecture", "prefecture_level_city", "autonomous_prefecture"):
            upper.append(row["name_pinyin"].strip())
        elif level in ("county", "county_level_city", "district", "autonomous_county"):
            lower.append(row["name_pinyin"].strip())
    return tuple(upper), tuple(lower)


def pinyin_address(rng: random.Random, pool: str) -> str:
    """An address written in pinyin, of one of four shapes: city, district, street and number;
    prefecture and county; the region and a prefecture; county, town and a zone."""
    upper, lower = _units(pool)
    shape = rng.randrange(4)
    if shape == 0:
        street = f"{rng.choice(_STREETS[pool])} {rng.choice(_STREET_WORDS[pool])}"
        return f"{rng.choice(upper)} {rng.choice(lower)} {street} {rng.randrange(1, 300)} Hao"
    if shape == 1:
        return f"{rng.choice(upper)} {rng.choice(lower)}"
    if shape == 2:
        region = "Xinjiang Weiwuer Zizhiqu" if pool == "tuned" else "Xinjiang Weiwu'er Zizhiqu"
        return f"{region} {rng.choice(upper)}"
    return f"{rng.choice(lower)} {rng.choice(_TOWNS[pool])} Zhen {rng.choice(_ZONES[pool])}"


def rewrites(name: str, pool: str = "tuned", seed: int = 0) -> dict[str, str]:
    """The rewrites of one listed name, by kind (a kind is left out where it changes nothing)."""
    out = {f"cut at {n}": name[:n].upper() for n in (25, 30, 35, 40) if len(name) > n + 3}
    out["abbreviated"] = " ".join(
        ABBREVIATIONS.get(w.lower().strip(",."), w.upper()) for w in name.split()
    )
    out["capitals, no punctuation"] = re.sub(r"[^\w\s&]", "", name).upper()
    out["legal form spelled out"] = re.sub(r"Co\.,? ?Ltd\.?$", "Company Limited", name)
    out["legal form dropped"] = _LEGAL.sub("", name)
    out["country appended"] = name + " (CHINA)"
    out["address appended"] = name + ADDRESS
    out["office address appended"] = name + ADDRESS_ROOM
    out["district address appended"] = name + ADDRESS_AREA
    head, _, rest = name.partition(" ")
    if rest and head.lower() in head_places():
        legal = _LEGAL.search(rest)
        core, form = (rest[: legal.start()], legal.group(1)) if legal else (rest, "")
        # 'Esquel Textile Co., Ltd., Changji': the city after the name, as a B/L shipper has it.
        out["place moved after the name"] = f"{rest}, {head}"
        out["place moved into brackets"] = f"{core} ({head}) {form}".strip()
        # 'Zhongtai (Xinjiang) Chemical Co., Ltd.': the place right after the trade name (its
        # first word), in ASCII or full-width brackets, or after the legal form.
        other = _spellings(pool).get(head.lower())
        place = other[seed % len(other)] if other else head
        trade, _, after = core.strip().partition(" ")
        # Not inside a phrase joined by 'and' ('Cotton and Linen' is not broken by a place).
        if after and after.split()[0].lower() not in ("and", "&"):
            out["place in brackets after the trade name"] = (
                f"{trade} ({place}) {rest[len(trade) :].strip()}"
            )
            out["place in full-width brackets after the trade name"] = (
                f"{trade}（{place}）{rest[len(trade) :].strip()}"
            )
        if form:
            out["place in brackets after the legal form"] = f"{core.strip()} {form} ({place})"
    rng = random.Random(f"{pool}:{seed}:{name}")
    address = pinyin_address(rng, pool)
    out["pinyin address appended"] = f"{name} {address}"
    out["pinyin address appended after a comma"] = f"{name}, {pinyin_address(rng, pool)}"
    out["pinyin address appended, capitals"] = re.sub(
        r"[^\w\s&']", "", f"{name} {pinyin_address(rng, pool)}"
    ).upper()
    return {kind: text for kind, text in out.items() if text != name}


ISSUE_18_KINDS = (
    "place in brackets after the trade name",
    "place in full-width brackets after the trade name",
    "place in brackets after the legal form",
    "pinyin address appended",
    "pinyin address appended after a comma",
    "pinyin address appended, capitals",
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--pool",
        choices=POOLS,
        default="tuned",
        help="places and pinyin addresses to write with; held-out is for reporting only",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the pinyin addresses")
    parser.add_argument(
        "--issue-18-only", action="store_true", help="only the bracket and pinyin-address kinds"
    )
    parser.add_argument(
        "--systems",
        default="uflpa,rapidfuzz,nk-logic-v2",
        help="comma-separated systems (default: uflpa,rapidfuzz,nk-logic-v2)",
    )
    args = parser.parse_args(argv)
    print(machine_header("uflpa benchmark: listed names as trade documents rewrite them"))
    entities, note = load_list_entities()
    keys = entity_key_map(entities)
    cases = [
        (kind.split(" at ")[0] if kind.startswith("cut") else kind, text, keys.get(e.id, e.id))
        for e in entities
        for kind, text in rewrites(e.name, args.pool, args.seed).items()
        if not args.issue_18_only or kind in ISSUE_18_KINDS
    ]
    print(
        f"# list: {note}: {len(entities)} entities; {len(cases)} rewrites; "
        f"pool {args.pool}, seed {args.seed}"
    )
    systems, skipped = build_systems(args.systems.split(","), entities)
    for label, why in skipped.items():
        print(f"# {label} skipped: {why}")
    print_hit_rates(systems, cases)
    # The price: another firm's name (one pinyin syllable of the trade name changed, as in
    # benchmarks.typos) with a pinyin address after it must not become a hit by the address cut.
    rng, address_rng = random.Random(args.seed), random.Random(f"near {args.pool} {args.seed}")
    misses = [q for e in entities if (q := near_miss(e.name, rng))]
    pairs = [(q, f"{q} {pinyin_address(address_rng, args.pool)}") for q in misses]
    print(f"\n# near misses: {len(pairs)} names with one pinyin syllable changed, alone and with")
    print("# a pinyin address appended: share of hits (any entity)")
    print(f"{'system':12} {'alone':>6} {'with address':>13}")
    for label, system in systems.items():
        alone = sum(system.run(name_only(a)).verdict == "hit" for a, _ in pairs)
        addressed = sum(system.run(name_only(b)).verdict == "hit" for _, b in pairs)
        n = len(pairs) or 1
        print(f"{label:12} {alone / n:>6.3f} {addressed / n:>13.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
