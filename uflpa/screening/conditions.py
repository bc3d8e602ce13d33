"""The conditions rules can need: each looks for one kind of evidence in the gathered facts.

A condition is named for the evidence it finds (`listed_match`, `xinjiang_location`), reads only
`ShipmentFacts`, and returns one `Finding` per party (or per shipment) where the evidence is
present, with the evidence itself and the fields the rule's sentence quotes. Levels and wording
live in the rules file; conditions never decide a verdict.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from uflpa.geo import Location
from uflpa.match import MatchResult
from uflpa.model import ListedEntity, ListVersion
from uflpa.screening.facts import PartyFacts, ShipmentFacts

PARENT_FORM = "parent_of_listed"


@dataclass(frozen=True, slots=True)
class Finding:
    """Evidence that a condition holds, for one party (`role`, `party`) or the shipment."""

    role: str
    party: str
    evidence: dict[str, Any]
    fields: dict[str, str] = field(default_factory=dict)


Condition = Callable[[ShipmentFacts, Mapping[str, Any]], list[Finding]]
CONDITIONS: dict[str, Condition] = {}


def condition(fn: Condition) -> Condition:
    """Register `fn` under its own name, the name rules files use in `needs`."""
    CONDITIONS[fn.__name__] = fn
    return fn


# --- the Entity List ----------------------------------------------------------------------------


@condition
def listed_match(facts: ShipmentFacts, params: Mapping[str, Any]) -> list[Finding]:
    """A party matches an entity listed on the screening date, at one of `verdicts`."""
    verdicts = set(params.get("verdicts", ["hit"]))
    exclude = frozenset(params.get("exclude_forms", [PARENT_FORM]))
    out = []
    for pf in facts.parties:
        for m in pf.matches:
            if m.verdict in verdicts and m.name_form not in exclude:
                ev = match_evidence(m, facts.as_of)
                out.append(Finding(pf.party.role, pf.label, ev, _match_fields(ev)))
    return out


@condition
def review_band_match(facts: ShipmentFacts, params: Mapping[str, Any]) -> list[Finding]:
    """A party resembles a listed entity with a score in the review band. With `related`, only
    entities in a corporate group (listed with subsidiaries, with a known parent, or a parent
    of listed firms): the party may be an unnamed subsidiary or sister; without, only others."""
    related = bool(params.get("related", False))
    out = []
    for pf in facts.parties:
        if pf.has_listed_hit(frozenset({PARENT_FORM})):
            continue
        for entity, m in _review_candidates(pf, facts.as_of):
            group = group_of(entity, _version(m))
            if bool(group) != related:
                continue
            ev = match_evidence(m, facts.as_of, entity=entity)
            if group:
                ev["group"] = group
            fields = _match_fields(ev)
            fields["group"] = group.get("says", "") if group else ""
            out.append(Finding(pf.party.role, pf.label, ev, fields))
    return out


@condition
def parent_of_listed(facts: ShipmentFacts, params: Mapping[str, Any]) -> list[Finding]:
    """A party matches the name the list data gives as the parent of a listed entity, and that
    parent is not itself listed (a listed parent is a match on it, found by other rules)."""
    out = []
    for pf in facts.parties:
        if pf.has_listed_hit(frozenset({PARENT_FORM})):
            continue
        by_parent: dict[str, list[MatchResult]] = {}
        for m in pf.matches:
            if (
                m.name_form == PARENT_FORM
                and m.verdict != "clear"
                and listed_by_name(_version(m), m.matched_name, facts.as_of) is None
            ):
                by_parent.setdefault(m.matched_name, []).append(m)
        for parent, matches in by_parent.items():
            best = max(matches, key=lambda m: m.score)
            ev = match_evidence(best, facts.as_of)
            ev["parent"] = parent
            ev["listed_subsidiaries"] = [
                {"entity_id": m.entity_id, "entity_name": m.entity_name} for m in matches
            ]
            fields = {**_match_fields(ev), "parent": parent}
            out.append(Finding(pf.party.role, pf.label, ev, fields))
    return out


def _review_candidates(
    pf: PartyFacts, as_of: date | None
) -> list[tuple[ListedEntity, MatchResult]]:
    """(entity, match) for review-band matches; a match on a parent's name whose parent is itself
    listed counts as a match on that parent."""
    out: dict[str, tuple[ListedEntity, MatchResult]] = {}
    for m in pf.matches:
        if m.verdict != "review":
            continue
        if m.name_form == PARENT_FORM:
            parent = listed_by_name(_version(m), m.matched_name, as_of)
            if parent is not None and parent.id not in out:
                out[parent.id] = (parent, m)
        elif m.entity_id not in out:
            out[m.entity_id] = (m.context.entity, m)
    return list(out.values())


def _version(m: MatchResult) -> ListVersion:
    return m.context.version


# Keyed by content hash: hashing a ListVersion itself would hash every entity on each call.
_NAME_INDEXES: dict[str, dict[str, ListedEntity]] = {}


def _names_index(version: ListVersion) -> dict[str, ListedEntity]:
    index = _NAME_INDEXES.get(version.content_hash)
    if index is None:
        index = {}
        for e in version.entities:
            for name in e.all_names():
                index.setdefault(_fold(name), e)
        _NAME_INDEXES[version.content_hash] = index
    return index


def listed_by_name(version: ListVersion, name: str, as_of: date | None) -> ListedEntity | None:
    """The entity of `version` with exactly this name (any form), if listed on `as_of`."""
    entity = _names_index(version).get(_fold(name))
    return entity if entity is not None and entity.is_listed(as_of) else None


def _fold(name: str) -> str:
    return " ".join(name.casefold().replace(",", " ").replace(".", " ").split())


def group_of(entity: ListedEntity, version: ListVersion) -> dict[str, Any]:
    """The corporate group of a listed entity as the list data records it, or {} for none."""
    children = [e for e in version.entities if e.parent and _fold(_bare(e.parent)) in _own(entity)]
    sisters = [
        e
        for e in version.entities
        if entity.parent and e.parent == entity.parent and e.id != entity.id
    ]
    if not (entity.subsidiaries or entity.parent or children):
        return {}
    parts = []
    if entity.subsidiaries:
        parts.append("listed together with its subsidiaries")
    if entity.parent:
        parts.append(f"part of {_bare(entity.parent)}")
    if children:
        parts.append(f"parent of {len(children)} listed firm(s)")
    return {
        "says": "(" + "; ".join(parts) + ")",
        "subsidiaries_listed": entity.subsidiaries,
        "subsidiaries_note": entity.subsidiaries_note,
        "parent": entity.parent,
        "listed_children": [{"entity_id": e.id, "entity_name": e.name} for e in children[:10]],
        "listed_sisters": [{"entity_id": e.id, "entity_name": e.name} for e in sisters[:10]],
    }


def _own(entity: ListedEntity) -> set[str]:
    return {_fold(n) for n in entity.all_names()}


def _bare(parent: str) -> str:
    """A parent as the list data writes it, without '(per press reports)' and the like."""
    cut = parent.find(" (per ")
    cut = parent.find(" (inferred") if cut < 0 else cut
    return parent[:cut].strip() if cut >= 0 else parent.strip()


def match_evidence(
    m: MatchResult, as_of: date | None, entity: ListedEntity | None = None
) -> dict[str, Any]:
    """The facts of a match a reviewer needs, compact: the entity, the name that matched, the
    score and what it rests on, the listing in force, and the versions."""
    target = entity or m.context.entity
    listings = target.active_listings(as_of) if as_of else target.listings
    sections = list(dict.fromkeys(lst.section for lst in listings))
    effective = min((lst.effective_date for lst in listings if lst.effective_date), default=None)
    explained = m.evidence
    features = {k: f["value"] for k, f in explained.get("features", {}).items() if f["value"]}
    out: dict[str, Any] = {
        "entity_id": target.id,
        "entity_name": target.name,
        "matched_name": m.matched_name,
        "name_form": m.name_form,
        "score": round(m.score, 4),
        "basis": explained.get("basis"),
        "features": features,
        "qualifiers": list(explained.get("qualifiers", {})),
        "sections": sections,
        "effective_date": effective.isoformat() if effective else None,
        "listed_on": as_of.isoformat() if as_of else "current list",
        "location": target.location,
        "list_version": m.list_version,
        "algorithm": m.algorithm,
    }
    if explained.get("name_source"):
        out["name_source"] = explained["name_source"]
    if target is not m.context.entity:
        out["via"] = f"{m.matched_name} is named as parent of {m.entity_name} ({m.entity_id})"
    return out


def _match_fields(ev: dict[str, Any]) -> dict[str, str]:
    return {
        "entity_id": ev["entity_id"],
        "entity_name": ev["entity_name"],
        "matched_name": ev["matched_name"],
        "score": f"{ev['score']:.2f}",
        "sections": ", ".join(ev["sections"]) or "an unknown section",
        "effective_date": ev["effective_date"] or "an unknown date",
        "listed_on": ev["listed_on"],
        "algorithm": ev["algorithm"],
    }


# --- Xinjiang -----------------------------------------------------------------------------------


@condition
def xinjiang_location(facts: ShipmentFacts, params: Mapping[str, Any]) -> list[Finding]:
    """A party's name or address places it in Xinjiang, on a strong signal of one of `kinds`."""
    kinds = set(params.get("kinds", ["place_name", "postal_code", "company_name_prefix"]))
    out = []
    for pf in facts.parties:
        loc = pf.location
        if loc is None or not loc.in_xinjiang:
            continue
        signals = [s for s in loc.signals if s.strength == "strong" and s.kind in kinds]
        if signals:
            ev = location_evidence(loc, _located_text(pf), kinds)
            out.append(Finding(pf.party.role, pf.label, ev, _location_fields(loc)))
    return out


