"""Which kind of table a file holds, from its first bytes first and its extension second.

Users rename files: an "xls" from an ERP is often tab-separated text or an HTML page, a ".csv"
is sometimes a real workbook. The content decides when it is recognisable; the extension only
picks between text delimiters (a ``.tsv`` prefers tabs).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from uflpa.errors import InputError

SUPPORTED = "CSV/TSV/TXT (optionally .gz), XLSX, Parquet"

_TEXT_SUFFIXES = {".csv", ".tsv", ".tab", ".txt", ".dat", ".psv", ".xls"}
_NOT_TABLES = {
    ".json": "JSON",
    ".jsonl": "JSON lines",
    ".xml": "XML",
    ".html": "HTML",
    ".htm": "HTML",
    ".pdf": "PDF",
    ".doc": "Word",
    ".docx": "Word",
    ".ods": "OpenDocument spreadsheet",
    ".numbers": "Apple Numbers",
    ".zip": "ZIP archive",
}


@dataclass(frozen=True, slots=True)
class Kind:
    """`format` is 'text', 'xlsx' or 'parquet'; `gzip` says the text is gzip-compressed."""

    format: str
    gzip: bool = False
    suffix: str = ""


def sniff_kind(path: Path, head: bytes) -> Kind:
    """Decide the format from the first bytes of the file (`head`) and its name.

    Raises `InputError` for old Excel workbooks (with the fix: save as .xlsx or CSV), for
    recognisable non-tables (PDF, images, HTML, JSON) and for other binary files.
    """
    name = str(path)
    suffixes = [s.lower() for s in path.suffixes]
    suffix = suffixes[-1] if suffixes else ""
    gz = suffix == ".gz"
    if gz:
        suffix = suffixes[-2] if len(suffixes) > 1 else ""
    if head.startswith(b"\x1f\x8b"):
        return Kind("text", gzip=True, suffix=suffix)
    if gz:
        raise InputError("the name ends in .gz but the content is not gzip-compressed", file=name)
    if head.startswith(b"PAR1"):
        return Kind("parquet", suffix=suffix)
    if head.startswith(b"PK\x03\x04"):
        if _is_workbook(path):
            return Kind("xlsx", suffix=suffix)
        what = _NOT_TABLES.get(suffix, "ZIP archive")
        raise InputError(f"this is a {what}, not a table ({SUPPORTED})", file=name)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise InputError(
            "this is an old-style Excel workbook (.xls) or a password-protected workbook, which "
            "uflpa cannot read: open it in Excel and save it as .xlsx (without a password) or as "
            "CSV UTF-8",
            file=name,
        )
    binary = _binary_kind(head)
    if binary:
        raise InputError(f"this is {binary}, not a table ({SUPPORTED})", file=name)
    if suffix in _NOT_TABLES:
        raise InputError(
            f"{_NOT_TABLES[suffix]} files are not supported; use {SUPPORTED}", file=name
        )
    if suffix in (".xlsx", ".xlsm", ".parquet", ".pq"):
        raise InputError(
            f"the name ends in {suffix} but the content is not a {suffix[1:]} file "
            "(the file may be damaged or renamed)",
            file=name,
        )
    markup = _markup_kind(head)
    if markup:
        advice = "save it from Excel as .xlsx or CSV" if suffix == ".xls" else f"use {SUPPORTED}"
        raise InputError(f"this is {markup}, not a table: {advice}", file=name)
    return Kind("text", suffix=suffix)


def _is_workbook(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"SQLite format 3", "an SQLite database"),
    (b"\x7fELF", "a program"),
)


def _binary_kind(head: bytes) -> str | None:
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    return None


def _markup_kind(head: bytes) -> str | None:
    # Look past a BOM and leading whitespace; only UTF-8/ASCII-compatible prefixes are checked.
    text = head[:512].lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table")):
        return "an HTML page (some systems save these with an .xls name)"
    if text.startswith(b"<?xml"):
        if b"urn:schemas-microsoft-com:office:spreadsheet" in head:
            return "an Excel 2003 XML spreadsheet"
        return "an XML document"
    if text.startswith((b"{", b"[{", b"[\n", b"[\r")):
        return "JSON"
    return None
