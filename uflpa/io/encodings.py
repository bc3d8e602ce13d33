"""Which text encoding a user file is in, decided from a sample of its bytes.

Supplier masters and shipment files come out of Chinese ERPs and customs systems as GBK/GB18030,
out of Excel as UTF-8 with a BOM or UTF-16, and out of Taiwanese or Hong Kong systems as Big5.
Guessing wrong turns every Chinese name into mojibake that then matches nothing, so the order of
the checks matters:

1. a byte-order mark decides (UTF-8, UTF-16, UTF-32);
2. a sample that decodes as UTF-8 *is* UTF-8 (statistical detectors call short Chinese UTF-8
   text something else, so they are never asked when strict UTF-8 succeeds);
3. UTF-16 without a BOM shows as NUL bytes in every other position;
4. for the rest, GB18030 and Big5 are scored by how many decoded characters are common Han
   characters of that standard (GB2312 or Big5 level 1): real text scores near 1, text in the
   other encoding near 0.5 or below, Western text near 0. GBK and GB2312 files are decoded as
   GB18030, their superset, so that rare characters (e.g. 𠮷) survive;
5. Japanese text in Shift-JIS is scored the same way (common JIS X 0208 characters), so that it
   is read as Japanese and not as GB18030 mojibake that screens clear;
6. Western text (isolated accented letters) is cp1252; charset-normalizer breaks ties that the
   scores leave open; latin-1 is the last resort because it decodes anything.

Step 2 tolerates a few bad bytes: a sample that is UTF-8 but for a few byte sequences (one
mistyped byte, one row pasted from elsewhere) stays UTF-8, and the rows holding those bytes are
reported by the line reader. Decoding the whole file as latin-1 instead would turn every Chinese
name into mojibake that screens clear without a word.

A decision that rests on weak evidence carries a `doubt`, said in the run's summary. After a
legacy decision, rows whose bytes are typical of another encoding (UTF-8 text in a cp1252 or
GB18030 file, GB18030 text in a cp1252 file) are reported instead of screened (`foreign_text`).

Only these encodings are detected; any other is read when the user names it (``--encoding``).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache

from uflpa.errors import UsageError
from uflpa.io.hints import ALL, Hints

#: Bytes of a file's start used to sniff its delimiter and to refuse binary content.
SAMPLE_SIZE = 64 * 1024
#: Non-ASCII characters (or runs of them) that the scores look at: enough to decide.
_SCORED = 64 * 1024
_WIDE = re.compile(r"[^\x00-\x7f]")
_RUNS = re.compile(r"[^\x00-\x7f]+")
_HIGH_RUN = re.compile(rb"[\x80-\xff]+")
_HIGH_BYTES = bytes(range(0x80, 0x100))
_SINGLE_BYTE = frozenset({"cp1252", "latin-1", "iso8859-1"})
_FOREIGN_CODECS = {"UTF-8": "utf-8", "GB18030": "gb18030"}
_ALTERNATIVES = (("gb18030", "GB18030"), ("cp950", "Big5"), ("cp932", "Shift-JIS"))
#: How the summary names each encoding.
_TITLES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16 little-endian",
    "utf-16-be": "UTF-16 big-endian",
    "utf-32": "UTF-32",
    "utf-32-le": "UTF-32 little-endian",
    "utf-32-be": "UTF-32 big-endian",
    "gb18030": "GB18030",
    "big5": "Big5",
    "shift_jis": "Shift-JIS",
    "cp1252": "cp1252",
    "latin-1": "latin-1",
}

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
)

# Names users give for encodings whose superset we decode with instead.
_SUPERSETS = {"gbk": "gb18030", "gb2312": "gb18030"}


@dataclass(frozen=True, slots=True)
class Detection:
    """The decision: decode the bytes after `bom` with `codec`; report it as `name`."""

    codec: str
    name: str
    bom: bytes
    #: Why, as words that follow "because" (or the note on a given encoding).
    why: str
    #: Why the decision may still be wrong, and what to do then; "" when there is no doubt.
    doubt: str = ""
    #: Whether each line is checked for bytes typical of another encoding (`foreign_text`).
    check_lines: bool = False
    given: bool = False
    #: Which fixes the messages about this file may name (`uflpa.io.hints`).
    hints: Hints = ALL


def detect_encoding(
    head: bytes, extra: Sequence[bytes] = (), *, complete: bool, hints: Hints = ALL
) -> Detection:
    """Decide the encoding of a file from its first bytes (`head`) and a few later chunks.

    `complete` says that `head` ends on a character boundary (the whole file, or cut after a
    newline); otherwise a multi-byte character cut at the end of the sample is not an error.
    `extra` chunks (cut at newlines from later in the file) catch files whose first megabyte is
    plain ASCII and whose Chinese rows come later. `hints`: the fixes messages may name.
    """
    return replace(_detect(head, extra, complete=complete, hints=hints), hints=hints)


def _detect(head: bytes, extra: Sequence[bytes], *, complete: bool, hints: Hints) -> Detection:
    for bom, codec, name in _BOMS:
        if head.startswith(bom):
            return Detection(codec, name, bom, "it starts with a byte-order mark")
    sample = head if not extra else b"\n".join([head, *extra])
    last_final = complete or bool(extra)
    # Before UTF-8: ASCII text in UTF-16 is also valid (NUL-riddled) UTF-8.
    utf16 = _utf16_without_bom(head)
    if utf16 is not None:
        return Detection(
            utf16,
            utf16,
            b"",
            "NUL bytes in every other position show UTF-16 text without a byte-order mark",
        )
    if _decodes(head, "utf-8", final=complete) and all(
        _decodes(chunk, "utf-8", final=True) for chunk in extra
    ):
        why = "it holds only ASCII characters" if sample.isascii() else "every byte is valid UTF-8"
        return Detection("utf-8", "utf-8", b"", why)
    good, bad = utf8_tally(sample, final=last_final)
    if good >= UTF8_MAJORITY * bad and good >= 3:
        what = "byte sequence is" if bad == 1 else "byte sequences are"
        return Detection(
            "utf-8",
            "utf-8",
            b"",
            f"{good:,} of its non-ASCII characters are valid UTF-8 and only {bad:,} {what} "
            "not; the rows holding those bytes are reported, not screened",
        )
    return _with_doubt(_detect_legacy(sample, final=last_final, hints=hints), sample, hints)


#: A sample with at least this many valid UTF-8 characters per bad byte sequence is UTF-8 with a
#: few bad bytes. GBK text has about 0.4 accidental UTF-8 characters per bad sequence, Big5 and
#: Shift-JIS less; real UTF-8 with one mistyped byte has dozens.
UTF8_MAJORITY = 10


def utf8_tally(data: bytes, *, final: bool) -> tuple[int, int]:
    """(valid multi-byte UTF-8 characters, invalid byte sequences) in `data`."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    text: str = decoder.decode(data, final=final)
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")  # a U+FFFD the file itself holds
    ascii_chars = len(data.translate(None, _HIGH_BYTES))
    return len(text) - ascii_chars - bad, bad


