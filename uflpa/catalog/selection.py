"""Which lists a run screens against, as the user names them (`--lists`, `--list-version`).

A list is named as the store names it (`us-dhs-uflpa`, `csl`, `opensanctions:us_ofac_sdn`), or by
one of the aliases below for one programme of the Consolidated Screening List, or as
`NAME:SECTION` for any part of a stored list (`csl:EL`). The UFLPA Entity List comes first unless
the user puts another list first; its rules stay the UFLPA rules whatever else is screened.
"""

from __future__ import annotations

from dataclasses import dataclass

from uflpa.errors import UsageError
from uflpa.model import CSL_LIST, UFLPA_LIST

#: Friendly names of the programmes of the Consolidated Screening List (trade.gov), as
#: (stored list, its listing sections): the CSL is stored as one list whose sections are its
#: source codes.
LIST_ALIASES: dict[str, tuple[str, tuple[str, ...]]] = {
    "us-bis-entity-list": (CSL_LIST, ("EL",)),
    "us-bis-meu": (CSL_LIST, ("MEU",)),
    "us-bis-unverified": (CSL_LIST, ("UVL",)),
    "us-bis-denied-persons": (CSL_LIST, ("DPL",)),
    "us-ofac-sdn": (CSL_LIST, ("SDN",)),
    "us-ofac-cmic": (CSL_LIST, ("CMIC",)),
}


@dataclass(frozen=True, slots=True)
class ListSpec:
    """One stored list, or the part of it under `sections`."""

    name: str
    sections: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.name + (f":{'/'.join(self.sections)}" if self.sections else "")


@dataclass(frozen=True, slots=True)
class ListSelection:
    """The lists of a run and the version references given for them (`--list-version`): a
    reference names a version of one list, or (`latest`, `bundled`, a date) of the first list."""

    lists: tuple[ListSpec, ...] = (ListSpec(UFLPA_LIST),)
    versions: tuple[str, ...] = ()

    @classmethod
    def of(
        cls, lists: str | None = None, versions: tuple[str, ...] | list[str] = ()
    ) -> ListSelection:
        """From the command-line options: `--lists a,b` (None: the UFLPA list) and every
        `--list-version`."""
        specs = parse_lists(lists) if lists else (ListSpec(UFLPA_LIST),)
        return cls(lists=specs, versions=tuple(v.strip() for v in versions if v.strip()))


def parse_lists(text: str) -> tuple[ListSpec, ...]:
    """`us-dhs-uflpa,us-bis-entity-list` or `us-dhs-uflpa,csl:EL` as list specs, in order; the
    parts named for one stored list are merged."""
    specs: dict[str, list[str]] = {}
    for item in (t.strip() for t in text.split(",")):
        if not item:
            continue
        if item in LIST_ALIASES:
            name, sections = LIST_ALIASES[item]
        else:
            name, _, section = item.partition(":")
            if name == "opensanctions" and section:  # 'opensanctions:us_ofac_sdn' is a name
                name, section = item, ""
            sections = (section,) if section else ()
        if not name:
            raise UsageError(f"--lists: {item!r} names no list")
        have = specs.setdefault(name, [])
        if not sections:
            have.clear()
            have.append("*")  # the whole list wins over any part of it
        elif "*" not in have:
            have.extend(s for s in sections if s not in have)
    if not specs:
        raise UsageError("--lists: name at least one list (e.g. us-dhs-uflpa)")
    return tuple(
        ListSpec(name, () if "*" in parts else tuple(parts)) for name, parts in specs.items()
    )
