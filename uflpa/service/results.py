"""Reading a finished job's results (`results.parquet`, seen through DuckDB as the table
`screening_results`): a page of rows filtered by verdict and sorted, their count, or the whole
set as CSV, JSON lines or Parquet.

Every value a user supplied reaches SQL as a bound parameter; the sort column is one of a fixed
set. CSV cells that a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from uflpa.bulk.sinks import DUCKDB_TABLE
from uflpa.errors import UsageError
from uflpa.model import CLEAR, HIT, REVIEW
from uflpa.reports.tabular import spreadsheet_safe

VERDICT_FILTERS = (HIT, REVIEW, CLEAR, "error")
#: Sort keys and their SQL (a fixed table: nothing a user sends is written into SQL).
SORTS = {
    "row": "row",
    "-row": "row DESC",
    "score": "score NULLS FIRST, row",
    "-score": "score DESC NULLS LAST, row",
    "verdict": "CASE verdict WHEN 'hit' THEN 0 WHEN 'review' THEN 1 WHEN 'error' THEN 2 ELSE 3 "
    "END, row",
    "-verdict": "CASE verdict WHEN 'hit' THEN 3 WHEN 'review' THEN 2 WHEN 'error' THEN 1 ELSE 0 "
    "END, row",
}
PAGE_MAX = 10_000


def parse_verdicts(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    wanted = tuple(dict.fromkeys(v.strip().lower() for v in text.split(",") if v.strip()))
    bad = [v for v in wanted if v not in VERDICT_FILTERS]
    if bad:
        raise UsageError(
            f"verdict: {', '.join(repr(b) for b in bad)} not known; "
            f"use {', '.join(VERDICT_FILTERS)}"
        )
    return wanted


def _where(verdicts: tuple[str, ...]) -> tuple[str, list[Any]]:
    if not verdicts:
        return "", []
    return f" WHERE verdict IN ({', '.join('?' for _ in verdicts)})", list(verdicts)


def _sort(sort: str, columns: set[str]) -> str:
    known = [k for k in SORTS if k.lstrip("-") in columns or k.lstrip("-") == "verdict"]
    if sort not in known:
        raise UsageError(f"sort: {sort!r} not known for these results; use {', '.join(known)}")
    return SORTS[sort]


def _columns(con: Any) -> set[str]:
    return {r[0] for r in con.execute(f"DESCRIBE {DUCKDB_TABLE}").fetchall()}


def _connect(path: Path) -> Any:
    """An in-memory DuckDB whose `screening_results` is the job's Parquet file (the path is the
    service's own, never a user's; quoted all the same)."""
    import duckdb

    con = duckdb.connect(":memory:")
    quoted = path.as_posix().replace("'", "''")
    con.execute(f"CREATE VIEW {DUCKDB_TABLE} AS SELECT * FROM read_parquet('{quoted}')")
    return con


def page(
    path: Path, *, verdicts: tuple[str, ...], sort: str, offset: int, limit: int
) -> dict[str, Any]:
    """One page of rows (their whole JSON records), with the count the filter matches."""
    if not 1 <= limit <= PAGE_MAX:
        raise UsageError(f"limit: {limit} is out of range 1-{PAGE_MAX:,}")
    if offset < 0:
        raise UsageError(f"offset: {offset} is negative")
    where, params = _where(verdicts)
    con = _connect(path)
    try:
        order = _sort(sort, _columns(con))
        total = con.execute(f"SELECT count(*) FROM {DUCKDB_TABLE}{where}", params).fetchone()[0]
        counts = dict(
            con.execute(f"SELECT verdict, count(*) FROM {DUCKDB_TABLE} GROUP BY verdict").fetchall()
        )
        rows = con.execute(
            f"SELECT record FROM {DUCKDB_TABLE}{where} ORDER BY {order} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
    finally:
        con.close()
    import json

    records = [json.loads(r[0]) for r in rows]
    following = offset + len(records)
    return {
        "total": int(total),
        "counts": {k: int(v) for k, v in counts.items()},
        "offset": offset,
        "limit": limit,
        "next_offset": following if following < total else None,
        "rows": records,
    }


def jsonl_lines(path: Path, *, verdicts: tuple[str, ...], sort: str) -> Iterator[bytes]:
    where, params = _where(verdicts)
    con = _connect(path)
    try:
        cursor = con.execute(
            f"SELECT record FROM {DUCKDB_TABLE}{where} ORDER BY {_sort(sort, _columns(con))}",
            params,
        )
        while batch := cursor.fetchmany(2000):
            yield "".join(r[0] + "\n" for r in batch).encode("utf-8")
    finally:
        con.close()


def csv_lines(
    path: Path, *, verdicts: tuple[str, ...], sort: str, raw: bool = False
) -> Iterator[bytes]:
    """The one-line columns as CSV; with `raw` False, formula-like cells are neutralised."""
    where, params = _where(verdicts)
    con = _connect(path)
    try:
        cursor = con.execute(
            f"SELECT * EXCLUDE (record) FROM {DUCKDB_TABLE}{where} "
            f"ORDER BY {_sort(sort, _columns(con))}",
            params,
        )
        columns = [d[0] for d in cursor.description]
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        while batch := cursor.fetchmany(2000):
            for values in batch:
                writer.writerow(
                    [
                        "" if v is None else (str(v) if raw else spreadsheet_safe(str(v)))
                        for v in values
                    ]
                )
            yield buf.getvalue().encode("utf-8")
            buf.seek(0)
            buf.truncate()
        if buf.tell():
            yield buf.getvalue().encode("utf-8")
    finally:
        con.close()


def parquet_file(path: Path, *, verdicts: tuple[str, ...], sort: str) -> Path:
    """The rows as a Parquet file in a temporary folder (the caller removes it)."""
    if not verdicts and sort == "row":
        out = Path(tempfile.mkdtemp(prefix="uflpa-results-")) / "results.parquet"
        # The job's own file, already in row order: a hard link (a copy across file systems).
        try:
            os.link(path, out)
        except OSError:
            shutil.copyfile(path, out)
        return out
    where, params = _where(verdicts)
    out = Path(tempfile.mkdtemp(prefix="uflpa-results-")) / "results.parquet"
    con = _connect(path)
    try:
        relation = con.sql(
            f"SELECT * FROM {DUCKDB_TABLE}{where} ORDER BY {_sort(sort, _columns(con))}",
            params=params,
        )
        relation.write_parquet(str(out))
    finally:
        con.close()
    return out
