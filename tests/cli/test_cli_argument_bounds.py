"""Values given on the command line (`match`, `compare`, `locate`, `hts`) have the bound a file's
values have (UFLPA_MAX_FIELD_CHARS): a longer one is a one-line usage error naming the bound,
before any list is loaded, in a process limited to 1.5 GB. `compare --pairs` reads its file with
the bounded reader: an overlong pair is an error row, the others are compared."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bounded import limit_memory
from uflpa.settings import MAX_FIELD_CHARS

MEGABYTE = "Xinjiang Zhongtai Chemical " * (1_000_000 // 27)


def invoke(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI in a process limited to 1.5 GB, its arguments read from stdin: the operating
    system refuses a single argument over 128 KiB to a new process, the CLI does not."""
    code = "import json, sys; from uflpa.cli.app import main; main(json.load(sys.stdin))"
    return subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(list(args)),
        env={**os.environ, "COLUMNS": "1000", **(env or {})},
        preexec_fn=limit_memory,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (["match", MEGABYTE], "match NAME"),
        (["match", "Acme", "--address", MEGABYTE], "match --address"),
        (["match", "Acme", "--identifier", "1", "--identifier", MEGABYTE], "match --identifier"),
        (["match", "Acme", "--country", MEGABYTE], "match --country"),
        (["compare", "Acme", MEGABYTE], "compare NAME2"),
        (["compare", MEGABYTE, "Acme", "--no-list"], "compare NAME1"),
        (["locate", MEGABYTE], "locate ADDRESS"),
        (["locate", "Urumqi", "--country", MEGABYTE], "locate --country"),
        (["hts", "5201" * 250_000], "hts CODE"),
    ],
)
def test_an_overlong_argument_is_a_one_line_usage_error(args: list[str], what: str) -> None:
    result = invoke(*args)
    assert result.returncode == 2, result.stderr[-2000:]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    size = len(max(args, key=len))
    assert lines[0] == (
        f"uflpa: error: {what}: {size:,} characters, more than the {MAX_FIELD_CHARS:,} a value "
        "may have (UFLPA_MAX_FIELD_CHARS sets another bound)"
    )
    assert result.stdout == ""


def test_the_bound_is_the_environment_s_and_a_value_at_the_bound_is_read() -> None:
    env = {"UFLPA_MAX_FIELD_CHARS": "12"}
    refused = invoke("locate", "Urumqi City, X", env=env)
    assert refused.returncode == 2
    assert "locate ADDRESS: 14 characters, more than the 12 a value" in refused.stderr
    read = invoke(
        "locate", "Urumqi, China", "--format", "json", env={"UFLPA_MAX_FIELD_CHARS": "13"}
    )
    assert read.returncode == 0, read.stderr
    assert json.loads(read.stdout)["in_xinjiang"] == "yes"
    bad = invoke("hts", "5201", env={"UFLPA_MAX_FIELD_CHARS": "lots"})
    assert bad.returncode == 2 and "UFLPA_MAX_FIELD_CHARS='lots'" in bad.stderr


def test_compare_pairs_reads_its_file_with_the_bound(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        f"name1,name2\nAcme Ltd,Acme Limited\n{MEGABYTE},Acme\nHoshine,合盛硅业\n", "utf-8"
    )
    result = invoke("compare", "--pairs", str(pairs), "--no-list", "--format", "jsonl")
    assert result.returncode == 0, result.stderr[-2000:]
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["row"] for r in rows] == [2, 3, 4]
    assert "score" in rows[0] and "score" in rows[2]
    assert rows[1]["error"].startswith(f"value too long: {len(MEGABYTE.strip()):,} characters")
    assert f"row 3: value too long: {len(MEGABYTE.strip()):,}" in result.stderr
