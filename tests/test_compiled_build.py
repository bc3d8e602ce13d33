"""The mypyc-compiled install answers exactly as the pure-Python source does.

`pip install .` compiles the screening path with mypyc (hatch_build.py). The tests import the
source tree, which is first on the path, so this file runs the installed package (`python -P`,
which leaves the working directory off the path) beside the source on the same inputs and
compares their output byte for byte. In an editable or pure-Python install there is nothing to
compare and the test skips, unless UFLPA_REQUIRE_COMPILED=1 (CI sets it) makes that a failure.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from benchmarks.synthetic_names import CompanyNames

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases" / "matching.yml"


def _installed_compiled(cwd: Path) -> list[str]:
    proc = subprocess.run(
        [
            sys.executable,
            "-P",
            "-c",
            "import json; from uflpa.compiled import compiled_modules; "
            "print(json.dumps(compiled_modules()))",
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    modules: list[str] = json.loads(proc.stdout)
    return modules


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory outside the source tree, from which `python -P` runs the installed uflpa."""
    cwd = tmp_path_factory.mktemp("installed")
    if not _installed_compiled(cwd):
        if os.environ.get("UFLPA_REQUIRE_COMPILED") == "1":
            pytest.fail("UFLPA_REQUIRE_COMPILED=1 but the installed uflpa is pure Python")
        pytest.skip("the installed uflpa is not compiled (editable or pure-Python install)")
    return cwd


def _both(installed: Path, *args: str) -> tuple[str, str]:
    """stdout of `uflpa ARGS` from the installed (compiled) package and from the source tree."""
    out = []
    for cmd, cwd in (
        ([sys.executable, "-P", "-m", "uflpa", *args], installed),
        ([sys.executable, "-m", "uflpa", *args], ROOT),
    ):
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
        assert proc.returncode == 0, proc.stderr[-2000:]
        out.append(proc.stdout)
    return out[0], out[1]


def test_source_tree_is_pure_python() -> None:
    from uflpa.compiled import compiled_modules

    assert compiled_modules() == []


def test_installed_build_names_its_compiled_modules(installed: Path) -> None:
    modules = _installed_compiled(installed)
    # The per-row path of hatch_build.py's module list, at least.
    for name in ("uflpa.names.analyze", "uflpa.match.matcher", "uflpa.scoring.features"):
        assert name in modules


def test_screening_parties_gives_identical_output(installed: Path, tmp_path: Path) -> None:
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    names = [str(c["query"]) for c in cases]
    gen = CompanyNames(seed=11)
    names += [gen.name(i) for i in range(1500)]
    path = tmp_path / "parties.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "name", "country"])
        for i, name in enumerate(names):
            writer.writerow([f"P{i}", name, "CN" if i % 3 else ""])
    compiled, pure = _both(installed, "screen", str(path), "--format", "jsonl")
    assert len(compiled.splitlines()) == len(names)
    assert compiled == pure


def test_screening_example_shipments_gives_identical_output(
    installed: Path, tmp_path: Path
) -> None:
    # The bundled example file, at one path for both (the output names the file of a bad row).
    path = tmp_path / "shipments.csv"
    path.write_bytes((ROOT / "uflpa" / "data" / "examples" / "shipments.csv").read_bytes())
    compiled, pure = _both(installed, "screen", str(path), "--format", "jsonl")
    assert compiled.count("\n") > 100
    assert compiled == pure


def test_compare_pairs_gives_identical_output(installed: Path, tmp_path: Path) -> None:
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    queries = [str(c["query"]) for c in cases]
    path = tmp_path / "pairs.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["name1", "name2"])
        for a, b in zip(queries, queries[1:] + queries[:1], strict=True):
            writer.writerow([a, b])
    compiled, pure = _both(installed, "compare", "--pairs", str(path), "--format", "jsonl")
    assert len(compiled.splitlines()) == len(queries)
    assert compiled == pure
