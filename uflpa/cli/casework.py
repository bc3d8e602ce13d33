"""`uflpa watch`, `monitor`, `alerts`, `decisions`, `hooks` and `audit`: casework at the command
line, over `uflpa.casework` and the store of record (`uflpa.records`).

Every command that changes something acts as `--user NAME` (or UFLPA_USER): once the store of
record has accounts, that must be an enabled account with the role the command needs; before,
the command acts as `local:LOGIN`. Listings take `--format table|csv|json|jsonl`.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from uflpa.cli.output import Format, RawCsvOption, emit, emit_object

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from uflpa.casework.actors import Actor

FORMAT_HELP = "Output format: table, csv, json or jsonl."
USER_HELP = (
    "Who acts (an account of the store of record; default UFLPA_USER). Needed once accounts "
    "exist; decisions are attributed to it."
)
WATCHLIST_HELP = "The watchlist (default: 'default')."

watch_app = typer.Typer(
    help="Watched suppliers: import a supplier master, list, show, remove.", no_args_is_help=True
)
monitor_app = typer.Typer(
    help="Re-screen watched suppliers when the list changes.", no_args_is_help=True
)
alerts_app = typer.Typer(
    help="Alerts raised by changed verdicts: list (the default), show, deliver.",
    invoke_without_command=True,
)
decisions_app = typer.Typer(
    help="Analysts' decisions on alerts: add, list, approve, reopen, the two-person rule.",
    no_args_is_help=True,
)
hooks_app = typer.Typer(
    help="Where alerts are sent: webhooks (HMAC-signed) and e-mail addresses.",
    no_args_is_help=True,
)
audit_app = typer.Typer(
    help="The hash-chained audit log: list, verify, export, replay a screening.",
    no_args_is_help=True,
)


def when(value: Any) -> str:
    """A time as a person reads it in a table: YYYY-MM-DD HH:MM (UTC)."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return "" if value is None else str(value)


def _engine() -> Engine:
    from uflpa.records import engine_for

    return engine_for()


def _actor(engine: Engine, user: str | None) -> Actor:
    from uflpa.casework.actors import cli_actor

    return cli_actor(engine, user)


def _deliver(engine: Engine) -> None:
    from uflpa.casework.outbox import deliver_due

    counts = deliver_due(engine)
    sent = {k: v for k, v in counts.items() if v}
    if sent:
        typer.echo("deliveries: " + ", ".join(f"{v} {k}" for k, v in sent.items()), err=True)


# --- watch -------------------------------------------------------------------------------------


@watch_app.command("add")
def watch_add(
    file: Path = typer.Argument(
        ..., help="Supplier master: CSV/TSV/XLSX/Parquet with a key column."
    ),
    watchlist: str = typer.Option("default", "--watchlist", help=WATCHLIST_HELP),
    column: list[str] = typer.Option(
        [], "--column", help="Map a column: NAME=HEADER (e.g. --column id='Vendor No')."
    ),
    encoding: str | None = typer.Option(None, "--encoding", help="Force the text encoding."),
    user: str | None = typer.Option(None, "--user", help=USER_HELP),
    fmt: Format = typer.Option(Format.table, "--format", help=FORMAT_HELP),
    raw_csv: RawCsvOption = False,
    no_deliver: bool = typer.Option(False, "--no-deliver", help="Leave deliveries for later."),
) -> None:
    """Import a supplier master into a watchlist, upserting by its key column (id, supplier_id,
    vendor_id, key…), and screen every new or changed supplier. Rows without a key, with a key
    already given, or unreadable are reported one by one and not imported."""
    from uflpa.casework.watchlists import import_file
    from uflpa.io.columns import parse_column_options

    engine = _engine()
    actor = _actor(engine, user)
    result = import_file(
        engine,
        actor,
        file,
        watchlist=watchlist,
        columns=parse_column_options(column),
        encoding=encoding,
    )
    for problem in result.problems:
        typer.echo(f"not imported: {problem}", err=True)
    out = result.to_dict()
    if fmt in (Format.json, Format.jsonl):
        emit_object(out, fmt)
    else:
        out.pop("problems")
        emit_object(out, fmt)
    typer.echo(
        f"{result.rows} rows: {result.added} added, {result.changed} changed, "
        f"{result.restored} restored, {result.unchanged} unchanged, {len(result.problems)} not "
        f"imported; {result.screened} screened against {result.list_version}, {result.flagged} "
        f"flagged, {len(result.alerts)} new alerts",
        err=True,
    )
    if not no_deliver and result.alerts:
        _deliver(engine)


