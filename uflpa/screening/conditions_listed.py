"""Conditions on the lists: a listed match, a review-band match, a listed firm's parent, and a
match on another screening list than the UFLPA Entity List.

Each condition reads the matches of the lists its rule names (`lists:`, the UFLPA Entity List by
default), so that a match on the Consolidated Screening List or an OpenSanctions dataset screened
in the same run can never pass for a UFLPA listing; `other_list_match` reads the others.

The evidence of a match is compact on purpose (entity, the name that matched, score and what it
rests on, the listing in force, versions): it is what a reviewer reads and what the JSON lines
carry for every flagged row.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from uflpa.match import MatchResult
from uflpa.match.explain import summary
from uflpa.model import UFLPA_LIST, ListedEntity, ListVersion, list_title
from uflpa.screening.conditions import Finding, condition
from uflpa.screening.facts import PartyFacts, ShipmentFacts

PARENT_FORM = "parent_of_listed"
_PARENT_ONLY = frozenset({PARENT_FORM})


def _lists(params: Mapping[str, Any]) -> frozenset[str]:
    """The lists a rule reads: its `lists` parameter, the UFLPA Entity List by default."""
    return frozenset(params.get("lists", [UFLPA_LIST]))


def _on(m: MatchResult, lists: frozenset[str], sections: frozenset[str] | None) -> bool:
    """The match is on one of `lists` and, when `sections` are given, under one of them."""
    if m.list_name not in lists:
        return False
    return sections is None or any(s in sections for s in m.sections)


@condition
def listed_match(facts: ShipmentFacts, params: Mapping[str, Any]) -> list[Finding]:
    """A party matches an entity of one of `lists` (under one of `sections`, when given) that is
    listed on the screening date, at one of `verdicts`."""
    verdicts = set(params.get("verdicts", ["hit"]))
    exclude = frozenset(params.get("exclude_forms", [PARENT_FORM]))
    lists = _lists(params)
    sections = frozenset(params["sections"]) if params.get("sections") else None
    out = []
    for pf in facts.parties:
        for m in pf.matches:
            if m.verdict in verdicts and m.name_form not in exclude and _on(m, lists, sections):
                ev = match_evidence(m, facts.as_of)
                out.append(Finding(pf.party.role, pf.label, ev, _match_fields(ev)))
    return out


@condition
def other_list_match(facts: ShipmentFacts, params: Mapping[str, Any]) -> list[Finding]:
    """A party matches an entity of a list other than `exclude_lists` (another screening list of
    the run: a Consolidated Screening List programme, an OpenSanctions dataset) at one of
    `verdicts`; the evidence names the list and its programme."""
    verdicts = set(params.get("verdicts", ["hit", "review"]))
    excluded = frozenset(params.get("exclude_lists", [UFLPA_LIST]))
    out = []
    for pf in facts.parties:
        seen: set[tuple[str, str]] = set()
        for m in pf.matches:
            key = (m.list_name, m.entity_id)
            if m.list_name in excluded or m.verdict not in verdicts or key in seen:
                continue
            seen.add(key)
            ev = match_evidence(m, facts.as_of)
            ev["list"] = m.list_name
            ev["list_title"] = list_title(m.list_name)
            ev["programme"] = programme_of(m)
            fields = {**_match_fields(ev), "list_title": ev["list_title"]}
            fields["programme"] = ev["programme"]
            out.append(Finding(pf.party.role, pf.label, ev, fields))
    return out


def programme_of(m: MatchResult) -> str:
    """The programme a listing of another list falls under, as its source names it: the CSL's
    source ('Entity List (EL) - Bureau of Industry and Security') where the entity records it,
    else the section (an OpenSanctions program), with the listing's note (sanctions programs)."""
    listings = m.context.listings or m.context.entity.listings
    source = (m.context.entity.notes or "").split(";")[0].strip()
    parts = []
    for lst in listings:
        name = source if source and f"({lst.section})" in source else lst.section
        text = name + (f", {lst.note}" if lst.note else "")
        if text not in parts:
            parts.append(text)
    return "; ".join(parts) or "no programme stated"


@condition
def review_band_match(facts: ShipmentFacts, params: Mapping[str, Any]) -> list[Finding]:
    """A party resembles a listed entity with a score in the review band. With `related`, only
    entities in a corporate group (listed with subsidiaries, with a known parent, or a parent
    of listed firms): the party may be an unnamed subsidiary or sister; without, only others."""
    related = bool(params.get("related", False))
    lists = _lists(params)
    out = []
    for pf in facts.parties:
        if not pf.matches or pf.has_listed_hit(_PARENT_ONLY, lists):
            continue
        for entity, m in _review_candidates(pf, facts.as_of, lists):
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
    lists = _lists(params)
    out = []
    for pf in facts.parties:
        if not pf.matches or pf.has_listed_hit(_PARENT_ONLY, lists):
            continue
        by_parent: dict[str, list[MatchResult]] = {}
        for m in pf.matches:
            if (
                m.list_name in lists
                and m.name_form == PARENT_FORM
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
    pf: PartyFacts, as_of: date | None, lists: frozenset[str]
) -> list[tuple[ListedEntity, MatchResult]]:
    """(entity, match) for review-band matches on `lists`; a match on a parent's name whose
    parent is itself listed counts as a match on that parent."""
    out: dict[str, tuple[ListedEntity, MatchResult]] = {}
    for m in pf.matches:
        if m.verdict != "review" or m.list_name not in lists:
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
    own = _own(entity)
    children = [e for e in version.entities if e.parent and _fold(_bare(e.parent)) in own]
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
    # What the match rests on, in words, for the reports a person reads (uflpa.match.explain).
    out["why"] = m.derived("why", explain_summary)
    mismatch = explained.get("qualifiers", {}).get("country_mismatch")
    if mismatch:
        # The party's country is not the listed entity's: said in words, in the reason too.
        out["country_differs"] = {**(mismatch.get("compared") or {}), "why": mismatch["why"]}
    if target is not m.context.entity:
        out["via"] = f"{m.matched_name} is named as parent of {m.entity_name} ({m.entity_id})"
    return out


def explain_summary(m: MatchResult) -> str:
    """The match's reasons in one line ('via the trade name; trade name Hesheng = Hesheng (合盛
    in pinyin); place Shanshan agrees')."""
    scored = m.scored
    legal = (
        (scored.query.legal, scored.candidate.legal)
        if scored.query is not None and scored.candidate is not None
        else None
    )
    query = m.evidence.get("query") or {}
    return summary(m.evidence, names=[str(query.get("name") or ""), m.matched_name], legal=legal)


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
        "country_note": f" {ev['country_differs']['why']}" if "country_differs" in ev else "",
    }
