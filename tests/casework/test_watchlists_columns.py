"""A supplier master with two headers that could each be the supplier's name (`name` and
`supplier`, `Company Name` and `Supplier Name`) is refused before anything is imported, by the
check `uflpa screen` uses (`uflpa.io.columns.map_columns`): importing one and ignoring the other
could leave a listed supplier unwatched. `--column name=HEADER` chooses."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.casework.conftest import ME, as_json, failed, master, sqlite_url, uflpa
from uflpa.casework.watchlists import import_file, list_parties
from uflpa.errors import NotFoundError, UsageError
from uflpa.records import engine_for

LISTED = "Xinjiang Daqo New Energy Co., Ltd."  # UFLPA-009 in the bundled snapshot


@pytest.mark.parametrize(
    "header",
    [["id", "name", "supplier", "country"], ["Vendor No", "Company Name", "Supplier Name"]],
)
def test_two_name_columns_stop_the_import(home: Path, header: list[str]) -> None:
    path = master(home.parent / "two.csv", [("S1", "Acme Widgets Ltd", LISTED, "CN")], header)
    engine = engine_for(sqlite_url(home))
    columns = {"id": "Vendor No"} if "Vendor No" in header else {}
    with pytest.raises(UsageError) as refused:
        import_file(engine, ME, path, watchlist="erp", columns=columns)
    message = str(refused.value)
    assert f"{header[1]!r} (column 2) and {header[2]!r} (column 3)" in message
    assert "--column name=HEADER" in message
    with pytest.raises(NotFoundError):  # nothing imported: not even the watchlist is made
        list_parties(engine, "erp")


def test_the_cli_says_it_in_one_line_and_column_chooses(home: Path) -> None:
    header = ["id", "name", "supplier", "country"]
    path = master(home.parent / "two.csv", [("S1", "Acme Widgets Ltd", LISTED, "CN")], header)
    stderr = failed(uflpa(home, "watch", "add", str(path), "--watchlist", "erp"), 2)
    assert stderr.count("\n") == 1 and stderr.startswith(f"uflpa: error: {path}: 'name'")
    out = as_json(
        uflpa(
            home, "watch", "add", str(path), "--watchlist", "erp",
            "--column", "name=supplier", "--format", "json",
        )
    )  # fmt: skip
    assert out["added"] == 1 and out["flagged"] == 1
    parties = list_parties(engine_for(sqlite_url(home)), "erp")[1]
    assert [(p["name"], p["verdict"]) for p in parties] == [(LISTED, "hit")]
