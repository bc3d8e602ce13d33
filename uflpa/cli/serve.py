"""`uflpa serve` (the API and the web interface on uvicorn), `uflpa users` and `uflpa keys`
(the accounts and API keys the service checks)."""

from __future__ import annotations

import getpass
import os
import sys
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from uflpa.service.config import ServiceConfig

from uflpa.cli.output import Format, RawCsvOption, emit
from uflpa.errors import UsageError

users_app = typer.Typer(help="Accounts of the web interface: add, list.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys of the service: create, list, revoke.", no_args_is_help=True)

ROLE_HELP = (
    "viewer (reads and matches), analyst (also screens files) or admin (also ingests lists)."
)


def serve_command(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    workers: int = typer.Option(1, "--workers", min=1, max=64, help="uvicorn worker processes."),
    no_login: bool = typer.Option(
        False,
        "--no-login",
        help="Local single-user mode: no accounts, every request acts as admin. Only on a "
        "loopback address (127.0.0.1, localhost, ::1).",
    ),
    max_upload_mb: int | None = typer.Option(
        None, "--max-upload-mb", min=1, help="Largest request body, in MB (default 200)."
    ),
    max_rows: int | None = typer.Option(
        None, "--max-rows", min=1, help="Most rows a screened file may hold (default 2,000,000)."
    ),
    job_workers: int | None = typer.Option(
        None, "--job-workers", min=1, help="Processes of each screening job (default: cores)."
    ),
    monitor_every: int | None = typer.Option(
        None,
        "--monitor-every",
        min=1,
        help="Run the monitor (`uflpa monitor run`) every this many minutes in the background.",
    ),
    monitor_from: str | None = typer.Option(
        None,
        "--monitor-from",
        help="The list update each background monitor run ingests first (a URL or file; "
        "default: the latest stored version).",
    ),
    log_level: str = typer.Option("info", "--log-level", help="debug, info, warning or error."),
) -> None:
    """Serve the REST API (/v1, documented at /docs) and the web interface (/) on uvicorn.

    State lives under UFLPA_HOME: the list store, the store of record (accounts, API keys,
    sessions, casework; UFLPA_DATABASE_URL=postgresql://… for a shared one) and the screening
    jobs. Pending alert deliveries are retried every minute.
    """
    import logging

    import uvicorn

    from uflpa.service.config import LOOPBACK, ServiceConfig

    if no_login and host not in LOOPBACK:
        raise UsageError(
            f"--no-login serves without accounts and is only allowed on a loopback address "
            f"({', '.join(LOOPBACK)}), not on {host}; create accounts with `uflpa users add`"
        )
    # The workers read their settings from the environment. The local mode only ever comes
    # from --no-login (checked against the address above), never from a variable left set; a
    # limit comes from its option, else from its variable (UFLPA_MAX_UPLOAD_MB=1 uflpa serve).
    if no_login:
        os.environ["UFLPA_NO_LOGIN"] = "1"
    else:
        os.environ.pop("UFLPA_NO_LOGIN", None)
    limits = {
        "UFLPA_MAX_UPLOAD_MB": max_upload_mb,
        "UFLPA_MAX_ROWS": max_rows,
        "UFLPA_JOB_WORKERS": job_workers,
        "UFLPA_MONITOR_EVERY": monitor_every,
        "UFLPA_MONITOR_FROM": monitor_from,
    }
    for name, value in limits.items():
        if value is not None:
            os.environ[name] = str(value)
    config = ServiceConfig.from_env()
    _prepare(config)
    logging.basicConfig(level=log_level.upper(), format="%(message)s", stream=sys.stderr)
    shown = f"[{host}]" if ":" in host else host
    say = typer.echo
    say(f"uflpa serve: http://{shown}:{port}/ (web), /v1 (API), /docs (API reference)", err=True)
    say(f"  state: {config.settings.home}; workers: {workers}", err=True)
    if no_login:
        say(
            f"  local single-user mode: no login; every request acts as admin; bound to {host} "
            "only",
            err=True,
        )
    uvicorn.run(
        "uflpa.service.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=5,
    )


def _prepare(config: ServiceConfig) -> None:
    """Seed the list store and create the service tables once, before workers start."""
    from uflpa.catalog import open_lists
    from uflpa.records import engine_for
    from uflpa.service.accounts import list_keys, list_users

    open_lists(settings=config.settings)
    engine = engine_for(config.database_url)
    if not config.no_login and not list_users(engine) and not list_keys(engine):
        typer.echo(
            "  no accounts yet: create one with `uflpa users add NAME --role admin` (or an API "
            "key with `uflpa keys create --role viewer`)",
            err=True,
        )


def _engine() -> Engine:
    from uflpa.records import engine_for
    from uflpa.service.config import ServiceConfig

    return engine_for(ServiceConfig.from_env().database_url)


def _who() -> str:
    from uflpa.casework.actors import actor_name

    return actor_name(None)


@users_app.command("add")
def users_add(
    name: str = typer.Argument(..., help="User name."),
    role: str = typer.Option("analyst", "--role", help=ROLE_HELP),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input (for scripts)."
    ),
) -> None:
    """Create an account for the web interface (the password is asked for, and kept hashed)."""
    from uflpa.service.accounts import add_user, check_role

    check_role(role)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(f"password for {name}: ")
        if getpass.getpass("again: ") != password:
            raise UsageError("the two passwords differ")
    add_user(_engine(), name, password, role, by=_who())
    typer.echo(f"user {name} added with the {role} role")


@users_app.command("list")
def users_list(
    fmt: Format = typer.Option(Format.table, "--format", help="Output format."),
    raw_csv: RawCsvOption = False,
) -> None:
    """The accounts and their roles."""
    from uflpa.service.accounts import list_users

    emit(list_users(_engine()), fmt, columns=["name", "role", "created_at", "disabled_at"])


@keys_app.command("create")
def keys_create(
    role: str = typer.Option("viewer", "--role", help=ROLE_HELP),
    label: str = typer.Option("", "--label", help="What the key is for (an ERP, a script…)."),
    owner: str | None = typer.Option(None, "--owner", help="The user it belongs to."),
) -> None:
    """Create an API key; it is printed once (only its hash is kept)."""
    from uflpa.service.accounts import create_key

    key = create_key(_engine(), role, label, owner, by=_who())
    typer.echo(key)
    typer.echo(
        f"API key with the {role} role created; it is shown only now: keep it. Send it as "
        "X-API-Key or Authorization: Bearer.",
        err=True,
    )


@keys_app.command("list")
def keys_list(
    fmt: Format = typer.Option(Format.table, "--format", help="Output format."),
    raw_csv: RawCsvOption = False,
) -> None:
    """API keys (ids, roles, labels; never the secrets)."""
    from uflpa.service.accounts import list_keys

    emit(
        list_keys(_engine()),
        fmt,
        columns=["key_id", "role", "label", "owner", "created_at", "revoked_at"],
    )


@keys_app.command("revoke")
def keys_revoke(
    key_id: str = typer.Argument(..., help="The key's id (or the key itself)."),
) -> None:
    """Revoke an API key (the service stops accepting it within seconds)."""
    from uflpa.service.accounts import revoke_key

    revoke_key(_engine(), key_id, by=_who())
    typer.echo(f"API key {key_id.removeprefix('uflpa_').split('_', 1)[0]} revoked")


def register(app: typer.Typer) -> None:
    """Add `serve`, `users` and `keys` to the root app."""
    app.command("serve")(serve_command)
    app.add_typer(users_app, name="users")
    app.add_typer(keys_app, name="keys")
