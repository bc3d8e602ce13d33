"""A name's own initials in brackets ("… Training Center (VSETC)") are the name again: they become
its acronym, not a trade word that every query without them would lack."""

from __future__ import annotations

from uflpa.names.analyze import analyze


def test_bracketed_initials_of_the_name_are_its_acronym() -> None:
    a = analyze("Anhui Baota Cotton Textile Co., Ltd. (ABCT)")
    assert a.acronym == "abct"
    assert "abct" not in a.trade
    assert a.trade == analyze("Anhui Baota Cotton Textile Co., Ltd.").trade


def test_a_bracketed_word_that_is_not_the_initials_stays_a_trade_word() -> None:
    a = analyze("Anhui Baota Cotton Textile Co., Ltd. (Lida)")
    assert "lida" in a.trade


def test_initials_must_be_of_neighbouring_words_in_order() -> None:
    # b, a, c are initials of the name, but not of a run of its words in that order.
    assert "bac" in analyze("Anhui Baota Cotton Co (BAC)").trade
