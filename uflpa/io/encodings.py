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
5. Western text (isolated accented letters) is cp1252; charset-normalizer breaks ties that the
   scores leave open; latin-1 is the last resort because it decodes anything.

Only these encodings are detected; any other is read when the user names it (``--encoding``).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from uflpa.errors import UsageError

#: Bytes of a file's start used to sniff its delimiter and to refuse binary content.
SAMPLE_SIZE = 64 * 1024
#: Non-ASCII characters (or runs of them) that the scores look at: enough to decide.
_SCORED = 64 * 1024
_WIDE = re.compile(r"[^\x00-\x7f]")
_RUNS = re.compile(r"[^\x00-\x7f]+")

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
    why: str


def detect_encoding(head: bytes, extra: Sequence[bytes] = (), *, complete: bool) -> Detection:
    """Decide the encoding of a file from its first bytes (`head`) and a few later chunks.

    `complete` says that `head` ends on a character boundary (the whole file, or cut after a
    newline); otherwise a multi-byte character cut at the end of the sample is not an error.
    `extra` chunks (cut at newlines from later in the file) catch files whose first megabyte is
    plain ASCII and whose Chinese rows come later.
    """
    for bom, codec, name in _BOMS:
        if head.startswith(bom):
            return Detection(codec, name, bom, "byte-order mark")
    sample = head if not extra else b"\n".join([head, *extra])
    last_final = complete or bool(extra)
    # Before UTF-8: ASCII text in UTF-16 is also valid (NUL-riddled) UTF-8.
    utf16 = _utf16_without_bom(head)
    if utf16 is not None:
        return Detection(utf16, utf16, b"", "NUL bytes in alternate positions (UTF-16 without BOM)")
    if _decodes(head, "utf-8", final=complete) and all(
        _decodes(chunk, "utf-8", final=True) for chunk in extra
    ):
        why = "plain ASCII" if sample.isascii() else "valid UTF-8"
        return Detection("utf-8", "utf-8", b"", why)
    return _detect_legacy(sample, final=last_final)


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
                return Detection(bom_codec, label, bom, "given; byte-order mark skipped")
        if codec in ("utf-16", "utf-32"):
            codec = f"{codec}-le"
            return Detection(codec, codec, b"", "given; no byte-order mark, little-endian assumed")
        if codec == "utf-8-sig":
            return Detection("utf-8", "utf-8", b"", "given; no byte-order mark")
    why = "given" if codec == codecs.lookup(name).name else f"given as {name}, read as its superset"
    return Detection(codec, codec, b"", why)


def describe(detection: Detection) -> str:
    """One phrase for notes and messages, e.g. ``gb18030 (common Chinese characters)``."""
    return f"{detection.name} ({detection.why})"


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


def _detect_legacy(sample: bytes, *, final: bool) -> Detection:
    texts = {
        codec: text
        for codec in ("gb18030", "cp950", "cp1252")
        if (text := _decode(sample, codec, final=final)) is not None
    }
    gb = _common_share(texts.get("gb18030"), _gb_common())
    big5 = _common_share(texts.get("cp950"), _big5_common())
    if gb >= 0.6 and gb >= big5:
        return Detection("gb18030", "gb18030", b"", f"{gb:.0%} common GB2312 characters")
    if big5 >= 0.8 and big5 - gb >= 0.2:
        return Detection("cp950", "big5", b"", f"{big5:.0%} common Big5 characters")
    western = texts.get("cp1252")
    if western is not None and max(gb, big5) < 0.5 and _looks_western(western):
        return Detection("cp1252", "cp1252", b"", "accented Latin letters")
    guess = _normalizer_guess(sample, [codec for codec in texts if codec != "cp1252" or western])
    if guess is not None:
        name = {"cp950": "big5"}.get(guess, guess)
        return Detection(guess, name, b"", "charset-normalizer")
    if western is not None:
        return Detection("cp1252", "cp1252", b"", "no other encoding fits")
    return Detection("latin-1", "latin-1", b"", "no other encoding fits (every byte kept)")


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
    codec = {"big5": "cp950", "gbk": "gb18030", "gb2312": "gb18030", "windows-1252": "cp1252"}.get(
        codec, codec
    )
    return codec if codec in candidates else None
