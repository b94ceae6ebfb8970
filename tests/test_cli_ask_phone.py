"""Phone-style questions through `python -m bot ask - --json` in a subprocess (issue 9).

One class of the issue per test; each test asks its questions in one batch (one subprocess)
over the bundled documents, or over documents of other provinces (.md, .docx, .pdf).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.ingest_samples import unicode_font
from tests.support import ask_cli
from tests.support.ask_cli import lead
from tests.support.subprocess_bot import ROOT, bot_env, run_bot
from tests.unseen_samples import build_directive_docx, build_plan_pdf

TODAY = "2026-11-22"
FIXTURES = Path(__file__).with_name("fixtures")


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("phone_bundled")
    return bot_env(tmp, DOCUMENTS_DIR=str(ROOT / "data" / "documents"), LOG_LEVEL="WARNING")


@pytest.fixture(scope="module")
def unseen(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    if unicode_font() is None:
        pytest.fail("no Unicode TTF font to build the PDF sample")
    tmp = tmp_path_factory.mktemp("phone_unseen")
    docs = tmp / "docs"
    docs.mkdir()
    for name in ("kh-cchc-2026-nghe-an.md", "kh-cchc-2026-khanh-hoa.txt", "cv-890-an-giang.txt"):
        shutil.copy(FIXTURES / name, docs)
    build_directive_docx(docs / "cv-1234-da-nang.docx")
    build_plan_pdf(docs / "kh-88-quang-ninh.pdf")
    (docs / "cv-77-lam-dong.md").write_text(PROSE_UNITS, encoding="utf-8")
    empty = tmp / "none"
    empty.mkdir()
    env = bot_env(tmp, DOCUMENTS_DIR=str(empty), LOG_LEVEL="WARNING")
    done = run_bot(env, "import", *sorted(str(p) for p in docs.iterdir()))
    assert done.returncode == 0, done.stderr
    return env


# Document text, one paragraph per line as offices type them: long lines are the data.
PROSE_UNITS = """UBND TỈNH LÂM ĐỒNG
SỞ GIÁO DỤC VÀ ĐÀO TẠO

Số: 77/SGDĐT-VP
V/v số hóa hồ sơ tuyển sinh năm 2026

Lâm Đồng, ngày 05 tháng 10 năm 2026

Kính gửi: Các phòng thuộc Sở.

1. Phòng Khảo thí, Quản lý chất lượng và Công nghệ thông tin (Phòng KT-CNTT) chủ trì số hóa hồ sơ tuyển sinh đầu cấp; hoàn thành trước ngày 30/11/2026.

2. Văn phòng UBND tỉnh tổng hợp kết quả chung của tỉnh.

GIÁM ĐỐC

