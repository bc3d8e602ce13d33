"""A name matched on a date before the entity it names was listed.

`Matcher.match(..., as_of=day)` looks only at the entities listed on `day`, which is right for
the verdict; but "no candidate" would hide that the name is a listed entity's, listed later, which
an analyst dating a shipment needs to know. Screening says the same in its `listed-after-date`
note (`uflpa.screening.service`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from uflpa.match.matcher import Matcher, MatchResult
from uflpa.model import CLEAR, HIT


def listed_later(
    matchers: Sequence[Matcher],
    name: str,
    as_of: date,
    on_date: Sequence[MatchResult],
    *,
    country: str | None = None,
    address: str | None = None,
    identifiers: Sequence[str] = (),
    top_k: int = 5,
) -> list[MatchResult]:
    """The candidates of `name` on the current lists, at review or above, whose entity was
    first listed after `as_of` (so not on the list that day), best first; none when `on_date`
    (the matches on `as_of`) already has a hit. A known parent's name is left out, as in
    screening: it is a lead on the subsidiary, never the listed entity."""
    if any(r.verdict == HIT for r in on_date):
        return []
    out = []
    for matcher in matchers:
        for result in matcher.match(
            name, country=country, address=address, identifiers=identifiers, top_k=top_k
        ):
            entity = result.context.entity
            first = entity.first_effective()
            if (
                result.verdict != CLEAR
                and result.name_form != "parent_of_listed"
                and first is not None
                and first > as_of
                and not entity.is_listed(as_of)
            ):
                out.append(result)
    out.sort(key=lambda r: -r.score)
    return out


__all__ = ["listed_later"]
