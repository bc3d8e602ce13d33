"""Upstream tracing: a node's own verdict, then what reaches it through ownership and supply.

The presumption of the UFLPA reaches goods made *wholly or in part* in Xinjiang or by a listed
entity, so a verdict on a node of a chain is the worst of:

* its **own** verdict (`NodeStatus`: the shipment rules on the node alone, see `screen_nodes`);
* **ownership** (`owns` edges active on the day): a listing "and subsidiaries" covers what the
  listed parent owns. From each node that is hit on its own by such a listing, the scope follows
  edges with a majority or unstated share, through any number of levels: the owned nodes are hit.
  A stated minority share (under 50%) only flags the owned node for review. And a node that owns
  a node hit on its own (a listed subsidiary) is flagged for review: its chain needs a look;
* **supply** (`supplies` edges active on the day): a node is exposed, hence hit, when some
  supply path reaches a node that is hit on its own or through ownership (a *risk node*).

Each exposure names its path (node ids from the node back to the risk node), its tier (the
number of edges), the risk node and that node's evidence. Per node, up to `max_paths` supply
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

HIT, REVIEW, CLEAR = "hit", "review", "clear"
_RANK = {CLEAR: 0, REVIEW: 1, HIT: 2}
#: Below this share (percent) an owner does not control: the scope of a listing stops there.
MAJORITY = 50.0
DEFAULT_MAX_PATHS = 3


def worst(levels: list[str]) -> str:
    return max(levels, key=_RANK.__getitem__, default=CLEAR)


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

    def to_dict(self) -> dict[str, Any]:
        return {
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "verdict": self.verdict,
            "own_verdict": self.own_verdict,
            "own_reasons": list(self.own_reasons),
            "exposure": [e.to_dict() for e in self.exposure],
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

    def verdicts(self) -> list[str]:
        """The traced verdict of every node, by node index."""
        out = [CLEAR] * self.graph.node_count
        for i in self.reviews:
            out[i] = REVIEW
        for i, status in self.statuses.items():
            out[i] = worst([out[i], status.verdict])
        for j in np.flatnonzero(self.supply.reached() | self.owned.reached()).tolist():
            out[j] = HIT
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
        out = []
        for slot in range(int(self.owned.count[i])):
            if self.owned.dist[i, slot] == 0:
                continue
            path = self.owned.path(i, slot)
            owner = path[-1]
            status = self.statuses[owner]
            out.append(
                Exposure(
                    path=self._ids(path),
                    tier=len(path) - 1,
                    risk_node=self.graph.ids[owner],
                    level=HIT,
                    via=OWNS,
                    reason=f"{self._label(owner)} is on the list with its subsidiaries "
                    f"({', '.join(status.scope)}) and owns {self._label(i)}"
                    + (" through " + " ← ".join(self._ids(path[1:-1])) if len(path) > 2 else "")
                    + ": the listing covers it.",
                    evidence=tuple(status.hit_evidence()),
                )
            )
        return out

    def _supply_exposure(self, i: int) -> list[Exposure]:
        out = []
        for slot in range(int(self.supply.count[i])):
            if self.supply.dist[i, slot] == 0:
                continue
            path = self.supply.path(i, slot)
            risk = path[-1]
            tier = len(path) - 1
            chain = " ← ".join(self._ids(path))
            out.append(
                Exposure(
                    path=self._ids(path),
                    tier=tier,
                    risk_node=self.graph.ids[risk],
                    level=HIT,
                    via=SUPPLIES,
                    reason=f"{self._label(risk)} is hit ({', '.join(self._rules(risk))}) and "
                    f"is a tier-{tier} supplier of {self._label(i)} ({chain}): goods made in "
                    "part upstream fall under the presumption.",
                    evidence=tuple(self._risk_evidence(risk)),
                )
            )
        out.sort(key=lambda e: (e.tier, e.risk_node))
        return out[: self.max_paths]

    def _rules(self, risk: int) -> list[str]:
        status = self.statuses.get(risk)
        rules = [r.get("rule", "") for r in status.hit_evidence()] if status else []
        if self.owned.count[risk] and self.owned.dist[risk, 0] > 0:
            rules.append("subsidiary-of-listed")
        return list(dict.fromkeys(r for r in rules if r)) or ["hit"]

    def _risk_evidence(self, risk: int) -> list[dict[str, Any]]:
        status = self.statuses.get(risk)
        evidence = status.hit_evidence() if status else []
        if not evidence:
            evidence = [
                {"rule": "subsidiary-of-listed", "level": HIT, **e.to_dict()}
                for e in self._owned_exposure(risk)
            ]
        return evidence


def trace(
    graph: SupplyGraph,
    statuses: Mapping[int, NodeStatus],
    day: date,
    *,
    max_paths: int = DEFAULT_MAX_PATHS,
) -> Trace:
    """Propagate the own verdicts in `statuses` (node index -> status; absent means clear) over
    the edges of `graph` active on `day`."""
    n = graph.node_count
    owns = graph.active(OWNS, day)
    o_src, o_dst, o_share = graph.source[owns], graph.target[owns], graph.share[owns]
    scoped = np.array(
        sorted(i for i, s in statuses.items() if s.verdict == HIT and s.scope), dtype=np.int32
    )
    majority = np.isnan(o_share) | (o_share >= MAJORITY)
    owned = spread(Adjacency.build(n, o_src[majority], o_dst[majority]), scoped, 1)
    trace_ = Trace(
        graph=graph, day=day, statuses=statuses, supply=owned, owned=owned, max_paths=max_paths
    )
    trace_.reviews = _ownership_reviews(trace_, o_src, o_dst, majority)

    own_hits = np.array(sorted(i for i, s in statuses.items() if s.verdict == HIT), dtype=np.int32)
    seeds = np.union1d(own_hits, np.flatnonzero(owned.reached()).astype(np.int32))
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
    for s, d in zip(o_src[~majority].tolist(), o_dst[~majority].tolist(), strict=True):
        if in_scope[s] and s != d:
            upstream = t.owned.path(s, 0)
            owner = upstream[-1]
            out.setdefault(d, []).append(
                Exposure(
                    path=(ids[d], *t._ids(upstream)),
                    tier=len(upstream),
                    risk_node=ids[owner],
                    level=REVIEW,
                    via=OWNS,
                    reason=f"{t._label(s)} holds a minority stake in {t._label(d)} and is "
                    "covered by a listing with subsidiaries: control is unclear, look at it.",
                    evidence=tuple(t.statuses[owner].hit_evidence()),
                )
            )
    for s, d in zip(o_src.tolist(), o_dst.tolist(), strict=True):
        status = t.statuses.get(d)
        if status is not None and status.verdict == HIT and s != d:
            out.setdefault(s, []).append(
                Exposure(
                    path=(ids[s], ids[d]),
                    tier=1,
                    risk_node=ids[d],
                    level=REVIEW,
                    via=OWNS,
                    reason=f"{t._label(s)} owns {t._label(d)}, which is hit on its own "
                    f"({', '.join(r.get('rule', '') for r in status.hit_evidence())}): the "
                    "parent of a listed or Xinjiang subsidiary needs a look.",
                    evidence=tuple(status.hit_evidence()),
                )
            )
    return out