@watch_app.command("list")
def watch_list(
    watchlist: str = typer.Option("default", "--watchlist", help=WATCHLIST_HELP),
    verdict: str | None = typer.Option(None, "--verdict", help="Only hit, review or clear."),
    search: str | None = typer.Option(None, "--search", help="Only names or keys containing this."),
    limit: int = typer.Option(1000, "--limit", min=1, help="At most this many parties."),
    fmt: Format = typer.Option(Format.table, "--format", help=FORMAT_HELP),
    raw_csv: RawCsvOption = False,
) -> None:
    """Watched suppliers of a watchlist, flagged first, with their current verdict."""
    from uflpa.casework.watchlists import list_parties, summaries

    engine = _engine()
    total, rows = list_parties(engine, watchlist, verdict=verdict, search=search, limit=limit)
    emit(
        rows,
        fmt,
        columns=[
            "key",
            "name",
            "country",
            "verdict",
            "entity_id",
            "score",
            "checked_version",
            "checked_on",
        ],
    )
    others = [s["watchlist"] for s in summaries(engine) if s["watchlist"] != watchlist]
    typer.echo(
        f"{len(rows)} of {total} suppliers"
        + (f"; other watchlists: {', '.join(others)}" if others else ""),
        err=True,
    )


@watch_app.command("lists")
def watch_lists(
    fmt: Format = typer.Option(Format.table, "--format", help=FORMAT_HELP),
    raw_csv: RawCsvOption = False,
) -> None:
    """Every watchlist with its suppliers by verdict and its alerts waiting for a decision."""
    from uflpa.casework.watchlists import summaries

    emit(
        summaries(_engine()),
        fmt,
        columns=["watchlist", "parties", "verdicts", "open_alerts", "created_at", "created_by"],
    )


@watch_app.command("show")
def watch_show(
    key: str = typer.Argument(..., help="The supplier's key."),
    watchlist: str = typer.Option("default", "--watchlist", help=WATCHLIST_HELP),
    fmt: Format = typer.Option(Format.table, "--format", help=FORMAT_HELP),
    raw_csv: RawCsvOption = False,
) -> None:
    """One supplier: its data and how it changed, its screenings, alerts and decisions."""
    from uflpa.casework.watchlists import party_record

    rec = party_record(_engine(), watchlist, key)
    if fmt in (Format.json, Format.jsonl):
        emit_object(rec, fmt)
        return
    p = rec["party"]
    emit_object(
        {
            "key": p["key"],
            "name": p["name"],
            "country": p["country"],
            "address": p["address"],
            "identifier": p["identifier"],
            "verdict": p["verdict"],
            "checked against": p["checked_version"],
            "checked on": p["checked_on"],
            "removed": p["removed_at"],
        },
        fmt,
    )
    emit(
        [
            {
                "since": when(v["at"]),
                "name": v["data"].get("name"),
                "country": v["data"].get("country"),
                "address": v["data"].get("address"),
                "identifier": v["data"].get("identifier"),
                "from": v["source"],
                "by": v["actor"],
            }
            for v in rec["versions"]
        ],
        fmt,
        title="data history (newest first)",
    )
    emit(
        [
            {
                "screening": s["id"],
                "as_of": s["as_of"],
                "verdict": s["verdict"],
                "score": s["score"],
                "entity": s["entity_id"],
                "matched name": s["matched_name"],
                "list version": s["list_version"],
            }
            for s in rec["screenings"]
        ],
        fmt,
        title="screenings",
    )
    if rec["alerts"]:
        emit(
            [
                {
                    "alert": a["id"],
                    "state": a["state"],
                    "verdict": f"{a['previous_verdict'] or '-'} -> {a['verdict']}",
                    "cause": a["cause"],
                }
                for a in rec["alerts"]
            ],
            fmt,
            title="alerts",
        )
    if rec["decisions"]:
        emit(
            [
                {
                    "decision": d["id"],
                    "outcome": d["outcome"],
                    "state": d["state"],
                    "by": d["decided_by"],
                    "note": d["note"],
                }
                for d in rec["decisions"]
            ],
            fmt,
            title="decisions",
        )


