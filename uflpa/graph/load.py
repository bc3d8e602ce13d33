"""One entry point for every graph format: a pair of tables, or one FollowTheMoney file."""

from __future__ import annotations

from pathlib import Path

from uflpa.errors import InputError, UsageError
from uflpa.graph.csv_files import load_csv_pair
from uflpa.graph.ftm_files import load_ftm
from uflpa.graph.model import SupplyGraph
from uflpa.io.hints import TRACE, Hints


def load_graph(
    nodes: str | Path,
    edges: str | Path | None = None,
    *,
    encoding: str | None = None,
    hints: Hints = TRACE,
) -> SupplyGraph:
    """`nodes` and `edges` tables, or, with `edges` None, one FtM file (JSON lines or array);
    `hints`: the fixes the caller offers (`uflpa trace` has --encoding, no --column)."""
    for path in (nodes, edges):
        if path is not None and not Path(path).is_file():
            raise InputError("no such file", file=str(path))
    if edges is None:
        if not _looks_like_json(Path(nodes)):
            raise UsageError(
                f"{nodes}: one file must be FollowTheMoney JSON; give NODES and EDGES for tables"
            )
        return load_ftm(nodes)[0]
    return load_csv_pair(nodes, edges, encoding=encoding, hints=hints)


def _looks_like_json(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1] in (b"{", b"[")
