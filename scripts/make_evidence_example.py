"""Build the bundled example inputs of `uflpa evidence build` (invented data), byte for byte.

    .venv/bin/python scripts/make_evidence_example.py              # write the bundled folder
    .venv/bin/python scripts/make_evidence_example.py --out DIR    # write elsewhere
    .venv/bin/python scripts/make_evidence_example.py --check      # fail if it would change

Writes `uflpa/data/examples/evidence/cotton/`: one shipment (`shipment.csv`, in the format
`uflpa screen` reads), the documents an importer would hold for it and for its supply chain
(`uflpa/data/examples/chains/cotton/`), a manifest of them as CSV and as YAML, and a README.

Why a script and not committed files alone: an evidence pack is only as credible as its
documents, and hand-edited binaries drift silently. Here every document is text in this file, the
PDFs come from a tiny hand-written PDF 1.4 writer (no third-party PDF library, so the bytes do not
change with a library upgrade, and the files stay a few KB) and the two "scanned" images from
matplotlib with a fixed seed and no software/date metadata. Running it twice gives the same
bytes, so the test can hold the committed folder to the script.

Every company, address, number, date and document is INVENTED; each document says so on its
face. The ginning tier of the chain (cn-golden-field-gin, Aksu, Xinjiang) deliberately has no
document, so the pack built from this example shows a gap in the tracing.
"""

from __future__ import annotations

import argparse
import csv
import filecmp
import hashlib
import io
import sys
import tempfile
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "uflpa" / "data" / "examples"
CHAIN = EXAMPLES / "chains" / "cotton"
OUT = EXAMPLES / "evidence" / "cotton"

SHIPMENT_ID = "SHP-EV-0001"
SHIPMENT_HEADERS = [
    "id", "manufacturer", "manufacturer_address", "seller", "exporter", "supplier",
    "country_of_origin", "hts", "description", "import_date",
]  # fmt: skip
MANIFEST_HEADERS = ["file", "kind", "party", "shipment", "date", "title"]
KINDS = (
    "purchase_order", "commercial_invoice", "packing_list", "bill_of_lading", "proof_of_payment",
    "production_record", "supplier_invoice", "supply_contract", "certificate_of_origin",
    "affidavit", "audit_report", "other",
)  # fmt: skip
INVENTED = "INVENTED EXAMPLE DATA - not a real document, company or transaction"

# Page geometry of the PDFs: US Letter, one text column.
PAGE_W, PAGE_H = 612, 792
LEFT, TOP, BOTTOM = 54, 738, 60
LEADING = 14
WRAP = 92  # characters of 10 pt Helvetica that fit between the margins, with room to spare

# A document line: a paragraph (wrapped), a row of cells at fixed x positions, or a page break.
Cells = tuple[str, ...]
Line = str | Cells | None
PAGE_BREAK: Line = None
COLS = (54, 250, 360, 440, 520)


@dataclass(frozen=True)
class Doc:
    """One document of the example and its manifest row."""

    file: str
    kind: str
    party: str
    shipment: str
    date: str
    title: str
    lines: list[Line] = field(default_factory=list)
    cols: tuple[int, ...] = COLS


# --- the parties, as nodes.csv names them ------------------------------------------------------


def read_nodes() -> dict[str, dict[str, str]]:
    """The chain's nodes by id: documents quote names and addresses from there, not from copies."""
    with (CHAIN / "nodes.csv").open(encoding="utf-8", newline="") as f:
        return {row["id"]: row for row in csv.DictReader(f)}


def party(nodes: dict[str, dict[str, str]], node_id: str) -> str:
    """`Name, address, country` of a node, as a document's address block writes it."""
    n = nodes[node_id]
    return f"{n['name']}, {n['address']} ({n['country']})"


# --- the documents -----------------------------------------------------------------------------


