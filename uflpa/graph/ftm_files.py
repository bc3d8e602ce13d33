"""Load a graph from FollowTheMoney (FtM) entities: JSON lines or one JSON array.

What is read (everything else is skipped and counted, never an error):

* **Nodes**: entities of schema `Company`, `Organization` or `LegalEntity`. The node id is the
  entity id; `name` is the first name, `country` the first of country / jurisdiction /
  mainCountry, `address` the first address, `identifier` the first registration or tax number
  (`uflpa.identifiers.ID_PROPERTIES`, as list sources read them), `role` the first classification.
* **`owns`**: `Ownership` entities, owner -> asset; `percentage` gives the share (percent),
  `startDate` and `endDate` the dates.
* **`supplies`**: FtM has no standard supply schema, so two shapes are accepted:
  - `UnknownLink` whose `role` is one of 'supplier', 'supplies', 'supplier of', 'supplier to',
    'supply', 'vendor' (case-insensitive): the *subject* supplies the *object*;
  - a custom `"schema": "Supply"` with `supplier` and `buyer` (or `source` and `target`), and
    optional `product`, `hts` (or `commodityCode`), `quantity`, `startDate`, `endDate`.
  `Succession` (a firm renamed or merged) is deliberately not a supply link: it is skipped.

Endpoints may be ids or nested entity objects (as yente nests them). The row of an error is the
line of a JSON lines file, or the 1-based item of a JSON array.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from uflpa.errors import InputError
from uflpa.graph.build import GraphBuilder, parse_day, parse_share
from uflpa.graph.model import OWNS, SUPPLIES, Edge, Node, SupplyGraph
from uflpa.identifiers import ID_PROPERTIES

NODE_SCHEMAS = frozenset({"Company", "Organization", "LegalEntity"})
SUPPLY_ROLES = frozenset({"supplier", "supplies", "supplier of", "supplier to", "supply", "vendor"})
_COUNTRY = ("country", "jurisdiction", "mainCountry")


def load_ftm(path: str | Path) -> tuple[SupplyGraph, dict[str, int]]:
    """The graph in an FtM file and the counts of skipped entities by schema."""
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the file ({exc})", file=file) from None
    if not text.strip():
        raise InputError("the file is empty", file=file)
    builder = GraphBuilder(file)
    skipped: Counter[str] = Counter()
    for row, obj in _objects(text, file):
        if not isinstance(obj, dict) or not isinstance(obj.get("schema"), str):
            raise InputError("not a FollowTheMoney entity (no 'schema')", file=file, row=row)
        schema = obj["schema"]
        props = obj.get("properties") or {}
        if not isinstance(props, dict):
            raise InputError("'properties' is not an object", file=file, row=row)
        if schema in NODE_SCHEMAS:
            builder.add_node(_node(obj, props, file, row), row=row, column="id")
        elif schema == "Ownership":
            builder.add_edge(
                _edge(props, "owner", "asset", OWNS, file, row),
                row=row,
                columns=("owner", "asset"),
                date_columns=("startDate", "endDate"),
            )
        elif schema == "UnknownLink" and _first(props, "role").lower() in SUPPLY_ROLES:
            builder.add_edge(
                _edge(props, "subject", "object", SUPPLIES, file, row),
                row=row,
                columns=("subject", "object"),
                date_columns=("startDate", "endDate"),
            )
        elif schema == "Supply":
            source = "supplier" if "supplier" in props else "source"
            target = "buyer" if "buyer" in props else "target"
            builder.add_edge(
                _edge(props, source, target, SUPPLIES, file, row),
                row=row,
                columns=(source, target),
                date_columns=("startDate", "endDate"),
            )
        else:
            skipped[schema] += 1
    return builder.graph(), dict(sorted(skipped.items()))


def _objects(text: str, file: str) -> Iterator[tuple[int, Any]]:
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"not JSON ({exc.msg})", file=file, row=exc.lineno) from None
        yield from enumerate(items, start=1)
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"not JSON ({exc.msg} at column {exc.colno})", file=file, row=number
            ) from None


def _first(props: dict[str, Any], *names: str) -> str:
    for name in names:
        for value in props.get(name) or ():
            if isinstance(value, dict):
                value = value.get("id", "")
            if isinstance(value, str | int | float) and str(value).strip():
                return str(value).strip()
    return ""


def _node(obj: dict[str, Any], props: dict[str, Any], file: str, row: int) -> Node:
    node_id = obj.get("id")
    if not isinstance(node_id, str) or not node_id.strip():
        raise InputError("entity without an id", file=file, row=row, column="id")
    return Node(
        id=node_id.strip(),
        name=_first(props, "name") or str(obj.get("caption") or ""),
        country=_first(props, *_COUNTRY),
        address=_first(props, "address"),
        identifier=_first(props, *ID_PROPERTIES),
        role=_first(props, "classification"),
    )


def _edge(
    props: dict[str, Any], source: str, target: str, relation: str, file: str, row: int
) -> Edge:
    ends = []
    for column in (source, target):
        value = _first(props, column)
        if not value:
            raise InputError(f"no {column!r}", file=file, row=row, column=column)
        ends.append(value)
    return Edge(
        source=ends[0],
        target=ends[1],
        relation=relation,
        product=_first(props, "product", "description", "summary") if relation == SUPPLIES else "",
        hts=_first(props, "hts", "commodityCode"),
        start_date=parse_day(
            _first(props, "startDate", "date"), file=file, row=row, column="startDate"
        ),
        end_date=parse_day(
            _first(props, "endDate"), file=file, row=row, column="endDate", end=True
        ),
        quantity=_first(props, "quantity", "amount"),
        share=parse_share(_first(props, "percentage"), file=file, row=row, column="percentage")
        if relation == OWNS
        else None,
    )
