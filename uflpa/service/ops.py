"""What the API and the web pages do, once: each operation takes plain values, works through the
layers every surface shares (`uflpa.catalog`, `uflpa.bulk`, `uflpa.store`) and returns plain
data (dicts and lists, ready for JSON or a template). Errors are `uflpa.errors` classes, which
the app maps to HTTP statuses in one table.
"""

from __future__ import annotations

import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from uflpa.catalog import ListSelection, ListsInUse, matchers_for, open_lists
from uflpa.errors import InputError, NotFoundError, UsageError
from uflpa.lists.history import as_of as entities_as_of
from uflpa.lists.history import diff as list_diff
from uflpa.lists.history import listed_on, sector_labels
from uflpa.match.dated import listed_later
from uflpa.match.explain import explain_comparison, later_row, result_row
from uflpa.model import UFLPA_LIST, ListedEntity, ListVersion
from uflpa.service.uploads import retold
from uflpa.settings import MAX_FIELD_CHARS, Settings
from uflpa.store import ListStore

if TYPE_CHECKING:
    from sqlalchemy import Engine

#: Seconds a resolved list selection is reused before the store is asked again, so that a new
#: list version reaches the service's verdicts within this time without a restart.
LISTS_TTL = 5.0
#: Longest name, address or identifier the service accepts in a match request.
MAX_FIELD = MAX_FIELD_CHARS

_lists_cache: dict[tuple[str | None, tuple[str, ...]], tuple[float, ListsInUse]] = {}
_lists_lock = threading.Lock()


def lists_in_use(
    settings: Settings, lists: str | None = None, versions: tuple[str, ...] = ()
) -> ListsInUse:
    """The list versions a request screens against (the latest UFLPA list by default)."""
    key = (lists, versions)
    now = time.monotonic()
    with _lists_lock:
        hit = _lists_cache.get(key)
        if hit is not None and now - hit[0] < LISTS_TTL:
            return hit[1]
    in_use = open_lists(ListSelection.of(lists, list(versions)), settings)
    with _lists_lock:
        if len(_lists_cache) > 64:
            _lists_cache.clear()
        _lists_cache[key] = (now, in_use)
    return in_use


def forget_lists() -> None:
    """Resolve list selections afresh (after an ingest in this process)."""
    with _lists_lock:
        _lists_cache.clear()


def _field(value: str | None, what: str, *, required: bool = False) -> str | None:
    if value is None:
        if required:
            raise UsageError(f"{what}: required")
        return None
    if len(value) > MAX_FIELD:
        raise UsageError(f"{what}: {len(value):,} characters; at most {MAX_FIELD:,} are accepted")
    if required and not value.strip():
        raise UsageError(f"{what}: empty; give a party name in any script")
    return value