def documents(nodes: dict[str, dict[str, str]]) -> list[Doc]:
    """The documents of the shipment and its chain; no ginning-tier document, on purpose."""
    importer = party(nodes, "us-harbor-line")
    maker = party(nodes, "vn-needlecraft")
    weaver = party(nodes, "cn-riverbend-weaving")
    spinner = party(nodes, "cn-lotus-spinning")
    dhaka = party(nodes, "bd-dhaka-knitwear")
    karachi = party(nodes, "pk-karachi-mills")
    cedar = party(nodes, "us-cedar-trail")
    style = "HL-TS-2607 men's crew-neck T-shirt, 100% cotton jersey, knitted"
    return [
        Doc("01-purchase-order.pdf", "purchase_order", "us-harbor-line", SHIPMENT_ID,
            "2026-07-06", "Purchase order HLA-PO-26-0418", [
            "Purchase order no. HLA-PO-26-0418          Date: 2026-07-06",
            f"Buyer: {importer}",
            f"Supplier: {maker}",
            "",
            ("Item", "HTS", "Quantity", "Unit USD", "Total USD"),
            (style[:34], "6109.10.0012", "24,000 pcs", "2.85", "68,400.00"),
            "",
            "Incoterm: FOB Cat Lai, Ho Chi Minh City. Ship by 2026-09-25. Payment: T/T 30 days "
            "after bill of lading date.",
            "Supplier shall trace all cotton in these goods to the bale and disclose every "
            "supplier of fabric, yarn and lint on request (Harbor Line Supplier Code, sec. 4.2).",
            "",
            "Authorized: M. Reyes, Sourcing Manager, Harbor Line Apparel Inc.",
        ]),
        Doc("02-commercial-invoice.pdf", "commercial_invoice", "vn-needlecraft", SHIPMENT_ID,
            "2026-09-18", "Commercial invoice SNG-INV-26-1187", [
            "Invoice no. SNG-INV-26-1187          Date: 2026-09-18",
            f"Seller and exporter: {maker}",
            f"Buyer and consignee: {importer}",
            "Buyer's order: HLA-PO-26-0418. Country of origin: Viet Nam.",
            "",
            ("Description", "HTS", "Quantity", "Unit USD", "Amount USD"),
            ("Cotton T-shirts, men's, knitted", "6109.10.0012", "24,000 pcs", "2.85", "68,400.00"),
            ("", "", "", "Total FOB", "68,400.00"),
            "",
            "Fabric: 100% cotton fabric from Jiangsu Riverbend Weaving Co. Ltd. (invoice "
            "JRW-26-0932). Made in Thuan An, Binh Duong, Viet Nam.",
            "Shipment reference: SHP-EV-0001. Vessel: MV Pacific Lantern, voyage 026E.",
        ]),
        Doc("03-packing-list.pdf", "packing_list", "vn-needlecraft", SHIPMENT_ID,
            "2026-09-18", "Packing list SNG-PL-26-1187", [
            "Packing list no. SNG-PL-26-1187 to invoice SNG-INV-26-1187          Date: 2026-09-18",
            f"Shipper: {maker}",
            f"Consignee: {importer}",
            "",
            ("Cartons", "Sizes", "Pcs/carton", "Pieces", "Gross kg"),
            ("1-200", "S", "30", "6,000", "1,180"),
            ("201-500", "M", "30", "9,000", "1,770"),
            ("501-700", "L", "30", "6,000", "1,190"),
            ("701-800", "XL", "30", "3,000", "600"),
            ("800 cartons", "", "", "24,000", "4,740"),
            "",
            "Container: TGHU 804512-6 (40' high cube), seal VN2609183. Net weight 4,210 kg.",
            "Carton marks: HARBOR LINE / HLA-PO-26-0418 / MADE IN VIET NAM / C/NO. 1-800",
        ]),
        Doc("04-bill-of-lading.png", "bill_of_lading", "", SHIPMENT_ID,
            "2026-09-21", "Bill of lading PLSU-HCM-260921-07 (scan)"),
        Doc("05-proof-of-payment.pdf", "proof_of_payment", "us-harbor-line", SHIPMENT_ID,
            "2026-10-02", "Wire transfer confirmation for invoice SNG-INV-26-1187", [
            "Outgoing wire transfer - confirmation          Value date: 2026-10-02",
            "Bank: First Pacific Commerce Bank, Los Angeles (invented)",
            "Reference: FPCB-WT-2610020047",
            "",
            ("Field", "", "Value"),
            ("Ordering customer", "", "Harbor Line Apparel Inc., account ****4471"),
            ("Beneficiary", "", "Saigon Needlecraft Garment Co. Ltd."),
            ("Beneficiary bank", "", "Mekong Trade Bank, Binh Duong branch"),
            ("Amount", "", "USD 68,400.00"),
            ("Remittance info", "", "INV SNG-INV-26-1187 PO HLA-PO-26-0418"),
            "",
            "Status: executed. Charges: OUR. This confirmation was issued electronically.",
        ], cols=(54, 200, 200)),
        Doc("06-production-record.png", "production_record", "vn-needlecraft", SHIPMENT_ID,
            "2026-09-08", "Cutting and sewing record, lot SNG-LOT-2608 (photo)"),
        Doc("07-certificate-of-origin.pdf", "certificate_of_origin", "vn-needlecraft",
            SHIPMENT_ID, "2026-09-19", "Certificate of origin VN-CO-26-55201", [
            "Certificate of origin no. VN-CO-26-55201          Issued: 2026-09-19",
            "Issuing body: Binh Duong Chamber of Commerce (invented)",
            f"Exporter: {maker}",
            f"Consignee: {importer}",
            "Goods: 24,000 pcs cotton T-shirts, men's, knitted, HTS 6109.10.0012, 800 cartons, "
            "invoice SNG-INV-26-1187.",
            "Country of origin: Viet Nam (cut, knit-to-shape and sewn in Viet Nam).",
            "",
            "Note: a certificate of origin states where the goods were last substantially "
            "transformed; it says nothing about where the cotton was grown.",
        ]),
        Doc("08-fabric-invoice.pdf", "supplier_invoice", "cn-riverbend-weaving", "",
            "2026-07-24", "Fabric invoice JRW-26-0932 (Riverbend to Needlecraft)", [
            "Invoice no. JRW-26-0932          Date: 2026-07-24",
            f"Seller: {weaver}",
            f"Buyer: {maker}",
            "Buyer's order: SNG-FPO-26-311 for lot SNG-LOT-2608 (Harbor Line PO HLA-PO-26-0418).",
            "",
            ("Description", "HTS", "Quantity", "Unit USD", "Amount USD"),
            ("Cotton fabric, 160 g/m2", "5208.52", "6,400 kg", "4.10", "26,240.00"),
            "",
            "Yarn: combed cotton yarn Ne 30/1 from Henan Lotus Cotton Spinning Co. Ltd., "
            "yarn lots HL-Y-2606-14 and HL-Y-2606-15 (contract HLS-SC-2026-07).",
            "Shipped CIF Cat Lai, 2026-07-28.",
        ]),
        Doc("09-yarn-supply-contract.pdf", "supply_contract", "cn-lotus-spinning", "",
            "2026-01-15", "Yarn supply contract HLS-SC-2026-07 (Lotus to Riverbend)", [
            "Supply contract no. HLS-SC-2026-07          Signed: 2026-01-15",
            f"Supplier: {spinner}",
            f"Buyer: {weaver}",
            "",
            "1. Goods. Combed cotton yarn, Ne 20/1 to Ne 40/1, HTS 5205.24, about 180 tonnes "
            "a year in monthly call-offs.",
            "2. Term. 2026-02-01 to 2027-01-31.",
            "3. Price. Quoted per call-off against the monthly cotton index; payment 60 days.",
            "4. Quality. Per the buyer's yarn specification RBW-Y-07, rev. 3.",
            PAGE_BREAK,
            "5. Origin of cotton. The supplier states the ginned lint it spins is bought from "
            "Golden Field Cotton Ginning Co. Ltd., Aksu, and other ginners, and shall keep "
            "lint purchase records for each yarn lot for five years.",
            "6. Records. Ginning and bale records are NOT attached to this contract.",
            "7. Law. This contract is governed by the law of the People's Republic of China.",
            "",
            "Signed for the supplier: Zhang Wei (invented)    Signed for the buyer: Li Na "
            "(invented)",
        ]),
        Doc("10-dhaka-knitwear-invoice.pdf", "supplier_invoice", "bd-dhaka-knitwear", "",
            "2026-06-11", "Dhaka Knitwear invoice DKW-26-0577 (other branch)", [
            "Invoice no. DKW-26-0577          Date: 2026-06-11",
            f"Seller: {dhaka}",
            f"Buyer: {importer}",
            "",
            ("Description", "HTS", "Quantity", "Unit USD", "Amount USD"),
            ("Cotton T-shirts, women's", "6109.10.0040", "12,000 pcs", "2.60", "31,200.00"),
            "",
            f"Fabric: cotton knit fabric from {karachi}; lint from US ginners "
            "(Lubbock Gin Co., Lubbock, TX).",
            f"Not part of shipment SHP-EV-0001; the same factory also supplies {cedar}.",
        ]),
    ]  # fmt: skip


