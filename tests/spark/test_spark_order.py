"""The Spark engine writes each partition sorted by row and puts the parts in order itself
(`uflpa.spark.engine._in_order`): by their first row when their ranges are disjoint, else
through one file sorted by DuckDB. Needs pyarrow and DuckDB only, no Spark session."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from uflpa.spark.engine import _in_order


def _parts(folder: Path, parts: dict[str, list[int]]) -> None:
    folder.mkdir()
    for name, rows in parts.items():
        table = pa.table({"row": pa.array(rows, pa.int64()), "record": [f"r{r}" for r in rows]})
        pq.write_table(table, folder / f"part-{name}.parquet")


def _rows(files: list[Path]) -> list[int]:
    return [r for f in files for r in pq.read_table(f).column("row").to_pylist()]


def test_disjoint_parts_are_ordered_by_their_first_row(tmp_path: Path) -> None:
    out = tmp_path / "verdicts"
    _parts(out, {"00000": [7, 8, 9], "00001": [2, 3, 5], "00002": [], "00003": [10, 40]})
    files = _in_order(out)
    assert [f.name for f in files] == [
        "part-00001.parquet",
        "part-00000.parquet",
        "part-00003.parquet",
    ]
    assert _rows(files) == [2, 3, 5, 7, 8, 9, 10, 40]


def test_overlapping_parts_are_sorted_into_one_file(tmp_path: Path) -> None:
    out = tmp_path / "verdicts"
    _parts(out, {"00000": [2, 6, 9], "00001": [3, 4, 12], "00002": [5]})
    files = _in_order(out)
    assert len(files) == 1 and files[0].parent == tmp_path
    assert _rows(files) == [2, 3, 4, 5, 6, 9, 12]
    assert pq.read_table(files[0]).column("record").to_pylist()[:2] == ["r2", "r3"]
