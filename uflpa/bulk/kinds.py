"""Which kind of file a user gave: a party file (a supplier master: one party per row) or a
shipment file (parties by role, goods, origin and date per row), told from its headers."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from uflpa.errors import InputError
from uflpa.io import open_table
from uflpa.io.aliases import PARTY_ALIASES, SHIPMENT_ALIASES
from uflpa.io.columns import header_key
from uflpa.model import ROLES


class Kind(str, Enum):  # noqa: UP042 - typer needs a str Enum for choices
    party = "party"
    shipment = "shipment"


def detect_kind(
    path: Path, mapping: dict[str, str], encoding: str | None, name: str | None = None
) -> Kind:
    """Shipment when the file has a manufacturer, seller, exporter or supplier column and no
    'name' column; party when it has a name column. A lone 'supplier' column (a supplier master
    list) counts as a party file unless shipment columns (hts, import date...) are present."""
    if "name" in mapping:
        return Kind.party
    if any(k != "id" and k in SHIPMENT_ALIASES for k in mapping):
        return Kind.shipment
    headers = open_table(path, required=[], encoding=encoding, name=name).headers
    keys = {header_key(h) for h in headers if h}

    def has(column: str, aliases: dict[str, list[str]]) -> bool:
        spellings = [column, *aliases.get(column, ())]
        return any(header_key(s) in keys for s in spellings)

    if "name" in keys:
        return Kind.party
    strong_roles = [r for r in ROLES if r != "supplier"]
    if any(has(r, SHIPMENT_ALIASES) or has(f"{r}_address", SHIPMENT_ALIASES) for r in strong_roles):
        return Kind.shipment
    goods = ("hts", "import_date", "country_of_origin", "supplier_address")
    if has("supplier", SHIPMENT_ALIASES) and any(has(c, SHIPMENT_ALIASES) for c in goods):
        return Kind.shipment
    if has("name", PARTY_ALIASES):
        return Kind.party
    raise InputError(
        "cannot tell a party file (a 'name' column) from a shipment file (manufacturer, seller, "
        "exporter or supplier columns); headers found: "
        + ", ".join(repr(h) for h in headers[:20])
        + "; say which with --kind party|shipment, or map a column with --column",
        file=name or str(path),
    )
