"""History over list versions: who was listed on a day, diffs between versions, and stats."""

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from uflpa.lists.bundled import bundled_coverage, load_bundled
from uflpa.lists.history import as_of, diff, entity_on, sector_labels, stats
from uflpa.model import ListedEntity, Listing, ListVersion, NameChange

V = "2(d)(2)(B)(v)"
II = "2(d)(2)(B)(ii)"
I = "2(d)(2)(B)(i)"  # noqa: E741 - the section's own numeral


def version(*entities: ListedEntity, source: str = "test") -> ListVersion:
    return ListVersion(
        list_name="us-dhs-uflpa",
        source=source,
        origin="test",
        retrieved_at=datetime(2026, 1, 1, tzinfo=UTC),
        entities=entities,
    )


def entity(eid: str, name: str, *listings: Listing, **kw: object) -> ListedEntity:
    return ListedEntity(id=eid, name=name, listings=listings, **kw)  # type: ignore[arg-type]


def test_as_of_counts_the_bundled_list_on_official_dates() -> None:
    v = load_bundled()
    assert len(as_of(v, date(2024, 12, 31))) == 107
    assert len(as_of(v, date(2025, 1, 15))) == 144
    assert len(as_of(v, date(2025, 1, 14))) == 107


def test_as_of_gives_the_names_and_listings_of_that_day() -> None:
    v = load_bundled()
    on_2025 = {e.id: e for e in as_of(v, date(2025, 1, 1))}
    assert on_2025["UFLPA-013"].name.startswith("Xinjiang GCL")
    assert on_2025["UFLPA-013"].renames == ()
    changji_mid_2024 = {e.id: e for e in as_of(v, date(2024, 6, 1))}["UFLPA-002"]
    assert [lst.section for lst in changji_mid_2024.listings] == [I]
    assert [lst.section for lst in on_2025["UFLPA-002"].listings] == [V]


def test_entity_on_keeps_the_current_name_out_of_former_names() -> None:
    e = entity(
        "X-1",
        "New Name Co., Ltd.",
        Listing(II, date(2022, 1, 1)),
        former_names=("Old Name Co., Ltd.",),
        renames=(NameChange(date(2024, 1, 1), "Old Name Co., Ltd.", "New Name Co., Ltd."),),
    )
    before = entity_on(e, date(2023, 1, 1))
    assert before.name == "Old Name Co., Ltd."
    assert "Old Name Co., Ltd." not in before.former_names
    assert entity_on(e, date(2024, 1, 1)).name == "New Name Co., Ltd."


def test_diff_reports_each_kind_of_change() -> None:
    keep = entity("A", "Alpha Co., Ltd.", Listing(II, date(2022, 6, 21)), aliases=("Alfa",))
    gone = entity("B", "Beta Co., Ltd.", Listing(V, date(2023, 1, 1)))
    moved = entity("C", "Gamma Co., Ltd.", Listing(I, date(2022, 6, 21)))
    old = version(keep, gone, moved)
    new = version(
        replace(keep, name="Alpha Group Co., Ltd.", aliases=("Alpha Textiles",)),
        replace(
            moved,
            listings=(
                Listing(I, date(2022, 6, 21), removal_date=date(2024, 11, 1)),
                Listing(V, date(2024, 11, 1)),
            ),
        ),
        entity("D", "Delta Co., Ltd.", Listing(V, date(2025, 1, 15))),
    )
    d = diff(old, new)
    assert [c.entity_id for c in d.added] == ["D"]
    assert [c.entity_id for c in d.removed] == ["B"]
    assert d.renamed[0].detail == {
        "old_name": "Alpha Co., Ltd.",
        "new_name": "Alpha Group Co., Ltd.",
    }
    assert d.aliases_changed[0].detail == {
        "aliases_added": ["Alpha Textiles"],
        "aliases_removed": ["Alfa"],
    }
    sections = d.sections_changed[0].detail
    assert sections["listings_added"][0]["section"] == V
    assert sections["listings_ended"] == [
        {"section": I, "effective_date": "2022-06-21", "removal_date": "2024-11-01"}
    ]
    assert d.counts() == {
        "added": 1,
        "removed": 1,
        "renamed": 1,
        "aliases_changed": 1,
        "sections_changed": 1,
    }
    assert diff(new, new).is_empty


def test_stats_of_the_bundled_list_on_2024_12_31() -> None:
    s = stats(load_bundled(), date(2024, 12, 31))
    assert s["entities"] == 107
    assert s["as_of"] == "2024-12-31"
    assert s["additions_by_year"] == {"2022": 20, "2023": 19, "2024": 68}
    assert s["listed_at_year_end"]["2024"] == 107
    assert s["additions_by_effective_date"]["2024-11-25"] == 29
    assert s["by_section"][V] == 72
    assert sum(s["by_sector"].values()) >= 107
    assert s["coverage"] == bundled_coverage()
    assert s["coverage_on_day"] == {"official_entities": 107, "missing": 0, "listed_here": 107}
    later = stats(load_bundled(), date(2026, 8, 3))
    assert later["coverage_on_day"]["missing"] == 35


def test_stats_of_another_list_has_no_bundled_coverage() -> None:
    v = version(entity("A", "Alpha", Listing(II, date(2023, 3, 1))))
    s = stats(v, date(2024, 1, 1))
    assert s["entities"] == 1
    assert s["coverage"] is None
    assert s["coverage_on_day"] is None
    # The bundled source label alone does not make a version the bundled one.
    assert stats(replace(v, source="uflpa-reconstruction"), date(2024, 1, 1))["coverage"] is None


@pytest.mark.parametrize(
    ("sector", "label"),
    [
        ("PVC / caustic soda / viscose fibre and yarn / chemicals", "PVC/chemicals"),
        ("nonferrous metals (aluminum and alloys)", "aluminum"),
        ("solar (polysilicon-based inputs)", "polysilicon/solar"),
        ("cotton (trader / warehouse)", "cotton/textiles/apparel"),
        ("seafood (frozen seafood, vegetables)", "seafood"),
        ("sugar / tomatoes / agricultural products", "tomatoes/agriculture"),
        ("steel / iron ore mining", "mining/metals"),
        ("printers / imaging supplies / chips", "electronics"),
        ("hair products", "other"),
    ],
)
def test_sector_labels(sector: str, label: str) -> None:
    assert sector_labels(entity("A", "A", sectors=(sector,))) == (label,)


def test_sector_label_unknown_without_text() -> None:
    assert sector_labels(entity("A", "A")) == ("unknown",)


def test_entities_without_listing_dates_count_as_listed() -> None:
    # Some third-party lists say only that an entity is listed, not since when.
    v = version(entity("A", "Alpha"), entity("B", "Beta", Listing(II, date(2030, 1, 1))))
    assert [e.id for e in as_of(v, date(2026, 1, 1))] == ["A"]
    assert stats(v, date(2026, 1, 1))["entities"] == 1
