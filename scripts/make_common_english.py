"""Write uflpa/data/names/common_english.txt: the everyday English words of wordfreq's lists.

The matcher asks whether a trade word is an everyday English word (uflpa/names/common_words.py).
Importing wordfreq and loading its list costs about 0.17 s, which a screening run would pay on its
first foreign name; the list, cut to the words the test needs, loads in milliseconds. Rebuild it
with the pinned wordfreq (the `test` extra), and `--check` that the bundled file is what it gives:

    .venv/bin/python scripts/make_common_english.py [--check]
"""

from __future__ import annotations

import argparse
import sys
from importlib.metadata import version
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "uflpa" / "data" / "names" / "common_english.txt"
#: Zipf frequency (log10 of uses per billion words) from which a word is everyday English: 3.0 is
#: about one use in a million words (apex 3.7, synergy 3.2, camel 3.6).
COMMON_ZIPF = 3.0


def build() -> str:
    from wordfreq import get_frequency_dict, zipf_frequency

    words = sorted(
        w
        for w in get_frequency_dict("en", wordlist="small")
        if len(w) >= 3 and w.isascii() and w.isalpha()
        and zipf_frequency(w, "en", wordlist="small") >= COMMON_ZIPF
    )  # fmt: skip
    header = (
        f"# Everyday English words: wordfreq {version('wordfreq')} 'small' English list, Zipf "
        f">= {COMMON_ZIPF},\n# three letters or more, ASCII letters only; {len(words)} words. "
        "Written by scripts/make_common_english.py;\n# do not edit. wordfreq's data: CC BY-SA "
        "4.0, Robyn Speer and contributors (https://github.com/rspeer/wordfreq).\n"
    )
    return header + "\n".join(words) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    text = build()
    if args.check:
        same = OUT.read_text(encoding="utf-8") == text
        print(f"{OUT.name}: {'as wordfreq gives it' if same else 'differs from wordfreq'}")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({text.count(chr(10)) - 3} words)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