@watch_app.command("remove")
def watch_remove(
    keys: list[str] = typer.Argument(..., help="Keys of the suppliers to stop watching."),
    watchlist: str = typer.Option("default", "--watchlist", help=WATCHLIST_HELP),
    user: str | None = typer.Option(None, "--user", help=USER_HELP),
) -> None:
    """Stop watching suppliers (their history, screenings and decisions are kept)."""
    from uflpa.casework.watchlists import remove

    engine = _engine()
    n = remove(engine, _actor(engine, user), watchlist, keys)
    typer.echo(f"{n} suppliers no longer watched in {watchlist}")


# --- monitor -----------------------------------------------------------------------------------


@monitor_app.command("run")
def monitor_run(
    source_ref: str | None = typer.Option(
        None,
        "--from",
        help="Ingest this list update first: a URL or file (a DHS page, an OpenSanctions or "
        "CSL file). Without it, the latest stored version is used (after `uflpa lists update`).",
    ),
    source: str | None = typer.Option(
        None, "--source", help="The parser of --from (detected when omitted)."
    ),
    full: bool = typer.Option(False, "--full", help="Screen every watched supplier again."),
    user: str | None = typer.Option(None, "--user", help=USER_HELP),
    no_deliver: bool = typer.Option(False, "--no-deliver", help="Leave deliveries for later."),
    timeout: float = typer.Option(30.0, "--timeout", help="Seconds to wait for --from."),
    fmt: Format = typer.Option(Format.table, "--format", help=FORMAT_HELP),
    raw_csv: RawCsvOption = False,
) -> None:
    """Bring every watched supplier up to the latest list: re-screen those the change can affect,
    carry the others forward, and raise an alert for every verdict that changed. For cron or a
    systemd timer; a run killed half-way is redone by the next."""
    from uflpa.casework.monitor import run_monitor

    engine = _engine()
    result = run_monitor(
        engine,
        _actor(engine, user),
        source_ref=source_ref,
        source=source,
        full=full,
        timeout=timeout,
    )
    out = result.to_dict()
    if fmt not in (Format.json, Format.jsonl):
        out.pop("alert_ids")
    emit_object(out, fmt)
    typer.echo(
        f"monitor run {result.run_id}: {result.parties} watched, {result.rescreened} screened "
        f"again, {result.carried} carried forward, {result.unchanged} already current; "
        f"{result.changed_entities} entities changed; {len(result.alerts)} new alerts "
        f"({result.seconds:.1f} s)",
        err=True,
    )
    if not no_deliver:
        _deliver(engine)


# --- alerts ------------------------------------------------------------------------------------


