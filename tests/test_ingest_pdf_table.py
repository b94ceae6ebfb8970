"""A PDF task table laid out in columns (no table objects): read from the layout text."""

from __future__ import annotations

import json
from pathlib import Path

from knowledge.ingest.pdf_tables import split_page
from tests.support.subprocess_bot import bot_env, run_bot

ROOT = Path(__file__).resolve().parents[1]
PLAN_PDF = ROOT / "bench" / "eval" / "unseen" / "kh-cchc-2026-2030-phu-tho.pdf"

LAYOUT = """Điều khoản chung của kế hoạch.

                                                       Thời gian
TT  Nội dung công việc        Đơn vị chủ trì  Đơn vị phối hợp
                                                       hoàn thành

                                                       Trước ngày
    Rà soát thủ tục hành                                     
1                             Phòng Pháp chế  Các phòng    30/6 hằng
    chính nội bộ
                                                       năm
2   Số hóa hồ sơ              Văn phòng Sở    Phòng Tin    Năm 2027
"""


def test_layout_columns_become_rows_with_wrapped_cells_joined() -> None:
    before, rows, after = split_page(LAYOUT)
    assert rows is not None
    assert rows[0] == [
        "TT",
        "Nội dung công việc",
        "Đơn vị chủ trì",
        "Đơn vị phối hợp",
        "Thời gian hoàn thành",
    ]
    assert rows[1] == [
        "1",
        "Rà soát thủ tục hành chính nội bộ",
        "Phòng Pháp chế",
        "Các phòng",
        "Trước ngày 30/6 hằng năm",
    ]
    assert rows[2] == ["2", "Số hóa hồ sơ", "Văn phòng Sở", "Phòng Tin", "Năm 2027"]
    assert "Điều khoản chung" in before[0] and after == []


def test_prose_page_has_no_table() -> None:
    assert split_page("1. Văn phòng Sở chủ trì tổng hợp.\n2. Các phòng phối hợp.")[1] is None


def test_pdf_catalogue_answers_who_leads_through_the_cli(tmp_path: Path) -> None:
    empty = tmp_path / "bundled"
    empty.mkdir()
    env = bot_env(tmp_path, DOCUMENTS_DIR=str(empty))
    imported = run_bot(env, "import", str(PLAN_PDF))
    assert imported.returncode == 0, imported.stderr
    assert "7 nhiệm vụ" in imported.stdout
    questions = [
        "ai chủ trì giao tự chủ tài chính cho đơn vị sự nghiệp",
        "nv 6 ai chu tri, han khi nao",
        "nam 2028 co nv gi ạ",
    ]
    done = run_bot(
        env, "ask", "-", "--json", "--today", "2026-06-10", stdin="\n".join(questions) + "\n"
    )
    assert done.returncode == 0, done.stderr
    first, second, by_year = [
        json.loads(line) for line in done.stdout.splitlines() if line.strip()
    ]
    assert first["units"][0]["name"] == "Phòng Kế hoạch - Tài chính"
    assert [t["number"] for t in first["tasks"]][:1] == ["5"]
    assert "Công nghệ thông tin" in second["text"].split("\n")[0] and "2028" in second["text"]
    # tasks by year: the one dated 2028 first, then the yearly ones; 2027's and 2030's are not
    assert by_year["intent"] == "tasks"
    numbers = [t["number"] for t in by_year["tasks"]]
    assert numbers[0] == "6" and "3" not in numbers and "7" not in numbers
