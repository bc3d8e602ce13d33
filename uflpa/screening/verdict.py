"""What screening returns: a verdict, the reasons behind it, and the versions that reproduce it.

`hit` means the rebuttable presumption applies (a party on the list on the import date, or a
party or facility in Xinjiang); `review` means a person must look; `clear` means no rule fired.
A verdict is always the highest level among its reasons, so it can never be `clear` while a
hit-level reason exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from uflpa.match import MatchResult
from uflpa.screening.shipment import Party

HIT, REVIEW, CLEAR = "hit", "review", "clear"
_RANK = {CLEAR: 0, REVIEW: 1, HIT: 2}


def worst(levels: list[str] | tuple[str, ...]) -> str:
    """The highest of `levels` (hit > review > clear); clear for none."""
    return max(levels, key=_RANK.__getitem__, default=CLEAR)


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
class ShipmentVerdict:
    """The verdict on one shipment row. `as_of` is the date the list was read on (None: the
    current list); `as_of_basis` says why; `notes` are remarks that do not change the verdict
    (a party listed after the import date, a broad sector heading, origin evidence on file)."""

    row: int
    id: str
    verdict: str
    reasons: tuple[Reason, ...]
    notes: tuple[dict[str, Any], ...]
    parties: tuple[Party, ...]
    goods: dict[str, Any]
    as_of: date | None
    as_of_basis: str
    issues: tuple[dict[str, Any], ...]
    versions: Versions

    def to_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "id": self.id or None,
            "verdict": self.verdict,
            "reasons": [r.to_dict() for r in self.reasons],
            "notes": list(self.notes),
            "parties": [p.to_dict() for p in self.parties],
            "goods": self.goods,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "as_of_basis": self.as_of_basis,
            "issues": list(self.issues),
            "versions": self.versions.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class PartyVerdict:
    """The verdict on one lone party (a row of a party file): the party-scope rules only."""

    verdict: str
    reasons: tuple[Reason, ...]
    notes: tuple[dict[str, Any], ...]
    top: MatchResult | None
    as_of: date | None
    versions: Versions
