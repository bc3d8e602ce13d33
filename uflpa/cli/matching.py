"""`uflpa match` and `uflpa compare`: thin commands over `uflpa.match`, with the lists the store
holds (`uflpa.catalog`)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from uflpa.cli.output import Format, RawCsvOption, dumps, emit, emit_object, say
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
    explain: bool = typer.Option(
        False,
        "--explain",
        help="With --format table: also list, for each candidate, every feature as the question "
        "it tests and whether it held.",
    ),
) -> None:
    """Match one party name against the UFLPA Entity List, with the evidence."""
    from uflpa.catalog import matchers_for
    from uflpa.match.dated import listed_later
    from uflpa.match.explain import later_row, result_row

    if not name.strip():
        # An empty name matches nothing, and "clear" would read as a verdict on a party.
        raise UsageError("match needs a NAME; the name given is empty")
    check_lengths(
        "match",
        {"NAME": name, "--country": country, "--address": address, "--identifier": identifier},
    )
    day = parse_date(as_of)
    in_use = lists_in_use(lists, list_version)
    matchers = matchers_for(in_use)
    results = [
        result
        for matcher in matchers
        for result in matcher.match(
            name, country=country, address=address, identifiers=identifier, as_of=day, top_k=top
        )
    ]
    # Best first across the lists; at equal scores the lists keep their --lists order.
    results.sort(key=lambda r: -r.score)
    rows = [result_row(r) for r in results]
    if day is not None:
        # Not a candidate on `day`, but the name is a listed entity's: said, with the date.
        later = listed_later(
            matchers, name, day, results, country=country, address=address,
            identifiers=identifier, top_k=top,
        )  # fmt: skip
        rows += [later_row(r, day) for r in later]
    if fmt in (Format.json, Format.jsonl):
        emit(rows, fmt)
        return
    on_date = [r for r in rows if "listed_later" not in r]
    when = f" on {day.isoformat()}" if day else ""
    if not on_date:
        say(f"clear: no candidate for “{name}” on the list{when}")
    for r in rows:
        if "listed_later" in r:
            say(f"not a hit{when}: {r['listed_later']['says']}")
    if not on_date:
        return
    table_rows = [
        {
            "verdict": r["verdict"],
            "score": f"{r['score']:.3f}",
            "entity": f"{r['entity_id']} {r['entity_name']}",
            "matched name": f"{r['matched_name']} ({r['name_form'].replace('_', ' ')})",
            "why": r["why"],
            "listed": f"{', '.join(r['sections'])} from {r['effective_date']}",
        }
        for r in on_date
    ]
    versions = " + ".join(v.label for v in in_use.versions)
    emit(table_rows, fmt, title=f"uflpa match “{name}”{when} ({versions})")
    if explain and fmt is Format.table:
        for r in on_date:
            say(f"\n{r['entity_id']} {r['entity_name']}:")
            for sentence in r["explanation"]:
                say(f"  - {sentence}")


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
    for which, given in (("NAME1", name1), ("NAME2", name2)):
        if not given.strip():
            # A blank name is alike to nothing; a "clear" would read as a finding on a party.
            raise UsageError(f"compare {which}: the name given is empty")
    _emit_comparison(compare(name1, name2).to_dict(), name1, name2, fmt)


def _emit_comparison(result: dict[str, Any], name1: str, name2: str, fmt: Format) -> None:
    """JSON keeps the features as data and adds `explanation`, the same in words; a table
    lists every feature as the question it tests and whether it held; CSV is one row, as
    for --pairs."""
    from uflpa.match.explain import explain_comparison, findings, summary
    from uflpa.names.analyze import analyze

    legal = (analyze(name1).legal, analyze(name2).legal)
    why = summary(result, names=[name1, name2], legal=legal)
    if fmt in (Format.json, Format.jsonl):
        explained = explain_comparison(result, [name1, name2], legal)
        emit_object({**result, "explanation": explained}, fmt)
        return
    head = {"name1": name1, "name2": name2, "score": result["score"],
            "verdict": result["verdict"], "why": why}  # fmt: skip
    if fmt is Format.csv:
        emit([head], fmt)
        return
    say(f"{result['verdict']} at score {result['score']:.3f}: {why}")
    rows = [
        {"feature": f.name, "tests": f.tests, "result": f.result, "compared": f.compared}
        for f in findings(result)
    ]
    emit(rows, fmt, title=f"uflpa compare “{name1}” and “{name2}”")


def _compare_pairs(path: Path, fmt: Format, compare: Any) -> None:
    from uflpa.bulk.pairs import compare_pairs

    rows: list[dict[str, Any]] = []
    bad = 0
    from uflpa.match.explain import summary

    for row, ok in compare_pairs(path, compare):
        if ok:
            row["why"] = summary(row, names=[row["name1"], row["name2"]])
        else:
            bad += 1
            typer.echo(f"{row['file']}: row {row['row']}: {row['error']}", err=True)
        if fmt is Format.jsonl:
            sys.stdout.write(dumps(row) + "\n")
        else:
            rows.append(row)
    if fmt is not Format.jsonl:
        emit(rows, fmt, columns=["row", "name1", "name2", "score", "verdict", "why"])
    if bad:
        typer.echo(f"{bad} row(s) could not be compared", err=True)


def register(app: typer.Typer) -> None:
    """Add the matching commands to the root app."""
    app.command("match")(match_command)
    app.command("compare")(compare_command)


__all__ = ["register"]
