"""Building an evidence pack: a folder (and a zip of it) holding `evidence.html` (one
self-contained file), `evidence.pdf` rendered from it by Debian's chromium, the documents under
names of our own, and `manifest.json` with the SHA-256 of every file, which `verify` checks.

The folder is built beside its final place and moved there when complete, so a failed build
leaves nothing half-made. Two builds from the same inputs on the same build date are the same
bytes, the PDF included (its creation date is the build date).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from uflpa import __version__
from uflpa.errors import UflpaError, UsageError
from uflpa.evidence.chain import Chain, Party, build_chain
from uflpa.evidence.charts import bar_chart
from uflpa.evidence.documents import (
    KINDS,
    MAX_INLINE_IMAGE,
    Document,
    ManifestProblem,
    documents_of,
    inspect,
    read_manifest,
    safe_name,
)
from uflpa.screening import Screener

MANIFEST = "manifest.json"
HTML = "evidence.html"
PDF = "evidence.pdf"
TEMPLATES = Path(__file__).resolve().parent / "templates"
#: Where chromium is looked for (UFLPA_CHROMIUM first).
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")


class PackError(UflpaError):
    """The pack cannot be made (no browser for the PDF, an output that exists)."""

    exit_code = 1


@dataclass(frozen=True, slots=True)
class EvidenceRequest:
    shipment_file: Path
    nodes: Path
    edges: Path | None
    out: Path
    shipment_id: str | None = None
    documents: Path | None = None
    manifest: Path | None = None
    manufacturer: str | None = None
    as_of: date | None = None
    statement: str = ""
    built: date | None = None
    pdf: bool = True
    zip: bool = True
    source_note: str = ""


@dataclass(slots=True)
class PackResult:
    folder: Path
    zip_path: Path | None
    conclusion: str
    files: int
    gaps: list[str]
    pages: int | None
    caveats: list[str]


def chromium() -> str | None:
    given = os.environ.get("UFLPA_CHROMIUM")
    if given:
        return given if Path(given).is_file() else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def build_pack(request: EvidenceRequest, screener: Callable[[], Screener]) -> PackResult:
    """Build the pack of `request` into `request.out` (a folder that must not exist yet)."""
    out = request.out
    if out.exists():
        raise UsageError(f"--out {out}: exists already; give a new folder")
    if request.pdf and chromium() is None:
        raise PackError(
            "evidence.pdf is rendered by chromium, which is not on this machine: install "
            "Debian's chromium (apt-get install chromium), set UFLPA_CHROMIUM=/path/to/chromium, "
            "or build without the PDF (--no-pdf)"
        )
    if request.manifest is not None and request.documents is None:
        raise UsageError("--manifest needs --documents DIR (the folder the manifest names)")
    built = request.built or date.today()
    chain = build_chain(
        request.shipment_file,
        request.shipment_id,
        request.nodes,
        request.edges,
        screener,
        manufacturer=request.manufacturer,
        as_of=request.as_of,
    )
    party_ids = {p.id for p in chain.parties}
    docs: list[Document] = []
    problems: list[ManifestProblem] = []
    if request.documents is not None:
        if not request.documents.is_dir():
            raise UsageError(f"--documents {request.documents}: not a folder")
        manifest = request.manifest or _default_manifest(request.documents)
        docs, problems = documents_of(read_manifest(manifest), request.documents, party_ids)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        (tmp / "documents").mkdir()
        images: dict[str, str] = {}
        for n, doc in enumerate(sorted(docs, key=_doc_order(chain)), start=1):
            data = doc.source.read_bytes()
            inspect(doc, data)
            doc.name = safe_name(n, doc.source)
            (tmp / doc.name).write_bytes(data)
            if doc.media.startswith("image/") and 0 < doc.size <= MAX_INLINE_IMAGE:
                encoded = base64.b64encode(data).decode("ascii")
                images[doc.name] = f"data:{doc.media};base64,{encoded}"
        docs.sort(key=lambda d: d.name)
        gaps = find_gaps(chain, docs, problems)
        context = _context(request, chain, docs, problems, gaps, built)
        (tmp / HTML).write_text(_render(context, images), encoding="utf-8")
        pages = None
        if request.pdf:
            # The PDF is printed from the same page without links to the documents: a link
            # would be printed as the absolute path of the folder being built.
            printed = _render({**context, "for_print": True}, images)
            pages = _render_pdf(printed, tmp / PDF, built)
        _write_manifest(tmp, built, chain, context)
        tmp.chmod(0o755)  # mkdtemp made it private; the pack is meant to be handed on
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    zip_path = _zip(out) if request.zip else None
    return PackResult(
        folder=out,
        zip_path=zip_path,
        conclusion=chain.conclusion,
        files=len(list(out.rglob("*"))),
        gaps=gaps,
        pages=pages,
        caveats=chain.caveats,
    )


def _default_manifest(folder: Path) -> Path:
    for name in ("manifest.csv", "manifest.yaml", "manifest.yml"):
        if (folder / name).is_file():
            return folder / name
        if (folder.parent / name).is_file():
            return folder.parent / name
    raise UsageError(
        f"--documents {folder}: no manifest.csv or manifest.yaml beside it; give --manifest FILE"
    )


def _doc_order(chain: Chain) -> Callable[[Document], tuple[Any, ...]]:
    tiers = {p.id: p.tier for p in chain.parties}

    def key(doc: Document) -> tuple[Any, ...]:
        tier = tiers.get(doc.party)
        return (
            0 if doc.shipment else 1,
            tier if tier is not None else 99,
            doc.day or date.max,
            doc.kind,
            doc.source.name,
        )

    return key


def find_gaps(chain: Chain, docs: list[Document], problems: list[ManifestProblem]) -> list[str]:
    """What the evidence does not show, the most serious first."""
    gaps: list[str] = []
    for p in chain.upstream:
        if p.listed:
            gaps.append(
                f"{p.name} ({p.id}, tier {p.tier}) matches the UFLPA Entity List "
                f"({', '.join(p.entity_ids)})."
            )
    for p in chain.upstream:
        if p.in_xinjiang:
            gaps.append(f"{p.name} ({p.id}, tier {p.tier}) is in Xinjiang.")
    if chain.shipment["verdict"] != "clear":
        rules = ", ".join(r["rule"] for r in chain.shipment.get("reasons", []))
        gaps.append(f"The shipment itself is {chain.shipment['verdict']} ({rules}).")
    documented = {d.party for d in docs if d.party}
    for tier in chain.tiers:
        members = chain.by_tier(tier)
        if not any(p.id in documented for p in members):
            names = ", ".join(p.name for p in members)
            gaps.append(f"Tier {tier} has no document ({names}).")
    if not any(d.shipment for d in docs):
        gaps.append("No document is tied to the shipment itself.")
    for p in chain.upstream:
        missing = [w for w, v in (("address", p.address), ("identifier", p.identifier)) if not v]
        if missing:
            gaps.append(f"{p.name} ({p.id}) has no {' and no '.join(missing)}.")
    undated = [e for e in chain.edges if not e["start_date"] and not e["end_date"]]
    for e in undated:
        what = e["product"] or e["relation"]
        gaps.append(f"The link {e['source']} → {e['target']} ({what}) has no dates.")
    for d in docs:
        for note in d.notes:
            gaps.append(f"Document {d.name} ({d.title}): {note}.")
    gaps.extend(f"{problem}." for problem in problems)
    return gaps


def _place_text(p: Party) -> str:
    places = [f"{x['name']} {x['name_zh']}".strip() for x in p.places if x.get("name")]
    return "; ".join(places)


def _context(
    request: EvidenceRequest,
    chain: Chain,
    docs: list[Document],
    problems: list[ManifestProblem],
    gaps: list[str],
    built: date,
) -> dict[str, Any]:
    tiers = {p.id: p.tier for p in chain.parties}
    tier_counts: Counter[int] = Counter(p.tier for p in chain.upstream if p.tier is not None)
    doc_counts = Counter(tiers.get(d.party) for d in docs if d.party)
    shares: dict[str, float] = {}
    countries = {p.id: p.country or "unknown" for p in chain.parties}
    for e in chain.edges:
        if (
            e["target"] == chain.manufacturer
            and e["share"] is not None
            and e["relation"] == "supplies"
        ):
            origin = countries.get(e["source"], "unknown")
            shares[origin] = shares.get(origin, 0.0) + float(e["share"]) * 100
    charts = [
        bar_chart(
            "Parties per tier",
            [(_tier_label(t), float(tier_counts[t])) for t in sorted(tier_counts)],
        ),
        bar_chart(
            "Documents per tier",
            [(_tier_label(t), float(doc_counts.get(t, 0))) for t in sorted(tier_counts)],
        ),
        bar_chart(
            "Share of the manufacturer's inputs by origin",
            sorted(shares.items(), key=lambda kv: -kv[1]),
            unit=" %",
        )
        if shares
        else '<p class="chart-empty">Share of inputs by origin: no link into the manufacturer '
        "carries a share.</p>",
    ]
    return {
        "request": request,
        "chain": chain,
        "docs": docs,
        "problems": problems,
        "gaps": gaps,
        "built": built.isoformat(),
        "version": __version__,
        "charts": charts,
        "kinds": KINDS,
        "tier_label": _tier_label,
        "place_text": _place_text,
        "party_names": {p.id: p.name for p in chain.parties},
        "tiers_of": tiers,
        "others": [p for p in chain.parties if p.tier is None],
        "for_print": False,
    }


def _tier_label(tier: int | None) -> str:
    if tier is None:
        return "not in this chain"
    if tier == 0:
        return "tier 0 (buyer)"
    if tier == 1:
        return "tier 1 (manufacturer)"
    return f"tier {tier}"


def _render(context: dict[str, Any], images: dict[str, str]) -> str:
    """evidence.html from its template, autoescaped; the only markup passed through is the SVG
    drawn here (the flow chart, the bar charts), which escapes its own labels."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined
    from markupsafe import Markup

    from uflpa.graph.draw import svg_text

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    context["flow_chart"] = Markup(svg_text(context["chain"].trace))
    context["chart_svgs"] = [Markup(c) for c in context["charts"]]
    context["images"] = images
    return env.get_template("evidence.html").render(context)