Trần Văn Nam
"""  # noqa: E501


def ask(env: dict[str, str], questions: list[str], today: str = TODAY) -> list[dict[str, Any]]:
    return ask_cli.ask(env, questions, today)


def test_shorthand_and_particles_answer_like_the_canonical_question(bundled) -> None:  # type: ignore[no-untyped-def]
    questions = [
        "Hạn báo cáo quý?",
        "han bc quy la khi nao vay",
        "bcao quý hạn ngày nào nhỉ",
        "hạn nộp bc quý ko",
        "nv 13 ai chủ trì ạ",
        "ai chủ trì nhiệm vụ 13",
        "dt kinh phí nộp trước ngày nào thế",
        "kh cchc năm gửi trước ngày nào",
    ]
    a = ask(bundled, questions)
    for answer in a[:4]:
        assert answer["intent"] == "deadline"
        assert answer["deadlines"][0]["due"] == "2026-12-10", answer["text"]
    assert lead(a[4]) == lead(a[5]) == "Phòng Tổ chức cán bộ"
    assert a[4]["tasks"][0]["number"] == "13"
    assert a[6]["deadlines"][0]["due"] == "2027-01-25"
    assert a[7]["deadlines"][0]["due"] == "2027-01-15"


def test_set_phrases(bundled) -> None:  # type: ignore[no-untyped-def]
    a = ask(
        bundled,
        [
            "báo cáo năm còn kịp không",
            "còn mấy ngày nữa đến hạn báo cáo quý",
            "báo cáo quý gửi về đâu",
            "ai lo số hóa hồ sơ",
            "ai tham mưu xây dựng kế hoạch cchc",
            "phòng nào làm đo lường sự hài lòng",
            "các phòng phải nộp những gì",
        ],
        today="2026-12-05",
    )
    assert "còn 5 ngày" in a[0]["text"] and "10/12/2026" in a[0]["text"]
    assert "còn 5 ngày" in a[1]["text"]
    assert "Sở GDĐT (qua Văn phòng Sở)" in a[2]["text"].split("\n", 3)[2]  # "Gửi về:" line
    assert a[3]["intent"] == a[4]["intent"] == a[5]["intent"] == "who_leads"
    assert lead(a[4]) == "Văn phòng Sở"
    assert lead(a[5]) == "Phòng Tổ chức cán bộ"
    assert {"2027-01-25", "2026-12-10"} <= {d["due"] for d in a[6]["deadlines"]}


def test_qualifiers_steer_the_answer(bundled) -> None:  # type: ignore[no-untyped-def]
    a = ask(
        bundled,
        [
            "theo kế hoạch 2026-2030 văn phòng sở phụ trách gì",
            "theo kh 2025 phòng nào phụ trách chỉ số PCI",
            "về khiếu nại tố cáo trong công văn 502 nói gì",
            "hạn bc quý 2 năm 2027",
            "kế hoạch cchc năm 2019 ai ký",
        ],
    )
    first_plan = a[0]["text"].split("▪ Các hạn", 1)[-1].split("▪", 2)[1]
    assert "2026-2030" in first_plan and "đang áp dụng" in first_plan
    assert "đã hết thời hạn" in "\n".join([a[0]["text"], *a[0]["more"]])
    assert lead(a[1]) == "Văn phòng Sở"
    assert "khiếu nại" in a[2]["text"].split("\n", 2)[1]
    assert "10/06/2027" in a[3]["text"]
    assert "2019" in a[4]["text"] and "Phạm Quốc Hiệu" not in a[4]["text"]


def test_date_windows_are_relative_to_today(bundled) -> None:  # type: ignore[no-untyped-def]
    a = ask(
        bundled,
        [
            "tuần sau có hạn gì",
            "tháng tới có hạn gì không",
            "quý 1 năm sau có hạn gì",
            "15/1 phải nộp gì",
            "năm 2027 có hạn gì",
            "hôm nay có hạn gì",
        ],
        today="2026-12-01",
    )
    assert a[0]["text"].startswith("Các hạn trong tuần sau (07/12/2026–13/12/2026):")
    assert {d["due"] for d in a[0]["deadlines"]} == {"2026-12-10"}
    assert {d["due"][:7] for d in a[1]["deadlines"]} == {"2027-01"}
    assert {"2027-01-15", "2027-01-25", "2027-03-10"} <= {d["due"] for d in a[2]["deadlines"]}
    assert [d["due"] for d in a[3]["deadlines"]] == ["2027-01-15"]
    assert len({d["due"] for d in a[4]["deadlines"]}) >= 6
    assert a[5]["text"].startswith("Không thấy hạn nào trong hôm nay")


def test_snippets_keep_the_date_and_the_recipient(bundled) -> None:  # type: ignore[no-untyped-def]
    a = ask(bundled, ["kế hoạch cchc năm gửi về đâu, trước ngày nào"])[0]
    quote = next(line for line in a["text"].splitlines() if "Nguyên văn" in line)
    assert "15/01/2025" in quote and "gửi kế hoạch về Sở GDĐT" in quote


def test_units_partial_names_and_who_questions(bundled) -> None:  # type: ignore[no-untyped-def]
    a = ask(
        bundled,
        [
            "phòng tổ chức làm gì",
            "phong tc can bo phu trach gi",
            "p. kế hoạch phụ trách j",
            "p kh tc làm gì",
            "văn phòng ubnd tỉnh làm gì",
            "ai chủ trì đo lường sự hài lòng",
            "đơn vị nào chịu trách nhiệm số hóa hồ sơ",
        ],
    )
    assert lead(a[0]) == lead(a[1]) == "Phòng Tổ chức cán bộ"
    assert lead(a[2]) == lead(a[3]) == "Phòng Kế hoạch - Tài chính"
    assert lead(a[4]) != "Văn phòng Sở" and "văn phòng ubnd tỉnh" in a[4]["text"]
    for answer in a[5:]:
        assert answer["intent"] == "who_leads"
        assert answer["text"].startswith("Đơn vị chủ trì: " + lead(answer))


def test_multi_part_questions_answer_every_part(bundled) -> None:  # type: ignore[no-untyped-def]
    a = ask(
        bundled,
        [
            "nv 17 và 18 là gì, ai chủ trì",
            "ai ký kế hoạch 2026-2030 và căn cứ quyết định nào",
            "kế hoạch cchc và dự trù kinh phí hạn khi nào",
        ],
    )
    assert [t["number"] for t in a[0]["tasks"]] == ["17", "18"]
    assert a[0]["text"].startswith("Đơn vị chủ trì: NV 17: Phòng Kế hoạch - Tài chính; NV 18:")
    assert "Lương Văn Việt" in a[1]["text"] and "3470/QĐ-UBND" in a[1]["text"]
    assert {"2027-01-15", "2027-01-25"} <= {d["due"] for d in a[2]["deadlines"][:2]}


def test_a_school_asking_about_itself(bundled) -> None:  # type: ignore[no-untyped-def]
    a = ask(
        bundled, ["trường tôi phải nộp gì, hạn khi nào", "trường em có phải nộp báo cáo quý không"]
    )
    assert lead(a[0]) == "Các đơn vị giáo dục"
    dues = {d["due"] for d in a[0]["deadlines"]}
    assert {"2026-12-10", "2027-01-15"} <= dues  # periodic reports, the yearly plan
    assert a[1]["deadlines"][0]["due"] == "2026-12-10"


def test_actions_asked_in_words_name_the_command(bundled) -> None:  # type: ignore[no-untyped-def]
    a = ask(
        bundled,
        ["đã nộp báo cáo quý rồi", "phòng nào chưa nộp", "xuất excel", "nhắc tôi lúc 7h"],
    )
    assert [x["intent"] for x in a] == ["action"] * 4
    assert "/xong" in a[0]["text"] and a[0]["deadlines"][0]["title"].startswith("Báo cáo quý")
    assert "/tinhtrang" in a[1]["text"]
    assert "/tinhtrang csv" in a[2]["text"]
    assert "07:00" in a[3]["text"] and "xác nhận" in a[3]["text"]


def test_document_facts(bundled) -> None:  # type: ignore[no-untyped-def]
    a = ask(
        bundled,
        [
            "kế hoạch 2025 ban hành ngày nào",
            "quyết định 3470 ngày nào",
            "kế hoạch 2026-2030 căn cứ văn bản nào",
            "ông Phạm Quốc Hiệu ký những văn bản nào",
        ],
    )
    assert "tháng 01 năm 2025" in a[0]["text"]
    assert "27/8/2025" in a[1]["text"]
    assert "76/NQ-CP" in a[2]["text"] and "3470/QĐ-UBND" in a[2]["text"]
    assert len(a[3]["documents"]) == 3


def test_out_of_scope_invents_nothing(bundled) -> None:  # type: ignore[no-untyped-def]
    a = ask(
        bundled, ["thời tiết mai thế nào", "giá vàng hôm nay bao nhiêu", "ai vô địch world cup"]
    )
    for answer in a:
        assert answer["intent"] == "not_found", answer["text"]
        assert not (answer["tasks"] or answer["deadlines"])


def test_unseen_documents_of_other_provinces(unseen) -> None:  # type: ignore[no-untyped-def]
    a = ask(
        unseen,
        [
            "nv 1 và 2 kh khánh hòa ai chủ trì",
            "bc quý nghệ an hạn ngày nào",
            "p. quản lý chất lượng phụ trách j",
            "ai ký cv 890",
            "kế hoạch khánh hòa ban hành ngày nào",
            "bc tháng gửi về đâu",
            "ai chủ trì số hóa hồ sơ tuyển sinh",
            "phòng kt-cntt làm gì",
        ],
        today="2026-11-05",
    )
    assert a[0]["text"].startswith(
        "Đơn vị chủ trì: NV 1: Phòng Quản lý chất lượng; NV 2: Phòng Tổ chức cán bộ"
    )
    assert a[1]["deadlines"][0]["due"] == "2026-12-15"
    assert lead(a[2]) == "Phòng Quản lý chất lượng"
    assert "Nguyễn Văn Bình" in a[3]["text"]
    assert "10/01/2026" in a[4]["text"]
    assert "Văn phòng Sở" in a[5]["text"] and a[5]["deadlines"][0]["due"] == "2026-11-20"
    # a unit named in prose, with a comma in its name and a short form in parentheses
    full = "Phòng Khảo thí, Quản lý chất lượng và Công nghệ thông tin"
    assert lead(a[6]) == full and a[6]["text"].startswith(f"Đơn vị chủ trì: {full}.")
    assert lead(a[7]) == full


def test_json_is_utf8(bundled) -> None:  # type: ignore[no-untyped-def]
    done = run_bot(bundled, "ask", "ai chủ trì nhiệm vụ 13", "--json", "--today", TODAY)
    assert "Phòng Tổ chức cán bộ" in done.stdout and "\\u" not in done.stdout
