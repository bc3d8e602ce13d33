"""The bundled example files are what the generator script makes, in the encodings they claim."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = Path(str(resources.files("uflpa.data").joinpath("examples")))


def test_committed_examples_are_what_the_script_makes() -> None:
    res = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_example_shipments.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert res.returncode == 0, res.stdout + res.stderr


def test_gbk_variant_is_gbk_with_chinese_names() -> None:
    data = (EXAMPLES / "shipments_gbk.csv").read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        raise AssertionError("the GBK example decodes as UTF-8: it is not GBK")
    text = data.decode("gbk")
    assert "新疆大全新能源股份有限公司" in text or "合盛硅业（鄯善）有限公司" in text
    assert text.splitlines()[0].startswith("id,manufacturer,manufacturer_address")


def test_examples_readme_says_the_data_is_invented_and_counts_right() -> None:
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    assert "invented" in readme and "make_example_shipments.py" in readme
    utf8 = (EXAMPLES / "shipments.csv").read_text(encoding="utf-8").strip().splitlines()
    gbk = (EXAMPLES / "shipments_gbk.csv").read_bytes().decode("gbk").strip().splitlines()
    assert f"{len(utf8) - 1} data rows" in readme
    assert f"{len(gbk) - 1} rows of the same data" in readme
