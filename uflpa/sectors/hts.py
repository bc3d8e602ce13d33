"""HTS code -> UFLPA high-priority sector, from `uflpa/data/uflpa_sectors.csv`.

DHS/FLETF name the high-priority sectors in words only; the HTS prefixes in the data file are
uflpa's own reasoned mapping onto HTSUS headings (see `DATA_NOTES.md`). Every result therefore
carries `mapping_note`, so no one mistakes a hit for an official CBP targeting list.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from uflpa.errors import SourceFormatError, UsageError

DATA_FILE = "uflpa_sectors.csv"
MAPPING_NOTE = (
    "HTS prefixes are uflpa's reasoned mapping of sector names to HTSUS headings; "
    "DHS publishes no official code list"
)
SCOPES = ("core", "upstream", "downstream", "broad")

_TAG = re.compile(r"^\[(\w+)\]\s*")
_LABEL = re.compile(
    r"^(?:HTSUS|HTSA|HTS|HS)(?:\s*(?:code|no\.?|number))?\s*[:#]?\s*", re.IGNORECASE
)
# Chapter, heading, subheading, tariff line, statistical suffix: 2/4/6/8/10 digits, with an
# optional dot or space between the groups after the heading (5201.00.1000, 8541 43, 520100).
_CODE = re.compile(r"^[0-9]{2}(?:[0-9]{2}(?:[. ]?[0-9]{2}(?:[. ]?[0-9]{2}(?:[. ]?[0-9]{2})?)?)?)?$")
# Separators a code is written with: dots, spaces, and the dashes of other systems (5201-00-1000).
_SEP = re.compile(r"[\s.\-\u2010-\u2015]+")
_DASH = re.compile(r"[\-\u2010-\u2015]")
# Full stops NFKC leaves alone: the ideographic one (。) and the halfwidth one (｡ is mapped).
_STOPS = str.maketrans({"\u3002": "."})
# A date in the code's column (a column mix-up), which the dash repair would read as a code.
_DATE = re.compile(r"^(?:19|20)[0-9]{2}([-/.])(?:0[1-9]|1[0-2])\1(?:0[1-9]|[12][0-9]|3[01])$")
_LISTS = re.compile(r"[/,;|&+]|\band\b|\bor\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class SectorRule:
    """One row of the sectors file: an HTS prefix mapped to a sector."""

    sector: str
    year_named: int
    prefix: str  # digits only
    prefix_display: str  # as written in the file (2804.61)
    description: str
    scope: str  # core / upstream / downstream / broad, plus " LEGACY" for pre-2022 codes
    source: str


@dataclass(frozen=True, slots=True)
class SectorHit:
    """A sector that an HTS code falls in (`coverage` 'full'), or that part of a broader code
    falls in (`coverage` 'partial': the code is a chapter or heading containing the prefix)."""

    sector: str
    year_named: int
    rule: str
    scope: str
    prefix: str
    description: str
    source: str
    coverage: str = "full"

    def to_dict(self) -> dict[str, Any]:
        return {
            "sector": self.sector,
            "year_named": self.year_named,
            "rule": self.rule,
            "scope": self.scope,
            "prefix": self.prefix,
            "coverage": self.coverage,
            "description": self.description,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class HtsResult:
    code: str  # digits only
    input: str
    sectors: tuple[SectorHit, ...]
    mapping_note: str = MAPPING_NOTE
    # How a malformed but common form was read ('5201.1' as 5201.10), in words; None when the
    # code was read as written.
    repair: str | None = None

    @property
    def formatted(self) -> str:
        return format_hts(self.code)

    @property
    def sector_names(self) -> tuple[str, ...]:
        """Distinct sectors, most specific hit first."""
        return tuple(dict.fromkeys(h.sector for h in self.sectors))

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "formatted": self.formatted,
            "input": self.input,
            "repair": self.repair,
            "sectors": [h.to_dict() for h in self.sectors],
            "mapping_note": self.mapping_note,
        }


@dataclass(frozen=True, slots=True)
class HtsReading:
    """The digits of a code and, when it was not written in a standard form, how it was read."""

    digits: str
    repair: str | None = None


def normalize_hts(code: str) -> str:
    """The digits of an HTS code in any common form, or `UsageError` saying what is wrong
    (see `read_hts`, which also says how a malformed form was repaired)."""
    return read_hts(code).digits


def read_hts(code: str) -> HtsReading:
    """Read an HTS code as people and programs write it, or raise `UsageError` saying why not.

    Standard forms are read as written: 2, 4, 6, 8 or 10 digits, with dots or spaces between the
    groups and an optional 'HTS'/'HTSUS'/'HS' label ('5201', '5201.00.1000', ' 8541 43 ',
    'HTS 3904.10.0000'). Common malformed forms are repaired, and the repair is said in words
    so that a reviewer can check it: full-width digits and stops (５２０１．００), dashes or
    doubled separators between the groups (5201-00-1000, 5201..00), the HS notation of a
    heading (52.01), and the zeros a spreadsheet drops from a code stored as a number (5201.10
    shows as 5201.1, 0702.00 as 702). What cannot be placed without a guess (two codes in a
    cell, letters, an odd count of digits with no dot to say where a zero went, chapter or
    heading 00) is refused.
    """
    raw = code
    steps: list[str] = []
    text = unicodedata.normalize("NFKC", raw).translate(_STOPS)
    if text != raw:
        steps.append("full-width characters read as ASCII digits and dots")
    text = re.sub(r"\s+", " ", _LABEL.sub("", text.strip()).strip())
    if not text:
        raise UsageError(f"empty HTS code {raw!r}")
    if _LISTS.search(text) and re.search(r"[0-9]", text):
        raise UsageError(
            f"invalid HTS code {raw!r}: looks like more than one code; give one code per row"
        )
    if _DATE.match(text):
        raise UsageError(f"invalid HTS code {raw!r}: looks like a date, not an HTS code")
    if re.search(r"[^0-9.\s\-\u2010-\u2015]", text):
        raise UsageError(
            f"invalid HTS code {raw!r}: only digits, dots and spaces are allowed "
            "(e.g. 5201.00.1000)"
        )
    # A standard form is read as written; anything else goes through the repairs.
    digits = re.sub(r"[^0-9]", "", text) if _CODE.match(text) else _repair(raw, text, steps)
    _check_numbers(raw, digits)
    if not steps:
        return HtsReading(digits)
    return HtsReading(digits, f"read {raw!r} as {format_hts(digits)}: " + "; ".join(steps))


def _repair(raw: str, text: str, steps: list[str]) -> str:
    """The digits of a code not written in a standard form, the repairs appended to `steps`."""
    groups = [g for g in _SEP.split(text) if g]
    seps = [s for s in _SEP.findall(text.strip(" .-\u2010\u2011\u2012\u2013\u2014\u2015"))]
    digits = "".join(groups)
    if len(digits) > 10:
        raise UsageError(f"invalid HTS code {raw!r}: {len(digits)} digits, at most 10")
    if len(groups) == 1:
        if len(digits) % 2:
            _odd(raw, digits)
        steps.append("stray separators around the code dropped")
        return digits
    first, rest = groups[0], groups[1:]
    if len(first) == 2 and len(rest[0]) == 2:
        heading = first + rest[0]
        rest = rest[1:]
        steps.append(f"the HS notation {first}.{groups[1]} read as heading {heading}")
    elif len(first) == 3:
        heading = "0" + first
        steps.append(
            f"a leading zero put back ({heading}): a code stored as a number loses it "
            f"(0702.00 shows as 702)"
        )
    elif len(first) == 4:
        heading = first
    else:
        raise UsageError(
            f"invalid HTS code {raw!r}: digits must be grouped as 1234.56.7890 (dots or spaces "
            "only between the heading, subheading and the rest)"
        )
    if len(rest) == 1 and seps == ["."] and len(rest[0]) % 2:
        # A decimal number: a spreadsheet (or pandas) writes 5201.10 as 5201.1.
        rest = [rest[0] + "0"]
        steps.append(
            "a trailing zero put back: a code stored as a number loses it (5201.10 shows as 5201.1)"
        )
    if any(len(g) % 2 for g in rest) or sum(len(g) for g in rest) > 6:
        raise UsageError(
            f"invalid HTS code {raw!r}: digits must be grouped as 1234.56.7890 (dots or spaces "
            "only between the heading, subheading and the rest)"
        )
    if any(_DASH.search(s) for s in seps):
        steps.append("dashes between the groups read as dots")
    elif any(len(s) > 1 for s in seps):
        steps.append("repeated separators between the groups read as one")
    if not steps:
        steps.append("separators between the groups read as dots")
    return heading + "".join(rest)


def _odd(raw: str, digits: str) -> None:
    hint = f"; did a leading zero get lost (0{digits})?" if len(digits) in (3, 5, 7, 9) else ""
    raise UsageError(
        f"invalid HTS code {raw!r}: {len(digits)} digits; HTS codes have 2, 4, 6, 8 or 10{hint}"
    )


def _check_numbers(raw: str, digits: str) -> None:
    """Refuse a code whose length or numbers no HTS code has (chapter 00, heading xx00)."""
    if len(digits) > 10:
        raise UsageError(f"invalid HTS code {raw!r}: {len(digits)} digits, at most 10")
    if len(digits) % 2:
        _odd(raw, digits)
    if digits[:2] == "00":
        raise UsageError(f"invalid HTS code {raw!r}: there is no chapter 00 (chapters are 01-99)")
    if len(digits) >= 4 and digits[2:4] == "00":
        raise UsageError(
            f"invalid HTS code {raw!r}: there is no heading {digits[:4]} (headings are numbered "
            f"from {digits[:2]}01)"
        )


def format_hts(digits: str) -> str:
    """'5201001000' -> '5201.00.1000', '520100' -> '5201.00', '61' -> '61'."""
    if len(digits) <= 4:
        return digits
    if len(digits) <= 6:
        return f"{digits[:4]}.{digits[4:]}"
    return f"{digits[:4]}.{digits[4:6]}.{digits[6:]}"


def parse_sector_rules(text: str, origin: str = DATA_FILE) -> tuple[SectorRule, ...]:
    reader = csv.DictReader(io.StringIO(text))
    needed = {"sector", "year_named", "hts_prefix", "description", "source"}
    if not reader.fieldnames or not needed <= set(reader.fieldnames):
        raise SourceFormatError(f"expected columns {sorted(needed)}", file=origin, row=1)
    rules = []
    for row_no, row in enumerate(reader, start=2):
        display = (row.get("hts_prefix") or "").strip()
        prefix = display.replace(".", "")
        description = (row.get("description") or "").strip()
        tag = _TAG.match(description)
        year = (row.get("year_named") or "").strip()
        if not prefix.isdigit() or tag is None or tag.group(1) not in SCOPES or not year.isdigit():
            raise SourceFormatError("bad hts_prefix, year or [tag]", file=origin, row=row_no)
        scope = tag.group(1) + (" LEGACY" if "LEGACY" in description else "")
        rules.append(
            SectorRule(
                sector=(row.get("sector") or "").strip(),
                year_named=int(year),
                prefix=prefix,
                prefix_display=display,
                description=description[tag.end() :],
                scope=scope,
                source=(row.get("source") or "").strip(),
            )
        )
    return tuple(rules)


@cache
def load_sector_rules() -> tuple[SectorRule, ...]:
    """All rows of the bundled sectors file (read once per process)."""
    text = resources.files("uflpa.data").joinpath(DATA_FILE).read_text(encoding="utf-8")
    return parse_sector_rules(text)


def sector_names() -> tuple[str, ...]:
    return tuple(dict.fromkeys(r.sector for r in load_sector_rules()))


def classify_hts(code: str) -> HtsResult:
    """Every sector whose prefix matches `code`, most specific prefix first, then the sectors that
    only part of a broader code falls in. An unknown but valid code gives no sectors."""
    reading = read_hts(code)
    digits = reading.digits
    shown = format_hts(digits)
    full: list[SectorHit] = []
    partial: list[SectorHit] = []
    for r in load_sector_rules():
        if digits.startswith(r.prefix):
            rule = f"hts_prefix {r.prefix_display} matches {shown}"
            full.append(_hit(r, rule, "full"))
        elif r.prefix.startswith(digits):
            rule = (
                f"{shown} contains hts_prefix {r.prefix_display}: "
                f"only part of {shown} is in the sector"
            )
            partial.append(_hit(r, rule, "partial"))
    full.sort(key=lambda h: -len(h.prefix))
    partial.sort(key=lambda h: h.prefix)
    return HtsResult(code=digits, input=code, sectors=tuple(full + partial), repair=reading.repair)


def _hit(r: SectorRule, rule: str, coverage: str) -> SectorHit:
    return SectorHit(
        sector=r.sector,
        year_named=r.year_named,
        rule=rule,
        scope=r.scope,
        prefix=r.prefix_display,
        description=r.description,
        source=r.source,
        coverage=coverage,
    )
