"""`uflpa trace` driven as a user runs it: examples, FtM input, --node, formats, drawings and
error paths (one line, no traceback)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from uflpa.cli.app import app

CHAINS = Path(str(resources.files("uflpa.data").joinpath("examples/chains")))


def invoke(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def rows(output: str) -> dict[str, dict[str, Any]]:
    out = {}
    for line in output.splitlines():
        if line.startswith("{"):
            row = json.loads(line)
            out[row["id"]] = row
    return out


def test_example_jsonl_shape() -> None:
    result = invoke("trace", "--example", "cotton", "--as-of", "2024-06-01")
    assert result.exit_code == 0, result.output
    got = rows(result.stdout)
    assert len(got) == 10
    importer = got["us-harbor-line"]
    assert {"id", "verdict", "own_reasons", "exposure"} <= set(importer)
    assert importer["verdict"] == "hit" and importer["exposure"][0]["tier"] == 4
    assert importer["exposure"][0]["path"][-1] == "cn-golden-field-gin"
    assert got["us-cedar-trail"]["verdict"] == "clear"
    assert "hit 6, review 0, clear 4" in result.stderr


def test_csv_pair_node_filter_and_ftm_agree() -> None:
    solar = CHAINS / "solar"
    a = invoke("trace", str(solar / "nodes.csv"), str(solar / "edges.csv"), "--as-of",
               "2024-06-01", "--node", "us-desert-bloom", "--format", "json")  # fmt: skip
    b = invoke("trace", str(solar / "solar.ftm.json"), "--as-of", "2024-06-01",
               "--node", "us-desert-bloom", "--format", "json")  # fmt: skip
    assert a.exit_code == 0 and b.exit_code == 0
    ja, jb = json.loads(a.stdout), json.loads(b.stdout)
    assert len(ja) == 1 and ja[0]["verdict"] == "hit"
    assert [e["path"] for e in ja[0]["exposure"]] == [e["path"] for e in jb[0]["exposure"]]


def test_table_and_drawings(tmp_path: Path) -> None:
    svg, page = tmp_path / "g.svg", tmp_path / "g.html"
    result = invoke("trace", "--example", "solar", "--as-of", "2024-06-01", "--format", "table",
                    "--graph", str(svg))  # fmt: skip
    assert result.exit_code == 0 and "us-sunward" in result.stdout
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    result = invoke("trace", "--example", "cotton", "--as-of", "2024-06-01", "--graph", str(page))
    text = page.read_text(encoding="utf-8")
    assert "<svg" in text and "us-harbor-line" in text
    assert "http://" not in text.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in text


def run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "UFLPA_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "uflpa", *args], capture_output=True, text=True, env=env, check=False
    )


def test_errors_are_one_line(tmp_path: Path) -> None:
    nodes, edges = tmp_path / "n.csv", tmp_path / "e.csv"
    nodes.write_text("id,name\na,Alpha\n", encoding="utf-8")
    edges.write_text("source,target,relation\na,b,supplies\n", encoding="utf-8")
    done = run("trace", str(nodes), str(edges), home=tmp_path)
    assert done.returncode == 4
    assert done.stderr.strip() == (
        f"uflpa: error: {edges}, row 2, column 'target': unknown node id 'b' (not in {nodes})"
    )
    done = run("trace", "--example", "cotton", "--node", "nope", home=tmp_path)
    assert done.returncode == 3 and "Traceback" not in done.stderr
    done = run("trace", "--example", "cotton", "--graph", str(tmp_path / "g.png"), home=tmp_path)
    assert done.returncode == 2 and ".svg or .html" in done.stderr
