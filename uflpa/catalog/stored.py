"""The list versions a run uses, resolved in the store: `open_lists(selection)`.

The store is opened read-only (seeded first when it is new, or when this release brings a bundled
snapshot it does not hold) and closed again before any screening starts, so that screenings,
updates and a service can share it. A version is loaded once per process: it never changes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from uflpa.catalog.selection import LIST_ALIASES, ListSelection, ListSpec
from uflpa.errors import NotFoundError, UsageError
from uflpa.model import ListVersion
from uflpa.settings import Settings
from uflpa.store import ListStore

_LOADED: dict[str, ListVersion] = {}


@dataclass(frozen=True, slots=True)
class ListsInUse:
    """The versions a run screens against, in the order of `--lists`, each the part its spec
    names; `key` identifies them (screeners are kept per key)."""

    versions: tuple[ListVersion, ...]

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(v.label for v in self.versions)

    @property
    def caveats(self) -> list[str]:
        """What a reader of any verdict of the run must know about the lists: a version known
        to be incomplete says how (the bundled snapshot is a reconstruction)."""
        return [c for c in (v.caveat for v in self.versions) if c]

    def to_dict(self) -> dict[str, Any]:
        return {
            "lists": [
                {
                    "list": v.list_name,
                    "version": v.version_id,
                    "sections": list(v.sections),
                    "entities": len(v.entities),
                    "published": v.published.isoformat() if v.published else None,
                    "coverage": v.coverage,
                }
                for v in self.versions
            ]
        }


def open_lists(
    selection: ListSelection | None = None, settings: Settings | None = None
) -> ListsInUse:
    """Resolve `selection` (default: the latest UFLPA Entity List) in the store of `settings`."""
    selection = selection or ListSelection()
    settings = settings or Settings.from_env()
    with ListStore(settings.db_path, read_only=True) as store:
        records = _resolve(store, selection)
        versions = tuple(_part(_load(store, rec["version_id"]), spec) for spec, rec in records)
        if store.note:
            # What the store could not do (read-only on disk) is a caveat of every verdict.
            versions = tuple(_noted(v, store.note) for v in versions)
    return ListsInUse(versions)


def _noted(version: ListVersion, note: str) -> ListVersion:
    return replace(version, coverage="; ".join(t for t in (version.coverage, note) if t))


def _resolve(store: ListStore, selection: ListSelection) -> list[tuple[ListSpec, dict[str, Any]]]:
    names = [spec.name for spec in selection.lists]
    primary = names[0]
    chosen: dict[str, dict[str, Any]] = {}
    for ref in selection.versions:
        found = store.find(ref, list_name=primary)
        name = found["list_name"]
        if name not in names:
            raise UsageError(
                f"--list-version {ref}: {found['version_id']} is a version of {name}, which this "
                f"run does not screen against (--lists {','.join(names)})"
            )
        if name in chosen and chosen[name]["version_id"] != found["version_id"]:
            raise UsageError(
                f"--list-version: two versions of {name} given ({chosen[name]['version_id']} "
                f"and {found['version_id']}); give one per list"
            )
        chosen[name] = found
    stored = store.lists()
    out = []
    for spec in selection.lists:
        rec: dict[str, Any] | None = chosen.get(spec.name)
        if rec is None:
            if spec.name not in stored:
                raise NotFoundError(_unknown_list(spec.name, stored))
            latest = store.latest_record(spec.name)
            if latest is None:  # stored lists have versions; a race with a removal is not
                raise NotFoundError(_unknown_list(spec.name, stored))
            rec = latest
        out.append((spec, rec))
    return out


def _load(store: ListStore, version_id: str) -> ListVersion:
    version = _LOADED.get(version_id)
    if version is None:
        version = store.load(version_id)
        if len(_LOADED) >= 8:
            _LOADED.clear()
        _LOADED[version_id] = version
    return version


def _part(version: ListVersion, spec: ListSpec) -> ListVersion:
    part = version.part(spec.sections)
    if spec.sections and not part.entities:
        sections = sorted({lst.section for e in version.entities for lst in e.listings})
        raise UsageError(
            f"--lists {spec.label}: {version.version_id} has no entry under "
            f"{'/'.join(spec.sections)}; its sections: {', '.join(sections) or 'none'}"
        )
    return part


def _unknown_list(name: str, stored: list[str]) -> str:
    aliases = ", ".join(LIST_ALIASES)
    return (
        f"--lists: the store holds no list {name!r}; stored lists: {', '.join(stored)}; "
        f"programmes of the Consolidated Screening List: {aliases}; load a list with: "
        "uflpa lists update --from FILE_OR_URL"
    )
