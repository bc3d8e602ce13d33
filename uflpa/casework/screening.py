"""Watched parties screened into records: what a screening stores, and the hashes that let any
run be reproduced later (`uflpa audit replay`).

A party is screened as a party file row is (`Screener.screen_party`, the party-scope rules), as of
the day of the run. What is stored is the verdict, the best candidate, every entity the screening
looked at closely (`candidates`: a monitor run re-screens a party when one of them changes), and
the full JSON row the CLI would print. The input hash covers the parties' data in key order, the
output hash the verdicts, scores and entities in key order: equal hashes, equal run.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from uflpa.casework.audit import canonical, sha256_text
from uflpa.model import CLEAR, ListedEntity
from uflpa.screening import PartyRow, Screener


@dataclass(frozen=True, slots=True)
class PartyData:
    """A watched party's data as the supplier master gives it."""

    key: str
    name: str
    country: str = ""
    address: str = ""
    identifier: str = ""

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    @property
    def sha256(self) -> str:
        return sha256_text(canonical(self.to_dict()))

    @classmethod
    def from_json(cls, text: str) -> PartyData:
        d = json.loads(text)
        return cls(**{k: str(d.get(k) or "") for k in _FIELDS})


_FIELDS = ("key", "name", "country", "address", "identifier")


@dataclass(frozen=True, slots=True)
class Screened:
    """One party's screening, ready to store."""

    key: str
    verdict: str
    score: float
    entity_id: str | None
    entity_name: str | None
    matched_name: str | None
    candidates: tuple[str, ...]
    list_version: str
    rules_version: str
    algorithm: str
    as_of: date
    result: dict[str, Any]

    @property
    def flagged(self) -> bool:
        return self.verdict != CLEAR

    def outcome(self) -> list[Any]:
        """What the output hash covers for this party."""
        return [self.key, self.verdict, round(self.score, 4), self.entity_id or ""]


def screen(screener: Screener, party: PartyData, as_of: date) -> Screened:
    """One watched party screened as of `as_of`."""
    verdict = screener.screen_party(
        party.name,
        country=party.country or None,
        address=party.address or None,
        identifiers=[party.identifier] if party.identifier else [],
        as_of=as_of,
    )
    row = PartyRow.of(0, {"id": party.key, "name": party.name}, verdict)
    flat = row.flat()
    result = row.to_dict()
    result.pop("row", None)
    top = verdict.top
    candidates: dict[str, None] = {}
    if top is not None:
        candidates[top.entity_id] = None
    for reason in verdict.reasons:
        eid = reason.evidence.get("entity_id")
        if isinstance(eid, str):
            candidates[eid] = None
    for note in verdict.notes:
        if note.entity_id:
            candidates[note.entity_id] = None
    entity_id = flat["entity_id"]
    if entity_id is None:
        # A flag without a listed candidate (a Xinjiang location) or a clear verdict.
        entity_id = next(
            (r.evidence.get("entity_id") for r in verdict.reasons if r.evidence.get("entity_id")),
            None,
        )
    return Screened(
        key=party.key,
        verdict=verdict.verdict,
        score=float(flat["score"]),
        entity_id=entity_id if verdict.verdict != CLEAR else None,
        entity_name=(top.entity_name if top and entity_id == top.entity_id else None)
        if verdict.verdict != CLEAR
        else None,
        matched_name=flat["matched_name"],
        candidates=tuple(candidates),
        list_version=verdict.versions.list_version,
        rules_version=verdict.versions.rules_version,
        algorithm=verdict.versions.algorithm,
        as_of=as_of,
        result=result,
    )


def input_sha256(parties: Iterable[PartyData]) -> str:
    return sha256_text(canonical(sorted((p.to_dict() for p in parties), key=lambda d: d["key"])))


def output_sha256(results: Iterable[Screened]) -> str:
    return sha256_text(canonical(sorted((r.outcome() for r in results), key=lambda o: o[0])))


def listing_sha256(entity: ListedEntity | None) -> str:
    """The fingerprint of an entity's entry on the list: a decision about it holds while this
    stays the same (names, listings, sections, dates, location)."""
    return sha256_text(canonical(entity.to_dict())) if entity is not None else ""


def screened_row(
    s: Screened, *, run_id: int, party_id: int, party_version_id: int, at: Any
) -> dict[str, Any]:
    """The `screenings` row of `s`."""
    return {
        "run_id": run_id,
        "party_id": party_id,
        "party_version_id": party_version_id,
        "at": at,
        "as_of": s.as_of.isoformat(),
        "verdict": s.verdict,
        "score": s.score,
        "entity_id": s.entity_id,
        "entity_name": s.entity_name,
        "matched_name": s.matched_name,
        "candidates": json.dumps(list(s.candidates)),
        "list_version": s.list_version,
        "rules_version": s.rules_version,
        "algorithm": s.algorithm,
        "result": canonical(s.result),
    }


def many(screener: Screener, parties: Sequence[PartyData], as_of: date) -> list[Screened]:
    return [screen(screener, p, as_of) for p in parties]
