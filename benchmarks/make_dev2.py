"""Build the second development set, `benchmarks/data/dev2_queries.csv`, from hand-written specs.

    .venv/bin/python -m benchmarks.make_dev2 [--first-set CSV] [--check]

The set is for REPORTING: nobody tunes the matcher on it (see benchmarks/data/dev2_README.md).
Chinese, pinyin, address, negative and related rows are written by hand in
`benchmarks/data/dev2_specs.csv`; this script only adds the mechanical variants (exact, case and
punctuation, legal form, truncation, typos, bracketed place, abbreviations, aliases, former names,
country) of the names in the list file, with a fixed seed, so the CSV is reproducible byte for byte.
It never runs uflpa's matcher: rows are chosen from the list and the first set only, so the set
cannot be fitted to the tool. The first set is read to keep the two apart (no shared name, and per
category other entities than the first set used where the list allows).
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import DEV_QUERIES, LIST_CSV, NAMES_ZH_CSV

DATA = Path(__file__).resolve().parent / "data"
SPECS_CSV = DATA / "dev2_specs.csv"
DEV2_CSV = DATA / "dev2_queries.csv"
SEED = 20261207
COLUMNS = (
    "query_id",
    "name",
    "country",
    "address",
    "identifier",
    "expected_entity_id",
    "label",
    "category",
    "why",
)
# How many rows of each mechanical category to draw (the hand-written ones are in the specs file).
MECHANICAL_COUNTS = {
    "exact": 15,
    "case_punct": 25,
    "legal_form": 30,
    "truncated": 35,
    "typo": 40,
    "word_order": 40,
    "abbreviation": 35,
    "alias": 15,
    "former_name": 10,
    "country": 25,
}
# Places that open listed names; the bracketed-place variant moves them behind the trade name.
PLACES = (
    "Inner Mongolia",
    "Lop County",
    "Xinjiang",
    "Hetian",
    "Aksu",
    "Changji",
    "Turpan",
    "Zhuhai",
    "Hefei",
    "Nanjing",
    "Yili",
    "Kashgar",
    "Tianjin",
    "Dalian",
    "Gansu",
    "Hangzhou",
    "Hebei",
    "Hunan",
    "Sichuan",
    "Dongguan",
    "Shandong",
    "Anhui",
    "Binzhou",
    "Fujian",
    "Henan",
    "Heze",
    "Hengshui",
    "Jiangsu",
    "Jiangyin",
    "Jinan",
    "Jining",
    "Junan",
    "Lanxi",
    "Nanyang",
    "Wugang",
    "Qingdao",
    "Shanghai",
    "Taiyuan",
    "Weifang",
    "Zhangzhou",
    "Awati",
    "Huyanghe",
    "Kuche",
    "Kuitun",
    "Ningbo",
    "Shaya",
    "Shihezi",
    "Zhejiang",
    "Hubei",
    "Ninghai",
    "Baotou",
    "Guangdong",
    "Changzhou",
    "Donghai",
    "Baoding",
)
LEGAL_FORM = re.compile(
    r"(,?\s+(Co\.,? Ltd\.?|Co\. Ltd\.?|Co Ltd|Company Limited|Co\.|Ltd\.?|Corporation|Limited))$"
)
LEGAL_REPLACEMENTS = (
    "Company Limited",
    "Co Ltd",
    "Ltd.",
    "Limited",
    "Co.",
    "Corp.",
    "Co.,Ltd",
    "",
)
ABBREVIATIONS = (
    ("Group", "GRP"),
    ("Technology", "TECH"),
    ("Industrial", "IND"),
    ("Industry", "IND"),
    ("International", "INTL"),
    ("Manufacturing", "MFG"),
    ("Textiles", "TEX"),
    ("Textile", "TEX"),
    ("Chemical", "CHEM"),
    ("Development", "DEV"),
    ("Holdings", "HLDGS"),
    ("Xinjiang", "XJ"),
    ("Import & Export", "IMP & EXP"),
    ("Import and Export", "I/E"),
    ("Trading", "TRDG"),
    ("Warehousing", "WHSG"),
    ("Logistics", "LOGIST"),
    ("Products", "PRODS"),
    ("Agricultural", "AGRI"),
    ("Biotechnology", "BIOTECH"),
    ("Electronics", "ELEC"),
    ("Materials", "MATLS"),
    ("Corporation", "CORP"),
    ("Information", "INFO"),
    ("Company", "CO"),
    ("Limited", "LTD"),
    ("Cotton", "CTN"),
    ("Pharmaceutical", "PHARM"),
    ("Construction", "CONSTR"),
    ("Engineering", "ENGG"),
    ("Economic", "ECON"),
    ("Investment", "INV"),
    ("Nonferrous Metals", "NONFER MET"),
    ("Apparel", "APP"),
)
INDUSTRY_WORDS = frozenset(
    {
        "Textile",
        "Textiles",
        "Cotton",
        "Industry",
        "Industrial",
        "Technology",
        "Mining",
        "Energy",
        "Food",
        "Foods",
        "Logistics",
        "Trade",
        "Trading",
        "Silicon",
        "Metals",
        "Garment",
        "Apparel",
        "Hair",
        "Products",
        "Materials",
        "Spinning",
        "Fiber",
        "Warehousing",
        "Biotechnology",
        "Chemical",
        "Linen",
        "Information",
        "Electronics",
        "Printing",
        "Digital",
        "Magnesium",
        "Copper",
        "Zinc",
        "Steel",
        "Accessories",
        "Ingredients",
        "Pharmaceutical",
        "Agricultural",
        "Construction",
        "Engineering",
        "Manufacturing",
        "Supply",
        "Lithium",
        "Battery",
        "Solar",
        "Machinery",
    }
)
# Words that open a name after its place but are not a trade name.
GENERIC_WORDS = frozenset(
    {"Nonferrous", "Production", "Energy", "Cotton", "Hair", "Construction", "Tomato"}
)
# QWERTY neighbours for key slips; only letters, lower case.
KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
OCR_CONFUSIONS = (("m", "rn"), ("l", "1"), ("u", "v"), ("o", "0"), ("i", "l"))
COUNTRY_FORMS = (
    ("column", "CN"),
    ("column", "China"),
    ("column", "PRC"),
    ("column", "CHINA"),
    ("column", "People's Republic of China"),
    ("suffix", " (CHINA)"),
    ("suffix", ", China"),
    ("suffix", " - P.R.CHINA"),
    ("suffix", " CN"),
)
_FORMER_NOTE = re.compile(r"\s*\((?:name|formerly|as)\b[^)]*\)\s*$")


@dataclass(slots=True)
class Entity:
    """One listed entity as the generator needs it: its key, names and Chinese names."""

    entity_id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    former: list[str] = field(default_factory=list)
    zh: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Row:
    """A query row before its id is assigned."""

    name: str
    expected_entity_id: str
    label: str
    category: str
    why: str
    country: str = ""
    address: str = ""


def fold(text: str) -> str:
    """Case, spacing and full-width brackets do not make a name new: the rules' equality."""
    return " ".join(text.replace("（", "(").replace("）", ")").casefold().split())


