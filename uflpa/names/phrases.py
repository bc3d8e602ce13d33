"""Phrase matching: the places, industries, organisation words and legal forms of one script run.

Backward maximum matching over the reviewed phrase tables (`uflpa.names.lexicon`), over Han
characters or over Latin units (`uflpa.names.tokens`), after the place a name starts with has been
read forwards; what no phrase takes is the trade name, with runs of pinyin joined.
"""

from __future__ import annotations

from dataclasses import dataclass

from uflpa.names.chinese import han_syllables
from uflpa.names.tokens import latin_units
from uflpa.names.vocabulary import PLACE_SUFFIX_WORDS, Lexicon, Phrase
from uflpa.text.script import is_han


@dataclass(slots=True)
class Parts:
    """What phrase matching found in one script run, in input order."""

    phrases: list[Phrase]
    trade: list[str]
    initials: list[str]
    core: list[str]  # place names (as pinyin keys) and trade tokens, in order
    # Each part with the text it was read from, in order: (category, keys, text). A trade token's
    # category is 'trade' and its key the token; the text is the run's own (天棉, 'tian mian',
    # 'fangzhi'), so that the evidence can show which words of two names stand for each other.
    surfaces: list[tuple[str, tuple[str, ...], str]]


def run_parts(run: str, lex: Lexicon) -> tuple[Parts, str | None]:
    """The phrases and trade tokens of one script run, and its Han core (None for Latin)."""
    if is_han(run[0]):
        return _match_han(run, lex)
    return match_latin(latin_units(run, lex), lex), None


