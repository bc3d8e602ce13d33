"""`uflpa locate` and `uflpa hts`: thin commands over `uflpa.geo` and `uflpa.sectors`."""

from __future__ import annotations

from typing import Any

import typer

from uflpa.cli.output import Format, RawCsvOption, emit, emit_object
from uflpa.cli.shared import check_lengths


def locate_command(
    address: str = typer.Argument(..., help="Address or party line, in any script."),
    country: str | None = typer.Option(
        None, "--country", help="Declared country of the party (CN, KZ, TR…)."
    ),
    fmt: Format = typer.Option(Format.table, "--format", help="Output format."),
    raw_csv: RawCsvOption = False,
) -> None:
    """Say whether an address points to Xinjiang (XUAR), with the places and signals found."""
    from uflpa.geo import locate

    check_lengths("locate", {"ADDRESS": address, "--country": country})
    result = locate(address, country=country).to_dict()
    if fmt in (Format.json, Format.jsonl):
        emit_object(result, fmt)
        return
    if fmt is Format.csv:
        emit([_flat_location(result)], fmt)
        return
    emit_object({k: result[k] for k in ("in_xinjiang", "confidence", "reason")}, fmt)
    if result["places"]:
        rows = [{**p, "span": _span(p["span"])} for p in result["places"]]
        emit(rows, fmt, columns=["code", "name", "name_zh", "level", "span"], title="places")
    if result["signals"]:
        rows = [{**s, "span": _span(s["span"])} for s in result["signals"]]
        emit(rows, fmt, columns=["strength", "kind", "detail", "span"], title="signals")


def _span(span: list[int] | None) -> str:
    return f"{span[0]}-{span[1]}" if span else ""


def _flat_location(result: dict[str, Any]) -> dict[str, Any]:
    return {
        "in_xinjiang": result["in_xinjiang"],
        "confidence": result["confidence"],
        "places": [p["code"] for p in result["places"]],
        "signals": [f"{s['strength']}:{s['kind']}" for s in result["signals"]],
        "reason": result["reason"],
    }


def hts_command(
    code: str = typer.Argument(
        ...,
        help="HTS code: 5201, 5201.00.1000, '8541 43', HTS 3904.10…; common malformed forms "
        "(5201.1, ５２０１．００, 5201-00) are read with the repair shown.",
    ),
    fmt: Format = typer.Option(Format.table, "--format", help="Output format."),
    raw_csv: RawCsvOption = False,
) -> None:
    """Map an HTS code to the UFLPA high-priority sectors it falls in (uflpa's own mapping)."""
    from uflpa.sectors import classify_hts

    check_lengths("hts", {"CODE": code})
    result = classify_hts(code).to_dict()
    if fmt in (Format.json, Format.jsonl):
        emit_object(result, fmt)
        return
    columns = ["sector", "year_named", "scope", "coverage", "rule"]
    if fmt is Format.csv:
        if result["repair"]:
            typer.echo(f"note: {result['repair']}", err=True)
        emit(result["sectors"], fmt, columns=columns)
        return
    if result["repair"]:
        typer.echo(f"note: {result['repair']}")
    if result["sectors"]:
        emit(result["sectors"], fmt, columns=columns, title=f"uflpa hts {result['formatted']}")
    else:
        typer.echo(f"no high-priority sector maps to HTS {result['formatted']}")
    typer.echo(f"note: {result['mapping_note']}")


def register(app: typer.Typer) -> None:
    """Add `locate` and `hts` to the root app."""
    app.command("locate")(locate_command)
    app.command("hts")(hts_command)
