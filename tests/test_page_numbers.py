"""A page number PDF extraction glued to a wrapped line goes; real numbers stay."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from knowledge.db import init_db, make_engine, read_session
from knowledge.ingest.importer import import_paths
from knowledge.ingest.text import is_page_number, unglue_page_numbers
from knowledge.qa import answer_question

ROOT = Path(__file__).resolve().parent.parent


def test_glued_page_number_between_lone_ones_is_dropped() -> None:
    lines = ["Mở đầu", "", "giải thể đơn 7", "", "vị sự nghiệp công lập;", "", "8", "", "tiếp"]
    assert unglue_page_numbers(lines)[2] == "giải thể đơn"


def test_real_numbers_stay() -> None:
    lines = [
        "hoàn thành trong 15",  # "15 ngày": a quantity, the next word is a measure
        "",
        "ngày làm việc;",
        "tỷ lệ đạt 7",  # after "đạt" a number is a figure
        "",
        "phần trăm",
        "lần thứ 9",  # out of the page sequence (8 then 9 would be after the lone 8)
        "",
        "8",
        "",
        "xây dựng 3",  # 3 does not fit: page 8 is already behind
        "",
        "mô hình",
    ]
    assert unglue_page_numbers(lines) == lines


def test_without_lone_page_numbers_nothing_is_touched() -> None:
    lines = ["giải thể đơn 7", "", "vị sự nghiệp"]
    assert unglue_page_numbers(lines) == lines


def test_seed_plan_search_and_figure(tmp_path: Path) -> None:
    import handlers.models  # noqa: F401
    import jobs.models  # noqa: F401

    engine = make_engine(f"sqlite:///{tmp_path / 'kb.db'}")
    init_db(engine)
    import_paths(engine, sorted((ROOT / "data" / "documents").glob("*.txt")))
    with read_session(engine) as s:
        found = answer_question(s, "giải thể đơn vị sự nghiệp", today=date(2026, 11, 22))
        assert found.intent == "search" and "giải thể đơn vị sự nghiệp" in found.text
        assert "đơn 7" not in found.text
        fig = answer_question(
            s, "ke hoach 2026 2030 giam bien che bao nhieu phan tram", today=date(2026, 11, 22)
        )
        assert fig.intent == "figure"
        assert "giảm bình quân 10% biên chế" in fig.text.split("\n")[1]


@pytest.mark.parametrize(
    ("line", "is_page"),
    [
        ("7", True),
        ("- 7 -", True),
        ("Trang 2", True),
        ("Trang 2/5", True),
        ("trang 3 trên 9", True),
        ("1/12", False),
        ("15/01", False),
        ("30/4/2026", False),
        ("2026", False),
    ],
)
def test_page_number_lines(line: str, is_page: bool) -> None:
    assert is_page_number(line) is is_page
