"""The registry of conditions: what a rule's `needs` names, and what a condition returns.

A condition is named for the evidence it finds (`listed_match`, `xinjiang_location`), reads only
`ShipmentFacts`, and returns one `Finding` per party (or per shipment) where the evidence is
present, with the evidence itself and the fields the rule's sentence quotes. Levels and wording
live in the rules file; conditions never decide a verdict. They are defined by topic in
`conditions_listed`, `conditions_xinjiang` and `conditions_goods`, and registered on import.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from uflpa.screening.facts import ShipmentFacts


@dataclass(frozen=True, slots=True)
class Finding:
    """Evidence that a condition holds, for one party (`role`, `party`) or the shipment."""

    role: str
    party: str
    evidence: dict[str, Any]
    fields: dict[str, str] = field(default_factory=dict)


Condition = Callable[[ShipmentFacts, Mapping[str, Any]], list[Finding]]
CONDITIONS: dict[str, Condition] = {}


def condition(fn: Condition) -> Condition:
    """Register `fn` under its own name, the name rules files use in `needs`."""
    CONDITIONS[fn.__name__] = fn
    return fn


@cache  # the engine asks once per screened row: import the topic modules once
def load_conditions() -> dict[str, Condition]:
    """Every condition, registered (importing the topic modules registers them)."""
    from uflpa.screening import conditions_goods, conditions_listed, conditions_xinjiang

    del conditions_goods, conditions_listed, conditions_xinjiang
    return CONDITIONS