def load_entities(
    list_csv: Path = LIST_CSV, names_zh_csv: Path = NAMES_ZH_CSV
) -> dict[str, Entity]:
    """Entities keyed by entity id; a second listing row only adds names."""
    entities: dict[str, Entity] = {}
    with list_csv.open(encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            ent = entities.setdefault(rec["entity_id"], Entity(rec["entity_id"], rec["name"]))
            for a in rec["aliases"].split(" | "):
                if a.strip() and a.strip() not in ent.aliases:
                    ent.aliases.append(a.strip())
            for f in rec["former_names"].split(" | "):
                f = _FORMER_NOTE.sub("", f).strip()
                if f and f not in ent.former:
                    ent.former.append(f)
    with names_zh_csv.open(encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            if rec["entity_id"] in entities:
                entities[rec["entity_id"]].zh.append(rec["name_zh"])
    return entities


def listed_strings(entities: dict[str, Entity]) -> set[str]:
    """Every listed name, alias, former and Chinese name, folded: what no negative may equal."""
    out: set[str] = set()
    for e in entities.values():
        out.update(fold(n) for n in (e.name, *e.aliases, *e.former, *e.zh))
    return out


def load_first_set(path: Path) -> tuple[set[str], dict[str, set[str]]]:
    """Folded names of the first set, and the entities it used per category."""
    names: set[str] = set()
    used: dict[str, set[str]] = defaultdict(set)
    with path.open(encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            names.add(fold(rec["name"]))
            if rec["expected_entity_id"]:
                used[rec["category"]].add(rec["expected_entity_id"])
    return names, used


def load_specs(path: Path = SPECS_CSV) -> list[Row]:
    """The hand-written rows."""
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            Row(
                name=r["name"],
                expected_entity_id=r["entity_id"],
                label=r["label"],
                category=r["category"],
                why=r["why"],
                country=r["country"],
                address=r["address"],
            )
            for r in csv.DictReader(fh)
        ]


# ---- mechanical variants: each returns (new name, why) or None when it does not apply -----------

Variant = tuple[str, str] | None


def _neighbours(ch: str) -> str:
    low = ch.lower()
    for row in KEYBOARD_ROWS:
        i = row.find(low)
        if i >= 0:
            near = (row[i - 1] if i > 0 else "") + (row[i + 1] if i + 1 < len(row) else "")
            return near.upper() if ch.isupper() else near
    return ""


def case_punct(name: str, rng: random.Random) -> Variant:
    ops: list[tuple[str, Callable[[str], str]]] = [
        ("upper case", str.upper),
        ("lower case", str.lower),
        ("punctuation stripped, upper case", lambda s: re.sub(r"[.,()']", "", s).upper()),
        ("title case", lambda s: s.title()),
    ]
    if re.search(r"Co\.,? Ltd\.?$", name):
        ops.append(
            (
                "legal form written 'CO.,LTD', upper case",
                lambda s: re.sub(r"Co\.,? Ltd\.?$", "CO.,LTD", s).upper(),
            )
        )
    if " and " in name:
        ops.append(("'and' written '&'", lambda s: s.replace(" and ", " & ")))
    if "&" in name:
        ops.append(("'&' written 'and'", lambda s: s.replace("&", "and")))
    if "(" in name:
        ops.append(("brackets dropped", lambda s: s.replace("(", "").replace(")", "")))
    what, op = rng.choice(ops)
    return op(name), what


def legal_form(name: str, rng: random.Random) -> Variant:
    m = LEGAL_FORM.search(name)
    if not m:
        return None
    old = m.group(2)
    new = rng.choice([r for r in LEGAL_REPLACEMENTS if r != old])
    stem = name[: m.start()]
    if not new:
        return stem, f"legal form '{old}' dropped"
    return (
        f"{stem} {new}" if new != "Co.,Ltd" else f"{stem} Co.,Ltd",
        f"legal form '{old}' -> '{new}'",
    )


def truncated(name: str, rng: random.Random) -> Variant:
    if len(name) <= 37:
        return None
    upper = rng.random() < 0.5
    cut = (name.upper() if upper else name)[:35].rstrip()
    return cut, "cut at 35 characters" + (", upper case" if upper else "")


def _letter_positions(word_start: int, word: str) -> list[int]:
    return [word_start + i for i, c in enumerate(word) if i > 0 and c.isalpha()]


def typo_single(name: str, rng: random.Random) -> Variant:
    words = [(m.start(), m.group()) for m in re.finditer(r"[A-Za-z]{4,}", name)]
    words = [(s, w) for s, w in words if not LEGAL_FORM.search(" " + w)]
    if not words:
        return None
    start, word = rng.choice(words)
    pos = rng.choice(_letter_positions(start, word))
    kind = rng.choice(("drop", "double", "swap", "slip", "ocr"))
    c = name[pos]
    if kind == "drop":
        return name[:pos] + name[pos + 1 :], f"letter '{c}' dropped in '{word}'"
    if kind == "double":
        return name[:pos] + c + name[pos:], f"letter '{c}' doubled in '{word}'"
    if kind == "swap" and pos + 1 < len(name) and name[pos + 1].isalpha() and name[pos + 1] != c:
        return (
            name[:pos] + name[pos + 1] + c + name[pos + 2 :],
            f"letters '{c}{name[pos + 1]}' swapped in '{word}'",
        )
    if kind == "ocr":
        for a, b in OCR_CONFUSIONS:
            i = word.find(a, 1)
            if i > 0:
                p = start + i
                return name[:p] + b + name[
                    p + len(a) :
                ], f"OCR confusion '{a}' -> '{b}' in '{word}'"
    near = _neighbours(c)
    if not near:
        return None
    new = rng.choice(near)
    return name[:pos] + new + name[pos + 1 :], f"key slip '{c}' -> '{new}' in '{word}'"


def typo_two_industry_words(name: str, rng: random.Random) -> Variant:
    words = [(m.start(), m.group()) for m in re.finditer(r"[A-Za-z]+", name)]
    industry = [(s, w) for s, w in words if w in INDUSTRY_WORDS and len(w) >= 4]
    if len(industry) < 2:
        return None
    picked = sorted(rng.sample(industry, 2))
    out = list(name)
    whys = []
    for start, word in picked:
        pos = rng.choice(_letter_positions(start, word))
        near = _neighbours(name[pos])
        if not near:
            return None
        new = rng.choice(near)
        out[pos] = new
        whys.append(f"'{name[pos]}' -> '{new}' in '{word}'")
    return "".join(out), "two key slips, one in each of two industry words: " + "; ".join(whys)


def typo(name: str, rng: random.Random, double: bool) -> Variant:
    return typo_two_industry_words(name, rng) if double else typo_single(name, rng)


def _split_place(name: str) -> tuple[str, str] | None:
    for place in PLACES:
        if name.startswith(place + " "):
            return place, name[len(place) + 1 :]
    return None


def word_order(name: str, rng: random.Random) -> Variant:
    split = _split_place(name)
    if not split:
        return None
    place, rest = split
    tokens = rest.split(" ")
    if len(tokens) < 2 or tokens[0].startswith("("):
        return None
    m = LEGAL_FORM.search(rest)
    style = rng.random()
    # a first word that is an industry word, or a bracket already in the name, is no trade name
    trade_first = tokens[0] not in INDUSTRY_WORDS | GENERIC_WORDS and "(" not in rest
    if not trade_first and not m:
        return None
    if trade_first and (style < 0.75 or not m):
        # the kind the issue names: place into brackets right after the trade name
        return (
            f"{tokens[0]} ({place}) {' '.join(tokens[1:])}",
            f"place '{place}' moved into brackets after the trade name '{tokens[0]}'",
        )
    stem = rest[: m.start()]
    if style < 0.85:
        return (
            f"{stem} ({place}){m.group(1)}",
            f"place '{place}' moved into brackets before the legal form",
        )
    return (
        f"{stem} {place}".upper(),
        f"place '{place}' moved to the end, legal form dropped, upper case",
    )


def abbreviation(name: str, rng: random.Random) -> Variant:
    hits = [(w, a) for w, a in ABBREVIATIONS if re.search(rf"\b{re.escape(w)}\b", name)]
    if not hits:
        return None
    k = rng.randint(1, min(3, len(hits)))
    chosen = rng.sample(hits, k)
    out = name
    for w, a in chosen:
        out = re.sub(rf"\b{re.escape(w)}\b", a, out)
    upper = rng.random() < 0.5
    what = ", ".join(f"'{w}' -> '{a}'" for w, a in chosen)
    return (out.upper() if upper else out), what + (", upper case" if upper else "")


def country(name: str, rng: random.Random) -> tuple[str, str, str]:
    where, value = rng.choice(COUNTRY_FORMS)
    if where == "column":
        return name, value, f"name as listed, country column '{value}'"
    return name + value, "", f"country appended: '{value.strip()}'"


# ---- assembling ----------------------------------------------------------------------------------


def _order(entities: dict[str, Entity], avoid: set[str], rng: random.Random) -> list[Entity]:
    """Entities the first set did not use for this category first, each group shuffled."""
    ids = sorted(entities)
    rng.shuffle(ids)
    fresh = [entities[i] for i in ids if i not in avoid]
    reused = [entities[i] for i in ids if i in avoid]
    return fresh + reused


def mechanical_rows(
    entities: dict[str, Entity],
    first_names: set[str],
    first_used: dict[str, set[str]],
    taken: set[str],
    rng: random.Random,
) -> list[Row]:
    rows: list[Row] = []

    def accept(row: Row) -> bool:
        key = fold(row.name)
        if not key or key in taken or key in first_names:
            return False
        taken.add(key)
        rows.append(row)
        return True

    def simple(category: str, make: Callable[[str, random.Random], Variant]) -> None:
        want = MECHANICAL_COUNTS[category]
        got = 0
        for ent in _order(entities, first_used.get(category, set()), rng):
            if got == want:
                break
            v = make(ent.name, rng)
            if (
                v
                and (category == "exact" or v[0] != ent.name)
                and accept(Row(v[0], ent.entity_id, "match", category, v[1]))
            ):
                got += 1

    def exact(name: str, rng: random.Random) -> Variant:
        return name, "primary name exactly as listed"

    simple("exact", exact)
    simple("case_punct", case_punct)
    simple("legal_form", legal_form)
    simple("truncated", truncated)
    simple("word_order", word_order)
    simple("abbreviation", abbreviation)

    # typo: half single edits, half two slips in two industry words (the kind)
    want = MECHANICAL_COUNTS["typo"]
    doubles = singles = 0
    for ent in _order(entities, set(), rng):
        if doubles < want // 2:
            v = typo(ent.name, rng, double=True)
            if v and accept(Row(v[0], ent.entity_id, "match", "typo", v[1])):
                doubles += 1
                continue
        if singles < want - want // 2:
            v = typo(ent.name, rng, double=False)
            if v and accept(Row(v[0], ent.entity_id, "match", "typo", v[1])):
                singles += 1

    for category, attr, what in (
        ("alias", "aliases", "'also known as' name from the entry"),
        ("former_name", "former", "'formerly known as' name from the entry"),
    ):
        got = 0
        for ent in _order(entities, first_used.get(category, set()), rng):
            for other in getattr(ent, attr):
                if got < MECHANICAL_COUNTS[category] and accept(
                    Row(other, ent.entity_id, "match", category, what)
                ):
                    got += 1
                    break

    got = 0
    for ent in _order(entities, first_used.get("country", set()), rng):
        if got == MECHANICAL_COUNTS["country"]:
            break
        base = ent.name.upper() if rng.random() < 0.4 else ent.name
        name, ctry, why = country(base, rng)
        if base != ent.name:
            why += ", upper case"
        if accept(Row(name, ent.entity_id, "match", "country", why, country=ctry)):
            got += 1
    return rows


def check(rows: Sequence[Row], entities: dict[str, Entity], first_names: set[str]) -> list[str]:
    """The set's rules, stated once; the test checks the written file the same way."""
    problems = []
    listed = listed_strings(entities)
    seen: set[str] = set()
    for r in rows:
        key = fold(r.name)
        if key in seen:
            problems.append(f"duplicate name {r.name!r}")
        seen.add(key)
        if key in first_names:
            problems.append(f"name also in the first set: {r.name!r}")
        if r.label == "no_match":
            if r.expected_entity_id:
                problems.append(f"negative with an entity: {r.name!r}")
            if key in listed:
                problems.append(f"negative equals a listed name: {r.name!r}")
        elif r.expected_entity_id not in entities:
            problems.append(f"unknown entity {r.expected_entity_id!r} for {r.name!r}")
        if r.label == "related" and key in listed:
            problems.append(f"related row equals a listed name: {r.name!r}")
        if not r.why.strip():
            problems.append(f"no why: {r.name!r}")
    return problems


def build(first_set: Path = DEV_QUERIES) -> list[dict[str, str]]:
    """All rows, shuffled and numbered; raises if any rule is broken."""
    rng = random.Random(SEED)
    entities = load_entities()
    first_names, first_used = load_first_set(first_set)
    hand = load_specs()
    taken = {fold(r.name) for r in hand}
    rows = hand + mechanical_rows(entities, first_names, first_used, taken, rng)
    problems = check(rows, entities, first_names)
    if problems:
        raise SystemExit("dev2 rules broken:\n  " + "\n  ".join(problems))
    rng.shuffle(rows)
    return [
        {
            "query_id": f"E{i:04d}",
            "name": r.name,
            "country": r.country,
            "address": r.address,
            "identifier": "",
            "expected_entity_id": r.expected_entity_id if r.label != "no_match" else "",
            "label": r.label,
            "category": r.category,
            "why": r.why,
        }
        for i, r in enumerate(rows, start=1)
    ]


def render(records: Iterable[dict[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return buf.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--first-set", type=Path, default=DEV_QUERIES, help="the first dev set")
    parser.add_argument(
        "--check", action="store_true", help="only check that the committed CSV is reproduced"
    )
    args = parser.parse_args(argv)
    text = render(build(args.first_set))
    if args.check:
        same = DEV2_CSV.exists() and DEV2_CSV.read_text(encoding="utf-8") == text
        print(f"{DEV2_CSV}: {'reproduced' if same else 'DIFFERS'}")
        return 0 if same else 1
    DEV2_CSV.write_text(text, encoding="utf-8")
    print(f"wrote {DEV2_CSV} ({text.count(chr(10)) - 1} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
