"""The named, versioned scoring algorithm (`uflpa-v1`): features in, score and verdict out.

Weights and thresholds are data (`uflpa-v1.yml`) so that a reviewer can diff them; the code here
only says how they combine. The score is in [0, 1]: at or above `hit` the analyst should treat
the party as the listed entity, between `review` and `hit` a person must look, below it is clear.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from typing import Any

import yaml

from uflpa.names.analyze import NameAnalysis
from uflpa.scoring.features import COUNTRY_MISMATCH, FEATURES, QUALIFIERS

HIT, REVIEW, CLEAR = "hit", "review", "clear"
# Routes whose score already accounts for the part of the name that a qualifier looks at.
_EXEMPT = {
    "han_core": set(QUALIFIERS),
    "truncated": {"missing_place", "different_industry", "different_industry_words"},
}


@dataclass(frozen=True, slots=True)
class Scored:
    """A score with the feature values behind it; `explain()` turns them into evidence."""

    score: float
    verdict: str
    basis: str  # the route that gave the score: 'han_core', 'trade_name', 'generic', ...
    values: dict[str, float]
    applied: tuple[str, ...]  # qualifiers that lowered the score
    query: NameAnalysis | None = None
    candidate: NameAnalysis | None = None
    context: dict[str, Any] | None = None  # what a non-name feature compared (an identifier)

    def explain(self) -> dict[str, Any]:
        features: dict[str, Any] = {}
        qualifiers: dict[str, Any] = {}
        for name, value in self.values.items():
            (qualifiers if name in self.applied else features)[name] = self._entry(name, value)
        return {"basis": self.basis, "features": features, "qualifiers": qualifiers}

    def _entry(self, name: str, value: float) -> dict[str, Any]:
        spec = FEATURES.get(name) or QUALIFIERS.get(name)
        if spec is not None and self.query is not None and self.candidate is not None:
            return spec.explain(value, self.query, self.candidate)
        return {"value": round(value, 4), "why": _EXTRA.get(name, name), "compared": self.context}


_EXTRA = {
    "identifier_match": "The registration number is the same, so this is the same legal entity.",
    "country_mismatch": COUNTRY_MISMATCH,
}


@dataclass(frozen=True, slots=True)
class Algorithm:
    name: str
    config: dict[str, Any]

    @property
    def hit(self) -> float:
        return float(self.config["thresholds"]["hit"])

    @property
    def review(self) -> float:
        return float(self.config["thresholds"]["review"])

    def verdict(self, score: float) -> str:
        if score >= self.hit:
            return HIT
        return REVIEW if score >= self.review else CLEAR

    def _curve(self, x: float) -> float:
        points = self.config["trade_curve"]
        for (x0, y0), (x1, y1) in pairwise(points):
            if x <= x1:
                return float(y0 + (y1 - y0) * (x - x0) / (x1 - x0))
        return float(points[-1][1])

    def score(
        self,
        q: NameAnalysis,
        c: NameAnalysis,
        *,
        country_mismatch: bool = False,
        cap: float | None = None,
    ) -> Scored:
        """Score a query against one listed name; `cap` bounds names that can only ever send a
        party to review (the known parent of a listed subsidiary)."""
        cfg = self.config
        values = {name: spec.fn(q, c) for name, spec in FEATURES.items()}
        routes: dict[str, float] = {}
        if q.trade and c.trade:
            weight = float(cfg["industry_weight"])
            industry = values["industry_agreement"]
            routes["trade_name"] = self._curve(values["trade_name_similarity"]) * (
                1 - weight + weight * industry
            )
        if values["core_name_similarity"] and (q.trade or c.trade) and not (q.trade and c.trade):
            # One side read a word as a place that the other read as a trade name.
            weight = float(cfg["industry_weight"])
            industry = values["industry_agreement"]
            routes["core_name"] = self._curve(values["core_name_similarity"]) * (
                1 - weight + weight * industry
            )
        elif not q.trade and not c.trade:
            same_place = q.place_set == c.place_set
            routes["generic"] = (
                float(cfg["generic_cap"])
                * values["industry_agreement"]
                * (1.0 if same_place else 0.7)
            )
        if values["trade_name_contained"]:
            routes["trade_name_contained"] = float(cfg["trade_contained"])
        if values["han_core_match"] == 1.0:
            routes["han_core"] = float(cfg["han_exact"])
        elif values["han_core_contained"]:
            routes["han_core_contained"] = float(cfg["han_contained"])
        if values["truncated_prefix"]:
            routes["truncated"] = float(cfg["truncated"])
        if values["acronym_match"]:
            routes["acronym"] = float(cfg["acronym"])
        if not routes:
            return Scored(0.0, CLEAR, "none", values, (), q, c)
        basis = max(routes, key=lambda k: routes[k])
        score = routes[basis]
        exempt = _EXEMPT.get(basis, set())
        factors = cfg["qualifiers"]
        applied: list[str] = []
        for name, spec in QUALIFIERS.items():
            if name in exempt:
                continue
            value = spec.fn(q, c)
            if value:
                values[name] = value
                applied.append(name)
                score *= float(factors[name])
        if (
            applied
            and basis in ("trade_name", "trade_name_contained")
            and (values["trade_name_similarity"] == 1.0 or values["trade_name_contained"])
            and len(q.trade_key) >= 4
            and set(applied) & {"different_place", "missing_place", "extra_place"}
            and not set(applied) & {"different_industry", "different_number"}
        ):
            # The same distinctive trade name and business in another place is a sister plant
            # or a parent: an analyst should look, so the qualifiers stop at the review band.
            score = max(score, float(cfg["sister_floor"]))
        if country_mismatch:
            values["country_mismatch"] = 1.0
            applied.append("country_mismatch")
            score *= float(factors["country_mismatch"])
        if cap is not None:
            score = min(score, cap)
        score = max(0.0, min(1.0, score))
        return Scored(score, self.verdict(score), basis, values, tuple(applied), q, c)

    def bound(self, q: NameAnalysis, c: NameAnalysis) -> float:
        """An upper bound of `score(q, c)`, from the route features alone (qualifiers and the
        industry weight only lower a score). Lets the matcher skip candidates exactly."""
        cfg = self.config
        best = 0.0
        if q.trade and c.trade:
            best = self._curve(FEATURES["trade_name_similarity"].fn(q, c))
            if FEATURES["trade_name_contained"].fn(q, c):
                best = max(best, float(cfg["trade_contained"]))
        elif not q.trade and not c.trade:
            best = float(cfg["generic_cap"])
        if (q.trade or c.trade) and not (q.trade and c.trade) and q.core_key and c.core_key:
            best = max(best, self._curve(FEATURES["core_name_similarity"].fn(q, c)))
        if q.han_core and c.han_core:
            if FEATURES["han_core_match"].fn(q, c) == 1.0:
                return float(cfg["han_exact"])
            if FEATURES["han_core_contained"].fn(q, c):
                best = max(best, float(cfg["han_contained"]))
        if FEATURES["truncated_prefix"].fn(q, c):
            best = max(best, float(cfg["truncated"]))
        if FEATURES["acronym_match"].fn(q, c):
            best = max(best, float(cfg["acronym"]))
        return best

    def decisive(self, identifier: str) -> Scored:
        """An exact registration-number match: decisive evidence of identity."""
        return Scored(
            1.0,
            HIT,
            "identifier",
            {"identifier_match": 1.0},
            (),
            context={"identifier": identifier},
        )


@lru_cache(maxsize=4)
def load_algorithm(name: str = "uflpa-v1") -> Algorithm:
    """Load a named algorithm's reviewed configuration from package data."""
    text = resources.files("uflpa.scoring").joinpath(f"{name}.yml").read_text(encoding="utf-8")
    config = yaml.safe_load(text)
    return Algorithm(name=config["name"], config=config)
