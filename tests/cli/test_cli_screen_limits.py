"""`uflpa screen` on files with hostile value sizes: the row is an error row, never `clear`, and
the run stays within seconds and bounded memory, with either engine."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bounded import limit_memory


@pytest.mark.parametrize("engine", ["local", "rows"])
@pytest.mark.parametrize("size", [50_000, 1_000_000, 100 * 1024 * 1024])
def test_an_overlong_name_is_an_error_row_within_bounded_memory(
    tmp_path: Path, engine: str, size: int
) -> None:
    path = tmp_path / "parties.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write("id,name,country\nP-1,Acme Ltd,CN\nP-2,")
        left = size
        while left > 0:
            out.write("a" * min(left, 1024 * 1024))
            left -= 1024 * 1024
        out.write(",CN\nP-3,Xinjiang Zhongtai Chemical Co Ltd,CN\n")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "uflpa",
            "screen",
            str(path),
            "--engine",
            engine,
            "--format",
            "jsonl",
        ],
        preexec_fn=limit_memory,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = {row["row"]: row for row in map(json.loads, proc.stdout.splitlines())}
    assert rows[3]["verdict"] == "error" and "too long" in rows[3]["error"]
    assert rows[3]["column"] == "name"
    assert rows[4]["verdict"] == "hit"
    assert "rows not screened 1" in proc.stderr
