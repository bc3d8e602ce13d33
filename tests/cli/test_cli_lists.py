"""`uflpa lists ...` driven end to end as a user would: a real process, a real store in UFLPA_HOME.

One store is shared by the read-only commands of this module (module-scoped) to keep the run
short; tests that write get their own home.
"""

import functools
import http.server
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "store"


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "UFLPA_HOME": str(home), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "uflpa", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def assert_one_line_error(res: subprocess.CompletedProcess[str]) -> None:
    assert res.returncode != 0
    assert "Traceback" not in res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("uflpa: error: ")


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("uflpa-home")


@pytest.fixture(scope="module")
def fixture_server() -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(FIXTURES))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize(("day", "count"), [("2024-12-31", 107), ("2025-01-15", 144)])
def test_stats_counts_entities_as_of_a_day(home: Path, day: str, count: int) -> None:
    res = run(home, "lists", "stats", "--as-of", day, "--format", "json")
    assert res.returncode == 0, res.stderr
    stats = json.loads(res.stdout)
    assert stats["entities"] == count
    assert stats["as_of"] == day
    assert stats["coverage"]["official"] is False


def test_stats_table_reads_as_a_summary_with_completeness(home: Path) -> None:
    res = run(home, "lists", "stats", "--as-of", "2024-12-31")
    assert res.returncode == 0, res.stderr
    out = res.stdout
    assert "as of 2024-12-31: 107 entities listed" in out
    year_2024 = next(line for line in out.splitlines() if "│ 2024 " in line)
    assert [cell.strip() for cell in year_2024.split("│")[1:4]] == ["2024", "68", "107"]
    assert "Complete on 2024-12-31" in out
    assert "not the official DHS file" in out


def test_show_jsonl_has_one_entity_per_line(home: Path) -> None:
    res = run(home, "lists", "show", "--as-of", "2025-01-15", "--format", "jsonl")
    assert res.returncode == 0, res.stderr
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(rows) == 144
    for row in rows:
        assert isinstance(row["id"], str) and isinstance(row["name"], str)
        assert isinstance(row["aliases"], list) and isinstance(row["former_names"], list)
        assert isinstance(row["subsidiaries"], bool)
        for listing in row["listings"]:
            assert set(listing) == {"section", "effective_date", "removal_date"}
    changji = next(r for r in rows if r["id"] == "UFLPA-002")
    assert changji["listings"] == [
        {"section": "2(d)(2)(B)(v)", "effective_date": "2024-11-01", "removal_date": None}
    ]
    assert res.stderr == ""  # machine formats carry no caveat on stderr


def test_show_table_filters_and_states_the_caveat(home: Path) -> None:
    res = run(home, "lists", "show", "--section", "i", "--sector", "solar", "--as-of", "2025-01-01")
    assert res.returncode == 0, res.stderr
    assert "3 entities" in res.stdout
    assert "Xinjiang GCL New Energy Material Technology" in res.stdout  # the name of that day
    assert "not the official DHS file" in res.stderr


def test_history_shows_the_bundled_version(home: Path) -> None:
    res = run(home, "lists", "history", "--format", "json")
    assert res.returncode == 0, res.stderr
    versions = json.loads(res.stdout)
    assert versions[0]["source"] == "uflpa-reconstruction"
    assert versions[0]["entities"] == 152


def test_chart_writes_png_and_svg(home: Path, tmp_path: Path) -> None:
    png, svg = tmp_path / "list.png", tmp_path / "list.svg"
    assert run(home, "lists", "chart", "--out", str(png)).returncode == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert run(home, "lists", "chart", "--out", str(svg), "--as-of", "2025-01-15").returncode == 0
    assert b"<svg" in svg.read_bytes()[:2000]
    res = run(home, "lists", "chart", "--out", str(tmp_path / "list.pdf"))
    assert_one_line_error(res)
    assert res.returncode == 2


@pytest.mark.parametrize(
    "args",
    [
        ("lists", "stats", "--as-of", "2024-13-45"),
        ("lists", "show", "--as-of", "yesterday"),
        ("lists", "show", "--list-version", "zzzz"),
    ],
)
def test_usage_errors_are_one_line_with_exit_2(home: Path, args: tuple[str, ...]) -> None:
    res = run(home, *args)
    assert_one_line_error(res)
    assert res.returncode == 2


def test_update_errors_are_one_line(home: Path, tmp_path: Path) -> None:
    missing = run(home, "lists", "update", "--from", str(tmp_path / "absent.html"))
    assert_one_line_error(missing)
    assert "absent.html" in missing.stderr
    unknown = run(home, "lists", "update", "--from", str(FIXTURES / "not_a_list.txt"))
    assert_one_line_error(unknown)
    assert "not a recognised list format" in unknown.stderr


def test_update_then_diff_shows_added_removed_and_renamed(tmp_path: Path) -> None:
    home = tmp_path / "home"
    # page_a holds 4 entities: it would remove most of the bundled list, so it takes --force.
    first = run(home, "lists", "update", "--from", str(FIXTURES / "page_a.html"), "--force")
    assert first.returncode == 0, first.stderr
    again = run(home, "lists", "update", "--from", str(FIXTURES / "page_a.html"))
    assert again.returncode == 0, again.stderr
    assert "unchanged" in again.stderr
    second = run(home, "lists", "update", "--from", str(FIXTURES / "page_b.html"), "--force")
    assert second.returncode == 0, second.stderr
    assert "1 added, 1 removed, 2 renamed" in second.stdout

    res = run(home, "lists", "diff", "--format", "jsonl")
    assert res.returncode == 0, res.stderr
    changes = [json.loads(line) for line in res.stdout.splitlines()]
    kinds = {(c["change"], c["id"]) for c in changes}
    # Ids stay stable: the bundled ids, through spelling changes and renames.
    assert ("added", "UFLPA-149") in kinds  # Shihezi Xinren, known from the bundled list
    assert ("removed", "UFLPA-033") in kinds  # Tianmian, gone from page_b
    assert ("renamed", "UFLPA-013") in kinds  # GCL -> Goens
    assert ("renamed", "UFLPA-005") in kinds  # Hefei Meiling -> Changhong Meiling

    history = json.loads(run(home, "lists", "history", "--format", "json").stdout)
    assert [v["source"] for v in history] == ["uflpa-reconstruction", "dhs-uflpa", "dhs-uflpa"]
    # Explicit references: the bundled version against the first page.
    res = run(home, "lists", "diff", "bundled", history[1]["version_id"], "--format", "json")
    assert json.loads(res.stdout)["counts"]["removed"] == 148


def test_update_over_http_from_a_local_server(tmp_path: Path, fixture_server: str) -> None:
    home = tmp_path / "home"
    res = run(home, "lists", "update", "--from", f"{fixture_server}/page_b.html", "--force")
    assert res.returncode == 0, res.stderr
    assert f"{fixture_server}/page_b.html" in res.stderr
    shown = run(home, "lists", "show", "--format", "jsonl")
    ids = sorted(json.loads(line)["id"] for line in shown.stdout.splitlines())
    assert ids == ["UFLPA-001", "UFLPA-005", "UFLPA-013", "UFLPA-149"]
    missing = run(home, "lists", "update", "--from", f"{fixture_server}/nothing-here.html")
    assert_one_line_error(missing)
    assert "404" in missing.stderr


def test_stats_csv_is_one_figure_per_row(home: Path) -> None:
    res = run(home, "lists", "stats", "--as-of", "2024-12-31", "--format", "csv")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0] == "table,key,metric,value"
    assert "By year,2024,listed at year end,107" in lines
