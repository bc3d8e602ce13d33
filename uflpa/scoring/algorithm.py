"""The named, versioned scoring algorithm (`uflpa-v2`, the default): features in, score and
verdict out.

Weights and thresholds are data (`uflpa-v2.yml`) so that a reviewer can diff them; the code here
only says how they combine. Older versions (`uflpa-v1.yml`) stay loadable by name, so that a
screening recorded with one can be replayed. The score is in [0, 1]: at or above `hit` the
analyst should treat the party as the listed entity, between `review` and `hit` a person must
look, below it is clear.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from typing import Any

import yaml

from uflpa.model import CLEAR, HIT, REVIEW
from uflpa.names.analyze import NameAnalysis
from uflpa.scoring.features import (
    COUNTRY_MISMATCH,
    FEATURES,
    QUALIFIERS,
    acronym_match,
    core_name_similarity,
    han_core_contained,
    han_core_match,
    same_name,
    trade_name_contained,
    trade_name_similarity,
    truncated_prefix,
)

#: The algorithm a screening uses unless told otherwise; older ones stay loadable by name.
DEFAULT_ALGORITHM = "uflpa-v2"

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
    # The score before the country factor, when a country mismatch applied: the evidence says
    # what the name alone scored, and whether the floor held it at review.
    before_country: float | None = None

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


AMBIGUOUS_TRUNCATION = (
    "The query is the start of more than one listed name, cut before what tells them apart: "
    "which of them it names cannot be told."
)
AMBIGUOUS_SHORT_NAME = (
    "The query is a Chinese short name (trade name and business, no place) that more than one "
    "listed firm has: which of them it names cannot be told."
)
REGISTERED_NAME_DIFFERS = (
    "The query is a full Chinese registered name that shares only a short name with the listed "
    "firm, whose own registered name is different: the parent or a sister firm of that name."
)
GROUP_MEMBER = (
    "The listed name is a group with no business in its name; the query adds a business to it: "
    "a firm of the group, not the group itself."
)
_EXTRA = {
    "identifier_match": "The registration number is the same, so this is the same legal entity.",
    "country_mismatch": COUNTRY_MISMATCH,
    "ambiguous_truncation": AMBIGUOUS_TRUNCATION,
    "ambiguous_short_name": AMBIGUOUS_SHORT_NAME,
    "registered_name_differs": REGISTERED_NAME_DIFFERS,
    "group_member": GROUP_MEMBER,
}


@dataclass(frozen=True, slots=True)
class _Params:
    """The configuration's numbers, read once: every candidate of every row is scored with
    them, and a dict lookup plus float() per use was a measurable share of scoring."""

    hit: float
    review: float
    industry_weight: float
    generic_cap: float
    trade_contained: float
    han_exact: float
    han_contained: float
    truncated: float
    acronym: float
    same_name: float
    sister_floor: float
    country_floor: float | None  # None: a country mismatch may lower a score without bound (v1)
    curve: tuple[tuple[float, float, float, float], ...]  # (x0, y0, x1, y1) segments
    factors: dict[str, float]

    @classmethod
    def of(cls, cfg: dict[str, Any]) -> _Params:
        points = [(float(x), float(y)) for x, y in cfg["trade_curve"]]
        return cls(
            hit=float(cfg["thresholds"]["hit"]),
            review=float(cfg["thresholds"]["review"]),
            industry_weight=float(cfg["industry_weight"]),
            generic_cap=float(cfg["generic_cap"]),
            trade_contained=float(cfg["trade_contained"]),
            han_exact=float(cfg["han_exact"]),
            han_contained=float(cfg["han_contained"]),
            truncated=float(cfg["truncated"]),
            acronym=float(cfg["acronym"]),
            same_name=float(cfg["same_name"]),
            sister_floor=float(cfg["sister_floor"]),
            country_floor=(
                float(cfg["country_mismatch_floor"]) if "country_mismatch_floor" in cfg else None
            ),
            curve=tuple((x0, y0, x1, y1) for (x0, y0), (x1, y1) in pairwise(points)),
            factors={k: float(v) for k, v in cfg["qualifiers"].items()},
        )


@dataclass(frozen=True, slots=True)
class Algorithm:
    name: str
    config: dict[str, Any]
    _p: _Params = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_p", _Params.of(self.config))

    @property
    def hit(self) -> float:
        return self._p.hit

    @property
    def review(self) -> float:
        return self._p.review

    def verdict(self, score: float) -> str:
        if score >= self._p.hit:
            return HIT
        return REVIEW if score >= self._p.review else CLEAR

    def _curve(self, x: float) -> float:
        curve = self._p.curve
        for x0, y0, x1, y1 in curve:
            if x <= x1:
                return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
        return curve[-1][3]

    def score(
        self,
        q: NameAnalysis,
        c: NameAnalysis,
        *,
        country_mismatch: bool = False,
        cap: float | None = None,
        known: dict[str, float] | None = None,
    ) -> Scored:
        """Score a query against one listed name; `cap` bounds names that can only ever send a
        party to review (the known parent of a listed subsidiary). `known` holds feature values
        `bound` already computed for this pair, so they are not computed twice."""
        p = self._p
        known = known or {}
        values = {
            name: known[name] if name in known else spec.fn(q, c) for name, spec in FEATURES.items()
        }
        routes: dict[str, float] = {}
        if q.trade and c.trade:
            weight = p.industry_weight
            industry = values["industry_agreement"]
            routes["trade_name"] = self._curve(values["trade_name_similarity"]) * (
                1 - weight + weight * industry
            )
        if values["core_name_similarity"] and (q.trade or c.trade) and not (q.trade and c.trade):
            # One side read a word as a place that the other read as a trade name.
            weight = p.industry_weight
            industry = values["industry_agreement"]
            routes["core_name"] = self._curve(values["core_name_similarity"]) * (
                1 - weight + weight * industry
            )
        elif not q.trade and not c.trade:
            same_place = q.place_set == c.place_set or bool(values["place_in_address"])
            routes["generic"] = (
                p.generic_cap * values["industry_agreement"] * (1.0 if same_place else 0.7)
            )
        if values["trade_name_contained"]:
            routes["trade_name_contained"] = p.trade_contained
        if c.script == "mixed":
            pass  # a listed form in two scripts (Xinjiang 东方希望 Nonferrous Metals): its Han
            # characters are a part of the name, not its core, so they prove nothing alone
        elif values["han_core_match"] == 1.0:
            routes["han_core"] = p.han_exact
        elif values["han_core_contained"]:
            routes["han_core_contained"] = p.han_contained
        if values["truncated_prefix"]:
            routes["truncated"] = p.truncated
        if values["acronym_match"]:
            routes["acronym"] = p.acronym
        if values["same_name"]:
            routes["same_name"] = p.same_name
        if not routes:
            return Scored(0.0, CLEAR, "none", values, (), q, c)
        # Qualifiers hold whatever the route; each route exempts those its own score already
        # accounts for, so the best route is the best *after* its qualifiers (a name cut at a
        # field limit lacks its place: the truncation route is not lowered for that).
        found = {name: v for name, spec in QUALIFIERS.items() if (v := spec.fn(q, c))}
        basis, score, applied = "", -1.0, []
        for route, raw in routes.items():
            qualified, kinds = self._qualify(route, raw, found, values, q)
            if qualified > score:
                basis, score, applied = route, qualified, kinds
        for name in applied:
            values[name] = found[name]
        before: float | None = None
        if country_mismatch:
            values["country_mismatch"] = 1.0
            applied.append("country_mismatch")
            before = score
            score *= p.factors["country_mismatch"]
            if p.country_floor is not None and before >= p.hit:
                # The name alone is a hit: another country may be a branch, a trader or a
                # namesake, which a person must tell apart; it is never a reason to clear.
                score = max(score, p.country_floor)
        if cap is not None:
            score = min(score, cap)
        score = max(0.0, min(1.0, score))
        return Scored(
            score, self.verdict(score), basis, values, tuple(applied), q, c,
            before_country=before,
        )  # fmt: skip

    def _qualify(
        self,
        route: str,
        raw: float,
        found: dict[str, float],
        values: dict[str, float],
        q: NameAnalysis,
    ) -> tuple[float, list[str]]:
        """A route's score after the qualifiers it is not exempt from, and which applied."""
        p = self._p
        exempt = _EXEMPT.get(route, set())
        applied = [name for name in found if name not in exempt]
        score = raw
        for name in applied:
            score *= p.factors[name]
        if (
            applied
            and route in ("trade_name", "trade_name_contained")
            and (values["trade_name_similarity"] == 1.0 or values["trade_name_contained"])
            and len(q.trade_key) >= 2
            and "different_number" not in applied
        ):
            # The same distinctive trade name and business in another place is a sister plant
            # or a parent; in a neighbouring business (Zijin Copper of Zijin Mining), a group's
            # subsidiary. An analyst should look, so the qualifiers stop at the review band.
            kinds = set(applied)
            if "different_industry" in kinds:
                sister = bool(values["related_industry"])
            else:
                sister = bool(kinds & {"different_place", "missing_place", "extra_place"})
            if sister:
                score = max(score, p.sister_floor)
        return score, applied

    def bound(
        self, q: NameAnalysis, c: NameAnalysis, known: dict[str, float] | None = None
    ) -> float:
        """An upper bound of `score(q, c)`, from the route features alone (qualifiers and the
        industry weight only lower a score). Lets the matcher skip candidates exactly. The
        feature values it computes go into `known`, for `score` of the same pair."""
        p = self._p
        v = {} if known is None else known
        best = 0.0
        if q.trade and c.trade:
            v["trade_name_similarity"] = trade_name_similarity(q, c)
            best = self._curve(v["trade_name_similarity"])
            v["trade_name_contained"] = trade_name_contained(q, c)
            if v["trade_name_contained"]:
                best = max(best, p.trade_contained)
        elif not q.trade and not c.trade:
            best = p.generic_cap
        if (q.trade or c.trade) and not (q.trade and c.trade) and q.core_key and c.core_key:
            v["core_name_similarity"] = core_name_similarity(q, c)
            best = max(best, self._curve(v["core_name_similarity"]))
        if q.han_core and c.han_core and c.script != "mixed":
            v["han_core_match"] = han_core_match(q, c)
            if v["han_core_match"] == 1.0:
                return p.han_exact
            v["han_core_contained"] = han_core_contained(q, c)
            if v["han_core_contained"]:
                best = max(best, p.han_contained)
        for name, fn, route_score in (
            ("truncated_prefix", truncated_prefix, p.truncated),
            ("acronym_match", acronym_match, p.acronym),
            ("same_name", same_name, p.same_name),
        ):
            v[name] = fn(q, c)
            if v[name]:
                best = max(best, route_score)
        return best

    def held_below_hit(self, scored: Scored, kind: str = "ambiguous_truncation") -> Scored:
        """`scored` held below the hit band, for the reason `kind` names: its name is cut where
        it could be another listed entity's too (`ambiguous_truncation`), it is a short name two
        listed firms share (`ambiguous_short_name`), or it names another firm that carries the
        listed firm's name (`registered_name_differs`, `group_member`). The factor is the
        config's `ambiguous_truncation` qualifier in every case."""
        score = min(self._p.factors["ambiguous_truncation"] * scored.score, self._p.hit - 0.01)
        values = {**scored.values, kind: 1.0}
        applied = (*scored.applied, kind)
        return Scored(
            score, self.verdict(score), scored.basis, values, applied, scored.query,
            scored.candidate, scored.context, scored.before_country,
        )  # fmt: skip

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
def load_algorithm(name: str = DEFAULT_ALGORITHM) -> Algorithm:
    """Load a named algorithm's reviewed configuration from package data."""
    text = resources.files("uflpa.scoring").joinpath(f"{name}.yml").read_text(encoding="utf-8")
    config = yaml.safe_load(text)
    return Algorithm(name=config["name"], config=config)
