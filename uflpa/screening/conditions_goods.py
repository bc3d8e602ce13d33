"""Conditions on the goods and the row: a high-priority sector with a China nexus and no origin
evidence (by HTS code, or by description when no code is usable), an HTS code that cannot be
read, an import date that cannot be read or cannot be the real one, and a party given by its
address alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from uflpa.screening.conditions import Finding, condition
from uflpa.screening.facts import ShipmentFacts
from uflpa.screening.shipment import FUTURE, PLACEHOLDER, far_future


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
    if facts.hts.repair:
        ev["hts_input"] = facts.hts_text
        ev["hts_repair"] = facts.hts.repair
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


@condition
def unreadable_hts(facts: ShipmentFacts, params: Mapping[str, Any]) -> list[Finding]:
    """The HTS code is given but cannot be read, so the goods were not checked against the
    high-priority sectors by their code (a description may still have been)."""
    if not facts.hts_problem:
        return []
    ev = {
        "hts": facts.hts_text,
        "problem": facts.hts_problem,
        "description_hints": [h.to_dict() for h in facts.hints],
    }
    fields = {"hts": repr(facts.hts_text), "problem": facts.hts_problem}
    return [Finding("shipment", "", ev, fields)]


@condition
def suspicious_import_date(facts: ShipmentFacts, params: Mapping[str, Any]) -> list[Finding]:
    """The import date is a placeholder (1900-01-01, 0001-01-01, 9999-12-31) or further than
    `future_days` after the day of screening: it cannot be the real one, and the row was
    screened against the list as of today. A nearer future date is a planned import (a note)."""
    if facts.date_suspicion is None or facts.import_date is None or facts.today is None:
        return []
    kind, why = facts.date_suspicion
    days = int(params.get("future_days", 366))
    if kind == FUTURE and not far_future(facts.import_date, facts.today, days):
        return []
    if kind not in (PLACEHOLDER, FUTURE):
        return []
    today = facts.today.isoformat()
    ev = {
        "import_date": facts.import_date_text,
        "problem": why,
        "screened_against": f"the list as of today, {today}",
    }
    fields = {"import_date": facts.import_date_text, "problem": why, "screened_on": today}
    return [Finding("shipment", "", ev, fields)]


@condition
def unnamed_party(facts: ShipmentFacts, params: Mapping[str, Any]) -> list[Finding]:
    """A party of one of `roles` is given by its address alone: the address was screened, the
    party could not be checked against the lists by name."""
    roles = set(params.get("roles", ["manufacturer"]))
    out = []
    for pf in facts.parties:
        party = pf.party
        if party.role in roles and not party.name.strip() and party.address.strip():
            ev = {"address": party.address, "identifier": party.identifier or None}
            out.append(Finding(party.role, pf.label, ev, {"address": party.address}))
    return out


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