# --- a tiny PDF 1.4 writer ---------------------------------------------------------------------


def pdf_string(text: str) -> bytes:
    """A PDF literal string: WinAnsi bytes with the three special characters escaped."""
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def text_at(x: float, y: float, font: str, size: float, text: str, gray: float = 0.0) -> bytes:
    """One positioned run of text, as content-stream operators."""
    return b"BT %.3g g /%s %g Tf %g %g Td %s Tj ET\n" % (
        gray,
        font.encode(),
        size,
        x,
        y,
        pdf_string(text),
    )


def paginate(lines: Sequence[Line]) -> list[list[Line]]:
    """Split on explicit page breaks and on overflow, after wrapping long paragraphs."""
    per_page = (TOP - 70 - BOTTOM) // LEADING
    pages: list[list[Line]] = [[]]
    for line in lines:
        if line is None:
            pages.append([])
            continue
        chunks: list[Line] = [line] if isinstance(line, tuple) else []
        if isinstance(line, str):
            chunks = list(textwrap.wrap(line, WRAP)) or [""]
        for chunk in chunks:
            if len(pages[-1]) >= per_page:
                pages.append([])
            pages[-1].append(chunk)
    return pages


def page_content(doc: Doc, lines: list[Line], number: int, count: int) -> bytes:
    """A page: the invented-data banner, the title, the lines, and a footer with the page."""
    out = [
        b"0.85 0.1 0.1 RG 1.5 w 48 %d 516 26 re S\n" % (TOP + 10),
        b"BT 0.8 0.1 0.1 rg /F2 10 Tf 58 %d Td %s Tj ET\n" % (TOP + 19, pdf_string(INVENTED)),
        text_at(LEFT, TOP - 28, "F2", 15, doc.title),
    ]
    header = next((line for line in doc.lines if isinstance(line, tuple)), None)
    y = TOP - 60
    for line in lines:
        if isinstance(line, tuple):
            bold = line == header  # the first row of cells is the table's header
            for x, cell in zip(doc.cols, line, strict=False):
                if cell:
                    out.append(text_at(x, y, "F2" if bold else "F1", 10, cell))
        elif line:
            out.append(text_at(LEFT, y, "F1", 10, line))
        y -= LEADING
    footer = f"{doc.file} - page {number} of {count} - {INVENTED}"
    out.append(text_at(LEFT, 36, "F1", 7, footer, gray=0.4))
    return b"".join(out)


