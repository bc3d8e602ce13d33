"""`uflpa match`, `uflpa compare` and `uflpa screen`: thin commands over `uflpa.match`."""

from __future__ import annotations

import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import typer

from uflpa.cli.output import Format, dumps, emit, emit_object
from uflpa.errors import UsageError

PARTY_ALIASES: dict[str, list[str]] = {
    "id": ["party_id", "supplier_id", "vendor_id", "no", "编号", "序号"],
    "name": ["party_name", "party", "supplier", "supplier_name", "vendor", "vendor_name",
             "company", "company_name", "entity", "名称", "公司名称", "供应商"],
    "country": ["country_code", "nation", "国家"],
    "address": ["addr", "address1", "地址"],
    "identifier": ["uscc", "registration_number", "reg_no", "统一社会信用代码", "tax_id"],
}  # fmt: skip


def _parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option}: {value!r} is not a date (use YYYY-MM-DD)") from None


def _matcher() -> Any:
    from uflpa.match import Matcher

    return Matcher.bundled()


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
    day = _parse_date(as_of, "--as-of")
    results = _matcher().match(
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
    parts += [f"lowered: {k}" for k in evidence["qualifiers"]]
    return "; ".join(parts)


def compare_command(
    name1: str | None = typer.Argument(None, help="First name."),
    name2: str | None = typer.Argument(None, help="Second name."),
    pairs: Path | None = typer.Option(
        None, "--pairs", help="CSV file with columns name1,name2: one result per pair, in order."
    ),
    fmt: Format = typer.Option(Format.json, "--format", help="Output format."),
) -> None:
    """Are two names the same organisation? Score, verdict and features."""
    from uflpa.match.matcher import compare

    if pairs is not None:
        if name1 or name2:
            raise UsageError("give either two names or --pairs FILE, not both")
        _compare_pairs(pairs, fmt)
        return
    if not name1 or not name2:
        raise UsageError("compare needs two names (or --pairs FILE)")
    emit_object(compare(name1, name2).to_dict(), fmt)


def _compare_pairs(path: Path, fmt: Format) -> None:
    from uflpa.io import Record, open_table
    from uflpa.match.matcher import compare

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


def screen_command(
    file: Path = typer.Argument(..., help="Party file: CSV, TSV, XLSX or Parquet."),
    column: list[str] = typer.Option(
        [], "--column", help="Map a column: NAME=HEADER (e.g. --column name='Supplier Name')."
    ),
    as_of: str | None = typer.Option(None, "--as-of", help="Screen against the list on this date."),
    encoding: str | None = typer.Option(None, "--encoding", help="Force the file encoding."),
    fmt: Format = typer.Option(Format.jsonl, "--format", help="Output format."),
) -> None:
    """Screen every row of a party file: columns id,name; optional country,address,identifier."""
    from uflpa.io import Record, open_table

    day = _parse_date(as_of, "--as-of")
    mapping: dict[str, str] = {}
    for item in column:
        key, sep, header = item.partition("=")
        if not sep or not key.strip() or not header.strip():
            raise UsageError(f"--column {item!r}: use NAME=HEADER")
        mapping[key.strip()] = header.strip()
    table = open_table(
        file,
        required=["name"],
        optional=["id", "country", "address", "identifier"],
        aliases=PARTY_ALIASES,
        column_map=mapping,
        encoding=encoding,
    )
    matcher = _matcher()
    verdicts: Counter[str] = Counter()
    entities: Counter[str] = Counter()
    issues = 0
    out_rows: list[dict[str, Any]] = []
    for record in table:
        row: dict[str, Any]
        if not isinstance(record, Record):
            issues += 1
            typer.echo(f"uflpa: {record.file}: row {record.row}: {record.reason}", err=True)
            row = {"id": None, "row": record.row, "name": None, "verdict": "error",
                   "error": record.reason, "file": record.file}  # fmt: skip
        else:
            row = _screen_row(matcher, record, day)
            verdicts[row["verdict"]] += 1
            if row["entity_id"]:
                entities[row["entity_id"]] += 1
        if fmt is Format.jsonl:
            sys.stdout.write(dumps(row) + "\n")
        else:
            out_rows.append(row)
    if fmt is not Format.jsonl:
        cols = ["row", "id", "name", "verdict", "score", "entity_id", "matched_name"]
        emit(out_rows, fmt, columns=cols)
    total = sum(verdicts.values()) + issues
    summary = ", ".join(f"{k} {verdicts[k]}" for k in ("hit", "review", "clear"))
    typer.echo(
        f"uflpa: screened {total} row(s) of {table.path} ({table.encoding or table.format}): "
        f"{summary}; rows not screened {issues}",
        err=True,
    )


def _screen_row(matcher: Any, item: Any, day: date | None) -> dict[str, Any]:
    values = item.values
    name = values.get("name", "")
    identifiers = [values["identifier"]] if values.get("identifier") else []
    results = matcher.match(
        name,
        country=values.get("country") or None,
        address=values.get("address") or None,
        identifiers=identifiers,
        as_of=day,
        top_k=1,
    )
    top = results[0] if results else None
    verdict = top.verdict if top else "clear"
    flagged = top is not None and verdict != "clear"
    return {
        "id": values.get("id") or None,
        "row": item.row,
        "name": name,
        "verdict": verdict,
        "score": round(top.score, 4) if top else 0.0,
        "entity_id": top.entity_id if flagged and top else None,
        "matched_name": top.matched_name if flagged and top else None,
        "evidence": top.evidence if flagged and top else _clear_evidence(top),
    }


def _clear_evidence(top: Any) -> dict[str, Any]:
    """Why a row is clear: the closest listed name and its score, below the review threshold."""
    if top is None:
        return {"best_candidate": None, "why": "no listed name shares a distinctive word"}
    return {
        "best_candidate": {
            "entity_id": top.entity_id,
            "matched_name": top.matched_name,
            "score": round(top.score, 4),
        },
        "why": f"best score below the review threshold {top.context.thresholds['review']}",
        "list_version": top.list_version,
        "algorithm": top.algorithm,
    }


def register(app: typer.Typer) -> None:
    """Add the matching commands to the root app."""
    app.command("match")(match_command)
    app.command("compare")(compare_command)
    app.command("screen")(screen_command)


__all__ = ["register"]
