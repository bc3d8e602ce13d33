"""Break a company name into the parts that identify it.

A Chinese company name is place + trade name + industry + legal form, in any script:
阿克苏华孚色纺有限公司, "Akesu Huafu Sefang Youxian Gongsi" and
"Aksu Huafu Color Spinning Co., Ltd."
are one name. `analyze` maps all three to the same parts: places and industries become concept
keys, legal forms and organisation words are set aside, and what is left is the trade name, as
joined pinyin syllables or English words. Bills of lading append addresses and countries; those are
cut off and kept apart so they can inform, not distort, the comparison.

This module assembles the analysis; each step has its own module: the address cut-off
(`uflpa.names.address`), Latin words read and repaired (`uflpa.names.tokens`) and phrase
matching over each script run (`uflpa.names.phrases`). Legal forms (rigour's, and Chinese ones
cut short by a field limit) are stripped here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from rigour.names import extract_org_types

from uflpa.names.address import split_address
from uflpa.names.chinese import segment_pinyin
from uflpa.names.lexicon import lexicon
from uflpa.names.phrases import place_keys, run_parts
from uflpa.names.pinyin_address import pinyin_address_start
from uflpa.names.tokens import latin_tokens
from uflpa.names.vocabulary import STOPWORDS, Lexicon, Phrase
from uflpa.text.han import to_simplified
from uflpa.text.normalize import normalize_text
from uflpa.text.script import has_han, script_runs, without_han


@dataclass(frozen=True, slots=True)
class NameAnalysis:
    """The parts of one name. Tuples keep input order; all strings are folded."""

    original: str
    name: str  # the name part, normalised (address and country cut off)
    address: str  # text cut off as an address ('' when none)
    script: str  # 'han', 'latin' or 'mixed'
    han_core: str  # Han characters without legal form, organisation words or brackets
    trade: tuple[str, ...]  # distinctive tokens: joined pinyin runs and other words
    places: tuple[str, ...]  # place keys ('p:akesu'), in order
    xinjiang_places: tuple[str, ...]
    industries: tuple[str, ...]  # industry concepts ('silicon', 'industry')
    orgs: tuple[str, ...]  # organisation words ('group', 'holdings')
    legal: tuple[str, ...]  # legal form types ('ltd', 'jsc', 'corp')
    country: bool  # a country word (China, PRC, 中国) was present
    acronym: str  # initials of a Latin name of three or more words ('xpcc')
    initials: tuple[str, ...] = ()  # initials of pinyin trade runs (绿叶硕子岛 → 'lyszd')
    core_key: str = ""  # places (as pinyin keys) and trade name joined: 天津坤宇 → 'tianjinkunyu'
    # Places named in the address part, or in an address given beside the name: a place stated
    # after the name ('Esquel Textile Co., Ltd., Changji') is the firm's place too.
    address_places: tuple[str, ...] = ()
    address_xinjiang: tuple[str, ...] = ()
    # How the name was read where a reader would not guess it, in words for the evidence
    # ("address in pinyin cut off: 'wulumuqi shi …'").
    readings: tuple[str, ...] = ()

    # Derived once, because scoring compares them for every candidate.
    trade_key: str = field(init=False)  # trade tokens joined
    compact: str = field(init=False)  # the name part, letters and digits only
    trade_set: frozenset[str] = field(init=False)
    place_set: frozenset[str] = field(init=False)
    industry_set: frozenset[str] = field(init=False)
    org_set: frozenset[str] = field(init=False)
    numbers: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        put = object.__setattr__
        put(self, "trade_key", "".join(self.trade))
        # '&' is 'and' ('Import & Export'), so a name cut after it still starts the listed one.
        put(self, "compact", _NOT_ALNUM.sub("", self.name.replace("&", "and")))
        put(self, "trade_set", frozenset(self.trade))
        put(self, "place_set", frozenset(self.places))
        put(self, "industry_set", frozenset(self.industries))
        put(self, "org_set", frozenset(self.orgs))
        put(self, "numbers", frozenset(t for t in self.trade if t.isdigit()))


_NOT_ALNUM = re.compile(r"[\W_]+")
_LETTER = re.compile(r"[a-z]")
_LETTERS = re.compile(r"[a-z]+")


def _own_acronym(trade: list[str], words: list[str]) -> str:
    """A trade token that is the initials of a run of the name's other words, or ''."""
    for token in trade:
        if not (3 <= len(token) <= 8 and token.isalpha()):
            continue
        initials = "".join(w[0] for w in words if w != token and w[0].isalpha())
        if token in initials:
            return token
    return ""