@condition
def xinjiang_registration(facts: ShipmentFacts, params: Mapping[str, Any]) -> list[Finding]:
    """A party's Unified Social Credit Code (right check character) has Xinjiang region digits,
    given in its identifier column or written in its name or address."""
    out = []
    for pf in facts.parties:
        code = pf.uscc
        if code is not None and code.valid and code.xinjiang:
            ev = {"uscc": code.code, "region": code.region, "valid": True, "source": "identifier"}
            fields = {"uscc": code.code, "region": code.region}
            out.append(Finding(pf.party.role, pf.label, ev, fields))
            continue
        loc = pf.location
        strong = [
            s
            for s in (loc.signals if loc else ())
            if s.kind == "uscc_region" and s.strength == "strong"
        ]
        if loc is not None and loc.in_xinjiang and strong:
            text = _located_text(pf)
            span = strong[0].span
            written = text[span[0] : span[1]] if span else ""
            ev = location_evidence(loc, text, {"uscc_region"})
            ev["uscc"] = written
            out.append(
                Finding(pf.party.role, pf.label, ev, {"uscc": written, "region": written[2:8]})
            )
    return out


@condition
def xinjiang_weak_signal(facts: ShipmentFacts, params: Mapping[str, Any]) -> list[Finding]:
    """A party has a Xinjiang signal too weak to decide (an ambiguous place name with nothing to
    confirm it, a 'Xinjiang ...' firm with an address elsewhere, a postal-range number without
    China context, a USCC with region 65 but a wrong check character)."""
    out = []
    for pf in facts.parties:
        loc = pf.location
        weak = [s for s in (loc.signals if loc else ()) if s.strength == "weak"]
        if loc is not None and not loc.in_xinjiang and weak:
            ev = location_evidence(loc, _located_text(pf), {s.kind for s in weak})
            fields = {
                "signals": ", ".join(dict.fromkeys(s.kind for s in weak)),
                "reason": loc.reason,
            }
            out.append(Finding(pf.party.role, pf.label, ev, fields))
        elif pf.uscc is not None and pf.uscc.xinjiang and not pf.uscc.valid:
            reason = f"{pf.uscc.code} has Xinjiang region digits but a wrong check character"
            ev = {"uscc": pf.uscc.code, "region": pf.uscc.region, "valid": False, "reason": reason}
            out.append(Finding(pf.party.role, pf.label, ev, {"signals": "uscc", "reason": reason}))
    return out


