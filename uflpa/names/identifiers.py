"""Chinese Unified Social Credit Codes (统一社会信用代码, GB 32100-2015).

An exact code match is decisive evidence of identity, so a code is only trusted when its check
character is right. Characters 3-8 are the registration's administrative division code: 65xxxx
is the Xinjiang Uyghur Autonomous Region, which the geography rules use as a location signal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


@dataclass(frozen=True, slots=True)
class USCC:
    code: str
    valid: bool
    region: str  # the six-digit division code at positions 3-8
    xinjiang: bool


def uscc_check_char(first17: str) -> str:
    total = sum(_ALPHABET.index(ch) * w for ch, w in zip(first17, _WEIGHTS, strict=True))
    return _ALPHABET[(31 - total % 31) % 31]


def parse_uscc(text: str) -> USCC | None:
    """Parse a code written with or without spaces/hyphens; None if it is not USCC-shaped."""
    code = re.sub(r"[\s\-]", "", text).upper()
    if not _SHAPE.match(code):
        return None
    valid = uscc_check_char(code[:17]) == code[17]
    region = code[2:8]
    return USCC(code=code, valid=valid, region=region, xinjiang=region.startswith("65"))


def find_usccs(text: str) -> list[USCC]:
    """Every valid code inside free text (an address block, a remarks field)."""
    found = []
    for m in re.finditer(r"(?<![0-9A-Z])[0-9A-Z]{18}(?![0-9A-Z])", text.upper()):
        parsed = parse_uscc(m.group(0))
        if parsed and parsed.valid:
            found.append(parsed)
    return found
