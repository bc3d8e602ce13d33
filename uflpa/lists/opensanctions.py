"""OpenSanctions exports in FollowTheMoney (FtM) form, from any dataset.

Accepted shapes: JSON lines (one entity per line, the `entities.ftm.json` export), one JSON array of
entities, or the `{"results": [...]}` answer of the yente API, whose entities may carry linked
entities nested inside their properties.

Only *target* entities of the schemas in `KEPT_SCHEMAS` become listed entities; everything else
(Sanction, Ownership, Address, Identification, vessels, ...) is counted in `SourceRead.skipped` and,
where it says something about a target, used to fill it in:

* a `Sanction` whose `entity` is the target gives one `Listing`: its section is the UFLPA citation
  when the program, reason or provisions text cites one (OpenSanctions writes the DHS heading
  "... - Section 2(d)(2)(B)(i)" as the program), else the program name; `startDate` (or
  `listingDate`) and `endDate` give the dates;
* an `Identification` held by the target adds its number to `identifiers`;
* an `Address` entity referenced by `addressEntity` gives `location` when the target has no
  `address` text;
* an `Ownership` whose asset is the target and whose owner is kept gives `parent`.

A target with no Sanction still gets one undated listing (its program, or the dataset name), so
that it counts as listed.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from uflpa.errors import SourceFormatError
from uflpa.identifiers import ID_PROPERTIES
from uflpa.lists.base import ListSource, SourceRead, decode_text, sniff_head
from uflpa.lists.entry_text import find_section
from uflpa.model import ListedEntity, Listing, ListVersion

KEPT_SCHEMAS = frozenset({"Company", "Organization", "LegalEntity", "PublicBody", "Person"})
_COUNTRY_PROPERTIES = ("country", "jurisdiction", "mainCountry", "nationality", "citizenship")
_FR_CITATION = re.compile(r"\b\d{1,3}\s+FR\s+\d{1,6}\b")
_SNIFF_SCHEMA = re.compile(rb'"schema"\s*:')
_SNIFF_PROPERTIES = re.compile(rb'"properties"\s*:')


class OpenSanctionsFtM(ListSource):
    """FollowTheMoney entities as OpenSanctions publishes them (JSON lines, array or yente)."""

    name = "opensanctions"
    description = "OpenSanctions FollowTheMoney entities (JSON lines, JSON array, yente results)"

    def sniff(self, data: bytes, origin: str) -> bool:
        head = sniff_head(data)
        return (
            head[:1] in (b"{", b"[")
            and _SNIFF_SCHEMA.search(head) is not None
            and _SNIFF_PROPERTIES.search(head) is not None
        )

    def parse(
        self, data: bytes, origin: str, *, retrieved_at: datetime | None = None
    ) -> ListVersion:
        return read_ftm(data, origin, retrieved_at=retrieved_at).version


@dataclass(slots=True)
class _Record:
    id: str
    schema: str
    position: str
    row: int | None
    target: bool
    caption: str
    datasets: list[str]
    props: dict[str, list[Any]]
    last_seen: str | None


def read_ftm(data: bytes, origin: str, *, retrieved_at: datetime | None = None) -> SourceRead:
    """Parse an FtM export into a `ListVersion` and the counts of what was skipped."""
    text = decode_text(data, origin)
    if not text.strip():
        raise SourceFormatError("the file is empty", file=origin)
    records: dict[str, _Record] = {}
    for record in _flatten(_objects(text, origin), origin):
        if record.id in records:  # the same entity split over several lines: merge
            old = records[record.id]
            for prop, values in record.props.items():
                old.props.setdefault(prop, []).extend(v for v in values if v not in old.props[prop])
            old.target = old.target or record.target
        else:
            records[record.id] = record

    kept = [r for r in records.values() if r.target and r.schema in KEPT_SCHEMAS]
    skipped = Counter(
        r.schema for r in records.values() if not (r.target and r.schema in KEPT_SCHEMAS)
    )
    if not kept:
        raise SourceFormatError(
            "no target entities of schema " + ", ".join(sorted(KEPT_SCHEMAS)) + " found",
            file=origin,
        )
    links = _Links(records)
    dataset = next((d for r in kept for d in r.datasets), None)
    list_name = f"opensanctions:{dataset}" if dataset else "opensanctions"
    kept_ids = {r.id for r in kept}
    entities = tuple(_entity(r, links, kept_ids, records, list_name, origin) for r in kept)
    seen = [_date(r.last_seen) for r in kept]
    published = max((d for d in seen if d), default=None)
    version = ListVersion(
        list_name=list_name,
        source=OpenSanctionsFtM.name,
        origin=origin,
        retrieved_at=retrieved_at or datetime.now(UTC),
        entities=entities,
        published=published,
    )
    return SourceRead(version=version, skipped=dict(sorted(skipped.items())))


def _objects(text: str, origin: str) -> Iterator[tuple[str, int | None, Any]]:
    """(label, line, object) per entity: JSON lines give the line, array items a label."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        whole = _load_whole(text, origin)
        if not isinstance(whole, list):
            raise SourceFormatError("expected a JSON array of entities", file=origin, row=1)
        yield from ((f"item {i}: ", None, o) for i, o in enumerate(whole, start=1))
        return
    lines = text.splitlines()
    first_index = next(i for i, line in enumerate(lines) if line.strip())
    try:
        first = json.loads(lines[first_index])
    except json.JSONDecodeError:
        first = None
    if not isinstance(first, dict):
        # Not one object per line: a pretty-printed object (yente results or one entity).
        whole = _load_whole(text, origin)
        yield from _unwrap(whole, origin)
        return
    if "results" in first and "schema" not in first:
        yield from _unwrap(first, origin)
        return
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SourceFormatError(
                f"not JSON ({exc.msg} at column {exc.colno})",
                file=origin,
                row=number,
            ) from None
        yield "", number, obj


