"""The same input gives the same answer in every process: ties among candidates must not be broken
by set or dict order, which changes with Python's per-process hash seed."""

from __future__ import annotations

import json
import os
import subprocess
import sys

SCRIPT = """
import csv, json
from importlib import resources
from uflpa.lists.bundled import load_bundled
from uflpa.match import Matcher
m = Matcher([load_bundled()])
path = resources.files("uflpa") / "data" / "examples" / "shipments.csv"
# Names whose closest listed names tie or nearly tie, as many unlisted names' do.
names = {"Hami Yili Aluminum Co., Ltd.", "Guangzhou Hehua Knitting Co., Ltd."}
names.add("塔城飞启棉业有限责任公司")
with path.open(encoding="utf-8") as fh:
    for row in csv.DictReader(fh):
        names.update(row[c] for c in ("manufacturer", "seller", "exporter", "supplier") if row[c])
out = [[(r.entity_id, r.score) for r in m.match(q, top_k=5)] for q in sorted(names)]
print(json.dumps(out))
"""


def _run(seed: str) -> list[object]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, check=True
    )
    result: list[object] = json.loads(proc.stdout)
    return result


def test_results_do_not_depend_on_the_hash_seed() -> None:
    first = _run("1")
    assert len(first) > 150
    for seed in ("2", "3", "4", "5"):
        assert _run(seed) == first
