"""The records `locate` returns: a verdict on one text, the places found, and every signal."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """A Xinjiang place found in the text. `ambiguous`/`caution` say when the spelling also names
    something elsewhere, or stands in a street name."""

    code: str
    name: str
    name_zh: str
    level: str
    span: tuple[int, int]
    matched: str
    ambiguous: bool = False
    caution: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "name_zh": self.name_zh,
            "level": self.level,
            "span": list(self.span),
        }


@dataclass(frozen=True, slots=True)
class Signal:
    """One clue: kind 'place_name', 'postal_code', 'uscc_region', 'xpcc', 'company_name_prefix',
    'false_friend', 'elsewhere' or 'country'; strength 'strong', 'weak' or 'negative'."""

    kind: str
    strength: str
    detail: str
    span: tuple[int, int] | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "strength": self.strength,
            "detail": self.detail,
            "span": list(self.span) if self.span else None,
        }


#: The three answers `locate` gives in its JSON, CSV and table outputs.
ANSWERS = ("yes", "possible", "no")


@dataclass(frozen=True, slots=True)
class Location:
    """`in_xinjiang` is the decision rules act on (confidence at least 0.5); `answer` says it in
    three ways so that a weak clue, which sends a shipment to review, is never shown as false."""

    in_xinjiang: bool
    confidence: float
    places: tuple[PlaceMatch, ...]
    signals: tuple[Signal, ...]
    reason: str

    @property
    def answer(self) -> str:
        """'yes' (in Xinjiang), 'possible' (some Xinjiang clue, too weak or contradicted to
        decide: for review) or 'no' (no Xinjiang clue, or only ones the text rules out)."""
        if self.in_xinjiang:
            return "yes"
        if any(s.strength in ("strong", "weak") for s in self.signals):
            return "possible"
        return "no"

    def to_dict(self) -> dict[str, Any]:
        return {
            "in_xinjiang": self.answer,
            "confidence": self.confidence,
            "places": [p.to_dict() for p in self.places],
            "signals": [s.to_dict() for s in self.signals],
            "reason": self.reason,
        }
