"""Baselines that uflpa is measured against, run in the same process on the same list.

* `RapidfuzzTokenSet`: brute force over every name, alias and former name with rapidfuzz's
  token-set ratio, the first thing a developer would write. Thresholds are its own: hit at a
  ratio >= 90, review at >= 80 (common defaults for token-set screening, not tuned on the dev set).
* `NomenklaturaLogic`: OpenSanctions' rule-based matchers `logic-v1` and `logic-v2`, comparing the
  query with every listed entity as a followthemoney `Company`. The algorithms carry no threshold
  of their own; OpenSanctions applies 0.70 (yente's default `SCORE_THRESHOLD` and the
  `DEFAULT_THRESHOLD` of nomenklatura's `contrib/name_bench/run.py`), so a hit is a score >= 0.70
  and review is the band 0.50 <= score < 0.70 (threshold - 0.20).

Every baseline answers `match(name, country=None, address=None) -> (verdict, entity_id, score)`
with `score` in [0, 1] and `entity_id` the best candidate's id (None when the list is empty).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from uflpa.model import ListedEntity

if TYPE_CHECKING:
    from followthemoney import EntityProxy, Schema

BaselineMatch = tuple[str, str | None, float]

# OpenSanctions' operating threshold for logic-v1/v2 (see the module docstring).
NOMENKLATURA_THRESHOLD = 0.70
NOMENKLATURA_REVIEW_BAND = 0.20


def _verdict(score: float, hit: float, review: float) -> str:
    if score >= hit:
        return "hit"
    if score >= review:
        return "review"
    return "clear"


class RapidfuzzTokenSet:
    """`process.extractOne(query, all_names, scorer=fuzz.token_set_ratio,
    processor=default_process)`, with the names processed once up front (same result, faster)."""

    name = "rapidfuzz"
    HIT = 90.0
    REVIEW = 80.0

    def __init__(self, names: Iterable[tuple[str, str]]) -> None:
        """`names`: (entity_id, name) pairs; an entity may appear once per name."""
        self._ids: list[str] = []
        self._processed: list[str] = []
        for entity_id, name in names:
            self._ids.append(entity_id)
            self._processed.append(default_process(name))

    @classmethod
    def from_entities(cls, entities: Iterable[ListedEntity]) -> RapidfuzzTokenSet:
        return cls((e.id, n) for e in entities for n in e.all_names())

    def __len__(self) -> int:
        return len(self._ids)

    def match(
        self, name: str, country: str | None = None, address: str | None = None
    ) -> BaselineMatch:
        """Country and address are ignored: a plain name search."""
        best = process.extractOne(
            default_process(name), self._processed, scorer=fuzz.token_set_ratio, processor=None
        )
        if best is None:
            return ("clear", None, 0.0)
        _, ratio, index = best
        return (_verdict(ratio, self.HIT, self.REVIEW), self._ids[index], ratio / 100.0)


_QUERY_IDS = itertools.count()  # one sequence per process: see NomenklaturaLogic._entity


class NomenklaturaLogic:
    """Brute-force screening with a nomenklatura algorithm: best score over all listed entities.

    Each listed entity becomes a `Company` with `name`, `alias` (aliases) and `previousName`
    (former names), plus `country` when the list gives one. The query is a `Company` with `name`,
    and `country` / `address` when given.
    """

    def __init__(
        self,
        algorithm: str,
        entities: Sequence[ListedEntity],
        threshold: float = NOMENKLATURA_THRESHOLD,
        review_band: float = NOMENKLATURA_REVIEW_BAND,
    ) -> None:
        from followthemoney import ValueEntity, model
        from nomenklatura.matching import get_algorithm

        algo = get_algorithm(algorithm)
        if algo is None:
            raise ValueError(f"nomenklatura has no algorithm named {algorithm!r}")
        self.name = f"nk-{algorithm}"
        self.algorithm = algo
        self.config = algo.default_config()
        self.threshold = threshold
        self.review = threshold - review_band
        self._value_entity = ValueEntity
        self._model = model
        self._listed: list[tuple[str, EntityProxy]] = []
        company = self._schema("Company")
        for entity in entities:
            proxy = ValueEntity(company, {"id": f"listed-{entity.id}"})
            proxy.add("name", entity.name)
            proxy.add("alias", list(entity.aliases))
            proxy.add("previousName", list(entity.former_names))
            if entity.country:
                proxy.add("country", entity.country)
            self._listed.append((entity.id, proxy))

    def _schema(self, name: str) -> Schema:
        schema = self._model.get(name)
        if schema is None:
            raise ValueError(f"followthemoney has no schema {name!r}")
        return schema

    def _entity(self, schema: str, props: dict[str, str | None]) -> EntityProxy:
        # logic-v2 memoises name analysis by entity id (its cache key is the id alone, shared by
        # every instance in the process), so every query entity needs an id of its own in the
        # process, or it would be scored as an earlier query, even another instance's.
        proxy = self._value_entity(self._schema(schema), {"id": f"q-{next(_QUERY_IDS)}"})
        for prop, value in props.items():
            if value:
                proxy.add(prop, value)
        return proxy

    def score(self, query: EntityProxy, candidate: EntityProxy) -> float:
        return float(self.algorithm.compare(query, candidate, self.config).score)

    def match(
        self, name: str, country: str | None = None, address: str | None = None
    ) -> BaselineMatch:
        query = self._entity("Company", {"name": name, "country": country, "address": address})
        best_id: str | None = None
        best = 0.0
        for entity_id, proxy in self._listed:
            s = self.score(query, proxy)
            if best_id is None or s > best:
                best_id, best = entity_id, s
        return (_verdict(best, self.threshold, self.review), best_id, best)

    def compare_names(self, name1: str, name2: str, schema: str = "Company") -> float:
        """Score two free names as two entities of `schema`, as OpenSanctions' name_bench does."""
        return self.score(
            self._entity(schema, {"name": name1}), self._entity(schema, {"name": name2})
        )

    def describe(self) -> dict[str, Any]:
        return {
            "algorithm": self.algorithm.NAME,
            "hit": self.threshold,
            "review": round(self.review, 4),
            "config": dict(self.config.config),
        }
