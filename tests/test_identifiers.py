"""Unified Social Credit Codes as users type them: with spaces or hyphens, in full-width digits
(Chinese documents), or with digits of another script, which are not code characters."""

from __future__ import annotations

import subprocess
import sys

from uflpa.identifiers import parse_uscc, uscc_check_char

CODE = "91650100MA77ABCD1P"


def test_the_check_character_decides_validity() -> None:
    parsed = parse_uscc(CODE)
    assert parsed is not None and parsed.valid and parsed.xinjiang
    assert uscc_check_char(CODE[:17]) == CODE[17]
    wrong = CODE[:17] + ("Q" if CODE[17] != "Q" else "R")
    assert parse_uscc(wrong) is not None and not parse_uscc(wrong).valid  # type: ignore[union-attr]


def test_full_width_and_spaced_codes_read_as_the_code() -> None:
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in CODE)
    assert parse_uscc(full_width) == parse_uscc(CODE)
    assert parse_uscc("9165 0100-MA77 ABCD 1P") == parse_uscc(CODE)


def test_digits_of_another_script_are_not_a_code_and_never_crash() -> None:
    arabic_indic = CODE[:2] + "٦٥" + CODE[4:]
    assert parse_uscc(arabic_indic) is None
    res = subprocess.run(
        [sys.executable, "-m", "uflpa", "match", "X", "--identifier", arabic_indic],
        capture_output=True,
        text=True,
        check=False,
    )
    assert res.returncode == 0 and "Traceback" not in res.stderr
