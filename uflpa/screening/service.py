"""The Screener: the one service every surface calls to turn a party or a shipment into a verdict.

Built once per run with one Matcher per list (the list versions and the algorithm; which versions
is `uflpa.catalog`'s choice, from the store) and a ruleset, it gathers
facts (name matches, Xinjiang locations, HTS sectors, China nexus) and lets the rules decide.
Shipment files repeat the same suppliers on many rows, so facts about a party are cached for the
run, keyed by what they depend on: the party's text and the *state* of the list on the screening
date. The list only changes on a few dates (listings and removals), so two import dates between
the same two changes share one state and one match.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from uflpa.errors import UsageError
from uflpa.geo import Location, locate
from uflpa.geo.index import build_index
from uflpa.identifiers import parse_uscc
from uflpa.match import Matcher, MatchResult
from uflpa.model import UFLPA_LIST, level_rank
from uflpa.screening.china import china_basis, is_china_country
from uflpa.screening.engine import evaluate, verdict_of
from uflpa.screening.facts import PartyFacts, ShipmentFacts
from uflpa.screening.ruleset import Ruleset, load_ruleset
from uflpa.screening.shipment import FUTURE, Party, ShipmentRow, suspicious_date
from uflpa.screening.verdict import (
    CellIssue,
    Goods,
    Note,
    PartyVerdict,
    Reason,
    ShipmentVerdict,
    Versions,
)
from uflpa.sectors import HtsResult, SectorHint, classify_hts, sectors_for_description
from uflpa.sectors.hts import load_sector_rules

_CACHE_LIMIT = 200_000  # distinct parties kept per run; beyond it the cache starts afresh


class Screener:
    """Screens parties and shipments against the lists of its matchers and one ruleset.

    One matcher per list, the UFLPA Entity List first: each list gets its own best candidates,
    so that a dense list screened beside it (the Consolidated Screening List names the XPCC three
    times) can never push a UFLPA candidate out of the top few.
    """

    def __init__(
        self,
        matchers: Matcher | Sequence[Matcher],
        ruleset: Ruleset | None = None,
        *,
        top_k: int = 3,
        today: Callable[[], date] | None = None,
    ) -> None:
        self.matchers: tuple[Matcher, ...] = (
            (matchers,) if isinstance(matchers, Matcher) else tuple(matchers)
        )
        if not self.matchers:
            raise UsageError("nothing to screen against: no list was given")
        self.matcher = self.matchers[0]
        self.ruleset = ruleset or load_ruleset()
        self.list_versions = tuple(v for m in self.matchers for v in m.versions)
        _check_lists_are_read(self.ruleset, {v.list_name for v in self.list_versions})
        self.versions = Versions(
            list_version="+".join(v.label for v in self.list_versions),
            rules_version=self.ruleset.version_id,
            algorithm=self.matcher.algorithm.name,
        )
        self._top_k = top_k
        # The day of screening, asked for each row (a service runs across midnight); tests fix it.
        self._today: Callable[[], date] = today or date.today
        changes = {
            day
            for version in self.list_versions
            for entity in version.entities
            for listing in entity.listings
            for day in (listing.effective_date, listing.removal_date)
            if day is not None
        }
        self._changes = sorted(changes)
        # Entities no longer on the list (every listing removed): see `_dated_matches`.
        self._removals = any(
            entity.listings and all(lst.removal_date for lst in entity.listings)
            for version in self.list_versions
            for entity in version.entities
        )
        # Build the place index and read the sector table now, once, rather than on the first row.
        build_index()
        load_sector_rules()
        self._matches: dict[tuple[Any, ...], tuple[MatchResult, ...]] = {}
        self._locations: dict[tuple[str, str, str], Location | None] = {}

    # --- public API -------------------------------------------------------------------------

    def screen_party(
        self,
        name: str,
        *,
        country: str | None = None,
        address: str | None = None,
        identifiers: Sequence[str] = (),
        as_of: date | None = None,
    ) -> PartyVerdict:
        """The verdict on one lone party (the party-scope rules: list matches and Xinjiang)."""
        party = Party(
            role="party",
            name=name,
            address=address or "",
            identifier=next(iter(identifiers), ""),
            country=country or "",
        )
        pf = self.party_facts(party, as_of, extra_identifiers=tuple(identifiers[1:]), china=False)
        facts = ShipmentFacts(parties=(pf,), as_of=as_of, as_of_basis="party")
        reasons = evaluate(self.ruleset, facts, scope="party")
        return PartyVerdict(
            verdict=verdict_of(reasons),
            reasons=tuple(reasons),
            notes=tuple(_later_notes(pf)),
            top=_best(pf.matches),
            as_of=as_of,
            versions=self.versions,
        )

    def screen_shipment(self, row: ShipmentRow, *, as_of: date | None = None) -> ShipmentVerdict:
        """The verdict on one shipment row; `as_of` (the --as-of option) overrides its date."""
        facts = self.shipment_facts(row, as_of=as_of)
        reasons = evaluate(self.ruleset, facts, scope="shipment")
        return ShipmentVerdict(
            row=row.row,
            id=row.id,
            verdict=verdict_of(reasons),
            reasons=tuple(reasons),
            notes=tuple(_notes(facts, reasons)),
            parties=row.parties,
            goods=_goods(row, facts),
            as_of=facts.as_of,
            as_of_basis=facts.as_of_basis,
            issues=tuple(_issues(row, facts)),
            versions=self.versions,
        )

    # --- facts ------------------------------------------------------------------------------

    def shipment_facts(self, row: ShipmentRow, *, as_of: date | None = None) -> ShipmentFacts:
        """Everything the rules read about `row`, gathered with the run's caches."""
        today = self._today()
        suspicion = None
        if as_of is not None:
            day, basis = as_of, "--as-of"
        elif row.import_date is not None:
            suspicion = suspicious_date(row.import_date, today)
            if suspicion is None:
                day, basis = row.import_date, "import_date"
            else:
                # The list of 1900 is empty and that of a day to come unknown: read today's.
                day = today
                basis = (
                    f"suspicious import date: {suspicion[1]}; screened against the list as of "
                    f"today, {today.isoformat()}"
                )
        elif row.date_problem:
            day, basis = None, "unreadable import date: screened against the current list"
        else:
            day, basis = None, "no import date: screened against the current list"
        hts, hts_problem = _classify(row.hts) if row.hts else (None, None)
        description = row.description
        hints = _hints(description) if description else ()
        # Where a party is matters to the sector rules only: skip the work when no sector shows.
        china = bool(hts.sectors if hts is not None else hints)
        return ShipmentFacts(
            parties=tuple(self.party_facts(p, day, china=china) for p in row.parties),
            as_of=day,
            as_of_basis=basis,
            country_of_origin=row.country_of_origin,
            origin_china=is_china_country(row.country_of_origin),
            hts=hts,
            hts_text=row.hts,
            hts_problem=hts_problem,
            hints=hints,
            description=description,
            description_location=locate(description) if description else None,
            origin_evidence=row.origin_evidence,
            date_problem=row.date_problem if as_of is None else None,
            import_date_text=row.import_date_text,
            import_date=row.import_date,
            date_suspicion=suspicion,
            today=today,
        )

    def party_facts(
        self,
        party: Party,
        as_of: date | None,
        *,
        extra_identifiers: tuple[str, ...] = (),
        china: bool = True,
    ) -> PartyFacts:
        """What is known about one party on `as_of`; `china` False skips the China check."""
        identifiers = tuple(i for i in (party.identifier, *extra_identifiers) if i)
        matches: tuple[MatchResult, ...] = ()
        later: tuple[MatchResult, ...] = ()
        if party.name or identifiers:
            matches, later = self._dated_matches(party, identifiers, as_of)
        uscc = parse_uscc(party.identifier) if party.identifier else None
        return PartyFacts(
            party=party,
            matches=matches,
            location=self._locate(party),
            uscc=uscc,
            china=(
                china_basis(party.name, party.address, party.country, party.identifier)
                if china
                else None
            ),
            listed_later=later,
        )

    def flagged_now(self, party: Party) -> bool:
        """True when some list has a candidate at review or above for `party` on the current
        list: the first step of every screening of it, and the only one a clear party needs."""
        identifiers = (party.identifier,) if party.identifier else ()
        return any(m.verdict != "clear" for m in self._match(party, identifiers, None))

    def assume_clear(self, parties: Iterable[Party]) -> int:
        """Take it as found (by another process: `uflpa.bulk.local`) that `parties` have no
        candidate at review or above on the current list, so that their shipment rows skip the
        matching; returns how many were taken. Only for shipment rows, which never show a clear
        candidate (a party file shows the closest one, which this leaves out), and not while
        some entity has left every list (a party clear today may have matched it earlier)."""
        if self._removals:
            return 0
        taken = 0
        for party in parties:
            identifiers = (party.identifier,) if party.identifier else ()
            self._matches[(party.name, party.country, party.address, identifiers, -1)] = ()
            taken += 1
        return taken

    def _dated_matches(
        self, party: Party, identifiers: tuple[str, ...], as_of: date | None
    ) -> tuple[tuple[MatchResult, ...], tuple[MatchResult, ...]]:
        """(matches on `as_of`, hit-level matches on the current list not listed on `as_of`).

        The current list is matched first, once per party for the whole run. A score does not
        depend on the date, and while no entity has left the list, the entities listed on any
        day are a subset of the current ones: so when nothing on the current list comes near
        the party, nothing on `as_of` does either, and the dated match is skipped.
        """
        now = self._match(party, identifiers, None)
        if as_of is None:
            return now, ()
        if not self._removals and all(m.verdict == "clear" for m in now):
            return tuple(m for m in now if m.context.entity.is_listed(as_of)), ()
        matches = self._match(party, identifiers, as_of)
        if any(m.verdict == "hit" for m in matches):
            return matches, ()
        on_date = {m.entity_id for m in matches}
        later = tuple(
            m
            for m in now
            if m.verdict == "hit"
            and m.name_form != "parent_of_listed"
            and m.entity_id not in on_date
        )
        return matches, later

    def state(self, day: date | None) -> int:
        """Which list state `day` falls in: days between the same two list changes share one."""
        return -1 if day is None else bisect.bisect_right(self._changes, day)

    def _match(
        self, party: Party, identifiers: tuple[str, ...], as_of: date | None
    ) -> tuple[MatchResult, ...]:
        key = (party.name, party.country, party.address, identifiers, self.state(as_of))
        found = self._matches.get(key)
        if found is None:
            if len(self._matches) >= _CACHE_LIMIT:
                self._matches.clear()
            results: list[MatchResult] = []
            for matcher in self.matchers:
                results.extend(
                    matcher.match(
                        party.name,
                        country=party.country or None,
                        address=party.address or None,
                        identifiers=identifiers,
                        as_of=as_of,
                        top_k=self._top_k,
                        flagged_only=True,
                    )
                )
            found = tuple(results)
            self._matches[key] = found
        return found

    def _locate(self, party: Party) -> Location | None:
        # The country is part of the key: "Aksu ..." is in Xinjiang with CN and not with KZ, and
        # a verdict must never depend on which row of a file came first.
        key = (party.name, party.address, party.country)
        if key not in self._locations:
            if len(self._locations) >= _CACHE_LIMIT:
                self._locations.clear()
            text = ", ".join(t for t in (party.name, party.address) if t)
            self._locations[key] = locate(text, country=party.country or None) if text else None
        return self._locations[key]


