"""Small generic rules found by feeding unseen documents: each stated once, with its near
misses."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.ingest.deadlines import CATEGORY_BUDGET, CATEGORY_PLAN, category_of, find_rules
from knowledge.units import UnitCatalog


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("Nộp hồ sơ trước 17h00 ngày 20/4/2026.", date(2026, 4, 20)),
        ("gửi chậm nhất 16 giờ 30 phút ngày 05/5/2026", date(2026, 5, 5)),
        ("gửi về Văn phòng Sở chậm nhất ngày 20/4/2026.", date(2026, 4, 20)),
    ],
)
def test_a_time_of_day_before_the_date_is_read_through(text: str, due: date) -> None:
    assert [f.rule.due_date for f in find_rules(text)] == [due]


def test_the_unit_name_ke_hoach_tai_chinh_is_not_a_plan_to_send() -> None:
    sentence = "Phòng Kế hoạch - Tài chính xây dựng dự toán ngân sách năm 2027, gửi Sở Tài chính"
    assert category_of(sentence) == CATEGORY_BUDGET
    assert category_of("Các phòng gửi kế hoạch CCHC năm về Sở") == CATEGORY_PLAN


def test_comma_continued_unit_name_stays_whole() -> None:
    catalog = UnitCatalog.seeded()
    items = catalog.split_cell("Văn phòng Sở; Phòng Chính trị, tư tưởng")
    assert [i.text for i in items] == ["Văn phòng Sở", "Phòng Chính trị, tư tưởng"]
    # two known units separated by a comma are still two units
    items = catalog.split_cell("Văn phòng Sở, Thanh tra Sở")
    assert [i.unit.name for i in items if i.unit] == ["Văn phòng Sở", "Thanh tra Sở"]


def test_departments_and_units_of_the_department() -> None:
    items = UnitCatalog.seeded().split_cell("Các phòng, đơn vị thuộc Sở")
    assert [i.unit.name for i in items if i.unit] == ["Các phòng CMNV Sở", "Các đơn vị giáo dục"]


def test_a_learned_unit_answers_to_its_initials() -> None:
    catalog = UnitCatalog.seeded()
    learned = catalog.learn("Phòng Quản lý chất lượng", "x.md")
    assert catalog.resolve("Phòng QLCL") is learned and catalog.resolve("QLCL") is learned


def test_a_continued_row_loses_its_tiep_theo_marker() -> None:
    from knowledge.ingest.tables import _merge

    assert _merge("Tổ chức đối thoại", "(tiếp theo) tại Bộ phận một cửa") == (
        "Tổ chức đối thoại tại Bộ phận một cửa"
    )
    assert _merge("Rà soát", "tiếp tục cập nhật") == "Rà soát tiếp tục cập nhật"


def test_instructions_to_named_units_are_their_duties_and_deadlines(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from sqlmodel import select

    import handlers.models  # noqa: F401
    import jobs.models  # noqa: F401
    from knowledge.db import init_db, make_engine, read_session
    from knowledge.ingest.importer import import_paths
    from knowledge.models import Deadline, Responsibility, Unit

    engine = make_engine(f"sqlite:///{tmp_path / 'kb.db'}")
    init_db(engine)
    import_paths(engine, [Path(__file__).with_name("fixtures") / "cv-890-an-giang.txt"])
    with read_session(engine) as s:
        names = {s.get(Unit, r.unit_id).name for r in s.exec(select(Responsibility))}
        assert {"Văn phòng Sở", "Phòng Tổ chức cán bộ", "Phòng Kế hoạch - Tài chính"} <= names
        due = {d.title: d.due_date for d in s.exec(select(Deadline))}
    # "trước 17h00 ngày 10/11/2026", the unit dropped before the title is cut to a dozen words
    assert due["Cử công chức tham gia tổ rà soát, gửi danh sách về …"] == date(2026, 11, 10)
    assert due["Bố trí kinh phí thực hiện"] == date(2026, 12, 15)
    # the cited "Công văn số 111/UBND-KSTT ngày 28/10/2026" is no deadline
    assert date(2026, 10, 28) not in due.values()


def test_the_recipient_of_a_deadline_is_not_its_audience(tmp_path) -> None:
    """Under "3. Phòng Kế hoạch - Tài chính", "… gửi Văn phòng Sở trước ngày 15/7/2026" is
    KHTC's."""
    from sqlmodel import select

    from knowledge.db import init_db, make_engine, read_session
    from knowledge.ingest.importer import import_paths
    from knowledge.models import Deadline, DeadlineUnit, Unit

    doc = tmp_path / "kh-cchc-2026-tinh-moi.txt"
    doc.write_text(
        "UBND TỈNH LÂM ĐỒNG\nSỞ GIÁO DỤC VÀ ĐÀO TẠO\nSố: 45/KH-SGDĐT\n"
        "Lâm Đồng, ngày 12 tháng 01 năm 2026\n\nKẾ HOẠCH\nCải cách hành chính năm 2026\n\n"
        "II. TỔ CHỨC THỰC HIỆN\n1. Văn phòng Sở\n"
        "- Tổng hợp báo cáo quý gửi Sở Nội vụ trước ngày 12 của tháng cuối quý.\n"
        "2. Phòng Kế hoạch - Tài chính\n"
        "- Lập dự toán kinh phí CCHC năm 2027 gửi Văn phòng Sở trước ngày 15/7/2026.\n\n"
        "GIÁM ĐỐC\n\nNguyễn Văn An\n",
        encoding="utf-8",
    )
    engine = make_engine(f"sqlite:///{tmp_path / 'kb.db'}")
    init_db(engine)
    import_paths(engine, [doc])
    with read_session(engine) as s:
        audience = {
            dl.quote[:20]: sorted(
                u.name
                for u in s.exec(
                    select(Unit).join(DeadlineUnit).where(DeadlineUnit.deadline_id == dl.id)
                )
            )
            for dl in s.exec(select(Deadline))
        }
    assert audience == {
        "Tổng hợp báo cáo quý": ["Văn phòng Sở"],
        "Lập dự toán kinh phí": ["Phòng Kế hoạch - Tài chính"],
    }
