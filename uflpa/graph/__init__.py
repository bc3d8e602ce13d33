"""Supply-chain graphs and upstream tracing.

Load a chain (`load_graph`: a nodes + edges pair of tables, or one FollowTheMoney file), give each
node its own verdict (`screen_nodes`, over the Screener), then `trace` what reaches each node
through ownership and supply on a day, with the paths as evidence.
"""

from uflpa.graph.load import load_graph
from uflpa.graph.model import OWNS, RELATIONS, SUPPLIES, Edge, Node, SupplyGraph, graph_from_records
from uflpa.graph.trace import Exposure, NodeStatus, NodeTrace, Trace, trace

__all__ = [
    "OWNS",
    "RELATIONS",
    "SUPPLIES",
    "Edge",
    "Exposure",
    "Node",
    "NodeStatus",
    "NodeTrace",
    "SupplyGraph",
    "Trace",
    "graph_from_records",
    "load_graph",
    "trace",
]
