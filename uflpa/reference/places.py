"""Xinjiang places as bundled in `uflpa/data/xinjiang_places.csv` (see `DATA_NOTES.md`).

The file is loaded once per process and kept as frozen records, so address resolution
(`uflpa.geo`) can build its index and name analysis (`uflpa.names.lexicon`) its place phrases
from them without touching the disk again. Codes are GB/T 2260 codes where one exists, and the
file's own local ids (`XPCC`, `XPCC-D01`..`XPCC-D14`, `DZ-*`) otherwise.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from uflpa.errors import SourceFormatError
from uflpa.text.script import has_han

DATA_FILE = "xinjiang_places.csv"
REGION_CODE = "650000"
XPCC_CODE = "XPCC"

# How specific each level is: lower is more specific. Development zones sit inside a county, so they
# are reported before the county-level unit; the XPCC corps spans the whole region.
LEVEL_RANK: dict[str, int] = {
    "development_zone": 0,
    "district": 1,
    "county": 1,
    "county_level_city": 1,
    "autonomous_county": 1,
    "xpcc_city": 1,
    "former_county": 1,
    "former_district": 1,
    "former_county_level_city": 1,
    "prefecture_level_city": 2,
    "prefecture": 2,
    "autonomous_prefecture": 2,
    "former_prefecture": 2,
    "xpcc_division": 2,
    "xpcc_corps": 3,
    "autonomous_region": 4,
}

_LINKED_DIVISION = re.compile(r"Linked XPCC division id: (XPCC-D\d\d)")


@dataclass(frozen=True, slots=True)
class Place:
    """One row of the places file. `ambiguous` is True when its notes carry an `AMBIGUOUS:` warning,
    i.e. some spelling of it also names a place or a company outside Xinjiang."""

    code: str
    level: str
    name_zh: str
    name_pinyin: str
    variants: tuple[str, ...]
    parent_code: str | None
    notes: str
    ambiguous: bool

    @property
    def name(self) -> str:
        """The English display name: the first Latin spelling the file gives, else the pinyin."""
        for v in self.variants:
            if not has_han(v):
                return v
        return self.name_pinyin

    @property
    def current(self) -> bool:
        """False for abolished units (`former_*` levels) that survive only in old addresses."""
        return not self.level.startswith("former_")

    @property
    def rank(self) -> int:
        return LEVEL_RANK.get(self.level, 5)

    @property
    def linked_division(self) -> str | None:
        """For an XPCC city, the id of the division it is paired with (师市合一)."""
        m = _LINKED_DIVISION.search(self.notes)
        return m.group(1) if m else None


def _split(cell: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in cell.split("|") if p.strip())


def parse_places(text: str, origin: str = DATA_FILE) -> tuple[Place, ...]:
    """Parse the CSV text; raise `SourceFormatError` naming the row when a column is missing."""
    reader = csv.DictReader(io.StringIO(text))
    needed = {"admin_code", "level", "name_zh", "name_pinyin", "english_and_variant_spellings"}
    if not reader.fieldnames or not needed <= set(reader.fieldnames):
        raise SourceFormatError(f"expected columns {sorted(needed)}", file=origin, row=1)
    places: list[Place] = []
    seen: set[str] = set()
    for row_no, row in enumerate(reader, start=2):
        code = (row.get("admin_code") or "").strip()
        if not code or code in seen:
            raise SourceFormatError("missing or duplicate admin_code", file=origin, row=row_no)
        seen.add(code)
        notes = (row.get("notes") or "").strip()
        places.append(
            Place(
                code=code,
                level=(row.get("level") or "").strip(),
                name_zh=(row.get("name_zh") or "").strip(),
                name_pinyin=(row.get("name_pinyin") or "").strip(),
                variants=_split(row.get("english_and_variant_spellings") or ""),
                parent_code=(row.get("parent_code") or "").strip() or None,
                notes=notes,
                ambiguous="AMBIGUOUS:" in notes,
            )
        )
    return tuple(places)


@cache
def load_places() -> tuple[Place, ...]:
    """All places of the bundled file, in file order (read once per process)."""
    text = resources.files("uflpa.data").joinpath(DATA_FILE).read_text(encoding="utf-8")
    return parse_places(text)


@cache
def places_by_code() -> dict[str, Place]:
    return {p.code: p for p in load_places()}


def place_by_code(code: str) -> Place | None:
    return places_by_code().get(code)


def ancestors(code: str) -> tuple[str, ...]:
    """Codes above `code` (parent first, region last); XPCC cities also get their division."""
    index = places_by_code()
    out: list[str] = []
    place = index.get(code)
    if place is not None and place.linked_division:
        out.append(place.linked_division)
        out.append(XPCC_CODE)
    while place is not None and place.parent_code and place.parent_code not in out:
        out.append(place.parent_code)
        place = index.get(place.parent_code)
    return tuple(out)
