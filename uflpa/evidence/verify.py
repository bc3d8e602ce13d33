"""`uflpa evidence verify DIR|ZIP`: every file of a pack against its manifest.json: which file
was changed, which is missing, which was added."""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from uflpa.errors import InputError
from uflpa.evidence.pack import MANIFEST


@dataclass(slots=True)
class Verification:
    checked: int = 0
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.changed or self.missing or self.added)

    def lines(self) -> list[str]:
        out = [f"changed: {p}" for p in self.changed]
        out += [f"missing: {p}" for p in self.missing]
        out += [f"added: {p}" for p in self.added]
        return out


def _files_of(path: Path) -> dict[str, bytes]:
    if path.is_dir():
        return {
            p.relative_to(path).as_posix(): p.read_bytes()
            for p in sorted(path.rglob("*"))
            if p.is_file()
        }
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if not n.endswith("/")]
            tops = {n.split("/", 1)[0] for n in names}
            strip = len(tops) == 1 and all("/" in n for n in names)
            return {(n.split("/", 1)[1] if strip else n): archive.read(n) for n in sorted(names)}
    if path.exists():
        raise InputError("neither a pack folder nor a zip of one", file=str(path))
    raise InputError("no such file or folder", file=str(path))


def verify(path: Path) -> Verification:
    files = _files_of(path)
    if MANIFEST not in files:
        raise InputError(
            f"no {MANIFEST}: not an evidence pack (or its manifest was removed)", file=str(path)
        )
    try:
        manifest = json.loads(files[MANIFEST].decode("utf-8"))
        listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{MANIFEST} cannot be read: {exc}", file=str(path)) from None
    result = Verification()
    for name, digest in sorted(listed.items()):
        data = files.get(name)
        if data is None:
            result.missing.append(name)
            continue
        result.checked += 1
        if hashlib.sha256(data).hexdigest() != digest:
            result.changed.append(name)
    result.added = sorted(n for n in files if n not in listed and n != MANIFEST)
    return result
