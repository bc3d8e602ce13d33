"""`uflpa compare` uses what the list knows: an English and a Chinese name of one listed entity."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def test_english_and_chinese_names_of_one_listed_entity(tmp_path: Path) -> None:
    env = {**os.environ, "UFLPA_HOME": str(tmp_path)}
    args = [sys.executable, "-m", "uflpa", "compare", "Xinjiang Daqo New Energy Co., Ltd.",
            "新疆大全新能源股份有限公司", "--format", "json"]  # fmt: skip
    with_list = json.loads(subprocess.run(args, capture_output=True, text=True, env=env).stdout)
    assert with_list["verdict"] == "hit"
    assert with_list["basis"] == "same_listed_entity"
    assert with_list["features"]["same_listed_entity"]["compared"]["entity_id"] == "UFLPA-009"
    free = subprocess.run([*args, "--no-list"], capture_output=True, text=True, env=env)
    assert json.loads(free.stdout)["verdict"] != "hit"  # 'Daqo' is not the pinyin of 大全
