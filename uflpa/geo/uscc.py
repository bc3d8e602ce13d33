"""The region digits of a Unified Social Credit Code (统一社会信用代码, GB 32100-2015).

Characters 3-8 of the 18-character code are the GB/T 2260 code of the registering authority, so
"65" at characters 3-4 means the firm was registered in Xinjiang. Full validation (check digit)
belongs to `uflpa.names.identifiers`; here a code only has to look like one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from uflpa.geo.codes import SIX_DIGITS

# 18 characters from the GB 32100 alphabet (digits and capitals without I, O, S, V, Z), with
# characters 3-8 all digits; not glued to other letters or digits.
_USCC = re.compile(
    r"(?<![0-9A-Za-z])([0-9A-HJ-NP-RTUWXY]{2}[0-9]{6}[0-9A-HJ-NP-RTUWXY]{10})(?![0-9A-Za-z])",
    re.IGNORECASE,
)
XINJIANG_REGION = "65"


@dataclass(frozen=True, slots=True)
class UsccFound:
    code: str
    span: tuple[int, int]

    @property
    def region(self) -> str:
        """Characters 3-4: the province-level part of the registering authority's code."""
        return self.code[2:4]

    @property
    def admin_code(self) -> str:
        return self.code[2:8]

    @property
    def in_xinjiang(self) -> bool:
        return self.region == XINJIANG_REGION


def find_usccs(text: str) -> list[UsccFound]:
    """Every code-shaped 18-character run in `text` (case-insensitive)."""
    if not SIX_DIGITS.search(text):  # characters 3-8 are digits: most texts have no such run
        return []
    return [UsccFound(m.group(1).upper(), m.span(1)) for m in _USCC.finditer(text)]


def uscc_region_is_xinjiang(code: str) -> bool:
    """True when `code` looks like a USCC and its characters 3-4 are '65'."""
    found = find_usccs(code.strip())
    return len(found) == 1 and found[0].in_xinjiang
