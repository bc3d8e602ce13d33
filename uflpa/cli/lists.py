"""`uflpa lists ...`: show, history, diff, stats, chart and update of the stored list versions.

Thin commands over `uflpa.lists` (history), `uflpa.store.ListStore` and `uflpa.catalog.update_list`
(fetch, parse, reconcile, store); every listing command takes `--format table|csv|json|jsonl`.
Errors are `uflpa.errors` classes, which `uflpa.cli.app.main` prints as one line.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from uflpa.cli.output import Format, RawCsvOption, dumps, emit, emit_object
from uflpa.cli.shared import parse_day
from uflpa.errors import RefusedUpdate, UsageError
from uflpa.lists.history import ListDiff, as_of, diff, sector_labels, stats
from uflpa.model import UFLPA_LIST, ListedEntity, ListVersion, normalize_section

if TYPE_CHECKING:
    from uflpa.store import ListStore

#: The default of `lists update --max-removed-share` (uflpa.catalog.update.MAX_REMOVED_SHARE,
#: not imported here so that `--help` does not load the catalog).
MAX_REMOVED_SHARE = 0.10

DEFAULT_LIST = UFLPA_LIST

lists_app = typer.Typer(
    help="The UFLPA Entity List and other lists: show, history, diff, stats, chart, update.",
    no_args_is_help=True,
)

FORMAT_HELP = "Output format: table, csv, json or jsonl."
AS_OF_HELP = "Day to look at, YYYY-MM-DD (default: today)."
VERSION_HELP = (
    "List version: an id or hash prefix from `lists history`, a date (the version that was the "
    "latest that day), 'latest' or 'bundled'."
)
LIST_HELP = "Which list (default: the UFLPA Entity List)."

# Options shared by several commands.
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help=AS_OF_HELP)]
VersionOpt = Annotated[str, typer.Option("--list-version", help=VERSION_HELP)]
ListOpt = Annotated[str, typer.Option("--list", help=LIST_HELP)]
FormatOpt = Annotated[Format, typer.Option("--format", help=FORMAT_HELP)]


def _open_store() -> ListStore:
    # Imported on use: DuckDB and Arrow cost a few hundred ms that `--help` should not pay.
    # Read-only: other uflpa processes may read the store at the same time.
    from uflpa.store import ListStore

    return ListStore(read_only=True)


def _stored_version(list_version: str, list_name: str) -> ListVersion:
    """One stored version (the `--version` and `--list` options), the store closed after."""
    with _open_store() as store:
        return store.get(list_version, list_name=list_name)


def short_section(section: str) -> str:
    """'2(d)(2)(B)(v)' -> '(v)'; other labels unchanged."""
    return section.removeprefix("2(d)(2)(B)") or section


def _caveat(version: ListVersion) -> None:
    """Say how complete the data is, on stderr so that piped output stays clean."""
    if version.coverage:
        typer.echo(f"note: {version.coverage}", err=True)


def _entity_row(e: ListedEntity, version: ListVersion) -> dict[str, Any]:
    return {
        "id": e.id,
        "name": e.name,
        "aliases": list(e.aliases),
        "former_names": list(e.former_names),
        "subsidiaries": e.subsidiaries,
        "listings": [
            {
                "section": lst.section,
                "effective_date": lst.effective_date.isoformat() if lst.effective_date else None,
                "removal_date": lst.removal_date.isoformat() if lst.removal_date else None,
            }
            for lst in e.listings
        ],
        "sectors": list(sector_labels(e)),
        "sector_text": list(e.sectors),
        "parent": e.parent,
        "location": e.location,
        "country": e.country,
        "confidence": e.confidence,
        "list": e.list_name,
        "list_version": version.version_id,
    }


def _table_row(row: dict[str, Any]) -> dict[str, Any]:
    listings = row["listings"]
    dates = sorted(x["effective_date"] for x in listings if x["effective_date"])
    return {
        "id": row["id"],
        "name": row["name"],
        "sections": ", ".join(dict.fromkeys(short_section(x["section"]) for x in listings)),
        "since": dates[0] if dates else "",
        "other names": [*row["aliases"], *row["former_names"]],
        "sector": row["sectors"],
    }


@lists_app.command("show")
def show(
    as_of_day: AsOfOpt = None,
    section: Annotated[
        str | None, typer.Option("--section", help="Only this section, e.g. v.")
    ] = None,
    sector: Annotated[
        str | None,
        typer.Option("--sector", help="Only this sector label (e.g. 'polysilicon/solar') or word."),
    ] = None,
    list_version: VersionOpt = "latest",
    list_name: ListOpt = DEFAULT_LIST,
    fmt: FormatOpt = Format.table,
    raw_csv: RawCsvOption = False,
) -> None:
    """The entities listed on a day, with their names, sections and dates."""
    day = parse_day(as_of_day)
    version = _stored_version(list_version, list_name)
    entities = as_of(version, day)
    if section:
        wanted = normalize_section(section)
        entities = [e for e in entities if any(lst.section == wanted for lst in e.listings)]
    if sector:
        word = sector.strip().casefold()
        entities = [
            e
            for e in entities
            if any(
                word == lab.casefold() or word in lab.casefold().split("/")
                for lab in sector_labels(e)
            )
            or any(word in text.casefold() for text in e.sectors)
        ]
    rows = [_entity_row(e, version) for e in entities]
    if fmt in (Format.json, Format.jsonl):
        emit(rows, fmt)
        return
    title = f"{version.version_id} as of {day.isoformat()}: {len(rows)} entities"
    # The table leaves other names out to stay readable in 80 columns; CSV keeps them.
    columns = ["id", "name", "sections", "since", "sector"]
    if fmt is Format.csv:
        columns.insert(2, "other names")
    emit([_table_row(r) for r in rows], fmt, columns=columns, title=title)
    if fmt is Format.table:
        _caveat(version)


@lists_app.command("history")
def history(
    list_name: Annotated[str | None, typer.Option("--list", help="Only this list.")] = None,
    fmt: FormatOpt = Format.table,
    raw_csv: RawCsvOption = False,
) -> None:
    """The list versions in the store, oldest first; 'in use' marks the one screening uses."""
    with _open_store() as store:
        records = store.versions(list_name)
        in_use = {
            rec["version_id"]
            for name in store.lists()
            if (rec := store.latest_record(name)) is not None
        }
    rows = [
        {
            "version_id": r["version_id"],
            "in_use": r["version_id"] in in_use,
            "list": r["list_name"],
            "source": r["source"],
            "published": r["published"].isoformat() if r["published"] else None,
            # The latest date its source stated (the DHS page's "Last Updated"), over every fetch.
            "last_updated": r["last_updated"].isoformat() if r["last_updated"] else None,
            "entities": r["entity_count"],
            "ingested_at": r["ingested_at"],
            "origin": r["origin"],
            "content_hash": r["content_hash"],
            "coverage": (r["coverage"] or {}).get("summary"),
        }
        for r in records
    ]
    if fmt is Format.table:
        table = [
            {
                **r,
                "ingested": r["ingested_at"][:16].replace("T", " "),
                "in use": "yes" if r["in_use"] else "",
                "last updated": r["last_updated"] or "",
            }
            for r in rows
        ]
        columns = [
            "version_id",
            "in use",
            "source",
            "published",
            "last updated",
            "entities",
            "ingested",
        ]
        emit(table, fmt, columns=columns, title="Stored list versions, oldest first")
        return
    emit(rows, fmt)


def _detail_text(detail: dict[str, Any]) -> str:
    parts: list[str] = []
    if "old_name" in detail:
        parts.append(f"{detail['old_name']} -> {detail['new_name']}")
    for key, label in (
        ("aliases_added", "+alias"),
        ("aliases_removed", "-alias"),
        ("former_names_added", "+former name"),
        ("former_names_removed", "-former name"),
    ):
        parts.extend(f"{label}: {n}" for n in detail.get(key, ()))
    for key, label in (
        ("listings_added", "+listing"),
        ("listings_removed", "-listing"),
        ("listings_ended", "ended"),
    ):
        for lst in detail.get(key, ()):
            text = f"{label} {short_section(lst['section'])} from {lst['effective_date']}"
            if lst.get("removal_date"):
                text += f" until {lst['removal_date']}"
            parts.append(text)
    return "; ".join(parts)


def _emit_diff(d: ListDiff, fmt: Format) -> None:
    if fmt is Format.json:
        emit_object(d.to_dict(), fmt)
        return
    changes = [c.to_dict() for c in d.changes()]
    if fmt is Format.jsonl:
        emit(changes, fmt)
        return
    counts = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in d.counts().items())
    rows = [
        {"change": c["change"], "id": c["id"], "name": c["name"], "detail": _detail_text(c)}
        for c in changes
    ]
    if fmt is Format.csv:
        emit(rows, fmt, columns=["change", "id", "name", "detail"])
        return
    typer.echo(f"{d.old_version} -> {d.new_version}: {counts}")
    if rows:
        emit(rows, fmt, columns=["change", "id", "name", "detail"])


@lists_app.command("diff")
def diff_cmd(
    old: Annotated[
        str | None, typer.Argument(help="Older version (default: the one before NEW).")
    ] = None,
    new: Annotated[str | None, typer.Argument(help="Newer version (default: latest).")] = None,
    list_name: ListOpt = DEFAULT_LIST,
    fmt: FormatOpt = Format.table,
    raw_csv: RawCsvOption = False,
) -> None:
    """What changed between two list versions: added, removed, renamed, aliases, sections."""
    with _open_store() as store:
        if old is not None and new is None:
            new_version = store.get(old, list_name=list_name)
            old_version = store.previous(new_version)
        else:
            new_version = store.get(new or "latest", list_name=list_name)
            old_version = (
                store.get(old, list_name=list_name) if old else store.previous(new_version)
            )
    if old_version is None:
        typer.echo(
            f"nothing to compare: {new_version.version_id} is the first stored version of "
            f"{new_version.list_name} (load another with: uflpa lists update --from ...)",
            err=True,
        )
        return
    _emit_diff(diff(old_version, new_version), fmt)


def _stats_tables(s: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    coverage = s.get("coverage") or {}
    official = {r["effective_date"]: r for r in coverage.get("by_effective_date", [])}
    by_date = []
    for d, n in s["additions_by_effective_date"].items():
        row: dict[str, Any] = {
            "effective date": d,
            "new entities": n,
            "listed after": s["listed_after_effective_date"][d],
        }
        if official:
            off = official.get(d, {})
            row["DHS announced total"] = off.get("dhs_running_total")
            row["missing from this data"] = off.get("missing")
        by_date.append(row)
    as_of_day = date.fromisoformat(s["as_of"])
    by_year = [
        {
            # A year still running on the as-of day is counted up to that day.
            "year": y
            if int(y) < as_of_day.year or s["as_of"].endswith("12-31")
            else f"{y} (to {s['as_of']})",
            "added that year": n,
            "listed at year end": s["listed_at_year_end"][y],
        }
        for y, n in s["additions_by_year"].items()
    ]
    sections = [{"section": k, "entities": v} for k, v in s["by_section"].items()]
    sectors = [{"sector": k, "entities": v} for k, v in s["by_sector"].items()]
    return [
        ("By year", by_year),
        ("Additions by effective date", by_date),
        (f"By section, as of {s['as_of']}", sections),
        (f"By sector, as of {s['as_of']}", sectors),
    ]


@lists_app.command("stats")
def stats_cmd(
    as_of_day: AsOfOpt = None,
    list_version: VersionOpt = "latest",
    list_name: ListOpt = DEFAULT_LIST,
    fmt: FormatOpt = Format.table,
    raw_csv: RawCsvOption = False,
) -> None:
    """How many entities were listed on a day, when they were added, by section and sector."""
    day = parse_day(as_of_day)
    version = _stored_version(list_version, list_name)
    s = stats(version, day)
    if fmt in (Format.json, Format.jsonl):
        emit_object(s, fmt)
        return
    tables = _stats_tables(s)
    if fmt is Format.csv:
        # Long format: one figure per row, so every table fits one CSV header.
        rows: list[dict[str, Any]] = []
        for title, table in tables:
            for r in table:
                key, *figures = r.items()
                rows.extend(
                    {"table": title, "key": key[1], "metric": metric, "value": value}
                    for metric, value in figures
                )
        emit(rows, fmt, columns=["table", "key", "metric", "value"])
        return
    typer.echo(f"{s['list_version']} as of {s['as_of']}: {s['entities']} entities listed")
    for title, table in tables:
        typer.echo("")
        emit(table, fmt, title=title)
    coverage = s.get("coverage") or {}
    typer.echo("")
    if coverage.get("by_effective_date"):
        typer.echo(
            "DHS did not count named subsidiaries one by one before 2024-05-17, so its totals "
            "of 2023 are lower than the entities listed here."
        )
    typer.echo(
        "An entity listed under several sections counts in each; sectors are read from the "
        "listing and release text."
    )
    on_day = s.get("coverage_on_day")
    if on_day and not on_day["missing"]:
        typer.echo(
            f"Complete on {s['as_of']}: all {on_day['official_entities']} entities DHS had listed "
            "by then are in this data."
        )
    elif on_day:
        typer.echo(
            f"Incomplete on {s['as_of']}: {on_day['missing']} of the "
            f"{on_day['official_entities']} entities DHS had listed by then are missing here."
        )
    typer.echo(f"Completeness: {coverage.get('summary') or 'not stated by this list source.'}")


@lists_app.command("chart")
def chart(
    out: Annotated[Path, typer.Option("--out", help="Image to write: FILE.png or FILE.svg.")],
    as_of_day: AsOfOpt = None,
    list_version: VersionOpt = "latest",
    list_name: ListOpt = DEFAULT_LIST,
) -> None:
    """Draw the number of listed entities over time, per section and in total."""
    from uflpa.reports.list_chart import CHART_FORMATS, write_chart

    if out.suffix.lower() not in CHART_FORMATS:
        raise UsageError(f"--out must end in .png or .svg, not {out.name!r}")
    day = parse_day(as_of_day)
    version = _stored_version(list_version, list_name)
    write_chart(version, out, day, caption=version.coverage)
    typer.echo(f"wrote {out}")


@lists_app.command("update")
def update(
    source_ref: Annotated[str, typer.Option("--from", help="URL or file of a published list.")],
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            help="Parser: dhs-uflpa, federal-register, opensanctions or csl (default: detect).",
        ),
    ] = None,
    timeout: Annotated[float, typer.Option("--timeout", help="Network timeout in seconds.")] = 30.0,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Store and use the source even if it removes more than --max-removed-share of "
            "the entities in use, or is dated before the version in use.",
        ),
    ] = False,
    max_removed_share: Annotated[
        float,
        typer.Option(
            "--max-removed-share",
            help="Refuse a source that would remove more than this share of the entities in use "
            "(0 to 1).",
        ),
    ] = MAX_REMOVED_SHARE,
    user: Annotated[
        str | None,
        typer.Option("--user", help="Who ingests, for the audit log (default: UFLPA_USER)."),
    ] = None,
    fmt: FormatOpt = Format.table,
    raw_csv: RawCsvOption = False,
) -> None:
    """Fetch and parse a list, keep its ids stable, store it, and show what changed.

    The new version is what `match`, `screen` and `trace` use from then on. A source that would
    remove more than --max-removed-share of the entities in use, or that is dated before the
    version in use, is refused and nothing stored, unless --force. A source holding the content
    of an older stored version makes that version the one in use again.
    """
    from uflpa.catalog.update import update_list

    try:
        result = update_list(
            source_ref,
            source=source,
            timeout=timeout,
            force=force,
            max_removed_share=max_removed_share,
        )
    except RefusedUpdate as exc:
        raise RefusedUpdate(f"{exc}; if the source is right, store it with --force") from None
    version = result.version
    if result.created or result.restored:
        from uflpa.casework.actors import actor_name
        from uflpa.casework.ingests import record_ingest
        from uflpa.records import engine_for

        record_ingest(engine_for(), actor_name(user), result)
    if result.restored:
        previous = result.previous.version_id if result.previous else "none"
        typer.echo(
            f"in use again: {result.origin} holds the content of {version.version_id}, stored "
            f"before; screening uses it again instead of {previous}",
            err=True,
        )
        if result.changes is not None:
            _emit_diff(result.changes, fmt)
        return
    if not result.created:
        typer.echo(
            f"unchanged: {result.origin} holds {version.version_id}, already stored", err=True
        )
        if fmt in (Format.json, Format.jsonl):
            typer.echo(dumps({"version_id": version.version_id, "created": False, "changes": []}))
        return
    typer.echo(
        f"stored {version.version_id}: {len(version.entities)} entities from {result.origin}",
        err=True,
    )
    if result.in_use:
        typer.echo(f"screening now uses {version.version_id}", err=True)
        before = result.previous_date
        if version.published and before and version.published < before:
            typer.echo(
                f"note: {version.version_id} was published {version.published.isoformat()}, "
                f"before the version it replaces ({before.isoformat()}); use --list-version "
                "to screen against another stored version",
                err=True,
            )
    else:
        typer.echo(
            f"screening keeps {result.in_use_id}, published after this version; use "
            f"--list-version {version.version_id} to screen against this one",
            err=True,
        )
    if result.changes is None:
        typer.echo(f"first stored version of {version.list_name}; nothing to compare", err=True)
        return
    _emit_diff(result.changes, fmt)
