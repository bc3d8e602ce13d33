"""Feature explanations survive `python -OO`, which strips docstrings from compiled code: the
evidence must read the same however the interpreter was started."""

from __future__ import annotations

import json
import subprocess
import sys

ARGS = ["compare", "Hoshine Silicon Industry (Shanshan) Co., Ltd", "合盛硅业（鄯善）有限公司"]


def _features(*flags: str) -> dict[str, dict[str, object]]:
    proc = subprocess.run(
        [sys.executable, *flags, "-m", "uflpa", *ARGS, "--format", "json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    features: dict[str, dict[str, object]] = json.loads(proc.stdout)["features"]
    return features


def test_explanations_are_the_same_under_OO() -> None:
    normal, stripped = _features(), _features("-OO")
    assert normal
    for name, entry in normal.items():
        assert entry["why"], name
        assert stripped[name]["why"] == entry["why"], name


def test_every_explanation_is_a_whole_sentence() -> None:
    # A docstring summary that wraps onto a second line was once cut at the line break.
    from uflpa.scoring.features import FEATURES, QUALIFIERS

    for name, spec in {**FEATURES, **QUALIFIERS}.items():
        assert spec.explanation.rstrip(")").endswith((".", "?")), (name, spec.explanation)
