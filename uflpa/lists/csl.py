"""The trade.gov Consolidated Screening List (CSL), as CSV or JSON.

The CSL merges the export screening lists of Commerce (Entity List, Unverified List, Military
End User List), State (ITAR debarred, nonproliferation sanctions) and Treasury (SDN and the other
OFAC lists). It is downloaded as `consolidated.csv` (one row per entry, lists inside a cell joined
with "; ") or `consolidated.json` (`{"results": [...], "total": N}`).

How rows become entities:

* `id` is the CSL's own `_id` (CSV) or `id` (JSON); a row without one gets a provisional id from
  its source and name;
* the *source* (e.g. "Entity List (EL) - Bureau of Industry and Security") is kept twice: its
  short code ("EL", "SDN", "MEU") is the section of the entity's single `Listing`, so results can
  say which list matched, and the full name is in `notes`;
* `programs` go to the listing note, `start_date`/`end_date` to its dates, `entity_number` to its
  entry id and `federal_register_notice` to its FR citation;
* individuals become `Person`; vessels and aircraft are left out (they are not supply-chain
  parties) and counted in `SourceRead.skipped`.

A JSON answer holding fewer results than its `total` is a page of the search API, not the list,
and is refused rather than stored as a partial list.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from uflpa.errors import SourceFormatError
from uflpa.lists.base import ListSource, SourceRead, decode_text, provisional_id, sniff_head
from uflpa.lists.entry_text import parse_list_date
from uflpa.model import CSL_LIST, ListedEntity, Listing, ListVersion

LIST_NAME = CSL_LIST
CSL_COLUMNS = (
    "_id", "source", "entity_number", "type", "programs", "name", "title", "addresses",
    "federal_register_notice", "start_date", "end_date", "standard_order", "license_requirement",
    "license_policy", "call_sign", "vessel_type", "gross_tonnage", "gross_registered_tonnage",
    "vessel_flag", "vessel_owner", "remarks", "source_list_url", "alt_names", "citizenships",
    "nationalities", "places_of_birth", "dates_of_birth", "source_information_url", "ids",
)  # fmt: skip
# Columns only the CSL has; three of them in a header line identify the file.
_DISTINCT = frozenset(
    {
        "_id",
        "entity_number",
        "alt_names",
        "federal_register_notice",
        "source_list_url",
        "standard_order",
        "license_requirement",
        "license_policy",
        "source_information_url",
        "gross_registered_tonnage",
    }
)
_SKIPPED_TYPES = frozenset({"vessel", "aircraft"})
# OFAC puts facts that are not identifiers in the ids column.
_NOT_AN_ID = re.compile(
    r"date|established|organization type|gender|website|e-?mail|phone|sanctions|"
    r"nationality|citizen|title|listing|effective|vessel|aircraft|flag|tonnage|call sign",
    re.I,
)
_SOURCE_CODE = re.compile(r"\(([A-Z][A-Z0-9&-]{1,11})\)")
_SNIFF_JSON_KEYS = re.compile(rb'"(?:alt_names|federal_register_notice|source_list_url)"\s*:')
_SNIFF_FTM = re.compile(rb'"properties"\s*:')


class ConsolidatedScreeningList(ListSource):
    """trade.gov Consolidated Screening List: consolidated.csv or consolidated.json."""

    name = "csl"
    description = "trade.gov Consolidated Screening List (CSV or JSON)"

    def sniff(self, data: bytes, origin: str) -> bool:
        head = sniff_head(data)
        if head[:1] in (b"{", b"["):
            return _SNIFF_JSON_KEYS.search(head) is not None and _SNIFF_FTM.search(head) is None
        if head[:1] == b"<":
            return False
        first = head.split(b"\n", 1)[0].decode("utf-8", "replace")
        columns = {c.strip().strip('"').lower() for c in first.split(",")}
        return len(columns & _DISTINCT) >= 3

    def parse(
        self, data: bytes, origin: str, *, retrieved_at: datetime | None = None
    ) -> ListVersion:
        return read_csl(data, origin, retrieved_at=retrieved_at).version


def read_csl(data: bytes, origin: str, *, retrieved_at: datetime | None = None) -> SourceRead:
    """Parse consolidated.csv or consolidated.json into a `ListVersion` and the skipped counts."""
    text = decode_text(data, origin)
    if not text.strip():
        raise SourceFormatError("the file is empty", file=origin)
    published: date | None = None
    if text.lstrip()[:1] in ("{", "["):
        rows, published = _json_rows(text, origin)
    else:
        rows = _csv_rows(text, origin)
    entities: list[ListedEntity] = []
    skipped: Counter[str] = Counter()
    seen: dict[str, str] = {}
    for label, row_number, row in rows:
        kind = _text(row.get("type"))
        if kind.lower() in _SKIPPED_TYPES:
            skipped[kind.title()] += 1
            continue
        entity = _entity(row, label, row_number, origin)
        if entity.id in seen:
            raise SourceFormatError(
                f"{label}id {entity.id!r} repeats {seen[entity.id]}",
                file=origin,
                row=row_number,
            )
        seen[entity.id] = label.rstrip(": ") or f"row {row_number}"
        entities.append(entity)
    if not entities:
        raise SourceFormatError("the list holds no entities", file=origin)
    version = ListVersion(
        list_name=LIST_NAME,
        source=ConsolidatedScreeningList.name,
        origin=origin,
        retrieved_at=retrieved_at or datetime.now(UTC),
        entities=tuple(entities),
        published=published,
    )
    return SourceRead(version=version, skipped=dict(sorted(skipped.items())))


def _csv_rows(text: str, origin: str) -> list[tuple[str, int | None, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    if "name" not in header:
        raise SourceFormatError(
            "no 'name' column in the header (expected the trade.gov CSL columns: "
            + ", ".join(CSL_COLUMNS[:6])
            + ", ...)",
            file=origin,
            row=1,
            column="name",
        )
    reader.fieldnames = header
    rows: list[tuple[str, int | None, dict[str, Any]]] = []
    try:
        for number, row in enumerate(reader, start=2):  # the header is row 1
            if None in row:
                raise SourceFormatError("more cells than header columns", file=origin, row=number)
            if not any((v or "").strip() for v in row.values()):
                continue
            rows.append(("", number, row))
    except csv.Error as exc:
        raise SourceFormatError(
            f"malformed CSV ({exc})", file=origin, row=reader.line_num
        ) from None
    return rows


def _json_rows(
    text: str, origin: str
) -> tuple[list[tuple[str, int | None, dict[str, Any]]], date | None]:
    try:
        whole = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceFormatError(
            f"not JSON ({exc.msg} at column {exc.colno})",
            file=origin,
            row=exc.lineno,
        ) from None
    published = None
    if isinstance(whole, dict):
        results = whole.get("results")
        if not isinstance(results, list):
            raise SourceFormatError("expected a 'results' list", file=origin)
        total = whole.get("total")
        if isinstance(total, int) and total > len(results):
            raise SourceFormatError(
                f"holds {len(results)} of {total} results: a page of the search API, not the "
                "whole list (download consolidated.json or consolidated.csv instead)",
                file=origin,
            )
        updated = [
            parse_list_date(str(s.get("source_last_updated", ""))[:10])
            for s in whole.get("sources_used") or []
            if isinstance(s, dict)
        ]
        published = max((d for d in updated if d), default=None)
    elif isinstance(whole, list):
        results = whole
    else:
        raise SourceFormatError("expected a JSON object or array", file=origin)
    rows: list[tuple[str, int | None, dict[str, Any]]] = []
    for number, item in enumerate(results, start=1):
        if not isinstance(item, dict):
            raise SourceFormatError(f"result {number}: not an object", file=origin)
        rows.append((f"result {number}: ", None, item))
    return rows, published


def _entity(row: dict[str, Any], label: str, number: int | None, origin: str) -> ListedEntity:
    name = _text(row.get("name"))
    if not name:
        raise SourceFormatError(f"{label}empty name", file=origin, row=number, column="name")
    source = _text(row.get("source"))
    code_match = _SOURCE_CODE.search(source)
    code = code_match.group(1) if code_match else (source or "CSL")
    start, end = _text(row.get("start_date")), _text(row.get("end_date"))
    effective = parse_list_date(start) if start else None
    removal = parse_list_date(end) if end else None
    for raw, parsed, column in ((start, effective, "start_date"), (end, removal, "end_date")):
        if raw and parsed is None:
            raise SourceFormatError(
                f"{label}unparseable date {raw!r}", file=origin, row=number, column=column
            )
    programs = _list(row.get("programs"))
    addresses = _addresses(row.get("addresses"))
    kind = _text(row.get("type")).lower()
    countries = [c for c in (_address_country(a) for a in addresses) if c]
    if kind == "individual":
        countries += [c for c in _list(row.get("nationalities")) + _list(row.get("citizenships"))]
    raw_id = _text(row.get("_id") or row.get("id"))
    notes = [source] if source else []
    remarks = _text(row.get("remarks"))
    if remarks:
        notes.append(remarks)
    fr_notice = _text(row.get("federal_register_notice"))
    return ListedEntity(
        id=raw_id or provisional_id("CSL", f"{code} {name}"),
        name=name,
        list_name=LIST_NAME,
        aliases=_unique(_list(row.get("alt_names")), exclude=name),
        location=addresses[0] if addresses else None,
        country=countries[0].lower() if countries and len(countries[0]) == 2 else None,
        identifiers=_unique(_ids(row.get("ids")), exclude=""),
        notes="; ".join(notes) or None,
        schema="Person" if kind == "individual" else "LegalEntity",
        listings=(
            Listing(
                section=code,
                effective_date=effective,
                removal_date=removal,
                fr_citation=fr_notice or None,
                entry_id=_text(row.get("entity_number")) or None,
                note=("programs: " + "; ".join(programs)) if programs else None,
            ),
        ),
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    return re.sub(r"\s+", " ", str(value)).strip()


def _list(value: Any) -> list[str]:
    """A CSV cell joined with '; ' or a JSON list, as clean non-empty strings."""
    if value is None:
        return []
    items: list[Any] = value if isinstance(value, list) else str(value).split(";")
    return [t for t in (_text(i) for i in items) if t]


def _addresses(value: Any) -> list[str]:
    if isinstance(value, list):
        out = []
        for a in value:
            if isinstance(a, dict):
                parts = [a.get(k) for k in ("address", "city", "state", "postal_code", "country")]
                joined = ", ".join(_text(p) for p in parts if _text(p))
                if joined:
                    out.append(joined)
            elif _text(a):
                out.append(_text(a))
        return out
    return _list(value)


def _address_country(address: str) -> str | None:
    last = address.rsplit(",", 1)[-1].strip()
    return last if re.fullmatch(r"[A-Z]{2}", last) else None


def _ids(value: Any) -> Iterator[str]:
    """Identifier numbers from 'Type, Number, Country; ...' cells or JSON id objects."""
    if isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                kind, number = _text(item.get("type")), _text(item.get("number"))
                if number and not _NOT_AN_ID.search(kind):
                    yield number
        return
    for item in _list(value):
        parts = [p.strip() for p in item.split(",")]
        if len(parts) >= 2 and parts[1] and not _NOT_AN_ID.search(parts[0]):
            yield parts[1]


def _unique(values: list[str] | Iterator[str], *, exclude: str) -> tuple[str, ...]:
    seen = {exclude.casefold()}
    out: list[str] = []
    for v in values:
        if v.casefold() not in seen:
            seen.add(v.casefold())
            out.append(v)
    return tuple(out)
