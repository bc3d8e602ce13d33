"""Every listed name as trade documents rewrite it: cut at a field limit, abbreviated, with an
address or a country after it, with its legal form changed or dropped, in capitals without
punctuation, with the place it starts with moved after it or into brackets. Counts hits on the
right entity, beside the rapidfuzz and logic-v2 baselines.

The dev set holds a few rows of each kind for a few entities; this holds every entity to each
kind, with rewrites written once here rather than picked to pass.
"""

from __future__ import annotations

import argparse
import csv
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from benchmarks.common import entity_key_map, load_list_entities, machine_header
from benchmarks.systems import print_hit_rates
from benchmarks.typos import baseline_and_uflpa

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


@cache
def head_places() -> frozenset[str]:
    """Lower-case one-word place names, from the list above and the Xinjiang places table."""
    words = set(_CHINA_PLACES.split())
    table = Path(__file__).resolve().parents[1] / "uflpa" / "data" / "xinjiang_places.csv"
    with table.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            spellings = row["english_and_variant_spellings"].split("|")
            words.update(w.strip().lower() for w in spellings if w.strip().isalpha())
    return frozenset(w for w in words if w.isascii())


def rewrites(name: str) -> dict[str, str]:
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
    return {kind: text for kind, text in out.items() if text != name}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.parse_args(argv)
    print(machine_header("uflpa benchmark: listed names as trade documents rewrite them"))
    entities, note = load_list_entities()
    keys = entity_key_map(entities)
    cases = [
        (kind.split(" at ")[0] if kind.startswith("cut") else kind, text, keys.get(e.id, e.id))
        for e in entities
        for kind, text in rewrites(e.name).items()
    ]
    print(f"# list: {note}: {len(entities)} entities; {len(cases)} rewrites")
    print_hit_rates(baseline_and_uflpa(entities), cases)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
