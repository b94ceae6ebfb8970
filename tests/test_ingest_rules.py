"""Small pure parts of ingestion: deadline language, re-joining wrapped lines, unit cells,
headers."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.ingest.deadlines import find_rules
from knowledge.ingest.header import parse_header
from knowledge.ingest.readers import _text_blocks
from knowledge.ingest.references import find_references
from knowledge.ingest.tables import tasks_from_rows
from knowledge.ingest.text import marker_of, rejoin, strip_markup
from knowledge.models import RecurrenceKind
from knowledge.units import UnitCatalog


def kinds(text: str, **kw: bool) -> list[tuple]:
    return [
        (f.rule.kind, f.rule.due_date, f.rule.month, f.rule.day, f.rule.month_in_period)
        for f in find_rules(text, **kw)
    ]


def test_report_sentence_gives_three_rules() -> None:
    text = (
        "báo cáo quý, 6 tháng gửi trước ngày 10 tháng cuối của quý, báo cáo năm gửi trước ngày "
        "10/12"
    )
    assert kinds(text) == [
        (RecurrenceKind.QUARTERLY, None, None, 10, 3),
        (RecurrenceKind.HALF_YEARLY, None, None, 10, 6),
        (RecurrenceKind.YEARLY, None, 12, 10, None),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Hằng tháng, trước ngày 20, các phòng gửi báo cáo",
            (RecurrenceKind.MONTHLY, None, None, 20, None),
        ),
        ("gửi trước ngày 5 hằng tháng", (RecurrenceKind.MONTHLY, None, None, 5, None)),
        (
            "hoàn thành trong Quý II/2026",
            (RecurrenceKind.ONCE, date(2026, 6, 30), None, None, None),
        ),
        (
            "chậm nhất ngày 30/6/2026 phải trình",
            (RecurrenceKind.ONCE, date(2026, 6, 30), None, None, None),
        ),
        (
            "chậm nhất là ngày 05 tháng 3 năm 2026",
            (RecurrenceKind.ONCE, date(2026, 3, 5), None, None, None),
        ),
        (
            "Thời hạn hoàn thành: 31/3/2026.",
            (RecurrenceKind.ONCE, date(2026, 3, 31), None, None, None),
        ),
        (
            "gửi về Sở trước ngày 15/01/2025.",
            (RecurrenceKind.ONCE, date(2025, 1, 15), None, None, None),
        ),
    ],
)
def test_deadline_language(text: str, expected: tuple) -> None:
    assert kinds(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Kết luận của Ban Chỉ đạo tại Phiên họp thứ chín ngày 15/01/2025",
        "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị",
        "Thực hiện Văn bản số 24/BCĐ-KSTTHC ngày 20/02/2025",
        "Cả năm 2025",
        "giai đoạn 2026 - 2030, từ Quý II/2026",
    ],
)
def test_not_deadlines(text: str) -> None:
    assert find_rules(text) == []


def test_time_cells() -> None:
    assert kinds("Trước ngày 15/01/2025", cue_optional=True)[0][1] == date(2025, 1, 15)
    assert kinds("Tháng 9/2026", cue_optional=True)[0][1] == date(2026, 9, 30)
    assert kinds("31/12/2026", cue_optional=True)[0][1] == date(2026, 12, 31)
    assert kinds("Cả năm 2025", cue_optional=True) == []
    assert kinds("Thường xuyên", cue_optional=True) == []


def test_rejoin_hard_wrapped_pdf_text() -> None:
    lines = [
        "1. Mục đích ",
        "",
        "Thực hiện tốt mục tiêu chung được Chính phủ đề ra tại Nghị quyết số ",
        "",
        "76/NQ-CP ngày 15/7/2021 của Chính phủ. ",
        "",
        "- Gắn mục tiêu với Nghị quyết số 45- ",
        "",
        "8 ",
        "",
        "NQ/TW ngày 24/01/2019 của Bộ Chính trị và ",
        "",
        "Hải Phòng đến năm 2030. ",
        "+ Rà soát văn bản ",
        "a) Mục tiêu ",
        " Tiếp tục rà soát chức năng",
    ]
    assert rejoin(lines) == [
        "1. Mục đích",
        "Thực hiện tốt mục tiêu chung được Chính phủ đề ra tại Nghị quyết số 76/NQ-CP ngày "
        "15/7/2021 của Chính phủ.",
        "- Gắn mục tiêu với Nghị quyết số 45-NQ/TW ngày 24/01/2019 của Bộ Chính trị và Hải Phòng "
        "đến năm 2030.",
        "+ Rà soát văn bản",
        "a) Mục tiêu",
        "Tiếp tục rà soát chức năng",
    ]
    assert rejoin(["Dòng một", "Dòng hai"], wrapped=False) == ["Dòng một", "Dòng hai"]


def test_markers_and_markup() -> None:
    assert marker_of("2.1. Văn phòng Sở").label == "2.1"  # type: ignore[union-attr]
    assert marker_of("đ) Đề xuất").kind == "letter"  # type: ignore[union-attr]
    assert marker_of("IV. KINH PHÍ").kind == "roman"  # type: ignore[union-attr]
    assert marker_of("100% hồ sơ") is None
    assert strip_markup("<u>Giáo dục</u> Trung học; ***trước ngày 15/01/2025***") == (
        "Giáo dục Trung học; trước ngày 15/01/2025"
    )


def test_unit_cell_split_uses_longest_known_prefix() -> None:
    catalog = UnitCatalog.seeded()
    items = catalog.split_cell("Kế hoạch tài chính các cơ quan, tổ chức có liên quan")
    assert [(i.text, i.unit.name if i.unit else None, i.generic) for i in items] == [
        ("Kế hoạch tài chính", "Phòng Kế hoạch - Tài chính", False),
        ("các cơ quan, tổ chức có liên quan", None, True),
    ]
    items = catalog.split_cell("Các phòng CMNV Sở, Phòng GDĐT quận, huyện, các đơn vị giáo dục")
    assert [i.unit.name for i in items if i.unit] == [
        "Các phòng CMNV Sở",
        "Phòng GDĐT quận, huyện",
        "Các đơn vị giáo dục",
    ]
    assert catalog.resolve("Phòng Kế hoạch- Tài chính").name == "Phòng Kế hoạch - Tài chính"  # type: ignore[union-attr]
    learned = catalog.learn("Quản lý chất lượng", "x.md")
    assert learned.name == "Phòng Quản lý chất lượng" and learned.is_new
    assert catalog.resolve("quan ly chat luong") is learned


def test_table_continuation_and_repeated_header() -> None:
    header = (
        "TT",
        "Nội dung công việc",
        "Đơn vị chủ trì",
        "Đơn vị phối hợp",
        "Thời gian thực hiện",
    )
    part1 = [
        header,
        ("1.", "Việc một", "Văn phòng", "", "Cả năm"),
        ("2.", "Việc hai bị", "TCCB", "", "Cả năm"),
    ]
    part2 = [header, ("", "ngắt trang", "", "", "2025"), ("3.", "Việc ba", "Thanh tra", "", "")]
    warnings: list[str] = []
    tasks = tasks_from_rows([(part1, "Phụ lục"), (part2, "Phụ lục")], warnings)
    assert [(t.number, t.content, t.due_text) for t in tasks] == [
        ("1", "Việc một", "Cả năm"),
        ("2", "Việc hai bị ngắt trang", "Cả năm 2025"),
        ("3", "Việc ba", ""),
    ]


def test_header_number_shares_line_with_place() -> None:
    blocks = _text_blocks(
        "UBND TỈNH AN GIANG          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO          Độc lập - Tự do - Hạnh phúc\n"
        "Số: 15/SGDĐT-VP          An Giang, ngày 03 tháng 4 năm 2026\n"
        "V/v tăng cường kỷ luật\nhành chính\n\n"
        "Kính gửi: Các phòng thuộc Sở; các đơn vị trực thuộc.\n\n"
        "Sở Giáo dục và Đào tạo đề nghị các đơn vị thực hiện nghiêm.\n"
    )
    header = parse_header(blocks)
    assert header.number == "15/SGDĐT-VP"
    assert (
        header.issuer_parent == "UBND tỉnh An Giang" and header.issuer == "Sở Giáo dục và Đào tạo"
    )
    assert (header.place, header.issued_day, header.issued_month, header.issued_year) == (
        "An Giang",
        3,
        4,
        2026,
    )
    assert header.subject == "V/v tăng cường kỷ luật hành chính"
    assert header.recipients == ["Các phòng thuộc Sở", "các đơn vị trực thuộc"]
    assert header.title == "Công văn số 15/SGDĐT-VP V/v tăng cường kỷ luật hành chính"


def test_references_share_date_in_a_list() -> None:
    refs = find_references(
        "các Nghị quyết số 01/NQ-CP, 02/NQ-CP ngày 08/01/2025 của Chính phủ", ""
    )
    assert [(r.code, r.doc_type, r.issued_on) for r in refs] == [
        ("01/NQ-CP", "Nghị quyết", date(2025, 1, 8)),
        ("02/NQ-CP", "Nghị quyết", date(2025, 1, 8)),
    ]


def test_deadline_titles_and_audience_in_an_unseen_plan() -> None:
    from knowledge.ingest.parser import parse_document
    from knowledge.ingest.readers import RawDocument

    text = (
        "KẾ HOẠCH\n"
        "Công tác CCHC năm 2026\n\n"
        "I. NHIỆM VỤ\n"
        "1. Văn phòng Sở hoàn thiện dự thảo Quy chế làm việc trước ngày 30/9/2026.\n"
        "2. Các đơn vị gửi báo cáo sơ kết 6 tháng đầu năm về Sở trước ngày 20/6/2026.\n"
        "3. Thời hạn hoàn thành trước ngày 15 tháng 10 năm 2026 đối với việc rà soát TTHC nội "
        "bộ.\n"
    )
    parsed = parse_document(
        RawDocument("x.txt", text.encode(), _text_blocks(text)), UnitCatalog.seeded()
    )
    got = [(d.title, d.rule.kind, d.unit_names, d.all_units) for d in parsed.deadlines]
    assert got == [
        ("Hoàn thiện dự thảo Quy chế làm việc", RecurrenceKind.ONCE, ["Văn phòng Sở"], False),
        (
            "Báo cáo 6 tháng kết quả CCHC",
            RecurrenceKind.YEARLY,
            [],
            True,
        ),  # a plan's report recurs
        ("Rà soát TTHC nội bộ", RecurrenceKind.ONCE, [], False),
    ]


def test_header_from_single_spaced_pdf_columns() -> None:
    """pypdf often puts both header columns on one line with single spaces."""
    blocks = _text_blocks(
        "UBND TỈNH KHÁNH HÒA CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO Độc lập - Tự do - Hạnh phúc\n"
        "Số: 12/SGDĐT-VP Khánh Hòa, ngày 3 tháng 4 năm 2026\n"
        "V/v triển khai Kết luận của Ban Chỉ đạo\n"
        "Kính gửi: Các phòng thuộc Sở.\n"
        "Thực hiện Công văn số 1/UBND ngày 1/1/2026.\n"
    )
    header = parse_header(blocks)
    assert header.number == "12/SGDĐT-VP"
    assert (header.place, header.issued_day) == ("Khánh Hòa", 3)
    assert header.subject == "V/v triển khai Kết luận của Ban Chỉ đạo"
    assert (header.issuer_parent, header.issuer) == (
        "UBND tỉnh Khánh Hòa",
        "Sở Giáo dục và Đào tạo",
    )
    assert header.province == "Khánh Hòa"
