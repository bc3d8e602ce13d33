"""The bundled evidence example is what scripts/make_evidence_example.py makes, and well formed.

The documents are binaries (PDF, PNG) committed next to the script that makes them; these tests
keep the two from drifting apart and check the structure `uflpa evidence build` relies on: PDFs
any reader opens (a valid xref table), a manifest whose rows point at real files, known kinds and
real node ids, and the CSV and YAML forms of the manifest saying the same thing.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "make_evidence_example.py"
BUNDLED = ROOT / "uflpa" / "data" / "examples" / "evidence" / "cotton"
NODES = ROOT / "uflpa" / "data" / "examples" / "chains" / "cotton" / "nodes.csv"
KINDS = {
    "purchase_order", "commercial_invoice", "packing_list", "bill_of_lading", "proof_of_payment",
    "production_record", "supplier_invoice", "supply_contract", "certificate_of_origin",
    "affidavit", "audit_report", "other",
}  # fmt: skip
COLUMNS = ["file", "kind", "party", "shipment", "date", "title"]


def files_under(folder: Path) -> dict[str, bytes]:
    """Every file of a folder by its relative path, for a byte-for-byte comparison."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def read_manifest_csv() -> list[dict[str, str]]:
    """The CSV manifest's rows, header checked first."""
    with (BUNDLED / "manifest.csv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == COLUMNS
        return list(reader)


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder the script writes now, run as a user runs it (a separate process)."""
    out = tmp_path_factory.mktemp("evidence") / "cotton"
    res = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert res.returncode == 0, res.stdout + res.stderr
    return out


def test_committed_folder_is_byte_identical_to_the_script_output(rebuilt: Path) -> None:
    made, committed = files_under(rebuilt), files_under(BUNDLED)
    assert sorted(made) == sorted(committed)
    differ = [name for name in made if made[name] != committed[name]]
    assert not differ, f"rerun scripts/make_evidence_example.py; differ: {differ}"


def test_check_option_accepts_the_committed_folder() -> None:
    res = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, check=False
    )
    assert res.returncode == 0, res.stdout + res.stderr


def test_script_output_is_deterministic(rebuilt: Path, tmp_path: Path) -> None:
    """Two runs give the same bytes: no clock, seed or library default leaks into a file."""
    subprocess.run([sys.executable, str(SCRIPT), "--out", str(tmp_path)], check=True)
    assert files_under(tmp_path) == files_under(rebuilt)


@pytest.mark.parametrize("pdf", sorted((BUNDLED / "documents").glob("*.pdf")), ids=lambda p: p.name)
def test_pdf_is_well_formed(pdf: Path) -> None:
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-1.4\n")
    assert data.rstrip(b"\r\n").endswith(b"%%EOF")
    startxref = int(re.findall(rb"startxref\s+(\d+)\s+%%EOF", data)[-1])
    assert data[startxref:].startswith(b"xref")
    head = re.match(rb"xref\s+(\d+) (\d+)\s+", data[startxref:])
    assert head is not None
    first, count = int(head.group(1)), int(head.group(2))
    assert first == 0
    table = data[startxref + head.end() :]
    entries = [table[i * 20 : (i + 1) * 20] for i in range(count)]
    assert entries[0] == b"0000000000 65535 f \n"
    for number, entry in enumerate(entries[1:], start=1):
        m = re.fullmatch(rb"(\d{10}) (\d{5}) n \n", entry)
        assert m is not None, entry
        offset = int(m.group(1))
        assert data[offset:].startswith(b"%d 0 obj" % number), (pdf.name, number, offset)
    assert table[count * 20 :].startswith(b"trailer")
    assert re.search(rb"/Size %d\b" % count, table[count * 20 :])
    assert data.count(b" 0 obj") == count - 1
    assert b"/Count 1 " in data or b"/Count 2 " in data  # one or two pages
    assert b"INVENTED EXAMPLE DATA" in data


@pytest.mark.parametrize("png", sorted((BUNDLED / "documents").glob("*.png")), ids=lambda p: p.name)
def test_png_is_small_and_has_no_software_or_date(png: Path) -> None:
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) < 60_000
    assert b"tEXt" not in data and b"iTXt" not in data and b"tIME" not in data


def test_manifest_rows_point_at_files_with_known_kinds_and_parties() -> None:
    rows = read_manifest_csv()
    with NODES.open(encoding="utf-8", newline="") as f:
        node_ids = {row["id"] for row in csv.DictReader(f)}
    assert 8 <= len(rows) <= 12
    for row in rows:
        assert (BUNDLED / "documents" / row["file"]).is_file(), row["file"]
        assert row["kind"] in KINDS, row
        assert row["party"] == "" or row["party"] in node_ids, row
        assert row["shipment"] in {"", "SHP-EV-0001"}, row
        assert re.fullmatch(r"2026-\d\d-\d\d", row["date"]), row
        assert row["title"]
    listed = {row["file"] for row in rows}
    on_disk = {p.name for p in (BUNDLED / "documents").iterdir()}
    assert listed == on_disk
    # The gap the example exists to show: nothing from the ginning tier in Xinjiang.
    assert "cn-golden-field-gin" not in {row["party"] for row in rows}


def test_yaml_and_csv_manifests_agree() -> None:
    loaded = yaml.safe_load((BUNDLED / "manifest.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, list)
    assert [list(item) for item in loaded] == [COLUMNS] * len(loaded)
    as_text = [{k: "" if v is None else str(v) for k, v in item.items()} for item in loaded]
    assert as_text == read_manifest_csv()


def test_shipment_file_has_the_one_shipment_in_the_screen_format() -> None:
    with (BUNDLED / "shipment.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 1
    row = rows[0]
    assert row["id"] == "SHP-EV-0001"
    assert row["manufacturer"] == "Saigon Needlecraft Garment Co. Ltd."
    assert row["country_of_origin"] == "VN" and row["hts"] == "6109.10.0012"
    assert row["import_date"] == "2026-10-14"


def test_uflpa_screen_reads_the_shipment_file_without_error_rows(tmp_path: Path) -> None:
    env = {**os.environ, "UFLPA_HOME": str(tmp_path)}
    res = subprocess.run(
        [sys.executable, "-m", "uflpa", "screen", str(BUNDLED / "shipment.csv")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert res.returncode == 0, res.stderr
    assert "rows not screened 0" in res.stderr
    results = [json.loads(line) for line in res.stdout.splitlines() if line.strip()]
    assert [r["id"] for r in results] == ["SHP-EV-0001"]
    assert results[0]["verdict"] == "clear"  # a Vietnamese maker: the gap is for the pack to show


def test_readme_says_invented_and_gives_both_commands() -> None:
    text = (BUNDLED / "README.md").read_text(encoding="utf-8")
    assert "INVENTED" in text
    assert "python scripts/make_evidence_example.py" in text
    assert "uflpa evidence build --example cotton --out evidence-pack" in text
