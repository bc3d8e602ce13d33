"""The UFLPA Entity List snapshot shipped inside the package.

It is compiled by `scripts/compile_snapshot.py` from the reviewed CSV in `uflpa/data/` and is a
*reconstruction* from public notices, not the official DHS file: `bundled_coverage()` says how
complete it is, and every surface that shows bundled data should show that caveat too.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Any

from uflpa.errors import StoreError
from uflpa.model import ListedEntity, ListVersion

SNAPSHOT_FILE = "uflpa_snapshot.json"
BUNDLED_SOURCE = "uflpa-reconstruction"


@cache
def _snapshot() -> dict[str, Any]:
    text = resources.files("uflpa").joinpath("data", SNAPSHOT_FILE).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def load_bundled() -> ListVersion:
    """The bundled snapshot as a `ListVersion` (parsed once per process)."""
    data = _snapshot()
    entities = tuple(ListedEntity.from_dict(d) for d in data["entities"])
    version = ListVersion(
        list_name=data["list_name"],
        source=data["source"],
        origin=data["origin"],
        retrieved_at=datetime.fromisoformat(data["retrieved_at"]),
        entities=entities,
        published=date.fromisoformat(data["published"]),
        coverage=data["coverage"]["summary"],
    )
    # The hash is recomputed from the entities; a mismatch means the JSON was edited by hand or the
    # model changed without re-running the compile script.
    if data.get("content_hash") and version.content_hash != data["content_hash"]:
        raise StoreError(
            f"bundled snapshot {SNAPSHOT_FILE} does not match its content hash; "
            "rebuild it with: python scripts/compile_snapshot.py"
        )
    return version


def bundled_identity() -> tuple[str, str]:
    """(list name, content hash) of the bundled snapshot, read from its header without building
    its entities: enough to ask a store whether it holds this release's snapshot. A snapshot
    whose recorded hash is wrong is refused by `load_bundled` on first real use."""
    data = _snapshot()
    recorded = data.get("content_hash")
    if not recorded:
        return load_bundled().list_name, load_bundled().content_hash
    return str(data["list_name"]), str(recorded)


def bundled_coverage() -> dict[str, Any]:
    """How complete the bundled data is against the official DHS counts (a fresh copy)."""
    coverage: dict[str, Any] = json.loads(json.dumps(_snapshot()["coverage"]))
    return coverage


def is_bundled(version: ListVersion) -> bool:
    """True when `version` holds exactly the bundled snapshot's content."""
    return version.content_hash == load_bundled().content_hash
