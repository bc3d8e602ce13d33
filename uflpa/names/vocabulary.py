"""The shape of the phrase tables (`Phrase`, `Lexicon`) and the closed word lists that every
reader of names shares.

The tables are filled from the reviewed data by `uflpa.names.lexicon`; the readers of words
(`uflpa.names.tokens`) and of phrases (`uflpa.names.phrases`) take them as an argument, so they
need only their shape, and the builder can use the word reader to key English phrases.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PLACE_SUFFIX_WORDS = frozenset(
    [
        "shi",
        "xian",
        "qu",
        "sheng",
        "diqu",
        "zizhiqu",
        "zizhizhou",
        "zizhixian",
        "city",
        "county",
        "district",
        "prefecture",
        "province",
        "region",
        "town",
        "zhen",
    ]
)
STOPWORDS = frozenset({"and", "the", "of", "&", "'s", "s", "a", "for", "in", "de", "no"})
COUNTRY_WORDS = frozenset(
    {"china", "prc", "p.r.c", "p r china", "p.r.china", "cn", "chn", "people's republic of china"}
)


@dataclass(frozen=True, slots=True)
class Phrase:
    """What a matched phrase means: a category and a concept key."""

    category: str  # 'place' | 'industry' | 'org' | 'legal' | 'country'
    concepts: tuple[str, ...]
    xinjiang: bool = False


@dataclass(slots=True, eq=False)
class Lexicon:
    han: dict[str, Phrase] = field(default_factory=dict)  # Han string → phrase
    latin: dict[tuple[str, ...], Phrase] = field(default_factory=dict)  # unit tuple → phrase
    english_vocab: set[str] = field(default_factory=set)  # words never read as pinyin
    # Words of industry, organisation and legal-form phrases: the only targets of typo
    # correction for short words, where a place or country name is too near too many words.
    business_vocab: set[str] = field(default_factory=set)
    # Words of place names: the targets of confusable-letter correction for short words.
    place_vocab: set[str] = field(default_factory=set)
    # Words of Xinjiang places and Chinese provinces, which head most listed names: the targets
    # of typo correction for a name's first word.
    head_place_vocab: set[str] = field(default_factory=set)
    province_vocab: set[str] = field(default_factory=set)  # provinces and the region Xinjiang
    abbreviations: dict[str, str] = field(default_factory=dict)
    max_han: int = 1
    max_latin: int = 1
    # Industry concept → the families of related business it belongs to (industry_families.yml).
    families: dict[str, frozenset[str]] = field(default_factory=dict)
