"""The trace rules: versioned data in the shipment rules' format (`rules/uflpa-trace-v1.yml`).

Each rule names one way risk travels through a graph (`needs`: what the tracer computes), the
level it gives the node it reaches, and the sentence an analyst reads. The tracer reads them
(`uflpa.graph.trace`), and every traced verdict records their version.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from uflpa.errors import UsageError
from uflpa.screening.ruleset import Rule, Ruleset, parse_ruleset

DEFAULT_TRACE_RULES = "uflpa-trace-v1"
#: What the tracer can compute, by the name a rule's `needs` uses.
OWNED_BY_LISTED_GROUP = "owned_by_listed_group"
SUPPLIED_BY_RISK_NODE = "supplied_by_risk_node"
MINORITY_STAKE = "minority_stake_of_listed_group"
OWNS_HIT_NODE = "owns_hit_node"
TRACE_CONDITIONS = (OWNED_BY_LISTED_GROUP, SUPPLIED_BY_RISK_NODE, MINORITY_STAKE, OWNS_HIT_NODE)


@cache
def load_trace_rules(name: str = DEFAULT_TRACE_RULES) -> Ruleset:
    """A bundled trace rules version by name (read once per process)."""
    path = resources.files("uflpa.graph").joinpath("rules", f"{name}.yml")
    if "/" in name or "\\" in name or not path.is_file():
        raise UsageError(f"unknown trace rules version {name!r}")
    text = path.read_text(encoding="utf-8")
    return parse_ruleset(text, f"uflpa/graph/rules/{name}.yml", TRACE_CONDITIONS, scopes=("trace",))


def rule_for(rules: Ruleset, needs: str) -> Rule | None:
    """The rule of `rules` that needs `needs` (None: that exposure is off)."""
    return next((r for r in rules.rules if r.needs == needs), None)