def _strip_legal_forms(text: str) -> tuple[list[str], str]:
    """Legal forms found by rigour's database, removed from `text`. A form that is itself
    pinyin ('zao' is Russian ZAO to rigour, 'se' a Societas Europaea) is left alone when the
    name around it is pinyin, since there it is a syllable ('zhi zao' = 制造, 'you se' = 有色)."""
    if not without_han(_NOT_ALNUM.sub("", text), "").strip("0123456789"):
        return [], text  # only Han (legal forms are matched with the Han phrases) or digits
    types: list[str] = []
    out = text
    for form, kind in extract_org_types(text, generic=True):
        folded = form.casefold()
        if folded.isalpha() and segment_pinyin(folded) and _pinyin_context(text, folded):
            continue
        types.append(kind)
        out = re.sub(rf"(?<!\w){re.escape(folded)}(?!\w)", " ", out, count=1)
    return types, out


# The start of 有限公司, 有限责任公司 or 股份有限公司 at the end of a name: the rest was cut
# off by a field limit (新疆大全新能源股份有, 昌吉溢达纺织有限).
_CUT_HAN_LEGAL = re.compile(r"(?:股份有(?:限公?)?|有限(?:责(?:任公?)?|公)?|有|股)$")


def _cut_han_legal(text: str, lex: Lexicon) -> str:
    """`text` without a Chinese legal form cut short at its end. One character (有, 股) is taken
    for a cut form only after a word that ends a name (an industry, organisation or legal word)
    or a closing bracket (合盛硅业(鄯善)有), since a trade name can end in it."""
    body = text.rstrip(" ,.;")
    m = _CUT_HAN_LEGAL.search(body)
    if m is None:
        return text
    before = body[: m.start()].rstrip()
    if not before or not has_han(before):
        return text
    if len(m.group()) == 1 and not (before[-1] in ")]" or _ends_with_business_word(before, lex)):
        return text
    return before


def _ends_with_business_word(text: str, lex: Lexicon) -> bool:
    for size in range(min(lex.max_han, len(text)), 0, -1):
        phrase = lex.han.get(text[-size:])
        if phrase is not None and phrase.category in ("industry", "org", "legal"):
            return True
    return False


def _pinyin_context(text: str, form: str) -> bool:
    words = _LETTERS.findall(text)
    others = [w for w in words if w != form]
    return bool(others) and sum(1 for w in others if segment_pinyin(w)) * 2 > len(others)


