"""The reviewed tables behind name analysis, compiled once into phrase tables.

Sources: `data/names/industry_words.yml`, `business_lexicon.yml`, `industry_families.yml`,
`org_words.yml`, `abbreviations.yml`, `china_places.yml`, and the Xinjiang places of
`data/xinjiang_places.csv`.
A phrase is keyed by its *units*: Han characters for Chinese text, and for Latin text either
English words or pinyin syllables (see `uflpa.names.tokens.latin_units`), so one table serves
all scripts.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from uflpa.names.chinese import han_syllables
from uflpa.names.tokens import latin_units  # English phrases are keyed by the units analysis reads
from uflpa.names.vocabulary import COUNTRY_WORDS, PLACE_SUFFIX_WORDS, STOPWORDS, Lexicon, Phrase
from uflpa.reference.places import load_places
from uflpa.text.han import to_simplified
from uflpa.text.normalize import normalize_text, strip_accents
from uflpa.text.script import has_han

PLACE_SUFFIX_ZH = (
    "维吾尔自治区",
    "自治区",
    "自治州",
    "自治县",
    "地区",
    "省",
    "市",
    "县",
    "区",
    "州",
    "盟",
)

# libyaml's loader reads the same safe subset about ten times faster than the pure-Python one
# (the tables took a tenth of a second of every run's start); PyYAML without libyaml lacks it.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_yaml(name: str) -> Any:
    text = (
        resources.files("uflpa.data").joinpath("names").joinpath(name).read_text(encoding="utf-8")
    )
    return yaml.load(text, Loader=_YAML_LOADER)  # a safe loader either way


def _words(phrase: str) -> list[str]:
    return [w for w in re.split(r"[\s,.\-/]+", strip_accents(normalize_text(phrase))) if w]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Build the phrase tables (about 5 ms; cached for the process)."""
    lex = Lexicon()
    lex.abbreviations = {str(k): str(v) for k, v in _load_yaml("abbreviations.yml").items()}
    english: list[tuple[str, Phrase]] = []
    han: list[tuple[str, Phrase]] = []

    known: set[str] = set()
    pinyin: dict[str, tuple[str, ...]] = {}  # readings the tables give where pypinyin's is not
    # business_lexicon.yml extends industry_words.yml (a why per row); a word in both keeps the
    # first table's meaning.
    for row in [*_load_yaml("industry_words.yml"), *_load_yaml("business_lexicon.yml")]:
        phrase = Phrase("industry", tuple(row["concepts"]))
        known.update(phrase.concepts)
        han.extend((zh, phrase) for zh in row.get("zh", []))
        english.extend((en, phrase) for en in row.get("en", []))
        pinyin.update((zh, tuple(str(s).split())) for zh, s in row.get("pinyin", {}).items())
    lex.families = _families(_load_yaml("industry_families.yml"), known)
    org = _load_yaml("org_words.yml")
    for row in org["legal_zh"]:
        han.append((row["form"], Phrase("legal", (row["type"],))))
    for row in org["legal_en"]:
        english.append((row["form"], Phrase("legal", (row["type"],))))
    for row in org["org_words"]:
        phrase = Phrase("org", (row["concept"],))
        han.extend((zh, phrase) for zh in row["zh"])
        english.extend((en, phrase) for en in row["en"])

    places = _load_yaml("china_places.yml")
    for row in places["provinces"]:
        key = "p:" + "".join(han_syllables(row["zh"]))
        category = "country" if row["zh"] == "中国" else "place"
        phrase = Phrase(category, (key,))
        han.extend((form, phrase) for form in _zh_place_forms(row["zh"]))
        english.extend((en, phrase) for en in row.get("en", []))
    counties = [row["zh"] for row in places.get("counties", [])]
    for zh in [*places["cities"], *counties]:
        phrase = Phrase("place", ("p:" + "".join(han_syllables(zh)),))
        han.extend((form, phrase) for form in _zh_place_forms(zh))
        english.append(("".join(han_syllables(zh)), phrase))  # 'Zhuhai' as one word
    for region in places.get("regions", []):
        phrase = Phrase("place", ("r:" + region["key"],))
        english.extend((en, phrase) for en in region["en"])
    for zh, ens in places.get("city_english", {}).items():
        phrase = Phrase("place", ("p:" + "".join(han_syllables(zh)),))
        english.extend((en, phrase) for en in ens)

    for place in _xinjiang_rows():
        stem = _zh_stem(place["name_zh"])
        if not stem:
            continue
        phrase = Phrase("place", ("p:" + "".join(han_syllables(stem)),), xinjiang=True)
        forms = _zh_place_forms(stem) | {place["name_zh"]}
        for variant in place["variants"]:
            if has_han(variant):
                forms |= _zh_place_forms(_zh_stem(to_simplified(variant)))
            else:
                english.append((variant, phrase))
        han.extend((form, phrase) for form in forms if len(form) >= 2)
        english.append((place["name_pinyin"], phrase))
        english.extend((spelling, phrase) for spelling in _translated_generic(stem))

    # Countries from rigour's territory data: a place qualifier like any other ("Bowne Global
    # Solutions (Sweden)" is not "(Finland)"). China is handled above as a country word.
    from rigour.territories import get_territories

    for territory in get_territories():
        if not territory.is_country or territory.code in ("cn", "hk", "mo", "tw"):
            continue
        phrase = Phrase("place", ("c:" + territory.code,))
        for label in {territory.name, territory.full_name}:
            if label and len(label) >= 4 and "(" not in label:
                english.append((label, phrase))

    provinces = {"p:" + "".join(han_syllables(row["zh"])) for row in places["provinces"]}
    for en, phrase in english:
        lex.english_vocab.update(_words(en))
        if phrase.category == "place" and (phrase.xinjiang or phrase.concepts[0] in provinces):
            words = [w for w in _words(en) if len(w) >= 5 and w.isalpha()]
            words = [w for w in words if w not in PLACE_SUFFIX_WORDS]
            lex.head_place_vocab.update(words)
            if phrase.concepts[0] in provinces or phrase.concepts[0] == "p:xinjiang":
                lex.province_vocab.update(words)
        if phrase.category in ("industry", "org", "legal"):
            lex.business_vocab.update(_words(en))
        elif phrase.category == "place":
            lex.place_vocab.update(_words(en))
    lex.english_vocab.update(STOPWORDS)
    lex.english_vocab.update(w for phrase in COUNTRY_WORDS for w in _words(phrase))

    for zh, phrase in han:
        zh = to_simplified(zh)
        lex.han.setdefault(zh, phrase)
        if len(zh) >= 2:
            # Multi-character words also match their pinyin (guiye → 硅业); one syllable never does.
            lex.latin.setdefault(pinyin.get(zh) or han_syllables(zh), phrase)
    for en, phrase in english:
        units = latin_units(" ".join(_words(en)), lex)
        if units:
            lex.latin.setdefault(tuple(u for u, _ in units), phrase)
    for phrase_text in COUNTRY_WORDS:
        units = latin_units(" ".join(_words(phrase_text)), lex)
        lex.latin.setdefault(tuple(u for u, _ in units), Phrase("country", ("p:zhongguo",)))
    lex.max_han = max(len(k) for k in lex.han)
    lex.max_latin = max(len(k) for k in lex.latin)
    return lex


