"""The list through time: who was listed on a day, what changed between versions, and counts.

Pure functions over `ListVersion` values: no store, no network. The CLI and any API render them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from uflpa.model import ListedEntity, Listing, ListVersion

# Sector labels, in the order rules are tried: the first label whose keywords appear in the
# entity's sector text wins, so "PVC / caustic soda / viscose fibre and yarn" is chemicals, not
# textiles, and "nonferrous metals (aluminum and alloys)" is aluminum, not mining.
SECTOR_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("seafood", ("seafood",)),
    ("PVC/chemicals", ("pvc", "chemical", "caustic soda")),
    ("polysilicon/solar", ("polysilicon", "solar", "silicon")),
    ("aluminum", ("aluminum", "aluminium")),
    (
        "mining/metals",
        ("mining", "metal", "copper", "zinc", "gold", "magnesium", "steel", "lithium carbonate"),
    ),
    ("electronics", ("electronic", "printer", "imaging", "chip", "computer", "appliance")),
    (
        "cotton/textiles/apparel",
        (
            "cotton",
            "textile",
            "apparel",
            "yarn",
            "garment",
            "spinning",
            "wool",
            "cashmere",
            "footwear",
        ),
    ),
    ("tomatoes/agriculture", ("tomato", "agricultur", "sugar", "walnut", "plant extract")),
)
SECTOR_LABELS: tuple[str, ...] = (*(label for label, _ in SECTOR_RULES), "other", "unknown")


def sector_labels(entity: ListedEntity) -> tuple[str, ...]:
    """The normalised sector labels of an entity; 'unknown' when no sector is recorded."""
    if not entity.sectors:
        return ("unknown",)
    labels: list[str] = []
    for text in entity.sectors:
        low = text.casefold()
        label = next((lab for lab, words in SECTOR_RULES if any(w in low for w in words)), "other")
        if label not in labels:
            labels.append(label)
    return tuple(labels)


def entity_on(entity: ListedEntity, day: date) -> ListedEntity:
    """The entity as the list showed it on `day`: that day's name, only listings then in force."""
    name = entity.name_on(day)
    # On the day itself the current name is not a *former* name.
    former = tuple(n for n in entity.former_names if n != name)
    return replace(
        entity,
        name=name,
        former_names=former,
        listings=entity.active_listings(day),
        renames=tuple(r for r in entity.renames if r.changed_on <= day),
    )


def listed_on(entity: ListedEntity, day: date) -> bool:
    """True when a listing is in force on `day`. An entity whose source gives no listing dates at
    all (some third-party lists) counts as listed: being on the list is all that source says."""
    return entity.is_listed(day) or not entity.listings


def as_of(version: ListVersion, day: date) -> list[ListedEntity]:
    """Entities with a listing in force on `day`, as the list showed them then, sorted by id."""
    listed = (entity_on(e, day) for e in version.entities if listed_on(e, day))
    return sorted(listed, key=lambda e: e.id)


# --- diff -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EntityChange:
    """One change to one entity between two versions; `detail` holds what changed."""

    kind: str  # added | removed | renamed | aliases | sections
    entity_id: str
    name: str
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"change": self.kind, "id": self.entity_id, "name": self.name, **self.detail}


@dataclass(frozen=True, slots=True)
class ListDiff:
    """What changed from `old` to `new`, entity by entity (matched on stable ids)."""

    old_version: str
    new_version: str
    added: tuple[EntityChange, ...] = ()
    removed: tuple[EntityChange, ...] = ()
    renamed: tuple[EntityChange, ...] = ()
    aliases_changed: tuple[EntityChange, ...] = ()
    sections_changed: tuple[EntityChange, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.changes()

    def changes(self) -> list[EntityChange]:
        return [
            *self.added,
            *self.removed,
            *self.renamed,
            *self.aliases_changed,
            *self.sections_changed,
        ]

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "removed": len(self.removed),
            "renamed": len(self.renamed),
            "aliases_changed": len(self.aliases_changed),
            "sections_changed": len(self.sections_changed),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "old_version": self.old_version,
            "new_version": self.new_version,
            "counts": self.counts(),
            "changes": [c.to_dict() for c in self.changes()],
        }


def _listing_dict(lst: Listing) -> dict[str, str | None]:
    return {
        "section": lst.section,
        "effective_date": lst.effective_date.isoformat() if lst.effective_date else None,
        "removal_date": lst.removal_date.isoformat() if lst.removal_date else None,
    }


def _listing_changes(old: ListedEntity, new: ListedEntity) -> dict[str, Any]:
    def key(lst: Listing) -> tuple[str, date | None]:
        return (lst.section, lst.effective_date)

    old_by = {key(lst): lst for lst in old.listings}
    new_by = {key(lst): lst for lst in new.listings}
    added = [_listing_dict(new_by[k]) for k in new_by if k not in old_by]
    removed = [_listing_dict(old_by[k]) for k in old_by if k not in new_by]
    ended = [
        _listing_dict(new_by[k])
        for k in new_by
        if k in old_by and old_by[k].removal_date != new_by[k].removal_date
    ]
    out: dict[str, Any] = {}
    if added:
        out["listings_added"] = added
    if removed:
        out["listings_removed"] = removed
    if ended:
        out["listings_ended"] = ended
    return out


