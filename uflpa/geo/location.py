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


@dataclass(frozen=True, slots=True)
class Location:
    in_xinjiang: bool
    confidence: float
    places: tuple[PlaceMatch, ...]
    signals: tuple[Signal, ...]
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "in_xinjiang": self.in_xinjiang,
            "confidence": self.confidence,
            "places": [p.to_dict() for p in self.places],
            "signals": [s.to_dict() for s in self.signals],
            "reason": self.reason,
        }
