"""The importer's documents: the manifest that says what each file is (CSV or YAML), and what
the pack learns of each file (hash, size, pages, whether it can be shown inline).

Nothing a user supplies becomes a path of the pack: a manifest entry must name a file inside the
documents folder (no `..`, no absolute path, no link leading out), and the copy in the pack gets
a name of our own (`documents/NN-<name made safe>`). A row that cannot be used is kept as a
problem with its row number and said in the pack; it never stops the build.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from uflpa.errors import InputError

#: Kinds of document CBP's guidance asks for, and what the pack calls them.
KINDS = {
    "purchase_order": "Purchase order",
    "commercial_invoice": "Commercial invoice",
    "packing_list": "Packing list",
    "bill_of_lading": "Bill of lading",
    "proof_of_payment": "Proof of payment",
    "production_record": "Production record",
    "supplier_invoice": "Supplier invoice",
    "supply_contract": "Supply contract",
    "certificate_of_origin": "Certificate of origin",
    "affidavit": "Affidavit",
    "audit_report": "Audit report",
    "other": "Other",
}
MANIFEST_COLUMNS = ("file", "kind", "party", "shipment", "date", "title")
#: Images shown inline in the HTML (by their first bytes, never by the file name).
IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
#: Largest image embedded in the HTML; larger ones are linked.
MAX_INLINE_IMAGE = 2 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ManifestProblem:
    row: int
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = f"manifest row {self.row}" + (f", column {self.column!r}" if self.column else "")
        return f"{where}: {self.reason}"


@dataclass(slots=True)
class Document:
    """One usable manifest entry and what was read of its file."""

    row: int
    source: Path
    kind: str
    party: str
    shipment: str
    day: date | None
    title: str
    name: str = ""  # its path inside the pack (documents/NN-name)
    sha256: str = ""
    size: int = 0
    pages: int | None = None
    media: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)


def read_manifest(path: Path) -> list[dict[str, Any]]:
    """The rows of a manifest, CSV (header `file,kind,party,shipment,date,title`) or YAML (a
    list of mappings with those keys), each with its row number."""
    if not path.is_file():
        raise InputError("no such file", file=str(path))
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 text ({exc.reason} at byte {exc.start})", file=str(path)
        ) from None
    if path.suffix.lower() in (".yml", ".yaml"):
        import yaml

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise InputError(
                f"not valid YAML: {str(exc).splitlines()[0]}", file=str(path)
            ) from None
        if not isinstance(data, list):
            raise InputError("a YAML manifest is a list of documents", file=str(path))
        rows = []
        for i, item in enumerate(data, start=1):
            if not isinstance(item, dict):
                raise InputError(
                    "each document is a mapping of file, kind, …", file=str(path), row=i
                )
            rows.append({"_row": i, **{k: "" if v is None else str(v) for k, v in item.items()}})
        return rows
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("file", "kind") if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(
            f"the manifest needs the columns {', '.join(MANIFEST_COLUMNS)}; missing: "
            f"{', '.join(missing)}",
            file=str(path),
        )
    return [
        {"_row": i, **{k: (v or "").strip() for k, v in row.items() if k}}
        for i, row in enumerate(reader, start=2)
    ]


def _inside(folder: Path, name: str) -> Path | None:
    """`name` as a file inside `folder`, or None when it would lead out of it."""
    if not name or name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return None
    candidate = (folder / name).resolve()
    try:
        candidate.relative_to(folder.resolve())
    except ValueError:
        return None
    return candidate


def documents_of(
    rows: list[dict[str, Any]], folder: Path, party_ids: set[str]
) -> tuple[list[Document], list[ManifestProblem]]:
    """The usable documents of a manifest, and a problem for every row or cell that is not."""
    docs: list[Document] = []
    problems: list[ManifestProblem] = []
    seen: dict[Path, int] = {}
    for row in rows:
        n = int(row["_row"])
        name = str(row.get("file", "")).strip()
        path = _inside(folder, name)
        if path is None:
            problems.append(
                ManifestProblem(n, "file", f"{name!r} is not a file inside the documents folder")
            )
            continue
        if not path.is_file():
            problems.append(ManifestProblem(n, "file", f"{name!r}: no such file"))
            continue
        kind = str(row.get("kind", "")).strip().lower()
        if kind not in KINDS:
            problems.append(
                ManifestProblem(
                    n, "kind", f"{kind!r} is not a kind of document; kinds: {', '.join(KINDS)}"
                )
            )
            kind = "other"
        party = str(row.get("party", "")).strip()
        if party and party not in party_ids:
            problems.append(
                ManifestProblem(n, "party", f"{party!r} is not a node of the supply graph")
            )
            party = ""
        day = None
        text = str(row.get("date", "")).strip()
        if text:
            try:
                day = date.fromisoformat(text)
            except ValueError:
                problems.append(ManifestProblem(n, "date", f"{text!r} is not a date YYYY-MM-DD"))
        if path in seen:
            problems.append(
                ManifestProblem(n, "file", f"{name!r} is listed already (row {seen[path]})")
            )
            continue
        seen[path] = n
        docs.append(
            Document(
                row=n,
                source=path,
                kind=kind,
                party=party,
                shipment=str(row.get("shipment", "")).strip(),
                day=day,
                title=str(row.get("title", "")).strip() or path.name,
            )
        )
    return docs, problems


def safe_name(index: int, source: Path) -> str:
    """The name of a document's copy in the pack: a number, then the name made safe."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", source.stem).strip("-.")[:60] or "document"
    suffix = re.sub(r"[^A-Za-z0-9]", "", source.suffix)[:8].lower()
    return f"documents/{index:02d}-{stem}" + (f".{suffix}" if suffix else "")


def inspect(doc: Document, data: bytes) -> None:
    """Hash, size, media type and pages of a document; what cannot be read is a note on it."""
    doc.sha256 = hashlib.sha256(data).hexdigest()
    doc.size = len(data)
    if not data:
        doc.notes.append("the file is empty (0 bytes)")
        return
    for magic, media in IMAGE_MAGIC.items():
        if data.startswith(magic):
            doc.media = media
            doc.pages = 1
            return
    if data.startswith(b"%PDF-"):
        doc.media = "application/pdf"
        doc.pages = _pdf_pages(data, doc)
        return
    doc.media = "application/octet-stream"
    doc.notes.append("not a PDF or an image: linked, not shown")


def _pdf_pages(data: bytes, doc: Document) -> int | None:
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        return len(PdfReader(io.BytesIO(data), strict=False).pages)
    except Exception as exc:  # a damaged PDF is a note in the pack, never a failed build
        doc.notes.append(f"the PDF cannot be read ({type(exc).__name__}): pages unknown")
        return None