def pdf_bytes(doc: Doc) -> bytes:
    """A complete PDF 1.4 file with a correct xref table and no clock in it.

    The creation date is the document's own date and the file ID a hash of the content, so the
    same text always gives the same bytes.
    """
    pages = paginate(doc.lines)
    n_pages = len(pages)
    first_page = 6  # objects 1-5: catalog, pages, two fonts, info
    page_ids = [first_page + 2 * i for i in range(n_pages)]
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % p for p in page_ids), n_pages),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Title %s /Subject %s /Producer (uflpa scripts/make_evidence_example.py) "
        b"/CreationDate (D:%s120000Z) >>"
        % (pdf_string(doc.title), pdf_string(INVENTED), doc.date.replace("-", "").encode()),
    ]
    for i, lines in enumerate(pages):
        stream = page_content(doc, lines, i + 1, n_pages)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
            b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>"
            % (PAGE_W, PAGE_H, page_ids[i] + 1)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    buf = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(buf))
        buf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(buf)
    buf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        buf += b"%010d 00000 n \n" % off
    file_id = hashlib.md5(bytes(buf), usedforsecurity=False).hexdigest().encode()
    buf += b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R /ID [<%s> <%s>] >>\n" % (
        len(objects) + 1,
        file_id,
        file_id,
    )
    buf += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(buf)


