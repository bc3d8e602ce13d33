"""Core records of uflpa: frozen, slotted, and free of I/O.

A *listed entity* has a stable id and can carry several *listings* (a section of the Act, from an
effective date until an optional removal date). A *list version* is one ingested snapshot of a
list with its provenance and a content hash, so that every verdict can cite the exact list it used.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Literal

#: The UFLPA Entity List's name in the store, in evidence and in `--lists`: one spelling.
UFLPA_LIST = "us-dhs-uflpa"
#: The Consolidated Screening List (trade.gov), stored as one list whose listing sections are
#: its source codes (EL, SDN, MEU ...).
CSL_LIST = "csl"
_LIST_TITLES = {
    UFLPA_LIST: "the UFLPA Entity List",
    CSL_LIST: "the Consolidated Screening List",
}


def list_title(list_name: str) -> str:
    """How an analyst reads a stored list's name: 'the Consolidated Screening List' for 'csl',
    'the OpenSanctions dataset us_ofac_sdn' for 'opensanctions:us_ofac_sdn'."""
    if list_name in _LIST_TITLES:
        return _LIST_TITLES[list_name]
    kind, _, dataset = list_name.partition(":")
    if kind == "opensanctions":
        return f"the OpenSanctions dataset {dataset}" if dataset else "an OpenSanctions dataset"
    return f"the list {list_name}"


# --- verdict levels -----------------------------------------------------------------------------
# `hit`: the rebuttable presumption applies (or a score is in the hit band); `review`: a person
# must look; `clear`: nothing fired. Defined once here because scoring, the rules, tracing and the
# reports all rank them, and a second ranking could disagree with the first.
Level = Literal["hit", "review", "clear"]
HIT: Level = "hit"
REVIEW: Level = "review"
CLEAR: Level = "clear"
#: The levels from the most to the least severe (the order summaries list them in).
LEVELS: tuple[Level, ...] = (HIT, REVIEW, CLEAR)
_RANK: dict[str, int] = {CLEAR: 0, REVIEW: 1, HIT: 2}


def level_rank(level: str) -> int:
    """clear 0, review 1, hit 2: the order in which verdicts combine."""
    return _RANK[level]


def worst(levels: tuple[str, ...] | list[str]) -> str:
    """The most severe of `levels` (hit > review > clear); clear for none. A verdict is the worst
    of its reasons, so it can never be clear while a hit-level reason exists."""
    return max(levels, key=_RANK.__getitem__, default=CLEAR)


#: The roles a party can play on a shipment, in the order rows list them.
ROLES: tuple[str, ...] = ("manufacturer", "seller", "exporter", "supplier")

# Sections of the UFLPA (Pub. L. 117-78) under which DHS lists entities.
SECTIONS: dict[str, str] = {
    "2(d)(2)(B)(i)": "entities in Xinjiang that mine, produce or manufacture wholly or in part "
    "any goods with forced labor",
    "2(d)(2)(B)(ii)": "entities working with the XUAR government to recruit, transport, transfer, "
    "harbor or receive forced labor or Uyghurs, Kazakhs, Kyrgyz or other persecuted groups "
    "out of the XUAR",
    "2(d)(2)(B)(iv)": "entities that exported products made by entities in (i) or (ii) from the "
    "PRC into the United States",
    "2(d)(2)(B)(v)": "facilities and entities that source material from the XUAR or from persons "
    "working with the XUAR government or the XPCC for purposes of the poverty alleviation "
    "program or the pairing-assistance program",
}
SECTION_SHORT = {
    "i": "2(d)(2)(B)(i)",
    "ii": "2(d)(2)(B)(ii)",
    "iv": "2(d)(2)(B)(iv)",
    "v": "2(d)(2)(B)(v)",
}


def normalize_section(text: str) -> str:
    """Map any spelling of a section ('(v)', 'v', '2(d)(2)(B)(v)', 'Section 2(d)(2)(B)(v)') to its
    canonical citation; unknown text is returned stripped so that other lists keep their labels."""
    t = text.strip()
    low = t.lower().replace(" ", "")
    for short in ("iv", "ii", "v", "i"):  # longest roman numeral first
        if low in (short, f"({short})") or low.endswith(f"(b)({short})"):
            return SECTION_SHORT[short]
    return t


@dataclass(frozen=True, slots=True)
class Listing:
    """One listing: a section, from `effective_date` until `removal_date` (exclusive)."""

    section: str
    effective_date: date | None
    removal_date: date | None = None
    fr_document: str | None = None
    fr_citation: str | None = None
    entry_id: str | None = None
    note: str | None = None

    def active_on(self, day: date) -> bool:
        if self.effective_date is not None and self.effective_date > day:
            return False
        return self.removal_date is None or self.removal_date > day


@dataclass(frozen=True, slots=True)
class NameChange:
    """A rename recorded by the list: `old_name` was the listed name until `changed_on`."""

    changed_on: date
    old_name: str
    new_name: str


@dataclass(frozen=True, slots=True)
class ListedEntity:
    """An entity on a screening list. `id` is stable across versions and is what results report."""

    id: str
    name: str
    list_name: str = UFLPA_LIST
    aliases: tuple[str, ...] = ()
    former_names: tuple[str, ...] = ()
    subsidiaries: bool = False
    subsidiaries_note: str | None = None
    parent: str | None = None
    location: str | None = None
    country: str | None = None
    sectors: tuple[str, ...] = ()
    listings: tuple[Listing, ...] = ()
    renames: tuple[NameChange, ...] = ()
    identifiers: tuple[str, ...] = ()
    confidence: str | None = None
    notes: str | None = None
    schema: str = "Company"

    def active_listings(self, day: date) -> tuple[Listing, ...]:
        return tuple(lst for lst in self.listings if lst.active_on(day))

    def is_listed(self, day: date | None) -> bool:
        """True when some listing is in force on `day` (None means: ever listed and not removed)."""
        if day is None:
            return any(lst.removal_date is None for lst in self.listings) or not self.listings
        return bool(self.active_listings(day))

    def first_effective(self) -> date | None:
        dates = [lst.effective_date for lst in self.listings if lst.effective_date]
        return min(dates) if dates else None

    def name_on(self, day: date) -> str:
        """The listed name on `day`, undoing renames that took effect later."""
        name = self.name
        for change in sorted(self.renames, key=lambda c: c.changed_on, reverse=True):
            if change.changed_on > day:
                name = change.old_name
        return name

    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases, *self.former_names)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "list": self.list_name,
            "aliases": list(self.aliases),
            "former_names": list(self.former_names),
            "subsidiaries": self.subsidiaries,
            "subsidiaries_note": self.subsidiaries_note,
            "parent": self.parent,
            "location": self.location,
            "country": self.country,
            "sectors": list(self.sectors),
            "identifiers": list(self.identifiers),
            "schema": self.schema,
            "confidence": self.confidence,
            "notes": self.notes,
            "listings": [
                {
                    "section": lst.section,
                    "effective_date": _iso(lst.effective_date),
                    "removal_date": _iso(lst.removal_date),
                    "fr_document": lst.fr_document,
                    "fr_citation": lst.fr_citation,
                    "entry_id": lst.entry_id,
                    "note": lst.note,
                }
                for lst in self.listings
            ],
            "renames": [
                {"changed_on": _iso(r.changed_on), "old_name": r.old_name, "new_name": r.new_name}
                for r in self.renames
            ],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ListedEntity:
        return cls(
            id=d["id"],
            name=d["name"],
            list_name=d.get("list", UFLPA_LIST),
            aliases=tuple(d.get("aliases") or ()),
            former_names=tuple(d.get("former_names") or ()),
            subsidiaries=bool(d.get("subsidiaries")),
            subsidiaries_note=d.get("subsidiaries_note"),
            parent=d.get("parent"),
            location=d.get("location"),
            country=d.get("country"),
            sectors=tuple(d.get("sectors") or ()),
            identifiers=tuple(d.get("identifiers") or ()),
            schema=d.get("schema", "Company"),
            confidence=d.get("confidence"),
            notes=d.get("notes"),
            listings=tuple(
                Listing(
                    section=x["section"],
                    effective_date=_date(x.get("effective_date")),
                    removal_date=_date(x.get("removal_date")),
                    fr_document=x.get("fr_document"),
                    fr_citation=x.get("fr_citation"),
                    entry_id=x.get("entry_id"),
                    note=x.get("note"),
                )
                for x in d.get("listings") or ()
            ),
            renames=tuple(
                NameChange(
                    changed_on=date.fromisoformat(r["changed_on"]),
                    old_name=r["old_name"],
                    new_name=r["new_name"],
                )
                for r in d.get("renames") or ()
            ),
        )


@dataclass(frozen=True, slots=True)
class ListVersion:
    """One ingested snapshot of a list, with provenance. Same content gives the same hash."""

    list_name: str
    source: str
    origin: str
    retrieved_at: datetime
    entities: tuple[ListedEntity, ...]
    published: date | None = None
    coverage: str | None = None
    content_hash: str = field(default="")
    #: Set on a part of a stored version: only the entities listed under these sections (the
    #: BIS Entity List, 'EL', of the Consolidated Screening List). `content_hash` stays the
    #: stored version's, so that the part cites the version it was taken from.
    sections: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.content_hash:
            object.__setattr__(self, "content_hash", content_hash(self.entities))

    @property
    def version_id(self) -> str:
        """Short, stable label: list name plus the first 12 hex digits of the content hash."""
        return f"{self.list_name}@{self.content_hash[:12]}"

    @property
    def label(self) -> str:
        """What a verdict records: the version id, and the sections when only a part is used
        ('csl@0c2f1a9b3e4d[EL]')."""
        return self.version_id + (f"[{'/'.join(self.sections)}]" if self.sections else "")

    @property
    def caveat(self) -> str | None:
        """What a reader of a verdict made with this version must know about its completeness
        (the bundled snapshot is a reconstruction), or None when its source states nothing."""
        return f"list {self.label}: {self.coverage}" if self.coverage else None

    def part(self, sections: tuple[str, ...]) -> ListVersion:
        """The entities of this version listed under one of `sections` (all, for none)."""
        if not sections:
            return self
        wanted = set(sections)
        kept = tuple(e for e in self.entities if any(lst.section in wanted for lst in e.listings))
        # `content_hash` is carried over, not recomputed: the part cites the stored version.
        return replace(self, entities=kept, sections=tuple(sections))

    def entity(self, entity_id: str) -> ListedEntity | None:
        for e in self.entities:
            if e.id == entity_id:
                return e
        return None


def content_hash(entities: tuple[ListedEntity, ...] | list[ListedEntity]) -> str:
    """SHA-256 of the canonical JSON of the entities, order-independent."""
    payload = sorted((e.to_dict() for e in entities), key=lambda d: d["id"])
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _date(s: str | None) -> date | None:
    return date.fromisoformat(s) if s else None
