"""`uflpa trace`: the options of a supply-chain trace and what it prints; the run is
`uflpa.bulk.tracing`'s.

Output is one row per node (jsonl by default): its verdict, its own reasons and its exposures,
each with the rule and the path back to the risk node, and the versions (list, rules, trace
rules) the verdict depends on. A one-line summary goes to stderr so that stdout keeps only data.
"""

from __future__ import annotations

import sys
from contextlib import ExitStack
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Any

import typer

from uflpa.cli.output import Format, RawCsvOption, emit
from uflpa.cli.shared import LIST_VERSION_HELP, LISTS_HELP, parse_date, screener_factory
from uflpa.errors import UsageError

EXAMPLES_DIR = "examples/chains"


class Example(str, Enum):  # noqa: UP042 - typer needs a str Enum for choices
    cotton = "cotton"
    solar = "solar"


def trace_command(
    nodes: Path | None = typer.Argument(
        None, help="nodes.csv (or XLSX...), or one FollowTheMoney JSON file."
    ),
    edges: Path | None = typer.Argument(None, help="edges.csv; omit for a FollowTheMoney file."),
    example: Example | None = typer.Option(
        None, "--example", help="Trace a bundled example chain (invented data)."
    ),
    as_of: str | None = typer.Option(
        None,
        "--as-of",
        help="Day to trace: the list on that day and the edges active then (default: the "
        "current list, edges active today).",
    ),
    node: list[str] = typer.Option([], "--node", help="Only report this node id (repeatable)."),
    max_paths: int = typer.Option(
        3, "--max-paths", min=1, max=50, help="Supply exposures kept per node (nearest first)."
    ),
    lists: str | None = typer.Option(None, "--lists", help=LISTS_HELP),
    list_version: list[str] = typer.Option([], "--list-version", help=LIST_VERSION_HELP),
    fmt: Format = typer.Option(Format.jsonl, "--format", help="Output format."),
    raw_csv: RawCsvOption = False,
    graph_file: Path | None = typer.Option(
        None, "--graph", help="Also draw the chain to FILE.svg or FILE.html."
    ),
    encoding: str | None = typer.Option(None, "--encoding", help="Force the table encoding."),
) -> None:
    """Trace a supply chain upstream through every tier.

    Each node is screened like a party (list match on the day, Xinjiang location); a node is
    hit when a supply path active on the day reaches a hit node, or when a listing "and
    subsidiaries" covers it through `owns` edges (the trace rules, uflpa-trace-v1). Tables:
    nodes.csv (id,name,country,address,identifier) and edges.csv (source,target,relation,product,
    hts,start_date,end_date,share; relation supplies|owns, goods flow source -> target).
    """
    from uflpa.bulk.tracing import TraceRequest, trace_files

    day = parse_date(as_of)
    with ExitStack() as stack:
        if example is not None:
            if nodes is not None:
                raise UsageError("give either NODES [EDGES] or --example, not both")
            base = resources.files("uflpa.data").joinpath(EXAMPLES_DIR, example.value)
            nodes = stack.enter_context(resources.as_file(base.joinpath("nodes.csv")))
            edges = stack.enter_context(resources.as_file(base.joinpath("edges.csv")))
        if nodes is None:
            raise UsageError("trace needs NODES and EDGES, one FollowTheMoney file, or --example")
        request = TraceRequest(
            nodes=nodes,
            edges=edges,
            encoding=encoding,
            as_of=day,
            max_paths=max_paths,
            only=tuple(node),
        )
        run = trace_files(request, screener_factory(lists, list_version))
    if graph_file is not None:
        from uflpa.graph.draw import draw

        draw(run.traced, graph_file)
    if fmt is Format.table or fmt is Format.csv:
        emit([_flat(r.to_dict()) for r in run.records], fmt, columns=_FLAT_COLUMNS)
    else:
        emit(({**r.to_dict(), "as_of": run.day.isoformat()} for r in run.records), fmt)
    summary = run.summary()
    if graph_file is not None:
        summary += f"; graph written to {graph_file}"
    typer.echo(summary, file=sys.stderr)


_FLAT_COLUMNS = ["id", "verdict", "own", "tier", "path", "exposures"]


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    exposure = row["exposure"]
    first = exposure[0] if exposure else None
    return {
        "id": row["id"],
        "name": row["name"],
        "verdict": row["verdict"],
        "own": ", ".join(r["rule"] for r in row["own_reasons"]) or row["own_verdict"],
        "tier": first["tier"] if first else None,
        "risk node": first["risk_node"] if first else None,
        "path": " ← ".join(first["path"]) if first else None,
        "exposures": len(exposure),
    }


def register(app: typer.Typer) -> None:
    """Add `uflpa trace` to the root app."""
    app.command("trace")(trace_command)
