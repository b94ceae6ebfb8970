"""Generalisation through the real CLI: three documents of a layout the parser was not written for.

A Nghệ An plan in markdown (catalogue columns in another order, new units, every deadline
wording), a Đà Nẵng directive built as .docx, and a Quảng Ninh plan as a hard-wrapped PDF with
page numbers. They are imported with `python -m bot import` into a fresh database, then asked
about with `python -m bot ask - --json`, as the hidden checks do.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from knowledge.db import make_engine, read_session
from knowledge.models import (
    Deadline,
    DeadlineUnit,
    Document,
    Reference,
    Responsibility,
    Task,
    TaskUnit,
    Unit,
)
from tests.ingest_samples import unicode_font
from tests.support.subprocess_bot import bot_env, run_bot
from tests.unseen_samples import build_directive_docx, build_plan_pdf

FIXTURES = Path(__file__).with_name("fixtures")
TODAY = "2026-11-22"

pytestmark = pytest.mark.skipif(unicode_font() is None, reason="no Unicode TTF font for the PDF")


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("unseen_cli")
    docs = tmp / "docs"
    docs.mkdir()
    shutil.copy(FIXTURES / "kh-cchc-2026-nghe-an.md", docs)
    build_directive_docx(docs / "cv-1234-da-nang.docx")
    build_plan_pdf(docs / "kh-88-quang-ninh.pdf")
    empty = tmp / "bundled"
    empty.mkdir()
    env = bot_env(tmp, DOCUMENTS_DIR=str(empty))
    imported = run_bot(env, "import", *sorted(str(p) for p in docs.iterdir()))
    return {"env": env, "import": imported, "db": tmp / "bot.db"}


def ask_all(kb: dict, questions: list[str]) -> list[dict]:
    done = run_bot(
        kb["env"], "ask", "-", "--json", "--today", TODAY, stdin="\n".join(questions) + "\n"
    )
    assert done.returncode == 0, done.stderr
    answers = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert len(answers) == len(questions)
    return answers


@pytest.fixture(scope="module")
def session(kb: dict):  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{kb['db']}")
    with read_session(engine) as s:
        yield s
    engine.dispose()


def _doc(session, source: str) -> Document:  # type: ignore[no-untyped-def]
    return session.exec(select(Document).where(Document.source_file == source)).one()


def _units_of(session, task: Task, role: str) -> list[str]:  # type: ignore[no-untyped-def]
    rows = session.exec(select(TaskUnit).where(TaskUnit.task_id == task.id)).all()
    return [
        session.get(Unit, r.unit_id).name
        for r in sorted(rows, key=lambda r: r.position)
        if r.role.value == role
    ]


# ------------------------------------------------------------------------------- import
def test_import_reports_three_new_documents_and_the_new_units(kb: dict) -> None:
    out = kb["import"].stdout
    assert kb["import"].returncode == 0, kb["import"].stderr
    assert "3 văn bản mới" in out
    assert "Phòng Quản lý chất lượng" in out and "Phòng Chính trị, tư tưởng" in out
    assert "Phòng tư tưởng" not in out and "Phòng đơn vị" not in out
    assert "Traceback" not in kb["import"].stderr


def test_markdown_plan_header_and_catalogue(session) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(session, "kh-cchc-2026-nghe-an.md")
    assert (doc.kind.value, doc.number, doc.province) == ("kế hoạch", "456/KH-SGDĐT", "Nghệ An")
    assert (doc.issued_year, doc.issued_month, doc.issued_day) == (2026, 1, 15)
    assert (doc.signer_name, doc.signer_title) == ("Thái Văn Thành", "Giám đốc")
    tasks = session.exec(
        select(Task).where(Task.document_id == doc.id).order_by(Task.ordinal)
    ).all()
    assert [t.number for t in tasks] == ["1", "2", "3", "4", "5", "6"]
    # columns: STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn hoàn thành |
    # Kết quả/Sản phẩm
    t2 = tasks[1]
    assert t2.content.startswith("Khảo sát mức độ hài lòng")
    assert _units_of(session, t2, "lead") == ["Phòng Quản lý chất lượng"]
    assert _units_of(session, t2, "cooperate") == ["Văn phòng Sở", "Phòng Chính trị, tư tưởng"]
    assert (t2.due_text, t2.product) == ("Tháng 6/2026", "Báo cáo kết quả khảo sát")
    assert _units_of(session, tasks[2], "lead") == ["Phòng Chính trị, tư tưởng"]
    # "Các phòng, đơn vị thuộc Sở" is the departments and the units, not a department named
    # "đơn vị"
    assert _units_of(session, tasks[3], "cooperate") == [
        "Các phòng CMNV Sở",
        "Các đơn vị giáo dục",
    ]
    duties = session.exec(select(Responsibility).where(Responsibility.document_id == doc.id)).all()
    by_unit = {session.get(Unit, d.unit_id).name for d in duties}
    assert {"Phòng Quản lý chất lượng", "Phòng Chính trị, tư tưởng", "Văn phòng Sở"} <= by_unit


def _deadlines(session, doc: Document) -> list[Deadline]:  # type: ignore[no-untyped-def]
    return session.exec(select(Deadline).where(Deadline.document_id == doc.id)).all()


def test_markdown_plan_deadline_wordings(session) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(session, "kh-cchc-2026-nghe-an.md")
    rules = {
        (d.rule_kind.value, d.due_date, d.month, d.month_in_period, d.day)
        for d in _deadlines(session, doc)
    }
    assert ("once", date(2026, 3, 31), None, None, None) in rules  # "Trước ngày 31/3/2026"
    assert ("once", date(2026, 6, 30), None, None, None) in rules  # "Tháng 6/2026"
    assert ("once", date(2026, 9, 30), None, None, None) in rules  # "Quý III/2026"
    assert ("quarterly", None, None, 3, 15) in rules  # "Hằng quý, trước ngày 15 tháng cuối quý"
    assert ("yearly", None, 6, None, 15) in rules  # "định kỳ 6 tháng (trước ngày 15/6)"
    assert ("yearly", None, 12, None, 15) in rules  # "và năm (trước ngày 15/12)"
    titles = {d.title for d in _deadlines(session, doc)}
    assert {
        "Báo cáo quý kết quả CCHC",
        "Báo cáo 6 tháng kết quả CCHC",
        "Báo cáo năm kết quả CCHC",
    } <= titles
    # "Cả năm 2026" is a period, not a deadline
    assert not any(
        "Kiểm định chất lượng giáo dục trường" in d.title for d in _deadlines(session, doc)
    )
    refs = session.exec(select(Reference).where(Reference.document_id == doc.id)).all()
    assert [(r.code, r.issued_on) for r in refs] == [("77/KH-UBND", date(2026, 1, 8))]


def test_docx_directive_header_deadline_and_citation(session) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(session, "cv-1234-da-nang.docx")
    assert (doc.kind.value, doc.number, doc.province) == ("công văn", "1234/SGDĐT-VP", "Đà Nẵng")
    assert doc.date_text == "ngày 05 tháng 3 năm 2026"
    assert (doc.issued_year, doc.issued_month, doc.issued_day) == (2026, 3, 5)
    assert doc.subject == (
        "V/v triển khai đánh giá chỉ số cải cách hành chính và đo lường sự hài lòng"
        " của người dân năm 2026"
    )
    assert len(doc.recipients) == 3 and doc.recipients[0].startswith("Các phòng chuyên môn")
    assert doc.signer_name == "Hoàng Thị Mai" and "Phó Giám đốc" in doc.signer_title
    deadlines = _deadlines(session, doc)
    assert [(d.rule_kind.value, d.due_date) for d in deadlines] == [("once", date(2026, 4, 20))]
    units = session.exec(
        select(DeadlineUnit).where(DeadlineUnit.deadline_id == deadlines[0].id)
    ).all()
    assert [session.get(Unit, u.unit_id).name for u in units] == [
        "Phòng Khảo thí và Kiểm định chất lượng giáo dục"
    ]
    # the cited decision's date (10/01/2026) is not a deadline
    refs = session.exec(select(Reference).where(Reference.document_id == doc.id)).all()
    assert [(r.code, r.issued_on) for r in refs] == [("123/QĐ-UBND", date(2026, 1, 10))]
    duties = session.exec(select(Responsibility).where(Responsibility.document_id == doc.id)).all()
    assert "Phòng Tổ chức cán bộ" in {session.get(Unit, d.unit_id).name for d in duties}


def test_pdf_plan_rejoins_lines_across_page_numbers(session) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(session, "kh-88-quang-ninh.pdf")
    assert (doc.kind.value, doc.number, doc.province, doc.signer_name) == (
        "kế hoạch",
        "88/KH-SGDĐT",
        "Quảng Ninh",
        "Phạm Quốc Huy",
    )
    refs = session.exec(select(Reference).where(Reference.document_id == doc.id)).all()
    assert refs[0].code == "61/2018/NĐ-CP" and "quốc gia theo Nghị định" in refs[0].context
    rules = {(d.rule_kind.value, d.title): d for d in _deadlines(session, doc)}
    assert rules[
        ("once", "Rà soát, đơn giản hóa thủ tục hành chính về thuyên chuyển …")
    ].due_date == (date(2026, 6, 30))
    budget = rules[("yearly", "Gửi dự toán ngân sách")]
    assert (budget.month, budget.day) == (7, 25)
    quarterly = rules[("quarterly", "Báo cáo quý kết quả CCHC")]
    assert (quarterly.month_in_period, quarterly.day) == (3, 18)


# ------------------------------------------------------------------------------- answers
QUESTIONS: list[tuple[str, dict]] = [
    # 1. duties of a unit, including the units the new plan introduced
    (
        "Phòng Quản lý chất lượng làm gì?",
        {"intent": "unit_duties", "unit": "Phòng Quản lý chất lượng", "tasks": ["2", "6", "1"]},
    ),
    (
        "phong quan ly chat luong phu trach gi",
        {"intent": "unit_duties", "unit": "Phòng Quản lý chất lượng"},
    ),
    (
        "Phòng Chính trị, tư tưởng có nhiệm vụ gì?",
        {"intent": "unit_duties", "unit": "Phòng Chính trị, tư tưởng", "tasks": ["3", "2"]},
    ),
    (
        "phong chinh tri tu tuong lam gi",
        {"intent": "unit_duties", "unit": "Phòng Chính trị, tư tưởng"},
    ),
    ("Phòng QLCL làm gì?", {"intent": "unit_duties", "unit": "Phòng Quản lý chất lượng"}),
    (
        "Phòng Giáo dục Trung học phụ trách gì?",
        {
            "intent": "unit_duties",
            "unit": "Phòng Giáo dục Trung học",
            "text": ["thuyên chuyển học sinh"],
        },
    ),
    # 2. who leads
    (
        "ai chủ trì khảo sát mức độ hài lòng đối với dịch vụ giáo dục công?",
        {"intent": "who_leads", "unit": "Phòng Quản lý chất lượng", "tasks": ["2"]},
    ),
    (
        "ai chu tri tuyen truyen cai cach hanh chinh tren cong thong tin dien tu cua so",
        {"intent": "who_leads", "unit": "Phòng Chính trị, tư tưởng"},
    ),
    (
        "ai chủ trì rà soát thủ tục hành chính về thuyên chuyển học sinh?",
        {"intent": "who_leads", "unit": "Phòng Giáo dục Trung học"},
    ),
    # 3. deadlines: next occurrence after 22/11/2026 and the rule
    ("hạn báo cáo quý?", {"intent": "deadline", "due": "2026-12-15", "recurrence": "quarterly"}),
    (
        "hạn báo cáo năm kết quả CCHC?",
        {"intent": "deadline", "due": "2026-12-15", "recurrence": "yearly"},
    ),
    (
        "báo cáo 6 tháng gửi trước ngày nào?",
        {"intent": "deadline", "due": "2027-06-15", "recurrence": "yearly"},
    ),
    (
        "hạn gửi dự toán ngân sách?",
        {"intent": "deadline", "due": "2027-07-25", "recurrence": "yearly"},
    ),
    (
        "hạn ban hành kế hoạch kiểm tra công tác cải cách hành chính?",
        {"intent": "deadline", "recurrence": "once", "text": ["31/03/2026"]},
    ),
    (
        "Phòng Khảo thí gửi báo cáo rà soát bộ tiêu chí chậm nhất ngày nào?",
        {"intent": "deadline", "recurrence": "once", "text": ["20/04/2026"]},
    ),
    # 4. a document by number, ours or cited
    ("công văn 1234 nói gì?", {"intent": "document", "text": ["1234/SGDĐT-VP", "Đà Nẵng"]}),
    ("văn bản 1234/SGDĐT-VP", {"intent": "document", "text": ["1234/SGDĐT-VP"]}),
    ("quyết định 123/QĐ-UBND", {"intent": "document", "text": ["123/QĐ-UBND", "1234/SGDĐT-VP"]}),
    ("nghị định 61/2018/NĐ-CP", {"intent": "document", "text": ["61/2018/NĐ-CP", "88/KH-SGDĐT"]}),
    ("kế hoạch Quảng Ninh có mục tiêu gì?", {"intent": "document", "text": ["88/KH-SGDĐT"]}),
    # 5. signer
    ("ai ký công văn 1234/SGDĐT-VP?", {"intent": "signer", "text": ["Hoàng Thị Mai"]}),
    ("ai ký kế hoạch 456/KH-SGDĐT?", {"intent": "signer", "text": ["Thái Văn Thành"]}),
    ("ai ky ke hoach 88/KH-SGDDT", {"intent": "signer", "text": ["Phạm Quốc Huy"]}),
    # 6. figures: the passage holding the number comes first
    (
        "chỉ số hài lòng đối với dịch vụ giáo dục công đạt bao nhiêu phần trăm?",
        {"intent": "figure", "first": "85%"},
    ),
    ("tỷ lệ phiếu khảo sát hợp lệ tối thiểu bao nhiêu?", {"intent": "figure", "first": "70%"}),
    ("tỷ lệ hồ sơ nộp trực tuyến bao nhiêu?", {"intent": "figure", "first": "65%"}),
    (
        "giảm số lượng người làm việc hưởng lương bao nhiêu phần trăm?",
        {"intent": "figure", "first": "5%"},
    ),
    # 7. search
    ("số hóa hồ sơ học sinh", {"intent": "search", "text": ["số hóa hồ sơ học sinh"]}),
    (
        "thuyên chuyển học sinh trung học phổ thông",
        {"intent": "search", "text": ["thuyên chuyển"]},
    ),
    # out of scope
    ("giá vàng hôm nay bao nhiêu?", {"intent": "not_found"}),
    ("thời tiết Đà Nẵng ngày mai", {"intent": "not_found"}),
]


@pytest.fixture(scope="module")
def answers(kb: dict) -> dict[str, dict]:
    return dict(
        zip([q for q, _ in QUESTIONS], ask_all(kb, [q for q, _ in QUESTIONS]), strict=False)
    )


@pytest.mark.parametrize(("question", "expect"), QUESTIONS, ids=[q for q, _ in QUESTIONS])
def test_answer(answers: dict[str, dict], question: str, expect: dict) -> None:
    a = answers[question]
    assert a["intent"] == expect["intent"], a["text"]
    if "unit" in expect:
        assert a["units"][0]["name"] == expect["unit"]
    if "tasks" in expect:
        assert [t["number"] for t in a["tasks"]] == expect["tasks"]
    if "due" in expect:
        assert a["deadlines"][0]["due"] == expect["due"]
    if "recurrence" in expect:
        assert a["deadlines"][0]["recurrence"] == expect["recurrence"]
    for needle in expect.get("text", []):
        assert needle in a["text"]
    if "first" in expect:
        assert expect["first"] in a["text"].split("\n")[1]
    if a["intent"] != "not_found":
        assert a["sources"], a["text"]
    else:
        assert not a["sources"] and "không tìm thấy" in a["text"]


def test_same_titled_plans_are_told_apart_in_sources(answers: dict[str, dict]) -> None:
    labels = {s["document"] for a in answers.values() for s in a["sources"]}
    plans = sorted(label for label in labels if label.startswith("Kế hoạch CCHC năm 2026"))
    assert plans == [
        "Kế hoạch CCHC năm 2026 (số 456/KH-SGDĐT, Nghệ An)",
        "Kế hoạch CCHC năm 2026 (số 88/KH-SGDĐT, Quảng Ninh)",
    ]


def test_deadlines_command_lists_next_occurrences(kb: dict) -> None:
    done = run_bot(kb["env"], "deadlines", "--today", TODAY)
    assert done.returncode == 0, done.stderr
    assert "15/12/2026" in done.stdout and "Báo cáo quý kết quả CCHC" in done.stdout
    assert "25/07/2027" in done.stdout or "Gửi dự toán ngân sách" in done.stdout


def test_the_new_unit_is_unknown_before_its_document_is_imported(tmp_path: Path) -> None:
    env = bot_env(tmp_path)  # bundled seed documents only
    done = run_bot(env, "ask", "Phòng Quản lý chất lượng làm gì?", "--json", "--today", TODAY)
    answer = json.loads(done.stdout)
    assert answer["intent"] in ("not_found", "search") and not answer["units"]
    assert "không thấy đơn vị «Phòng Quản lý chất lượng»" in answer["text"]


def test_task_number_with_a_document_number_picks_that_documents_row(
    answers_extra: list[dict],
) -> None:
    by_plan, no_catalogue = answers_extra
    assert by_plan["intent"] == "who_leads" and by_plan["tasks"][0]["number"] == "2"
    assert "456/KH-SGDĐT" in by_plan["tasks"][0]["document"]
    assert by_plan["units"][0]["name"] == "Phòng Quản lý chất lượng"
    # the Quảng Ninh plan has no catalogue: its card, not another plan's task 2
    assert no_catalogue["intent"] == "document" and "88/KH-SGDĐT" in no_catalogue["text"]


@pytest.fixture(scope="module")
def answers_extra(kb: dict) -> list[dict]:
    return ask_all(kb, ["nhiệm vụ 2 kế hoạch 456/KH-SGDĐT", "kế hoạch 88/KH-SGDĐT nhiệm vụ 2"])


def test_deadlines_in_a_named_month(kb: dict) -> None:
    done = run_bot(
        kb["env"], "ask", "hạn của Văn phòng Sở trong tháng 12", "--json", "--today", TODAY
    )
    a = json.loads(done.stdout)
    assert a["intent"] == "deadline" and a["units"][0]["name"] == "Văn phòng Sở"
    assert a["text"].startswith("Các hạn của Văn phòng Sở trong tháng 12/2026:")
    dues = [d["due"] for d in a["deadlines"]]
    assert dues == sorted(dues) and all(d.startswith("2026-12-") for d in dues)
    assert "2026-12-15" in dues and "2026-12-18" in dues  # Nghệ An quarterly, Quảng Ninh quarterly
    assert a["sources"]
