"""Trace rules as versioned data: every exposure names its rule, every traced verdict records the
rules version, and a different rules file changes what travels, and at which level."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from uflpa.errors import InputError
from uflpa.graph import Edge, Node, NodeStatus, NodeTrace, SupplyGraph, graph_from_records, trace
from uflpa.graph.rules import TRACE_CONDITIONS, load_trace_rules
from uflpa.screening.ruleset import parse_ruleset

DAY = date(2024, 6, 1)
RULES_FILE = Path(__file__).parents[2] / "uflpa" / "graph" / "rules" / "uflpa-trace-v1.yml"
SCOPED = NodeStatus(
    "hit", ({"rule": "listed-party", "level": "hit", "says": "listed"},), ("X Group (UFLPA-1)",)
)


def graph() -> SupplyGraph:
    edges = [
        Edge("group", "sub", "owns", share=100.0),
        Edge("group", "minor", "owns", share=20.0),
        Edge("sub", "maker", "supplies"),
        Edge("maker", "importer", "supplies"),
    ]
    ids = sorted({x for e in edges for x in (e.source, e.target)})
    return graph_from_records([Node(i, name=i.upper()) for i in ids], edges)


def traced(rules_text: str | None = None) -> dict[str, NodeTrace]:
    g = graph()
    rules = (
        parse_ruleset(rules_text, "custom.yml", TRACE_CONDITIONS, scopes=("trace",))
        if rules_text
        else None
    )
    t = trace(g, {g.index()["group"]: SCOPED}, DAY, rules=rules, versions={"list_version": "L"})
    return {n.id: n for n in t.nodes()}


def test_exposures_name_their_rule_and_verdicts_record_the_rules_version() -> None:
    nodes = traced()
    importer = nodes["importer"]
    assert importer.verdict == "hit"
    assert [e.rule for e in importer.exposure] == ["upstream-exposure"]
    assert nodes["sub"].exposure[0].rule == "subsidiary-of-listed"
    assert nodes["minor"].exposure[0].rule == "minority-stake-of-listed"
    record = importer.to_dict()
    assert record["versions"] == {
        "list_version": "L",
        "trace_rules_version": load_trace_rules().version_id,
    }
    assert record["exposure"][0]["rule"] == "upstream-exposure"
    assert load_trace_rules().version_id.startswith("uflpa-trace-v1@")


def test_other_rules_change_what_travels_and_at_which_level() -> None:
    text = RULES_FILE.read_text(encoding="utf-8")
    softer = text.replace(
        "  - id: upstream-exposure\n    level: hit", "  - id: upstream-exposure\n    level: review"
    )
    assert softer != text
    nodes = traced(softer)
    assert nodes["importer"].verdict == "review"
    assert nodes["sub"].verdict == "hit"
    # Without the subsidiary rule, a listing's scope reaches no owned firm.
    start = text.index("  - id: subsidiary-of-listed")
    end = text.index("  - id: upstream-exposure")
    no_scope = text[:start] + text[end:]
    nodes = traced(no_scope)
    assert nodes["sub"].verdict == "clear"
    assert nodes["importer"].verdict == "clear"


def test_trace_rules_must_be_trace_rules() -> None:
    text = RULES_FILE.read_text(encoding="utf-8")
    with pytest.raises(InputError, match="scope"):
        parse_ruleset(
            text.replace("scope: trace", "scope: party", 1), "x.yml", TRACE_CONDITIONS,
            scopes=("trace",),
        )  # fmt: skip
    with pytest.raises(InputError, match="needs"):
        parse_ruleset(
            text.replace("needs: owns_hit_node", "needs: listed_match"), "x.yml",
            TRACE_CONDITIONS, scopes=("trace",),
        )  # fmt: skip
