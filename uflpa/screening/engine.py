"""Apply a ruleset to gathered facts: which rules fire, with which evidence, and the verdict.

The verdict is the highest level among the reasons, so it is `clear` exactly when no rule fired.
Once a party has a hit-level reason, review-level reasons about the same party add nothing a
reviewer can act on (a listed firm whose name also contains an ambiguous place) and are dropped;
reasons about the goods or the shipment stay, and so does a match on another screening list.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from uflpa.screening.conditions import load_conditions
from uflpa.screening.facts import ShipmentFacts
from uflpa.screening.ruleset import Rule, Ruleset
from uflpa.screening.verdict import HIT, Reason, worst


def evaluate(ruleset: Ruleset, facts: ShipmentFacts, scope: str = "shipment") -> list[Reason]:
    """Every reason the rules of `scope` find in `facts`, hit-level first, in rules order."""
    conditions = load_conditions()
    reasons: list[Reason] = []
    for rule in ruleset.for_scope(scope):
        for finding in conditions[rule.needs](facts, rule.params):
            fields = {"role": finding.role, "party": finding.party, **finding.fields}
            reasons.append(
                Reason(
                    rule=rule.id,
                    level=rule.level,
                    role=finding.role,
                    party=finding.party,
                    says=render(rule, fields),
                    evidence=finding.evidence,
                )
            )
    if not reasons:
        return reasons
    # A match on another screening list is its own finding (an export control, a sanction), so
    # a UFLPA hit on the same party does not make it redundant.
    party_rules = {r.id for r in ruleset.for_scope("party") if r.needs != "other_list_match"}
    settled = {(r.role, r.party) for r in reasons if r.level == HIT and r.rule in party_rules}
    kept = [
        r
        for r in reasons
        if r.level == HIT or r.rule not in party_rules or (r.role, r.party) not in settled
    ]
    kept.sort(key=lambda r: r.level != HIT)  # stable: rules order within a level
    return kept


def verdict_of(reasons: list[Reason]) -> str:
    return worst([r.level for r in reasons])


class _Fields(dict[str, str]):
    """Missing fields show as '?' rather than failing: wording must never stop a screening."""

    def __missing__(self, key: str) -> str:
        return "?"


def render(rule: Rule, fields: Mapping[str, Any]) -> str:
    """The rule's sentence with its {fields} filled in."""
    values = _Fields({k: "" if v is None else str(v) for k, v in fields.items()})
    return rule.says.format_map(values)
