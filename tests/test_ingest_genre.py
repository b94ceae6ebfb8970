"""Unseen documents of the genre (tests/genre_samples.py) through the real CLI: `python -m bot
import` in a subprocess, then what it stored (header, catalogue rows, deadlines and the dates
that are not deadlines) and what `ask --json` answers about it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.genre_samples import BINH_PHUOC_TXT, build_all
from tests.ingest_samples import unicode_font
from tests.support.subprocess_bot import bot_env, run_bot

TODAY = "2026-03-10"
LAO_CAI, DAK_LAK = "kh-38-cchc-2026-lao-cai.docx", "cv-1462-bao-cao-dak-lak.pdf"
CA_MAU, QUANG_TRI = "kh-210-kiem-tra-ca-mau.txt", "kh-77-cchc-2026-quang-tri.pdf"


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if unicode_font() is None:
        pytest.fail("no Unicode TTF font to build the PDF sample (Debian: fonts-dejavu-core)")
    tmp = tmp_path_factory.mktemp("genre")
    build_all(tmp / "docs")
    (tmp / "none").mkdir()
    env = bot_env(tmp, DOCUMENTS_DIR=str(tmp / "none"), LOG_LEVEL="WARNING")
    done = run_bot(env, "import", str(tmp / "docs"))
    assert done.returncode == 0, done.stderr
    return {"env": env, "db": tmp / "bot.db", "report": done.stdout}


def rows(db: Path, sql: str, *args: object) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute(sql, args))


def ask(env: dict[str, str], *questions: str) -> list[dict[str, Any]]:
    done = run_bot(env, "ask", "-", "--json", "--today", TODAY, stdin="\n".join(questions) + "\n")
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def test_import_report_names_no_phantom_units_or_rows(imported: dict[str, Any]) -> None:
    report = imported["report"]
    assert "4 văn bản mới" in report
    assert "Phòng đơn vị" not in report  # "Các phòng, đơn vị" is not a unit called "đơn vị"
    assert "Phòng Kiểm định chất lượng" not in report  # one unit: "… Khảo thí và Kiểm định …"
    assert "Dòng bảng không có nội dung" not in report  # group rows merged across the table
    assert "(1)" not in report  # the column numbering row is not a task


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            LAO_CAI,
            ("PLAN", "38/KH-SGDĐT", "Lào Cai", 2026, 1, 15, "Nguyễn Hữu Thắng", "Phó Giám đốc"),
        ),
        (
            DAK_LAK,
            ("DIRECTIVE", "1462/SGDĐT-VP", "Đắk Lắk", 2026, 3, 5, "Phạm Đăng Khoa", "Giám đốc"),
        ),
        (
            CA_MAU,
            ("PLAN", "210/KH-SGDĐT", "Cà Mau", 2026, 2, 20, "Lê Văn Hùng", "Phó Giám đốc"),
        ),
        (
            QUANG_TRI,
            ("PLAN", "77/KH-SGDĐT", "Quảng Trị", 2026, 1, 12, "Hoàng Minh Đức", "Giám đốc"),
        ),
    ],
)
def test_header_and_signer(imported: dict[str, Any], source: str, expected: tuple) -> None:  # type: ignore[type-arg]
    (row,) = rows(
        imported["db"],
        "select kind, number, province, issued_year, issued_month, issued_day, signer_name,"
        " signer_title, issuer from document where source_file = ?",
        source,
    )
    assert row[:7] == expected[:7]
    assert row[7].startswith(expected[7]) and row[8] == "Sở Giáo dục và Đào tạo"


@pytest.mark.parametrize("source", [LAO_CAI, QUANG_TRI])
def test_catalogue_rows_with_merged_and_split_cells(imported: dict[str, Any], source: str) -> None:
    tasks = rows(
        imported["db"],
        "select t.number, t.content, t.lead_text, t.due_text, t.product from task t"
        " join document d on d.id = t.document_id where d.source_file = ? order by t.ordinal",
        source,
    )
    assert [t[0] for t in tasks] == ["1", "2", "3", "4", "5", "6", "7"]
    by_number = {t[0]: t for t in tasks}
    # the lead cell merged down from task 3 belongs to task 4 too
    assert by_number["4"][2] == "Phòng Giáo dục Thường xuyên và Nghề nghiệp"
    # task 5 runs over the page break: its content, time and product come from both parts
    assert by_number["5"][1].endswith("của các phòng, đơn vị trực thuộc Sở")
    assert (by_number["5"][3], by_number["5"][4]) == ("Trước ngày 15/12 hằng năm", "Bộ chỉ số")
    assert [by_number[n][3] for n in ("1", "3", "6")] == ["Quý I/2026", "Thường xuyên", "Hằng quý"]
    wrapped = rows(
        imported["db"],
        "select t.content, t.cooperate_text, t.product from task t join document d"
        " on d.id = t.document_id where d.source_file = ? and t.number = '2'",
        CA_MAU,
    )
    assert wrapped == [
        (
            "Kiểm tra việc giải quyết hồ sơ trực tuyến tại Bộ phận một cửa của Sở",
            "Phòng Tổ chức cán bộ",
            "Thông báo kết luận",
        )
    ]


def test_units_of_a_task_lead_first(imported: dict[str, Any]) -> None:
    units = rows(
        imported["db"],
        "select tu.role, u.name from taskunit tu join task t on t.id = tu.task_id"
        " join unit u on u.id = tu.unit_id join document d on d.id = t.document_id"
        " where d.source_file = ? and t.number = '4' order by tu.role desc, tu.position",
        LAO_CAI,
    )
    assert units == [
        ("LEAD", "Phòng Giáo dục Thường xuyên và Nghề nghiệp"),
        ("COOPERATE", "Phòng Khảo thí và Kiểm định chất lượng"),
    ]


def test_deadlines_and_dates_that_are_not_deadlines(imported: dict[str, Any]) -> None:
    stored = rows(
        imported["db"], "select rule_kind, due_date, month, month_in_period, day from deadline"
    )
    once = {r[1] for r in stored if r[0] == "ONCE"}
    # task time cells: a quarter and a month end on their last day; a written date is itself
    assert {"2026-03-31", "2026-03-20", "2026-06-30", "2026-10-31", "2026-03-25"} <= once
    assert {"2026-06-30", "2026-08-31", "2026-12-10"} <= once  # Cà Mau's table
    assert ("YEARLY", None, 12, None, 15) in stored  # "Trước ngày 15/12 hằng năm"
    assert ("MONTHLY", None, None, None, 22) in stored  # "trước ngày 22 hằng tháng"
    assert ("QUARTERLY", None, None, 3, 12) in stored  # "ngày 12 của tháng cuối quý"
    # meetings and the dates of cited documents are not deadlines
    for day in (
        "2026-01-22",
        "2026-03-18",
        "2026-12-28",
        "2026-01-08",
        "2026-02-20",
        "2026-01-10",
    ):
        assert day not in once


def test_task_due_questions_answer_the_time_column(imported: dict[str, Any]) -> None:
    quarter, yearly, ongoing, month, wrapped = ask(
        imported["env"],
        "nhiệm vụ 1 kế hoạch 38 hạn khi nào",
        "hạn hoàn thành nv 5 theo kh 38",
        "nhiem vu 3 ke hoach 38 phai xong truoc ngay nao",
        "hạn nhiệm vụ 2 kế hoạch 210 ạ",
        "nv 2 kh 210 khi nào xong vậy",
    )
    first_line = [a["text"].split("\n")[0] for a in (quarter, yearly, ongoing, month, wrapped)]
    assert "Quý I/2026" in first_line[0] and "31/03/2026" in first_line[0]
    assert "15/12/2026" in first_line[1]
    assert "Thường xuyên" in first_line[2]
    assert "Tháng 8/2026" in first_line[3] and "31/08/2026" in first_line[3]
    assert first_line[4] == first_line[3]
    assert [t["number"] for t in yearly["tasks"]] == ["5"]
    assert yearly["deadlines"][0]["due"] == "2026-12-15"
    assert yearly["units"][0]["name"] == "Phòng Tổ chức cán bộ"
    assert ongoing["deadlines"] == []  # "Thường xuyên" has no date to remind of


def test_header_questions_and_windows(imported: dict[str, Any]) -> None:
    signer, issued, basis, who, march = ask(
        imported["env"],
        "ai ký công văn 1462",
        "kế hoạch 210 ban hành ngày nào",
        "kế hoạch 38 căn cứ quyết định nào",
        "nv 4 kh 38 ai chủ trì",
        "tháng 3 có hạn gì",
    )
    assert "Phạm Đăng Khoa" in signer["text"]
    assert "20/02/2026" in issued["text"]
    assert "120/QĐ-UBND" in basis["text"]
    assert who["units"][0]["name"] == "Phòng Giáo dục Thường xuyên và Nghề nghiệp"
    dues = {d["due"] for d in march["deadlines"]}
    assert {"2026-03-12", "2026-03-20", "2026-03-22", "2026-03-25", "2026-03-31"} <= dues
    assert "2026-03-18" not in dues  # the meeting of 18/3 is not a deadline


def test_a_heading_that_defines_a_short_form(tmp_path: Path) -> None:
    """ "1. Phòng Quản lý chất lượng và Khảo thí (sau đây gọi tắt là Phòng QLCL)" with bullets
    under it: the bullets are that unit's duties, and "phòng QLCL" names it in questions."""
    (tmp_path / "none").mkdir()
    env = bot_env(tmp_path, DOCUMENTS_DIR=str(tmp_path / "none"), LOG_LEVEL="WARNING")
    source = tmp_path / "kh-99-binh-phuoc.txt"
    source.write_text(BINH_PHUOC_TXT, encoding="utf-8")
    done = run_bot(env, "import", str(source))
    assert done.returncode == 0, done.stderr
    duties = rows(
        tmp_path / "bot.db",
        "select u.name, r.text from responsibility r join unit u on u.id = r.unit_id",
    )
    mine = [text for name, text in duties if name == "Phòng Quản lý chất lượng và Khảo thí"]
    assert len(mine) == 2 and not any("gọi tắt" in text for text in mine)
    (answer,) = ask(env, "phòng QLCL phải làm gì")
    assert answer["units"][0]["name"] == "Phòng Quản lý chất lượng và Khảo thí"
    assert "30/10/2026" in answer["text"]


def test_task_number_in_several_plans_names_the_others(imported: dict[str, Any]) -> None:
    (answer,) = ask(imported["env"], "nv 3 hạn khi nào ạ")
    assert [t["number"] for t in answer["tasks"]] == ["3"]
    assert "cũng có trong" in answer["text"]
    assert len(answer["suggestions"]) >= 2
    assert all(s["query"].startswith("hạn nhiệm vụ 3 kế hoạch ") for s in answer["suggestions"])
