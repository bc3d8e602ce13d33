"""Every listed name as trade documents rewrite it: cut at a field limit, abbreviated, with an
address or a country after it, with its legal form changed or dropped, in capitals without
punctuation. Counts hits on the right entity, beside the rapidfuzz and logic-v2 baselines.

The dev set holds a few rows of each kind for a few entities; this holds every entity to each
kind, with rewrites written once here rather than picked to pass.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence

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
