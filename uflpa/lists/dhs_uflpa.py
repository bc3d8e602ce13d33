"""The DHS "UFLPA Entity List" web page (https://www.dhs.gov/uflpa-entity-list).

The page holds one `<table>` per section of the Act. The section is not in the table: it is in the
heading before it, which DHS writes as a description in `<strong>` followed by a link reading
"Section 2(d)(2)(B)(i)"; other copies put "Section 2(d)(2)(B)(i) of the UFLPA: ..." in an `<h2>`,
`<h3>` or `<p><strong>`. So the section of a table is the last citation in the text between the
previous entity table and this one (or in the table's `<caption>`).

A table counts as an entity table when a header cell reads "Name of Entity" or "Entity Name"; its
date column is "Effective Date" or "Date Added". Tables without such a header (layout, resources)
are ignored, but an entity table without a section heading is an error, not a guess.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import lxml.html
from lxml import etree

from uflpa.errors import SourceFormatError
from uflpa.lists.base import ListSource
from uflpa.lists.entry_text import (
    EntryTextError,
    SectionEntry,
    clean_text,
    find_section,
    merge_entries,
    parse_entry,
    parse_list_date,
)
from uflpa.lists.federal_register import looks_like_fr_notice
from uflpa.model import UFLPA_LIST, Listing, ListVersion

LIST_NAME = UFLPA_LIST

_NAME_HEADER = re.compile(r"^(?:name\s+of\s+(?:the\s+)?entity|entity\s+name)$", re.I)
_DATE_HEADER = re.compile(
    r"^(?:effective\s+date|date\s+added|date\s+of\s+(?:listing|addition)|date)$", re.I
)
_LAST_UPDATED = re.compile(
    r"(?:Last|Page\s+last)\s+(?:Updated|Reviewed(?:/Updated)?|Modified)\s*:?\s*"
    r"(?P<date>\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}|[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4})",
    re.I,
)
_SNIFF_TABLE = re.compile(rb"<table\b", re.I)
_SNIFF_HEADER = re.compile(rb"name\s+of\s+(?:the\s+)?entity|entity\s+name", re.I)
_SNIFF_CITATION = re.compile(rb"2\s*\(d\)\s*\(2\)\s*\(B\)", re.I)
_SKIP_TEXT = frozenset({"script", "style", "noscript", "template"})


class DhsUflpaPage(ListSource):
    """The section tables of the DHS UFLPA Entity List page."""

    name = "dhs-uflpa"
    description = "DHS UFLPA Entity List web page (HTML, one table per section of the Act)"

    def sniff(self, data: bytes, origin: str) -> bool:
        return (
            _SNIFF_TABLE.search(data) is not None
            and _SNIFF_HEADER.search(data) is not None
            and _SNIFF_CITATION.search(data) is not None
            and not looks_like_fr_notice(data)
        )

    def parse(
        self, data: bytes, origin: str, *, retrieved_at: datetime | None = None
    ) -> ListVersion:
        root = _parse_html(data, origin)
        tables = _entity_tables(root)
        if not tables:
            raise SourceFormatError(
                "no entity table found (expected a table headed 'Name of Entity' or 'Entity "
                "Name'); is this the DHS UFLPA Entity List page?",
                file=origin,
            )
        headings = _text_before(root, {t.element for t in tables})
        entries: list[SectionEntry] = []
        for number, table in enumerate(tables, start=1):
            caption = " ".join(
                clean_text(c.text_content()) for c in table.element.findall("caption")
            )
            # A table nested in another entity table (a damaged page) has no text before it.
            section = find_section(caption) or find_section(headings.get(table.element, ""))
            if section is None:
                raise SourceFormatError(
                    f"entity table {number} has no 'Section 2(d)(2)(B)(...)' heading before it",
                    file=origin,
                )
            entries.extend(_read_table(table, section, origin))
        if not entries:
            raise SourceFormatError("the entity tables hold no entries", file=origin)
        return ListVersion(
            list_name=LIST_NAME,
            source=self.name,
            origin=origin,
            retrieved_at=retrieved_at or datetime.now(UTC),
            entities=merge_entries(entries, list_name=LIST_NAME),
            published=_last_updated(root),
        )


class _EntityTable:
    __slots__ = ("date_col", "element", "header_row", "name_col", "rows")

    def __init__(
        self,
        element: etree._Element,
        rows: list[etree._Element],
        header_row: int,
        name_col: int,
        date_col: int | None,
    ) -> None:
        self.element = element
        self.rows = rows
        self.header_row = header_row
        self.name_col = name_col
        self.date_col = date_col


def _parse_html(data: bytes, origin: str) -> etree._Element:
    try:
        text: str | bytes = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data  # let libxml2 honour the page's own charset declaration
    if isinstance(text, str):
        text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        root: etree._Element = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise SourceFormatError(f"not an HTML page ({exc})", file=origin) from None
    return root


def _rows(table: etree._Element) -> list[etree._Element]:
    """The table's own rows (not those of a table nested in a cell)."""
    return [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]


