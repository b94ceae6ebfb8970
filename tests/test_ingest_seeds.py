"""Parser and importer on the five bundled documents: counts and specific rows."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

import knowledge.models  # noqa: F401  (tables)
from knowledge.db import read_session
from knowledge.deadlines import load_occurrences, occurrences_for_unit
from knowledge.models import (
    Deadline,
    DeadlineUnit,
    Document,
    DocumentKind,
    RecurrenceKind,
    Reference,
    Responsibility,
    Section,
    Task,
    TaskUnit,
    Unit,
    UnitRole,
)
from knowledge.recurrence import next_due
from knowledge.units import match_units

TODAY = date(2026, 11, 22)


@pytest.fixture(scope="module")
def engine(bundled_engine):  # type: ignore[no-untyped-def]
    return bundled_engine


@pytest.fixture()
def session(engine):  # type: ignore[no-untyped-def]
    with read_session(engine) as s:
        yield s


def doc(session: Session, source: str) -> Document:
    found = session.exec(select(Document).where(Document.source_file == source)).one()
    return found


def unit(session: Session, name: str) -> Unit:
    return session.exec(select(Unit).where(Unit.name == name)).one()


def task(session: Session, number: str) -> Task:
    d = doc(session, "kh-cchc-2025.txt")
    return session.exec(select(Task).where(Task.document_id == d.id, Task.number == number)).one()


def task_units(session: Session, t: Task, role: UnitRole) -> list[str]:
    links = session.exec(
        select(TaskUnit)
        .where(TaskUnit.task_id == t.id, TaskUnit.role == role)
        .order_by(TaskUnit.position)
    ).all()
    return [session.get(Unit, link.unit_id).name for link in links]  # type: ignore[union-attr]


def duties(session: Session, source: str, unit_name: str) -> list[Responsibility]:
    d = doc(session, source)
    u = unit(session, unit_name)
    return list(
        session.exec(
            select(Responsibility).where(
                Responsibility.document_id == d.id, Responsibility.unit_id == u.id
            )
        ).all()
    )


def deadlines(session: Session, source: str) -> list[Deadline]:
    d = doc(session, source)
    return list(session.exec(select(Deadline).where(Deadline.document_id == d.id)).all())


# -- headers ---------------------------------------------------------------------------------


def test_plan_2025_header(session: Session) -> None:
    d = doc(session, "kh-cchc-2025.txt")
    assert d.kind is DocumentKind.PLAN
    assert d.number == "/KH-SGDĐT"
    assert (d.issued_day, d.issued_month, d.issued_year) == (None, 1, 2025)
    assert d.date_text == "ngày tháng 01 năm 2025"
    assert d.province == "Hải Phòng" and d.place == "Hải Phòng"
    assert d.title == "Kế hoạch công tác CCHC năm 2025 của Sở GDĐT Hải Phòng"
    assert (d.period_start, d.period_end) == (2025, 2025)
    assert d.signer_name == "Phạm Quốc Hiệu"
    assert "Phó Giám đốc" in d.signer_title
    assert len(d.content_hash) == 64 and "DANH MỤC" in d.full_text


def test_plan_2026_2030_header_without_number_or_date(session: Session) -> None:
    d = doc(session, "kh-cchc-2026-2030.txt")
    assert d.kind is DocumentKind.PLAN
    assert d.number == "" and d.date_text == ""
    assert (d.period_start, d.period_end) == (2026, 2030)
    assert d.province == "Hải Phòng"
    assert d.title == (
        "Kế hoạch thực hiện Chương trình tổng thể CCHC giai đoạn 2026-2030 của Sở GDĐT thành phố "
        "Hải Phòng"
    )
    assert d.signer_name == "Lương Văn Việt" and d.signer_title == "Giám đốc"


def test_directive_binh_dinh_header(session: Session) -> None:
    d = doc(session, "cv-2022-binh-dinh-nq-131.txt")
    assert d.kind is DocumentKind.DIRECTIVE
    assert d.number == "/SGDDĐT-VP"
    assert d.province == "Bình Định"
    assert (d.issued_month, d.issued_year) == (11, 2022)
    assert d.subject == (
        "V/v triển khai thực hiện Nghị quyết số 131/NQ-CP ngày 06/10/2022 của Chính phủ trên địa "
        "bàn tỉnh"
    )
    assert d.title.startswith("Công văn V/v triển khai thực hiện Nghị quyết số 131/NQ-CP")
    assert (
        len(d.recipients) == 5
        and d.recipients[0] == "Trưởng các phòng chuyên môn nghiệp vụ thuộc Sở"
    )
    assert d.signer_name == "Phan Thanh Liêm"


def test_directive_2023_two_column_header_and_wrapped_subject(session: Session) -> None:
    d = doc(session, "cv-2023-tiep-tuc-nhiem-vu-chi-dao-cchc.txt")
    assert d.issuer_parent == "UBND thành phố Hải Phòng"
    assert d.issuer == "Sở Giáo dục và Đào tạo"
    assert d.number == "/SGDĐT-VP"
    assert d.date_text == "ngày tháng 02 năm 2023"
    assert d.subject == (
        "V/v tiếp tục thực hiện các nhiệm vụ chỉ đạo của thành viên Ban Chỉ đạo công tác CCHC "
        "của Chính phủ"
    )
    assert d.recipients == ["Trưởng các phòng cơ quan Sở"]
    assert d.signer_name == "Phạm Quốc Hiệu"


def test_directive_2025_partial_date(session: Session) -> None:
    d = doc(session, "cv-2025-trien-khai-ket-luan-bcd-cchc.txt")
    assert d.date_text == "ngày tháng năm 2025"
    assert (d.issued_day, d.issued_month, d.issued_year) == (None, None, 2025)
    assert d.subject.endswith("Phiên họp thứ chín ngày 15/01/2025")
    assert d.province == "Hải Phòng"
    assert len(d.recipients) == 5


# -- structure and tasks ---------------------------------------------------------------------


def test_sections_have_heading_paths(session: Session) -> None:
    d = doc(session, "kh-cchc-2025.txt")
    paths = {
        s.path: s for s in session.exec(select(Section).where(Section.document_id == d.id)).all()
    }
    assert {"I", "III.1.a", "III.1.đ", "V.2.a", "V.2.b", "V.2.g", "Phụ lục"} <= set(paths)
    assert paths["V.2.b"].heading == "Phòng Tổ chức Cán bộ"
    assert "to chuc can bo" in paths["V.2.b"].search_key
    d2 = doc(session, "kh-cchc-2026-2030.txt")
    paths2 = {
        s.path for s in session.exec(select(Section).where(Section.document_id == d2.id)).all()
    }
    assert {"II.1.a", "V.2.1", "V.2.2", "V.2.3"} <= paths2


def test_wrapped_pdf_lines_are_rejoined_without_page_numbers(session: Session) -> None:
    d = doc(session, "kh-cchc-2026-2030.txt")
    section = session.exec(
        select(Section).where(Section.document_id == d.id, Section.path == "V.2.2")
    ).one()
    assert "16" not in section.text.split()
    assert (
        "Chủ trì, phối hợp các cơ quan có liên quan tham mưu lãnh đạo Sở thực hiện, theo dõi"
        in section.text
    )
    target = session.exec(
        select(Section).where(Section.document_id == d.id, Section.path == "II.2.a")
    ).one()
    assert "Tỷ lệ hồ sơ giải quyết trực tuyến trên tổng số hồ sơ đạt tối thiểu 85%" in target.text


def test_plan_2025_has_18_tasks(session: Session) -> None:
    d = doc(session, "kh-cchc-2025.txt")
    tasks = session.exec(select(Task).where(Task.document_id == d.id).order_by(Task.ordinal)).all()
    assert [t.number for t in tasks] == [str(n) for n in range(1, 19)]
    assert all(t.section_path == "Phụ lục" for t in tasks)


def test_task_10_continued_after_page_break_is_whole(session: Session) -> None:
    t = task(session, "10")
    assert t.content == (
        "Mức độ hài lòng của người dân, doanh nghiệp về giải quyết TTHC đạt trên 90%; tỷ lệ hồ "
        "sơ TTHC do các cơ quan, đơn vị, địa phương tiếp nhận trong năm được giải quyết trước và "
        "đúng hạn đạt trên 90%"
    )
    assert t.lead_text == "Văn phòng Sở"
    assert t.due_text == "Cả năm 2025"
    assert t.product == "Báo cáo kết quả thực hiện (Báo cáo kiểm soát TTHC năm)."
    assert task_units(session, t, UnitRole.LEAD) == ["Văn phòng Sở"]
    assert "Phòng Khảo thí và Kiểm định chất lượng giáo dục" in task_units(
        session, t, UnitRole.COOPERATE
    )


def test_task_14_is_whole(session: Session) -> None:
    t = task(session, "14")
    assert t.content == (
        "Tiếp tục đổi mới hệ thống tổ chức và quản lý, nâng cao chất lượng, hiệu quả hoạt động "
        "của các đơn vị sự nghiệp công lập trên địa bàn thành phố."
    )
    assert t.due_text == "Cả năm 2025"
    assert task_units(session, t, UnitRole.LEAD) == ["Phòng Tổ chức cán bộ"]


def test_task_13_led_by_tccb(session: Session) -> None:
    assert task_units(session, task(session, "13"), UnitRole.LEAD) == ["Phòng Tổ chức cán bộ"]


def test_task_1_led_by_vp_with_deadline(session: Session) -> None:
    t = task(session, "1")
    assert task_units(session, t, UnitRole.LEAD) == ["Văn phòng Sở"]
    linked = session.exec(select(Deadline).where(Deadline.task_id == t.id)).one()
    assert linked.rule_kind is RecurrenceKind.ONCE and linked.due_date == date(2025, 1, 15)


def test_task_5_cooperators_split_generic_phrase(session: Session) -> None:
    t = task(session, "5")
    cooperators = task_units(session, t, UnitRole.COOPERATE)
    assert cooperators == [
        "Phòng Tổ chức cán bộ",
        "Phòng Giáo dục Thường xuyên và Đại học",
        "Phòng Giáo dục Trung học",
        "Phòng Khảo thí và Kiểm định chất lượng giáo dục",
        "Phòng Kế hoạch - Tài chính",
    ]
    names = [u.name for u in session.exec(select(Unit)).all()]
    assert not any(
        n.lower().startswith(("kế hoạch tài chính", "phòng kế hoạch tài chính các")) for n in names
    )
    assert "<u>" not in t.cooperate_text


def test_only_addressed_groups_are_learned_from_seeds(session: Session) -> None:
    """Every unit of the seeds is built in, except the group of local bodies the 2026-2030 plan
    addresses (read by the general rule in knowledge.ingest.collectives)."""
    learned = [
        (u.name, u.is_collective)
        for u in session.exec(select(Unit).where(Unit.learned_from != "")).all()
    ]
    assert learned == [("UBND các xã, phường, đặc khu", True)]


# -- responsibilities ------------------------------------------------------------------------


def test_responsibilities_2025(session: Session) -> None:
    vp = duties(session, "kh-cchc-2025.txt", "Văn phòng Sở")
    assert len(vp) == 13 and all(r.section_path == "V.2.a" for r in vp)
    assert vp[0].text.startswith(
        "Chủ trì, phối hợp với các phòng thuộc Sở GDĐT xây dựng kế hoạch CCHC"
    )
    tccb = duties(session, "kh-cchc-2025.txt", "Phòng Tổ chức cán bộ")
    assert len(tccb) == 5
    assert "+ Cải cách tổ chức bộ máy hành chính" in tccb[1].text  # "+" sub-bullets folded in
    assert "+ Cải cách chế độ công vụ" in tccb[1].text
    assert len(duties(session, "kh-cchc-2025.txt", "Phòng Kế hoạch - Tài chính")) == 3
    assert len(duties(session, "kh-cchc-2025.txt", "Thanh tra Sở")) == 4
    assert len(duties(session, "kh-cchc-2025.txt", "Phòng GDĐT quận, huyện")) == 2
    edu = duties(session, "kh-cchc-2025.txt", "Các đơn vị giáo dục")
    assert len(edu) == 4 and edu[-1].text.endswith("kèm theo Kế hoạch này.")


def test_responsibilities_2026_2030(session: Session) -> None:
    vp = duties(session, "kh-cchc-2026-2030.txt", "Văn phòng Sở")
    assert len(vp) == 10 and vp[0].section_path == "V.2.1"
    assert vp[0].text.startswith("Hướng dẫn, đôn đốc, theo dõi, kiểm tra các phòng, đơn vị")
    khtc = duties(session, "kh-cchc-2026-2030.txt", "Phòng Kế hoạch - Tài chính")
    assert len(khtc) == 2 and "cải cách tài chính công" in khtc[0].text
    tccb = duties(session, "kh-cchc-2026-2030.txt", "Phòng Tổ chức cán bộ")
    assert len(tccb) == 2
    assert not any("Trên đây là Kế hoạch" in r.text for r in tccb)


def test_directive_responsibility_lead_and_cooperator(session: Session) -> None:
    khtc = duties(session, "cv-2022-binh-dinh-nq-131.txt", "Phòng Kế hoạch - Tài chính")
    assert len(khtc) == 1
    assert khtc[0].text.startswith(
        "Trưởng các Phòng Kế hoạch - Tài chính chủ trì phối hợp với Văn phòng Sở"
    )
    vp = duties(session, "cv-2022-binh-dinh-nq-131.txt", "Văn phòng Sở")
    assert [r.text for r in vp] == [khtc[0].text]


# -- deadlines ---------------------------------------------------------------------------------


def test_meeting_and_cited_document_dates_are_not_deadlines(session: Session) -> None:
    assert deadlines(session, "cv-2025-trien-khai-ket-luan-bcd-cchc.txt") == []
    assert deadlines(session, "cv-2022-binh-dinh-nq-131.txt") == []
    every = session.exec(select(Deadline)).all()
    assert not any("Phiên họp" in d.quote for d in every)
    assert not any(d.due_date == date(2024, 12, 22) for d in every)


def test_plan_2025_deadlines_and_recurrence(session: Session) -> None:
    found = {d.title: d for d in deadlines(session, "kh-cchc-2025.txt")}
    plan = found["Gửi kế hoạch CCHC năm về Sở"]
    assert plan.rule_kind is RecurrenceKind.YEARLY and (plan.month, plan.day) == (1, 15)
    assert plan.valid_from_year == 2025 and plan.valid_to_year is None
    assert "trước ngày 15/01/2025" in plan.quote
    assert next_due(plan, TODAY) == date(2027, 1, 15)
    edu = unit(session, "Các đơn vị giáo dục")
    assert [
        link.unit_id
        for link in session.exec(select(DeadlineUnit).where(DeadlineUnit.deadline_id == plan.id))
    ] == [edu.id]

    budget = found["Dự trù kinh phí thực hiện nhiệm vụ CCHC"]
    assert budget.rule_kind is RecurrenceKind.YEARLY and next_due(budget, TODAY) == date(
        2027, 1, 25
    )

    quarterly = found["Báo cáo quý kết quả CCHC"]
    assert quarterly.rule_kind is RecurrenceKind.QUARTERLY
    assert (quarterly.day, quarterly.month_in_period) == (10, 3) and quarterly.all_units
    half = found["Báo cáo 6 tháng kết quả CCHC"]
    assert half.rule_kind is RecurrenceKind.HALF_YEARLY and (half.day, half.month_in_period) == (
        10,
        6,
    )
    yearly = found["Báo cáo năm kết quả CCHC"]
    assert yearly.rule_kind is RecurrenceKind.YEARLY and (yearly.day, yearly.month) == (10, 12)
    assert yearly.all_units
    assert len(found) == 6


def test_quarterly_occurrences_in_2027(session: Session) -> None:
    occurrences = load_occurrences(session, date(2027, 1, 1), date(2027, 12, 31))
    quarterly = [o.due for o in occurrences if o.title == "Báo cáo quý kết quả CCHC"]
    assert quarterly == [
        date(2027, 3, 10),
        date(2027, 6, 10),
        date(2027, 9, 10),
        date(2027, 12, 10),
    ]
    assert occurrences == sorted(occurrences, key=lambda o: (o.due, o.deadline_id))
    assert all(o.document_title.startswith("Kế hoạch công tác CCHC") for o in occurrences)


def test_occurrences_for_unit(session: Session) -> None:
    edu = unit(session, "Các đơn vị giáo dục")
    vp = unit(session, "Văn phòng Sở")
    window = (TODAY, date(2027, 2, 1))
    edu_titles = {o.title for o in occurrences_for_unit(session, edu.id, *window)}
    vp_titles = {o.title for o in occurrences_for_unit(session, vp.id, *window)}
    assert "Gửi kế hoạch CCHC năm về Sở" in edu_titles
    assert "Gửi kế hoạch CCHC năm về Sở" not in vp_titles
    assert "Báo cáo quý kết quả CCHC" in vp_titles  # all-unit deadline
    assert {o.title for o in occurrences_for_unit(session, None, *window)} <= vp_titles


# -- references ------------------------------------------------------------------------------


def refs(session: Session, source: str) -> dict[str, Reference]:
    d = doc(session, source)
    out: dict[str, Reference] = {}
    for r in session.exec(
        select(Reference).where(Reference.document_id == d.id).order_by(Reference.ordinal)
    ):
        out.setdefault(r.code, r)
    return out


def test_references(session: Session) -> None:
    cv25 = refs(session, "cv-2025-trien-khai-ket-luan-bcd-cchc.txt")
    assert cv25["24/BCĐ-KSTTHC"].doc_type == "Văn bản"
    assert cv25["24/BCĐ-KSTTHC"].issued_on == date(2025, 2, 20)
    assert cv25["24/BCĐ-KSTTHC"].code_key == "24/bcd-kstthc"
    assert cv25["57-NQ/TW"].issued_on == date(2024, 12, 22)
    assert cv25["01/NQ-CP"].issued_on == cv25["02/NQ-CP"].issued_on == date(2025, 1, 8)
    assert cv25["03/NQ-CP"].issued_on == date(2025, 1, 9)
    assert cv25["01/NQ-CP"].doc_type == cv25["02/NQ-CP"].doc_type == "Nghị quyết"
    cv22 = refs(session, "cv-2022-binh-dinh-nq-131.txt")
    assert cv22["131/NQ-CP"].doc_type == "Nghị quyết" and cv22["131/NQ-CP"].issued_on == date(
        2022, 10, 6
    )
    assert cv22["6958/UBND-KSTT"].doc_type == "Công văn"
    cv23 = refs(session, "cv-2023-tiep-tuc-nhiem-vu-chi-dao-cchc.txt")
    assert cv23["47/2020/NĐ-CP"].doc_type == "Nghị định"
    assert {"18-NQ/TW", "19-NQ/TW", "502/UBND-KSTTHC", "2256/BC-TTCP"} <= set(cv23)
    kh = refs(session, "kh-cchc-2026-2030.txt")
    assert "45-NQ/TW" in kh  # split over a line break in the PDF text
    assert kh["76/NQ-CP"].date_text == "ngày 15 tháng 7 năm 2021"


# -- units ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("to chuc can bo", "Phòng Tổ chức cán bộ"),
        ("tccb", "Phòng Tổ chức cán bộ"),
        ("phong TCCB", "Phòng Tổ chức cán bộ"),
        ("Phòng TCCB phụ trách gì?", "Phòng Tổ chức cán bộ"),
        ("ke hoach tai chinh", "Phòng Kế hoạch - Tài chính"),
        ("KHTC", "Phòng Kế hoạch - Tài chính"),
        ("văn phòng", "Văn phòng Sở"),
        ("thanh tra", "Thanh tra Sở"),
        ("GDTX&DH", "Phòng Giáo dục Thường xuyên và Đại học"),
        ("phong giao duc trung hoc", "Phòng Giáo dục Trung học"),
    ],
)
def test_match_units_ranks_right_unit_first(session: Session, query: str, expected: str) -> None:
    ranked = match_units(session, query)
    assert ranked and ranked[0][0].name == expected
    assert 0 <= ranked[0][1] <= 100


def test_collective_deadline_reaches_member_departments(session: Session) -> None:
    tccb = unit(session, "Phòng Tổ chức cán bộ")
    district = unit(session, "Phòng GDĐT quận, huyện")
    window = (TODAY, date(2027, 2, 1))
    assert "Dự trù kinh phí thực hiện nhiệm vụ CCHC" in {
        o.title for o in occurrences_for_unit(session, tccb.id, *window)
    }
    assert "Dự trù kinh phí thực hiện nhiệm vụ CCHC" not in {
        o.title for o in occurrences_for_unit(session, district.id, *window)
    }
