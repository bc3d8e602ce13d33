"""The rows a screened file yields: a shipment's verdict, a party row's verdict, or a row that
could not be screened. Every input row gives exactly one of them, so that screened rows plus
reported rows equal the input rows.

They are typed all the way to the sinks; `to_dict` is the JSON line the output documents and
`flat` the one line a table or CSV shows. A party row keeps the shape it had before shipment
files existed (best candidate, score, evidence) and adds the reasons and versions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from uflpa.match import MatchResult
from uflpa.model import CLEAR
from uflpa.screening.verdict import (
    CellIssue,
    Note,
    PartyVerdict,
    Reason,
    ShipmentVerdict,
    Versions,
)

ERROR = "error"

#: The columns of a table or CSV of screened rows, by kind of file.
SHIPMENT_TABLE_COLUMNS = ("row", "id", "verdict", "rules", "parties", "as_of", "error")
SHIPMENT_CSV_COLUMNS = (
    *SHIPMENT_TABLE_COLUMNS[:5],
    "why",
    "as_of",
    "error",
    "list_version",
    "rules_version",
    "algorithm",
)
#: A party file's row keeps its reasons (`rule: what it says`, joined) and, for a row that could
#: not be screened, the error, so that a CSV or a table says why as the JSON line does.
PARTY_COLUMNS = (
    "row",
    "id",
    "name",
    "verdict",
    "score",
    "entity_id",
    "matched_name",
    "reasons",
    "error",
)


@dataclass(frozen=True, slots=True)
class PartyRow:
    """One row of a party file: the verdict on its party and the best candidate behind it."""

    row: int
    id: str | None
    name: str
    verdict: str
    reasons: tuple[Reason, ...]
    notes: tuple[Note, ...]
    top: MatchResult | None
    versions: Versions

    @property
    def issues(self) -> tuple[CellIssue, ...]:
        return ()

    @classmethod
    def of(cls, row: int, values: Mapping[str, str], verdict: PartyVerdict) -> PartyRow:
        return cls(
            row=row,
            id=values.get("id") or None,
            name=values.get("name", ""),
            verdict=verdict.verdict,
            reasons=verdict.reasons,
            notes=verdict.notes,
            top=verdict.top,
            versions=verdict.versions,
        )

    @property
    def flagged(self) -> bool:
        return self.top is not None and self.top.verdict != CLEAR

    def flat(self) -> dict[str, Any]:
        """The row on one line: the party, its verdict and its best candidate when flagged."""
        top = self.top
        flagged = self.flagged
        return {
            "id": self.id,
            "row": self.row,
            "name": self.name,
            "verdict": self.verdict,
            "score": round(top.score, 4) if top else 0.0,
            "entity_id": top.entity_id if flagged and top else None,
            "matched_name": top.matched_name if flagged and top else None,
            "reasons": " | ".join(f"{r.rule}: {r.says}" for r in self.reasons),
            "error": None,
        }

    def to_dict(self) -> dict[str, Any]:
        top = self.top
        flat = self.flat()
        del flat["error"]  # the JSON line of a screened row has no error key
        return {
            **flat,
            "evidence": top.evidence if self.flagged and top else _clear_evidence(top),
            "reasons": [r.to_dict() for r in self.reasons],
            "notes": [n.to_dict() for n in self.notes],
            "versions": self.versions.to_dict(),
        }


def _clear_evidence(top: MatchResult | None) -> dict[str, Any]:
    """Why a name did not match: the closest listed name and its score, below the review
    threshold."""
    if top is None:
        return {"best_candidate": None, "why": "no listed name shares a distinctive word"}
    return {
        "best_candidate": {
            "entity_id": top.entity_id,
            "matched_name": top.matched_name,
            "score": round(top.score, 4),
        },
        "why": f"best score below the review threshold {top.context.thresholds['review']}",
        "list_version": top.list_version,
        "algorithm": top.algorithm,
    }


@dataclass(frozen=True, slots=True)
class RowError:
    """A row that could not be screened, with where and why; it is counted and reported, never
    given a verdict as if it were clean."""

    row: int
    file: str
    reason: str
    column: str | None = None
    id: str | None = None
    #: A row of a party file (its JSON line keeps the party file's `name` key).
    party_file: bool = False

    @property
    def verdict(self) -> str:
        return ERROR

    @property
    def reasons(self) -> tuple[Reason, ...]:
        return ()

    @property
    def notes(self) -> tuple[Note, ...]:
        return ()

    @property
    def issues(self) -> tuple[CellIssue, ...]:
        return ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "row": self.row}
        if self.party_file:
            out["name"] = None
        out.update(
            {"verdict": ERROR, "error": self.reason, "file": self.file, "column": self.column}
        )
        return out

    def flat(self) -> dict[str, Any]:
        if self.party_file:
            return {
                "row": self.row,
                "id": self.id,
                "name": None,
                "verdict": ERROR,
                "reasons": "",
                "error": self.reason,
            }
        return {
            "row": self.row,
            "id": self.id,
            "verdict": ERROR,
            "rules": "",
            "parties": "",
            "why": "",
            "as_of": None,
            "error": self.reason,
            "list_version": None,
            "rules_version": None,
            "algorithm": None,
        }


ScreenedRow = ShipmentVerdict | PartyRow | RowError


def flat_shipment(v: ShipmentVerdict) -> dict[str, Any]:
    """A shipment verdict on one line for tables and CSV: its reasons and parties joined."""
    return {
        "row": v.row,
        "id": v.id or None,
        "verdict": v.verdict,
        "rules": " | ".join(f"{x.rule} ({x.role})" for x in v.reasons),
        "parties": " | ".join(f"{p.role}: {p.name or p.address}" for p in v.parties),
        "why": " | ".join(x.says for x in v.reasons),
        "as_of": v.as_of.isoformat() if v.as_of else None,
        "error": None,
        "list_version": v.versions.list_version,
        "rules_version": v.versions.rules_version,
        "algorithm": v.versions.algorithm,
    }


def flat_row(result: ScreenedRow) -> dict[str, Any]:
    """Any screened row on one line (the columns of its kind of file)."""
    if isinstance(result, ShipmentVerdict):
        return flat_shipment(result)
    return result.flat()
