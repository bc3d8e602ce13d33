"""What one shipment row says: its parties by role, the goods, the origin and the import date.

Shipment files come from customs brokers, ERPs and bill-of-lading exports, so the columns are
spelt many ways; `SHIPMENT_ALIASES` lists the accepted spellings and `--column` maps the rest.
`shipment_from_values` turns one row read by `uflpa.io` into a `ShipmentRow`, or says why the row
cannot be screened (no party at all), so that no such row is ever given a verdict as if clean.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

ROLES: tuple[str, ...] = ("manufacturer", "seller", "exporter", "supplier")

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


@dataclass(frozen=True, slots=True)
class Party:
    """One party of a shipment, as written in the file."""

    role: str
    name: str
    address: str = ""
    identifier: str = ""
    country: str = ""

    def to_dict(self) -> dict[str, str]:
        out = {"role": self.role, "name": self.name}
        for key in ("address", "identifier", "country"):
            value = getattr(self, key)
            if value:
                out[key] = value
        return out


@dataclass(frozen=True, slots=True)
class ShipmentRow:
    """One shipment: its parties and goods. `import_date` is None when the file gives none or it
    cannot be read; `date_problem` then says which (and the row is screened against the current
    list, which its verdict says)."""

    row: int
    parties: tuple[Party, ...]
    id: str = ""
    country_of_origin: str = ""
    hts: str = ""
    description: str = ""
    import_date: date | None = None
    import_date_text: str = ""
    date_problem: str | None = None
    origin_evidence: str = ""
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class UnscreenableRow:
    """A row that cannot be screened at all, with the reason (reported, never given a verdict)."""

    row: int
    reason: str
    column: str | None = None


def shipment_from_values(values: Mapping[str, str], row: int) -> ShipmentRow | UnscreenableRow:
    """A `ShipmentRow` from canonical column values, or why the row cannot be screened."""
    parties = []
    for role in ROLES:
        name = values.get(role, "").strip()
        address = values.get(f"{role}_address", "").strip()
        # An address without a name still locates a facility: screen it under its role.
        if name or address:
            parties.append(
                Party(
                    role=role,
                    name=name,
                    address=address,
                    identifier=values.get(f"{role}_id", "").strip(),
                    country=values.get(f"{role}_country", "").strip(),
                )
            )
    if not parties:
        return UnscreenableRow(
            row=row,
            reason="no party: manufacturer, seller, exporter and supplier are all empty",
        )
    text = values.get("import_date", "").strip()
    day, problem = parse_import_date(text) if text else (None, None)
    return ShipmentRow(
        row=row,
        parties=tuple(parties),
        id=values.get("id", "").strip(),
        country_of_origin=values.get("country_of_origin", "").strip(),
        hts=values.get("hts", "").strip(),
        description=values.get("description", "").strip(),
        import_date=day,
        import_date_text=text,
        date_problem=problem,
        origin_evidence=values.get("origin_evidence", "").strip(),
    )


_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ][0-9:.+\-Z]*)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_HAN_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$")
_DAY_FIRST_OR_MONTH_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


def parse_import_date(text: str) -> tuple[date | None, str | None]:
    """(date, None) for a readable date, (None, reason) otherwise.

    Year-first forms (2024-03-05, 2024/3/5, 20240305, 2024年3月5日, an ISO timestamp) are read as
    written. 05/03/2024 is read only when one part is above 12; otherwise it could be 5 March or
    3 May, and a wrong guess would screen against the wrong list, so it is reported instead.
    """
    t = text.strip()
    for pattern in (_ISO, _COMPACT, _HAN_DATE):
        m = pattern.match(t)
        if m:
            return _ymd(t, int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _DAY_FIRST_OR_MONTH_FIRST.match(t)
    if m:
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if a > 12 >= b:
            return _ymd(t, year, b, a)
        if b > 12 >= a:
            return _ymd(t, year, a, b)
        if a == b:
            return _ymd(t, year, a, b)
        return None, f"ambiguous date {t!r}: day and month could be either way; use YYYY-MM-DD"
    return None, f"unreadable date {t!r}: use YYYY-MM-DD"


def _ymd(text: str, year: int, month: int, day: int) -> tuple[date | None, str | None]:
    try:
        return date(year, month, day), None
    except ValueError:
        return None, f"unreadable date {text!r}: no such day; use YYYY-MM-DD"
