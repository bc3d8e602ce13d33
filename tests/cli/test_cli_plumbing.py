"""Input and output plumbing: input from stdin, a pipe or a FIFO is read; output that cannot be
written (a closed pipe, a full disk, a terminal that is not UTF-8) ends with one line and no
traceback, and leaves no half-written file under the output's name; error rows keep their id and
reason in every format; a terminal never receives an escape sequence from a user's file."""

from __future__ import annotations

import csv
import io
import json
import os
import resource
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from uflpa.cli.app import app, main

PARTIES = (
    "id,name,country\n"
    "P1,新疆大全新能源股份有限公司,CN\n"
    'P2,=HYPERLINK("http://evil.example";"x"),US\n'
    "P3,,CN\n"  # no name: an error row that keeps its id
    "P4,Walmart Inc.,US,EXTRA\n"  # a field too many: an error row that keeps its id
    "P5,Acme \x1b[2J\x1b]0;pwned\x07 Trading,US\n"
)


def write(path: Path, text: str = PARTIES) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def invoke(*args: str, input: str | None = None) -> Any:
    # A wide terminal, so that a table's cells are not folded across lines.
    result = CliRunner().invoke(app, list(args), input=input, env={"COLUMNS": "1000"})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def uflpa(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "uflpa", *args], text=True, check=False, **kwargs)


def one_error_line(stderr: str) -> str:
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("uflpa: error:")]
    assert len(errors) == 1, stderr
    return errors[0]


# --- input ----------------------------------------------------------------------------------


def test_dash_reads_the_file_from_stdin() -> None:
    res = invoke("screen", "-", "--engine", "rows", input=PARTIES)
    assert res.exit_code == 0, res.stderr
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["P1", "P2", "P3", "P4", "P5"]
    assert rows[0]["verdict"] == "hit"
    assert rows[2]["file"] == "stdin"  # named as given, not as the temporary copy
    assert "stdin: row 4" in res.stderr and "of stdin" in res.stderr


def test_a_fifo_is_read(tmp_path: Path) -> None:
    fifo = tmp_path / "parties.csv"
    os.mkfifo(fifo)

    def feed() -> None:
        with fifo.open("w", encoding="utf-8") as out:
            out.write(PARTIES)

    writer = threading.Thread(target=feed)
    writer.start()
    try:
        res = invoke("screen", str(fifo), "--engine", "rows")
    finally:
        writer.join(timeout=30)
    assert res.exit_code == 0, res.stderr
    assert len(res.stdout.splitlines()) == 5
    assert f"{fifo}: row 4" in res.stderr


def test_dev_stdin_on_a_pipe_is_read() -> None:
    proc = uflpa("screen", "/dev/stdin", "--format", "csv", input=PARTIES, capture_output=True)
    assert proc.returncode == 0, proc.stderr
    assert len(list(csv.reader(io.StringIO(proc.stdout)))) == 6


# --- output that cannot be written ----------------------------------------------------------


def test_a_closed_pipe_is_one_line() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "uflpa", "screen", "--example", "--engine", "rows"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the first row
    stderr = proc.stderr.read()
    assert proc.wait() != 0
    assert "broken pipe" in one_error_line(stderr)


def test_a_full_disk_on_stdout_is_one_line(tmp_path: Path) -> None:
    with open("/dev/full", "w") as full:
        proc = uflpa("screen", str(write(tmp_path / "p.csv")), stdout=full, stderr=subprocess.PIPE)
    assert proc.returncode != 0
    assert "No space left on device" in one_error_line(proc.stderr)