@alerts_app.callback()
def alerts_list(
    ctx: typer.Context,
    state: str = typer.Option(
        "open",
        "--state",
        help="open, in_review, pending_approval, decided, suppressed, waiting (open, in review or "
        "waiting for approval) or all.",
    ),
    watchlist: str | None = typer.Option(None, "--watchlist", help="Only this watchlist."),
    limit: int = typer.Option(200, "--limit", min=1, help="At most this many alerts."),
    fmt: Format = typer.Option(Format.table, "--format", help=FORMAT_HELP),
    raw_csv: RawCsvOption = False,
) -> None:
    """Alerts, newest first (by default those waiting for a decision)."""
    if ctx.invoked_subcommand is not None:
        return
    from uflpa.casework.alerts import list_alerts

    total, rows = list_alerts(_engine(), state=state, watchlist=watchlist, limit=limit)
    if fmt is Format.table:
        rows = [
            {
                "id": r["id"],
                "when": when(r["created_at"]),
                "state": r["state"],
                "supplier": f"{r['key']} {r['name']}",
                "verdict": f"{r['previous_verdict'] or 'new'} -> {r['verdict']}",
                "entity": r["entity_id"],
                "cause": r["cause"],
            }
            for r in rows
        ]
    emit(
        rows,
        fmt,
        columns=["id", "when", "state", "supplier", "verdict", "entity", "cause"]
        if fmt is Format.table
        else [
            "id",
            "created_at",
            "state",
            "watchlist",
            "key",
            "name",
            "previous_verdict",
            "verdict",
            "entity_id",
            "cause",
        ],
    )
    typer.echo(f"{len(rows)} of {total} alerts ({state})", err=True)


@alerts_app.command("show")
def alerts_show(
    alert_id: int = typer.Argument(..., help="The alert's id."),
    fmt: Format = typer.Option(Format.table, "--format", help=FORMAT_HELP),
    raw_csv: RawCsvOption = False,
) -> None:
    """One alert: the party, the verdict before and now, the cause, its deliveries."""
    from uflpa.casework.alerts import alert_record

    rec = alert_record(_engine(), alert_id)
    if fmt not in (Format.json, Format.jsonl):
        rec = {
            k: (
                json.dumps(v, ensure_ascii=False, default=str) if isinstance(v, (dict, list)) else v
            )
            for k, v in rec.items()
            if k != "screening"
        }
    emit_object(rec, fmt)


@alerts_app.command("deliver")
def alerts_deliver(
    retry_failed: bool = typer.Option(
        False, "--retry-failed", help="Also send deliveries that gave up."
    ),
) -> None:
    """Send the deliveries whose time has come (webhooks, e-mail)."""
    from uflpa.casework.outbox import deliver_due

    counts = deliver_due(_engine(), retry_failed=retry_failed)
    typer.echo(", ".join(f"{v} {k}" for k, v in counts.items()))


# --- decisions ---------------------------------------------------------------------------------


@decisions_app.command("add")
def decisions_add(
    outcome: str = typer.Option(
        ...,
        "--outcome",
        help="'confirmed match', 'false positive', 'needs more information' or 'escalated'.",
    ),
    note: str = typer.Option(..., "--note", help="Why: what you checked, in words."),
    alert: int | None = typer.Option(None, "--alert", help="The alert decided."),
    watchlist: str = typer.Option("default", "--watchlist", help=WATCHLIST_HELP),
    key: str | None = typer.Option(
        None, "--key", help="Or: the supplier whose current screening is decided."
    ),
    document: list[Path] = typer.Option([], "--document", help="A document to attach (repeat)."),
    user: str | None = typer.Option(None, "--user", help=USER_HELP),
    fmt: Format = typer.Option(Format.table, "--format", help=FORMAT_HELP),
    raw_csv: RawCsvOption = False,
) -> None:
    """Record an analyst's decision on an alert or a flagged supplier."""
    from uflpa.casework.decisions import decide

    engine = _engine()
    out = decide(
        engine,
        _actor(engine, user),
        outcome=outcome,
        note=note,
        alert_id=alert,
        watchlist=watchlist if key else None,
        key=key,
        documents=[(p.name, p) for p in document],
    )
    emit_object(
        {k: v for k, v in out.items() if k != "documents"} if fmt is Format.table else out, fmt
    )
    if out["state"] == "pending_approval":
        typer.echo(
            f"decision {out['id']} waits for a second analyst: uflpa decisions approve {out['id']}",
            err=True,
        )


