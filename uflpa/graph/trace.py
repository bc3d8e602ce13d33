"""Upstream tracing: a node's own verdict, then what reaches it through ownership and supply.

The presumption of the UFLPA reaches goods made *wholly or in part* in Xinjiang or by a listed
entity, so a verdict on a node of a chain is the worst of its own verdict and what reaches it.
Which exposures count, and at what level, is versioned data (`uflpa.graph.rules`,
`rules/uflpa-trace-v1.yml`); with the bundled rules:

* its **own** verdict (`NodeStatus`: the shipment rules on the node alone, see `screen_nodes`);
* **ownership** (`owns` edges active on the day; rule `subsidiary-of-listed`): a listing "and
  subsidiaries" covers what the listed parent owns. From each node that is hit on its own by such
  a listing, the scope follows edges with a majority or unstated share, through any number of
  levels: the owned nodes are hit. A stated minority share only flags the owned node for review
  (`minority-stake-of-listed`). And a node that owns a node hit on its own (a listed subsidiary)
  is flagged for review (`parent-of-hit`): its chain needs a look;
* **supply** (`supplies` edges active on the day; rule `upstream-exposure`): a node is exposed,
  hence hit, when some supply path reaches a node that is hit on its own or through ownership (a
  *risk node*).

Each exposure names its rule, its path (node ids from the node back to the risk node), its tier
(the number of edges), the risk node and that node's evidence. Per node, up to `max_paths` supply
exposures are kept, each to a different risk node, the nearest first (see `uflpa.graph.reach`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from uflpa.graph.model import OWNS, SUPPLIES, IntArray, SupplyGraph
from uflpa.graph.reach import Adjacency, Reach, spread
from uflpa.graph.rules import (
    MINORITY_STAKE,
    OWNED_BY_LISTED_GROUP,
    OWNS_HIT_NODE,
    SUPPLIED_BY_RISK_NODE,
    load_trace_rules,
    rule_for,
)
from uflpa.model import CLEAR, HIT, REVIEW, worst
from uflpa.screening.engine import render
from uflpa.screening.ruleset import Rule, Ruleset

__all__ = ["CLEAR", "HIT", "REVIEW", "Exposure", "NodeStatus", "NodeTrace", "Trace", "trace"]

#: Below this share (percent) an owner does not control, unless the rules say otherwise.
MAJORITY = 50.0
DEFAULT_MAX_PATHS = 3


@dataclass(frozen=True, slots=True)
class NodeStatus:
    """A node's own verdict and reasons (dicts as `Reason.to_dict` gives them); `scope` names
    the listed entities whose listing covers subsidiaries and that the node matched."""

    verdict: str
    reasons: tuple[dict[str, Any], ...] = ()
    scope: tuple[str, ...] = ()

    def hit_evidence(self) -> list[dict[str, Any]]:
        return [r for r in self.reasons if r.get("level") == HIT]


@dataclass(frozen=True, slots=True)
class Exposure:
    """A risk reaching a node: `path` runs from the node to `risk_node` along `via` edges."""

    path: tuple[str, ...]
    tier: int
    risk_node: str
    level: str
    via: str
    reason: str
    evidence: tuple[dict[str, Any], ...] = ()
    rule: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "path": list(self.path),
            "tier": self.tier,
            "risk_node": self.risk_node,
            "level": self.level,
            "via": self.via,
            "reason": self.reason,
            "evidence": list(self.evidence),
        }


@dataclass(frozen=True, slots=True)
class NodeTrace:
    """The traced verdict on one node."""

    id: str
    name: str
    verdict: str
    own_verdict: str
    own_reasons: tuple[dict[str, Any], ...]
    exposure: tuple[Exposure, ...]
    #: The versions the verdict depends on: list, rules and algorithm of the node's own
    #: screening, and the trace rules.
    versions: Mapping[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "verdict": self.verdict,
            "own_verdict": self.own_verdict,
            "own_reasons": list(self.own_reasons),
            "exposure": [e.to_dict() for e in self.exposure],
            "versions": dict(self.versions),
        }


@dataclass(slots=True)
class Trace:
    """The result of `trace`: arrays for the whole graph, records per node on demand."""

    graph: SupplyGraph
    day: date
    statuses: Mapping[int, NodeStatus]
    supply: Reach
    owned: Reach
    #: node index -> review exposures from ownership (minority stakes, owners of hit nodes)
    reviews: dict[int, list[Exposure]] = field(default_factory=dict)
    max_paths: int = DEFAULT_MAX_PATHS
    rules: Ruleset | None = None
    owned_rule: Rule | None = None
    supply_rule: Rule | None = None
    versions: Mapping[str, str] = field(default_factory=dict)

    def verdicts(self) -> list[str]:
        """The traced verdict of every node, by node index."""
        out: list[str] = [CLEAR] * self.graph.node_count
        for i, exposures in self.reviews.items():
            out[i] = worst([e.level for e in exposures])
        for i, status in self.statuses.items():
            out[i] = worst([out[i], status.verdict])
        for reach, rule in ((self.owned, self.owned_rule), (self.supply, self.supply_rule)):
            if rule is not None:
                for j in np.flatnonzero(reach.reached()).tolist():
                    out[j] = worst([out[j], rule.level])
        return out

    def node(self, i: int) -> NodeTrace:
        status = self.statuses.get(i, NodeStatus(CLEAR))
        exposure = [*self._owned_exposure(i), *self._supply_exposure(i), *self.reviews.get(i, [])]
        return NodeTrace(
            id=self.graph.ids[i],
            name=self.graph.names[i],
            verdict=worst([status.verdict, *(e.level for e in exposure)]),
            own_verdict=status.verdict,
            own_reasons=status.reasons,
            exposure=tuple(exposure),
            versions=self.versions,
        )

    def nodes(self) -> Iterator[NodeTrace]:
        for i in range(self.graph.node_count):
            yield self.node(i)

    def _ids(self, path: list[int]) -> tuple[str, ...]:
        return tuple(self.graph.ids[j] for j in path)

    def _label(self, i: int) -> str:
        name = self.graph.names[i]
        return f"{name} ({self.graph.ids[i]})" if name else self.graph.ids[i]

    def _owned_exposure(self, i: int) -> list[Exposure]:
        rule = self.owned_rule
        if rule is None:
            return []
        out = []
        for slot in range(int(self.owned.count[i])):
            if self.owned.dist[i, slot] == 0:
                continue
            path = self.owned.path(i, slot)
            owner = path[-1]
            status = self.statuses[owner]
            through = " ← ".join(self._ids(path[1:-1]))
            fields = {
                "owner": self._label(owner),
                "scope": ", ".join(status.scope),
                "node": self._label(i),
                "through": f" through {through}" if len(path) > 2 else "",
            }
            out.append(
                Exposure(
                    path=self._ids(path),
                    tier=len(path) - 1,
                    risk_node=self.graph.ids[owner],
                    level=rule.level,
                    via=OWNS,
                    reason=render(rule, fields),
                    evidence=tuple(status.hit_evidence()),
                    rule=rule.id,
                )
            )
        return out

    def _supply_exposure(self, i: int) -> list[Exposure]:
        rule = self.supply_rule
        if rule is None:
            return []
        out = []
        for slot in range(int(self.supply.count[i])):
            if self.supply.dist[i, slot] == 0:
                continue
            path = self.supply.path(i, slot)
            risk = path[-1]
            tier = len(path) - 1
            fields = {
                "risk": self._label(risk),
                "rules": ", ".join(self._rules(risk)),
                "tier": str(tier),
                "node": self._label(i),
                "chain": " ← ".join(self._ids(path)),
            }
            out.append(
                Exposure(
                    path=self._ids(path),
                    tier=tier,
                    risk_node=self.graph.ids[risk],
                    level=rule.level,
                    via=SUPPLIES,
                    reason=render(rule, fields),
                    evidence=tuple(self._risk_evidence(risk)),
                    rule=rule.id,
                )
            )
        out.sort(key=lambda e: (e.tier, e.risk_node))
        return out[: self.max_paths]

    def _rules(self, risk: int) -> list[str]:
        status = self.statuses.get(risk)
        rules = [r.get("rule", "") for r in status.hit_evidence()] if status else []
        owned = self.owned_rule
        if owned is not None and self.owned.count[risk] and self.owned.dist[risk, 0] > 0:
            rules.append(owned.id)
        return list(dict.fromkeys(r for r in rules if r)) or ["hit"]

    def _risk_evidence(self, risk: int) -> list[dict[str, Any]]:
        status = self.statuses.get(risk)
        evidence = status.hit_evidence() if status else []
        if not evidence:
            evidence = [
                {"rule": e.rule, "level": e.level, **e.to_dict()}
                for e in self._owned_exposure(risk)
            ]
        return evidence


def trace(
    graph: SupplyGraph,
    statuses: Mapping[int, NodeStatus],
    day: date,
    *,
    max_paths: int = DEFAULT_MAX_PATHS,
    rules: Ruleset | None = None,
    versions: Mapping[str, str] | None = None,
) -> Trace:
    """Propagate the own verdicts in `statuses` (node index -> status; absent means clear) over
    the edges of `graph` active on `day`, as the trace `rules` say (the bundled ones by
    default). `versions` (of the node screening) are recorded with the trace rules' version in
    every traced verdict."""
    rules = rules or load_trace_rules()
    owned_rule = rule_for(rules, OWNED_BY_LISTED_GROUP)
    supply_rule = rule_for(rules, SUPPLIED_BY_RISK_NODE)
    n = graph.node_count
    owns = graph.active(OWNS, day)
    o_src, o_dst, o_share = graph.source[owns], graph.target[owns], graph.share[owns]
    cut = float(owned_rule.params.get("majority", MAJORITY)) if owned_rule else MAJORITY
    scoped = np.array(
        []
        if owned_rule is None
        else sorted(i for i, s in statuses.items() if s.verdict == HIT and s.scope),
        dtype=np.int32,
    )
    majority = np.isnan(o_share) | (o_share >= cut)
    owned = spread(Adjacency.build(n, o_src[majority], o_dst[majority]), scoped, 1)
    trace_ = Trace(
        graph=graph,
        day=day,
        statuses=statuses,
        supply=owned,
        owned=owned,
        max_paths=max_paths,
        rules=rules,
        owned_rule=owned_rule,
        supply_rule=supply_rule,
        versions={**(versions or {}), "trace_rules_version": rules.version_id},
    )
    trace_.reviews = _ownership_reviews(trace_, o_src, o_dst, majority)

    own_hits = np.array(sorted(i for i, s in statuses.items() if s.verdict == HIT), dtype=np.int32)
    seeds = np.union1d(own_hits, np.flatnonzero(owned.reached()).astype(np.int32))
    if supply_rule is None:
        seeds = np.array([], dtype=np.int32)
    supplies = graph.active(SUPPLIES, day)
    adjacency = Adjacency.build(n, graph.source[supplies], graph.target[supplies])
    trace_.supply = spread(adjacency, seeds.astype(np.int32), max_paths)
    return trace_


def _ownership_reviews(
    t: Trace, o_src: IntArray, o_dst: IntArray, majority: np.ndarray[Any, Any]
) -> dict[int, list[Exposure]]:
    """Minority stakes of a listed group, and owners of nodes hit on their own."""
    out: dict[int, list[Exposure]] = {}
    in_scope = t.owned.reached()
    ids = t.graph.ids
    rules = t.rules or load_trace_rules()
    minority = rule_for(rules, MINORITY_STAKE)
    for s, d in zip(o_src[~majority].tolist(), o_dst[~majority].tolist(), strict=True):
        if minority is not None and in_scope[s] and s != d:
            upstream = t.owned.path(s, 0)
            owner = upstream[-1]
            out.setdefault(d, []).append(
                Exposure(
                    path=(ids[d], *t._ids(upstream)),
                    tier=len(upstream),
                    risk_node=ids[owner],
                    level=minority.level,
                    via=OWNS,
                    reason=render(minority, {"holder": t._label(s), "node": t._label(d)}),
                    evidence=tuple(t.statuses[owner].hit_evidence()),
                    rule=minority.id,
                )
            )
    parent = rule_for(rules, OWNS_HIT_NODE)
    for s, d in zip(o_src.tolist(), o_dst.tolist(), strict=True):
        status = t.statuses.get(d)
        if parent is not None and status is not None and status.verdict == HIT and s != d:
            fired = ", ".join(r.get("rule", "") for r in status.hit_evidence())
            fields = {"node": t._label(s), "owned": t._label(d), "rules": fired}
            out.setdefault(s, []).append(
                Exposure(
                    path=(ids[s], ids[d]),
                    tier=1,
                    risk_node=ids[d],
                    level=parent.level,
                    via=OWNS,
                    reason=render(parent, fields),
                    evidence=tuple(status.hit_evidence()),
                    rule=parent.id,
                )
            )
    return out
