"""`uflpa match` and `uflpa compare`: thin commands over `uflpa.match`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from uflpa.cli.output import Format, dumps, emit, emit_object
from uflpa.cli.shared import bundled_matcher, parse_date
from uflpa.errors import UsageError


def match_command(
    name: str = typer.Argument(..., help="Party name in any script: English, pinyin or Chinese."),
    country: str | None = typer.Option(
        None, "--country", help="Country of the party (CN, China…)."
    ),
    address: str | None = typer.Option(None, "--address", help="Address of the party."),
    identifier: list[str] = typer.Option([], "--identifier", help="Registration number (USCC)."),
    as_of: str | None = typer.Option(None, "--as-of", help="Screen against the list on this date."),
    top: int = typer.Option(5, "--top", min=1, help="Number of candidates to show."),
    fmt: Format = typer.Option(Format.table, "--format", help="Output format."),
) -> None:
    """Match one party name against the UFLPA Entity List, with the evidence."""
    day = parse_date(as_of)
    results = bundled_matcher().match(
        name, country=country, address=address, identifiers=identifier, as_of=day, top_k=top
    )
    rows = [r.to_dict() for r in results]
    if fmt in (Format.json, Format.jsonl):
        emit(rows, fmt)
        return
    if not rows:
        typer.echo(f"clear: no candidate for {name!r}")
        return
    table_rows = [
        {
            "verdict": r["verdict"],
            "score": f"{r['score']:.3f}",
            "entity": f"{r['entity_id']} {r['entity_name']}",
            "matched name": f"{r['matched_name']} ({r['name_form']})",
            "why": _why(r["evidence"]),
            "listed": f"{', '.join(r['sections'])} from {r['effective_date']}",
        }
        for r in rows
    ]
    emit(table_rows, fmt, title=f"uflpa match {name!r} ({results[0].list_version})")


def _why(evidence: dict[str, Any]) -> str:
    parts = [f"via {evidence['basis']}"]
    for key, feature in evidence["features"].items():
        if feature["value"] and key in ("trade_name_similarity", "han_core_match"):
            parts.append(f"{key}={feature['value']}: {feature['compared']}")
    place = evidence["features"].get("place_in_address", {})
    if place.get("value"):
        places = list(place["compared"]["query"]["address_places"])
        parts.append(f"place from the address: {places}")
    parts += [f"lowered: {k}" for k in evidence["qualifiers"]]
    return "; ".join(parts)


def compare_command(
    name1: str | None = typer.Argument(None, help="First name."),
    name2: str | None = typer.Argument(None, help="Second name."),
    pairs: Path | None = typer.Option(
        None, "--pairs", help="CSV file with columns name1,name2: one result per pair, in order."
    ),
    fmt: Format = typer.Option(Format.json, "--format", help="Output format."),
    use_list: bool = typer.Option(
        True,
        "--list/--no-list",
        help="Also use the names the bundled list knows for an entity (its Chinese names, "
        "aliases) when both names are hits on it; --no-list compares the strings alone.",
    ),
) -> None:
    """Are two names the same organisation? Score, verdict and features."""
    from uflpa.match.matcher import compare as compare_free

    compare = bundled_matcher().compare if use_list else compare_free
    if pairs is not None:
        if name1 or name2:
            raise UsageError("give either two names or --pairs FILE, not both")
        _compare_pairs(pairs, fmt, compare)
        return
    if not name1 or not name2:
        raise UsageError("compare needs two names (or --pairs FILE)")
    emit_object(compare(name1, name2).to_dict(), fmt)


def _compare_pairs(path: Path, fmt: Format, compare: Any) -> None:
    from uflpa.io import Record, open_table

    table = open_table(path, required=["name1", "name2"])
    rows: list[dict[str, Any]] = []
    bad = 0
    for entry in table:
        if isinstance(entry, Record):
            item = entry
            result = compare(item.values["name1"], item.values["name2"]).to_dict()
            row = {"row": item.row, "name1": item.values["name1"], "name2": item.values["name2"]}
            rows.append({**row, **result})
        else:
            bad += 1
            rows.append({"row": entry.row, "error": entry.reason, "file": entry.file})
            typer.echo(f"{entry.file}: row {entry.row}: {entry.reason}", err=True)
        if fmt is Format.jsonl:
            sys.stdout.write(dumps(rows.pop()) + "\n")
    if fmt is not Format.jsonl:
        emit(rows, fmt, columns=["row", "name1", "name2", "score", "verdict"])
    if bad:
        typer.echo(f"{bad} row(s) could not be compared", err=True)


def register(app: typer.Typer) -> None:
    """Add the matching commands to the root app."""
    app.command("match")(match_command)
    app.command("compare")(compare_command)


__all__ = ["register"]
