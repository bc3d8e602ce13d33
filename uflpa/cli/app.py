"""The `uflpa` command: registers the command groups and turns errors into one clear line."""

from __future__ import annotations

import sys

import typer

from uflpa import __version__
from uflpa.cli.casework import register as register_casework
from uflpa.cli.evidence import register as register_evidence
from uflpa.cli.geo import register as register_geo
from uflpa.cli.lists import lists_app
from uflpa.cli.matching import register as register_matching
from uflpa.cli.screen import register as register_screen
from uflpa.cli.serve import register as register_serve
from uflpa.cli.trace import register as register_trace
from uflpa.errors import UflpaError

app = typer.Typer(
    name="uflpa",
    help="Screen supply chains for forced-labour risk under the Uyghur Forced Labor Prevention"
    " Act.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
app.add_typer(lists_app, name="lists")
register_matching(app)
register_screen(app)
register_geo(app)
register_trace(app)
register_serve(app)
register_evidence(app)
register_casework(app)


def _version(value: bool) -> None:
    if value:
        from uflpa.compiled import build_label

        typer.echo(f"uflpa {__version__} ({build_label()})")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Screen supply chains for forced-labour risk under the UFLPA."""


def main(argv: list[str] | None = None) -> None:
    """Console entry point: never lets a traceback reach the user."""
    try:
        # Standalone mode lets typer report usage errors itself (exit 2, one message).
        app(args=argv, prog_name="uflpa")
    except UflpaError as exc:
        print(f"uflpa: error: {exc}", file=sys.stderr)  # noqa: T201 - the CLI's error line
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        print("uflpa: interrupted", file=sys.stderr)  # noqa: T201
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)


if __name__ == "__main__":
    main()
