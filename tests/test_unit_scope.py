"""Unit resolution rules without the CLI: province-scoped built-in aliases, short forms a
document defines, comma names, and the speller's limits."""

from __future__ import annotations

from sqlmodel import Session, SQLModel, create_engine, select

from knowledge.models import Unit
from knowledge.typos import Speller, is_syllable
from knowledge.unit_catalog import UnitCatalog
from knowledge.unit_queries import ensure_seed_units
from knowledge.unit_seeds import SEED_PROVINCE


def names(catalog: UnitCatalog, cell: str) -> list[str | None]:
    return [item.unit.name if item.unit else None for item in catalog.split_cell(cell)]


def test_local_alias_holds_only_in_the_seed_province() -> None:
    catalog = UnitCatalog.seeded()
    catalog.use_province(SEED_PROVINCE)
    assert names(catalog, "Phòng GDTH") == ["Phòng Giáo dục Trung học"]
    catalog.use_province("Bạc Liêu")
    assert names(catalog, "Phòng GDTH") == [None]
    assert names(catalog, "Phòng Giáo dục Trung học") == ["Phòng Giáo dục Trung học"]


def test_defined_short_form_is_learned_before_tables() -> None:
    catalog = UnitCatalog.seeded()
    catalog.use_province("Bạc Liêu")
    text = (
        "1. Phòng Giáo dục Tiểu học (sau đây gọi tắt là Phòng GDTH) chủ trì.\n"
        "2. Ban Chỉ đạo cải cách hành chính (CCHC) họp định kỳ."
    )
    learned = catalog.learn_definitions(text, "x.md")
    assert [u.name for u in learned] == ["Phòng Giáo dục Tiểu học"]
    assert names(catalog, "Phòng GDTH; GDTH") == ["Phòng Giáo dục Tiểu học"] * 2
    assert catalog.resolve("CCHC") is None  # the reform's name, not a unit's


def test_comma_name_stays_one_unit_and_plural_reaches_over_the_comma() -> None:
    catalog = UnitCatalog.seeded()
    items = catalog.split_cell("Phòng Khảo thí, Quản lý chất lượng và Công nghệ thông tin; VP")
    assert [i.text for i in items][
        0
    ] == "Phòng Khảo thí, Quản lý chất lượng và Công nghệ thông tin"
    assert items[0].unit is None and items[1].unit is not None
    plural = catalog.split_cell("Các phòng, đơn vị")
    assert [i.unit.name if i.unit else None for i in plural] == ["Các phòng CMNV Sở", None]
    assert plural[1].generic
    assert names(catalog, "Văn phòng Sở, Thanh tra") == ["Văn phòng Sở", "Thanh tra Sở"]


def test_seed_aliases_reach_units_stored_by_an_older_version() -> None:
    engine = create_engine("sqlite://")
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        session.add(Unit(name="Các đơn vị giáo dục", aliases=["trường THPT", "Trường chuyên X"]))
        session.commit()
        ensure_seed_units(session)
        session.commit()
        unit = session.exec(select(Unit).where(Unit.name == "Các đơn vị giáo dục")).one()
        assert "nhà trường" in unit.aliases and "Trường chuyên X" in unit.aliases
        assert len(unit.aliases) == len(set(unit.aliases))


def test_speller_fixes_swaps_and_leaves_real_words() -> None:
    speller = Speller(["nhiem", "vu", "theo", "ke", "hoach", "quan", "ly", "cchc"])
    assert speller.correct("ai chủ trì nihệm vụ 1 thoe kế hoạch") == (
        "ai chủ trì nhiem vụ 1 theo kế hoạch"
    )
    assert speller.correct("Qunả lý CHCC") == "quan lý cchc"
    # well-formed syllables the KB does not use are not rewritten ("học phí", "mầm non")
    assert speller.correct("học phí mầm non") == "học phí mầm non"
    assert is_syllable("nhiem") and not is_syllable("nihem") and not is_syllable("nheim")
