"""A Federal Register notice whose appendix carries the consolidated UFLPA Entity List.

DHS publishes each update of the list as a notice ("Notice Regarding the Uyghur Forced Labor
Prevention Act Entity List") with the whole list as an appendix. The notice is read as text, as
govinfo.gov serves it (`.txt`) or as federalregister.gov prints it; the HTML form is turned into
the same lines (list items and table rows become bulleted lines) and read by the same code.

What is read, and from where:

* entries: only after the line that starts the appendix ("Appendix", "Appendix 1--UFLPA Entity
  List"), and only until the "[FR Doc. ...]" / "BILLING CODE" trailer, so that names mentioned in
  the SUMMARY or SUPPLEMENTARY INFORMATION prose are never taken for entries;
* the section: a line of the appendix citing "2(d)(2)(B)(i)" (or (ii), (iv), (v));
* an entry: a numbered ("1.", "(1)", "1)") or bulleted ("•", "-", "*") line, or a table row with
  a date column, plus the lines that continue it up to the next blank line;
* the effective date: the entry's own date when it has one (a column after a tab or two spaces,
  or a trailing "effective June 21, 2022"), else the first date of the notice's "DATES:"
  paragraph, which is then named in the listing's note because it is the date of the update, not
  necessarily the date each older entry was first listed;
* the document number ("FR Doc. 2025-00901"), the citation ("90 FR 3899", from the govinfo header
  or a "Citation:" line, never from citations of earlier notices in the body) and the
  publication date.

A section whose text has no recognisable entries is an error, so a layout this parser does not
know cannot pass as an empty section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from uflpa.errors import SourceFormatError
from uflpa.lists.base import ListSource, decode_text
from uflpa.lists.entry_text import (
    CITATION_RE,
    EntryTextError,
    SectionEntry,
    clean_text,
    find_section,
    merge_entries,
    parse_entry,
    parse_list_date,
)
from uflpa.model import UFLPA_LIST, Listing, ListVersion

LIST_NAME = UFLPA_LIST

_FR_DOC_MARK = re.compile(rb"\[FR Doc|FR Doc(?:ument)?\.? No|Document Number")
_PREAMBLE_MARK = (re.compile(rb"\bAGENCY:"), re.compile(rb"\bACTION:"))
_UFLPA_MARK = re.compile(rb"Uyghur\s+Forced\s+Labor\s+Prevention\s+Act|UFLPA")
_APPENDIX_MARK = re.compile(rb"\bAppendix\b|\bAPPENDIX\b")

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_WORD_DATE = _MONTH + r"\.?\s+\d{1,2},\s+\d{4}"
_ANY_DATE = r"(?:" + _WORD_DATE + r"|\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})"

_FR_DOC = re.compile(
    r"FR\s+Doc(?:\.|ument)?\s*(?:No\.?)?\s*:?\s*(?P<year>\d{4})\s*[-–—]\s*(?P<num>\d{4,6})"
    r"|Document\s+Number\s*:?\s*(?P<year2>\d{4})[-–—](?P<num2>\d{4,6})"
)
_GOVINFO_HEAD = re.compile(
    r"\[Federal Register Volume (?P<vol>\d+),\s*Number \d+\s*\(\w+,\s*(?P<date>"
    + _WORD_DATE
    + r")\)\]"
)
_GOVINFO_PAGES = re.compile(r"\[Pages?\s+(?P<page>\d+)")
_CITATION_LINE = re.compile(r"Citation\s*:?\s*(?P<cite>\d{1,3}\s+FR\s+\d{1,6})")
_PAGE_HEAD = re.compile(
    r"Federal Register\s*/\s*Vol\.\s*\d+,\s*No\.\s*\d+\s*/\s*\w+,\s*(?P<date>" + _WORD_DATE + r")"
)
_PUBLISHED_LINE = re.compile(
    r"Publication\s+Date\s*:?\s*(?P<date>"
    + _ANY_DATE
    + r")|Published\s*:?\s*(?P<date2>"
    + _ANY_DATE
    + r")"
)
_DATES_LABEL = re.compile(r"^\s*DATES?\s*:", re.M)
_NEXT_LABEL = re.compile(
    r"^\s*(?:ADDRESSES|FOR FURTHER INFORMATION CONTACT|SUPPLEMENTARY INFORMATION|SUMMARY)\s*:"
)

_APPENDIX_LINE = re.compile(r"^\s*(?:Appendix|APPENDIX)\b")
_RULE_LINE = re.compile(r"^\s*[-=_—–]{5,}\s*$")  # the rules around a GPO table
_END_LINE = re.compile(r"^\s*(?:\[FR Doc|BILLING CODE)")
_ENTRY_START = re.compile(r"^\s*(?:\(?\d{1,3}[.)]|[•●▪◦·*\-–])\s+(?=\S)")
_COLUMN_DATE = re.compile(r"(?:\t+|\s{2,})[.\s]*(?P<date>" + _ANY_DATE + r")\.?\s*$")
_TRAILING_DATE = re.compile(
    r"[\s,;]*(?:[—–-]+\s*)?\(?\s*(?:effective(?:\s+date)?\s*:?\s*|as\s+of\s+)?"
    r"(?P<date>" + _ANY_DATE + r")\s*\)?\.?\s*$",
    re.I,
)
_TABLE_ROW = re.compile(r"^\S.*\S(?:\t+|\s{2,})[.\s]*" + _ANY_DATE + r"\.?\s*$")
_NONE_TEXT = re.compile(r"\bnone\b|\bno\s+entities\b|\breserved\b", re.I)


def looks_like_fr_notice(data: bytes) -> bool:
    """True for Federal Register documents (their trailer or AGENCY/ACTION preamble)."""
    if _FR_DOC_MARK.search(data):
        return True
    return all(p.search(data) for p in _PREAMBLE_MARK)


class FederalRegisterNotice(ListSource):
    """The appendix of a DHS Federal Register notice on the UFLPA Entity List (text or HTML)."""

    name = "federal-register"
    description = (
        "Federal Register notice with the UFLPA Entity List as its appendix (text or HTML)"
    )

    def sniff(self, data: bytes, origin: str) -> bool:
        return (
            looks_like_fr_notice(data)
            and _UFLPA_MARK.search(data) is not None
            and _APPENDIX_MARK.search(data) is not None
        )

    def parse(
        self, data: bytes, origin: str, *, retrieved_at: datetime | None = None
    ) -> ListVersion:
        text = decode_text(data, origin)
        lines = html_lines(text, origin) if _is_html(text) else text.splitlines()
        meta = _metadata(lines)
        entries = _read_appendix(lines, meta, origin)
        return ListVersion(
            list_name=LIST_NAME,
            source=self.name,
            origin=origin,
            retrieved_at=retrieved_at or datetime.now(UTC),
            entities=merge_entries(entries, list_name=LIST_NAME),
            published=meta.published,
        )


@dataclass(frozen=True, slots=True)
class NoticeMetadata:
    fr_document: str | None
    fr_citation: str | None
    published: date | None
    dates_effective: date | None


def _is_html(text: str) -> bool:
    head = text.lstrip()[:2048].lower()
    return head.startswith("<") and (
        "<html" in head or "<body" in head or "<div" in head or "<p" in head
    )


def html_lines(text: str, origin: str) -> list[str]:
    """The notice's HTML as text lines: blocks end lines, list items and table rows get a bullet.

    govinfo's HTML rendering is the text notice inside `<pre>`: that text is returned as it is,
    since its column spacing carries the entry dates.
    """
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", text))
    except (etree.ParserError, ValueError) as exc:
        raise SourceFormatError(f"not an HTML page ({exc})", file=origin) from None
    pre = [p.text_content() for p in root.iter("pre")]
    if any("Appendix" in t or "FR Doc" in t for t in pre) and not root.xpath("//table|//li"):
        return "\n".join(pre).splitlines()
    block = {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "section", "article",
        "header", "footer", "pre", "blockquote", "dl", "dt", "dd", "tbody", "thead", "body",
    }  # fmt: skip
    skip = {"script", "style", "noscript", "template", "head"}
    out: list[str] = []

    def inline_text(el: etree._Element) -> str:
        parts: list[str] = []
        for piece in el.iter():
            tag = piece.tag if isinstance(piece.tag, str) else ""
            if piece is not el and tag == "br":
                parts.append(" ")
            if tag == "sup":
                continue
            if tag and piece.text:
                parts.append(piece.text)
            if piece is not el and piece.tail:
                parts.append(piece.tail)
        return "".join(parts)

    def walk(el: etree._Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag or tag in skip:
            return
        if tag == "br":
            out.append("\n")
            return
        if tag == "tr":
            cells = [c for c in el if isinstance(c.tag, str) and c.tag in ("td", "th")]
            texts = [clean_text(inline_text(c)) for c in cells]
            header = all(c.tag == "th" for c in cells) or bool(
                texts and re.match(r"(?:name\s+of\s+entity|entity\s+name)$", texts[0], re.I)
            )
            out.append("\n\n" + ("" if header else "• ") + "\t".join(texts) + "\n\n")
            return
        out.append("\n• " if tag == "li" else "\n\n" if tag in block else "")
        out.append(el.text or "")
        for child in el:
            walk(child)
            out.append(child.tail or "")
        if tag in block or tag == "li":
            out.append("\n\n")

    walk(root)
    return [re.sub(r"[^\S\t]+", " ", line).strip() for line in "".join(out).split("\n")]


def _metadata(lines: list[str]) -> NoticeMetadata:
    text = "\n".join(lines)
    fr_document = None
    m = _FR_DOC.search(text)
    if m:
        fr_document = f"{m.group('year') or m.group('year2')}-{m.group('num') or m.group('num2')}"
    citation = None
    published = None
    head = _GOVINFO_HEAD.search(text)
    if head:
        published = parse_list_date(head.group("date"))
        pages = _GOVINFO_PAGES.search(text, head.end())
        if pages:
            citation = f"{head.group('vol')} FR {pages.group('page')}"
    cite = _CITATION_LINE.search(text)
    if citation is None and cite:
        citation = re.sub(r"\s+", " ", cite.group("cite"))
    if published is None:
        for pattern in (_PAGE_HEAD, _PUBLISHED_LINE):
            pm = pattern.search(text)
            if pm:
                published = parse_list_date(pm.group("date") or pm.group("date2") or "")
                break
    return NoticeMetadata(fr_document, citation, published, _dates_paragraph_date(lines))


def _dates_paragraph_date(lines: list[str]) -> date | None:
    """The first date of the "DATES:" paragraph (up to the next preamble label)."""
    for i, line in enumerate(lines):
        if not _DATES_LABEL.match(line):
            continue
        paragraph = [line]
        for nxt in lines[i + 1 : i + 15]:
            if _NEXT_LABEL.match(nxt):
                break
            paragraph.append(nxt)
        found = re.search(_WORD_DATE, clean_text(" ".join(paragraph)))
        return parse_list_date(found.group(0)) if found else None
    return None


@dataclass(slots=True)
class _OpenEntry:
    line: int
    section: str
    parts: list[str]


def _read_appendix(lines: list[str], meta: NoticeMetadata, origin: str) -> list[SectionEntry]:
    start = next(
        (
            i
            for i, line in enumerate(lines)
            if _APPENDIX_LINE.match(line)
            and len(line.strip()) <= 100
            and not line.rstrip().endswith((".", ",", ";"))
        ),
        None,
    )
    if start is None:
        raise SourceFormatError(
            "no appendix found (expected a line starting with 'Appendix' before the list)",
            file=origin,
        )
    entries: list[SectionEntry] = []
    section: str | None = None
    current: _OpenEntry | None = None
    paragraph = "none"  # kind of the paragraph being read: none, heading, entry, prose
    counts: dict[str, int] = {}
    prose: dict[str, list[tuple[int, str, int]]] = {}  # section -> (line, text, paragraph id)
    para_id = 0

    def flush() -> None:
        nonlocal current
        if current is not None:
            entries.append(_entry(current, meta, origin))
            counts[current.section] = counts.get(current.section, 0) + 1
            current = None

    for index in range(start + 1, len(lines)):
        number = index + 1
        line = lines[index]
        if _END_LINE.match(line):
            break
        if not line.strip() or _RULE_LINE.match(line):
            flush()
            paragraph = "none"
            para_id += 1
            continue
        if CITATION_RE.search(line):
            flush()
            section = find_section(line)
            assert section is not None
            counts.setdefault(section, 0)
            for sec in prose:  # earlier lines of this paragraph were the heading's own words
                prose[sec] = [p for p in prose[sec] if p[2] != para_id]
            paragraph = "heading"
            continue
        if _starts_entry(line, paragraph, current):
            flush()
            if section is None:
                raise SourceFormatError(
                    "entry before any 'Section 2(d)(2)(B)(...)' heading",
                    file=origin,
                    row=number,
                )
            current = _OpenEntry(number, section, [line])
            paragraph = "entry"
            continue
        if paragraph == "entry" and current is not None:
            current.parts.append(line)
        elif paragraph != "heading":
            if section is not None and _COLUMN_DATE.search(line):
                raise SourceFormatError(
                    "a dated line that belongs to no recognised entry (an entry must start "
                    "with a number, a bullet or, in a table, a line with its date)",
                    file=origin,
                    row=number,
                )
            paragraph = "prose"
            if section is not None:
                prose.setdefault(section, []).append((number, line.strip(), para_id))
    flush()

    for sec, n in counts.items():
        texts = prose.get(sec, [])
        if n == 0 and texts and not any(_NONE_TEXT.search(t) for _, t, _ in texts):
            raise SourceFormatError(
                f"section {sec} has text but no numbered or bulleted entries",
                file=origin,
                row=texts[0][0],
            )
    if not entries:
        raise SourceFormatError("the appendix holds no entries", file=origin, row=start + 1)
    return entries


def _starts_entry(line: str, paragraph: str, current: _OpenEntry | None) -> bool:
    """Whether `line` opens a new entry rather than continuing the current one.

    Numbered and bulleted lines always do. In a GPO table without numbers a row is a line with
    a date column, and once the current row has its date, any line that is not indented (cell
    text that wraps is indented) opens the next row, dated or not.
    """
    if _ENTRY_START.match(line):
        return True
    if paragraph != "entry" or current is None:
        return _TABLE_ROW.match(line) is not None
    if _ENTRY_START.match(current.parts[0]):
        return False
    dated = any(_COLUMN_DATE.search(p) for p in current.parts)
    return dated and not line[:1].isspace()


def _entry(open_entry: _OpenEntry, meta: NoticeMetadata, origin: str) -> SectionEntry:
    effective: date | None = None
    parts: list[str] = []
    for part in open_entry.parts:
        m = _COLUMN_DATE.search(part)
        if m and effective is None:
            effective = parse_list_date(m.group("date"))
            part = part[: m.start()]
        parts.append(part.strip())
    text = _ENTRY_START.sub("", " ".join(parts), count=1)
    if effective is None:
        m = _TRAILING_DATE.search(text)
        if m:
            effective = parse_list_date(m.group("date"))
            text = text[: m.start()]
    text = re.sub(r"(?<=\.)\.{2,}\s*$", "", text.strip())
    text = re.sub(r"\s+\.{3,}\s*$", "", text)
    note = None
    if effective is None:
        effective = meta.dates_effective
        note = "effective date from the notice's DATES line"
    if effective is None:
        raise SourceFormatError(
            "the entry has no date and the notice no DATES line",
            file=origin,
            row=open_entry.line,
        )
    try:
        parsed = parse_entry(text)
    except EntryTextError as exc:
        raise SourceFormatError(str(exc), file=origin, row=open_entry.line) from None
    listing = Listing(
        section=open_entry.section,
        effective_date=effective,
        fr_document=meta.fr_document,
        fr_citation=meta.fr_citation,
        note=note,
    )
    return SectionEntry(parsed, listing)
