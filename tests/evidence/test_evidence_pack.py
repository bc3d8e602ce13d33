"""The evidence pack, built for real: the HTML, the PDF rendered by Debian's chromium (checked
with pypdf; its first pages turned into PNGs by pdftoppm as test artefacts), the manifest and
`verify`, identical rebuilds, gaps named first, and hostile documents."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest

from uflpa.catalog import open_lists, screener_for
from uflpa.evidence.pack import EvidenceRequest, build_pack, chromium
from uflpa.evidence.verify import verify
from uflpa.screening import Screener

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "uflpa" / "data" / "examples" / "evidence" / "cotton"
CHAIN = ROOT / "uflpa" / "data" / "examples" / "chains" / "cotton"
BUILT = date(2026, 12, 7)


def screener() -> Screener:
    return screener_for(open_lists())


def need_browser() -> None:
    if chromium() is None:
        if os.environ.get("UFLPA_REQUIRE_BROWSER") == "1":
            raise AssertionError("chromium is required here (UFLPA_REQUIRE_BROWSER=1)")
        pytest.skip("no chromium on this machine")


def request(out: Path, *, pdf: bool = True, **changes: object) -> EvidenceRequest:
    fields: dict[str, object] = {
        "shipment_file": EXAMPLE / "shipment.csv",
        "nodes": CHAIN / "nodes.csv",
        "edges": CHAIN / "edges.csv",
        "out": out,
        "documents": EXAMPLE / "documents",
        "manifest": EXAMPLE / "manifest.csv",
        "built": BUILT,
        "pdf": pdf,
        "statement": "The importer states the cotton is US-grown.",
    }
    fields.update(changes)
    return EvidenceRequest(**fields)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need_browser()
    out = tmp_path_factory.mktemp("pack") / "evidence-pack"
    build_pack(request(out), screener)
    return out


def test_the_pdf_holds_every_party_and_every_document_hash(pack: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(BytesIO((pack / "evidence.pdf").read_bytes()))
    assert len(reader.pages) >= 6
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    flat = re.sub(r"\s+", "", text)
    nodes = (CHAIN / "nodes.csv").read_text(encoding="utf-8")
    for name in (
        "Saigon Needlecraft Garment Co. Ltd.",
        "Jiangsu Riverbend Weaving Co. Ltd.",
        "Henan Lotus Cotton Spinning Co. Ltd.",
        "Golden Field Cotton Ginning Co. Ltd.",
        "Victoria Harbour Textile Trading Ltd.",
        "Harbor Line Apparel Inc.",
    ):
        assert name in nodes
        assert re.sub(r"\s+", "", name) in flat, name
    manifest = json.loads((pack / "manifest.json").read_text(encoding="utf-8"))
    documents = [f for f in manifest["files"] if f["path"].startswith("documents/")]
    assert len(documents) == 10
    for f in documents:
        assert f["sha256"] in flat, f["path"]
    # Pictures of the first pages, kept as artefacts of the run.
    artefacts = Path(os.environ.get("UFLPA_TEST_ARTEFACTS", tmp_path))
    artefacts.mkdir(parents=True, exist_ok=True)
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        if os.environ.get("UFLPA_REQUIRE_BROWSER") == "1":
            raise AssertionError("pdftoppm (poppler-utils) is required here")
        pytest.skip("no pdftoppm on this machine")
    subprocess.run(
        [
            pdftoppm,
            "-png",
            "-r",
            "50",
            "-f",
            "1",
            "-l",
            "2",
            str(pack / "evidence.pdf"),
            str(artefacts / "evidence-page"),
        ],
        check=True,
    )
    pages = sorted(artefacts.glob("evidence-page-*.png"))
    assert len(pages) == 2 and all(p.stat().st_size > 5000 for p in pages)


def test_the_html_is_self_contained_and_names_the_gaps_first(pack: Path) -> None:
    html = (pack / "evidence.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']https?://""", html), "no network in the pack"
    assert "<script" not in html
    summary = html[html.index('id="summary"') : html.index('id="contents"')]
    gaps = summary[summary.index("What the evidence does not show") :]
    assert gaps.index("is in Xinjiang") < gaps.index("Tier 4 has no document")
    assert (
        "Golden Field Cotton Ginning Co. Ltd. (cn-golden-field-gin, tier 4) is in Xinjiang" in gaps
    )
    assert "has no dates" in gaps and "has no identifier" in gaps
    assert "The importer states the cotton is US-grown." in summary
    # The bill of lading is an image: shown inline; PDFs are linked inside the pack.
    assert 'src="data:image/png;base64,' in html
    assert 'href="documents/' in html
    assert "阿克苏地区" in html  # the place in Chinese beside the English