def resolve_encoding(name: str, head: bytes) -> Detection:
    """Turn an encoding the user named into a decision, honouring a BOM the file carries.

    GBK and GB2312 are read as GB18030 (a superset: nothing decodes differently, more decodes).
    A UTF-8/16/32 name on a file with a BOM skips the BOM so it does not stick to the first
    header. An unknown name or a codec that is not a text encoding is a usage error.
    """
    try:
        codec = codecs.lookup(name).name
        "a,\n".encode(codec).decode(codec)
    except (LookupError, TypeError, ValueError):
        raise UsageError(
            f"unknown text encoding {name!r} (try utf-8, gb18030, big5, cp1252)"
        ) from None
    codec = _SUPERSETS.get(codec, codec)
    family = codec.removesuffix("-sig").removesuffix("-le").removesuffix("-be")
    if family in ("utf-8", "utf-16", "utf-32"):
        for bom, bom_codec, label in _BOMS:
            fits = codec in (family, f"{family}-sig", bom_codec)
            if fits and bom_codec.startswith(family) and head.startswith(bom):
                return Detection(
                    bom_codec, label, bom, "its byte-order mark is skipped", given=True
                )
        if codec in ("utf-16", "utf-32"):
            codec = f"{codec}-le"
            return Detection(
                codec,
                codec,
                b"",
                "it has no byte-order mark, so little-endian is assumed",
                given=True,
            )
        if codec == "utf-8-sig":
            return Detection("utf-8", "utf-8", b"", "it has no byte-order mark", given=True)
    why = "" if codec == codecs.lookup(name).name else f"{name} is read as its superset {codec}"
    return Detection(codec, codec, b"", why, given=True)


def explain(detection: Detection) -> str:
    """The decision in words, for the run's summary, e.g. ``the file is read as GB18030 because
    98% of its non-ASCII characters are common GB2312 characters``."""
    title = _TITLES.get(detection.name, detection.name)
    if detection.given:
        text = f"the file is read as {title}, the encoding named with --encoding"
        if detection.why:
            text += f"; {detection.why}"
    else:
        text = f"the file is read as {title} because {detection.why}"
    if detection.doubt:
        text += f"; doubt: {detection.doubt}"
    return text


