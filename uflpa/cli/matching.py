"""`uflpa match` and `uflpa compare`: thin commands over `uflpa.match`, with the lists the store
holds (`uflpa.catalog`)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from uflpa.cli.output import Format, RawCsvOption, dumps, emit, emit_object
from uflpa.cli.shared import (
    LIST_VERSION_HELP,
    LISTS_HELP,
    check_lengths,
    lists_in_use,
    parse_date,
)
from uflpa.errors import UsageError

if TYPE_CHECKING:
    from uflpa.match import Comparison


def match_command(
    name: str = typer.Argument(..., help="Party name in any script: English, pinyin or Chinese."),
    country: str | None = typer.Option(
        None, "--country", help="Country of the party (CN, China…)."
    ),
    address: str | None = typer.Option(None, "--address", help="Address of the party."),
    identifier: list[str] = typer.Option([], "--identifier", help="Registration number (USCC)."),
    as_of: str | None = typer.Option(None, "--as-of", help="Screen against the list on this date."),
    top: int = typer.Option(5, "--top", min=1, help="Number of candidates to show (per list)."),
    lists: str | None = typer.Option(None, "--lists", help=LISTS_HELP),
    list_version: list[str] = typer.Option([], "--list-version", help=LIST_VERSION_HELP),
    fmt: Format = typer.Option(Format.table, "--format", help="Output format."),
    raw_csv: RawCsvOption = False,
) -> None:
    """Match one party name against the UFLPA Entity List, with the evidence."""
    from uflpa.catalog import matchers_for

    if not name.strip():
        # An empty name matches nothing, and "clear" would read as a verdict on a party.
        raise UsageError("match needs a NAME; the name given is empty")
    check_lengths(
        "match",
        {"NAME": name, "--country": country, "--address": address, "--identifier": identifier},
    )
    day = parse_date(as_of)
    in_use = lists_in_use(lists, list_version)
    results = [
        result
        for matcher in matchers_for(in_use)
        for result in matcher.match(
            name, country=country, address=address, identifiers=identifier, as_of=day, top_k=top
        )
    ]
    # Best first across the lists; at equal scores the lists keep their --lists order.
    results.sort(key=lambda r: -r.score)
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
    versions = " + ".join(v.label for v in in_use.versions)
    emit(table_rows, fmt, title=f"uflpa match {name!r} ({versions})")


def _why(evidence: dict[str, Any]) -> str:
    parts = [f"via {evidence['basis']}"]
    for key, feature in evidence["features"].items():
        if feature["value"] and key in ("trade_name_similarity", "han_core_match"):
            parts.append(f"{key}={feature['value']}: {feature['compared']}")
    place = evidence["features"].get("place_in_address", {})
    if place.get("value"):
        places = list(place["compared"]["query"]["address_places"])
        parts.append(f"place from the address: {places}")
    for key, qualifier in evidence["qualifiers"].items():
        parts.append(_country(qualifier) if key == "country_mismatch" else f"lowered: {key}")
    return "; ".join(parts)


def _country(qualifier: dict[str, Any]) -> str:
    """The country mismatch in words (the evidence has the full sentence): the reason a listed
    name given with another country is a review."""
    compared = qualifier.get("compared") or {}
    text = (
        f"lowered: the country differs ({compared.get('query_country')}; listed in "
        f"{str(compared.get('listed_country')).upper()})"
    )
    return text + (", held at review" if compared.get("held_at_review") else "")


def compare_command(
    name1: str | None = typer.Argument(None, help="First name."),
    name2: str | None = typer.Argument(None, help="Second name."),
    pairs: Path | None = typer.Option(
        None, "--pairs", help="CSV file with columns name1,name2: one result per pair, in order."
    ),
    fmt: Format = typer.Option(Format.json, "--format", help="Output format."),
    raw_csv: RawCsvOption = False,
    use_list: bool = typer.Option(
        True,
        "--list/--no-list",
        help="Also use the names the UFLPA Entity List knows for an entity (its Chinese names, "
        "aliases) when both names are hits on it; --no-list compares the strings alone.",
    ),
    list_version: list[str] = typer.Option([], "--list-version", help=LIST_VERSION_HELP),
) -> None:
    """Are two names the same organisation? Score, verdict and features."""
    from uflpa.catalog import ListSelection, matchers_for, open_lists
    from uflpa.match.matcher import compare as compare_free

    check_lengths("compare", {"NAME1": name1, "NAME2": name2})
    compare: Callable[[str, str], Comparison] = compare_free
    if use_list:
        compare = matchers_for(open_lists(ListSelection.of(None, list_version)))[0].compare
    if pairs is not None:
        if name1 or name2:
            raise UsageError("give either two names or --pairs FILE, not both")
        _compare_pairs(pairs, fmt, compare)
        return
    if not name1 or not name2:
        raise UsageError("compare needs two names (or --pairs FILE)")
    emit_object(compare(name1, name2).to_dict(), fmt)


def _compare_pairs(path: Path, fmt: Format, compare: Any) -> None:
    from uflpa.bulk.pairs import compare_pairs

    rows: list[dict[str, Any]] = []
    bad = 0
    for row, ok in compare_pairs(path, compare):
        if not ok:
            bad += 1
            typer.echo(f"{row['file']}: row {row['row']}: {row['error']}", err=True)
        if fmt is Format.jsonl:
            sys.stdout.write(dumps(row) + "\n")
        else:
            rows.append(row)
    if fmt is not Format.jsonl:
        emit(rows, fmt, columns=["row", "name1", "name2", "score", "verdict"])
    if bad:
        typer.echo(f"{bad} row(s) could not be compared", err=True)


def register(app: typer.Typer) -> None:
    """Add the matching commands to the root app."""
    app.command("match")(match_command)
    app.command("compare")(compare_command)


__all__ = ["register"]