@condition
def xinjiang_in_description(facts: ShipmentFacts, params: Mapping[str, Any]) -> list[Finding]:
    """The goods description names a Xinjiang place or XPCC unit ("Xinjiang long-staple
    cotton"). Review only: a description can also say "no Xinjiang content"."""
    loc = facts.description_location
    if loc is None or not any(s.strength == "strong" for s in loc.signals):
        return []
    ev = location_evidence(loc, facts.description, None)
    return [Finding("goods", facts.description, ev, _location_fields(loc))]


def _located_text(pf: PartyFacts) -> str:
    return ", ".join(t for t in (pf.party.name, pf.party.address) if t)


def location_evidence(loc: Location, text: str, kinds: set[str] | None) -> dict[str, Any]:
    """Where the text places the party: places with the words that matched, and the signals."""
    signals = [s.to_dict() for s in loc.signals if kinds is None or s.kind in kinds]
    return {
        "text": text,
        "in_xinjiang": loc.in_xinjiang,
        "confidence": loc.confidence,
        "places": [{**p.to_dict(), "matched": p.matched} for p in loc.places],
        "signals": signals,
        "reason": loc.reason,
    }


def _location_fields(loc: Location) -> dict[str, str]:
    places = "; ".join(f"{p.name} {p.name_zh} ({p.level})" for p in loc.places[:3])
    return {
        "places": places or loc.reason,
        "confidence": f"{loc.confidence:.2f}",
        "reason": loc.reason,
    }