def foreign_text(raw: bytes, detection: Detection) -> str | None:
    """Which other encoding the non-ASCII bytes of one line are typical of, if any.

    Only asked for lines of a file whose encoding was guessed from weak evidence: a line whose
    non-ASCII bytes are valid UTF-8 (two or more characters) in a file read as anything else, or
    runs of common GB2312 characters in a file read as a single-byte code page, would be screened
    as mojibake.
    """
    runs = _HIGH_RUN.findall(raw)
    if not runs:
        return None
    single_byte = detection.codec in _SINGLE_BYTE
    joined = b"".join(runs)
    good, bad = utf8_tally(joined, final=True)
    if good >= 2 and bad == 0:
        return "UTF-8"
    if single_byte:
        common = _gb_common()
        for run in runs:
            text = _decode(run, "gb18030", final=True) if len(run) >= 4 else None
            if text is not None and all(ch in common for ch in text):
                return "GB18030"
    return None


def foreign_problem(raw: bytes, detection: Detection, kind: str, offset: int) -> str:
    """The reason reported for a line `foreign_text` found typical of `kind`."""
    first = _HIGH_RUN.search(raw)
    start = first.start() if first else 0
    shown = raw[start : start + 12].decode(_FOREIGN_CODECS[kind], errors="replace")
    title = _TITLES.get(detection.name, detection.name)
    return (
        f"holds bytes typical of {kind} text ({shown!r}, from byte offset {offset + start}), "
        f"which reading the file as {title} would turn into mojibake; the row is not screened "
        f"(if the whole file is {kind}, {detection.hints.name_encoding(_FOREIGN_CODECS[kind])})"
    )


def _decodes(data: bytes, codec: str, *, final: bool) -> bool:
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    try:
        decoder.decode(data, final=final)
    except UnicodeDecodeError:
        return False
    return True


def _decode(data: bytes, codec: str, *, final: bool) -> str | None:
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    try:
        text: str = decoder.decode(data, final=final)
    except UnicodeDecodeError:
        return None
    return text


def _utf16_without_bom(head: bytes) -> str | None:
    window = head[:4096]
    half = len(window) // 2
    if half < 2:
        return None
    even_nul = sum(1 for b in window[0::2] if b == 0) / half
    odd_nul = sum(1 for b in window[1::2] if b == 0) / half
    # Latin and ASCII text in UTF-16 has NUL as the high byte of nearly every unit.
    if odd_nul > 0.3 and even_nul < 0.05:
        codec = "utf-16-le"
    elif even_nul > 0.3 and odd_nul < 0.05:
        codec = "utf-16-be"
    else:
        return None
    return codec if _decodes(window[: half * 2], codec, final=False) else None


def _detect_legacy(sample: bytes, *, final: bool, hints: Hints = ALL) -> Detection:
    texts = {
        codec: text
        for codec in ("gb18030", "cp950", "cp932", "cp1252")
        if (text := _decode(sample, codec, final=final)) is not None
    }
    gb = _common_share(texts.get("gb18030"), _gb_common())
    big5 = _common_share(texts.get("cp950"), _big5_common())
    sjis = _common_share(texts.get("cp932"), _sjis_common())
    if gb >= 0.6 and gb >= big5 and gb >= sjis:
        why = f"{gb:.0%} of its non-ASCII characters are common GB2312 characters"
        return _legacy("gb18030", "gb18030", why)
    if big5 >= 0.8 and big5 - gb >= 0.2 and big5 >= sjis:
        why = f"{big5:.0%} of its non-ASCII characters are common Big5 characters"
        return _legacy("cp950", "big5", why)
    if sjis >= 0.8 and sjis - max(gb, big5) >= 0.2:
        why = f"{sjis:.0%} of its non-ASCII characters are common Japanese JIS X 0208 characters"
        return _legacy("cp932", "shift_jis", why)
    western = texts.get("cp1252")
    if western is not None and max(gb, big5, sjis) < 0.5 and _looks_western(western):
        why = "its non-ASCII characters are accented Latin letters standing alone"
        return _legacy("cp1252", "cp1252", why)
    guess = _normalizer_guess(sample, [codec for codec in texts if codec != "cp1252" or western])
    if guess is not None:
        name = {"cp950": "big5", "cp932": "shift_jis"}.get(guess, guess)
        scores = {"gb18030": (gb, "GB2312"), "cp950": (big5, "Big5"), "cp932": (sjis, "JIS")}
        doubt = ""
        if guess in scores:
            share, label = scores[guess]
            others = [n for c, n in _ALTERNATIVES if c != guess]
            doubt = (
                f"only {share:.0%} of its non-ASCII characters are common {label} characters, "
                f"so it may be in another encoding such as {', '.join(others)} or UTF-8 with "
                f"damaged bytes; if its names look wrong, {hints.name_encoding()}"
            )
        why = "charset-normalizer found it the closest fit among the encodings that decode it"
        return Detection(guess, name, b"", why, doubt, check_lines=True)
    if western is not None:
        return _legacy("cp1252", "cp1252", "no other encoding decodes it")
    return _legacy(
        "latin-1", "latin-1", "no other encoding decodes it, and latin-1 keeps every byte"
    )


