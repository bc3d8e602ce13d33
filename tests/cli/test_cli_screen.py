"""`uflpa screen` driven as a user runs it: shipment files, party files, the example, bad rows.

Most runs go through typer's in-process runner (the bundled matcher is built once per process);
error paths run the real console script, since only it turns errors into one line and an exit code.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from uflpa.cli.app import app

EXAMPLE = Path(str(resources.files("uflpa.data").joinpath("examples/shipments.csv")))
EXAMPLE_GBK = EXAMPLE.with_name("shipments_gbk.csv")


def data_rows(path: Path) -> int:
    """Non-blank lines after the header (the example has no multi-line records)."""
    with path.open(encoding="utf-8") as fh:
        return sum(1 for line in fh if line.strip()) - 1


def invoke(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "UFLPA_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "uflpa", *args], capture_output=True, text=True, env=env, check=False
    )


def lines(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def summary_counts(text: str) -> dict[str, int]:
    m = re.search(r"hit (\d+), review (\d+), clear (\d+); rows not screened (\d+)", text)
    assert m, text
    return dict(zip(["hit", "review", "clear", "error"], map(int, m.groups()), strict=True))


@pytest.fixture(scope="module")
def example_run() -> Any:
    return invoke("screen", "--example")


# --- the bundled example ------------------------------------------------------------------------


def test_example_one_line_per_input_row_and_a_summary_that_adds_up(example_run: Any) -> None:
    assert example_run.exit_code == 0, example_run.stderr
    rows = lines(example_run.stdout)
    assert len(rows) == data_rows(EXAMPLE)  # good rows + reported rows = input rows
    counts = Counter(r["verdict"] for r in rows)
    assert summary_counts(example_run.stderr) == {
        v: counts[v] for v in ("hit", "review", "clear", "error")
    }
    assert counts["hit"] > 50 and counts["review"] > 50 and counts["clear"] > 100
    assert "uflpa/data/examples/shipments.csv" in example_run.stderr
    assert "rows by rule:" in example_run.stderr and "top listed entities" in example_run.stderr
    assert "rows/s" in example_run.stderr
    # stdout carries only the data
    assert "uflpa: screened" not in example_run.stdout


def test_example_rows_get_the_verdict_their_scenario_claims(example_run: Any) -> None:
    with EXAMPLE.open(encoding="utf-8", newline="") as fh:
        scenario = {i: rec[-1] for i, rec in enumerate(csv.reader(fh), start=1) if i > 1}
    for row in lines(example_run.stdout):
        expected = scenario[row["row"]].split(":")[0]
        assert row["verdict"] == expected, (row["row"], scenario[row["row"]], row.get("reasons"))


def test_example_lines_carry_reasons_and_versions(example_run: Any) -> None:
    rules_seen = set()
    for row in lines(example_run.stdout):
        if row["verdict"] == "error":
            assert row["file"] and row["row"] and row["error"]
            continue
        assert set(row["versions"]) == {"list_version", "rules_version", "algorithm"}
        assert (row["verdict"] == "clear") == (not row["reasons"])
        for reason in row["reasons"]:
            assert {"rule", "role", "evidence"} <= set(reason)
            rules_seen.add(reason["rule"])
    assert {"listed-party", "xinjiang-location", "xinjiang-xpcc", "xinjiang-uscc"} <= rules_seen
    assert {"parent-of-listed", "china-high-priority-sector", "xinjiang-weak-signal"} <= rules_seen


def test_example_bad_rows_are_reported_with_file_row_and_reason(example_run: Any) -> None:
    errors = [r for r in lines(example_run.stdout) if r["verdict"] == "error"]
    reasons = " ".join(r["error"] for r in errors)
    assert "expected 13 fields, got 14" in reasons and "no party" in reasons
    for r in errors:
        assert f"row {r['row']}" in example_run.stderr
    dated = [r for r in lines(example_run.stdout) if r.get("issues")]
    assert len(dated) == 2
    for r in dated:
        assert r["verdict"] == "review" and r["as_of"] is None
        assert "current list" in r["as_of_basis"]
        assert any(x["rule"] == "import-date-unreadable" for x in r["reasons"])


def test_gbk_example_gives_the_same_verdicts(example_run: Any) -> None:
    utf8 = {r["id"]: r["verdict"] for r in lines(example_run.stdout) if r.get("id")}
    gbk = invoke("screen", str(EXAMPLE_GBK))
    assert gbk.exit_code == 0
    assert "gb18030" in gbk.stderr or "gbk" in gbk.stderr
    rows = [r for r in lines(gbk.stdout) if r.get("id")]
    assert len(rows) > 50 and any(re.search(r"[\u4e00-\u9fff]", json.dumps(r, ensure_ascii=False))
                                  for r in rows)  # fmt: skip
    for r in rows:
        assert r["verdict"] == utf8[r["id"]], r["id"]


def test_example_table_puts_the_summary_on_stdout() -> None:
    res = invoke("screen", "--example", "--format", "table")
    assert res.exit_code == 0
    assert f"screened {data_rows(EXAMPLE)} row(s)" in res.stdout
    assert "uflpa: screened" not in res.stderr


def test_example_csv_has_one_line_per_row_and_the_versions() -> None:
    res = invoke("screen", "--example", "--format", "csv")
    records = list(csv.DictReader(res.stdout.splitlines()))
    assert len(records) == data_rows(EXAMPLE)
    assert {"verdict", "rules", "why", "list_version", "rules_version", "algorithm"} <= set(
        records[0]
    )


def test_report_holds_every_flagged_row(tmp_path: Path, example_run: Any) -> None:
    out = tmp_path / "report.html"
    res = invoke("screen", "--example", "--report", str(out))
    assert res.exit_code == 0 and out.exists()
    html = out.read_text(encoding="utf-8")
    counts = Counter(r["verdict"] for r in lines(example_run.stdout))
    assert html.count('<section class="row') == counts["hit"] + counts["review"]
    assert "Rows not screened (2)" in html and f"report: {out}" in res.stderr


def test_report_must_be_html(tmp_path: Path) -> None:
    res = run("screen", "--example", "--report", str(tmp_path / "r.pdf"), home=tmp_path)
    assert res.returncode == 2 and "html" in res.stderr and "Traceback" not in res.stderr


# --- shipment files ------------------------------------------------------------------------------


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_bad_rows_are_reported_and_never_screened_as_clean(tmp_path: Path) -> None:
    f = write(
        tmp_path / "ship.csv",
        "id,manufacturer,seller,hts,import_date\n"
        "1,Xinjiang Daqo New Energy Co Ltd,,2804.61,2024-02-01\n"
        "2,Walmart Inc.,,9403.60,2024-02-01,EXTRA\n"  # wrong column count
        "3,,,9403.60,2024-02-01\n"  # no party at all
        "4,Walmart Inc.,,9403.60,not a date\n"  # unreadable date: screened, says so
        '5,"Broken Co,,9403.60,2024-02-01\n'  # broken quoting
        "6,Foshan Hengli Garment Co,,6109.10,2024-02-01\n",
    )
    res = invoke("screen", str(f))
    assert res.exit_code == 0
    rows = {r["row"]: r for r in lines(res.stdout)}
    assert len(rows) == 6  # good rows + reported rows = input rows
    assert rows[2]["verdict"] == "hit"
    for bad in (3, 4, 6):
        assert rows[bad]["verdict"] == "error" and rows[bad]["file"] == str(f)
        assert f"{f}: row {bad}" in res.stderr
    assert "fields" in rows[3]["error"] and "no party" in rows[4]["error"]
    assert "quot" in rows[6]["error"]
    assert rows[5]["verdict"] == "review" and rows[5]["issues"][0]["column"] == "import_date"
    assert rows[5]["as_of_basis"].startswith("unreadable import date")
    assert rows[7]["verdict"] == "review"  # the line after the broken quote is read on its own
    assert summary_counts(res.stderr) == {"hit": 1, "review": 2, "clear": 0, "error": 3}
    assert "Traceback" not in res.stderr


def test_column_mapping_for_other_headers(tmp_path: Path) -> None:
    f = write(
        tmp_path / "erp.csv",
        "Line,Mfr Name,Mfr Addr,Tariff,Ship Date\n"
        'L1,Hengli Agricultural Co,"No. 18 Kashi West Road, Korla, Xinjiang 841000",5201,'
        "2024-02-01\n",
    )
    res = invoke("screen", str(f), "--kind", "shipment", "--column", "id=Line", "--column",
                 "manufacturer=Mfr Name", "--column", "manufacturer_address=Mfr Addr",
                 "--column", "hts=Tariff", "--column", "import_date=Ship Date")  # fmt: skip
    assert res.exit_code == 0, res.stderr
    (row,) = lines(res.stdout)
    assert row["id"] == "L1" and row["verdict"] == "hit"
    assert row["reasons"][0]["rule"] == "xinjiang-location"


def test_as_of_overrides_import_dates(tmp_path: Path) -> None:
    f = write(
        tmp_path / "s.csv",
        "id,manufacturer,import_date\n1,Hongyuan Green Energy Co Ltd,2024-06-01\n",
    )
    before = lines(invoke("screen", str(f)).stdout)[0]
    after = lines(invoke("screen", str(f), "--as-of", "2025-06-01").stdout)[0]
    assert before["verdict"] == "clear" and before["notes"][0]["note"] == "listed-after-date"
    assert after["verdict"] == "hit" and after["as_of_basis"] == "--as-of"


def test_kind_is_detected_from_the_headers(tmp_path: Path) -> None:
    ship = write(tmp_path / "a.csv", "manufacturer,hts\nWalmart Inc.,9403\n")
    party = write(tmp_path / "b.csv", "id,name\n1,Walmart Inc.\n")
    master = write(tmp_path / "c.csv", "id,supplier,country\n1,Walmart Inc.,US\n")
    assert "parties" in lines(invoke("screen", str(ship)).stdout)[0]
    assert "name" in lines(invoke("screen", str(party)).stdout)[0]
    # a supplier master list (a lone 'supplier' column) is a party file...
    assert lines(invoke("screen", str(master)).stdout)[0]["name"] == "Walmart Inc."
    # ...unless told otherwise
    forced = lines(invoke("screen", str(master), "--kind", "shipment").stdout)[0]
    assert forced["parties"] == [{"role": "supplier", "name": "Walmart Inc."}]


def test_undetectable_kind_is_one_clear_error(tmp_path: Path) -> None:
    f = write(tmp_path / "x.csv", "foo,bar\n1,2\n")
    res = run("screen", str(f), home=tmp_path)
    assert res.returncode == 4 and "--kind" in res.stderr and "Traceback" not in res.stderr


def test_shipment_file_without_party_columns_is_refused(tmp_path: Path) -> None:
    f = write(tmp_path / "x.csv", "id,hts,import_date\n1,6109,2024-01-01\n")
    res = run("screen", str(f), "--kind", "shipment", home=tmp_path)
    assert res.returncode == 4 and "manufacturer" in res.stderr and "Traceback" not in res.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--example", "--as-of", "2024-13-45"], "2024-13-45"),
        (["--example", "x.csv"], "not both"),
        ([], "FILE"),
        (["--example", "--column", "nope=X"], "nope"),
    ],
)
def test_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    res = run("screen", *args, home=tmp_path)
    assert res.returncode == 2, res.stderr
    assert message in res.stderr and "Traceback" not in res.stderr


# --- party files (the behaviour from before shipment files) -------------------------------------


def test_party_file_rows_keep_their_shape_and_gain_reasons(tmp_path: Path) -> None:
    f = write(
        tmp_path / "p.csv",
        "id,name,country,address,identifier\n"
        "P1,新疆大全新能源股份有限公司,CN,,\n"
        "P2,Walmart Inc.,US,,\n"
        'P3,Hengli Agricultural Co,CN,"Korla, Bayingolin, Xinjiang",\n'
        "P4,Yongxing New Materials Co,CN,,91650102MA78XKQ35A\n"
        "P5,,CN,,\n",
        "gbk",
    )
    res = invoke("screen", str(f))
    assert res.exit_code == 0
    rows = {r["id"] or r["row"]: r for r in lines(res.stdout)}
    assert len(rows) == 5
    p1 = rows["P1"]
    assert p1["verdict"] == "hit" and p1["entity_id"] == "UFLPA-009"
    assert {"score", "matched_name", "evidence", "reasons", "versions"} <= set(p1)
    assert rows["P2"]["verdict"] == "clear" and rows["P2"]["entity_id"] is None
    assert rows["P2"]["evidence"]["best_candidate"] is None or rows["P2"]["score"] < 0.6
    assert rows["P3"]["verdict"] == "hit" and rows["P3"]["entity_id"] is None
    assert rows["P3"]["reasons"][0]["rule"] == "xinjiang-location"
    assert [r["rule"] for r in rows["P4"]["reasons"]] == ["xinjiang-uscc"]
    # The row without a name is an error row that keeps its id.
    assert rows["P5"]["verdict"] == "error" and rows["P5"]["name"] is None
    assert "screened 5 row(s)" in res.stderr and "rows not screened 1" in res.stderr


def test_the_address_column_supplies_the_place_a_name_lacks(tmp_path: Path) -> None:
    f = write(
        tmp_path / "p.csv",
        "id,name,country,address\n"
        'A1,Esquel Textile Co. Ltd.,CN,"Changji, Xinjiang"\n'
        "A2,Esquel Textile Co. Ltd.,CN,\n"
        "A3,Esquel Textile Co. Ltd.,CN,Guangzhou\n",
    )
    res = invoke("screen", str(f))
    rows = {r["id"]: r for r in lines(res.stdout)}
    assert (rows["A1"]["verdict"], rows["A1"]["entity_id"]) == ("hit", "UFLPA-002")
    features = rows["A1"]["evidence"]["features"]
    assert features["place_in_address"]["value"] == 1.0
    assert rows["A2"]["verdict"] == rows["A3"]["verdict"] == "review"


def test_party_file_report(tmp_path: Path) -> None:
    f = write(tmp_path / "p.csv", "id,name\nP1,Xinjiang Zhongtai Chemical Co Ltd\nP2,Walmart\n")
    out = tmp_path / "r.html"
    res = invoke("screen", str(f), "--report", str(out), "--format", "csv")
    assert res.exit_code == 0
    assert out.read_text(encoding="utf-8").count('<section class="row') == 1
    assert res.stdout.splitlines()[0].startswith("row,id,name,verdict")


# --- progress on a terminal ----------------------------------------------------------------------


def _big_file(path: Path, copies: int) -> Path:
    with EXAMPLE.open(encoding="utf-8", newline="") as fh:
        records = list(csv.reader(fh))
    header, data = records[0], [r for r in records[1:] if len(r) == len(records[0])]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for i in range(copies):
            for r in data:
                writer.writerow([f"{r[0]}-{i}", *r[1:]])
    return path


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_progress_bar_only_on_a_terminal_and_data_stays_on_stdout(tmp_path: Path) -> None:
    import pty

    big = _big_file(tmp_path / "big.csv", 6)  # about 400 KB, above the progress threshold
    out = tmp_path / "out.jsonl"
    import threading

    master, slave = pty.openpty()
    env = {**os.environ, "UFLPA_HOME": str(tmp_path), "COLUMNS": "100"}
    chunks: list[bytes] = []

    def drain() -> None:
        # Read the terminal while the command runs: a pseudo-terminal holds only a few KB, and a
        # bar redrawn for longer (a slow or busy machine) would block the command on a full one.
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    with out.open("w") as stdout:
        proc = subprocess.run([sys.executable, "-m", "uflpa", "screen", str(big)],
                              stdout=stdout, stderr=slave, env=env, check=False)  # fmt: skip
    os.close(slave)
    reader.join(timeout=30)
    os.close(master)
    terminal = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0
    rows = lines(out.read_text(encoding="utf-8"))
    assert len(rows) == 6 * (data_rows(EXAMPLE) - 1)  # every row on stdout, none on the terminal
    assert "screening" in terminal and "uflpa: screened" in terminal
    assert '{"row"' not in terminal
    # without a terminal, no bar
    piped = run("screen", str(big), home=tmp_path)
    assert "\x1b[" not in piped.stderr


def test_xlsx_shipments_with_date_cells_and_other_header_spellings(tmp_path: Path) -> None:
    import datetime as dt

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Shipment ID", "Manufacturer", "HTS Code", "Entry Date", "Country of Origin"])
    ws.append(["X1", "Xinjiang Daqo New Energy Co Ltd", "2804.61.0000", dt.datetime(2024, 3, 5),
               "CN"])  # fmt: skip
    ws.append(["X2", "Foshan Hengli Garment Co", 6109100012, dt.date(2024, 3, 5), "CN"])
    wb.save(tmp_path / "s.xlsx")
    rows = {r["id"]: r for r in lines(invoke("screen", str(tmp_path / "s.xlsx")).stdout)}
    assert rows["X1"]["verdict"] == "hit" and rows["X1"]["as_of"] == "2024-03-05"
    assert rows["X2"]["goods"]["hts"] == "6109.10.0012"  # a number cell keeps its digits
    assert [r["rule"] for r in rows["X2"]["reasons"]] == ["china-high-priority-sector"]