@lru_cache(maxsize=50_000)
def places_in(address: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The place keys an address names, and those of them in Xinjiang, in order ('No. 8 Jiefang
    Road, Changji, Xinjiang' → p:changji, p:xinjiang). Only places: an address has no trade name."""
    if not address:
        return (), ()
    lex = lexicon()
    runs = script_runs(to_simplified(normalize_text(address)))
    return place_keys([p for run in runs for p in run_parts(run, lex)[0].phrases])


def with_address(query: NameAnalysis, address: str | None) -> NameAnalysis:
    """`query` with the places of an address given beside it (a party file's address column),
    when its own name carried no address that named one."""
    if not address or query.address_places:
        return query
    places, xinjiang = places_in(address)
    if not places:
        return query
    return replace(query, address_places=places, address_xinjiang=xinjiang)


_BRACKETED = re.compile(r"[(\[]([^()\[\]]+)[)\]]")


def _readings(name_part: str, address: str, lex: Lexicon) -> tuple[str, ...]:
    """What analysis did that the evidence should say: an address in pinyin cut off, a place in
    brackets ('Zhongtai (Xinjiang) Chemical') read as the name's place of registration."""
    notes: list[str] = []
    if (
        address
        and not has_han(address)
        and pinyin_address_start(address, lex, after_legal=True) == 0
    ):
        notes.append(f"address in pinyin cut off: '{_shortened(address)}'")
    # A bracketed place after the legal form is cut off with the address ('… Ltd. (Kuqa)').
    bracketed = f"{name_part} {address}" if address.startswith("(") else name_part
    if "(" in bracketed or "[" in bracketed:
        for m in _BRACKETED.finditer(bracketed):
            inner = m.group(1).strip(" ,.")
            parts = [run_parts(run, lex)[0] for run in script_runs(inner)]
            kinds = {p.category for part in parts for p in part.phrases}
            if (
                "place" in kinds
                and kinds <= {"place", "country"}
                and not any(t not in STOPWORDS for part in parts for t in part.trade)
            ):
                notes.append(f"place in brackets read as the name's place: '{inner}'")
    return tuple(notes)


def _shortened(text: str, words: int = 4) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


@lru_cache(maxsize=8192)
def name_text(name: str) -> tuple[str, str, tuple[str, ...], str]:
    """The first steps of reading a name, shared by `analyze` and the word alignment of the
    evidence (`uflpa.names.alignment`): the name part (normalised, simplified), the address cut
    off it, the legal-form types found, and the name part without its legal forms."""
    normalized = to_simplified(normalize_text(name))
    name_part, address = split_address(normalized)
    legal_types, stripped = _strip_legal_forms(name_part)
    if has_han(stripped):
        stripped = _cut_han_legal(stripped, lexicon())
    return name_part, address, tuple(legal_types), stripped


@lru_cache(maxsize=200_000)
def analyze(name: str) -> NameAnalysis:
    """Analyse one name (cached: list names are analysed once, repeated queries are free)."""
    lex = lexicon()
    name_part, address, legal_types, stripped = name_text(name)
    address_places, address_xinjiang = places_in(address)
    phrases: list[Phrase] = []
    trade: list[str] = []
    initials: list[str] = []
    core_tokens: list[str] = []
    han_core: list[str] = []
    # Split into Han and non-Han runs; brackets and punctuation are separators only.
    for run in script_runs(stripped):
        parts, core = run_parts(run, lex)
        if core is not None:
            han_core.append(core)
        phrases.extend(parts.phrases)
        trade.extend(parts.trade)
        initials.extend(parts.initials)
        core_tokens.extend(parts.core)
    trade = [t for t in trade if t not in STOPWORDS]
    places, xinjiang = place_keys(phrases)
    industries = tuple(c for p in phrases if p.category == "industry" for c in p.concepts)
    orgs = tuple(c for p in phrases if p.category == "org" for c in p.concepts)
    legal = tuple(
        dict.fromkeys(
            [*legal_types, *(c for p in phrases if p.category == "legal" for c in p.concepts)]
        )
    )
    has_latin = bool(_LETTER.search(name_part))
    script = "mixed" if han_core and has_latin else ("han" if han_core else "latin")
    latin_part = without_han(stripped)
    words = [w for w in latin_tokens(latin_part) if w not in STOPWORDS] if has_latin else []
    own = _own_acronym(trade, words)
    if own:
        # "… Training Center (VSETC)": the bracketed initials are the name again, not a trade
        # word that a query without them lacks.
        trade = [t for t in trade if t != own]
        core_tokens = [t for t in core_tokens if t != own]
        acronym = own
    else:
        acronym = "".join(w[0] for w in words if w[0].isalpha()) if len(words) >= 3 else ""
    return NameAnalysis(
        original=name,
        name=name_part,
        address=address,
        script=script,
        han_core="".join(han_core),
        trade=tuple(trade),
        places=places,
        xinjiang_places=xinjiang,
        industries=industries,
        orgs=orgs,
        legal=legal,
        country=any(p.category == "country" for p in phrases),
        acronym=acronym,
        initials=tuple(i for i in initials if len(i) >= 3),
        core_key="".join(t for t in core_tokens if t not in STOPWORDS),
        address_places=address_places,
        address_xinjiang=address_xinjiang,
        readings=_readings(name_part, address, lex)
        if address or "(" in name_part or "[" in name_part
        else (),
    )
