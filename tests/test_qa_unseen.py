"""Generalisation: a plan the engine has never seen (new province, new unit, new rules)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from knowledge.db import make_engine, read_session
from knowledge.ingest.importer import import_paths
from knowledge.qa import answer_question

UNSEEN = Path(__file__).with_name("fixtures") / "kh-cchc-2026-khanh-hoa.txt"
TODAY = date(2026, 11, 22)


@pytest.fixture(scope="module")
def engine(bundled_db: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The bundled knowledge base with the unseen plan imported on top."""
    path = tmp_path_factory.mktemp("unseen") / "kb.db"
    shutil.copy(bundled_db, path)
    eng = make_engine(f"sqlite:///{path}")
    import_paths(eng, [UNSEEN])
    return eng


def ask(engine, q: str):  # type: ignore[no-untyped-def]
    with read_session(engine) as s:
        return answer_question(s, q, today=TODAY)


@pytest.mark.parametrize(
    "q", ["Phòng Quản lý chất lượng phụ trách gì?", "phong quan ly chat luong lam gi"]
)
def test_a_new_unit_is_answered_without_code_changes(engine, q: str) -> None:  # type: ignore[no-untyped-def]
    a = ask(engine, q)
    assert a.intent == "unit_duties"
    assert a.units[0].name == "Phòng Quản lý chất lượng"
    assert [t.role for t in a.tasks] == ["lead", "cooperate"]
    assert "bộ tiêu chí" in a.text and a.sources


def test_who_leads_a_new_task(engine) -> None:  # type: ignore[no-untyped-def]
    a = ask(engine, "ai chu tri xay dung bo tieu chi danh gia chat luong dich vu giao duc cong?")
    assert a.intent == "who_leads" and a.units[0].name == "Phòng Quản lý chất lượng"


def test_monthly_deadline(engine) -> None:  # type: ignore[no-untyped-def]
    a = ask(engine, "hạn gửi báo cáo tháng?")
    assert a.intent == "deadline"
    assert (a.deadlines[0].due, a.deadlines[0].recurrence) == ("2026-12-20", "monthly")


def test_new_figure_and_citation(engine) -> None:  # type: ignore[no-untyped-def]
    fig = ask(engine, "tỷ lệ hồ sơ TTHC được số hóa năm 2026 bao nhiêu?")
    assert fig.intent == "figure" and "90%" in fig.text.split("\n")[1]
    cited = ask(engine, "quyết định 88/QĐ-UBND")
    assert cited.intent == "document" and "88/QĐ-UBND" in cited.text