# --- the two "scanned" images ------------------------------------------------------------------


def png_bytes(doc: Doc, draw: str, nodes: dict[str, dict[str, str]]) -> bytes:
    """A small grayscale "scan" drawn with matplotlib, with no Software or date metadata.

    The speckles come from a fixed seed and the text is slightly rotated, so the image looks
    scanned yet is the same on every run.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.patches import Circle, Rectangle
    from PIL import Image

    rng = np.random.default_rng(20261014 if draw == "bl" else 20260908)
    fig = plt.figure(figsize=(6.0, 7.6), dpi=90)
    fig.patch.set_facecolor("#f3f1ea")
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 127)
    ax.axis("off")
    ax.scatter(rng.uniform(0, 100, 260), rng.uniform(0, 127, 260), s=0.4, c="#9a988f", lw=0)
    tilt = 0.8 if draw == "bl" else -0.6
    ax.add_patch(Rectangle((3, 119), 94, 5, fill=False, ec="#b22222", lw=1.2))
    ax.text(50, 121.5, INVENTED, ha="center", va="center", color="#b22222", fontsize=7.2,
            weight="bold")  # fmt: skip

    def put(x: float, y: float, text: str, size: float = 8.0, bold: bool = False) -> None:
        weight = "bold" if bold else "normal"
        ax.text(x, y, text, fontsize=size, rotation=tilt, rotation_mode="anchor",
                weight=weight, color="#222222", family="DejaVu Sans")  # fmt: skip

    if draw == "bl":
        put(5, 111, "BILL OF LADING (original)   No. PLSU-HCM-260921-07", 10.5, bold=True)
        put(5, 105, "Carrier: Pacific Lantern Shipping Line (invented)")
        rows = [
            ("Shipper", nodes["vn-needlecraft"]["name"]),
            ("", nodes["vn-needlecraft"]["address"]),
            ("Consignee", nodes["us-harbor-line"]["name"]),
            ("", nodes["us-harbor-line"]["address"]),
            ("Notify party", "same as consignee"),
            ("Vessel / voyage", "MV Pacific Lantern / 026E"),
            ("Port of loading", "Cat Lai, Ho Chi Minh City, Viet Nam"),
            ("Port of discharge", "Los Angeles, CA, USA"),
            ("Container / seal", "TGHU 804512-6 (40'HC) / VN2609183"),
            ("Packages", "800 cartons, 4,740 kg gross, 38.2 m3"),
            ("Description", "Cotton T-shirts, men's, knitted, HTS 6109.10"),
            ("References", "Invoice SNG-INV-26-1187, PO HLA-PO-26-0418"),
            ("Freight", "Collect"),
            ("Shipped on board", "2026-09-21"),
        ]
        y = 97.0
        for label, value in rows:
            ax.plot([4, 96], [y - 1.6, y - 1.6], color="#bdbab0", lw=0.5)
            put(5, y, label, 7.5, bold=True)
            put(33, y, value, 7.5)
            y -= 5.6
        ax.add_patch(Circle((78, 12), 8, fill=False, ec="#3b5ba5", lw=1.5))
        ax.text(78, 12, "SHIPPED\nON BOARD\n2026-09-21", ha="center", va="center",
                fontsize=6.5, color="#3b5ba5", rotation=14)  # fmt: skip
        put(5, 8, "Signed for the carrier as agent (invented)", 7)
    else:
        put(5, 111, "CUTTING AND SEWING RECORD - lot SNG-LOT-2608", 10.5, bold=True)
        put(5, 105, f"{nodes['vn-needlecraft']['name']}, line 3 and 4", 8)
        put(5, 100, "Order HLA-PO-26-0418, style HL-TS-2607 (men's crew-neck T-shirt)", 8)
        head = ("Date", "Fabric roll lot", "Cut pcs", "Sewn pcs", "QC pass")
        xs = (5, 22, 52, 68, 84)
        days = [
            ("2026-08-24", "JRW-0932-R01..R40", "6,120", "6,050", "6,010"),
            ("2026-08-28", "JRW-0932-R41..R80", "6,110", "6,080", "6,040"),
            ("2026-09-02", "JRW-0932-R81..R120", "6,100", "6,060", "6,020"),
            ("2026-09-08", "JRW-0932-R121..R160", "6,060", "5,990", "5,950"),
        ]
        y = 91.0
        for x, h in zip(xs, head, strict=True):
            put(x, y, h, 7.5, bold=True)
        for day in days:
            y -= 7
            ax.plot([4, 96], [y + 4.6, y + 4.6], color="#bdbab0", lw=0.5)
            for x, cell in zip(xs, day, strict=True):
                put(x, y, cell, 7.5)
        put(5, y - 10, "Total QC pass 24,020 pcs; 24,000 pcs packed for SHP-EV-0001.", 8)
        put(5, y - 16, "Fabric: Jiangsu Riverbend Weaving invoice JRW-26-0932.", 8)
        put(5, y - 26, "Line supervisor: Nguyen T. Lan (invented)   Checked: QA dept.", 8)
        ax.add_patch(Rectangle((2, 2), 96, 123, fill=False, ec="#55544f"))
    # Saved as 8-bit grayscale like a scanner's output: a third of matplotlib's RGBA PNG in
    # size. Pillow (a dependency of matplotlib) writes no Software, date or other text chunk.
    fig.canvas.draw()
    rgba = np.asarray(fig.canvas.buffer_rgba())  # type: ignore[attr-defined]
    plt.close(fig)
    buf = io.BytesIO()
    Image.fromarray(rgba, "RGBA").convert("L").save(buf, format="PNG", optimize=True)
    return buf.getvalue()


# --- the folder --------------------------------------------------------------------------------


def shipment_csv(nodes: dict[str, dict[str, str]]) -> str:
    """The one shipment line, in the header and style of the bundled shipments.csv."""
    maker = nodes["vn-needlecraft"]
    row = {
        "id": SHIPMENT_ID,
        "manufacturer": maker["name"],
        "manufacturer_address": maker["address"],
        "seller": maker["name"],
        "exporter": maker["name"],
        "supplier": "",
        "country_of_origin": "VN",
        "hts": "6109.10.0012",
        "description": "cotton T-shirts, men's, knitted",
        "import_date": "2026-10-14",
    }
    buf = io.StringIO()
    writer = csv.DictWriter(buf, SHIPMENT_HEADERS, lineterminator="\n")
    writer.writeheader()
    writer.writerow(row)
    return buf.getvalue()


def manifest_rows(docs: list[Doc]) -> list[dict[str, str]]:
    """The manifest: one row per document, the keys of MANIFEST_HEADERS in that order."""
    return [
        {
            "file": d.file,
            "kind": d.kind,
            "party": d.party,
            "shipment": d.shipment,
            "date": d.date,
            "title": d.title,
        }
        for d in docs
    ]


def manifest_csv(rows: list[dict[str, str]]) -> str:
    """The manifest as CSV (UTF-8, LF), the form a spreadsheet user edits."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, MANIFEST_HEADERS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def manifest_yaml(rows: list[dict[str, str]]) -> str:
    """The same manifest as YAML; dates stay quoted strings, so both forms read the same."""
    import yaml

    head = "# Manifest of the documents of the invented cotton example (see README.md).\n"
    body: str = yaml.safe_dump(rows, sort_keys=False, allow_unicode=True, width=100)
    return head + body


