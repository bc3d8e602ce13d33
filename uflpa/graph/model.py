"""A supply-chain graph: parties and facilities (nodes) joined by `supplies` and `owns` edges.

`Node` and `Edge` are the records a user writes, one per row. `SupplyGraph` holds them in columns
(node fields as tuples, edge endpoints and dates as numpy arrays) because a chain of a million
firms and five million trade links is too large to keep as one Python object per edge; `node(i)`
and `edge(j)` give the records back on demand.

Direction: `supplies` goes the way the goods go (source supplies target), `owns` the way control
goes (source owns target). An edge is *active* on a day when its start date is empty or on or
before that day and its end date is empty or on or after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

SUPPLIES, OWNS = "supplies", "owns"
RELATIONS: tuple[str, ...] = (SUPPLIES, OWNS)
#: Relation codes in `SupplyGraph.relation`.
RELATION_CODE: dict[str, int] = {SUPPLIES: 0, OWNS: 1}

_EPOCH = date(1970, 1, 1).toordinal()
#: Day numbers stand in for missing dates: open start, open end.
OPEN_START = np.iinfo(np.int32).min
OPEN_END = np.iinfo(np.int32).max

IntArray = npt.NDArray[np.int32]
ByteArray = npt.NDArray[np.int8]
FloatArray = npt.NDArray[np.float64]


def day_number(day: date) -> int:
    """Days since 1970-01-01: the unit of the date columns."""
    return day.toordinal() - _EPOCH


def day_of(number: int) -> date | None:
    """The date of a day number; None for the open-start and open-end markers."""
    if number in (OPEN_START, OPEN_END):
        return None
    return date.fromordinal(int(number) + _EPOCH)


@dataclass(frozen=True, slots=True)
class Node:
    """A party or a facility of the chain, with what screening reads about it."""

    id: str
    name: str = ""
    country: str = ""
    address: str = ""
    identifier: str = ""
    role: str = ""

    def to_dict(self) -> dict[str, str]:
        return {
            "id": self.id,
            "name": self.name,
            "country": self.country,
            "address": self.address,
            "identifier": self.identifier,
            "role": self.role,
        }


@dataclass(frozen=True, slots=True)
class Edge:
    """`source` supplies `target` (goods flow source -> target) or `source` owns `target`."""

    source: str
    target: str
    relation: str
    product: str = ""
    hts: str = ""
    start_date: date | None = None
    end_date: date | None = None
    quantity: str = ""
    share: float | None = None

    def active_on(self, day: date) -> bool:
        if self.start_date is not None and self.start_date > day:
            return False
        return self.end_date is None or self.end_date >= day


@dataclass(frozen=True, slots=True)
class SupplyGraph:
    """Nodes and edges in columns. Node `i` is `ids[i]`; edge `j` joins `source[j]` to
    `target[j]` (node indexes) with relation code `relation[j]` (see `RELATION_CODE`), day
    numbers `start[j]`/`end[j]` (`OPEN_START`/`OPEN_END` when empty) and `share[j]` (NaN when
    not given). `product`, `hts` and `quantity` are empty tuples when no edge has them."""

    ids: tuple[str, ...]
    names: tuple[str, ...]
    countries: tuple[str, ...]
    addresses: tuple[str, ...]
    identifiers: tuple[str, ...]
    roles: tuple[str, ...]
    source: IntArray
    target: IntArray
    relation: ByteArray
    start: IntArray
    end: IntArray
    share: FloatArray
    product: tuple[str, ...] = ()
    hts: tuple[str, ...] = ()
    quantity: tuple[str, ...] = ()
    origin: str = ""

    @property
    def node_count(self) -> int:
        return len(self.ids)

    @property
    def edge_count(self) -> int:
        return int(self.source.shape[0])

    def index(self) -> dict[str, int]:
        """Node id -> node index (built on each call: keep it if you need it often)."""
        return {node_id: i for i, node_id in enumerate(self.ids)}

    def node(self, i: int) -> Node:
        return Node(
            id=self.ids[i],
            name=self.names[i],
            country=self.countries[i],
            address=self.addresses[i],
            identifier=self.identifiers[i],
            role=self.roles[i],
        )

    def edge(self, j: int) -> Edge:
        share = float(self.share[j])
        return Edge(
            source=self.ids[int(self.source[j])],
            target=self.ids[int(self.target[j])],
            relation=RELATIONS[int(self.relation[j])],
            product=self.product[j] if self.product else "",
            hts=self.hts[j] if self.hts else "",
            start_date=day_of(int(self.start[j])),
            end_date=day_of(int(self.end[j])),
            quantity=self.quantity[j] if self.quantity else "",
            share=None if np.isnan(share) else share,
        )

    def active(self, relation: str, day: date) -> npt.NDArray[np.bool_]:
        """Mask of the edges of `relation` active on `day`."""
        n = day_number(day)
        mask: npt.NDArray[np.bool_] = (
            (self.relation == RELATION_CODE[relation]) & (self.start <= n) & (self.end >= n)
        )
        return mask


def graph_from_records(
    nodes: list[Node] | tuple[Node, ...], edges: list[Edge] | tuple[Edge, ...], origin: str = ""
) -> SupplyGraph:
    """A graph from records already validated (ids unique, endpoints known): what tests and the
    loaders build from. Raises KeyError for an unknown endpoint."""
    index = {n.id: i for i, n in enumerate(nodes)}
    count = len(edges)
    detail = any(e.product or e.hts or e.quantity for e in edges)
    return SupplyGraph(
        ids=tuple(n.id for n in nodes),
        names=tuple(n.name for n in nodes),
        countries=tuple(n.country for n in nodes),
        addresses=tuple(n.address for n in nodes),
        identifiers=tuple(n.identifier for n in nodes),
        roles=tuple(n.role for n in nodes),
        source=np.fromiter((index[e.source] for e in edges), np.int32, count),
        target=np.fromiter((index[e.target] for e in edges), np.int32, count),
        relation=np.fromiter((RELATION_CODE[e.relation] for e in edges), np.int8, count),
        start=np.fromiter(
            (OPEN_START if e.start_date is None else day_number(e.start_date) for e in edges),
            np.int32,
            count,
        ),
        end=np.fromiter(
            (OPEN_END if e.end_date is None else day_number(e.end_date) for e in edges),
            np.int32,
            count,
        ),
        share=np.fromiter(
            (np.nan if e.share is None else e.share for e in edges), np.float64, count
        ),
        product=tuple(e.product for e in edges) if detail else (),
        hts=tuple(e.hts for e in edges) if detail else (),
        quantity=tuple(e.quantity for e in edges) if detail else (),
        origin=origin,
    )
