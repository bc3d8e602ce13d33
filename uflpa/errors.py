"""One exception tree for uflpa.

Each class carries the exit code the CLI uses and the HTTP status an API would map it to, so that
surfaces translate errors in one table instead of guessing.
"""

from __future__ import annotations


class UflpaError(Exception):
    """Base of every error uflpa reports to a user (never shown as a traceback)."""

    exit_code: int = 1
    http_status: int = 500


class UsageError(UflpaError):
    """The user asked for something impossible (bad option value, unknown version)."""

    exit_code = 2
    http_status = 400


class RefusedUpdate(UsageError):
    """A list update refused before anything was stored: the version it would make the latest
    removes more than the allowed share of the entities in use, or is dated before the version in
    use (a broken page, a stale mirror). `uflpa lists update --force` stores it anyway."""

    http_status = 409


class NotFoundError(UflpaError):
    """A named thing (list version, entity, file) does not exist."""

    exit_code = 3
    http_status = 404


class InputError(UflpaError):
    """A user file cannot be read at all; names the file and, where known, the row and column."""

    exit_code = 4
    http_status = 422

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.reason = message
        where = []
        if file:
            where.append(str(file))
        if row is not None:
            where.append(f"row {row}")
        if column:
            where.append(f"column {column!r}")
        super().__init__(f"{': '.join([', '.join(where), message]) if where else message}")


class SourceFormatError(InputError):
    """A list source (DHS page, FR notice, FtM JSON, CSL file) is unrecognised or malformed."""


class OutputError(UflpaError):
    """The output could not be written: a closed pipe, a full disk, a terminal whose encoding
    cannot show a name. A file given as the output is then left as it was."""

    exit_code = 9
    http_status = 500


def output_error(exc: OSError | UnicodeEncodeError, target: str) -> OutputError:
    """`exc`, met while writing to `target` ('stdout', a file name), as one line a user can act
    on."""
    if isinstance(exc, UnicodeEncodeError):
        shown = exc.object[exc.start : exc.end][:8]
        return OutputError(
            f"cannot write {shown!r} to {target}: its encoding is {exc.encoding}, not UTF-8; set "
            "PYTHONIOENCODING=utf-8 (or a UTF-8 locale such as LANG=C.UTF-8)"
        )
    if isinstance(exc, BrokenPipeError):
        return OutputError(f"{target} was closed before every row was written (broken pipe)")
    return OutputError(f"cannot write to {target}: {exc.strerror or exc}")


class FetchError(UflpaError):
    """A list could not be retrieved over the network."""

    exit_code = 5
    http_status = 502


class StoreError(UflpaError):
    """The embedded database is unusable (locked, corrupt, wrong schema)."""

    exit_code = 6
    http_status = 503


class PermissionDenied(UflpaError):
    """The actor's role does not allow the action (a viewer deciding an alert)."""

    exit_code = 11
    http_status = 403


class ConflictError(UflpaError):
    """The action no longer fits the state it was asked against (a decision on a party whose data
    changed since its alert, an approval by the person who decided)."""

    exit_code = 8
    http_status = 409