def _families(table: dict[str, list[str]], known: set[str]) -> dict[str, frozenset[str]]:
    """Invert family → concepts; a concept no industry word produces is a typo in the table."""
    unknown = sorted({c for concepts in table.values() for c in concepts} - known)
    if unknown:
        raise ValueError(f"industry_families.yml names unknown industry concepts: {unknown}")
    out: dict[str, set[str]] = {}
    for family, concepts in table.items():
        for concept in concepts:
            out.setdefault(concept, set()).add(family)
    return {c: frozenset(f) for c, f in out.items()}


_ETHNIC = re.compile(r"(哈萨克|蒙古|柯尔克孜|回族|锡伯|塔吉克|维吾尔)+(自治州|自治县)$")


def _zh_stem(name: str) -> str:
    name = _ETHNIC.sub("", name) if len(_ETHNIC.sub("", name)) >= 2 else name
    for suffix in PLACE_SUFFIX_ZH:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


# A place named for a lake, a mountain or a river is sometimes half translated in English names:
# 岳普湖 is Yuepuhu and, in the listed Xinjiang Cotton Industry Group Yuepu Lake Cotton Industry,
# "Yuepu Lake"; 哈巴河 may be "Haba River".
_GENERIC_ENGLISH = {"湖": "lake", "山": "mountain", "河": "river"}


def _translated_generic(stem: str) -> list[str]:
    """The half-translated English spelling of a place stem ending in 湖, 山 or 河, if any."""
    generic = _GENERIC_ENGLISH.get(stem[-1:])
    syllables = han_syllables(stem[:-1])
    if generic is None or len(syllables) < 2:
        return []  # one syllable left ('Bo Lake') is too short to tell from other words
    return ["".join(syllables) + " " + generic]


def _zh_place_forms(stem: str) -> set[str]:
    return {stem} | {stem + s for s in ("市", "县", "区", "省", "地区", "自治区", "维吾尔自治区")}


def _xinjiang_rows() -> list[dict[str, Any]]:
    """The Xinjiang places that can qualify a company name, from the bundled places table (the
    one geography reads): not XPCC units or development zones, which are named units rather than
    place qualifiers."""
    rows = []
    for place in load_places():
        if place.level in ("xpcc_corps", "xpcc_division", "development_zone"):
            continue
        pinyin = re.sub(
            r"\s+(shi|xian|qu|diqu|zizhizhou|zizhixian|zizhiqu)$", "", place.name_pinyin, flags=re.I
        )
        rows.append({"name_zh": place.name_zh, "name_pinyin": pinyin, "variants": place.variants})
    return rows
