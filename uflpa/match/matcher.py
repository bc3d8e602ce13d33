"""Match a party name against listed entities, with the evidence for every candidate.

Recall comes from `uflpa.index` (which names to look at), precision from `uflpa.scoring` (how
alike they are); this module joins them, adds identifiers, countries and dates, and says which
list entry, which of its names, which features and which list version produced each result.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from uflpa.identifiers import parse_uscc
from uflpa.index.candidates import CandidateIndex
from uflpa.match.slips import SlipReader
from uflpa.model import CLEAR, HIT, UFLPA_LIST, ListedEntity, Listing, ListVersion
from uflpa.names.analyze import NameAnalysis, analyze, with_address
from uflpa.names.lexicon import lexicon
from uflpa.names.translated import translated_form
from uflpa.reference.countries import is_china
from uflpa.reference.names_zh import chinese_names
from uflpa.scoring.algorithm import DEFAULT_ALGORITHM, Algorithm, Scored, load_algorithm

_TRANSLATED_SOURCE = "uflpa data/names/translated_words.yml (the listed trade words in Chinese)"


@dataclass(frozen=True, slots=True)
class NameForm:
    """One name under which an entity can be found."""

    entity_index: int
    text: str
    # primary | alias | former_name | zh_registered | zh_short | zh_former | zh_alias |
    # zh_translated | parent_of_listed
    form: str
    source: str | None = None


@dataclass(frozen=True, slots=True)
class MatchResult:
    """One candidate entity for a query. Its evidence is assembled when first asked for, since
    bulk screening reads it only for the rows it reports, and kept: a supplier on many rows of
    a file is one cached result whose evidence every flagged row quotes. The evidence is shared,
    so readers must not change it."""

    entity_id: str
    list_name: str
    list_version: str
    entity_name: str
    matched_name: str
    name_form: str
    score: float
    verdict: str
    algorithm: str
    sections: tuple[str, ...]
    effective_date: date | None
    scored: Scored = field(repr=False, compare=False)
    context: EvidenceContext = field(repr=False, compare=False)
    # The evidence once built (a list, since the record itself is frozen).
    _evidence: list[dict[str, Any]] = field(
        default_factory=list, init=False, repr=False, compare=False
    )

    # Values derived from the evidence once, for the same reason (`derived`).
    _derived: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def evidence(self) -> dict[str, Any]:
        if not self._evidence:
            self._evidence.append(build_evidence(self, self.scored, self.context))
        return self._evidence[0]

    def derived(self, key: str, make: Callable[[MatchResult], Any]) -> Any:
        """`make(self)`, computed once per result and `key`: the one-line why in words, which
        every row of a file naming the same supplier quotes."""
        if key not in self._derived:
            self._derived[key] = make(self)
        return self._derived[key]

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity_id": self.entity_id,
            "list": self.list_name,
            "list_version": self.list_version,
            "entity_name": self.entity_name,
            "matched_name": self.matched_name,
            "name_form": self.name_form,
            "score": round(self.score, 4),
            "verdict": self.verdict,
            "algorithm": self.algorithm,
            "sections": list(self.sections),
            "effective_date": self.effective_date.isoformat() if self.effective_date else None,
            "evidence": self.evidence,
        }


@dataclass(frozen=True, slots=True)
class EvidenceContext:
    """What the evidence of a result needs beyond its score."""

    entity: ListedEntity
    version: ListVersion
    form: NameForm
    query: NameAnalysis
    listings: tuple[Listing, ...]
    thresholds: dict[str, float]
    address: str | None
    as_of: date | None
    read: dict[str, str] = field(default_factory=dict)  # slipped query words read as list words
    name: str | None = None  # the query as given, when it was read with `read`
    country: str | None = None  # the party's country as given


def build_evidence(result: MatchResult, scored: Scored, ctx: EvidenceContext) -> dict[str, Any]:
    """Which list entry and which of its names matched, the features and what they compared,
    the algorithm and the list version: everything a reviewer needs to reproduce the verdict."""
    query: dict[str, Any] = {
        "name": ctx.name or ctx.query.original,
        "name_part": ctx.query.name,
        "address_part": ctx.query.address,
        "address": ctx.address,
    }
    if ctx.read:
        query["read_as"] = ctx.read  # {"sihezi": "shihezi"}: typos read as the list's words
    if ctx.query.readings:
        query["readings"] = list(ctx.query.readings)  # an address in pinyin cut off …
    explained = scored.explain()
    if "country_mismatch" in explained["qualifiers"]:
        explained["qualifiers"]["country_mismatch"] = country_differs(scored, ctx)
    evidence: dict[str, Any] = {
        "query": query,
        "matched_name": ctx.form.text,
        "name_form": ctx.form.form,
        **explained,
        "list": {
            "name": ctx.version.list_name,
            "version": ctx.version.version_id,
            "source": ctx.version.source,
        },
        "listings": [
            {
                "section": lst.section,
                "effective_date": _iso(lst.effective_date),
                "removal_date": _iso(lst.removal_date),
            }
            for lst in ctx.listings
        ],
        "subsidiaries": ctx.entity.subsidiaries,
        "algorithm": result.algorithm,
        "thresholds": ctx.thresholds,
    }
    if ctx.form.source:
        evidence["name_source"] = ctx.form.source
    if ctx.as_of:
        evidence["as_of"] = ctx.as_of.isoformat()
    return evidence


_PLACES = {"cn": "China", "hk": "Hong Kong, China", "mo": "Macao, China"}


def country_differs(scored: Scored, ctx: EvidenceContext) -> dict[str, Any]:
    """The country-mismatch qualifier in words: which countries differ, what the name alone
    scored, and whether that held the score at review (a listed name is never cleared by a
    country alone)."""
    listed = ctx.entity.country or "cn"
    where = _PLACES.get(listed, listed.upper())
    before = scored.before_country
    why = (
        f"The country differs: the party is given in {ctx.country!r}, the listed entity is in "
        f"{where}. A country mismatch lowers the score"
    )
    hit, review = ctx.thresholds["hit"], ctx.thresholds["review"]
    held = before is not None and before >= hit and review <= scored.score < hit
    if held:
        why += (
            f"; the name alone scored {before:.2f} (a hit), so it is held at review: a listed "
            "name in another country may be a branch, a trader or a namesake, for a person to "
            "tell apart."
        )
    else:
        why += "."
    return {
        "value": 1.0,
        "why": why,
        "compared": {
            "query_country": ctx.country,
            "listed_country": listed,
            "score_before_country": round(before, 4) if before is not None else None,
            "held_at_review": held,
        },
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


@dataclass(frozen=True, slots=True)
class Comparison:
    """Are two free names the same organisation? The score with the features behind it."""

    score: float
    verdict: str
    basis: str  # the route that gave the score
    features: dict[str, Any]  # every feature: value, why, what it compared
    qualifiers: dict[str, Any]  # the qualifiers that lowered the score
    algorithm: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": round(self.score, 4),
            "verdict": self.verdict,
            "algorithm": self.algorithm,
            "basis": self.basis,
            "features": self.features,
            "qualifiers": self.qualifiers,
        }


class Matcher:
    """Screens names against the entities of one or more list versions."""

    def __init__(
        self,
        versions: Sequence[ListVersion],
        *,
        algorithm: str = DEFAULT_ALGORITHM,
        enrich_chinese: bool = True,
        candidates: int = 40,
        min_share: float = 0.3,
        min_query_share: float = 0.3,
    ) -> None:
        self.versions = tuple(versions)
        self.algorithm: Algorithm = load_algorithm(algorithm)
        self._k = candidates
        self._min_share = min_share
        self._min_query_share = min_query_share
        self._entities: list[tuple[ListedEntity, ListVersion]] = []
        self._forms: list[NameForm] = []
        self._by_identifier: dict[str, int] = {}
        zh = chinese_names() if enrich_chinese else {}
        for version in self.versions:
            for entity in version.entities:
                idx = len(self._entities)
                self._entities.append((entity, version))
                seen: set[str] = set()
                for text, form, source in self._names_of(entity, zh):
                    if text.casefold() not in seen and text.strip():
                        seen.add(text.casefold())
                        self._forms.append(NameForm(idx, text, form, source))
                for ident in entity.identifiers:
                    self._by_identifier[_ident_key(ident)] = idx
        self._parent_cap = float(self.algorithm.config["parent_cap"])
        self._analyses: list[NameAnalysis] = [analyze(f.text) for f in self._forms]
        # The Chinese cores of each entity's full registered, alias and former names.
        self._registered_cores: dict[int, frozenset[str]] = {}
        for f, a in zip(self._forms, self._analyses, strict=True):
            if f.form in ("zh_registered", "zh_alias", "zh_former") and a.han_core:
                cores = self._registered_cores.get(f.entity_index, frozenset())
                self._registered_cores[f.entity_index] = cores | {a.han_core}
        self.index = CandidateIndex(self._analyses)
        self._slips = SlipReader((f.text for f in self._forms), lexicon())

    @staticmethod
    def _names_of(entity: ListedEntity, zh: dict[str, Any]) -> list[tuple[str, str, str | None]]:
        names: list[tuple[str, str, str | None]] = [(entity.name, "primary", None)]
        names += [(a, "alias", None) for a in entity.aliases]
        names += [(f, "former_name", None) for f in entity.former_names]
        names += [(r.old_name, "former_name", None) for r in entity.renames]
        if entity.parent:
            # The list data names known parents; a match on one is a lead, never a hit.
            parent = re.sub(r"\s*\((?:per|inferred)[^)]*\)\s*$", "", entity.parent).strip()
            names.append((parent, "parent_of_listed", "list data: parent_entity"))
        if entity.list_name == UFLPA_LIST:
            names += [(n.name_zh, f"zh_{n.form}", n.source) for n in zh.get(entity.id, ())]
            # A translated trade name (East Hope = 东方希望) in Chinese words, so that Chinese and
            # pinyin names find it without a table entry (data/names/translated_words.yml).
            for text, form, _ in list(names):
                if form in ("primary", "alias", "former_name"):
                    translated = translated_form(text)
                    if translated:
                        names.append((translated, "zh_translated", _TRANSLATED_SOURCE))
        return names

    def __len__(self) -> int:
        return len(self._forms)

    def candidates(self, name: str, k: int | None = None) -> list[str]:
        """Entity ids the index proposes for `name` (recall only, best first)."""
        ids = self.index.search(analyze(name), k or self._k)
        out: list[str] = []
        for i in ids:
            eid = self._entities[self._forms[i].entity_index][0].id
            if eid not in out:
                out.append(eid)
        return out

    def match(
        self,
        name: str,
        country: str | None = None,
        address: str | None = None,
        identifiers: Sequence[str] | None = None,
        as_of: date | None = None,
        top_k: int = 5,
        *,
        flagged_only: bool = False,
    ) -> list[MatchResult]:
        """Best candidates for one party, best first; each carries its evidence.

        `flagged_only` is for screening, where a clear candidate is only ever shown as the
        closest miss: it returns the results at review or above (up to `top_k`), or the single
        best result when none is, and skips scoring what cannot change that answer."""
        read_as, read = self._slips.read(name)
        query = with_address(analyze(read_as), address)
        china = is_china(country)
        best: dict[int, tuple[Scored, NameForm]] = {}
        for ident in identifiers or ():
            idx = self._by_identifier.get(_ident_key(ident))
            if idx is not None:
                form = next(f for f in self._forms if f.entity_index == idx)
                best[idx] = (self.algorithm.decisive(ident), form)
        # Branch and bound: candidates in order of their score's upper bound; stop once no
        # remaining candidate can enter the top k. Same results as scoring every candidate.
        bounded = []
        known: dict[int, dict[str, float]] = {}  # feature values the bounds computed
        for i, _ in self.index.search_scored(
            query, self._k, min_share=self._min_share, min_query_share=self._min_query_share
        ):
            entity = self._entities[self._forms[i].entity_index][0]
            if entity.is_listed(as_of):
                known[i] = {}
                bounded.append((self.algorithm.bound(query, self._analyses[i], known[i]), i))
        bounded.sort(key=lambda bi: -bi[0])
        review = self.algorithm.review
        hit = self.algorithm.hit
        for bound, i in bounded:
            if len(best) >= top_k:
                kth = sorted((s.score for s, _ in best.values()), reverse=True)[top_k - 1]
                # A second cut reading that is a hit makes the first ambiguous: look for it.
                cut_hit = any(s.basis == "truncated" and s.score >= hit for s, _ in best.values())
                if bound < kth and not (cut_hit and bound >= hit):
                    break
            if flagged_only and best and bound < review:
                # Bounds only fall from here: nothing left can be flagged, and once something
                # is, a clear candidate is not shown; before, only a closer (or tying) miss is.
                top = max(s.score for s, _ in best.values())
                if top >= review or bound < top:
                    break
            form = self._forms[i]
            entity = self._entities[form.entity_index][0]
            mismatch = china is False and (entity.country or "cn") in ("cn", "hk", "mo")
            cap = self._parent_cap if form.form == "parent_of_listed" else None
            scored = self.algorithm.score(
                query, self._analyses[i], country_mismatch=mismatch, cap=cap, known=known[i]
            )
            current = best.get(form.entity_index)
            if current is None or _fits_better(scored, current[0]):
                best[form.entity_index] = (scored, form)
        cut = [i for i, (s, _) in best.items() if s.basis == "truncated" and s.score >= hit]
        if len(cut) > 1:
            # 'XINJIANG COTTON INDUSTRY GROUP' starts two listed names: a person must say which.
            for i in cut:
                best[i] = (self.algorithm.held_below_hit(best[i][0]), best[i][1])
        if not query.place_set and not query.address_places:
            # A Chinese short name hits a listed firm without its place (features.
            # chinese_short_name); 华孚纺织 is the short name of two listed firms: say both. A
            # place stated after the name ('Huafu Textile Co., Ltd. (Awati)') says which.
            short = [
                i
                for i, (s, _) in best.items()
                if s.score >= hit and s.candidate is not None and s.candidate.place_set
            ]
            top = max((best[i][0].score for i in short), default=0.0)
            tied = [i for i in short if best[i][0].score >= top - 1e-9]
            # 华孚色纺集团 is Xinjiang Huafu Color Spinning Group (a group, as the name says)
            # before Aksu Huafu Color Spinning: only a firm that fits as well makes it ambiguous;
            # one that fits less is no hit beside it.
            for i in short if len(tied) > 1 else [i for i in short if i not in tied]:
                scored = self.algorithm.held_below_hit(best[i][0], "ambiguous_short_name")
                best[i] = (scored, best[i][1])
        for i, (s, form) in best.items():
            if s.score >= hit and (kind := self._other_firm_of_the_name(i, form, query, s)):
                best[i] = (self.algorithm.held_below_hit(s, kind), form)
        # At equal scores the listed entity's own name ranks before a name it is only the
        # parent of (Zijin Copper: Zijin Mining Group itself, not Ashele Copper via its parent).
        ranked = sorted(
            best.items(), key=lambda kv: (-kv[1][0].score, kv[1][1].form == "parent_of_listed")
        )[:top_k]
        if flagged_only and ranked:
            ranked = [kv for kv in ranked if kv[1][0].score >= review] or ranked[:1]
        return [
            self._result(idx, scored, form, query, as_of, address, name, read, country)
            for idx, (scored, form) in ranked
        ]

    def _other_firm_of_the_name(
        self, idx: int, form: NameForm, query: NameAnalysis, scored: Scored
    ) -> str | None:
        """Why a hit names another firm that carries the listed firm's name, or None.

        合盛硅业股份有限公司 is the parent's registered name: it hits the listed plant only through
        the short name 合盛硅业 they share, while the plant's registered name, 合盛硅业（鄯善）有限
        公司, is known and differs. 新疆中泰纺织集团 adds a business to the group 新疆中泰（集团）:
        a firm of the group. Either is a lead for an analyst, not a hit."""
        if (
            form.form == "zh_short"
            and query.script == "han"
            and query.legal
            and query.han_core
            and (registered := self._registered_cores.get(idx))
            and query.han_core not in registered
        ):
            return "registered_name_differs"
        candidate = scored.candidate
        if (
            candidate is not None
            and scored.basis in ("trade_name", "han_core_contained")
            and "group" in candidate.orgs
            and not candidate.industries
            and query.industries
        ):
            return "group_member"
        return None

    def _result(
        self,
        idx: int,
        scored: Scored,
        form: NameForm,
        query: NameAnalysis,
        as_of: date | None,
        address: str | None,
        name: str | None = None,
        read: dict[str, str] | None = None,
        country: str | None = None,
    ) -> MatchResult:
        entity, version = self._entities[idx]
        listings = entity.active_listings(as_of) if as_of else entity.listings
        effective = min(
            (lst.effective_date for lst in listings if lst.effective_date), default=None
        )
        context = EvidenceContext(
            entity=entity,
            version=version,
            form=form,
            query=query,
            listings=listings,
            thresholds={"hit": self.algorithm.hit, "review": self.algorithm.review},
            address=address,
            as_of=as_of,
            read=read or {},
            name=name if read else None,
            country=country,
        )
        return MatchResult(
            entity_id=entity.id,
            list_name=entity.list_name,
            list_version=version.version_id,
            entity_name=entity.name,
            matched_name=form.text,
            name_form=form.form,
            score=scored.score,
            verdict=scored.verdict,
            algorithm=self.algorithm.name,
            sections=tuple(dict.fromkeys(lst.section for lst in listings)),
            effective_date=effective,
            scored=scored,
            context=context,
        )

    def compare(self, name1: str, name2: str) -> Comparison:
        """Is this the same organisation? The two names compared directly and, when both are
        hits on the same listed entity (合盛硅业（鄯善）and "Hoshine Silicon Industry (Shanshan)"),
        through the names the list and its Chinese-name table know for it."""
        direct = compare(name1, name2, self.algorithm)
        first = self.match(name1, top_k=1)
        second = self.match(name2, top_k=1)
        if not (first and second):
            return direct
        a, b = first[0], second[0]
        if a.verdict != "hit" or b.verdict != "hit" or a.entity_id != b.entity_id:
            return direct
        via = min(a.score, b.score)
        if via <= direct.score:
            return direct
        entity = {
            "entity_id": a.entity_id,
            "entity_name": a.entity_name,
            "list_version": a.list_version,
            "name1_matched": {"name": a.matched_name, "form": a.name_form, "score": a.score},
            "name2_matched": {"name": b.matched_name, "form": b.name_form, "score": b.score},
        }
        features = {
            **direct.features,
            "same_listed_entity": {
                "value": 1.0,
                "why": "Both names are hits on the same listed entity, by names it is known by.",
                "compared": entity,
            },
        }
        return Comparison(
            score=via,
            verdict=self.algorithm.verdict(via),
            basis="same_listed_entity",
            features=features,
            qualifiers=direct.qualifiers,
            algorithm=self.algorithm.name,
        )


def _fits_better(scored: Scored, current: Scored) -> bool:
    """A higher score, or at an equal one more of the name's parts aligned: 'Hesheng Guiye'
    is the short name 合盛硅业 (every part) rather than 'Hesheng Silicon Industry (Shanshan)'
    with its place left over, though a Chinese short name scores both alike."""
    if scored.score != current.score:
        return scored.score > current.score
    return scored.values.get("parts_aligned", 0.0) > current.values.get("parts_aligned", 0.0)


def compare(name1: str, name2: str, algorithm: Algorithm | None = None) -> Comparison:
    algo = algorithm or load_algorithm()
    a, b = analyze(name1), analyze(name2)
    forward = algo.score(a, b)
    backward = algo.score(b, a)
    scored = forward if forward.score >= backward.score else backward
    explained = scored.explain()
    return Comparison(
        score=scored.score,
        verdict=scored.verdict,
        basis=explained["basis"],
        features=explained["features"],
        qualifiers=explained["qualifiers"],
        algorithm=algo.name,
    )


def _ident_key(ident: str) -> str:
    parsed = parse_uscc(ident)
    if parsed is not None:
        return parsed.code
    return "".join(ch for ch in ident.upper() if ch.isalnum())


__all__ = ["CLEAR", "HIT", "Comparison", "MatchResult", "Matcher", "compare"]