def _cells(row: etree._Element) -> list[etree._Element]:
    return [c for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")]


def _entity_tables(root: etree._Element) -> list[_EntityTable]:
    found: list[_EntityTable] = []
    for table in root.iter("table"):
        rows = _rows(table)
        for index, row in enumerate(rows[:3]):
            labels = [clean_text(_cell_text(c)).rstrip(":") for c in _cells(row)]
            name_col = next((i for i, t in enumerate(labels) if _NAME_HEADER.match(t)), None)
            if name_col is None:
                continue
            date_col = next((i for i, t in enumerate(labels) if _DATE_HEADER.match(t)), None)
            found.append(_EntityTable(table, rows, index, name_col, date_col))
            break
    return found


def _cell_text(cell: etree._Element) -> str:
    """Text of a cell with `<br>` as a space and footnote markers (`<sup>`) left out."""
    parts: list[str] = []

    def walk(el: etree._Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "br":
            parts.append(" ")
        elif tag and tag not in ("sup", *_SKIP_TEXT):
            parts.append(el.text or "")
            for child in el:
                walk(child)
                parts.append(child.tail or "")
        if tag in ("p", "div", "li"):
            parts.append(" ")

    walk(cell)
    return "".join(parts)


def _text_before(root: etree._Element, tables: set[etree._Element]) -> dict[etree._Element, str]:
    """For each entity table, the page text between the previous entity table and it."""
    out: dict[etree._Element, str] = {}
    buffer: list[str] = []
    inside: etree._Element | None = None
    skipping: etree._Element | None = None
    for event, el in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            if inside is not None or skipping is not None:
                continue
            if el in tables:
                out[el] = clean_text(" ".join(buffer))
                buffer = []
                inside = el
            elif isinstance(el.tag, str) and el.tag in _SKIP_TEXT:
                skipping = el
            elif isinstance(el.tag, str) and el.text:
                buffer.append(el.text)
        else:
            if el is inside:
                inside = None
            elif el is skipping:
                skipping = None
            elif inside is not None or skipping is not None:
                continue
            if el.tail:
                buffer.append(el.tail)
    return out


def _read_table(table: _EntityTable, section: str, origin: str) -> list[SectionEntry]:
    entries: list[SectionEntry] = []
    label = f"section {section} table"
    number = 0
    for row in table.rows[table.header_row + 1 :]:
        cells = _cells(row)
        texts = [clean_text(_cell_text(c)) for c in cells]
        if not any(texts):
            continue
        if len(cells) == 1 and int(cells[0].get("colspan", "1") or 1) > 1:
            # A sub-heading spanning the table: it may switch the section.
            section = find_section(texts[0]) or section
            label = f"section {section} table"
            continue
        number += 1
        if table.name_col >= len(cells) or not texts[table.name_col]:
            raise SourceFormatError(f"{label}: no entity name", file=origin, row=number)
        effective: date | None = None
        note = None
        if table.date_col is None:
            note = "the table has no date column"
        else:
            raw = texts[table.date_col] if table.date_col < len(cells) else ""
            effective = parse_list_date(raw)
            if effective is None:
                raise SourceFormatError(
                    f"{label}: unparseable effective date {raw!r}",
                    file=origin,
                    row=number,
                )
        try:
            parsed = parse_entry(texts[table.name_col])
        except EntryTextError as exc:
            raise SourceFormatError(f"{label}: {exc}", file=origin, row=number) from None
        entries.append(
            SectionEntry(parsed, Listing(section=section, effective_date=effective, note=note))
        )
    return entries


def _last_updated(root: etree._Element) -> date | None:
    texts = root.xpath(
        "//text()[not(ancestor::script) and not(ancestor::style) and not(ancestor::table)]"
    )
    m = _LAST_UPDATED.search(clean_text(" ".join(str(t) for t in texts)))
    return parse_list_date(m.group("date")) if m else None
