"""Conditions on the goods: a high-priority sector with a China nexus and no origin evidence
(by HTS code, or by description when no code is usable), and an unreadable import date.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from uflpa.screening.conditions import Finding, condition
from uflpa.screening.facts import ShipmentFacts


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
