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
from uflpa.scoring.features import FEATURES, QUALIFIERS, Feature

HIT, REVIEW, CLEAR = "hit", "review", "clear"


@dataclass(frozen=True, slots=True)
class Scored:
    score: float
    verdict: str
    features: dict[str, Feature]
    qualifiers: dict[str, Feature]
    basis: str  # which route gave the score: 'han_core', 'trade_name', 'generic', ...

    def explain(self) -> dict[str, Any]:
        return {
            "basis": self.basis,
            "features": {k: f.to_dict() for k, f in self.features.items()},
            "qualifiers": {k: f.to_dict() for k, f in self.qualifiers.items() if f.value},
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
        feats = {name: fn(q, c) for name, fn in FEATURES.items()}
        quals = {name: fn(q, c) for name, fn in QUALIFIERS.items()}
        quals["country_mismatch"] = Feature(
            "country_mismatch",
            1.0 if country_mismatch else 0.0,
            "The query's country is not the listed entity's country.",
        )
        routes: dict[str, float] = {}
        trade = feats["trade_name_similarity"].value
        industry = feats["industry_agreement"].value
        if q.trade and c.trade:
            weight = float(cfg["industry_weight"])
            routes["trade_name"] = self._curve(trade) * (1 - weight + weight * industry)
        elif not q.trade and not c.trade:
            same_place = set(q.places) == set(c.places)
            routes["generic"] = float(cfg["generic_cap"]) * industry * (1.0 if same_place else 0.7)
        if feats["trade_name_contained"].value:
            routes["trade_name_contained"] = float(cfg["trade_contained"])
        if feats["han_core_match"].value == 1.0:
            routes["han_core"] = float(cfg["han_exact"])
        elif feats["han_core_contained"].value:
            routes["han_core_contained"] = float(cfg["han_contained"])
        if feats["truncated_prefix"].value:
            routes["truncated"] = float(cfg["truncated"])
        if feats["acronym_match"].value:
            routes["acronym"] = float(cfg["acronym"])
        if not routes:
            return Scored(0.0, CLEAR, feats, quals, "none")
        basis = max(routes, key=lambda k: routes[k])
        score = routes[basis]
        for name, feature in quals.items():
            if feature.value and not (basis == "han_core" and name != "country_mismatch"):
                if basis == "truncated" and name in (
                    "missing_place",
                    "different_industry",
                    "different_industry_words",
                ):
                    continue  # the cut-off part is what is missing
                score *= float(cfg["qualifiers"][name])
        if cap is not None:
            score = min(score, cap)
        score = max(0.0, min(1.0, score))
        return Scored(score, self.verdict(score), feats, quals, basis)


@lru_cache(maxsize=4)
def load_algorithm(name: str = "uflpa-v1") -> Algorithm:
    """Load a named algorithm's reviewed configuration from package data."""
    text = resources.files("uflpa.scoring").joinpath(f"{name}.yml").read_text(encoding="utf-8")
    config = yaml.safe_load(text)
    return Algorithm(name=config["name"], config=config)