@decisions_app.command("list")
def decisions_list(
    state: str | None = typer.Option(
        None, "--state", help="active, pending_approval, reopened or superseded."
    ),
    limit: int = typer.Option(200, "--limit", min=1, help="At most this many."),
    fmt: Format = typer.Option(Format.table, "--format", help=FORMAT_HELP),
    raw_csv: RawCsvOption = False,
) -> None:
    """Decisions, newest first."""
    from uflpa.casework.decisions import list_decisions

    emit(
        list_decisions(_engine(), state=state, limit=limit),
        fmt,
        columns=[
            "id",
            "decided_at",
            "watchlist",
            "key",
            "entity_id",
            "outcome",
            "state",
            "decided_by",
            "approved_by",
            "note",
        ],
    )


@decisions_app.command("approve")
def decisions_approve(
    decision_id: int = typer.Argument(..., help="The decision waiting for approval."),
    note: str = typer.Option("", "--note", help="What you checked."),
    user: str | None = typer.Option(None, "--user", help=USER_HELP),
) -> None:
    """Approve a decision under the two-person rule (not your own)."""
    from uflpa.casework.decisions import approve

    engine = _engine()
    approve(engine, _actor(engine, user), decision_id, note)
    typer.echo(f"decision {decision_id} approved")


@decisions_app.command("reopen")
def decisions_reopen(
    decision_id: int = typer.Argument(..., help="The decision to reopen."),
    note: str = typer.Option(..., "--note", help="Why it is reopened."),
    user: str | None = typer.Option(None, "--user", help=USER_HELP),
) -> None:
    """Reopen a decision: its alerts go back to the inbox and it suppresses nothing more."""
    from uflpa.casework.decisions import reopen

    engine = _engine()
    reopen(engine, _actor(engine, user), decision_id, note)
    typer.echo(f"decision {decision_id} reopened")


@decisions_app.command("rule")
def decisions_rule(
    rule: str = typer.Argument(..., help="two-person"),
    value: str = typer.Argument(..., help="on or off"),
    user: str | None = typer.Option(None, "--user", help=USER_HELP),
) -> None:
    """Turn the two-person rule on or off: a 'false positive' on a hit then needs a second
    analyst's approval (admin role)."""
    from uflpa.casework.decisions import set_two_person_rule
    from uflpa.errors import UsageError

    if rule != "two-person" or value not in ("on", "off"):
        raise UsageError("usage: uflpa decisions rule two-person on|off")
    engine = _engine()
    set_two_person_rule(engine, _actor(engine, user), value == "on")
    typer.echo(f"two-person rule {value}")


# --- hooks -------------------------------------------------------------------------------------


@hooks_app.command("add")
def hooks_add(
    target: str = typer.Argument(..., help="https://… webhook URL, or an e-mail address."),
    secret_env: str | None = typer.Option(
        None,
        "--secret-env",
        help="Environment variable holding the webhook's HMAC secret at delivery time (the "
        "secret itself is never stored).",
    ),
    user: str | None = typer.Option(None, "--user", help=USER_HELP),
) -> None:
    """Send every new open alert to a webhook or an e-mail address (admin role)."""
    from uflpa.casework.outbox import add_hook

    engine = _engine()
    hook_id = add_hook(engine, _actor(engine, user), target, secret_env)
    typer.echo(f"hook {hook_id} added")


@hooks_app.command("list")
def hooks_list(
    fmt: Format = typer.Option(Format.table, "--format", help=FORMAT_HELP),
    raw_csv: RawCsvOption = False,
) -> None:
    """Hooks, with the variable naming each webhook's secret (never the secret)."""
    from uflpa.casework.outbox import list_hooks

    emit(
        list_hooks(_engine()),
        fmt,
        columns=["id", "kind", "target", "secret_env", "created_by", "created_at", "removed_at"],
    )


