"""A hint in a message about a user's file names only options the command that read it has
(`uflpa.io.hints`): `screen` and `watch add` have --column and --encoding, `trace` only
--encoding, `compare --pairs` and `evidence build` neither. Each command reads files that trigger
each kind of hint (a missing column, a header of control characters, a row in another encoding,
two name columns), and every option its messages name must be in its --help."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parents[2] / "uflpa" / "data" / "examples"
NODES = (EXAMPLES / "chains" / "cotton" / "nodes.csv").read_bytes()
EDGES = (EXAMPLES / "chains" / "cotton" / "edges.csv").read_bytes()

#: The header each command's file needs, and a good row after it.
HEADERS = {
    "party": (b"id,name,country", b"P1,M\xfcller Maschinenbau GmbH,DE"),
    "pairs": (b"name1,name2", b"M\xfcller Maschinenbau GmbH,Mueller Maschinenbau"),
    "nodes": (b"id,name,country", b"n1,M\xfcller Maschinenbau GmbH,DE"),
    "shipment": (b"id,manufacturer,hts,import_date", b"S1,M\xfcller GmbH,5201.00,2026-01-05"),
}


def faults(header: bytes, good: bytes) -> dict[str, bytes]:
    """Files that make a reader give each kind of hint."""
    width = header.count(b",")
    return {
        "missing column": b"foo,bar\n1,2\n",
        "control characters in the header": b"a\x07\x01b,c\x02\n1,2\n",
        # A Western (cp1252) row and a UTF-8 Chinese one: whichever encoding is chosen, one
        # of the two rows is reported with the fix.
        "a row in another encoding": header
        + b"\n"
        + good
        + b"\n"
        + "P2,新疆天棉基业纺织有限公司".encode()
        + b",CN" * (width - 1)
        + b"\n",
    }


def _run(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "UFLPA_HOME": str(home), "COLUMNS": "200"}
    env.pop("UFLPA_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "uflpa", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


Command = Callable[[Path, bytes], list[str]]

COMMANDS: dict[str, tuple[list[str], str, Command]] = {
    "screen": (["screen"], "party", lambda d, b: ["screen", str(_write(d / "f.csv", b))]),
    "watch add": (
        ["watch", "add"],
        "party",
        lambda d, b: ["watch", "add", str(_write(d / "f.csv", b))],
    ),
    "trace": (
        ["trace"],
        "nodes",
        lambda d, b: ["trace", str(_write(d / "n.csv", b)), str(_write(d / "e.csv", EDGES))],
    ),
    "compare --pairs": (
        ["compare"],
        "pairs",
        lambda d, b: ["compare", "--pairs", str(_write(d / "p.csv", b)), "--no-list"],
    ),
    "evidence build": (
        ["evidence", "build"],
        "shipment",
        lambda d, b: [
            "evidence",
            "build",
            "--shipment",
            str(_write(d / "s.csv", b)),
            "--nodes",
            str(_write(d / "n.csv", NODES)),
            "--edges",
            str(_write(d / "e.csv", EDGES)),
            "--out",
            str(d / "pack"),
            "--no-pdf",
            "--no-zip",
            "--shipment-id",
            "S1",
        ],
    ),
}

_OPTION = re.compile(r"(?<![\w-])--[a-z][a-z-]*")
_help: dict[str, str] = {}


def options_of(command: list[str], home: Path) -> set[str]:
    key = " ".join(command)
    if key not in _help:
        _help[key] = _run([*command, "--help"], home).stdout
    return set(_OPTION.findall(_help[key]))


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_option_a_hint_names_is_one_the_command_has(tmp_path: Path, name: str) -> None:
    command, kind, args_of = COMMANDS[name]
    home = tmp_path / "home"
    home.mkdir()
    have = options_of(command, home)
    assert "--help" in have and len(have) > 3  # the help was read
    cases = faults(*HEADERS[kind])
    if kind == "party":
        cases["two name columns"] = b"id,name,supplier\nP1,Acme,Beta\n"
    said = []
    for fault, data in cases.items():
        folder = tmp_path / fault.replace(" ", "-")
        folder.mkdir()
        proc = _run(args_of(folder, data), home)
        text = proc.stdout + proc.stderr
        assert "Traceback" not in text, text[-3000:]
        named = set(_OPTION.findall(text))
        assert named <= have, f"{name}, {fault}: names {named - have}, not in --help\n{text}"
        # Every case was reported with a fix: an option the command has, or what to change.
        fixes = ("--column", "--encoding", "--kind", "renaming", "save the file as UTF-8")
        assert any(fix in text for fix in fixes), f"{name}, {fault}: no fix said\n{text[-3000:]}"
        said.append(fault)
    assert len(said) == len(cases)