@lru_cache(maxsize=16384)
def _hints(description: str) -> tuple[SectorHint, ...]:
    """Sector hints of a goods description: some seventy patterns each, and shipment files
    repeat the same few descriptions on many rows."""
    return tuple(sectors_for_description(description))


@lru_cache(maxsize=4096)
def _classify(code: str) -> tuple[HtsResult | None, str | None]:
    try:
        return classify_hts(code), None
    except UsageError as exc:
        return None, str(exc)


def _best(matches: tuple[MatchResult, ...]) -> MatchResult | None:
    """The candidate a party row shows: the most severe, then the highest score; the first of
    equals, so that the UFLPA Entity List's candidate comes before another list's."""
    if len(matches) < 2:
        return matches[0] if matches else None
    best: MatchResult | None = None
    for m in matches:
        if best is None or (level_rank(m.verdict), m.score) > (
            level_rank(best.verdict),
            best.score,
        ):
            best = m
    return best


def _check_lists_are_read(ruleset: Ruleset, lists: set[str]) -> None:
    """Refuse a run whose rules would read no match on one of its lists: such matches would be
    dropped without a word (rules written for one list, screened against two)."""
    read: set[str] = set()
    for rule in ruleset.rules:
        if rule.needs in _LIST_CONDITIONS:
            read |= set(rule.params.get("lists", [UFLPA_LIST]))
    others = [
        frozenset(rule.params.get("exclude_lists", [UFLPA_LIST]))
        for rule in ruleset.rules
        if rule.needs == "other_list_match"
    ]
    unread = [
        name
        for name in sorted(lists)
        if name not in read and not any(name not in excluded for excluded in others)
    ]
    if unread:
        raise UsageError(
            f"the rules {ruleset.version_id} read no match on the list(s) {', '.join(unread)}; "
            "use rules that do (the default rules make a match on any other list a review)"
        )


