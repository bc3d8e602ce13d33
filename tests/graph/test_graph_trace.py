"""Tracing on hand-built chains: tiers, paths, dates, cycles, ownership scope; and properties that
hold for any graph (hypothesis): reachability is exactly what the tracer reports as exposure."""

from __future__ import annotations

from datetime import date

import networkx as nx
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from uflpa.graph import Edge, Node, NodeStatus, SupplyGraph, graph_from_records, trace
from uflpa.graph.reach import Adjacency, spread

DAY = date(2024, 6, 1)
HIT = NodeStatus("hit", ({"rule": "xinjiang-location", "level": "hit", "says": "in Xinjiang"},))
SCOPED = NodeStatus(
    "hit", ({"rule": "listed-party", "level": "hit", "says": "listed"},), ("X Group (UFLPA-1)",)
)


def chain(edges: list[tuple[str, str]] | list[Edge], n: int = 0) -> SupplyGraph:
    es = [e if isinstance(e, Edge) else Edge(e[0], e[1], "supplies") for e in edges]
    ids = sorted({x for e in es for x in (e.source, e.target)} | {f"n{i}" for i in range(n)})
    return graph_from_records([Node(i, name=i.upper()) for i in ids], es)


def statuses(g: SupplyGraph, **by_id: NodeStatus) -> dict[int, NodeStatus]:
    index = g.index()
    return {index[k]: v for k, v in by_id.items()}


def test_tier_four_path_and_clean_branch() -> None:
    g = chain(
        [("gin", "yarn"), ("yarn", "fabric"), ("fabric", "garment"), ("garment", "importer"),
         ("usgin", "mill"), ("mill", "knit"), ("knit", "importer"), ("knit", "other")]
    )  # fmt: skip
    t = trace(g, statuses(g, gin=HIT), DAY)
    imp = t.node(g.index()["importer"])
    assert imp.verdict == "hit" and imp.own_verdict == "clear"
    (e,) = imp.exposure
    assert e.path == ("importer", "garment", "fabric", "yarn", "gin")
    assert e.tier == 4 and e.risk_node == "gin" and e.via == "supplies"
    assert e.evidence == HIT.reasons and "tier-4 supplier" in e.reason
    for clean in ("other", "knit", "mill", "usgin"):
        assert t.node(g.index()[clean]).verdict == "clear"
    assert t.node(g.index()["gin"]).exposure == ()


def test_dates_decide_which_edges_count() -> None:
    old = Edge("gin", "mill", "supplies", start_date=date(2018, 1, 1), end_date=date(2019, 12, 31))
    later = Edge("mill", "buyer", "supplies", start_date=date(2019, 6, 1))
    g = chain([old, later])
    s = statuses(g, gin=HIT)
    buyer = g.index()["buyer"]
    assert trace(g, s, date(2019, 12, 31)).node(buyer).verdict == "hit"
    assert trace(g, s, date(2020, 1, 1)).node(buyer).verdict == "clear"
    assert trace(g, s, date(2019, 5, 31)).node(buyer).verdict == "clear"


def test_shortest_paths_first_and_bounded() -> None:
    edges = [(f"r{i}", "hub") for i in range(6)] + [("r0", "x"), ("x", "y"), ("y", "hub")]
    edges += [("hub", "buyer")]
    g = chain(edges)
    s = statuses(g, **{f"r{i}": HIT for i in range(6)})
    t = trace(g, s, DAY, max_paths=3)
    exposure = t.node(g.index()["buyer"]).exposure
    assert len(exposure) == 3
    assert [e.tier for e in exposure] == [2, 2, 2]
    assert len({e.risk_node for e in exposure}) == 3
    hub = t.node(g.index()["hub"]).exposure
    assert [e.tier for e in hub] == [1, 1, 1]


def test_cycles_terminate() -> None:
    g = chain([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "d")])
    t = trace(g, statuses(g, a=HIT), DAY)
    assert [n.verdict for n in t.nodes()] == ["hit"] * 4
    assert t.node(g.index()["a"]).exposure == ()  # its own goods coming back are no new risk
    assert t.node(g.index()["d"]).exposure[0].path == ("d", "c", "b", "a")


def test_ownership_scope_majority_minority_and_parent_review() -> None:
    g = chain(
        [
            Edge("group", "sub", "owns", share=100.0),
            Edge("sub", "subsub", "owns"),
            Edge("group", "minor", "owns", share=20.0),
            Edge("holding", "group", "owns", share=60.0),
            Edge("subsub", "buyer", "supplies"),
            Edge("minor", "buyer2", "supplies"),
        ]
    )
    t = trace(g, statuses(g, group=SCOPED), DAY)
    node = {n.id: n for n in t.nodes()}
    assert node["sub"].verdict == "hit" and node["subsub"].verdict == "hit"
    assert node["subsub"].exposure[0].path == ("subsub", "sub", "group")
    assert node["subsub"].exposure[0].via == "owns" and node["subsub"].exposure[0].tier == 2
    assert node["buyer"].verdict == "hit"
    assert node["buyer"].exposure[0].path == ("buyer", "subsub")
    assert node["buyer"].exposure[0].evidence[0]["rule"] == "subsidiary-of-listed"
    assert node["minor"].verdict == "review" and node["buyer2"].verdict == "clear"
    assert node["holding"].verdict == "review"  # the parent of a listed entity
    assert node["holding"].exposure[0].path == ("holding", "group")


