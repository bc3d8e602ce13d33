"""Loading chains: CSV pairs (exact and columnar readers agree), FtM files, and every error names
its file, row and column."""

from __future__ import annotations

import json
from datetime import date
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from uflpa.errors import InputError, UsageError
from uflpa.graph import load_graph
from uflpa.graph.csv_files import load_csv_pair
from uflpa.graph.ftm_files import load_ftm
from uflpa.graph.model import OPEN_END, OPEN_START, SupplyGraph

CHAINS = Path(str(resources.files("uflpa.data").joinpath("examples/chains")))
NODES = "id,name,country,address,identifier\na,Alpha,CN,,\nb,Beta,VN,,\nc,Gamma,US,,\n"


def write(tmp: Path, nodes: str, edges: str) -> tuple[Path, Path]:
    n, e = tmp / "nodes.csv", tmp / "edges.csv"
    n.write_text(nodes, encoding="utf-8")
    e.write_text(edges, encoding="utf-8")
    return n, e


def same(g1: SupplyGraph, g2: SupplyGraph) -> None:
    assert g1.ids == g2.ids and g1.names == g2.names and g1.roles == g2.roles
    for name in ("source", "target", "relation", "start", "end"):
        assert np.array_equal(getattr(g1, name), getattr(g2, name)), name
    assert np.array_equal(g1.share, g2.share, equal_nan=True)
    assert g1.product == g2.product and g1.hts == g2.hts


@pytest.mark.parametrize("chain", ["cotton", "solar"])
def test_exact_and_columnar_readers_agree(chain: str) -> None:
    nodes, edges = CHAINS / chain / "nodes.csv", CHAINS / chain / "edges.csv"
    same(load_csv_pair(nodes, edges, fast=False), load_csv_pair(nodes, edges, fast=True))


def test_dates_shares_and_records(tmp_path: Path) -> None:
    n, e = write(
        tmp_path,
        NODES,
        "source,target,relation,product,hts,start_date,end_date,share\n"
        "a,b,supplies,yarn,5205,2021-03-01,,\n"
        "c,b,Owns,,,,2022,51%\n",
    )
    g = load_graph(n, e)
    assert g.edge(0).start_date == date(2021, 3, 1) and g.edge(0).end_date is None
    assert g.edge(0).product == "yarn"
    owns = g.edge(1)
    assert owns.relation == "owns" and owns.share == 51.0 and owns.end_date == date(2022, 12, 31)
    assert g.start[1] == OPEN_START and g.end[0] == OPEN_END
    assert g.node(1).name == "Beta"


@pytest.mark.parametrize(
    ("edges", "row", "column", "says"),
    [
        ("a,x,supplies,,,,,\n", 2, "target", "unknown node id 'x'"),
        ("a,b,buys,,,,,\n", 2, "relation", "unknown relation 'buys'"),
        ("a,b,supplies,,,2021-13-01,,\n", 2, "start_date", "not a date"),
        ("a,b,supplies,,,,,\na,b,supplies,,,2022-01-01,2021-01-01,\n", 3, "end_date", "before"),
        ("a,b,owns,,,,,150\n", 2, "share", "share in percent"),
        ("a,,supplies,,,,,\n", 2, "target", "empty"),
    ],
)
@pytest.mark.parametrize("fast", [False, True])
def test_errors_name_row_and_column(
    tmp_path: Path, edges: str, row: int, column: str, says: str, fast: bool
) -> None:
    header = "source,target,relation,product,hts,start_date,end_date,share\n"
    n, e = write(tmp_path, NODES, header + edges)
    with pytest.raises(InputError) as err:
        load_csv_pair(n, e, fast=fast)
    assert err.value.row == row and err.value.column == column
    assert says in str(err.value) and err.value.file == str(e)


