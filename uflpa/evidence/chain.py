"""The facts of a pack: the shipment's own verdict, its supply chain traced on the import date
and cut into tiers from the manufacturer upstream, each party's screening evidence, and the gaps
(what the evidence does not show), in the order an officer reads them.

Everything here comes from the run loops every surface shares (`uflpa.bulk.screen_file` for the
shipment row, `uflpa.bulk.tracing` for the chain); nothing is concluded that they did not find:
a hit stays a hit.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from uflpa.bulk.kinds import Kind
from uflpa.bulk.screen_file import ScreenRequest, SilentEvents, screen_file
from uflpa.bulk.sinks import CollectSink
from uflpa.bulk.tracing import TraceRequest, TraceRun, trace_files
from uflpa.errors import InputError, UsageError
from uflpa.graph import Trace
from uflpa.graph.model import RELATION_CODE, SUPPLIES
from uflpa.io.hints import NONE
from uflpa.model import worst
from uflpa.screening import Screener
from uflpa.screening.rows import RowError, ScreenedRow


@dataclass(slots=True)
class Party:
    """One party of the chain as the pack shows it."""

    id: str
    name: str
    tier: int | None  # 0 importer, 1 manufacturer, 2 its suppliers …; None: not upstream
    role: str
    country: str
    address: str
    identifier: str
    verdict: str
    own_verdict: str
    own_reasons: list[dict[str, Any]]
    exposure: list[dict[str, Any]]
    places: list[dict[str, Any]] = field(default_factory=list)
    names_zh: list[str] = field(default_factory=list)
    entity_ids: list[str] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)

    @property
    def in_xinjiang(self) -> bool:
        return any(r.get("rule", "").startswith("xinjiang") for r in self.own_reasons)

    @property
    def listed(self) -> bool:
        return bool(self.entity_ids)


@dataclass(slots=True)
class Chain:
    """The shipment, its verdict, the traced chain and its tiers."""

    shipment: dict[str, Any]
    day: date
    parties: list[Party]
    edges: list[dict[str, Any]]
    manufacturer: str
    summary: str
    versions: dict[str, str]
    caveats: list[str]
    #: The traced graph (drawn as the flow chart).
    trace: Trace

    @property
    def tiers(self) -> list[int]:
        return sorted({p.tier for p in self.parties if p.tier is not None})

    def by_tier(self, tier: int) -> list[Party]:
        return [p for p in self.parties if p.tier == tier]

    @property
    def upstream(self) -> list[Party]:
        return [p for p in self.parties if p.tier is not None]

    @property
    def conclusion(self) -> str:
        """The worst of the shipment's own verdict and the manufacturer's traced one."""
        maker = next(p for p in self.parties if p.id == self.manufacturer)
        return worst((self.shipment["verdict"], maker.verdict))


def screen_shipment(
    path: Path, shipment_id: str | None, screener: Callable[[], Screener]
) -> dict[str, Any]:
    """The one shipment row of `path` (by id, or the only row), screened as `uflpa screen`
    screens it."""
    sink = CollectSink()
    # evidence build has neither --column nor --encoding: messages say what to change instead.
    request = ScreenRequest(path=path, kind=Kind.shipment, hints=NONE)
    screen_file(request, screener, [sink], SilentEvents())
    rows: list[ScreenedRow] = list(sink.rows)
    if shipment_id is None:
        if len(rows) != 1:
            ids = ", ".join(str(r.to_dict().get("id")) for r in rows[:10])
            raise UsageError(
                f"{path.name} holds {len(rows)} shipments; say which with --shipment-id ({ids}…)"
            )
        picked = rows[0]
    else:
        found = [r for r in rows if r.to_dict().get("id") == shipment_id]
        if not found:
            raise UsageError(f"--shipment-id: no shipment {shipment_id!r} in {path.name}")
        picked = found[0]
    if isinstance(picked, RowError):
        data = picked.to_dict()
        raise InputError(
            f"the shipment row cannot be screened: {data.get('error')}",
            file=path.name,
            row=data.get("row"),
        )
    return picked.to_dict()


#: The columns of a shipment given field by field (`shipment_from_fields`).
SHIPMENT_FIELDS = (
    "id",
    "manufacturer",
    "manufacturer_address",
    "seller",
    "seller_address",
    "exporter",
    "exporter_address",
    "supplier",
    "supplier_address",
    "country_of_origin",
    "hts",
    "description",
    "import_date",
)


def shipment_from_fields(fields: dict[str, str], folder: Path) -> Path:
    """A shipment given directly (its parties and goods, not a row of a file) written as the
    one-row shipment file `uflpa screen` reads, so that it is screened the same way."""
    import csv

    unknown = sorted(set(fields) - set(SHIPMENT_FIELDS))
    if unknown:
        raise UsageError(
            f"shipment fields {', '.join(unknown)} not known; fields: {', '.join(SHIPMENT_FIELDS)}"
        )
    if not any(fields.get(role) for role in ("manufacturer", "seller", "exporter", "supplier")):
        raise UsageError("a shipment given directly needs a party: --party manufacturer=NAME")
    path = folder / "shipment.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(SHIPMENT_FIELDS)
        writer.writerow([fields.get(c, "") for c in SHIPMENT_FIELDS])
    return path


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-z\u3400-\u9fff]+", "", text.casefold())


def find_manufacturer(run: TraceRun, shipment: dict[str, Any], given: str | None) -> int:
    index = run.graph.index()
    if given:
        if given not in index:
            raise UsageError(f"--manufacturer: no node {given!r} in the supply graph")
        return index[given]
    names = [p["name"] for p in shipment.get("parties", []) if p.get("role") == "manufacturer"]
    wanted = {_norm(n) for n in names if n}
    hits = [i for i, name in enumerate(run.graph.names) if _norm(name) in wanted]
    if len(hits) == 1:
        return hits[0]
    raise UsageError(
        "cannot tell which node of the supply graph is the shipment's manufacturer "
        f"({', '.join(names) or 'none named'}); give it with --manufacturer NODE_ID"
    )


def tiers_from(run: TraceRun, maker: int, day: date) -> dict[int, int]:
    """Node index -> tier: the manufacturer 1, its suppliers 2 …, along supply edges active on
    `day`; the parties the manufacturer supplies directly are tier 0 (the importer's side)."""
    g = run.graph
    supplies = (g.relation == RELATION_CODE[SUPPLIES]) & g.active(SUPPLIES, day)
    upstream: dict[int, list[int]] = {}
    downstream: dict[int, list[int]] = {}
    for j in range(g.edge_count):
        if supplies[j]:
            s, t = int(g.source[j]), int(g.target[j])
            upstream.setdefault(t, []).append(s)
            downstream.setdefault(s, []).append(t)
    tiers = {maker: 1}
    queue = deque([maker])
    while queue:
        node = queue.popleft()
        for supplier in upstream.get(node, []):
            if supplier not in tiers:
                tiers[supplier] = tiers[node] + 1
                queue.append(supplier)
    for buyer in downstream.get(maker, []):
        tiers.setdefault(buyer, 0)
    return tiers


def build_chain(
    shipment_file: Path,
    shipment_id: str | None,
    nodes: Path,
    edges: Path | None,
    screener: Callable[[], Screener],
    *,
    manufacturer: str | None = None,
    as_of: date | None = None,
) -> Chain:
    from uflpa.geo import locate
    from uflpa.reference.names_zh import chinese_names

    shipment = screen_shipment(shipment_file, shipment_id, screener)
    day = as_of or date.fromisoformat(shipment["as_of"])
    request = TraceRequest(nodes=nodes, edges=edges, as_of=day, max_paths=5, hints=NONE)
    run = trace_files(request, screener)
    maker = find_manufacturer(run, shipment, manufacturer)
    tiers = tiers_from(run, maker, day)
    zh = chinese_names()
    parties = []
    for i in range(run.graph.node_count):
        node = run.graph.node(i)
        record = run.traced.node(i).to_dict()
        entity_ids = sorted(
            {
                str(r["evidence"]["entity_id"])
                for r in record["own_reasons"]
                if isinstance(r.get("evidence"), dict) and r["evidence"].get("entity_id")
            }
        )
        place = locate(node.address or node.name, country=node.country or None).to_dict()
        parties.append(
            Party(
                id=node.id,
                name=node.name,
                tier=tiers.get(i),
                role=node.role,
                country=node.country,
                address=node.address,
                identifier=node.identifier,
                verdict=record["verdict"],
                own_verdict=record["own_verdict"],
                own_reasons=list(record["own_reasons"]),
                exposure=list(record["exposure"]),
                places=list(place["places"]),
                names_zh=[n.name_zh for e in entity_ids for n in zh.get(e, ())][:3],
                entity_ids=entity_ids,
                versions=dict(record["versions"]),
            )
        )
    parties.sort(key=lambda p: (p.tier is None, p.tier if p.tier is not None else 0, p.id))
    chain_ids = {p.id for p in parties if p.tier is not None}
    edge_rows = []
    for j in range(run.graph.edge_count):
        e = run.graph.edge(j)
        if e.source in chain_ids and e.target in chain_ids:
            edge_rows.append(
                {
                    "source": e.source,
                    "target": e.target,
                    "relation": e.relation,
                    "product": e.product,
                    "hts": e.hts,
                    "start_date": e.start_date.isoformat() if e.start_date else None,
                    "end_date": e.end_date.isoformat() if e.end_date else None,
                    "share": e.share,
                    "active": e.active_on(day),
                }
            )
    built = run.traced.versions
    lists = screener()
    caveats = [c for c in (v.caveat for v in lists.list_versions) if c]
    return Chain(
        shipment=shipment,
        day=day,
        parties=parties,
        edges=edge_rows,
        manufacturer=run.graph.ids[maker],
        summary=run.summary(),
        versions={**dict(built), **shipment.get("versions", {})},
        caveats=caveats,
        trace=run.traced,
    )
