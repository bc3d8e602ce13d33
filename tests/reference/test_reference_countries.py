"""One table says whether a declared country is China; its two readings differ on purpose."""

from __future__ import annotations

import pytest

from uflpa.reference.countries import CHINA_CODES, is_china


@pytest.mark.parametrize("country", ["", "   ", None])
def test_no_country_is_no_answer(country: str | None) -> None:
    assert is_china(country) is None
    assert is_china(country, mainland_only=True) is None


@pytest.mark.parametrize(
    ("country", "china", "mainland"),
    [
        ("CN", True, True),
        (" china ", True, True),
        ("People's Republic of China", True, True),
        ("中国", True, True),
        # Variant spellings: China to matching and screening, another country to the resolver.
        ("P.R.C.", True, False),
        ("Mainland China", True, False),
        ("中华人民共和国", True, False),
        # Hong Kong and Macao: Chinese registrations, but not mainland addresses.
        ("Hong Kong", True, False),
        ("MO", True, False),
        ("Taiwan", False, False),
        ("KZ", False, False),
    ],
)
def test_the_two_readings(country: str, china: bool, mainland: bool) -> None:
    assert is_china(country) is china
    assert is_china(country, mainland_only=True) is mainland


def test_codes() -> None:
    assert frozenset({"CN", "HK", "MO"}) == CHINA_CODES