def match_party(
    settings: Settings,
    name: str,
    *,
    country: str | None = None,
    address: str | None = None,
    identifiers: tuple[str, ...] = (),
    as_of: date | None = None,
    top: int = 5,
    lists: str | None = None,
    list_versions: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The best listed candidates for one party, best first, with their evidence in words."""
    _field(name, "name", required=True)
    _field(country, "country")
    _field(address, "address")
    for ident in identifiers:
        _field(ident, "identifier")
    if not 1 <= top <= 50:
        raise UsageError(f"top: {top} is out of range 1-50")
    in_use = lists_in_use(settings, lists, list_versions)
    matchers = matchers_for(in_use)
    results = [
        result
        for matcher in matchers
        for result in matcher.match(
            name, country=country, address=address, identifiers=identifiers, as_of=as_of, top_k=top
        )
    ]
    results.sort(key=lambda r: -r.score)
    # The evidence in words (`why`, `explanation`): one renderer for every surface.
    candidates = [result_row(r) for r in results]
    verdict = candidates[0]["verdict"] if candidates else "clear"
    later: list[dict[str, Any]] = []
    if as_of is not None:
        # Not a candidate on `as_of`, but the name is a listed entity's: said, with the date.
        later = [
            later_row(r, as_of)
            for r in listed_later(
                matchers, name, as_of, results, country=country, address=address,
                identifiers=identifiers, top_k=top,
            )
        ]  # fmt: skip
    return {
        "query": {
            "name": name,
            "country": country,
            "address": address,
            "identifiers": list(identifiers),
            "as_of": as_of.isoformat() if as_of else None,
        },
        "verdict": verdict,
        "candidates": candidates,
        "listed_later": later,
        "lists": in_use.to_dict()["lists"],
        "caveats": in_use.caveats,
    }


def compare_names(settings: Settings, name1: str, name2: str, *, use_list: bool) -> dict[str, Any]:
    """Are two names the same organisation?"""
    from uflpa.match.matcher import compare as compare_free
    from uflpa.names.analyze import analyze

    _field(name1, "name1", required=True)
    _field(name2, "name2", required=True)
    if use_list:
        matcher = matchers_for(lists_in_use(settings))[0]
        result = matcher.compare(name1, name2).to_dict()
    else:
        result = compare_free(name1, name2).to_dict()
    legal = (analyze(name1).legal, analyze(name2).legal)
    result["explanation"] = explain_comparison(result, [name1, name2], legal)
    return result


def locate_address(address: str, country: str | None) -> dict[str, Any]:
    from uflpa.geo import locate

    _field(address, "address", required=True)
    _field(country, "country")
    result: dict[str, Any] = locate(address, country=country).to_dict()
    return result


def hts_code(code: str) -> dict[str, Any]:
    from uflpa.sectors import classify_hts

    _field(code, "code", required=True)
    result: dict[str, Any] = classify_hts(code).to_dict()
    return result


# --- lists ------------------------------------------------------------------------------------


def _version_row(rec: dict[str, Any], in_use: set[str]) -> dict[str, Any]:
    return {
        "version_id": rec["version_id"],
        "list": rec["list_name"],
        "in_use": rec["version_id"] in in_use,
        "source": rec["source"],
        "published": rec["published"].isoformat() if rec["published"] else None,
        "entities": rec["entity_count"],
        "ingested_at": str(rec["ingested_at"]),
        "origin": rec["origin"],
        "content_hash": rec["content_hash"],
        "coverage": (rec["coverage"] or {}).get("summary"),
    }


def stored_lists(settings: Settings) -> list[dict[str, Any]]:
    """Every stored list with the version screening uses."""
    with ListStore(settings.db_path, read_only=True) as store:
        out = []
        for name in store.lists():
            latest = store.latest_record(name)
            out.append(
                {
                    "list": name,
                    "versions": len(store.versions(name)),
                    "in_use": _version_row(latest, {latest["version_id"]}) if latest else None,
                }
            )
    return out


def list_versions(settings: Settings, list_name: str) -> list[dict[str, Any]]:
    with ListStore(settings.db_path, read_only=True) as store:
        if list_name not in store.lists():
            raise NotFoundError(f"no stored list {list_name!r}; stored: {', '.join(store.lists())}")
        latest = store.latest_record(list_name)
        in_use = {latest["version_id"]} if latest else set()
        return [_version_row(r, in_use) for r in store.versions(list_name)]


def version(settings: Settings, list_name: str, ref: str = "latest") -> ListVersion:
    with ListStore(settings.db_path, read_only=True) as store:
        return store.get(ref, list_name=list_name)


def diff_versions(
    settings: Settings, list_name: str, old: str | None, new: str | None
) -> dict[str, Any]:
    """What changed between two versions (default: the latest and the one before it)."""
    with ListStore(settings.db_path, read_only=True) as store:
        new_version = store.get(new or "latest", list_name=list_name)
        old_version = store.get(old, list_name=list_name) if old else store.previous(new_version)
    if old_version is None:
        return {
            "old_version": None,
            "new_version": new_version.version_id,
            "counts": {},
            "changes": [],
            "note": f"{new_version.version_id} is the first stored version of {list_name}",
        }
    d = list_diff(old_version, new_version)
    return {
        "old_version": d.old_version,
        "new_version": d.new_version,
        "counts": d.counts(),
        "changes": [c.to_dict() for c in d.changes()],
        "note": None,
    }


def entity_summary(e: ListedEntity, day: date) -> dict[str, Any]:
    from uflpa.reference.names_zh import chinese_names

    dates = sorted(lst.effective_date for lst in e.listings if lst.effective_date)
    zh = chinese_names().get(e.id, ())
    return {
        "id": e.id,
        "name": e.name,
        "name_zh": next((n.name_zh for n in zh if n.form == "registered"), None),
        "aliases": list(e.aliases),
        "sections": sorted({lst.section for lst in e.listings}),
        "since": dates[0].isoformat() if dates else None,
        "listed": listed_on(e, day),
        "sectors": list(sector_labels(e)),
        "location": e.location,
    }


def search_entities(
    settings: Settings, query: str = "", *, list_name: str = UFLPA_LIST, day: date | None = None
) -> dict[str, Any]:
    """The entities of the version in use, filtered by a word of any of their names."""
    _field(query, "q")
    day = day or date.today()
    v = lists_in_use(settings, list_name).versions[0]
    needle = query.strip().casefold()
    rows = []
    from uflpa.reference.names_zh import chinese_names

    zh = chinese_names()
    for e in sorted(v.entities, key=lambda e: e.id):
        names = [*e.all_names(), *(n.name_zh for n in zh.get(e.id, ()))]
        if needle and not any(needle in n.casefold() for n in names) and needle != e.id.casefold():
            continue
        rows.append(entity_summary(e, day))
    return {
        "list": v.list_name,
        "version": v.version_id,
        "caveat": v.caveat,
        "entities": rows,
        "total": len(v.entities),
        "listed_today": len(entities_as_of(v, day)),
    }


def entity_detail(
    settings: Settings, entity_id: str, *, list_name: str = UFLPA_LIST
) -> dict[str, Any]:
    """One entity: every name we know (English, aliases, former names, Chinese with its source),
    its listings, and its history across the stored versions."""
    from uflpa.reference.names_zh import chinese_names

    _field(entity_id, "entity id", required=True)
    with ListStore(settings.db_path, read_only=True) as store:
        records = store.versions(list_name)
        versions = [store.load(r["version_id"]) for r in records]
    current = lists_in_use(settings, list_name).versions[0]
    entity = current.entity(entity_id)
    history = []
    previous: ListedEntity | None = None
    for v in versions:
        e = v.entity(entity_id)
        if e is None:
            if previous is not None:
                history.append({"version": v.version_id, "change": "not in this version"})
            previous = None
            continue
        if entity is None:
            entity = e
        change = "first seen" if previous is None else _change_text(previous, e)
        if change:
            history.append({"version": v.version_id, "change": change})
        previous = e
    if entity is None:
        raise NotFoundError(f"no entity {entity_id!r} in any stored version of {list_name}")
    data = entity.to_dict()
    data["chinese_names"] = [
        {"name": n.name_zh, "form": n.form, "source": n.source, "confidence": n.confidence}
        for n in chinese_names().get(entity.id, ())
    ]
    data["sector_labels"] = list(sector_labels(entity))
    data["listed_today"] = listed_on(entity, date.today())
    data["history"] = history
    data["list_version"] = current.version_id
    data["caveat"] = current.caveat
    return data


def _change_text(old: ListedEntity, new: ListedEntity) -> str:
    parts = []
    if old.name != new.name:
        parts.append(f"renamed from “{old.name}” to “{new.name}”")
    added = set(new.aliases) - set(old.aliases)
    removed = set(old.aliases) - set(new.aliases)
    if added:
        parts.append("aliases added: " + "; ".join(sorted(added)))
    if removed:
        parts.append("aliases removed: " + "; ".join(sorted(removed)))
    if old.listings != new.listings:
        parts.append("listings changed")
    return ", ".join(parts)


def growth_svg(settings: Settings, list_name: str = UFLPA_LIST, day: date | None = None) -> str:
    """The chart of the list's growth, as SVG text (drawn by matplotlib on the server)."""
    from uflpa.reports.list_chart import write_chart

    v = lists_in_use(settings, list_name).versions[0]
    day = day or date.today()
    key = (v.version_id, day)
    cached = _charts.get(key)
    if cached is not None:
        return cached
    with tempfile.TemporaryDirectory(prefix="uflpa-chart-") as tmp:
        out = Path(tmp) / "growth.svg"
        write_chart(v, out, day, caption=v.caveat)
        svg = out.read_text(encoding="utf-8")
    # The SVG is placed inline in a page: drop the XML prolog and the DOCTYPE before the <svg>.
    svg = svg[svg.index("<svg") :]
    if len(_charts) > 16:
        _charts.clear()
    _charts[key] = svg
    return svg


_charts: dict[tuple[str, date], str] = {}


def ingest_list(
    settings: Settings,
    list_name: str,
    data: bytes,
    filename: str,
    source: str | None,
    *,
    engine: Engine | None = None,
    actor: str = "service",
) -> dict[str, Any]:
    """Store an uploaded list file as a new version (the same pipeline as `lists update`); a
    new version is recorded in the audit log of `engine`, as done by `actor`."""
    from uflpa.catalog.update import update_list

    suffix = Path(filename).suffix.lower()
    if suffix not in (".html", ".htm", ".json", ".jsonl", ".csv", ".xml", ".txt", ".zip"):
        raise UsageError(f"file {filename!r}: not a list format uflpa reads")
    with tempfile.TemporaryDirectory(prefix="uflpa-ingest-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            done = update_list(str(path), source=source, settings=settings)
        except InputError as exc:
            # Told with the name the user gave the file, not the temporary one.
            raise retold(exc, {path: filename}) from None
    if done.version.list_name != list_name:
        raise UsageError(
            f"the uploaded file is a version of {done.version.list_name}, not of {list_name} "
            f"(it was stored as {done.version.version_id})"
        )
    forget_lists()
    if (done.created or done.restored) and engine is not None:
        from uflpa.casework.ingests import record_ingest

        record_ingest(engine, actor, done)
    return {
        "version_id": done.version.version_id,
        "list": done.version.list_name,
        "created": done.created,
        "entities": len(done.version.entities),
        "in_use": done.in_use,
        "in_use_id": done.in_use_id,
        "changes": done.changes.counts() if done.changes else None,
    }


# --- tracing ----------------------------------------------------------------------------------

#: Columns of the node and edge tables written from a JSON request (what `trace` reads).
NODE_COLUMNS = ("id", "name", "country", "address", "identifier")
EDGE_COLUMNS = (
    "source",
    "target",
    "relation",
    "product",
    "hts",
    "start_date",
    "end_date",
    "share",
)


def trace_files_named(
    settings: Settings,
    nodes: Path,
    edges: Path | None,
    *,
    names: dict[Path, str],
    as_of: date | None = None,
    max_paths: int = 3,
    lists: str | None = None,
    svg: bool = True,
) -> dict[str, Any]:
    """Trace a graph from files; errors name the files as the user called them (`names`)."""
    from uflpa.bulk.tracing import TraceRequest, trace_files
    from uflpa.catalog import screener_for
    from uflpa.graph.draw import MAX_NODES, svg_text
    from uflpa.io import hints

    # An upload has no --encoding or --column: messages say how to fix the file instead.
    request = TraceRequest(
        nodes=nodes, edges=edges, as_of=as_of, max_paths=max_paths, hints=hints.NONE
    )
    try:
        run = trace_files(request, lambda: screener_for(lists_in_use(settings, lists)))
    except InputError as exc:
        raise retold(exc, names) from None
    day = run.day.isoformat()
    picture = None
    if svg and run.graph.node_count <= MAX_NODES:
        picture = svg_text(run.traced)
    counts = run.counts()
    return {
        "as_of": day,
        "dated": run.dated,
        "summary": run.summary(),
        "counts": {k: counts[k] for k in ("hit", "review", "clear")},
        "nodes": [r.to_dict() for r in run.records],
        "svg": picture,
        "svg_note": None
        if picture or not svg
        else f"the graph has {run.graph.node_count:,} nodes; it is drawn up to {MAX_NODES}",
    }


def trace_records(
    settings: Settings,
    nodes: list[dict[str, Any]],
    edges: list[dict[str, Any]],
    ftm: list[dict[str, Any]] | None,
    **options: Any,
) -> dict[str, Any]:
    """Trace a graph sent as records: written as the tables (or the FtM file) `trace` reads."""
    import csv
    import json

    with tempfile.TemporaryDirectory(prefix="uflpa-trace-") as tmp:
        folder = Path(tmp)
        if ftm is not None:
            if nodes or edges:
                raise UsageError("send either nodes and edges, or ftm, not both")
            path = folder / "ftm.json"
            path.write_text(json.dumps(ftm, ensure_ascii=False, default=str), encoding="utf-8")
            return trace_files_named(settings, path, None, names={path: "ftm"}, **options)
        if not nodes:
            raise UsageError("nodes: give at least one node (or an FtM export in ftm)")
        node_path, edge_path = folder / "nodes.csv", folder / "edges.csv"
        for path, columns, records in (
            (node_path, NODE_COLUMNS, nodes),
            (edge_path, EDGE_COLUMNS, edges),
        ):
            with path.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(columns)
                for record in records:
                    writer.writerow(["" if record.get(c) is None else record[c] for c in columns])
        return trace_files_named(
            settings,
            node_path,
            edge_path,
            names={node_path: "nodes", edge_path: "edges"},
            **options,
        )
