"""The seam every list source implements, and the registry that finds the right one.

A source turns the raw bytes of one published file into a `ListVersion`. Sources never touch the
store or the network; `uflpa.lists.fetch` retrieves bytes and `uflpa.store` keeps versions.
"""

from __future__ import annotations

import hashlib
import importlib
import re
import unicodedata
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import UTC, datetime

from uflpa.errors import SourceFormatError, UsageError
from uflpa.model import ListVersion


class ListSource(ABC):
    """A parser for one published list format. `name` is a stable kebab-case string."""

    name: str
    description: str

    @abstractmethod
    def sniff(self, data: bytes, origin: str) -> bool:
        """True when `data` looks like this format (cheap: used to pick a parser)."""

    @abstractmethod
    def parse(
        self, data: bytes, origin: str, *, retrieved_at: datetime | None = None
    ) -> ListVersion:
        """Parse the whole input or raise `SourceFormatError` naming `origin` and the position.

        Never returns a partial list: a malformed entry fails the whole parse, so that nothing
        half-read is ever stored.
        """


@dataclass(frozen=True, slots=True)
class SourceRead:
    """A parsed list plus the records a source leaves out, by kind ({'Vessel': 3})."""

    version: ListVersion
    skipped: dict[str, int] = field(default_factory=dict)


def sniff_head(data: bytes) -> bytes:
    """The start of a file as `sniff` methods read it: BOM and leading blanks removed."""
    return data[:65536].lstrip(b"\xef\xbb\xbf \t\r\n")


# Lazy registry: importing uflpa.lists.base must not import lxml or json parsers.
_REGISTRY: dict[str, str] = {
    "dhs-uflpa": "uflpa.lists.dhs_uflpa:DhsUflpaPage",
    "federal-register": "uflpa.lists.federal_register:FederalRegisterNotice",
    "opensanctions": "uflpa.lists.opensanctions:OpenSanctionsFtM",
    "csl": "uflpa.lists.csl:ConsolidatedScreeningList",
}


def source_names() -> list[str]:
    return list(_REGISTRY)


def get_source(name: str) -> ListSource:
    try:
        target = _REGISTRY[name]
    except KeyError:
        raise UsageError(
            f"unknown list source {name!r}; choose one of: {', '.join(_REGISTRY)}"
        ) from None
    module_name, cls_name = target.split(":")
    cls = getattr(importlib.import_module(module_name), cls_name)
    source: ListSource = cls()
    return source


def detect_source(data: bytes, origin: str) -> ListSource:
    for name in _REGISTRY:
        source = get_source(name)
        if source.sniff(data, origin):
            return source
    raise SourceFormatError(
        "not a recognised list format (expected the DHS UFLPA Entity List page, a Federal "
        "Register notice, OpenSanctions FollowTheMoney JSON lines, or the trade.gov "
        "Consolidated Screening List in CSV or JSON)",
        file=origin,
    )


def parse_list(
    data: bytes, origin: str, *, source: str | None = None, retrieved_at: datetime | None = None
) -> ListVersion:
    """Parse `data` with the named source, or with the one that recognises it."""
    if not data.strip():
        raise SourceFormatError("the file is empty", file=origin)
    parser = get_source(source) if source else detect_source(data, origin)
    return parser.parse(data, origin, retrieved_at=retrieved_at or datetime.now(UTC))


def decode_text(data: bytes, origin: str) -> str:
    """The UTF-8 text of a list file (a byte-order mark is dropped).

    Every published list is UTF-8; anything else is reported with the line of the first bad byte
    rather than guessed at, because a mis-decoded name would silently stop matching.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SourceFormatError(
            f"not UTF-8 text (bad byte at offset {exc.start})", file=origin, row=line
        ) from None


def provisional_id(prefix: str, name: str) -> str:
    """An id for an entity whose source carries none: stable for the same folded name.

    `uflpa.lists.reconcile` later replaces it with the stable id of the same entity in the
    previous version when one exists.
    """
    folded = re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", name).casefold())
    return f"{prefix}-{hashlib.sha1(folded.encode('utf-8')).hexdigest()[:10]}"