def test_no_scope_without_subsidiaries_listing() -> None:
    g = chain([Edge("group", "sub", "owns", share=100.0)])
    t = trace(g, statuses(g, group=HIT), DAY)
    assert t.node(g.index()["sub"]).verdict == "clear"


def test_bulk_paths_equal_single_paths() -> None:
    rng = np.random.default_rng(7)
    n, m = 300, 900
    src, dst = rng.integers(0, n, m).astype(np.int32), rng.integers(0, n, m).astype(np.int32)
    reach = spread(Adjacency.build(n, src, dst), np.array([0, 5, 9], dtype=np.int32), 3)
    nodes, slots = np.nonzero(reach.src >= 0)
    offsets, flat = reach.paths(nodes.astype(np.int32), slots.astype(np.int32))
    for i, (v, slot) in enumerate(zip(nodes.tolist(), slots.tolist(), strict=True)):
        assert flat[offsets[i] : offsets[i + 1]].tolist() == reach.path(v, slot)


# --- properties ------------------------------------------------------------------------------

graphs = st.integers(2, 12).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=30),
        st.sets(st.integers(0, n - 1), max_size=3),
    )
)


def build(n: int, edges: list[tuple[int, int]]) -> SupplyGraph:
    return graph_from_records(
        [Node(f"n{i}") for i in range(n)],
        [Edge(f"n{a}", f"n{b}", "supplies") for a, b in edges],
    )


def exposed(n: int, edges: list[tuple[int, int]], risk: set[int], k: int = 2) -> list[str]:
    g = build(n, edges)
    return trace(g, {i: HIT for i in risk}, DAY, max_paths=k).verdicts()


@settings(max_examples=150, deadline=None)
@given(graphs, st.integers(1, 3))
def test_exposure_is_reachability_and_paths_are_real(case: tuple, k: int) -> None:  # type: ignore[type-arg]
    n, edges, risk = case
    g = build(n, edges)
    t = trace(g, {i: HIT for i in risk}, DAY, max_paths=k)
    dg = nx.DiGraph()
    dg.add_nodes_from(range(n))
    dg.add_edges_from(edges)
    edge_set = {(f"n{a}", f"n{b}") for a, b in edges}
    for v in range(n):
        reachable = [r for r in risk if r != v and nx.has_path(dg, r, v)]
        record = t.node(v)
        assert (record.verdict == "hit") == (v in risk or bool(reachable))
        supply = [e for e in record.exposure if e.via == "supplies"]
        assert len(supply) <= k
        if reachable:
            nearest = min(nx.shortest_path_length(dg, r, v) for r in reachable)
            assert supply and supply[0].tier == nearest
        for e in supply:
            assert e.path[0] == f"n{v}" and e.tier == len(e.path) - 1
            assert all((b, a) in edge_set for a, b in zip(e.path, e.path[1:], strict=False))


@settings(max_examples=100, deadline=None)
@given(graphs, st.tuples(st.integers(0, 11), st.integers(0, 11)))
def test_adding_a_clean_edge_never_clears(case: tuple, extra: tuple[int, int]) -> None:  # type: ignore[type-arg]
    n, edges, risk = case
    a, b = extra[0] % n, extra[1] % n
    before = exposed(n, edges, risk)
    after = exposed(n, [*edges, (a, b)], risk)
    assert all(not (x == "hit" and y != "hit") for x, y in zip(before, after, strict=True))


@settings(max_examples=100, deadline=None)
@given(st.integers(2, 8), st.integers(0, 3))
def test_removing_the_only_path_clears(length: int, cut: int) -> None:
    edges = [(i, i + 1) for i in range(length - 1)]
    cut = cut % len(edges)
    assert exposed(length, edges, {0})[-1] == "hit"
    without = exposed(length, edges[:cut] + edges[cut + 1 :], {0})
    assert without[cut + 1 :] == ["clear"] * (length - cut - 1)


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 40))
def test_long_cycles_terminate(size: int) -> None:
    edges = [(i, (i + 1) % size) for i in range(size)] + [(i, i) for i in range(size)]
    assert exposed(size, edges, {0}, k=3) == ["hit"] * size


def test_risk_node_sees_other_risk_behind_a_shared_supplier() -> None:
    # Found by hypothesis: r1 <-> x, r6 -> x; with one path per node, x's only slot went to r1,
    # which is useless to r1 itself, and r1 never heard of r6.
    g = chain([("r1", "x"), ("x", "r1"), ("r6", "x")])
    t = trace(g, statuses(g, r1=HIT, r6=HIT), DAY, max_paths=1)
    (e,) = t.node(g.index()["r1"]).exposure
    assert e.path == ("r1", "x", "r6") and e.tier == 2
