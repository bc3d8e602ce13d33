"""The `uflpa` command: registers the command groups and turns errors into one clear line."""

from __future__ import annotations

import errno
import os
import sys

import typer

from uflpa import __version__
from uflpa.cli.casework import register as register_casework
from uflpa.cli.evidence import register as register_evidence
from uflpa.cli.geo import register as register_geo
from uflpa.cli.lists import lists_app
from uflpa.cli.matching import register as register_matching
from uflpa.cli.output import terminal_safe
from uflpa.cli.screen import register as register_screen
from uflpa.cli.serve import register as register_serve
from uflpa.cli.trace import register as register_trace
from uflpa.errors import OutputError, UflpaError, output_error

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


#: Errors of a write that no command turned into an `OutputError` (the last flush of stdout).
_OUTPUT_ERRNOS = {errno.EPIPE, errno.ENOSPC, errno.EFBIG, errno.EDQUOT}


def main(argv: list[str] | None = None) -> None:
    """Console entry point: never lets a traceback reach the user."""
    try:
        try:
            # Standalone mode lets typer report usage errors itself (exit 2, one message).
            app(args=argv, prog_name="uflpa")
        finally:
            # Rows still buffered are written now, where a full disk or a closed pipe can be
            # reported, rather than by the interpreter on its way out.
            sys.stdout.flush()
    except UflpaError as exc:
        _fail(exc)
    except KeyboardInterrupt:
        print("uflpa: interrupted", file=sys.stderr)  # noqa: T201
        sys.exit(130)
    except UnicodeEncodeError as exc:
        _fail(output_error(exc, "stdout"))
    except OSError as exc:
        if exc.errno not in _OUTPUT_ERRNOS:
            raise
        _fail(output_error(exc, "stdout"))


def _fail(exc: UflpaError) -> None:
    """The CLI's one error line, and its exit code."""
    if isinstance(exc, OutputError):
        _drop_stdout()
    # The message may quote a name or a header from a user's file: no escape sequence passes.
    print(f"uflpa: error: {terminal_safe(str(exc))}", file=sys.stderr)  # noqa: T201
    sys.exit(exc.exit_code)


def _drop_stdout() -> None:
    """Throw away what stdout still buffers (it cannot be written), so that the interpreter does
    not try again on its way out and print a traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout is not a file (a test's capture)
        pass


if __name__ == "__main__":
    main()
