"""Every column uflpa reads from a user's file, and the other spellings each may have.

One table for every kind of file (party files, shipment files, the nodes and edges of a supply
chain), so that detecting a file's kind, mapping its headers and documenting them all read the
same spellings. Headers are compared by `uflpa.io.columns.header_key` (no case, spaces,
underscores or hyphens); `--column NAME=HEADER` maps anything else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from uflpa.model import ROLES


@dataclass(frozen=True, slots=True)
class FileColumns:
    """The columns of one kind of file: those it must have, those it may have, and the other
    spellings of each. `exclusive` are the party-name columns: when two headers could each be
    one of them (`name` and `supplier`), reading one and ignoring the other could report a
    listed party clear, so the run stops and asks which (`--column name=HEADER`)."""

    required: tuple[str, ...]
    optional: tuple[str, ...]
    aliases: Mapping[str, list[str]] = field(default_factory=dict)
    exclusive: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (*self.required, *self.optional)


PARTY_ALIASES: dict[str, list[str]] = {
    "id": ["party_id", "supplier_id", "vendor_id", "no", "编号", "序号"],
    "name": ["party_name", "party", "supplier", "supplier_name", "vendor", "vendor_name",
             "company", "company_name", "entity", "名称", "公司名称", "供应商"],
    "country": ["country_code", "nation", "国家"],
    "address": ["addr", "address1", "地址"],
    "identifier": ["uscc", "registration_number", "reg_no", "统一社会信用代码", "tax_id"],
}  # fmt: skip
PARTY_FILE = FileColumns(
    required=("name",),
    optional=("id", "country", "address", "identifier"),
    aliases=PARTY_ALIASES,
    exclusive=("name",),
)

#: A supplier master to watch (`uflpa watch add`): a party file whose `id` is the stable supplier
#: key the importer's own systems use, so that the next import updates a party instead of adding
#: it again.
WATCH_FILE = FileColumns(
    required=("id", "name"),
    optional=("country", "address", "identifier"),
    aliases={**PARTY_ALIASES, "id": ["key", "supplier_key", "party_key", *PARTY_ALIASES["id"]]},
    exclusive=("name",),
)

# The documented default headers, in the order the docs give them.
DEFAULT_HEADERS: tuple[str, ...] = (
    "id",
    "manufacturer",
    "manufacturer_address",
    "seller",
    "exporter",
    "supplier",
    "country_of_origin",
    "hts",
    "description",
    "import_date",
)

_ROLE_ALIASES: dict[str, dict[str, list[str]]] = {
    "manufacturer": {
        "": ["manufacturer_name", "mfr", "mfr_name", "producer", "maker", "factory",
             "制造商", "生产商", "生产企业", "生产厂家"],
        "address": ["manufacturer_addr", "mfr_address", "factory_address", "producer_address",
                    "制造商地址", "生产地址", "工厂地址"],
        "id": ["manufacturer_identifier", "manufacturer_uscc", "mfr_id", "mfr_uscc",
               "制造商统一社会信用代码"],
        "country": ["manufacturer_country_code", "mfr_country", "制造商国家"],
    },
    "seller": {
        "": ["seller_name", "vendor", "vendor_name", "卖方", "销售方", "卖方名称"],
        "address": ["seller_addr", "vendor_address", "卖方地址"],
        "id": ["seller_identifier", "seller_uscc", "vendor_id", "卖方统一社会信用代码"],
        "country": ["seller_country_code", "vendor_country"],
    },
    "exporter": {
        "": ["exporter_name", "shipper", "shipper_name", "consignor", "出口商", "发货人"],
        "address": ["exporter_addr", "shipper_address", "consignor_address", "出口商地址"],
        "id": ["exporter_identifier", "exporter_uscc", "shipper_id", "出口商统一社会信用代码"],
        "country": ["exporter_country_code", "shipper_country"],
    },
    "supplier": {
        "": ["supplier_name", "供应商", "供应商名称"],
        "address": ["supplier_addr", "供应商地址"],
        "id": ["supplier_identifier", "supplier_uscc", "供应商统一社会信用代码"],
        "country": ["supplier_country_code"],
    },
}  # fmt: skip

SHIPMENT_ALIASES: dict[str, list[str]] = {
    "id": ["shipment_id", "entry_number", "entry_no", "line_id", "reference", "ref",
           "bill_of_lading", "bol", "bl_number", "编号", "序号"],
    "country_of_origin": ["origin_country", "coo", "origin", "country_origin", "原产国",
                          "原产地"],
    "hts": ["hts_code", "htsus", "hts_number", "hs_code", "hs", "tariff_code", "税号",
            "商品编码", "海关编码"],
    "description": ["goods_description", "product_description", "item_description", "product",
                    "commodity", "goods", "品名", "货物描述", "商品名称"],
    "import_date": ["entry_date", "arrival_date", "date_of_import", "import_dt", "date",
                    "进口日期", "到货日期"],
    "origin_evidence": ["traceability", "trace_documents", "origin_documents",
                        "supply_chain_documents", "溯源", "溯源文件"],
}  # fmt: skip
for _role, _suffixes in _ROLE_ALIASES.items():
    for _suffix, _spellings in _suffixes.items():
        SHIPMENT_ALIASES[f"{_role}_{_suffix}" if _suffix else _role] = _spellings

#: Every column a shipment file may have; none is required by itself (a row needs one party).
SHIPMENT_COLUMNS: tuple[str, ...] = tuple(
    dict.fromkeys(
        [
            *DEFAULT_HEADERS,
            *(f"{role}_{suffix}" for role in ROLES for suffix in ("address", "id", "country")),
            "origin_evidence",
        ]
    )
)


SHIPMENT_FILE = FileColumns(
    required=(), optional=SHIPMENT_COLUMNS, aliases=SHIPMENT_ALIASES, exclusive=ROLES
)

NODE_ALIASES: dict[str, list[str]] = {
    "id": ["node_id", "node"],
    "name": ["party_name", "company", "company_name"],
    "identifier": ["uscc", "registration_number", "reg_no"],
}
NODE_FILE = FileColumns(
    required=("id",),
    optional=("name", "country", "address", "identifier", "role"),
    aliases=NODE_ALIASES,
)
EDGE_ALIASES: dict[str, list[str]] = {
    "source": ["from", "supplier", "owner", "src"],
    "target": ["to", "buyer", "customer", "asset", "dst"],
    "relation": ["type", "rel", "relationship"],
    "start_date": ["start", "from_date", "valid_from"],
    "end_date": ["end", "to_date", "valid_to", "until"],
    "share": ["percentage", "ownership_share", "percent"],
}
EDGE_FILE = FileColumns(
    required=("source", "target", "relation"),
    optional=("product", "hts", "start_date", "end_date", "share", "quantity"),
    aliases=EDGE_ALIASES,
)