def readme(docs: list[Doc]) -> str:
    """The folder's README: what it is, that it is invented, how to rebuild it and use it."""
    table = "\n".join(
        f"| `{d.file}` | {d.kind} | {d.party or '-'} | {d.shipment or '-'} | {d.date} |"
        for d in docs
    )
    return f"""# Evidence pack example: cotton T-shirts (invented data)

The inputs of an example **evidence pack**: the documents an importer hands US Customs and
Border Protection when a shipment is detained under the UFLPA, to show the goods were not made
wholly or in part in Xinjiang. It goes with the example supply chain in
`uflpa/data/examples/chains/cotton/`.

**Everything here is INVENTED EXAMPLE DATA**: the companies, addresses, document numbers, bank
references, dates and amounts are made up, and every document says so on its face. Do not read
anything in them as a statement about a real firm.

- `shipment.csv`: the shipment `{SHIPMENT_ID}` (men's cotton T-shirts made by Saigon
  Needlecraft Garment Co. Ltd. in Viet Nam, imported 2026-10-14), in the format `uflpa screen`
  reads;
- `documents/`: {len(docs)} documents (small text PDFs and two "scanned" PNG images);
- `manifest.csv` and `manifest.yaml`: the same list of the documents, one per row, with the
  columns `file` (relative to `documents/`), `kind`, `party` (a node id of the chain, empty when
  the document concerns the shipment only), `shipment` (empty for chain documents), `date` and
  `title`.

| file | kind | party | shipment | date |
| --- | --- | --- | --- | --- |
{table}

There is deliberately **no document for the ginning tier** (`cn-golden-field-gin`, Aksu,
Xinjiang), the source of the lint that Henan Lotus spins: the pack built from this example shows
that gap, which is exactly what CBP would ask about.

Build the pack:

    uflpa evidence build --example cotton --out evidence-pack

Rebuild this folder (deterministic: no clock, fixed seeds, fixed PDF ids and PNG metadata; the
output is byte-identical on every run; `--check` fails if the committed files are not current):

    python scripts/make_evidence_example.py
"""