_LIST_CONDITIONS = frozenset({"listed_match", "review_band_match", "parent_of_listed"})


def _later_notes(pf: PartyFacts) -> list[Note]:
    out = []
    for m in pf.listed_later:
        listed = m.effective_date.isoformat() if m.effective_date else "an unknown date"
        sections = ", ".join(m.sections) or "an unknown section"
        out.append(
            Note(
                note="listed-after-date",
                role=pf.party.role,
                party=pf.label,
                entity_id=m.entity_id,
                entity_name=m.entity_name,
                says=f"“{pf.label}” matches {m.entity_name} ({m.entity_id}), listed later: "
                f"under {sections} from {listed} (the current list), not on the list on the "
                "screening date, so not a hit for this shipment.",
            )
        )
    return out


def _notes(facts: ShipmentFacts, reasons: list[Reason]) -> list[Note]:
    out: list[Note] = []
    for pf in facts.parties:
        out += _later_notes(pf)
    fired = {r.rule for r in reasons}
    if facts.date_suspicion is not None and facts.today is not None:
        kind, why = facts.date_suspicion
        if kind == FUTURE and "import-date-suspicious" not in fired:
            out.append(
                Note(
                    note="import-date-after-today",
                    says=f"The import date {why}: the list of that day is not known yet, so the "
                    f"row was screened against the list as of today, {facts.today.isoformat()}.",
                )
            )
    if facts.hts is not None and facts.hts.repair:
        out.append(
            Note(
                note="hts-repaired",
                says=f"HTS code {facts.hts.repair}; the row was screened with "
                f"{facts.hts.formatted}: check the code.",
            )
        )
    if facts.hts is not None:
        broad = [h for h in facts.hts.sectors if h.scope.split()[0] == "broad"]
        if broad and "china-high-priority-sector" not in fired:
            sectors = ", ".join(dict.fromkeys(h.sector for h in broad))
            out.append(
                Note(
                    note="broad-sector-heading",
                    says=f"HTS {facts.hts.formatted} is a broad heading that may include "
                    f"goods of the sector(s) {sectors}; not a review by itself.",
                )
            )
    if facts.origin_evidence:
        out.append(
            Note(
                note="origin-evidence-on-file",
                says=f"origin evidence on file: {facts.origin_evidence}",
            )
        )
    return out


def _issues(row: ShipmentRow, facts: ShipmentFacts) -> list[CellIssue]:
    out = []
    if row.date_problem:
        out.append(CellIssue("import_date", row.date_problem))
    if facts.hts_problem:
        out.append(CellIssue("hts", facts.hts_problem))
    for party in row.parties:
        if not party.name and party.address:
            out.append(
                CellIssue(
                    party.role,
                    f"the {party.role} name is empty while its address is given: the address "
                    "was screened, the name could not be checked against the lists",
                )
            )
    return out


def _goods(row: ShipmentRow, facts: ShipmentFacts) -> Goods:
    return Goods(
        country_of_origin=row.country_of_origin or None,
        hts=facts.hts.formatted if facts.hts else (row.hts or None),
        sectors=tuple(facts.hts.sector_names) if facts.hts else (),
        description=row.description or None,
    )
