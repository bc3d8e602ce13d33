"""`uflpa locate` driven end to end, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "uflpa", *args], capture_output=True, text=True, check=False
    )


def test_locate_json_shape_and_most_specific_place_first() -> None:
    res = run("locate", "新疆喀什地区疏附县 844100", "--format", "json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert set(out) == {"in_xinjiang", "confidence", "places", "signals", "reason"}
    assert out["in_xinjiang"] == "yes" and 0.9 <= out["confidence"] <= 1.0
    assert [p["code"] for p in out["places"]] == ["653121", "653100", "650000"]
    assert set(out["places"][0]) == {"code", "name", "name_zh", "level", "span"}
    assert out["places"][0]["span"] == [6, 9]
    assert {"strength": "strong", "kind": "postal_code"}.items() <= out["signals"][-1].items()


def test_locate_country_option_turns_aksu_away() -> None:
    res = run("locate", "Aksu", "--country", "KZ", "--format", "json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["in_xinjiang"] == "no" and out["places"] == []
    assert out["signals"][0]["kind"] == "false_friend"


def test_locate_json_answer_is_three_way_so_a_weak_signal_is_not_read_as_false() -> None:
    answers = {}
    for text in ("Urumqi 830000", "Zip: 841000", "Room 838201, Nanshan District, Shenzhen 518000"):
        res = run("locate", text, "--format", "json")
        assert res.returncode == 0, res.stderr
        answers[text] = json.loads(res.stdout)["in_xinjiang"]
    assert list(answers.values()) == ["yes", "possible", "no"], answers
    res = run("locate", "Zip: 841000")  # the table says it in words too
    assert "possible" in res.stdout


def test_locate_table_lists_places_and_signals() -> None:
    res = run("locate", "Urumqi Road, Shanghai")
    assert res.returncode == 0, res.stderr
    assert "in_xinjiang" in res.stdout and "no" in res.stdout
    assert "street name" in res.stdout and "signals" in res.stdout


def test_locate_csv_is_one_row() -> None:
    res = run("locate", "Kashgar, Xinjiang", "--format", "csv")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.strip().splitlines()
    assert lines[0] == "in_xinjiang,confidence,places,signals,reason"
    assert len(lines) == 2 and lines[1].startswith("yes,")


def test_locate_usage_errors_exit_2_without_traceback() -> None:
    res = run("locate", "Urumqi", "--format", "xml")
    assert res.returncode == 2 and "Traceback" not in res.stderr
    res = run("locate")
    assert res.returncode == 2 and "Traceback" not in res.stderr
