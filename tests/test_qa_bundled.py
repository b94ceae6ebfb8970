"""The answer engine over the real import of data/documents (a real SQLite file)."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from knowledge.db import read_session
from knowledge.normalize import fold, strip_diacritics
from knowledge.qa import answer_question, document_detail, list_documents, search_text, unit_duties

TODAY = date(2026, 11, 22)


@pytest.fixture(scope="module")
def engine(bundled_engine):  # type: ignore[no-untyped-def]
    return bundled_engine


def ask(engine, q: str, **kw):  # type: ignore[no-untyped-def]
    with read_session(engine) as s:
        return answer_question(s, q, today=TODAY, **kw)


def variants(q: str) -> list[str]:
    """The question as typed, without diacritics, and in NFD."""
    return [q, strip_diacritics(q), unicodedata.normalize("NFD", q)]


def _has(text: str, needle: str) -> bool:
    return fold(needle) in fold(text)


@pytest.mark.parametrize(
    "q", variants("Phòng TCCB phụ trách gì?") + ["phong to chuc can bo lam gi"]
)
def test_unit_duties(engine, q: str) -> None:  # type: ignore[no-untyped-def]
    a = ask(engine, q)
    assert a.intent == "unit_duties"
    assert _has(a.units[0].name, "tổ chức cán bộ")
    roles = [t.role for t in a.tasks]
    assert "lead" in roles and "cooperate" in roles
    assert {t.number for t in a.tasks if t.role == "lead"} >= {"2", "13", "14", "15", "16"}
    # The plan in force (2026-2030) first; then the expired 2025 plan, labelled, with its
    # leads, then cooperation, then duty bullets.
    full = "\n".join([a.text, *a.more])
    assert full.index("2026-2030, đang áp dụng") < full.index("năm 2025, đã hết thời hạn")
    old_plan = full[full.index("năm 2025, đã hết thời hạn") - 60 :]
    assert (
        old_plan.index("Chủ trì —")
        < old_plan.index("Phối hợp —")
        < old_plan.index("Được phân công —")
    )
    assert len(a.text) <= 1500 and a.more and "Xem thêm" in a.text
    assert a.sources


@pytest.mark.parametrize("q", variants("Ai chủ trì đo lường sự hài lòng?"))
def test_who_leads(engine, q: str) -> None:  # type: ignore[no-untyped-def]
    a = ask(engine, q)
    assert a.intent == "who_leads"
    assert _has(a.units[0].name, "tổ chức cán bộ")
    assert a.tasks[0].number == "2"
    assert a.sources


@pytest.mark.parametrize("q", variants("Hạn báo cáo quý?"))
def test_quarterly_report_deadline(engine, q: str) -> None:  # type: ignore[no-untyped-def]
    a = ask(engine, q)
    assert a.intent == "deadline"
    first = a.deadlines[0]
    assert (first.due, first.recurrence) == ("2026-12-10", "quarterly")
    assert "10/12/2026" in a.text and "hằng quý" in a.text
    assert "10 tháng cuối của quý" in a.text  # the quoted wording


@pytest.mark.parametrize(
    "q,due",
    [
        ("Dự trù kinh phí gửi trước ngày nào?", "2027-01-25"),
        ("Hạn gửi kế hoạch CCHC của đơn vị về Sở?", "2027-01-15"),
    ],
)
def test_yearly_deadlines_roll_over(engine, q: str, due: str) -> None:  # type: ignore[no-untyped-def]
    for variant in variants(q):
        a = ask(engine, variant)
        assert a.deadlines[0].due == due and a.deadlines[0].recurrence == "yearly", variant


@pytest.mark.parametrize("q", variants("Văn bản 24/BCĐ-KSTTHC nói gì?") + ["nghi quyet 131"])
def test_cited_document(engine, q: str) -> None:  # type: ignore[no-untyped-def]
    a = ask(engine, q)
    assert a.intent == "document"
    assert "24/BCĐ-KSTTHC" in a.text or "131/NQ-CP" in a.text
    assert a.documents and a.sources


@pytest.mark.parametrize("q", variants("Ai ký kế hoạch giai đoạn 2026-2030?"))
def test_signer(engine, q: str) -> None:  # type: ignore[no-untyped-def]
    a = ask(engine, q)
    assert a.intent == "signer" and "Lương Văn Việt" in a.text and a.sources


@pytest.mark.parametrize("q", variants("Tỷ lệ hồ sơ trực tuyến 2026-2030 bao nhiêu?"))
def test_figure(engine, q: str) -> None:  # type: ignore[no-untyped-def]
    a = ask(engine, q)
    assert a.intent == "figure"
    first_item = a.text.split("\n")[1]
    assert "85%" in first_item and a.sources


@pytest.mark.parametrize("q", variants("Dịch vụ bưu chính công ích"))
def test_free_text_search(engine, q: str) -> None:  # type: ignore[no-untyped-def]
    a = ask(engine, q)
    assert a.intent == "search" and _has(a.text, "bưu chính công ích") and a.sources


@pytest.mark.parametrize(
    "q",
    [
        "Thời tiết hôm nay thế nào?",
        "thoi tiet hom nay the nao",
        "giá vàng bao nhiêu",
        "cách nấu phở",
    ],
)
def test_out_of_scope(engine, q: str) -> None:  # type: ignore[no-untyped-def]
    a = ask(engine, q)
    assert a.intent == "not_found"
    assert "không tìm thấy" in a.text and "Bạn có thể hỏi" in a.text
    assert not (a.tasks or a.deadlines or a.documents or a.sources)


def test_unknown_cited_number_is_not_invented(engine) -> None:  # type: ignore[no-untyped-def]
    a = ask(engine, "nghị quyết 999/NQ-CP")
    assert a.intent == "not_found" and "999" in a.text


def test_every_answer_has_sources_and_fits_a_phone(engine) -> None:  # type: ignore[no-untyped-def]
    questions = [
        "Văn phòng Sở phụ trách gì?", "Thanh tra Sở làm gì", "ai chủ trì số hoá hồ sơ?",
        "báo cáo năm gửi trước ngày nào", "nghị quyết 57", "ai ký công văn Bình Định",
        "mức độ hài lòng về giáo dục công lập", "chuyển đổi số", "bot có những văn bản nào?",
    ]  # fmt: skip
    for q in questions:
        a = ask(engine, q)
        assert a.sources, q
        assert "Nguồn:" in a.text, q
        assert len(a.text) <= 1500, q
        for page in a.more:
            assert "Nguồn:" in page, q


def test_entry_points(engine) -> None:  # type: ignore[no-untyped-def]
    with read_session(engine) as s:
        tccb = ask(engine, "TCCB").units[0]
        from sqlmodel import select

        from knowledge.models import Unit

        unit = s.exec(select(Unit).where(Unit.name == tccb.name)).one()
        duties = unit_duties(s, unit.id, today=TODAY)
        assert duties.intent == "unit_duties" and duties.tasks
        docs = list_documents(s)
        assert len(docs.documents) == 5
        card = document_detail(s, "kế hoạch CCHC năm 2025")
        assert card.documents[0].kind == "kế hoạch" and "Phạm Quốc Hiệu" in card.text
        found = search_text(s, "định danh điện tử VNeID", today=TODAY)
        assert "VNeID" in found.text and found.sources


def test_my_unit_uses_the_hint(engine) -> None:  # type: ignore[no-untyped-def]
    with read_session(engine) as s:
        from sqlmodel import select

        from knowledge.models import Unit

        khtc = next(
            u for u in s.exec(select(Unit)) if fold(u.name) == fold("Phòng Kế hoạch - Tài chính")
        )
    a = ask(engine, "phòng tôi phụ trách gì?", unit_id=khtc.id)
    assert a.intent == "unit_duties" and a.units[0].name == khtc.name
    assert ask(engine, "phòng tôi phụ trách gì?").suggestions


def test_close_units_are_offered_as_choices(engine) -> None:  # type: ignore[no-untyped-def]
    a = ask(engine, "phòng giáo dục làm gì?")
    assert a.intent == "unit_duties" and "Bạn hỏi đơn vị nào" in a.text
    names = {s.label for s in a.suggestions}
    assert {"Phòng Giáo dục Trung học", "Phòng Giáo dục Thường xuyên và Đại học"} <= names
    chosen = ask(engine, "phong ke hoach lam gi")
    assert chosen.units[0].name == "Phòng Kế hoạch - Tài chính" and "Tôi hiểu là" in chosen.text


def test_unknown_unit_is_said_not_invented(engine) -> None:  # type: ignore[no-untyped-def]
    a = ask(engine, "Phòng Quản lý chất lượng làm gì?")
    assert "không thấy đơn vị «Phòng Quản lý chất lượng»" in a.text
    assert not a.units and not a.tasks