def _load_whole(text: str, origin: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceFormatError(
            f"not JSON ({exc.msg} at column {exc.colno})",
            file=origin,
            row=exc.lineno,
        ) from None


def _unwrap(whole: Any, origin: str) -> Iterator[tuple[str, int | None, Any]]:
    if isinstance(whole, dict) and isinstance(whole.get("results"), list):
        results: list[Any] = whole["results"]
        yield from ((f"result {i}: ", None, o) for i, o in enumerate(results, start=1))
    elif isinstance(whole, dict):
        yield "", None, whole
    else:
        raise SourceFormatError("expected FollowTheMoney entity objects", file=origin, row=1)


def _flatten(objects: Iterator[tuple[str, int | None, Any]], origin: str) -> Iterator[_Record]:
    """Records for every object, with entities nested in properties (yente) lifted out."""
    for position, row, obj in objects:
        yield from _records_of(obj, position, row, origin)


def _records_of(obj: Any, position: str, row: int | None, origin: str) -> Iterator[_Record]:
    if not isinstance(obj, dict) or not isinstance(obj.get("id"), str) or not obj.get("schema"):
        raise SourceFormatError(
            f"{position}not a FollowTheMoney entity (needs 'id' and 'schema')",
            file=origin,
            row=row,
        )
    raw_props = obj.get("properties") or {}
    if not isinstance(raw_props, dict):
        raise SourceFormatError(f"{position}'properties' is not an object", file=origin, row=row)
    props: dict[str, list[Any]] = {}
    nested: list[Any] = []
    for prop, values in raw_props.items():
        out: list[Any] = []
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, dict):
                nested.append(value)
                if isinstance(value.get("id"), str):
                    out.append(value["id"])
            elif value is not None:
                out.append(value)
        props[prop] = out
    datasets = obj.get("datasets") or []
    yield _Record(
        id=obj["id"],
        schema=str(obj["schema"]),
        position=position,
        row=row,
        target=bool(obj.get("target")),
        caption=str(obj.get("caption") or ""),
        datasets=[str(d) for d in datasets] if isinstance(datasets, list) else [str(datasets)],
        props=props,
        last_seen=obj.get("last_seen") or obj.get("last_change"),
    )
    for child in nested:
        yield from _records_of(child, position, row, origin)


class _Links:
    """Reverse links from relationship entities to the entities they describe."""

    def __init__(self, records: dict[str, _Record]) -> None:
        self.sanctions: dict[str, list[_Record]] = {}
        self.identifications: dict[str, list[str]] = {}
        self.addresses: dict[str, str] = {}
        self.owners: dict[str, list[str]] = {}
        for r in records.values():
            if r.schema == "Sanction":
                for eid in r.props.get("entity", []):
                    self.sanctions.setdefault(eid, []).append(r)
            elif r.schema in ("Identification", "Passport"):
                for eid in r.props.get("holder", []):
                    self.identifications.setdefault(eid, []).extend(
                        str(n) for n in r.props.get("number", [])
                    )
            elif r.schema == "Address":
                full = _first(r.props, "full") or r.caption
                if full:
                    self.addresses[r.id] = full
            elif r.schema == "Ownership":
                for asset in r.props.get("asset", []):
                    self.owners.setdefault(asset, []).extend(r.props.get("owner", []))