def place_keys(phrases: list[Phrase]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Place keys in order, and those of them in Xinjiang."""
    places = [p for p in phrases if p.category == "place"]
    return (
        tuple(dict.fromkeys(c for p in places for c in p.concepts)),
        tuple(dict.fromkeys(c for p in places if p.xinjiang for c in p.concepts)),
    )


def match_latin(units: list[tuple[str, str]], lex: Lexicon) -> Parts:
    """Backward maximum matching of phrases over units (Chinese names put the industry word
    last, so matching from the end splits 'huafushishang' as huafu + shishang, not hua +
    fushi + shang). Returns phrases and the rest as trade tokens, pinyin runs joined."""
    texts = [u for u, _ in units]
    kinds = [k for _, k in units]
    head, head_size = _head_place_latin(texts, kinds, lex)
    pieces: list[Phrase | str] = []  # built backwards
    spans: list[str] = []  # the units each piece took, as written
    trade_seen = False
    j = len(texts)
    while j > head_size:
        hit, size = _longest_ending_at(texts, j, lex.latin, min(lex.max_latin, j - head_size))
        consumed = size
        if (
            hit is None
            and texts[j - 1] in PLACE_SUFFIX_WORDS
            and j > head_size + 1
            and not _in_pinyin_run(kinds, j - 1)
        ):
            place, psize = _longest_ending_at(
                texts, j - 1, lex.latin, min(lex.max_latin, j - 1 - head_size)
            )
            if place is not None and place.category == "place":
                hit, consumed = place, psize + 1
            elif texts[j - 1] in ADMIN_TYPE_WORDS:
                hit, consumed = _unknown_place(texts, kinds, j - 1, head_size)
        if (
            hit is not None
            and hit.category == "industry"
            and trade_seen
            and all(k.startswith("syl") for k in kinds[j - consumed : j])
        ):
            # Pinyin industry words end a Chinese name; one *before* the trade name is more
            # likely part of it (lv ye in lvyeshuozidao is 绿叶, not 铝业).
            hit = None
        if hit is not None:
            pieces.append(hit)
            spans.append(_joined(texts, kinds, j - consumed, j))
            j -= consumed
            if hit.category == "place":
                trade_seen = False  # a place starts a name: see _match_han
            continue
        if kinds[j - 1].startswith("syl"):
            trade_seen = True
            pieces.append("\x00" + texts[j - 1])
        else:
            pieces.append(texts[j - 1])
        spans.append(("" if kinds[j - 1] == "syl+" else " ") + texts[j - 1])
        j -= 1
    if head is not None:
        pieces.append(head)
        spans.append(_joined(texts, kinds, 0, head_size))
    pieces.reverse()
    spans.reverse()
    return _collect(pieces, spans)


def _joined(texts: list[str], kinds: list[str], start: int, end: int) -> str:
    """Units start..end as written: a syllable that continues a word joins it ('fangzhi')."""
    out = "".join(("" if kinds[k] == "syl+" else " ") + texts[k] for k in range(start, end))
    return (" " if start < len(kinds) and kinds[start] != "syl+" else "") + out.strip()


# English words of an administrative type: what stands before one is a place, known or not.
ADMIN_TYPE_WORDS = frozenset(["county", "city", "district", "prefecture"])


def _unknown_place(
    texts: list[str], kinds: list[str], end: int, start: int
) -> tuple[Phrase | None, int]:
    """A pinyin word of two syllables or more before 'County', 'City' …, which the tables do not
    know ('Linxi County', 临西县): a place all the same, not a trade name. Returns the place and
    the units it takes with its type word."""
    k = end - 1
    while k > start and kinds[k] == "syl+":
        k -= 1
    if k < start or kinds[k] != "syl" or end - k < 2:
        return None, 0
    return Phrase("place", ("p:" + "".join(texts[k:end]),)), end - k + 1


def _in_pinyin_run(kinds: list[str], i: int) -> bool:
    """The syllable at `i` runs on into the next one: 'sheng' in Xinjiang Shengfu is part of the
    trade name, not the province suffix 省."""
    return i + 1 < len(kinds) and kinds[i + 1] == "syl+"


# Autonomous regions are 自治区, never 省 (sheng): 'Xin Jiang Sheng Fu' is Xinjiang + the trade
# name Shengfu (盛孚), written one syllable per word, not the province of Xinjiang + Fu.
_AUTONOMOUS_REGIONS = frozenset(["p:xinjiang", "p:neimenggu", "p:xizang", "p:ningxia", "p:guangxi"])


def _head_place_latin(
    texts: list[str], kinds: list[str], lex: Lexicon
) -> tuple[Phrase | None, int]:
    """The place a name starts with, read forwards, longest first, with a following 'City' or
    'Xian'. A Chinese name starts with its place of registration; read backwards, the end of the
    place and the start of the trade name can make another place ('Hu Bei Jing Tian' is Hubei
    Jingtian, not Beijing; 'A Wa Ti Hua Fu' is Awati Huafu, not Dihua)."""
    for size in range(min(lex.max_latin, len(texts)), 0, -1):
        phrase = lex.latin.get(tuple(texts[:size]))
        if phrase is not None:
            if phrase.category != "place":
                return None, 0
            if texts[size - 1] == "sheng" and phrase.concepts[0] in _AUTONOMOUS_REGIONS:
                return phrase, size - 1  # 新疆省 is a pinyin key of the table: not here
            if (
                size < len(texts)
                and texts[size] in PLACE_SUFFIX_WORDS
                and not _in_pinyin_run(kinds, size)
                and not (texts[size] == "sheng" and phrase.concepts[0] in _AUTONOMOUS_REGIONS)
            ):
                size += 1
            return phrase, size
    # A pinyin word the tables do not know, then a separate 'Xian' or 'Shi' (县, 市): the name
    # starts with a county or city ('Linxi Xian Fangpei', not Linxi and the city of Xi'an).
    m = 1
    while m < len(texts) and kinds[m] == "syl+":
        m += 1
    if (
        m < len(texts) - 1
        and texts[m] in ("xian", "shi")
        and kinds[m] == "syl"
        and not _in_pinyin_run(kinds, m)
    ):
        return _unknown_place(texts, kinds, m, 0)
    return None, 0


def _longest_ending_at(
    texts: list[str], end: int, table: dict[tuple[str, ...], Phrase], max_size: int
) -> tuple[Phrase | None, int]:
    for size in range(min(max_size, end), 0, -1):
        phrase = table.get(tuple(texts[end - size : end]))
        if phrase is not None:
            return phrase, size
    return None, 0


def _collect(pieces: list[Phrase | str], spans: list[str] | None = None) -> Parts:
    """Split matched pieces into phrases and trade tokens; consecutive syllables (marked with a
    leading NUL) join into one token, so 'Hua Fu', 'Huafu' and 华孚 all give 'huafu'. Also
    returns the initials of each run of two or more syllables (绿叶硕子岛 → 'lyszd'), since
    Chinese firms often take them as their English name."""
    parts = Parts([], [], [], [], [])
    run: list[str] = []
    run_text: list[str] = []
    texts = spans if spans is not None and len(spans) == len(pieces) else [""] * len(pieces)

    def close() -> None:
        if run:
            token = "".join(run)
            parts.trade.append(token)
            parts.core.append(token)
            parts.surfaces.append(("trade", (token,), "".join(run_text).strip()))
            if len(run) >= 2:
                parts.initials.append("".join(syllable[0] for syllable in run))
            run.clear()
            run_text.clear()

    for piece, text in zip(pieces, texts, strict=True):
        if isinstance(piece, str) and piece.startswith("\x00"):
            run.append(piece[1:])
            run_text.append(text)
            continue
        close()
        if isinstance(piece, str):
            parts.trade.append(piece)
            parts.core.append(piece)
            parts.surfaces.append(("trade", (piece,), text.strip()))
        else:
            parts.phrases.append(piece)
            parts.surfaces.append((piece.category, piece.concepts, text.strip()))
            if piece.category == "place":
                parts.core.append(piece.concepts[0].split(":", 1)[1])
    close()
    return parts


def _match_han(text: str, lex: Lexicon) -> tuple[Parts, str]:
    """Backward maximum matching over Han characters; returns phrases, trade runs (joined
    pinyin) and the Han core (the text without legal forms and organisation words)."""
    pieces: list[Phrase | str] = []
    spans: list[str] = []
    core: list[str] = []
    trade_seen = industry_seen = False
    head, head_size = _head_place_han(text, lex)
    j = len(text)
    while j > head_size:
        hit: Phrase | None = None
        size = 0
        for size in range(min(lex.max_han, j - head_size), 0, -1):
            hit = lex.han.get(text[j - size : j])
            if hit is not None:
                break
        if hit is not None and hit.category == "industry":
            # Industry words end a Chinese name: one before the trade name, or a single
            # character before another industry word (红棉物流: 红棉 is the trade name), or
            # one that would leave a trade name of one character (中棉集团: 中棉, China Cotton),
            # is more likely part of the trade name.
            lone = size == 1 and j - 1 - head_size == 1 and text[j - 2] not in lex.han
            if trade_seen or (size == 1 and industry_seen) or lone:
                hit = None
            else:
                industry_seen = True
        if hit is not None:
            pieces.append(hit)
            spans.append(text[j - size : j])
            if hit.category not in ("legal", "org"):
                core.append(text[j - size : j])
            j -= size
            if hit.category == "place":
                # A place starts a name, so what precedes it is another name's end: 西部黄金 +
                # 克拉玛依 + 哈图 + 金矿 is a group (Western Gold) before a mine's own name.
                trade_seen = False
            continue
        pieces.append(text[j - 1])
        spans.append(text[j - 1])
        core.append(text[j - 1])
        trade_seen = True
        j -= 1
    if head is not None:
        pieces.append(head)
        spans.append(text[:head_size])
        core.append(text[:head_size])
    pieces.reverse()
    spans.reverse()
    core.reverse()
    # Runs of unmatched characters become pinyin syllables, joined into tokens by _collect.
    merged: list[Phrase | str] = []
    merged_spans: list[str] = []
    run: list[str] = []
    for piece, span in [*zip(pieces, spans, strict=True), (None, "")]:
        if isinstance(piece, str):
            run.append(piece)
            continue
        if run:
            syllables = han_syllables("".join(run))
            merged.extend("\x00" + syllable for syllable in syllables)
            # The characters go with the run's first syllable: a run's text is its characters.
            merged_spans.extend(["".join(run)] + [""] * (len(syllables) - 1))
            run = []
        if piece is not None:
            merged.append(piece)
            merged_spans.append(span)
    return _collect(merged, merged_spans), "".join(core)


def _head_place_han(text: str, lex: Lexicon) -> tuple[Phrase | None, int]:
    """The place a Chinese name starts with (two characters or more, longest first): read
    backwards, 湖北京天 would give 北京 and leave 湖 and 天 as a trade name."""
    for size in range(min(lex.max_han, len(text)), 1, -1):
        phrase = lex.han.get(text[:size])
        if phrase is not None:
            return (phrase, size) if phrase.category == "place" else (None, 0)
    if len(text) > 3 and text[2] in "县市" and text[:3] not in lex.han:
        # Two characters and 县 or 市 head the name: a county or city the tables do not know
        # (临西县, as 'Linxi County' is read in Latin), not a trade name.
        return Phrase("place", ("p:" + "".join(han_syllables(text[:2])),)), 3
    return None, 0
