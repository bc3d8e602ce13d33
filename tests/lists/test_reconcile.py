"""Stable ids across versions for entities parsed from sources that carry none."""

from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st

from uflpa.lists.base import provisional_id
from uflpa.lists.reconcile import fold_name, is_provisional, reconcile
from uflpa.model import ListedEntity, Listing, ListVersion

V = "2(d)(2)(B)(v)"


def version(*entities: ListedEntity) -> ListVersion:
    return ListVersion(
        list_name="us-dhs-uflpa",
        source="test",
        origin="test",
        retrieved_at=datetime(2026, 1, 1, tzinfo=UTC),
        entities=entities,
    )


def parsed(name: str, **kw: object) -> ListedEntity:
    """An entity as an id-less parser gives it: a provisional id from its name."""
    return ListedEntity(
        id=provisional_id("UFLPA", name),
        name=name,
        listings=(Listing(V, date(2025, 1, 15)),),
        **kw,  # type: ignore[arg-type]
    )


def stable(eid: str, name: str, **kw: object) -> ListedEntity:
    return ListedEntity(id=eid, name=name, listings=(Listing(V, date(2024, 1, 1)),), **kw)  # type: ignore[arg-type]


def test_fold_ignores_case_punctuation_width_and_legal_form() -> None:
    same = [
        "Xinjiang GCL New Energy Material Technology, Co. Ltd",
        "Xinjiang GCL New Energy Material Technology Co., Ltd.",
        "XINJIANG GCL NEW ENERGY MATERIAL TECHNOLOGY CO LTD",
        "Ｘｉｎｊｉａｎｇ GCL New Energy Material Technology Company Limited",
    ]
    assert len({fold_name(n) for n in same}) == 1
    assert fold_name("TBEA Co., Ltd.") == fold_name("TBEA")
    assert fold_name("新疆中泰化学股份有限公司") == fold_name("新疆中泰化学")
    assert fold_name("Xinjiang Zhongtai Group Co. Ltd") != fold_name("Xinjiang Zhongtai Chemical")


@given(st.text(max_size=40))
def test_fold_never_empties_a_name_with_letters_or_digits(name: str) -> None:
    key = fold_name(name)
    if any(ch.isalnum() for ch in name):
        assert key


def test_provisional_ids_are_recognised() -> None:
    assert is_provisional(parsed("Alpha Co., Ltd."))
    assert not is_provisional(stable("UFLPA-001", "Alpha Co., Ltd."))
    assert not is_provisional(stable("UFLPA-0123456789", "Alpha"))


def test_same_entity_keeps_its_id_despite_spelling() -> None:
    old = version(stable("UFLPA-013", "Xinjiang GCL New Energy Material Technology Co., Ltd."))
    new = version(parsed("Xinjiang GCL New Energy Material Technology, Co. Ltd"))
    assert [e.id for e in reconcile(new, old).entities] == ["UFLPA-013"]


def test_rename_keeps_the_id_through_the_former_name() -> None:
    old = version(stable("UFLPA-005", "Hefei Meiling Co., Ltd."))
    new = version(
        parsed("Changhong Meiling Co., Ltd.", former_names=("Hefei Meiling Co., Ltd.",)),
    )
    out = reconcile(new, old)
    assert out.entities[0].id == "UFLPA-005"
    assert out.content_hash != new.content_hash  # the hash follows the new ids


def test_new_entities_keep_their_provisional_id() -> None:
    new_one = parsed("Brand New Trading Co., Ltd.")
    out = reconcile(version(new_one), version(stable("UFLPA-001", "Alpha Co., Ltd.")))
    assert out.entities[0].id == new_one.id


def test_an_old_id_goes_to_one_entity_only_and_primary_names_win() -> None:
    old = version(stable("UFLPA-010", "Alpha Co., Ltd."))
    by_alias = parsed("Alpha Holdings", aliases=("Alpha Co., Ltd.",))
    by_name = parsed("Alpha Co. Ltd")
    out = reconcile(version(by_alias, by_name), old)
    ids = {e.name: e.id for e in out.entities}
    assert ids["Alpha Co. Ltd"] == "UFLPA-010"
    assert ids["Alpha Holdings"] == by_alias.id


def test_ambiguous_names_are_not_used() -> None:
    old = version(
        stable("UFLPA-001", "Alpha One Co., Ltd.", aliases=("Alpha",)),
        stable("UFLPA-002", "Alpha Two Co., Ltd.", aliases=("Alpha",)),
    )
    fresh = parsed("Alpha")
    assert reconcile(version(fresh), old).entities[0].id == fresh.id


def test_without_previous_version_nothing_changes() -> None:
    new = version(parsed("Alpha"))
    assert reconcile(new, None) is new


def test_reconciling_against_the_bundled_list() -> None:
    from uflpa.lists.bundled import load_bundled

    bundled = load_bundled()
    names = ["Changhong Meiling Co., Ltd.", "Hoshine Silicon Industry (Shanshan) Co., Ltd"]
    out = reconcile(version(*(parsed(n) for n in names)), bundled)
    assert [e.id for e in out.entities] == ["UFLPA-005", "UFLPA-012"]


def test_older_versions_give_back_ids_the_latest_lacks() -> None:
    older = version(stable("UFLPA-033", "Xinjiang Tianmian Foundation Textile Co., Ltd."))
    latest = version(stable("UFLPA-001", "Baoding LYSZD Trade and Business Co., Ltd."))
    new = version(
        parsed("Baoding LYSZD Trade and Business Co., Ltd."),
        parsed("Xinjiang Tianmian Foundation Textile Co., Ltd."),
    )
    out = reconcile(new, [latest, older])
    assert [e.id for e in out.entities] == ["UFLPA-001", "UFLPA-033"]
