"""Rules kept as versioned data: `uflpa/screening/rules/<name>.yml`, loaded and checked here.

A rule names the evidence it needs (a condition in `uflpa.screening.conditions`), the level it
sets (hit or review), whether it applies to lone parties or only to shipments, and the sentence an
analyst reads. The version a verdict records is the rules name plus the first 12 hex digits of
the file's SHA-256, so that an edit in place cannot pass for the same rules.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from uflpa.errors import InputError, UsageError
from uflpa.model import HIT, REVIEW

#: The levels a rule can set: a rule that fires is never `clear`.
RULE_LEVELS = (HIT, REVIEW)
SCOPES = ("party", "shipment")
DEFAULT_RULES = "uflpa-shipment-v3"
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: when `needs` finds evidence, the verdict is at least `level`."""

    id: str
    level: str
    scope: str
    needs: str
    title: str
    says: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Ruleset:
    name: str
    version: int
    digest: str
    rules: tuple[Rule, ...]
    # `for_scope` answers, kept: the engine asks once per screened row.
    _scopes: dict[str, tuple[Rule, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def version_id(self) -> str:
        """What a verdict records: 'uflpa-shipment-v3@<12 hex digits of the file hash>'."""
        return f"{self.name}@{self.digest[:12]}"

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def for_scope(self, scope: str) -> tuple[Rule, ...]:
        """The rules that apply to a lone party ('party') or to a shipment ('shipment', all)."""
        found = self._scopes.get(scope)
        if found is None:
            found = (
                self.rules
                if scope == "shipment"
                else tuple(r for r in self.rules if r.scope == scope)
            )
            self._scopes[scope] = found
        return found


def parse_ruleset(
    text: str,
    origin: str,
    conditions: Collection[str],
    *,
    scopes: Collection[str] = SCOPES,
) -> Ruleset:
    """Parse and check a rules file; any defect raises `InputError` naming the rule. `scopes` and
    `conditions` are what the reader of the rules knows (the tracer reads `trace` rules)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise InputError(f"not valid YAML: {exc}", file=origin, row=row) from None
    if not isinstance(data, Mapping) or not isinstance(data.get("rules"), list):
        raise InputError(
            "expected a mapping with 'name', 'version' and a 'rules' list", file=origin
        )
    name, version = data.get("name"), data.get("version")
    if not isinstance(name, str) or not _ID.match(name) or not isinstance(version, int):
        raise InputError("'name' must be kebab-case and 'version' an integer", file=origin)
    rules: list[Rule] = []
    for i, raw in enumerate(data["rules"], start=1):
        rules.append(_rule(raw, i, origin, conditions, scopes))
    ids = [r.id for r in rules]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise InputError(f"rule ids used twice: {', '.join(dupes)}", file=origin)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Ruleset(name=name, version=version, digest=digest, rules=tuple(rules))


def _rule(
    raw: Any, number: int, origin: str, conditions: Collection[str], scopes: Collection[str]
) -> Rule:
    where = f"rule {number}"
    if not isinstance(raw, Mapping):
        raise InputError(f"{where}: expected a mapping", file=origin)
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        raise InputError(f"{where}: 'id' must be a kebab-case string", file=origin)
    where = f"rule {rule_id!r}"
    checks = {
        "level": RULE_LEVELS,
        "scope": tuple(scopes),
        "needs": tuple(sorted(conditions)),
    }
    for key, allowed in checks.items():
        if raw.get(key) not in allowed:
            raise InputError(
                f"{where}: '{key}' is {raw.get(key)!r}; expected one of {', '.join(allowed)}",
                file=origin,
            )
    for key in ("title", "says"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise InputError(f"{where}: '{key}' must be a non-empty string", file=origin)
    params = raw.get("params") or {}
    if not isinstance(params, Mapping):
        raise InputError(f"{where}: 'params' must be a mapping", file=origin)
    unknown = sorted(set(raw) - {"id", "level", "scope", "needs", "title", "says", "params"})
    if unknown:
        raise InputError(f"{where}: unknown keys {', '.join(unknown)}", file=origin)
    return Rule(
        id=rule_id,
        level=raw["level"],
        scope=raw["scope"],
        needs=raw["needs"],
        title=" ".join(raw["title"].split()),
        says=" ".join(raw["says"].split()),
        params=dict(params),
    )


@cache
def load_ruleset(name: str = DEFAULT_RULES) -> Ruleset:
    """A bundled rules version by name (read once per process)."""
    from uflpa.screening.conditions import load_conditions

    if not _ID.match(name):
        raise UsageError(f"unknown rules version {name!r}")
    path = resources.files("uflpa.screening").joinpath("rules", f"{name}.yml")
    if not path.is_file():
        raise UsageError(f"unknown rules version {name!r}")
    text = path.read_text(encoding="utf-8")
    return parse_ruleset(text, f"uflpa/screening/rules/{name}.yml", load_conditions())
