"""What screening returns: a verdict, the reasons behind it, and the versions that reproduce it.

`hit` means the rebuttable presumption applies (a party on the list on the import date, or a
party or facility in Xinjiang); `review` means a person must look; `clear` means no rule fired.
A verdict is always the highest level among its reasons (`uflpa.model.worst`), so it can never be
`clear` while a hit-level reason exists.

Every record here is typed from the rules engine to the sinks; `to_dict` gives the JSON shape the
output files document, and is the only place that shape is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from uflpa.match import MatchResult
from uflpa.model import CLEAR, HIT, REVIEW, worst
from uflpa.screening.shipment import Party

__all__ = [
    "CLEAR",
    "HIT",
    "REVIEW",
    "CellIssue",
    "Goods",
    "Note",
    "PartyVerdict",
    "Reason",
    "ShipmentVerdict",
    "Versions",
    "worst",
]


@dataclass(frozen=True, slots=True)
class Versions:
    """Everything a verdict depends on besides its input: the list, the rules, the algorithm."""

    list_version: str
    rules_version: str
    algorithm: str

    def to_dict(self) -> dict[str, str]:
        return {
            "list_version": self.list_version,
            "rules_version": self.rules_version,
            "algorithm": self.algorithm,
        }


@dataclass(frozen=True, slots=True)
class Reason:
    """One rule that fired: for which party (by role) and on what evidence."""

    rule: str
    level: str
    role: str
    party: str
    says: str
    evidence: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "level": self.level,
            "role": self.role,
            "party": self.party,
            "says": self.says,
            "evidence": self.evidence,
        }


@dataclass(frozen=True, slots=True)
class Note:
    """A remark that does not change the verdict: a party listed after the screening date, a
    broad sector heading, origin evidence on file. `note` is its kind, `says` its sentence; the
    party fields are set when the note is about one party."""

    note: str
    says: str
    role: str | None = None
    party: str | None = None
    entity_id: str | None = None
    entity_name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"note": self.note}
        if self.role is not None:
            out["role"] = self.role
            out["party"] = self.party
            out["entity_id"] = self.entity_id
            out["entity_name"] = self.entity_name
        out["says"] = self.says
        return out


@dataclass(frozen=True, slots=True)
class CellIssue:
    """A cell of a screened row that could not be read (the row was screened without it)."""

    column: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"column": self.column, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Goods:
    """What a shipment row says about its goods, as screened: the HTS code formatted when it
    could be read (as written otherwise) and the high-priority sectors it falls in."""

    country_of_origin: str | None
    hts: str | None
    sectors: tuple[str, ...]
    description: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "country_of_origin": self.country_of_origin,
            "hts": self.hts,
            "sectors": list(self.sectors),
            "description": self.description,
        }


@dataclass(frozen=True, slots=True)
class ShipmentVerdict:
    """The verdict on one shipment row. `as_of` is the date the list was read on (None: the
    current list); `as_of_basis` says why; `notes` are remarks that do not change the verdict
    (a party listed after the import date, a broad sector heading, origin evidence on file)."""

    row: int
    id: str
    verdict: str
    reasons: tuple[Reason, ...]
    notes: tuple[Note, ...]
    parties: tuple[Party, ...]
    goods: Goods
    as_of: date | None
    as_of_basis: str
    issues: tuple[CellIssue, ...]
    versions: Versions

    def to_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "id": self.id or None,
            "verdict": self.verdict,
            "reasons": [r.to_dict() for r in self.reasons],
            "notes": [n.to_dict() for n in self.notes],
            "parties": [p.to_dict() for p in self.parties],
            "goods": self.goods.to_dict(),
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "as_of_basis": self.as_of_basis,
            "issues": [i.to_dict() for i in self.issues],
            "versions": self.versions.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class PartyVerdict:
    """The verdict on one lone party (a row of a party file): the party-scope rules only."""

    verdict: str
    reasons: tuple[Reason, ...]
    notes: tuple[Note, ...]
    top: MatchResult | None
    as_of: date | None
    versions: Versions
