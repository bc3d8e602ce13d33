"""Tracing a supply chain: read the graph → screen every node → trace → summarise, the run loop
under `uflpa trace` (and any later surface). Writing (records, the drawing) is the caller's."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from uflpa.errors import NotFoundError
from uflpa.graph import NodeTrace, SupplyGraph, Trace, load_graph, trace
from uflpa.graph.rules import DEFAULT_TRACE_RULES, load_trace_rules
from uflpa.graph.screen_nodes import screen_nodes
from uflpa.io.hints import TRACE, Hints
from uflpa.screening import Screener


@dataclass(frozen=True, slots=True)
class TraceRequest:
    """A graph (`nodes` and `edges` tables, or one FollowTheMoney file as `nodes`), the day to
    trace (None: the current list, edges active today), the supply exposures kept per node, and
    the nodes to report (all when empty)."""

    nodes: Path
    edges: Path | None = None
    encoding: str | None = None
    as_of: date | None = None
    max_paths: int = 3
    only: Sequence[str] = ()
    rules: str = DEFAULT_TRACE_RULES
    #: The fixes messages may name: `uflpa trace` has --encoding and no --column.
    hints: Hints = TRACE


@dataclass(slots=True)
class TraceRun:
    """The traced graph, the day it was traced on, and the records of the nodes asked for."""

    graph: SupplyGraph
    traced: Trace
    day: date
    records: list[NodeTrace]
    #: True when the list was read on `day` (an --as-of date), False for the current list.
    dated: bool = False

    def counts(self) -> Counter[str]:
        return Counter(self.traced.verdicts())

    def summary(self) -> str:
        counts = self.counts()
        return (
            f"traced {self.graph.node_count} nodes, {self.graph.edge_count} edges on "
            f"{self.day.isoformat()} ({'list on that day' if self.dated else 'current list'}): "
            f"hit {counts['hit']}, review {counts['review']}, "
            f"clear {counts['clear']}"
        )


def trace_files(request: TraceRequest, screener: Callable[[], Screener]) -> TraceRun:
    """Load the graph (its problems are raised before any list is loaded), screen every node
    with `screener()` on the day, and trace what reaches each node."""
    graph = load_graph(request.nodes, request.edges, encoding=request.encoding, hints=request.hints)
    index = graph.index()
    wanted = []
    for node_id in request.only:
        if node_id not in index:
            raise NotFoundError(f"--node: no node with id {node_id!r}")
        wanted.append(index[node_id])
    rules = load_trace_rules(request.rules)
    built = screener()
    day = request.as_of or date.today()
    statuses = screen_nodes(graph, built, request.as_of)
    traced = trace(
        graph,
        statuses,
        day,
        max_paths=request.max_paths,
        rules=rules,
        versions=built.versions.to_dict(),
    )
    picked = wanted or range(graph.node_count)
    records = [traced.node(i) for i in picked]
    return TraceRun(
        graph=graph, traced=traced, day=day, records=records, dated=request.as_of is not None
    )