@hooks_app.command("remove")
def hooks_remove(
    hook_id: int = typer.Argument(..., help="The hook's id."),
    user: str | None = typer.Option(None, "--user", help=USER_HELP),
) -> None:
    """Stop sending alerts to a hook."""
    from uflpa.casework.outbox import remove_hook

    engine = _engine()
    remove_hook(engine, _actor(engine, user), hook_id)
    typer.echo(f"hook {hook_id} removed")


# --- audit -------------------------------------------------------------------------------------


@audit_app.command("list")
def audit_list(
    action: str | None = typer.Option(
        None, "--action", help="Only this action (screening, decision…)."
    ),
    limit: int = typer.Option(100, "--limit", min=1, help="At most this many, newest first."),
    fmt: Format = typer.Option(Format.table, "--format", help=FORMAT_HELP),
    raw_csv: RawCsvOption = False,
) -> None:
    """The newest audit entries."""
    from uflpa.casework.audit import entries

    rows = list(entries(_engine(), action=action, limit=limit, newest_first=True))
    if fmt is Format.table:
        for r in rows:
            r["detail"] = json.dumps(r["detail"], ensure_ascii=False)[:200]
    emit(rows, fmt, columns=["seq", "at", "actor", "action", "subject", "detail"])


@audit_app.command("verify")
def audit_verify(
    fmt: Format = typer.Option(Format.table, "--format", help=FORMAT_HELP),
    raw_csv: RawCsvOption = False,
) -> None:
    """Recompute the hash chain; name the first entry altered, deleted or reordered (exit 12)."""
    from uflpa.casework.audit import verify

    check = verify(_engine())
    if fmt in (Format.json, Format.jsonl):
        emit_object(check.to_dict(), fmt)
    if check.ok:
        typer.echo(
            f"audit log intact: {check.entries} entries, head {check.head[:16]}",
            err=fmt is not Format.table,
        )
        return
    typer.echo(
        f"uflpa: audit log broken at entry {check.first_bad}: {check.problem} "
        f"({check.entries} entries before it hold)",
        err=True,
    )
    raise typer.Exit(12)


@audit_app.command("export")
def audit_export(
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write to this file (default: stdout)."
    ),
) -> None:
    """Every entry as JSON lines, hashes included, so that a copy can be verified elsewhere."""
    from uflpa.casework.audit import entries

    stream = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        for r in entries(_engine()):
            stream.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
    finally:
        if output:
            stream.close()


@audit_app.command("replay")
def audit_replay(
    seq: int = typer.Argument(
        ..., help="A 'screening' audit entry (uflpa audit list --action screening)."
    ),
    fmt: Format = typer.Option(Format.table, "--format", help=FORMAT_HELP),
    raw_csv: RawCsvOption = False,
) -> None:
    """Screen the recorded parties again with the recorded list version, rules and algorithm, and
    compare with the recorded outcome (exit 13 when they differ)."""
    from uflpa.casework.replay import replay

    out = replay(_engine(), seq)
    shown: dict[str, Any] = dict(out)
    if fmt is Format.table:
        shown.pop("run")
        shown["differences"] = len(out["differences"])
    emit_object(shown, fmt)
    if not out["identical"]:
        if fmt is Format.table and out["differences"]:
            emit(
                [
                    {
                        "supplier": d["key"],
                        "recorded": " ".join(str(x) for x in d["recorded"]),
                        "now": " ".join(str(x) for x in d["now"]),
                    }
                    for d in out["differences"]
                ],
                fmt,
                title="suppliers whose outcome differs (verdict, score, entity)",
            )
        typer.echo(f"uflpa: replay of entry {seq} differs from the record", err=True)
        raise typer.Exit(13)
    typer.echo(f"replay of entry {seq}: identical ({out['parties']} parties)", err=True)


def register(app: typer.Typer) -> None:
    """Add the casework command groups to the root app."""
    app.add_typer(watch_app, name="watch")
    app.add_typer(monitor_app, name="monitor")
    app.add_typer(alerts_app, name="alerts")
    app.add_typer(decisions_app, name="decisions")
    app.add_typer(hooks_app, name="hooks")
    app.add_typer(audit_app, name="audit")