def _name_changes(old: ListedEntity, new: ListedEntity) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for label, before, after in (
        ("aliases", old.aliases, new.aliases),
        ("former_names", old.former_names, new.former_names),
    ):
        plus = [n for n in after if n not in before]
        minus = [n for n in before if n not in after]
        if plus:
            out[f"{label}_added"] = plus
        if minus:
            out[f"{label}_removed"] = minus
    return out


def diff(old: ListVersion, new: ListVersion) -> ListDiff:
    """Changes from `old` to `new`. Entities are matched on id (see `uflpa.lists.reconcile`)."""
    old_by = {e.id: e for e in old.entities}
    new_by = {e.id: e for e in new.entities}
    added = [EntityChange("added", i, new_by[i].name) for i in sorted(new_by) if i not in old_by]
    removed = [
        EntityChange("removed", i, old_by[i].name) for i in sorted(old_by) if i not in new_by
    ]
    renamed: list[EntityChange] = []
    aliases: list[EntityChange] = []
    sections: list[EntityChange] = []
    for i in sorted(set(old_by) & set(new_by)):
        before, after = old_by[i], new_by[i]
        if before.name != after.name:
            renamed.append(
                EntityChange(
                    "renamed", i, after.name, {"old_name": before.name, "new_name": after.name}
                )
            )
        names = _name_changes(before, after)
        if names:
            aliases.append(EntityChange("aliases", i, after.name, names))
        listings = _listing_changes(before, after)
        if listings:
            sections.append(EntityChange("sections", i, after.name, listings))
    return ListDiff(
        old_version=old.version_id,
        new_version=new.version_id,
        added=tuple(added),
        removed=tuple(removed),
        renamed=tuple(renamed),
        aliases_changed=tuple(aliases),
        sections_changed=tuple(sections),
    )


# --- stats ------------------------------------------------------------------------------------


def stats(
    version: ListVersion, day: date, *, coverage: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Counts for `day`: entities listed, additions by year and date, by section and by sector.

    `coverage` describes how complete the data is; when omitted it is filled in for the bundled
    snapshot (which is a partial reconstruction) and left None for other versions.
    """
    if coverage is None:
        coverage = _bundled_coverage_for(version)
    listed = [e for e in version.entities if listed_on(e, day)]
    firsts = [f for e in version.entities if (f := e.first_effective()) and f <= day]
    by_date = Counter(first.isoformat() for first in firsts)
    by_year = Counter(str(first.year) for first in firsts)
    years = sorted({int(y) for y in by_year})
    at_year_end = {
        str(y): sum(1 for e in version.entities if listed_on(e, min(date(y, 12, 31), day)))
        for y in years
    }
    running: dict[str, int] = {}
    for d in sorted(by_date):
        running[d] = sum(1 for e in version.entities if listed_on(e, date.fromisoformat(d)))
    # An entity counts once per section, however many listings it has there.
    section_counts = Counter(
        section for e in listed for section in {lst.section for lst in e.active_listings(day)}
    )
    sectors = Counter(label for e in listed for label in sector_labels(e))
    return {
        "list_version": version.version_id,
        "list_name": version.list_name,
        "source": version.source,
        "as_of": day.isoformat(),
        "entities": len(listed),
        "additions_by_year": dict(sorted(by_year.items())),
        "listed_at_year_end": at_year_end,
        "additions_by_effective_date": dict(sorted(by_date.items())),
        "listed_after_effective_date": running,
        "by_section": dict(sorted(section_counts.items())),
        "by_sector": {lab: sectors[lab] for lab in SECTOR_LABELS if sectors[lab]},
        "coverage": coverage,
        "coverage_on_day": _coverage_on(coverage, day, len(listed)),
    }


def _coverage_on(coverage: dict[str, Any] | None, day: date, listed: int) -> dict[str, Any] | None:
    """How many entities the official list had on `day` and how many of them the data lacks.

    Uses the official counts of new entities per effective date (no entity was ever delisted
    outright, so their running sum is the official size of the list)."""
    rows = (coverage or {}).get("by_effective_date")
    if not rows:
        return None
    past = [r for r in rows if date.fromisoformat(r["effective_date"]) <= day]
    return {
        "official_entities": sum(r["official_new_entities"] for r in past),
        "missing": sum(r["missing"] for r in past),
        "listed_here": listed,
    }


def _bundled_coverage_for(version: ListVersion) -> dict[str, Any] | None:
    from uflpa.lists.bundled import BUNDLED_SOURCE, bundled_coverage, is_bundled

    if version.source == BUNDLED_SOURCE and is_bundled(version):
        return bundled_coverage()
    if version.coverage:
        return {"summary": version.coverage}
    return None
