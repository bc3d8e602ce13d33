"""Validated construction of a graph, row by row, for every input format.

Each problem stops the load with one `InputError` naming the file, the row (a line of the file,
as a person counts) and the column: a duplicate node id, an edge to an unknown node, an unknown
relation, a date that is not a date or ends before it starts, a share that is not a percentage.
A graph that loads is therefore always consistent; nothing is silently dropped.
"""

from __future__ import annotations

import calendar
import math
import re
from datetime import date

from uflpa.errors import InputError
from uflpa.graph.model import RELATIONS, Edge, Node, SupplyGraph, graph_from_records

#: Spellings accepted for each relation (compared case-insensitively, spaces as underscores).
RELATION_ALIASES: dict[str, str] = {
    "supplies": "supplies",
    "supply": "supplies",
    "supplier_of": "supplies",
    "supplies_to": "supplies",
    "owns": "owns",
    "owner_of": "owns",
    "ownership": "owns",
}
_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


def parse_relation(text: str, *, file: str, row: int | None, column: str) -> str:
    key = "_".join(text.strip().lower().replace("-", " ").split())
    relation = RELATION_ALIASES.get(key)
    if relation is None:
        raise InputError(
            f"unknown relation {text!r} (use one of: {', '.join(RELATIONS)})",
            file=file,
            row=row,
            column=column,
        )
    return relation


def parse_day(
    text: str, *, file: str, row: int | None, column: str, end: bool = False
) -> date | None:
    """An ISO date; a bare year or year-month means its first day (or its last for an end date,
    so that 'until 2023' includes all of 2023). Empty gives None."""
    value = text.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10] if "T" in value else value)
    except ValueError:
        pass
    partial = _PARTIAL.match(value)
    if partial:
        year, month = int(partial.group(1)), partial.group(2)
        try:
            if month is None:
                return date(year, 12, 31) if end else date(year, 1, 1)
            m = int(month)
            return date(year, m, calendar.monthrange(year, m)[1] if end else 1)
        except ValueError:
            pass
    raise InputError(f"{value!r} is not a date (use YYYY-MM-DD)", file=file, row=row, column=column)


def parse_share(text: str, *, file: str, row: int | None, column: str) -> float | None:
    """A share in percent, 0 to 100 ('51', '51%', '51.5'); empty gives None."""
    value = text.strip().rstrip("%").strip()
    if not value:
        return None
    try:
        share = float(value)
    except ValueError:
        share = math.nan
    if math.isnan(share) or not 0 <= share <= 100:
        raise InputError(
            f"{text.strip()!r} is not a share in percent (0-100)",
            file=file,
            row=row,
            column=column,
        )
    return share


class GraphBuilder:
    """Collects nodes, then edges, checking each as it comes; `graph()` returns the result.

    Edges may be added before their nodes (FollowTheMoney files come in any order): endpoints
    are checked in `graph()`, against the row each edge came from.
    """

    def __init__(self, nodes_file: str, edges_file: str | None = None) -> None:
        self.nodes_file = nodes_file
        self.edges_file = edges_file or nodes_file
        self._nodes: list[Node] = []
        self._rows: dict[str, int | None] = {}
        self._edges: list[Edge] = []
        self._edge_refs: list[tuple[int | None, str, str]] = []

    def add_node(self, node: Node, *, row: int | None, column: str = "id") -> None:
        if not node.id:
            raise InputError("a node needs an id", file=self.nodes_file, row=row, column=column)
        if node.id in self._rows:
            first = self._rows[node.id]
            where = f" (first on row {first})" if first is not None else ""
            raise InputError(
                f"duplicate node id {node.id!r}{where}",
                file=self.nodes_file,
                row=row,
                column=column,
            )
        self._rows[node.id] = row
        self._nodes.append(node)

    def add_edge(
        self,
        edge: Edge,
        *,
        row: int | None,
        columns: tuple[str, str] = ("source", "target"),
        date_columns: tuple[str, str] = ("start_date", "end_date"),
    ) -> None:
        if edge.start_date and edge.end_date and edge.end_date < edge.start_date:
            raise InputError(
                f"end date {edge.end_date} is before start date {edge.start_date}",
                file=self.edges_file,
                row=row,
                column=date_columns[1],
            )
        self._edges.append(edge)
        self._edge_refs.append((row, *columns))

    def graph(self) -> SupplyGraph:
        for edge, (row, source_col, target_col) in zip(self._edges, self._edge_refs, strict=True):
            for node_id, column in ((edge.source, source_col), (edge.target, target_col)):
                if node_id not in self._rows:
                    raise InputError(
                        f"unknown node id {node_id!r} (not in {self.nodes_file})",
                        file=self.edges_file,
                        row=row,
                        column=column,
                    )
        return graph_from_records(self._nodes, self._edges, origin=self.edges_file)