def _small_disk() -> None:
    """The child's files cannot grow past 16 kB (a full disk, without root)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (16_000, 16_000))


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_a_full_disk_leaves_no_half_written_output(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"results{suffix}"
    proc = uflpa(
        "screen", "--example", "--output", str(out), capture_output=True, preexec_fn=_small_disk
    )
    assert proc.returncode != 0
    assert str(out) in one_error_line(proc.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # neither the file nor a part


def test_a_terminal_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    f = write(tmp_path / "p.csv")
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    proc = uflpa("screen", str(f), "--format", "table", capture_output=True, env=env)
    assert proc.returncode != 0
    assert "PYTHONIOENCODING=utf-8" in one_error_line(proc.stderr)


# --- error rows keep their id and reason ----------------------------------------------------


def _error_cells(rows: list[dict[str, Any]]) -> dict[str, str]:
    return {r["id"]: r["error"] for r in rows if r["verdict"] == "error"}


def test_error_rows_keep_id_and_reason_in_every_format(tmp_path: Path) -> None:
    f = write(tmp_path / "p.csv")
    found: dict[str, dict[str, str]] = {}
    res = invoke("screen", str(f), "--engine", "rows")
    found["jsonl"] = _error_cells([json.loads(line) for line in res.stdout.splitlines()])
    res = invoke("screen", str(f), "--engine", "rows", "--format", "csv")
    found["csv"] = _error_cells(list(csv.DictReader(io.StringIO(res.stdout))))
    for suffix in (".parquet", ".xlsx", ".csv"):
        out = tmp_path / f"out{suffix}"
        assert invoke("screen", str(f), "--output", str(out)).exit_code == 0
        if suffix == ".parquet":
            table = pq.read_table(out).to_pylist()
        elif suffix == ".xlsx":
            sheet = openpyxl.load_workbook(out).active
            assert sheet is not None
            values = [[c.value for c in r] for r in sheet.iter_rows()]
            table = [dict(zip(values[0], r, strict=True)) for r in values[1:]]
        else:
            table = list(csv.DictReader(out.open(encoding="utf-8")))
        found[suffix] = _error_cells(table)
    for fmt, errors in found.items():
        assert set(errors) == {"P3", "P4"}, fmt
        assert "required value is empty" in errors["P3"], fmt
        assert "fields" in errors["P4"], fmt
    table = invoke("screen", str(f), "--engine", "rows", "--format", "table").stdout
    assert "reasons" in table and "error" in table and "P3" in table and "P4" in table
    assert "listed-party" in table and "required value is" in table


# --- CSV cells and the terminal ----------------------------------------------------------------


def test_screen_csv_neutralises_formulas_unless_raw(tmp_path: Path) -> None:
    f = write(tmp_path / "p.csv")
    safe = invoke("screen", str(f), "--engine", "rows", "--format", "csv").stdout
    raw = invoke("screen", str(f), "--engine", "rows", "--format", "csv", "--raw-csv").stdout
    name = {r["id"]: r["name"] for r in csv.DictReader(io.StringIO(safe))}["P2"]
    assert name == '\'=HYPERLINK("http://evil.example";"x")'
    name = {r["id"]: r["name"] for r in csv.DictReader(io.StringIO(raw))}["P2"]
    assert name == '=HYPERLINK("http://evil.example";"x")'


def test_no_escape_sequence_reaches_the_terminal(tmp_path: Path) -> None:
    f = write(
        tmp_path / "s\x1b[2J.csv",  # named in every problem line and in the summary
        "id,manufacturer,hts,import_date\n"
        "S1,Acme \x1b[2J Co,6109.10,2024-01-01\n"
        "S2,Walmart,6109.10,\x1b[2J2024\n",  # its problem line quotes the cell
    )
    res = invoke("screen", str(f), "--engine", "rows", "--format", "table")
    assert res.exit_code == 0
    assert "\x1b" not in res.stdout and "\x1b" not in res.stderr
    assert "\ufffd[2J.csv: row 3, column 'import_date'" in res.stderr  # still told


def test_the_error_line_has_no_escape_sequence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no\x1b[2Jfile.csv"
    with pytest.raises(SystemExit) as exit_:
        main(["screen", str(missing)])
    assert exit_.value.code != 0
    err = capsys.readouterr().err
    assert "\x1b" not in err and "no such file" in one_error_line(err)


@pytest.mark.parametrize("name", ["", "   "])
def test_match_without_a_name_is_a_usage_error(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["match", name])
    assert exit_.value.code == 2
    out, err = capsys.readouterr()
    assert "NAME" in one_error_line(err) and "clear" not in out