def test_duplicate_node_id(tmp_path: Path) -> None:
    n, e = write(tmp_path, NODES + "b,Beta again,VN,,\n", "source,target,relation\na,b,supplies\n")
    for fast in (False, True):
        with pytest.raises(InputError, match="duplicate node id 'b' \\(first on row 3\\)") as err:
            load_csv_pair(n, e, fast=fast)
        assert err.value.row == 5 and err.value.file == str(n)


def test_gbk_and_header_aliases(tmp_path: Path) -> None:
    n, e = tmp_path / "n.csv", tmp_path / "e.csv"
    n.write_bytes("Node ID,Company Name,Country\na,新疆某公司,CN\nb,Beta,VN\n".encode("gbk"))
    e.write_text("From,To,Type\na,b,supplies\n", encoding="utf-8")
    g = load_graph(n, e)
    assert g.names[0] == "新疆某公司" and g.edge(0).source == "a"


def test_ftm_file_matches_csv() -> None:
    g_csv = load_graph(CHAINS / "solar" / "nodes.csv", CHAINS / "solar" / "edges.csv")
    g_ftm, skipped = load_ftm(CHAINS / "solar" / "solar.ftm.json")
    assert skipped == {"Address": 1}
    assert set(g_ftm.ids) == set(g_csv.ids)
    edges_csv = {(e.source, e.target, e.relation, e.start_date, e.end_date, e.share) for e in
                 (g_csv.edge(j) for j in range(g_csv.edge_count))}  # fmt: skip
    edges_ftm = {(e.source, e.target, e.relation, e.start_date, e.end_date, e.share) for e in
                 (g_ftm.edge(j) for j in range(g_ftm.edge_count))}  # fmt: skip
    assert edges_csv == edges_ftm


def ftm(tmp: Path, *objects: dict[str, object]) -> Path:
    path = tmp / "g.ftm.json"
    path.write_text("\n".join(json.dumps(o) for o in objects) + "\n", encoding="utf-8")
    return path


def company(i: str) -> dict[str, object]:
    return {"id": i, "schema": "Company", "properties": {"name": [i.upper()]}}


def test_ftm_shapes_and_errors(tmp_path: Path) -> None:
    link = {
        "id": "l1",
        "schema": "UnknownLink",
        "properties": {"subject": [{"id": "a"}], "object": ["b"], "role": ["Supplier"]},
    }
    other = {"id": "l2", "schema": "UnknownLink", "properties": {"subject": ["a"], "object": ["b"],
             "role": ["partner"]}}  # fmt: skip
    succession = {"id": "s", "schema": "Succession", "properties": {"predecessor": ["a"],
                  "successor": ["b"]}}  # fmt: skip
    g, skipped = load_ftm(ftm(tmp_path, company("a"), link, company("b"), other, succession))
    assert g.edge_count == 1 and g.edge(0).source == "a" and g.edge(0).relation == "supplies"
    assert skipped == {"Succession": 1, "UnknownLink": 1}
    bad = {"id": "o", "schema": "Ownership", "properties": {"owner": ["a"], "asset": ["zz"]}}
    with pytest.raises(InputError) as err:
        load_ftm(ftm(tmp_path, company("a"), bad))
    assert err.value.row == 2 and err.value.column == "asset"
    bad_date = {"id": "x", "schema": "Supply", "properties": {"supplier": ["a"], "buyer": ["a"],
                "startDate": ["soon"]}}  # fmt: skip
    with pytest.raises(InputError, match="not a date") as err:
        load_ftm(ftm(tmp_path, company("a"), bad_date))
    assert err.value.row == 2 and err.value.column == "startDate"
    with pytest.raises(InputError, match="duplicate node id"):
        load_ftm(ftm(tmp_path, company("a"), company("a")))


def test_one_file_must_be_json(tmp_path: Path) -> None:
    n, _ = write(tmp_path, NODES, "")
    with pytest.raises(UsageError):
        load_graph(n)
    with pytest.raises(InputError, match="no such file"):
        load_graph(tmp_path / "missing.csv", n)