# --- goods: sectors, origin, date ---------------------------------------------------------------


def china_nexus(facts: ShipmentFacts) -> list[tuple[str, str]]:
    """(role, why) for each reason to think the goods or a party are in China."""
    out = []
    if facts.origin_china:
        out.append(("goods", f"country of origin {facts.country_of_origin!r}"))
    out += [(pf.party.role, pf.china) for pf in facts.parties if pf.china]
    return out


@condition
def china_sector(facts: ShipmentFacts, params: Mapping[str, Any]) -> list[Finding]:
    """The goods come from China or a party is in China, the HTS code falls in a high-priority
    sector (one of `scopes` of the mapping) named by the year of import, and no origin evidence
    is on file."""
    scopes = set(params.get("scopes", ["core", "upstream", "downstream"]))
    if facts.hts is None or facts.origin_evidence:
        return []
    hits = [
        h
        for h in facts.hts.sectors
        if h.scope.split()[0] in scopes and _named_by(h.year_named, facts.as_of)
    ]
    nexus = china_nexus(facts)
    if not hits or not nexus:
        return []
    role = nexus[0][0]
    ev = {
        "hts": facts.hts.formatted,
        "sectors": [h.to_dict() for h in hits],
        "china": [{"role": r, "why": why} for r, why in nexus],
        "origin_evidence": None,
        "mapping_note": facts.hts.mapping_note,
    }
    fields = {
        "hts": facts.hts.formatted,
        "sectors": ", ".join(dict.fromkeys(h.sector for h in hits)),
        "china": _nexus_text(nexus[0]),
    }
    return [Finding(role, _party_of(facts, role), ev, fields)]


@condition
def china_sector_description(facts: ShipmentFacts, params: Mapping[str, Any]) -> list[Finding]:
    """As `china_sector`, when no usable HTS code is given but product words in the description
    suggest a high-priority sector (a weaker signal than a code)."""
    hints = [h for h in facts.hints if _named_by(h.year_named, facts.as_of)]
    if facts.hts is not None or not hints or facts.origin_evidence:
        return []
    nexus = china_nexus(facts)
    if not nexus:
        return []
    role = nexus[0][0]
    ev = {
        "hts": facts.hts_text or None,
        "hts_problem": facts.hts_problem,
        "hints": [h.to_dict() for h in hints],
        "china": [{"role": r, "why": why} for r, why in nexus],
        "origin_evidence": None,
    }
    fields = {
        "sectors": ", ".join(dict.fromkeys(h.sector for h in hints)),
        "keywords": ", ".join(dict.fromkeys(h.matched for h in hints)),
        "china": _nexus_text(nexus[0]),
    }
    return [Finding(role, _party_of(facts, role), ev, fields)]


@condition
def unreadable_import_date(facts: ShipmentFacts, params: Mapping[str, Any]) -> list[Finding]:
    """The import date is given but cannot be read, so the list on that date is unknown."""
    if not facts.date_problem:
        return []
    ev = {
        "import_date": facts.import_date_text,
        "problem": facts.date_problem,
        "screened_against": "current list",
    }
    fields = {"import_date": repr(facts.import_date_text), "problem": facts.date_problem}
    return [Finding("shipment", "", ev, fields)]


def _named_by(year_named: int, as_of: date | None) -> bool:
    """A sector counts from the year it was named (steel in 2025): an import in 2023 was not
    in a high-priority sector then. Without a date, every sector counts."""
    return as_of is None or year_named <= as_of.year


def _nexus_text(nexus: tuple[str, str]) -> str:
    role, why = nexus
    return why if role == "goods" else f"{role} ({why})"


def _party_of(facts: ShipmentFacts, role: str) -> str:
    for pf in facts.parties:
        if pf.party.role == role:
            return pf.label
    return ""
