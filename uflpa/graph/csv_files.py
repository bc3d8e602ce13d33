"""Load a graph from a pair of tables: `nodes.csv` and `edges.csv` (or TSV, XLSX, Parquet).

nodes: `id,name,country,address,identifier` (optional `role`); edges:
`source,target,relation,product,hts,start_date,end_date,share` (optional `quantity`). Headers
are matched like every user file of uflpa (case, spaces and a few aliases do not matter) and
files in GBK or with a BOM read the same (`uflpa.io.open_table`).

Two readers give the same graph. The exact reader goes row by row through `open_table` and stops
at the first bad row with its row and column. A large plain UTF-8 CSV file is first read in
columns by pyarrow (about thirty times faster); if that reader finds anything it does not take
as-is (a missing value, an unknown id, an odd date, stray invisible characters), the exact reader
runs instead, so every error still names its row.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from uflpa.errors import InputError
from uflpa.graph.build import GraphBuilder, parse_day, parse_relation, parse_share
from uflpa.graph.model import OPEN_END, OPEN_START, RELATION_CODE, Edge, Node, SupplyGraph
from uflpa.io import RowIssue, Table, open_table
from uflpa.io.aliases import EDGE_FILE, NODE_FILE, FileColumns
from uflpa.io.hints import TRACE, Hints

#: Files at least this large try the columnar reader first.
FAST_BYTES = 4 * 1024 * 1024
_UTF8 = frozenset({"utf-8", "utf-8-sig", "ascii", "utf8"})
_INVISIBLE = "[\u200b\u200c\u200d\u2060\ufeff\x00]"


def load_csv_pair(
    nodes_path: str | Path,
    edges_path: str | Path,
    *,
    encoding: str | None = None,
    fast: bool | None = None,
    hints: Hints = TRACE,
) -> SupplyGraph:
    """The graph in `nodes_path` and `edges_path`. `fast` None lets the size decide whether to
    try the columnar reader first; True always tries it, False never (the results are equal)."""
    nodes = _open(nodes_path, NODE_FILE, encoding, hints)
    edges = _open(edges_path, EDGE_FILE, encoding, hints)
    if fast is None:
        fast = Path(edges_path).stat().st_size >= FAST_BYTES
    if fast and _fast_capable(nodes) and _fast_capable(edges):
        graph = _read_columns(nodes, edges)
        if graph is not None:
            return graph
    return _read_rows(nodes, edges)


def _open(path: str | Path, columns: FileColumns, encoding: str | None, hints: Hints) -> Table:
    return open_table(
        path,
        required=list(columns.required),
        optional=list(columns.optional),
        aliases=columns.aliases,
        encoding=encoding,
        hints=hints,
    )


def _read_rows(nodes: Table, edges: Table) -> SupplyGraph:
    builder = GraphBuilder(nodes.path, edges.path)
    for item in nodes:
        values = _values(item)
        builder.add_node(
            Node(
                id=values["id"],
                name=values.get("name", ""),
                country=values.get("country", ""),
                address=values.get("address", ""),
                identifier=values.get("identifier", ""),
                role=values.get("role", ""),
            ),
            row=item.row,
            column=nodes.columns["id"],
        )
    col = edges.columns
    for item in edges:
        v = _values(item)
        file, row = edges.path, item.row
        builder.add_edge(
            Edge(
                source=v["source"],
                target=v["target"],
                relation=parse_relation(v["relation"], file=file, row=row, column=col["relation"]),
                product=v.get("product", ""),
                hts=v.get("hts", ""),
                start_date=parse_day(
                    v.get("start_date", ""),
                    file=file,
                    row=row,
                    column=col.get("start_date", "start_date"),
                ),
                end_date=parse_day(
                    v.get("end_date", ""),
                    file=file,
                    row=row,
                    column=col.get("end_date", "end_date"),
                    end=True,
                ),
                quantity=v.get("quantity", ""),
                share=parse_share(
                    v.get("share", ""), file=file, row=row, column=col.get("share", "share")
                ),
            ),
            row=item.row,
            columns=(col["source"], col["target"]),
            date_columns=(col.get("start_date", "start_date"), col.get("end_date", "end_date")),
        )
    return builder.graph()


def _values(item: object) -> dict[str, str]:
    if isinstance(item, RowIssue):
        raise InputError(item.reason, file=item.file, row=item.row, column=item.column)
    values: dict[str, str] = item.values  # type: ignore[attr-defined]
    return values


# --- the columnar reader ---------------------------------------------------------------------


def _fast_capable(table: Table) -> bool:
    return (
        table.format == "csv"
        and (table.encoding or "").lower() in _UTF8
        and table.header_row == 1
        and len(set(table.headers)) == len(table.headers)
    )


def _columns(table: Table) -> pa.Table | None:
    """The wanted columns of `table` as strings, renamed to their canonical names."""
    wanted = {header: name for name, header in table.columns.items()}
    try:
        data = pacsv.read_csv(
            table.path,
            read_options=pacsv.ReadOptions(encoding="utf8", use_threads=True, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=table.delimiter or ","),
            convert_options=pacsv.ConvertOptions(
                include_columns=list(wanted),
                column_types={h: pa.string() for h in wanted},
                strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, OSError, UnicodeDecodeError):
        return None
    out = {}
    for header, name in wanted.items():
        column = data.column(header)
        if pc.any(pc.match_substring_regex(column, _INVISIBLE)).as_py():
            return None
        out[name] = pc.utf8_trim_whitespace(column).combine_chunks()
    return pa.table(out)


def _read_columns(nodes_table: Table, edges_table: Table) -> SupplyGraph | None:
    """The graph, or None when anything needs the exact reader (which then reports it)."""
    nodes = _columns(nodes_table)
    edges = _columns(edges_table)
    if nodes is None or edges is None:
        return None
    ids = nodes.column("id")
    if pc.any(pc.equal(ids, "")).as_py() or pc.count_distinct(ids).as_py() != len(ids):
        return None
    for name in ("source", "target", "relation"):
        if pc.any(pc.equal(edges.column(name), "")).as_py():
            return None
    source = pc.index_in(edges.column("source"), value_set=ids)
    target = pc.index_in(edges.column("target"), value_set=ids)
    if source.null_count or target.null_count:
        return None
    relation = _relation_codes(edges.column("relation"))
    if relation is None:
        return None
    start = _days(edges, "start_date", OPEN_START)
    end = _days(edges, "end_date", OPEN_END)
    share = _shares(edges)
    if start is None or end is None or share is None or bool(np.any(end < start)):
        return None

    def strings(table: pa.Table, name: str) -> tuple[str, ...]:
        if name not in table.column_names:
            return ("",) * int(table.num_rows)
        values: list[str] = table.column(name).to_pylist()
        return tuple(values)

    detail = any(
        name in edges.column_names and pc.any(pc.not_equal(edges.column(name), "")).as_py()
        for name in ("product", "hts", "quantity")
    )
    return SupplyGraph(
        ids=tuple(ids.to_pylist()),
        names=strings(nodes, "name"),
        countries=strings(nodes, "country"),
        addresses=strings(nodes, "address"),
        identifiers=strings(nodes, "identifier"),
        roles=strings(nodes, "role"),
        source=source.to_numpy(zero_copy_only=False).astype(np.int32),
        target=target.to_numpy(zero_copy_only=False).astype(np.int32),
        relation=relation,
        start=start,
        end=end,
        share=share,
        product=strings(edges, "product") if detail else (),
        hts=strings(edges, "hts") if detail else (),
        quantity=strings(edges, "quantity") if detail else (),
        origin=edges_table.path,
    )


def _relation_codes(column: pa.Array) -> np.ndarray | None:
    folded = pc.utf8_lower(column)
    codes = np.full(len(column), -1, dtype=np.int8)
    for text, code in RELATION_CODE.items():
        codes[pc.equal(folded, text).to_numpy(zero_copy_only=False)] = code
    return None if bool(np.any(codes < 0)) else codes


def _days(edges: pa.Table, name: str, missing: int) -> np.ndarray | None:
    if name not in edges.column_names:
        return np.full(edges.num_rows, missing, dtype=np.int32)
    column = edges.column(name)
    empty = pc.equal(column, "").to_numpy(zero_copy_only=False)
    # Only full ISO dates here; partial dates (a bare year) go to the exact reader.
    if not bool(
        np.all(
            empty
            | pc.match_substring_regex(column, r"^\d{4}-\d{2}-\d{2}$").to_numpy(
                zero_copy_only=False
            )
        )
    ):
        return None
    filled = pc.if_else(pc.equal(column, ""), "1970-01-01", column)
    try:
        parsed = pc.strptime(filled, format="%Y-%m-%d", unit="s", error_is_null=True)
    except pa.ArrowInvalid:
        return None
    if parsed.null_count:
        return None
    days = pc.cast(pc.cast(parsed, pa.date32()), pa.int32()).to_numpy(zero_copy_only=False)
    out = np.where(empty, missing, days).astype(np.int32)
    return out


def _shares(edges: pa.Table) -> np.ndarray | None:
    if "share" not in edges.column_names:
        return np.full(edges.num_rows, np.nan)
    column = edges.column("share")
    empty = pc.equal(column, "").to_numpy(zero_copy_only=False)
    if bool(np.all(empty)):
        return np.full(edges.num_rows, np.nan)
    try:
        values = pc.cast(pc.if_else(pc.equal(column, ""), "nan", column), pa.float64())
    except pa.ArrowInvalid:
        return None
    share = values.to_numpy(zero_copy_only=False)
    if bool(np.any(~empty & ~((share >= 0) & (share <= 100)))):
        return None
    return np.where(empty, np.nan, share)