def _render_pdf(html_text: str, pdf: Path, built: date) -> int | None:
    browser = chromium()
    assert browser is not None
    with tempfile.TemporaryDirectory(prefix="uflpa-chromium-") as profile:
        html = Path(profile) / "print" / HTML
        html.parent.mkdir()
        html.write_text(html_text, encoding="utf-8")
        done = subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                f"--user-data-dir={profile}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={pdf}",
                html.resolve().as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=180,
        )
    if done.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        tail = (done.stderr or "").strip().splitlines()[-1:] or ["no output"]
        raise PackError(
            f"chromium could not render evidence.pdf (exit {done.returncode}): {tail[0]}"
        )
    _stamp_pdf_dates(pdf, built)
    try:
        import io

        from pypdf import PdfReader

        return len(PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    except Exception:
        return None


def _stamp_pdf_dates(pdf: Path, built: date) -> None:
    """Chromium stamps the PDF with the moment it printed; the pack's date is its build date,
    written in place at the same length so that the PDF's offsets stay right."""
    data = pdf.read_bytes()
    stamp = f"D:{built.strftime('%Y%m%d')}000000+00'00'"

    def same_length(match: re.Match[bytes]) -> bytes:
        old = match.group(2)
        new = stamp.encode("ascii")
        if len(new) != len(old):
            new = (new + b" " * len(old))[: len(old)]
        return match.group(1) + new + match.group(3)

    data = re.sub(rb"(/(?:CreationDate|ModDate) ?\()(D:[^)]*)(\))", same_length, data)
    pdf.write_bytes(data)


def _write_manifest(folder: Path, built: date, chain: Chain, context: dict[str, Any]) -> None:
    files = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        files.append(
            {
                "path": rel,
                "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                "bytes": path.stat().st_size,
            }
        )
    manifest = {
        "pack": "uflpa evidence pack",
        "uflpa": __version__,
        "built": built.isoformat(),
        "shipment": chain.shipment.get("id"),
        "conclusion": chain.conclusion,
        "versions": chain.versions,
        "files": files,
    }
    (folder / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )


def _zip(folder: Path) -> Path:
    """The folder as a zip beside it, entries in name order with a fixed time (same bytes for
    the same pack)."""
    target = folder.with_name(folder.name + ".zip")
    tmp = target.with_name(f".{target.name}.tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(
                f"{folder.name}/{path.relative_to(folder).as_posix()}",
                date_time=(1980, 1, 1, 0, 0, 0),
            )
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    os.replace(tmp, target)
    return target
