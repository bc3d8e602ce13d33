"""The Spark job: a DataFrame of rows in, a DataFrame of their verdicts out.

1. The list versions in use (and the rules, the kind of rows, the date) are serialised once on
   the driver and broadcast. Each executor process builds its Screener from them once and keeps
   it for every task it runs (`_screener`).
2. The distinct parties of a shipment DataFrame are matched once each, with `mapInArrow`; the
   parties that match nothing are collected and broadcast back (a broadcast join), so that the
   rows' screening skips them, as the local engine does (`uflpa.bulk.local`).
3. The rows are screened with `mapInArrow`, by the same code as on one machine
   (`uflpa.bulk.screen_file.rows_of`), and written out by `uflpa.bulk.encode`: the one-line
   columns of their kind plus `record`, the whole JSON line.

The input holds uflpa's canonical columns (`uflpa.io.aliases`: manufacturer, seller, ...,
import_date; or name, country, ... for parties) as text, and `row`, a row number. Values are
cleaned as uflpa's reader cleans cells; a missing column reads as empty.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from uflpa.bulk.encode import ARROW, arrow_schema, encode
from uflpa.bulk.kinds import Kind
from uflpa.bulk.screen_file import KeptProblems, rows_of
from uflpa.io import Record
from uflpa.io.aliases import PARTY_FILE, SHIPMENT_FILE
from uflpa.io.columns import map_columns
from uflpa.io.hints import NONE
from uflpa.io.records import clean_cell
from uflpa.match import Matcher
from uflpa.model import ROLES, ListedEntity, ListVersion
from uflpa.reports.summary import Summary
from uflpa.screening import DEFAULT_RULES, Party, Screener, load_ruleset

#: The row-number column of the input and the output.
ROW = "row"
#: Columns the engine reads besides the rows' verdicts: a batch's summary counts and the
#: problems it met (JSON, on the first row of each batch).
COUNTS = "_counts"
PROBLEMS = "_problems"
#: The party key columns of the first stage.
PARTY_COLUMNS = ("name", "address", "identifier", "country")

_BUILT: dict[str, Screener] = {}
_PRIMED: set[tuple[str, str]] = set()


def screen(
    df: Any,
    *,
    versions: Sequence[ListVersion] | None = None,
    rules: str = DEFAULT_RULES,
    kind: str | Kind = Kind.shipment,
    as_of: date | None = None,
    source: str = "dataframe",
) -> Any:
    """The verdicts of the rows of `df`, a DataFrame: one row out per row in, with the one-line
    columns and `record` (the JSON line uflpa writes). `versions` default to the latest stored
    versions of the UFLPA Entity List (`uflpa.catalog`); `as_of` overrides the rows' import
    dates; a `row` column is made (not consecutive) when `df` has none."""
    return screened(df, versions=versions, rules=rules, kind=kind, as_of=as_of, source=source).drop(
        COUNTS, PROBLEMS
    )


def screened(
    df: Any,
    *,
    versions: Sequence[ListVersion] | None,
    rules: str,
    kind: str | Kind,
    as_of: date | None,
    source: str,
) -> Any:
    """`screen`, keeping the counts and problems columns the CLI engine reads."""
    from pyspark.sql import functions as F

    kind = Kind(kind)
    df = _canonical(df, kind, source)
    if versions is None:
        from uflpa.catalog import open_lists

        versions = open_lists().versions
    if ROW not in df.columns:
        df = df.withColumn(ROW, F.monotonically_increasing_id() + 1)
    spark = df.sparkSession
    payload = spark.sparkContext.broadcast(payload_of(versions, rules, kind, as_of))
    clear = spark.sparkContext.broadcast(
        _clear_parties(df, payload) if kind is Kind.shipment else b"[]"
    )
    columns = [ROW, *(c for c in _columns(kind) if c in df.columns)]
    typed = df.select(*(F.col(c).cast("long" if c == ROW else "string") for c in columns))
    return typed.mapInArrow(_row_screener(payload, clear, source), _ddl(kind))


def _canonical(df: Any, kind: Kind, source: str) -> Any:
    """`df` with its columns named as uflpa's, found by the spellings a file's headers may have
    (`supplier_name` for a party's name); two columns that could each be a party's name (`name`
    and `supplier`) are a `UsageError`, as in a file (`uflpa.io.columns.map_columns`), since
    screening one and ignoring the other could report a listed party clear."""
    spec = SHIPMENT_FILE if kind is Kind.shipment else PARTY_FILE
    headers = [c for c in df.columns if c != ROW]
    mapping = map_columns(
        headers,
        file=source,
        required=(),
        optional=spec.names,
        aliases=spec.aliases,
        exclusive=spec.exclusive,
        hints=NONE,
    )
    for canonical, at in mapping.positions.items():
        if headers[at] != canonical:
            df = df.withColumnRenamed(headers[at], canonical)
    return df


def payload_of(
    versions: Sequence[ListVersion], rules: str, kind: Kind, as_of: date | None
) -> bytes:
    """What every executor needs to screen as the driver would: the list versions (whole, with
    their stored hashes and parts), the rules, the kind of rows and the date."""
    return json.dumps(
        {
            "versions": [_version_json(v) for v in versions],
            "rules": rules,
            "kind": kind.value,
            "as_of": as_of.isoformat() if as_of else None,
        },
        ensure_ascii=False,
        sort_keys=True,
    ).encode("utf-8")


def _version_json(v: ListVersion) -> dict[str, Any]:
    return {
        "list_name": v.list_name,
        "source": v.source,
        "origin": v.origin,
        "retrieved_at": v.retrieved_at.isoformat(),
        "published": v.published.isoformat() if v.published else None,
        "coverage": v.coverage,
        "content_hash": v.content_hash,
        "sections": list(v.sections),
        "entities": [e.to_dict() for e in v.entities],
    }


def _version_of(d: dict[str, Any]) -> ListVersion:
    return ListVersion(
        list_name=d["list_name"],
        source=d["source"],
        origin=d["origin"],
        retrieved_at=datetime.fromisoformat(d["retrieved_at"]),
        entities=tuple(ListedEntity.from_dict(e) for e in d["entities"]),
        published=date.fromisoformat(d["published"]) if d["published"] else None,
        coverage=d["coverage"],
        content_hash=d["content_hash"],
        sections=tuple(d["sections"]),
    )


def _screener(payload: bytes, clear: bytes) -> tuple[Screener, Kind, date | None]:
    """The Screener of `payload`, built once per executor process; the parties of `clear` taken
    as matching nothing (once per process and list of parties)."""
    key = hashlib.sha256(payload).hexdigest()
    data = json.loads(payload)
    screener = _BUILT.get(key)
    if screener is None:
        matchers = [Matcher([_version_of(v)]) for v in data["versions"]]
        screener = Screener(matchers, load_ruleset(data["rules"]))
        _BUILT[key] = screener
    primed = (key, hashlib.sha256(clear).hexdigest())
    if primed not in _PRIMED:
        screener.assume_clear(Party("party", *key_) for key_ in json.loads(clear))
        _PRIMED.add(primed)
    as_of = date.fromisoformat(data["as_of"]) if data["as_of"] else None
    return screener, Kind(data["kind"]), as_of


# --- stage 1: the distinct parties -------------------------------------------------------------


def _clear_parties(df: Any, payload: Any) -> bytes:
    """The distinct parties of a shipment DataFrame that match nothing on the current list, as
    JSON (name, address, identifier, country), matched once each on the executors."""
    from pyspark.sql import functions as F

    parts = []
    for role in ROLES:
        if role not in df.columns and f"{role}_address" not in df.columns:
            continue
        cols = [
            (F.col(c) if c in df.columns else F.lit("")).cast("string").alias(alias)
            for c, alias in zip(
                (role, f"{role}_address", f"{role}_id", f"{role}_country"),
                PARTY_COLUMNS,
                strict=True,
            )
        ]
        parts.append(df.select(*cols))
    if not parts:
        return b"[]"
    parties = parts[0]
    for part in parts[1:]:
        parties = parties.unionByName(part)
    flagged = parties.distinct().mapInArrow(
        _party_flagger(payload),
        "name string, address string, identifier string, country string, flagged boolean",
    )
    clear = {
        (r["name"], r["address"], r["identifier"], r["country"])
        for r in flagged.where(~F.col("flagged")).collect()
    }
    return json.dumps(sorted(clear), ensure_ascii=False).encode("utf-8")


def _party_flagger(payload: Any) -> Callable[[Iterator[Any]], Iterator[Any]]:
    def flag(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        screener, _, _ = _screener(payload.value, b"[]")
        for batch in batches:
            data = batch.to_pydict()
            keys = {
                tuple(clean_cell(data[c][i] or "").strip() for c in PARTY_COLUMNS)
                for i in range(batch.num_rows)
            }
            keys = {k for k in keys if k[0] or k[1]}  # a row's party has a name or an address
            rows = sorted(keys)
            flags = [screener.flagged_now(Party("party", *k)) for k in rows]
            out = {c: [k[i] for k in rows] for i, c in enumerate(PARTY_COLUMNS)}
            yield pa.RecordBatch.from_pydict({**out, "flagged": flags})

    return flag


# --- stage 2: the rows -------------------------------------------------------------------------


def _columns(kind: Kind) -> tuple[str, ...]:
    spec = SHIPMENT_FILE if kind is Kind.shipment else PARTY_FILE
    return spec.names


def _ddl(kind: Kind) -> str:
    types = {"row": "long", "score": "double"}
    fields = [f"`{f.name}` {types.get(f.name, 'string')}" for f in arrow_schema(kind)]
    return ", ".join([*fields, f"`{COUNTS}` string", f"`{PROBLEMS}` string"])


def _row_screener(
    payload: Any, clear: Any, source: str
) -> Callable[[Iterator[Any]], Iterator[Any]]:
    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        screener, kind, as_of = _screener(payload.value, clear.value)
        wanted = _columns(kind)
        screen_rows = rows_of(kind)
        for batch in batches:
            if not batch.num_rows:
                continue
            data = batch.to_pydict()
            rows = data[ROW]
            entries = [
                Record(
                    row=int(rows[i]),
                    values={c: clean_cell(data[c][i] or "") if c in data else "" for c in wanted},
                )
                for i in range(batch.num_rows)
            ]
            told = KeptProblems()
            results = list(screen_rows(entries, source, screener, as_of, told))
            summary = Summary()
            for result in results:
                summary.add(result)
            table = encode(results, kind, frozenset({ARROW})).table
            counts: list[str | None] = [None] * table.num_rows
            problems: list[str | None] = [None] * table.num_rows
            counts[0] = json.dumps(summary.counts(), ensure_ascii=False)
            problems[0] = json.dumps(
                [[p.file, p.row, p.column, p.reason, p.screened] for p in told.problems],
                ensure_ascii=False,
            )
            table = table.append_column(COUNTS, pa.array(counts, pa.string()))
            table = table.append_column(PROBLEMS, pa.array(problems, pa.string()))
            yield from table.to_batches()

    return run