def _entity(
    r: _Record,
    links: _Links,
    kept_ids: set[str],
    records: dict[str, _Record],
    list_name: str,
    origin: str,
) -> ListedEntity:
    names = [str(n) for n in r.props.get("name", [])]
    name = (
        r.caption
        if r.caption and (r.caption in names or not names)
        else (names[0] if names else "")
    )
    if not name.strip():
        raise SourceFormatError(f"{r.position}entity {r.id} has no name", file=origin, row=r.row)
    aliases = _unique(
        [*names, *_strs(r.props, "alias"), *_strs(r.props, "weakAlias")], exclude=name
    )
    former = _unique(_strs(r.props, "previousName"), exclude=name)
    identifiers = _unique(
        [v for prop in ID_PROPERTIES for v in _strs(r.props, prop)]
        + links.identifications.get(r.id, []),
        exclude="",
    )
    country = next((c for p in _COUNTRY_PROPERTIES for c in _strs(r.props, p)), None)
    location = _first(r.props, "address") or next(
        (links.addresses[a] for a in r.props.get("addressEntity", []) if a in links.addresses), None
    )
    notes = [n for n in _strs(r.props, "notes") if n.strip()]
    sub_note = next((n for n in notes if re.search(r"subsidiar|subordinate", n, re.I)), None)
    owner = next((o for o in links.owners.get(r.id, []) if o in kept_ids), None)
    parent = None
    if owner is not None:
        o = records[owner]
        parent = o.caption or _first(o.props, "name")
    return ListedEntity(
        id=r.id,
        name=name.strip(),
        list_name=list_name,
        aliases=aliases,
        former_names=tuple(f for f in former if f not in aliases),
        subsidiaries=sub_note is not None,
        subsidiaries_note=sub_note,
        parent=parent,
        location=location,
        country=country.lower() if country else None,
        sectors=_unique(_strs(r.props, "sector"), exclude=""),
        listings=_listings(r, links),
        identifiers=identifiers,
        notes="; ".join(notes) or None,
        schema=r.schema,
    )


def _listings(r: _Record, links: _Links) -> tuple[Listing, ...]:
    out: list[Listing] = []
    for s in links.sanctions.get(r.id, []):
        texts = [*_strs(s.props, "program"), *_strs(s.props, "programId")]
        texts += [*_strs(s.props, "reason"), *_strs(s.props, "provisions")]
        section = find_section(" ".join(texts)) or next(
            (t for t in (*_strs(s.props, "program"), *_strs(s.props, "programId")) if t.strip()),
            None,
        )
        section = (
            section or _first(s.props, "authority") or (r.datasets[0] if r.datasets else "sanction")
        )
        cite = _FR_CITATION.search(" ".join(texts))
        reason = _first(s.props, "reason")
        listing = Listing(
            section=section.strip(),
            effective_date=_date(_first(s.props, "startDate") or _first(s.props, "listingDate")),
            removal_date=_date(_first(s.props, "endDate")),
            fr_citation=cite.group(0) if cite else None,
            entry_id=s.id,
            note=reason[:500] if reason else None,
        )
        if listing not in out:
            out.append(listing)
    if not out:
        programs = _strs(r.props, "program")
        section = find_section(" ".join(programs)) or (programs[0] if programs else None)
        out.append(
            Listing(
                section=section or (r.datasets[0] if r.datasets else "opensanctions"),
                effective_date=None,
                note="no Sanction record for this entity in the export",
            )
        )
    # Exports order statements freely; sorting keeps the content hash of the same data stable.
    out.sort(key=lambda x: (x.effective_date or date.min, x.section, x.entry_id or ""))
    return tuple(out)


def _strs(props: dict[str, list[Any]], prop: str) -> list[str]:
    return [str(v) for v in props.get(prop, []) if v is not None and str(v).strip()]


def _first(props: dict[str, list[Any]], prop: str) -> str | None:
    values = _strs(props, prop)
    return values[0] if values else None


def _date(value: str | None) -> date | None:
    """A full ISO date (FtM dates may be partial, '2022' or '2022-06': those give None)."""
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _unique(values: list[str], *, exclude: str) -> tuple[str, ...]:
    seen = {exclude.strip().casefold()}
    out: list[str] = []
    for v in values:
        key = v.strip().casefold()
        if key and key not in seen:
            seen.add(key)
            out.append(v.strip())
    return tuple(out)