def _legacy(codec: str, name: str, why: str) -> Detection:
    """A decision for a legacy encoding: its lines are checked for text in another one."""
    return Detection(codec, name, b"", why, check_lines=True)


def _with_doubt(detection: Detection, sample: bytes, hints: Hints) -> Detection:
    """`detection` with a doubt when lines of the sample hold text typical of another
    encoding (those lines are reported as rows; the summary says why)."""
    if detection.doubt:
        return detection
    kinds = sorted(
        {kind for line in sample.split(b"\n") if (kind := foreign_text(line, detection))}
    )
    if not kinds:
        return detection
    doubt = (
        f"some lines hold bytes typical of {' and '.join(kinds)} text, which would be misread "
        "as this encoding; those rows are reported, not screened; if the whole file is in "
        f"one of those encodings, {hints.name_encoding()}"
    )
    return Detection(
        detection.codec, detection.name, detection.bom, detection.why, doubt, check_lines=True
    )


def _common_share(text: str | None, common: frozenset[str]) -> float:
    if text is None:
        return 0.0
    wide = [ch for ch in _WIDE.findall(text)[:_SCORED] if not ch.isspace()]
    if not wide:
        return 0.0
    return sum(1 for ch in wide if ch in common) / len(wide)


@cache
def _gb_common() -> frozenset[str]:
    """GB2312 punctuation and full-width forms (rows A1–A3) and its 6,763 Han characters."""
    rows = [*range(0xA1, 0xA4), *range(0xB0, 0xF8)]
    return _decode_grid(rows, range(0xA1, 0xFF), "gb2312")


@cache
def _sjis_common() -> frozenset[str]:
    """Shift-JIS symbols, full-width letters and kana (leads 81–84) and the 2,965 level-1 kanji
    of JIS X 0208 (leads 88–98): what Japanese company names are written in."""
    trails = [*range(0x40, 0x7F), *range(0x80, 0xFD)]
    return _decode_grid([*range(0x81, 0x85), *range(0x88, 0x99)], trails, "cp932")


@cache
def _big5_common() -> frozenset[str]:
    """Big5 symbols (A1–A3) and its 5,401 frequently used Han characters (level 1, A4–C6)."""
    trails = [*range(0x40, 0x7F), *range(0xA1, 0xFF)]
    return _decode_grid(range(0xA1, 0xC7), trails, "cp950")


def _decode_grid(
    leads: Sequence[int] | range, trails: Sequence[int] | range, codec: str
) -> frozenset[str]:
    chars: set[str] = set()
    for lead in leads:
        for trail in trails:
            try:
                chars.add(bytes((lead, trail)).decode(codec))
            except UnicodeDecodeError:
                continue
    return frozenset(chars)


def _looks_western(text: str) -> bool:
    """Accented letters standing alone between ASCII, as in Müller or Société Générale."""
    runs = _RUNS.findall(text)[:_SCORED]
    wide = "".join(runs)
    if not wide:
        return True
    letters = sum(1 for ch in wide if unicodedata.category(ch).startswith(("L", "P", "S", "Z")))
    # Mojibake of CJK text in cp1252 comes in runs of two or more high characters.
    return letters / len(wide) >= 0.9 and len(runs) / len(wide) >= 0.6


def _normalizer_guess(sample: bytes, candidates: list[str]) -> str | None:
    if not candidates:
        return None
    from charset_normalizer import from_bytes

    best = from_bytes(sample, cp_isolation=candidates).best()
    if best is None:
        return None
    codec = codecs.lookup(best.encoding).name
    codec = {
        "big5": "cp950",
        "gbk": "gb18030",
        "gb2312": "gb18030",
        "windows-1252": "cp1252",
        "shift_jis": "cp932",
    }.get(codec, codec)
    return codec if codec in candidates else None
