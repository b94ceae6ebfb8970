"""`python -m bot import|units|deadlines` in a real subprocess against a temporary SQLite file."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.ingest_samples import build_docx
from tests.support.subprocess_bot import ROOT, bot_env, run_bot

SEEDS = ROOT / "data" / "documents"


def run(
    tmp_path: Path, *args: str, documents_dir: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return run_bot(bot_env(tmp_path, DOCUMENTS_DIR=str(documents_dir or SEEDS)), *args)


def test_import_then_reimport(tmp_path: Path) -> None:
    first = run(tmp_path, "import", str(SEEDS))
    assert first.returncode == 0, first.stderr
    assert "kh-cchc-2025.txt" in first.stdout
    assert "18 nhiệm vụ" in first.stdout
    assert "Tổng cộng: 5 văn bản mới" in first.stdout
    again = run(tmp_path, "import", str(SEEDS / "kh-cchc-2025.txt"))
    assert again.returncode == 0, again.stderr
    assert "không đổi" in again.stdout


def test_import_reports_new_units_and_warnings(tmp_path: Path) -> None:
    path = build_docx(tmp_path / "kh-moi.docx")
    result = run(tmp_path, "import", str(path))
    assert result.returncode == 0, result.stderr
    assert "Phòng Quản lý chất lượng" in result.stdout
    assert "⚠" in result.stdout


def test_import_bad_file_exits_1_without_traceback(tmp_path: Path) -> None:
    empty = tmp_path / "rong.txt"
    empty.write_text("", encoding="utf-8")
    result = run(tmp_path, "import", str(SEEDS / "kh-cchc-2025.txt"), str(empty))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "rong.txt" in result.stderr and "rỗng" in result.stderr
    # nothing was written: the good file is still new on the next run
    retry = run(tmp_path, "import", str(SEEDS / "kh-cchc-2025.txt"))
    assert "1 văn bản mới" in retry.stdout


def test_units_lists_seed_units_with_counts(tmp_path: Path) -> None:
    assert run(tmp_path, "import", str(SEEDS)).returncode == 0
    result = run(tmp_path, "units")
    assert result.returncode == 0, result.stderr
    assert "Phòng Tổ chức cán bộ (TCCB)" in result.stdout
    assert "Chủ trì 5 nhiệm vụ" in result.stdout
    assert "Kế hoạch tài chính" in result.stdout  # alias listed


def test_deadlines_with_today(tmp_path: Path) -> None:
    assert run(tmp_path, "import", str(SEEDS)).returncode == 0
    result = run(tmp_path, "deadlines", "--today", "2026-11-22")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Gửi kế hoạch CCHC năm về Sở" in out
    block = out.split("• Gửi kế hoạch CCHC năm về Sở", 1)[1].split("•", 1)[0]
    assert "15/01/2027" in block and "hằng năm" in block
    budget = out.split("• Dự trù kinh phí thực hiện nhiệm vụ CCHC", 1)[1].split("•", 1)[0]
    assert "25/01/2027" in budget
    assert "10/12/2026" in out
    assert "Kế hoạch công tác CCHC" in out


def test_deadlines_bad_date(tmp_path: Path) -> None:
    result = run(tmp_path, "deadlines", "--today", "22/11/2026")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "YYYY-MM-DD" in result.stderr


def test_first_use_imports_bundled_documents(tmp_path: Path) -> None:
    result = run(tmp_path, "deadlines", "--today", "2026-11-22")
    assert result.returncode == 0, result.stderr
    assert "Báo cáo quý kết quả CCHC" in result.stdout
