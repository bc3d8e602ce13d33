"""Number-shaped Xinjiang evidence in addresses: postal codes and XPCC regiment numbers.

Chinese postal codes 83xxxx-84xxxx belong to Xinjiang (CBP's ACE "UFLPA Region Alert" warns on
them), but six-digit numbers are also Indian PIN codes (83xxxx = Jharkhand, 84xxxx = Bihar), phone
fragments, amounts, and room, unit or order numbers inside an address, so a code only counts as
standalone six digits, not after a phone label, with China context, and standing where a postcode
stands (`postcode_position`). XPCC regiments are numbered, written digit by digit (一四二团) or
in Arabic numerals (142团); 团场 is the XPCC's own word for a regiment farm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Six digits in a row: in every postal code and every USCC, and in few names.
SIX_DIGITS = re.compile(r"[0-9]{6}")
_POSTAL = re.compile(r"(?<![0-9A-Za-z+\-./$¥€£#])([0-9]{6})(?![0-9A-Za-z]|[-./,][0-9])")
_PHONE_LABEL = re.compile(
    r"(?:tel|phone|fax|mobile|mob|cell|电话|传真|手机|联系方式)[\s.:：#)）]*$|\+[0-9]{1,3}[\s-]*$",
    re.IGNORECASE,
)
_POSTAL_LABEL = re.compile(
    r"(?P<label>邮编|邮政编码|postal\s*code|post\s*code|postcode|zip(?:\s*code)?|p\.?\s?c\.?)"
    r"[\s.:：#]*$",
    re.IGNORECASE,
)
_PIN_LABEL = re.compile(r"\bpin(?:\s*code)?[\s.:：#-]*$", re.IGNORECASE)
# What may stand between a place name and its postcode: separators and administrative type words
# ("Urumqi City 830000", 乌鲁木齐市830000); between a postcode and a following place: separators.
_SEPARATORS = r"[\s,，、;；:：.·\-–—()（）]*"
_GAP_AFTER_PLACE = re.compile(
    _SEPARATORS
    + r"(?:(?:city|district|county|province|prefecture|region|autonomous\s+region|shi|qu|xian"
    r"|sheng|市|区|县|省|州|地区|自治区)" + _SEPARATORS + r")*",
    re.IGNORECASE,
)
_GAP_BEFORE_PLACE = re.compile(_SEPARATORS)
# A number right after these words, or right before these characters, numbers a room, a unit, a
# building, a house or an order, whatever its range.
_UNIT_BEFORE = re.compile(
    r"(?:\b(?:room|rm|unit|flat|suite|ste|apt|no|nr|number|order|po|invoice|lot|block|blk|bldg"
    r"|building|floor|fl|house|plot|box|stall|shop|gate|dock|warehouse)|第|房)[\s.:：#-]*$",
    re.IGNORECASE,
)
_UNIT_AFTER = re.compile(r"\s*[号號室栋棟幢楼樓层層座单單户戶间間]")

_HAN_DIGITS = "一二三四五六七八九〇零"
_HAN_REGIMENT = re.compile(
    rf"(?<![0-9{_HAN_DIGITS}十百])([{_HAN_DIGITS}十]{{2,4}}|[0-9]{{2,3}})团"
    r"(?![体队购伙结聚委员长部课费圆拜餐游])"
)
_TUANCHANG = re.compile(r"(?<!集)团场")
_LATIN_REGIMENT = re.compile(
    r"\b(?:(\d{1,3})(?:st|nd|rd|th)?\s+regiment|regiment\s+(?:no\.?\s*)?(\d{1,3})|(\d{2,3})\s*tuan)\b"
    r"|\btuanchang\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class PostalCode:
    code: str
    span: tuple[int, int]
    label: str | None  # the label before it ('邮编', 'Zip', ...), if any
    pin_label: bool  # labelled as an Indian PIN code

    @property
    def xinjiang_range(self) -> bool:
        return self.code[:2] in ("83", "84")

    @property
    def chinese_range(self) -> bool:
        """Chinese postal codes start 01-86 (Xinjiang 83-84, Tibet 85, Qinghai 81...)."""
        return "01" <= self.code[:2] <= "86"


@dataclass(frozen=True, slots=True)
class RegimentFound:
    text: str
    span: tuple[int, int]
    script: str  # 'han' or 'latin'


def find_postal_codes(norm: str) -> list[PostalCode]:
    """Standalone six-digit numbers that are not phone-number parts (`norm` = NFKC text)."""
    if not SIX_DIGITS.search(norm):  # most names have none: skip the lookaround pattern
        return []
    out = []
    for m in _POSTAL.finditer(norm):
        before = norm[max(0, m.start() - 16) : m.start()]
        if _PHONE_LABEL.search(before):
            continue
        label = _POSTAL_LABEL.search(before)
        out.append(
            PostalCode(
                m.group(1),
                m.span(1),
                label.group("label") if label else None,
                bool(_PIN_LABEL.search(before)),
            )
        )
    return out


def postcode_position(
    norm: str, pc: PostalCode, anchors: list[tuple[int, int]], countries: list[tuple[int, int]]
) -> str | None:
    """Where `pc` stands as a postcode: 'label' (after 邮编, Zip...), 'place' (next to a place
    name: a city, a province, a Xinjiang county...), 'end' (only a country word, if anything,
    after it), or None when it stands inside the address, where a room, unit or order number
    stands. `anchors` are the spans of place names, `countries` those of words naming China."""
    if pc.label:
        return "label"
    start, end = pc.span
    if _UNIT_BEFORE.search(norm[max(0, start - 16) : start]) or _UNIT_AFTER.match(norm, end):
        return None
    for a_start, a_end in anchors:
        if a_end <= start and _GAP_AFTER_PLACE.fullmatch(norm, a_end, start):
            return "place"
        if a_start >= end and _GAP_BEFORE_PLACE.fullmatch(norm, end, a_start):
            return "place"
    tail = list(norm[end:])
    for c_start, c_end in countries:
        if c_start >= end:
            tail[c_start - end : c_end - end] = " " * (c_end - c_start)
    if not any(ch.isalnum() for ch in tail):
        return "end"
    return None


def find_regiments(norm: str) -> list[RegimentFound]:
    """XPCC regiment forms: 一四二团 / 142团 / 团场, and English '142nd Regiment', '142 Tuan'."""
    found: list[RegimentFound] = []
    if "团" in norm:  # both Han forms have it; most texts do not
        found += [RegimentFound(m.group(0), m.span(), "han") for m in _HAN_REGIMENT.finditer(norm)]
        found += [RegimentFound(m.group(0), m.span(), "han") for m in _TUANCHANG.finditer(norm)]
    found += [RegimentFound(m.group(0), m.span(), "latin") for m in _LATIN_REGIMENT.finditer(norm)]
    return sorted(found, key=lambda r: r.span)
