"""Docs stay true to the code: the CLI reference is regenerated from `--help` and compared."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_cli_reference_matches_help() -> None:
    res = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_cli_docs.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert res.returncode == 0, res.stdout + res.stderr


def test_every_command_is_in_the_reference() -> None:
    from uflpa.cli.app import app

    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    names = [c.name for c in app.registered_commands] + [g.name for g in app.registered_groups]
    for name in names:
        assert f"`uflpa {name}" in text, name
