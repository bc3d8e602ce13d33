"""Conditions on Xinjiang: a party placed there, a Xinjiang registration, weak signals, and a
description naming Xinjiang. The weighing of clues is `uflpa.geo`'s; these only read its result.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from uflpa.geo import Location
from uflpa.screening.conditions import Finding, condition
from uflpa.screening.facts import PartyFacts, ShipmentFacts


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
    """Where the text places the party: places with the words that matched, and the signals.

    `xinjiang` is `locate`'s three-way answer (yes, possible, no), so that a weak clue (a
    postcode-shaped number in a Shenzhen address: `xinjiang-weak-signal`, review) is not read
    as "not in Xinjiang"; `in_xinjiang` stays the boolean the rules decide on (true only for
    "yes"), for readers of earlier evidence."""
    signals = [s.to_dict() for s in loc.signals if kinds is None or s.kind in kinds]
    return {
        "text": text,
        "xinjiang": loc.answer,
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
