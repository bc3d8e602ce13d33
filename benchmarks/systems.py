"""Every system under test behind one face: `run(query) -> Outcome`, ids mapped to entity keys.

uflpa's `Matcher` and the baselines answer in different shapes; this module adapts them so the
quality and speed scripts treat them alike. A system that cannot be built (the matcher not written
yet, nomenklatura not installed) is reported with the reason instead of failing the whole run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from benchmarks.baselines import BaselineMatch, NomenklaturaLogic, RapidfuzzTokenSet
from benchmarks.common import DevQuery, Outcome, entity_key_map, nomenklatura_missing
from uflpa.model import ListedEntity

ALL_SYSTEMS = ("uflpa", "rapidfuzz", "nk-logic-v1", "nk-logic-v2")


class System(Protocol):
    name: str

    def run(self, query: DevQuery) -> Outcome: ...


class UflpaSystem:
    """uflpa's Matcher over the bundled list; the verdict is that of the best candidate."""

    name = "uflpa"

    def __init__(self, matcher: Any | None = None, keys: dict[str, str] | None = None) -> None:
        if matcher is None:
            from uflpa.lists.bundled import load_bundled
            from uflpa.match import Matcher

            matcher = Matcher([load_bundled()])
        self.matcher = matcher
        self.keys = keys or {}

    def run(self, query: DevQuery) -> Outcome:
        results = self.matcher.match(
            query.name,
            country=query.country or None,
            address=query.address or None,
            identifiers=[query.identifier] if query.identifier else None,
            top_k=1,  # a verdict needs the best candidate only, as `uflpa screen` asks
        )
        if not results:
            return Outcome("clear", None, 0.0)
        best = results[0]
        entity_id = str(best.entity_id)
        return Outcome(
            str(best.verdict),
            self.keys.get(entity_id, entity_id),
            float(best.score),
            getattr(best, "matched_name", None),
        )


class BaselineSystem:
    """A baseline's `match(name, country, address)` as a System."""

    def __init__(
        self,
        name: str,
        match: Callable[[str, str | None, str | None], BaselineMatch],
        keys: dict[str, str],
    ) -> None:
        self.name = name
        self._match = match
        self.keys = keys

    def run(self, query: DevQuery) -> Outcome:
        verdict, entity_id, score = self._match(
            query.name, query.country or None, query.address or None
        )
        if entity_id is not None:
            entity_id = self.keys.get(entity_id, entity_id)
        return Outcome(verdict, entity_id, score)


def build_systems(
    names: Sequence[str], entities: Sequence[ListedEntity]
) -> tuple[dict[str, System], dict[str, str]]:
    """Build the named systems over `entities` (baselines) or the bundled list (uflpa).

    Returns the systems that could be built and, for the others, why they were skipped.
    """
    keys = entity_key_map(entities)
    systems: dict[str, System] = {}
    skipped: dict[str, str] = {}
    for name in names:
        if name == "uflpa":
            try:
                systems[name] = UflpaSystem(keys=keys)
            except (ImportError, AttributeError) as exc:
                skipped[name] = f"uflpa Matcher not available yet: {exc}"
        elif name == "rapidfuzz":
            rf = RapidfuzzTokenSet.from_entities(entities)
            systems[name] = BaselineSystem(name, rf.match, keys)
        elif name in ("nk-logic-v1", "nk-logic-v2"):
            missing = nomenklatura_missing()
            if missing:
                skipped[name] = missing
                continue
            nk = NomenklaturaLogic(name.removeprefix("nk-"), entities)
            systems[name] = BaselineSystem(name, nk.match, keys)
        else:
            raise SystemExit(f"unknown system {name!r}; choose from {', '.join(ALL_SYSTEMS)}")
    return systems, skipped


def name_only(name: str) -> DevQuery:
    """A generated query: a name alone, with no country, address, identifier or label."""
    return DevQuery("", name, "", "", "", "", "", "")


def print_hit_rates(
    systems: dict[str, System], cases: Sequence[tuple[str, str, str]], *, total: bool = False
) -> None:
    """For (kind, name, expected entity key) cases: per system and kind, the share hit on the
    right entity, the share hit or reviewed on it, and the hits on a wrong one."""
    kinds = list(dict.fromkeys(kind for kind, _, _ in cases))
    width = max(len(k) for k in [*kinds, "kind"])
    print(
        f"\n{'system':12} {'kind':{width}} {'n':>4} {'hit':>6} {'hit+review':>11} {'wrong hit':>10}"
    )
    for label, system in systems.items():
        counts: Counter[tuple[str, str]] = Counter()
        for kind, name, key in cases:
            out = system.run(name_only(name))
            right = out.entity_id == key
            counts[(kind, "n")] += 1
            counts[(kind, "hit")] += right and out.verdict == "hit"
            counts[(kind, "flagged")] += right and out.verdict in ("hit", "review")
            counts[(kind, "wrong")] += (not right) and out.verdict == "hit"
        for kind in [*kinds, "all"] if total else kinds:
            pick = kinds if kind == "all" else [kind]
            n, hit, flagged, wrong = (
                sum(counts[(k, f)] for k in pick) for f in ("n", "hit", "flagged", "wrong")
            )
            print(
                f"{label:12} {kind:{width}} {n:>4} {hit / n:>6.3f} {flagged / n:>11.3f} {wrong:>10}"
            )
