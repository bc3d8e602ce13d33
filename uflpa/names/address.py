"""Cut an address off a party name: bills of lading append addresses and countries to names.

What is cut off is kept apart so that it can inform the comparison (the places it names), not
distort it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from uflpa.names.lexicon import lexicon
from uflpa.names.phrases import match_latin
from uflpa.names.pinyin_address import pinyin_address_start
from uflpa.names.tokens import latin_units
from uflpa.names.vocabulary import STOPWORDS
from uflpa.text.script import has_han, is_han

_ADDRESS_MARKER = re.compile(r"\b(?:add|addr|address|adr)\s*[:：.]|地址\s*[:：]?")
_LEGAL_TAIL = re.compile(
    r"\b(?:co\.?\s*,?\s*ltd\.?|company\s+limited|co\.?\s*,?\s*limited|limited|ltd\.?|"
    r"corporation|corp\.?|inc\.?|llc|co\.)(?=[\s,.;:)]|$)"
    # Chinese forms end a name with no space before what follows (有限公司上海市浦东新区…).
    r"|有限责任公司|有限公司"
)
_ADDRESS_WORDS = frozenset(
    [
        "road",
        "rd",
        "street",
        "st",
        "avenue",
        "ave",
        "lu",
        "jie",
        "dadao",
        "lane",
        "no",
        "building",
        "bldg",
        "floor",
        "room",
        "zone",
        "park",
        "district",
        "county",
        "city",
        "province",
        "town",
        "village",
        "xian",
        "shi",
        "qu",
        "sheng",
        "diqu",
        "zhen",
        "xiang",
        "cun",
        "zip",
        "postal",
        "code",
        "industrial",
        "development",
        "economic",
        "technological",
        "high",
        "tech",
        "high-tech",
        "area",
    ]
)
# After a legal form, a room, a number or a building starts an address whatever follows it
# ('Co., Ltd., Room 1201, Pudong New Area, Shanghai').
_ADDRESS_START = re.compile(
    r"(?:room|rm|no|unit|flat|floor|fl|building|bldg|block|add|addr|address)\b|\d"
)
_AREA_BEFORE_COMMA = re.compile(
    r"(?<=\s)[a-z][a-z'-]*\s+(?:district|county|new area|new district|city|prefecture)\s*,"
)
_HAN_ADDRESS = re.compile(r"[省市区县路号镇乡村街道]|自治区|开发区|园区")
_LETTER = re.compile(r"[a-z]")
_TWO_LETTERS = re.compile(r"[a-z]{2}")
_HAN_COMPANY = re.compile(r"公司|集团")


def split_address(text: str) -> tuple[str, str]:
    """Cut an address off a party name: after 'ADD:', after the legal form when a place or
    address words follow, at a switch to a Chinese address, at an address in pinyin that ends
    the name ('… Ltd. Kashi Diqu Shufu Xian'), and trailing comma-separated place segments
    ('…, Hefei Shi, Anhui Sheng')."""
    m = _ADDRESS_MARKER.search(text)
    if m and m.start() > 0:
        return text[: m.start()].strip(" ,;"), text[m.end() :].strip()
    # Latin name followed by a Chinese address (or the reverse).
    if has_han(text) and _TWO_LETTERS.search(text):
        first_han = next(i for i, c in enumerate(text) if is_han(c))
        head, tail = text[:first_han].strip(), text[first_han:].strip()
        if len(_LETTER.findall(head)) >= 4 and _HAN_ADDRESS.search(tail):
            return head, tail
    for m in reversed(list(_LEGAL_TAIL.finditer(text))):
        rest = text[m.end() :].strip(" ,.;")
        if not rest:
            continue
        pinyin = pinyin_address_start(rest, lexicon(), after_legal=True)
        if pinyin == 0 or _ADDRESS_START.match(rest):
            return text[: m.end()].strip(" ,;"), rest
        if pinyin and not _looks_like_address(rest[:pinyin], after_legal=True):
            # Words of the name after its legal form, then an address in pinyin ('Corporation
            # Reserve Library Changji Shi …'): the address starts where the pinyin one does.
            tail = text[m.end() :]
            cut = m.end() + len(tail) - len(tail.lstrip(" ,.;")) + pinyin
            return text[:cut].strip(" ,;"), text[cut:].strip()
        if _looks_like_address(rest, after_legal=True):
            return text[: m.end()].strip(" ,;"), rest
    start = _han_address_start(text) or pinyin_address_start(text, lexicon()) or 0
    if start:
        return text[:start].strip(" ,;"), text[start:].strip()
    parts = text.split(",")
    cut = len(parts)
    while cut > 1 and _looks_like_address(parts[cut - 1]):
        cut -= 1
    # A later segment that starts with a room, a number or a building starts the address, and
    # what follows it belongs to it ('Esquel Group, Room 1201, Pudong New Area, Shanghai').
    cut = next((i for i in range(1, cut) if _ADDRESS_START.match(parts[i].strip())), cut)
    # A district, county or new area and a comma, with an address after the comma, before that
    # cut: a shipper block with no legal form before it ('Esquel Group BINHAI NEW AREA, TIANJIN').
    m = _AREA_BEFORE_COMMA.search(text)
    if m and 0 < m.start() < len(",".join(parts[:cut])) and _looks_like_address(text[m.end() :]):
        return text[: m.start()].strip(" ,;"), text[m.start() :].strip(" ,;")
    if cut < len(parts):
        return ",".join(parts[:cut]).strip(" ,;"), ",".join(parts[cut:]).strip(" ,;")
    return text, ""


_STREET_NUMBER = re.compile(
    r"(?:\bno\.?\s*\d+|\b\d+[a-z]?)\b.*\b(?:road|rd|street|st|avenue|ave|lu|jie|dadao|highway)\b"
    r"|\b(?:road|rd|street|avenue|ave|lu|jie|dadao|highway)\b\W*(?:no\.?\s*)?\d+\b"
)


_HAN_STREET = re.compile(r"[路街道号弄巷]")


def _han_address_start(text: str) -> int:
    """Where a Chinese address starts right after a Chinese name with no legal form and no space
    (昌吉溢达上海市浦东新区张江路88号): a known place with its 省, 市, 区 or 县, two characters or
    more into the text, followed by a street or a number. 0 when there is none: a place inside a
    name (宝钢集团新疆八一钢铁) has no street after it."""
    if not has_han(text) or not _HAN_STREET.search(text):
        return 0
    lex = lexicon()
    for i in range(2, len(text) - 3):
        if not is_han(text[i]):
            continue
        for size in range(min(lex.max_han, len(text) - i - 1), 1, -1):
            phrase = lex.han.get(text[i : i + size])
            if phrase is None or phrase.category != "place":
                continue
            after = text[i + size :]
            typed = text[i + size - 1] in "省市区县" or after[:1] in ("省", "市", "区", "县")
            if typed and _HAN_STREET.search(after):
                return i
            break
    return 0


@lru_cache(maxsize=50_000)
def _looks_like_address(segment: str, after_legal: bool = False) -> bool:
    """`after_legal`: the segment follows the legal form, where a place with one address word
    is enough ('…Co., Ltd., Binhai New Area, Tianjin'; a branch, 'Shanghai Branch', has none)."""
    seg = segment.strip()
    if not seg:
        return False
    if has_han(seg):
        return bool(_HAN_ADDRESS.search(seg)) and not _HAN_COMPANY.search(seg)
    if _STREET_NUMBER.search(seg):
        # 'No. 8 Industrial Park Road': a numbered street is an address even when an industry
        # word names it.
        return True
    lex = lexicon()
    units = latin_units(seg, lex)
    if not units:
        return False
    found = match_latin(units, lex)
    phrases, rest = found.phrases, found.trade
    kinds = {p.category for p in phrases}
    leftover = [u for u in rest if u not in STOPWORDS]
    address_hits = [u for u in leftover if u in _ADDRESS_WORDS or u.isdigit()]
    if kinds & {"industry", "legal", "org"} and "place" not in kinds:
        return False
    if any("branch" in p.concepts for p in phrases):
        return False  # a place and 'Branch' ('Xinye Branch') name a branch of the firm
    if not leftover:
        return bool(kinds & {"place", "country"})
    if after_legal and kinds & {"place", "country"} and address_hits:
        return True
    return (
        bool(kinds & {"place", "country"} or address_hits)
        and len(address_hits) >= len(leftover) - 1
    )