def test_a_hit_stays_a_hit(pack: Path) -> None:
    manifest = json.loads((pack / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["conclusion"] == "hit"
    assert manifest["versions"]["list_version"].startswith("us-dhs-uflpa@")
    html = (pack / "evidence.html").read_text(encoding="utf-8")
    assert 'Conclusion: <span class="badge hit">hit</span>' in html


def test_two_builds_from_the_same_inputs_are_the_same_bytes(pack: Path, tmp_path: Path) -> None:
    again = tmp_path / "evidence-pack"
    build_pack(request(again), screener)
    first = {p.relative_to(pack): p.read_bytes() for p in pack.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []
    assert (pack.parent / "evidence-pack.zip").read_bytes() == (
        tmp_path / "evidence-pack.zip"
    ).read_bytes()
    # Only the build date differs between days.
    later = tmp_path / "later" / "evidence-pack"
    build_pack(request(later, pdf=False, built=date(2027, 1, 2)), screener)
    old = (pack / "evidence.html").read_text(encoding="utf-8").replace("2026-12-07", "DAY")
    new = (later / "evidence.html").read_text(encoding="utf-8").replace("2027-01-02", "DAY")
    assert old == new


def test_verify_names_what_was_changed_removed_or_added(pack: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(pack, copy)
    assert verify(copy).ok and verify(pack.parent / "evidence-pack.zip").ok
    doc = next((copy / "documents").iterdir())
    data = bytearray(doc.read_bytes())
    data[len(data) // 2] ^= 1
    doc.write_bytes(bytes(data))
    (copy / "evidence.pdf").unlink()
    (copy / "documents" / "extra.txt").write_text("added later", encoding="utf-8")
    result = verify(copy)
    assert result.changed == [f"documents/{doc.name}"]
    assert result.missing == ["evidence.pdf"]
    assert result.added == ["documents/extra.txt"]
    # The zip, altered: one entry rewritten.
    altered = tmp_path / "altered.zip"
    with (
        zipfile.ZipFile(pack.parent / "evidence-pack.zip") as src,
        zipfile.ZipFile(altered, "w") as dst,
    ):
        for item in src.infolist():
            body = src.read(item)
            if item.filename.endswith("evidence.html"):
                body = body.replace(b"hit", b"clear", 1)
            dst.writestr(item, body)
    assert verify(altered).changed == ["evidence.html"]


def _uflpa(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "uflpa", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_the_cli_builds_the_example_and_verify_fails_on_a_change(tmp_path: Path) -> None:
    out = tmp_path / "pack"
    done = _uflpa("evidence", "build", "--example", "cotton", "--out", str(out), "--no-pdf")
    assert done.returncode == 0, done.stderr
    assert "conclusion: hit" in done.stderr and "Tier 4 has no document" in done.stderr
    assert _uflpa("evidence", "verify", str(out)).returncode == 0
    (out / "evidence.html").write_text("tampered", encoding="utf-8")
    failed = _uflpa("evidence", "verify", str(out))
    assert failed.returncode == 1
    assert "changed: evidence.html" in failed.stdout and "Traceback" not in failed.stderr
    again = _uflpa("evidence", "build", "--example", "cotton", "--out", str(out), "--no-pdf")
    assert again.returncode == 2 and "exists already" in again.stderr


def test_without_chromium_the_build_says_so_and_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "pack"
    done = _uflpa(
        "evidence",
        "build",
        "--example",
        "cotton",
        "--out",
        str(out),
        env={"UFLPA_CHROMIUM": str(tmp_path / "no-such-browser")},
    )
    assert done.returncode == 1
    assert "chromium" in done.stderr and "--no-pdf" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []


def hostile_documents(folder: Path) -> Path:
    """Documents with hostile names and contents, and a manifest pointing out of the folder."""
    docs = folder / "docs"
    docs.mkdir()
    (folder / "secret.txt").write_text("outside the documents folder", encoding="utf-8")
    (docs / "<script>alert(1)<script>.pdf").write_bytes(
        (EXAMPLE / "documents" / "01-purchase-order.pdf").read_bytes()
    )
    (docs / "empty.pdf").write_bytes(b"")
    (docs / "corrupt.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    (docs / "=cmd.txt").write_text('=HYPERLINK("http://example.invalid","x")', encoding="utf-8")
    rows = [
        "file,kind,party,shipment,date,title",
        "<script>alert(1)<script>.pdf,purchase_order,vn-needlecraft,SHP-EV-0001,2026-07-06,"
        "<img src=x onerror=alert(2)>",
        "empty.pdf,commercial_invoice,vn-needlecraft,SHP-EV-0001,2026-09-18,Empty invoice",
        "corrupt.pdf,packing_list,vn-needlecraft,SHP-EV-0001,2026-09-18,Corrupt list",
        '=cmd.txt,other,,SHP-EV-0001,2026-09-18,"=HYPERLINK(""http://x"",""y"")"',
        "../secret.txt,other,,,2026-09-18,Secret",
        "/etc/passwd,other,,,2026-09-18,Passwords",
        "missing.pdf,other,,,2026-09-18,Missing",
        "empty.pdf,invoice,ghost-node,,18/09/2026,Listed twice",
    ]
    (folder / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return docs


def test_hostile_documents_never_break_the_pack_or_escape_it(tmp_path: Path) -> None:
    docs = hostile_documents(tmp_path)
    out = tmp_path / "out" / "pack"
    result = build_pack(
        request(out, pdf=False, documents=docs, manifest=tmp_path / "manifest.csv"), screener
    )
    html = (out / "evidence.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    names = sorted(p.name for p in (out / "documents").iterdir())
    assert all(re.fullmatch(r"\d\d-[A-Za-z0-9._-]+", n) for n in names), names
    assert len(names) == 4  # the four files inside the folder
    assert not (out / "secret.txt").exists() and "outside the documents folder" not in html
    gaps = "\n".join(result.gaps)
    for expected in (
        "the file is empty (0 bytes)",
        "the PDF cannot be read",
        "'../secret.txt' is not a file inside the documents folder",
        "'/etc/passwd' is not a file inside the documents folder",
        "'missing.pdf': no such file",
        "'invoice' is not a kind of document",
        "'ghost-node' is not a node of the supply graph",
        "'18/09/2026' is not a date YYYY-MM-DD",
        "is listed already (row 3)",
    ):
        assert expected in gaps, expected
    assert verify(out).ok
    # Nothing was written beside the pack but the pack and its zip.
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["pack", "pack.zip"]


def test_a_yaml_manifest_gives_the_same_pack_as_the_csv(tmp_path: Path) -> None:
    a = tmp_path / "a" / "pack"
    b = tmp_path / "b" / "pack"
    build_pack(request(a, pdf=False), screener)
    build_pack(request(b, pdf=False, manifest=EXAMPLE / "manifest.yaml"), screener)
    assert (a / "evidence.html").read_bytes() == (b / "evidence.html").read_bytes()


def test_a_shipment_that_names_no_graph_node_asks_for_the_manufacturer(tmp_path: Path) -> None:
    from uflpa.errors import UsageError

    shipments = ROOT / "uflpa" / "data" / "examples" / "shipments.csv"
    with pytest.raises(UsageError, match="--manufacturer"):
        build_pack(
            request(tmp_path / "p", pdf=False, shipment_file=shipments, shipment_id="SHP-0005"),
            screener,
        )
    assert not (tmp_path / "p").exists()


def test_a_shipment_given_directly_is_screened_like_a_row_of_a_file(tmp_path: Path) -> None:
    args = [
        "--party", "manufacturer=Saigon Needlecraft Garment Co. Ltd.",
        "--party", "manufacturer_address=Thuan An, Binh Duong, Vietnam",
        "--goods", "hts=6109.10.0012", "--goods", "description=cotton T-shirts",
        "--goods", "country_of_origin=VN", "--goods", "import_date=2026-10-14",
        "--goods", "id=PO-77",
        "--nodes", str(CHAIN / "nodes.csv"), "--edges", str(CHAIN / "edges.csv"),
        "--no-pdf", "--no-zip", "--built", "2026-12-07",
    ]  # fmt: skip
    direct = _uflpa("evidence", "build", *args, "--out", str(tmp_path / "direct"))
    assert direct.returncode == 0, direct.stderr
    from_file = _uflpa(
        "evidence", "build", "--shipment", str(EXAMPLE / "shipment.csv"),
        "--nodes", str(CHAIN / "nodes.csv"), "--edges", str(CHAIN / "edges.csv"),
        "--no-pdf", "--no-zip", "--built", "2026-12-07", "--out", str(tmp_path / "file"),
    )  # fmt: skip
    assert from_file.returncode == 0, from_file.stderr
    a = json.loads((tmp_path / "direct" / "manifest.json").read_text(encoding="utf-8"))
    b = json.loads((tmp_path / "file" / "manifest.json").read_text(encoding="utf-8"))
    assert a["shipment"] == "PO-77" and a["conclusion"] == b["conclusion"] == "hit"
    bad = _uflpa("evidence", "build", "--party", "nobody", "--nodes", "x", "--out", "y")
    assert bad.returncode == 2 and "FIELD=VALUE" in bad.stderr
