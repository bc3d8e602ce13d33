"""Each node's own verdict, from the shipment rules of `uflpa.screening` (party scope).

A node is screened like a lone party: list match as of the day, Xinjiang location, registration
in Xinjiang. The Screener reports which listed entity a node matched but not whether that
listing covers subsidiaries, so this module looks the entity up in the screener's list versions:
a node matched (rule `listed-party`) to an entity listed "and subsidiaries" carries that scope to
what it owns (see `uflpa.graph.trace`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from uflpa.graph.model import SupplyGraph
from uflpa.graph.trace import NodeStatus
from uflpa.model import CLEAR, ListedEntity
from uflpa.screening import Screener

LISTED_RULE = "listed-party"


def screen_nodes(
    graph: SupplyGraph,
    screener: Screener,
    as_of: date | None,
    *,
    progress: Callable[[int], None] | None = None,
) -> dict[int, NodeStatus]:
    """Own verdicts of the nodes that are not clear, by node index."""
    entities: dict[str, ListedEntity] = {
        e.id: e for version in screener.list_versions for e in version.entities
    }
    out: dict[int, NodeStatus] = {}
    for i in range(graph.node_count):
        node = graph.node(i)
        if progress is not None:
            progress(i)
        if not (node.name or node.identifier or node.address):
            continue
        verdict = screener.screen_party(
            node.name,
            country=node.country or None,
            address=node.address or None,
            identifiers=(node.identifier,) if node.identifier else (),
            as_of=as_of,
        )
        if verdict.verdict == CLEAR:
            continue
        reasons = tuple(r.to_dict() for r in verdict.reasons)
        scope = []
        for r in verdict.reasons:
            entity = entities.get(str(r.evidence.get("entity_id", "")))
            if r.rule == LISTED_RULE and entity is not None and entity.subsidiaries:
                scope.append(f"{entity.name} ({entity.id})")
        out[i] = NodeStatus(verdict.verdict, reasons, tuple(dict.fromkeys(scope)))
    return out
