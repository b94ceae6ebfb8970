"""The answer engine on a small hand-made knowledge base: each intent, sources, honesty."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from knowledge.db import read_session
from knowledge.models import Unit
from knowledge.qa import answer_question, document_detail, list_documents, search_text, unit_duties
from tests.kb_fixture import build

TODAY = date(2026, 11, 22)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return build(tmp_path_factory.mktemp("kb") / "kb.db")


def ask(engine, question: str, **kw):  # type: ignore[no-untyped-def]
    with read_session(engine) as s:
        return answer_question(s, question, today=TODAY, **kw)


@pytest.mark.parametrize(
    "question",
    [
        "Phòng TCCB phụ trách gì?",
        "phong to chuc can bo lam gi",
        "PHÒNG TỔ CHỨC CÁN BỘ có nhiệm vụ gì",
    ],
)
def test_unit_duties_plan_in_force_first_then_lead_then_cooperate(engine, question: str) -> None:  # type: ignore[no-untyped-def]
    a = ask(engine, question)
    assert a.intent == "unit_duties"
    assert a.units[0].short == "TCCB"
    assert [t.role for t in a.tasks] == ["lead", "cooperate"]
    # the 2026-2030 plan is in force on TODAY: its duty comes before the expired 2025 plan's tasks
    in_force = a.text.index("Được phân công —")
    assert "đang áp dụng" in a.text[in_force : a.text.index("\n", in_force)]
    assert in_force < a.text.index("Chủ trì —") < a.text.index("Phối hợp —")
    assert "đã hết thời hạn" in a.text
    assert a.sources and "Nguồn:" in a.text


def test_my_unit_needs_a_unit_and_uses_the_hint(engine) -> None:  # type: ignore[no-untyped-def]
    a = ask(engine, "phòng tôi phụ trách gì")
    assert a.suggestions and "phòng" in a.text.lower()
    with read_session(engine) as s:
        khtc = s.exec(select(Unit).where(Unit.short_name == "KHTC")).one()
    b = ask(engine, "phòng tôi phụ trách gì", unit_id=khtc.id)
    assert b.units[0].short == "KHTC"
    assert "tài chính công" in b.text


@pytest.mark.parametrize(
    "question", ["ai chủ trì đo lường sự hài lòng?", "ai chu tri do luong su hai long"]
)
def test_who_leads(engine, question: str) -> None:  # type: ignore[no-untyped-def]
    a = ask(engine, question)
    assert a.intent == "who_leads"
    assert a.units[0].short == "TCCB"
    assert a.tasks[0].number == "2"


@pytest.mark.parametrize("question", ["hạn báo cáo quý?", "han bao cao quy"])
def test_deadline_next_occurrence_rule_and_quote(engine, question: str) -> None:  # type: ignore[no-untyped-def]
    a = ask(engine, question)
    assert a.intent == "deadline"
    assert a.deadlines[0].recurrence == "quarterly"
    assert a.deadlines[0].due == "2026-12-10"
    assert "10/12/2026" in a.text and "hằng quý" in a.text and "“" in a.text


def test_yearly_deadline_rolls_to_next_year(engine) -> None:  # type: ignore[no-untyped-def]
    a = ask(engine, "du tru kinh phi gui truoc ngay nao?")
    assert a.deadlines[0].due == "2027-01-25"


@pytest.mark.parametrize("question", ["văn bản 24/BCĐ-KSTTHC", "cong van 24/BCD-KSTTHC noi gi?"])
def test_cited_document_says_who_cites_it_and_what_is_asked(engine, question: str) -> None:  # type: ignore[no-untyped-def]
    a = ask(engine, question)
    assert a.intent == "document"
    assert "24/BCĐ-KSTTHC" in a.text
    assert "yêu cầu" in a.text and "VNeID" in a.text
    assert a.sources


def test_signer(engine) -> None:  # type: ignore[no-untyped-def]
    a = ask(engine, "ai ký kế hoạch 2026-2030?")
    assert a.intent == "signer"
    assert "Lương Văn Việt" in a.text


def test_figure(engine) -> None:  # type: ignore[no-untyped-def]
    a = ask(engine, "tỷ lệ hồ sơ trực tuyến 2026-2030 bao nhiêu?")
    assert a.intent == "figure"
    assert "85%" in a.text.split("\n")[1]


def test_nfd_input_answers_like_nfc(engine) -> None:  # type: ignore[no-untyped-def]
    q = "Ai chủ trì đo lường sự hài lòng?"
    assert ask(engine, unicodedata.normalize("NFD", q)).text == ask(engine, q).text


@pytest.mark.parametrize(
    "question", ["thời tiết hôm nay thế nào?", "giá vàng bao nhiêu", "   ", "???"]
)
def test_out_of_scope_invents_nothing(engine, question: str) -> None:  # type: ignore[no-untyped-def]
    a = ask(engine, question)
    assert a.intent == "not_found"
    assert not a.tasks and not a.deadlines and not a.sources
    assert "Bạn có thể hỏi" in a.text or "chưa nhập" in a.text


def test_entry_points(engine) -> None:  # type: ignore[no-untyped-def]
    with read_session(engine) as s:
        tccb = s.exec(select(Unit).where(Unit.short_name == "TCCB")).one()
        assert unit_duties(s, tccb.id, today=TODAY).units[0].short == "TCCB"
        docs = list_documents(s)
        assert len(docs.documents) == 3 and docs.sources
        card = document_detail(s, "kế hoạch 2026-2030")
        assert card.documents[0].kind == "kế hoạch" and "Lương Văn Việt" in card.text
        found = search_text(s, "định danh điện tử", today=TODAY)
        assert found.intent == "search" and "VNeID" in found.text and found.sources


def test_every_answer_names_its_sources(engine) -> None:  # type: ignore[no-untyped-def]
    for q in [
        "Phòng KHTC làm gì",
        "ai chủ trì số hoá hồ sơ",
        "hạn báo cáo năm",
        "nghị quyết 57",
        "ai ký công văn",
    ]:
        a = ask(engine, q)
        assert a.sources, q
        assert "Nguồn:" in a.text, q


_pieces = st.sampled_from(
    ["ai", "chủ trì", "hạn", "TCCB", "phòng", "24/BCĐ-KSTTHC", "nghị quyết", "131", "bao nhiêu",
     "%", "ký", "gì", "?", "2026-2030", "😀", "/", "'; DROP TABLE unit;--", "\u0301", "x" * 300]
)  # fmt: skip


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.one_of(st.text(max_size=200), st.lists(_pieces, max_size=12).map(" ".join)))
def test_any_input_gets_a_vietnamese_answer_and_no_exception(engine, question: str) -> None:  # type: ignore[no-untyped-def]
    a = ask(engine, question)
    assert a.text.strip()
    assert a.intent in {
        "unit_duties",
        "who_leads",
        "deadline",
        "document",
        "signer",
        "figure",
        "documents",
        "search",
        "not_found",
    }
    if a.intent != "not_found" and not a.suggestions:
        assert a.sources
