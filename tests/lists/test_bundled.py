"""The bundled snapshot: rebuilt byte for byte from the CSV, with the counts its sources state."""

import subprocess
import sys
from datetime import date
from pathlib import Path

from uflpa.lists.bundled import bundled_coverage, load_bundled

ROOT = Path(__file__).resolve().parents[2]


def listed_on(day: date) -> int:
    return sum(1 for e in load_bundled().entities if e.is_listed(day))


def test_compile_script_reproduces_the_committed_snapshot() -> None:
    res = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "compile_snapshot.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert res.returncode == 0, res.stderr


def test_counts_match_the_official_running_totals() -> None:
    # DHS announced 107 entities after the 2024-11-25 batch and 144 after 2025-01-15.
    assert listed_on(date(2024, 12, 31)) == 107
    assert listed_on(date(2024, 11, 24)) == 78
    assert listed_on(date(2025, 1, 15)) == 144
    # Only 8 of the 43 additions of 2026-08-03 are known: 152, not the official 187.
    assert listed_on(date(2026, 8, 3)) == 152
    assert listed_on(date(2022, 6, 20)) == 0


def test_changji_esquel_moved_from_section_i_to_v() -> None:
    changji = load_bundled().entity("UFLPA-002")
    assert changji is not None
    by_section = {lst.section: lst for lst in changji.listings}
    assert by_section["2(d)(2)(B)(i)"].removal_date == date(2024, 11, 1)
    assert by_section["2(d)(2)(B)(v)"].effective_date == date(2024, 11, 1)
    sections_on = [lst.section for lst in changji.active_listings(date(2024, 11, 1))]
    assert sections_on == ["2(d)(2)(B)(v)"]


def test_renames_give_the_name_of_the_day() -> None:
    version = load_bundled()
    gcl = version.entity("UFLPA-013")
    assert gcl is not None
    assert gcl.name_on(date(2025, 1, 1)).startswith("Xinjiang GCL New Energy Material Technology")
    assert gcl.name_on(date(2026, 8, 3)) == "Xinjiang Goens Energy Technology Co., Ltd."
    meiling = version.entity("UFLPA-005")
    assert meiling is not None
    assert meiling.name_on(date(2024, 10, 2)) == "Hefei Meiling Co., Ltd."
    assert "Hefei Meiling Co., Ltd." in meiling.former_names


def test_entities_merge_rows_and_keep_review_fields() -> None:
    version = load_bundled()
    assert len(version.entities) == 152
    assert len({e.id for e in version.entities}) == 152
    aksu = version.entity("UFLPA-004")
    assert aksu is not None
    assert [lst.entry_id for lst in aksu.listings] == ["UFLPA-004", "UFLPA-147"]
    # The editor's annotation is a note, not part of the former name.
    assert aksu.former_names == ("Aksu Huafu Textiles Co.",)
    assert "first listed in 2022" in (aksu.notes or "")
    assert {e.confidence for e in version.entities} == {"high", "medium"}


def test_coverage_states_the_gap() -> None:
    cov = bundled_coverage()
    assert cov["official"] is False
    assert (cov["entities_present"], cov["entities_official"]) == (152, 187)
    assert cov["complete_through"] == "2025-01-15"
    assert cov["latest_batch"]["short_name_only"] == 3
    assert "not the official" in cov["summary"]
    assert load_bundled().coverage == cov["summary"]
