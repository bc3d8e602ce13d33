"""Registration identifiers: the Chinese Unified Social Credit Code, and where FollowTheMoney
entities keep identifiers.

A Unified Social Credit Code (统一社会信用代码, GB 32100-2015) has 18 characters from an alphabet
of digits and capitals without I, O, S, V and Z. An exact code match is decisive evidence of
identity, so a code is only trusted when its check character (the 18th) is right. Characters 3-8
are the GB/T 2260 code of the registering authority: 65 at characters 3-4 is the Xinjiang Uyghur
Autonomous Region, which the geography rules weigh as a location signal (registration does not
show where goods are made).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: FollowTheMoney properties that hold a registration or other identifier, in the order of trust
#: in which list sources and supply-chain files read them.
ID_PROPERTIES = (
    "registrationNumber",
    "taxNumber",
    "innCode",
    "ogrnCode",
    "okpoCode",
    "leiCode",
    "dunsCode",
    "uniqueEntityId",
    "vatCode",
    "swiftBic",
    "idNumber",
    "passportNumber",
    "imoNumber",
)

_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# [0-9], not \d: other scripts' digits are not code characters (and broke the check sum).
_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")
# In free text: 18 characters of the alphabet, in either case, characters 3-8 digits, not glued
# to other letters or digits.
_IN_TEXT = re.compile(
    r"(?<![0-9A-Za-z])([0-9A-HJ-NP-RTUWXY]{2}[0-9]{6}[0-9A-HJ-NP-RTUWXY]{10})(?![0-9A-Za-z])",
    re.IGNORECASE,
)
# Characters 3-8 are digits, so a text without six digits in a row holds no code (most do not).
_SIX_DIGITS = re.compile(r"[0-9]{6}")
XINJIANG_PROVINCE = "65"


@dataclass(frozen=True, slots=True)
class USCC:
    code: str  # upper case, without spaces or hyphens
    valid: bool  # the check character is right
    region: str  # characters 3-8: the registering authority's six-digit division code
    xinjiang: bool  # characters 3-4 are 65

    @property
    def province(self) -> str:
        """Characters 3-4: the province-level part of the registering authority's code."""
        return self.code[2:4]


def uscc_check_char(first17: str) -> str:
    total = sum(_ALPHABET.index(ch) * w for ch, w in zip(first17, _WEIGHTS, strict=True))
    return _ALPHABET[(31 - total % 31) % 31]


def parse_uscc(text: str) -> USCC | None:
    """Parse a code written with or without spaces/hyphens, in half- or full-width characters (as
    Chinese documents type them); None if it is not USCC-shaped."""
    code = re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", text)).upper()
    if not _SHAPE.match(code):
        return None
    return _uscc(code)


def find_usccs(text: str, *, valid_only: bool = False) -> list[tuple[USCC, tuple[int, int]]]:
    """Every code-shaped 18-character run in free text (an address block, a remarks field), with
    its span in `text`; with `valid_only`, only those whose check character is right."""
    if not _SIX_DIGITS.search(text):
        return []
    found = []
    for m in _IN_TEXT.finditer(text):
        uscc = _uscc(m.group(1).upper())
        if uscc.valid or not valid_only:
            found.append((uscc, m.span(1)))
    return found


def _uscc(code: str) -> USCC:
    # The shape is checked again for a code found in text: case-insensitive matching lets a
    # look-alike such as the Kelvin sign through, which upper-casing keeps and no check reads.
    valid = _SHAPE.match(code) is not None and uscc_check_char(code[:17]) == code[17]
    region = code[2:8]
    xinjiang = region.startswith(XINJIANG_PROVINCE)
    return USCC(code=code, valid=valid, region=region, xinjiang=xinjiang)
