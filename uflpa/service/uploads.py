"""Uploaded files, for the API and the pages alike: the name the user gave a file (its last part
only, bounded: shown, never used as a path), saving it under a name of our own, and telling an
error about the saved copy with the user's name."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from uflpa.errors import InputError, UsageError
from uflpa.io.hints import Hints

if TYPE_CHECKING:  # the job runner imports the suffixes and should not load FastAPI for them
    from fastapi import UploadFile

#: Tables `uflpa screen` and `uflpa trace` read, and the FollowTheMoney files `trace` reads.
TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".parquet")
FTM_SUFFIXES = (".json", ".jsonl", ".ftm")
#: A watchlist upload has a column field and no encoding field: its messages never name one.
WATCH_UPLOAD = Hints(encoding=False)


def upload_name(upload: UploadFile, default: str) -> str:
    """The file's name as the user's machine sent it, without any folder part."""
    name = (upload.filename or default).replace("\\", "/").rsplit("/", 1)[-1][:200]
    return name or default


async def save_upload(
    upload: UploadFile, role: str, folder: Path, allowed: tuple[str, ...]
) -> tuple[Path, str]:
    """Save `upload` as `folder/<role><suffix>`; its path and the user's name for it. A suffix
    not in `allowed` is a UsageError naming the file."""
    filename = upload_name(upload, role)
    suffix = Path(filename).suffix.lower()
    if suffix not in allowed:
        raise UsageError(f"{role} file {filename!r}: expected {', '.join(allowed)}")
    path = folder / f"{role}{suffix}"
    path.write_bytes(await upload.read())
    return path, filename


def retold(exc: InputError, names: dict[Path, str]) -> InputError:
    """`exc` told with the names the user gave the files (`names`: saved path -> user's name),
    in its `file` and wherever its reason mentions a saved path."""
    reason = exc.reason
    for path, name in names.items():
        reason = reason.replace(str(path), name)
    shown = names.get(Path(exc.file), Path(exc.file).name) if exc.file else None
    return type(exc)(reason, file=shown, row=exc.row, column=exc.column)
