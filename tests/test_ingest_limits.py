"""Hostile or locked files: a .docx zip bomb is refused from its zip directory with bounded memory,
extracted text has a global cap, and a password-protected PDF is named as such."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from knowledge.ingest import readers
from knowledge.ingest.errors import IngestError
from knowledge.ingest.readers import read_document
from tests.ingest_samples import build_docx, unicode_font
from tests.support.subprocess_bot import ROOT, bot_env

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" '
    b'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def write_docx_bomb(path: Path, unpacked: int = 1 << 30) -> Path:
    """A valid Word package of a few MB whose document.xml inflates to `unpacked` bytes."""
    paragraph = b"<w:p><w:r><w:t>" + b"A" * 1000 + b"</w:t></w:r></w:p>"
    chunk = paragraph * 1000
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("_rels/.rels", RELS)
        with package.open("word/document.xml", "w", force_zip64=True) as body:
            body.write(b'<?xml version="1.0"?><w:document ' + W + b"><w:body>")
            for _ in range(unpacked // len(chunk)):
                body.write(chunk)
            body.write(b"</w:body></w:document>")
    return path


def database_fingerprint(db: Path) -> str:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()


# The real CLI (`python -m bot import`), run by a wrapper that caps its address space (a
# regression fails fast instead of eating the machine) and reports its own peak memory at exit.
# The peak is VmHWM of the process's own memory: the rusage of a child counts the memory of the
# parent it was forked from (here, the whole test session) and would overstate it.
PEAK_WRAPPER = """
import atexit, resource, runpy, sys
resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
def report_peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            print("PEAK_KB", line.split()[1], file=sys.stderr)
atexit.register(report_peak)
sys.argv = ["bot", *sys.argv[1:]]
runpy.run_module("bot", run_name="__main__", alter_sys=True)
"""


def test_docx_zip_bomb_is_refused_with_bounded_memory(tmp_path: Path) -> None:
    bomb = write_docx_bomb(tmp_path / "ke-hoach-cchc.docx")
    assert bomb.stat().st_size < readers.MAX_BYTES  # small enough to pass the file-size check
    env = bot_env(tmp_path)
    seeds = str(ROOT / "data" / "documents")
    first = subprocess.run(
        [sys.executable, "-m", "bot", "import", seeds],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert first.returncode == 0, first.stderr
    before = database_fingerprint(tmp_path / "bot.db")
    process = subprocess.run(
        [sys.executable, "-c", PEAK_WRAPPER, "import", str(bomb)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    stderr = process.stderr
    peak_mb = int(re.search(r"PEAK_KB (\d+)", stderr).group(1)) / 1024
    print(f"zip bomb import: peak RSS {peak_mb:.0f} MB")
    assert process.returncode == 1, stderr
    assert "tệp .docx khi giải nén lên tới 1.023,6 MB" in stderr and "zip bomb" in stderr
    assert "Không có thay đổi nào được ghi vào cơ sở dữ liệu." in stderr
    assert "Traceback" not in stderr
    assert peak_mb < 300
    assert database_fingerprint(tmp_path / "bot.db") == before


def test_too_many_archive_members_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "nhieu-thanh-phan.docx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        for i in range(readers.MAX_ARCHIVE_ENTRIES + 1):
            package.writestr(f"customXml/item{i}.xml", b"<a/>")
    with pytest.raises(IngestError, match="thành phần nén.*zip bomb"):
        read_document(path)


def test_extracted_text_has_a_global_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = build_docx(tmp_path / "ke-hoach.docx")
    assert read_document(path).blocks  # an ordinary document reads
    monkeypatch.setattr(readers, "MAX_CHARS", 200)
    with pytest.raises(IngestError, match="văn bản quá dài"):
        read_document(path)


def _encrypted_pdf(path: Path, *, user_password: str) -> Path:
    from fpdf import FPDF

    font = unicode_font()
    if font is None:
        if os.environ.get("CI") == "true":
            raise AssertionError("no Unicode TTF font on the CI machine")
        pytest.skip("no Unicode TTF font (DejaVuSans) on this machine")
    pdf = FPDF()
    pdf.set_encryption(owner_password="chu-so-huu", user_password=user_password)
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(font))
    pdf.set_font("DejaVu", size=11)
    for line in (
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        "Kế hoạch cải cách hành chính năm 2027",
        "Các phòng gửi báo cáo về Văn phòng Sở trước ngày 10/12/2027.",
    ):
        pdf.cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def test_a_user_password_pdf_is_reported_as_password_protected(tmp_path: Path) -> None:
    path = _encrypted_pdf(tmp_path / "bao-mat.pdf", user_password="mat-khau")
    with pytest.raises(IngestError) as error:
        read_document(path)
    assert "được bảo vệ bằng mật khẩu" in str(error.value)
    assert "bị hỏng" not in str(error.value)


def test_an_owner_password_only_pdf_still_imports(tmp_path: Path) -> None:
    path = _encrypted_pdf(tmp_path / "chi-han-che-in.pdf", user_password="")
    text = "\n".join(b.text for b in read_document(path).blocks)
    assert "Văn phòng Sở" in text


IMPOSSIBLE_DATE_DIRECTIVE = """SỞ GIÁO DỤC VÀ ĐÀO TẠO
Số: 15/SGDĐT-VP
V/v báo cáo kết quả cải cách hành chính

Kính gửi: Các phòng thuộc Sở.

Sở Giáo dục và Đào tạo đề nghị Phòng Tổ chức cán bộ gửi báo cáo kết quả cải cách hành chính
về Văn phòng Sở chậm nhất ngày 31/02/2027.

GIÁM ĐỐC
Nguyễn Văn A
"""


def test_an_impossible_date_is_imported_with_a_vietnamese_warning(tmp_path: Path) -> None:
    from sqlmodel import select

    from knowledge.db import make_engine, read_session
    from knowledge.models import Deadline
    from tests.support.subprocess_bot import run_bot

    path = tmp_path / "cv-15-bao-cao.txt"
    path.write_text(IMPOSSIBLE_DATE_DIRECTIVE, encoding="utf-8")
    result = run_bot(bot_env(tmp_path), "import", str(path))
    assert result.returncode == 0, result.stderr
    assert (
        "⚠ Ngày “31/02/2027” không có thật; bot hiểu là 28/02/2027 (ngày cuối tháng). "
        "Hãy kiểm tra lại văn bản."
    ) in result.stdout
    with read_session(make_engine(f"sqlite:///{tmp_path / 'bot.db'}")) as s:
        dues = [d.due_date for d in s.exec(select(Deadline))]
    assert [str(d) for d in dues] == ["2027-02-28"]


def test_real_dates_and_month_ends_give_no_date_warning() -> None:
    from knowledge.ingest.deadlines import find_rules, impossible_date_warning

    for text in (
        "chậm nhất ngày 29/02/2028",
        "trước ngày 31/12/2027",
        "trước ngày 30/4 hằng năm",
        "trước ngày 29/02 hằng năm",
        "hoàn thành trong tháng 02/2027",
    ):
        found = find_rules(text, cue_optional=True)
        assert [impossible_date_warning(f) for f in found] == [""], text
    [found] = find_rules("trước ngày 30/02 hằng năm")
    assert "ngày cuối tháng 02 hằng năm" in impossible_date_warning(found)