def build(out: Path) -> list[Path]:
    """Write the whole folder under `out`; returns the files written, relative to `out`."""
    nodes = read_nodes()
    docs = documents(nodes)
    for d in docs:
        if d.kind not in KINDS or (d.party and d.party not in nodes):
            raise SystemExit(f"bad manifest row in the script: {d}")
    files: dict[str, bytes] = {}
    for d in docs:
        path = f"documents/{d.file}"
        if d.file.endswith(".pdf"):
            files[path] = pdf_bytes(d)
        else:
            files[path] = png_bytes(d, "bl" if d.kind == "bill_of_lading" else "prod", nodes)
    rows = manifest_rows(docs)
    files["shipment.csv"] = shipment_csv(nodes).encode("utf-8")
    files["manifest.csv"] = manifest_csv(rows).encode("utf-8")
    files["manifest.yaml"] = manifest_yaml(rows).encode("utf-8")
    files["README.md"] = readme(docs).encode("utf-8")
    (out / "documents").mkdir(parents=True, exist_ok=True)
    # Drop documents an earlier version of the script made and this one no longer does.
    for stale in (out / "documents").iterdir():
        if stale.suffix in {".pdf", ".png"} and f"documents/{stale.name}" not in files:
            stale.unlink()
    for rel, data in files.items():
        (out / rel).write_bytes(data)
    return [Path(rel) for rel in files]


def differences(a: Path, b: Path) -> list[str]:
    """Files that differ between two folders, or exist in one only (recursively)."""
    cmp = filecmp.dircmp(a, b)
    out: list[str] = []

    def walk(c: filecmp.dircmp[str], prefix: str) -> None:
        for name in c.left_only + c.right_only + c.funny_files:
            out.append(prefix + name)
        _, mismatch, errors = filecmp.cmpfiles(c.left, c.right, c.common_files, shallow=False)
        out.extend(prefix + name for name in mismatch + errors)
        for name, sub in sorted(c.subdirs.items()):
            walk(sub, f"{prefix}{name}/")

    walk(cmp, "")
    return sorted(out)


def main(argv: Sequence[str] | None = None) -> int:
    """Write the folder, or with --check tell whether the committed one is current."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"folder to write (default {OUT})")
    parser.add_argument(
        "--check", action="store_true", help="fail if the folder differs from what would be made"
    )
    args = parser.parse_args(argv)
    if args.check:
        if not args.out.is_dir():
            print(f"{args.out} does not exist; run: python {Path(__file__).name}", file=sys.stderr)
            return 1
        with tempfile.TemporaryDirectory() as tmp:
            build(Path(tmp))
            diff = differences(Path(tmp), args.out)
        if diff:
            print(f"{args.out} is not current; differs: {', '.join(diff)}", file=sys.stderr)
            print("run: python scripts/make_evidence_example.py", file=sys.stderr)
            return 1
        print(f"{args.out} is current")
        return 0
    written = build(args.out)
    total = sum((args.out / p).stat().st_size for p in written)
    print(f"wrote {len(written)} files ({total:,} bytes) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
