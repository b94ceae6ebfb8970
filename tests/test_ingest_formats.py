"""Import of .docx, .pdf and an unseen plan; idempotence, replacement, and bad files that change
nothing."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select

import knowledge.models  # noqa: F401
from knowledge.db import init_db, make_engine, read_session
from knowledge.deadlines import load_occurrences
from knowledge.ingest.errors import IngestError
from knowledge.ingest.importer import STATUS_NEW, STATUS_REPLACED, STATUS_UNCHANGED, import_paths
from knowledge.ingest.readers import MAX_BYTES, MAX_CHARS
from knowledge.models import (
    Deadline,
    DeadlineUnit,
    Document,
    DocumentKind,
    RecurrenceKind,
    Reference,
    Responsibility,
    Section,
    Task,
    TaskUnit,
    Unit,
    UnitRole,
)
from tests.ingest_samples import (
    UNSEEN_PLAN,
    build_docx,
    build_image_only_pdf,
    build_pdf,
    unicode_font,
)

SEEDS = Path(__file__).resolve().parent.parent / "data" / "documents"
ALL_TABLES = (
    Document,
    Section,
    Unit,
    Task,
    TaskUnit,
    Responsibility,
    Deadline,
    DeadlineUnit,
    Reference,
)


@pytest.fixture()
def engine(tmp_path: Path):  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'kb.db'}")
    init_db(engine)
    return engine


def snapshot(engine) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Row counts and the document hashes: enough to see any write."""
    with read_session(engine) as session:
        counts = {
            m.__name__: session.exec(select(func.count()).select_from(m)).one() for m in ALL_TABLES
        }
        hashes = sorted(session.exec(select(Document.content_hash)).all())
        ids = sorted(session.exec(select(Task.id)).all())
    return {"counts": counts, "hashes": hashes, "task_ids": ids}


def lead_names(session, task: Task) -> list[str]:  # type: ignore[no-untyped-def]
    rows = session.exec(
        select(Unit.name)
        .join(TaskUnit, TaskUnit.unit_id == Unit.id)
        .where(TaskUnit.task_id == task.id, TaskUnit.role == UnitRole.LEAD)
        .order_by(TaskUnit.position)
    ).all()
    return list(rows)


def test_docx_with_table_continuation_and_new_unit(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = build_docx(tmp_path / "kh-ninh-binh.docx")
    report = import_paths(engine, [path])
    [doc_report] = report.documents
    assert doc_report.status == STATUS_NEW
    assert "Phòng Quản lý chất lượng" in doc_report.units_new
    assert any("Phòng Quản lý chất lượng" in w for w in doc_report.warnings)
    with read_session(engine) as session:
        document = session.exec(select(Document)).one()
        assert document.kind is DocumentKind.PLAN
        assert document.number == "88/KH-SGDĐT"
        assert document.province == "Ninh Bình"
        assert (document.issued_day, document.issued_month, document.issued_year) == (5, 2, 2026)
        assert document.title == "Kế hoạch kiểm soát thủ tục hành chính năm 2026"
        assert document.signer_name == "Trần Văn Bình"
        tasks = session.exec(select(Task).order_by(Task.ordinal)).all()
        assert [t.number for t in tasks] == ["1", "2"]
        assert (
            tasks[1].content == "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực"
        )
        assert tasks[1].due_text == "Cả năm 2026"
        assert lead_names(session, tasks[1]) == ["Phòng Quản lý chất lượng"]
        learned = session.exec(select(Unit).where(Unit.name == "Phòng Quản lý chất lượng")).one()
        assert learned.learned_from == "kh-ninh-binh.docx"
        duties = session.exec(
            select(Responsibility).where(Responsibility.unit_id == learned.id)
        ).all()
        assert [d.text for d in duties] == [
            "Chủ trì đánh giá chất lượng giải quyết thủ tục hành chính."
        ]
        vp_id = session.exec(select(Unit.id).where(Unit.name == "Văn phòng Sở")).one()
        vp_duties = [
            d.text
            for d in session.exec(select(Responsibility).where(Responsibility.unit_id == vp_id))
        ]
        assert vp_duties == [  # the second bullet comes from Word's "List Bullet" style
            "Tổng hợp báo cáo quý gửi trước ngày 15 tháng cuối của quý.",
            "Công khai kết quả giải quyết hồ sơ trên Cổng thông tin.",
        ]
        quarterly = session.exec(
            select(Deadline).where(Deadline.rule_kind == RecurrenceKind.QUARTERLY)
        ).one()
        assert (quarterly.day, quarterly.month_in_period) == (15, 3)
        one_off = session.exec(select(Deadline).where(Deadline.task_id == tasks[0].id)).one()
        assert one_off.due_date == date(2026, 3, 31)


def test_learned_unit_is_known_to_the_next_document(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import_paths(engine, [build_docx(tmp_path / "a.docx")])
    plan = tmp_path / "kh-quang-ninh.md"
    plan.write_text(UNSEEN_PLAN, encoding="utf-8")
    report = import_paths(engine, [plan])
    assert report.documents[0].units_new == []
    with read_session(engine) as session:
        assert (
            len(session.exec(select(Unit).where(Unit.name == "Phòng Quản lý chất lượng")).all())
            == 1
        )


@pytest.mark.skipif(unicode_font() is None, reason="no Unicode TTF font on this machine")
def test_pdf_text_layer_import(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = import_paths(engine, [build_pdf(tmp_path / "cv-can-tho.pdf")])
    assert report.documents[0].status == STATUS_NEW
    with read_session(engine) as session:
        document = session.exec(select(Document)).one()
        assert document.kind is DocumentKind.DIRECTIVE
        assert document.number == "/SGDĐT-VP"
        assert document.province == "Cần Thơ"
        assert document.subject == "V/v báo cáo kết quả cải cách hành chính quý II năm 2026"
        assert document.recipients == ["Trưởng các phòng thuộc Sở"]
        assert document.signer_name == "Lê Văn Nam"
        deadline = session.exec(select(Deadline)).one()
        assert deadline.due_date == date(2026, 6, 20) and deadline.all_units
        assert (
            "cải cách hành chính quý II về Văn phòng Sở chậm nhất ngày 20/6/2026" in deadline.quote
        )
        assert session.exec(select(Reference.code)).all() == ["131/NQ-CP"]


def test_unseen_genre_plan(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plan = tmp_path / "kh-quang-ninh.md"
    plan.write_text(UNSEEN_PLAN, encoding="utf-8")
    import_paths(engine, [plan])
    with read_session(engine) as session:
        document = session.exec(select(Document)).one()
        assert document.number == "152/KH-SGDĐT"
        assert document.issuer_parent == "UBND tỉnh Quảng Ninh"
        assert document.province == "Quảng Ninh"
        assert document.title == "Kế hoạch triển khai công tác CCHC năm 2026 của Sở GDĐT"
        assert document.signer_name == "Nguyễn Thị Minh Hoa"
        tasks = session.exec(select(Task).order_by(Task.ordinal)).all()
        assert len(tasks) == 3
        assert lead_names(session, tasks[0]) == ["Phòng Quản lý chất lượng"]
        assert tasks[1].due_text == "Tháng 9/2026"
        rules = {(d.rule_kind, d.due_date, d.day) for d in session.exec(select(Deadline)).all()}
        assert (RecurrenceKind.MONTHLY, None, 20) in rules
        assert (
            RecurrenceKind.ONCE,
            date(2026, 6, 30),
            None,
        ) in rules  # Quý II/2026, chậm nhất 30/6/2026
        assert (RecurrenceKind.ONCE, date(2026, 9, 30), None) in rules  # Tháng 9/2026
        monthly = session.exec(
            select(Deadline).where(Deadline.rule_kind == RecurrenceKind.MONTHLY)
        ).one()
        assert monthly.all_units
        assert not any(
            d.due_date and d.due_date.year < 2026 for d in session.exec(select(Deadline)).all()
        )
        months = [
            o.due
            for o in load_occurrences(session, date(2026, 11, 1), date(2027, 1, 31))
            if o.deadline_id == monthly.id
        ]
        assert months == [date(2026, 11, 20), date(2026, 12, 20), date(2027, 1, 20)]


def test_reimport_same_content_changes_nothing(engine) -> None:  # type: ignore[no-untyped-def]
    import_paths(engine, [SEEDS])
    before = snapshot(engine)
    report = import_paths(engine, [SEEDS])
    assert {d.status for d in report.documents} == {STATUS_UNCHANGED}
    assert any("không đổi" in line for line in report.lines())
    assert snapshot(engine) == before


def test_changed_file_replaces_its_document(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plan = tmp_path / "kh-quang-ninh.md"
    plan.write_text(UNSEEN_PLAN, encoding="utf-8")
    import_paths(engine, [plan])
    plan.write_text(
        UNSEEN_PLAN.replace(
            "| 3 | Tập huấn kỹ năng số cho công chức | Phòng Tổ chức cán bộ | Các phòng Sở | Cả "
            "năm 2026 |\n",
            "",
        ),
        encoding="utf-8",
    )
    report = import_paths(engine, [plan])
    assert report.documents[0].status == STATUS_REPLACED
    with read_session(engine) as session:
        assert session.exec(select(func.count()).select_from(Document)).one() == 1
        assert len(session.exec(select(Task)).all()) == 2
        doc_id = session.exec(select(Document.id)).one()
        for model in (Section, Task, Deadline, Reference, Responsibility):
            assert all(row.document_id == doc_id for row in session.exec(select(model)).all())
        orphan_links = session.exec(
            select(func.count())
            .select_from(TaskUnit)
            .where(TaskUnit.task_id.notin_(select(Task.id)))  # type: ignore[attr-defined]
        ).one()
        assert orphan_links == 0


def _bad_files(tmp_path: Path) -> dict[str, Path]:
    files = {}
    empty = tmp_path / "rong.txt"
    empty.write_bytes(b"")
    files["empty"] = empty
    blank = tmp_path / "trang.md"
    blank.write_text("   \n\n  \n", encoding="utf-8")
    files["blank"] = blank
    binary = tmp_path / "anh.txt"
    binary.write_bytes(bytes(range(256)) * 40)
    files["binary"] = binary
    unsupported = tmp_path / "bang.xlsx"
    unsupported.write_bytes(b"PK\x03\x04 not really")
    files["unsupported"] = unsupported
    corrupt = tmp_path / "hong.docx"
    corrupt.write_bytes(b"PK\x03\x04this is not a zip archive at all")
    files["corrupt_docx"] = corrupt
    zipped = tmp_path / "khong-phai-word.docx"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    files["zip_not_docx"] = zipped
    scan = tmp_path / "ban-quet.pdf"
    build_image_only_pdf(scan)
    files["pdf_without_text"] = scan
    broken_pdf = tmp_path / "hong.pdf"
    broken_pdf.write_bytes(b"%PDF-1.4\n garbage without objects")
    files["broken_pdf"] = broken_pdf
    huge = tmp_path / "qua-dai.txt"
    huge.write_text(
        ("Dòng văn bản dài để thử giới hạn. " * 40 + "\n") * (MAX_CHARS // 1300 + 10),
        encoding="utf-8",
    )
    files["huge_chars"] = huge
    files["missing"] = tmp_path / "khong-co.txt"
    return files


@pytest.mark.parametrize(
    "kind",
    [
        "empty",
        "blank",
        "binary",
        "unsupported",
        "corrupt_docx",
        "zip_not_docx",
        "pdf_without_text",
        "broken_pdf",
        "huge_chars",
        "missing",
    ],
)
def test_bad_file_leaves_database_unchanged(engine, tmp_path: Path, kind: str) -> None:  # type: ignore[no-untyped-def]
    import_paths(engine, [SEEDS / "cv-2022-binh-dinh-nq-131.txt"])
    before = snapshot(engine)
    bad = _bad_files(tmp_path)[kind]
    good = tmp_path / "kh-quang-ninh.md"
    good.write_text(UNSEEN_PLAN, encoding="utf-8")
    with pytest.raises(IngestError) as caught:
        import_paths(engine, [good, bad])  # the good file must not be written either
    message = str(caught.value)
    assert bad.name in message
    assert any(ch in message for ch in "ăâđêôơưáàảãạ")  # a Vietnamese explanation
    assert snapshot(engine) == before


def test_huge_file_by_size_is_refused(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    huge = tmp_path / "rat-lon.txt"
    with huge.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(IngestError, match="quá lớn"):
        import_paths(engine, [huge])
    assert snapshot(engine)["counts"]["Document"] == 0  # type: ignore[index]


def test_legacy_encodings_are_read(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = UNSEEN_PLAN.split("I. MỤC TIÊU")[0] + "I. MỤC TIÊU\n\n1. Nâng cao chất lượng phục vụ.\n"
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    import_paths(engine, [bom])
    with read_session(engine) as session:
        assert session.exec(select(Document.number)).one() == "152/KH-SGDĐT"


def test_unseen_directive_two_columns_unit_bullets_and_group_rows(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.ingest_samples import UNSEEN_DIRECTIVE

    path = tmp_path / "cv-thanh-hoa.txt"
    path.write_text(UNSEEN_DIRECTIVE, encoding="utf-8")
    import_paths(engine, [path])
    with read_session(engine) as session:
        document = session.exec(select(Document)).one()
        assert document.kind is DocumentKind.DIRECTIVE
        assert document.number == "2031/SGDĐT-VP"
        assert document.issuer_parent == "UBND tỉnh Thanh Hóa"
        assert (document.issued_day, document.issued_month, document.issued_year) == (7, 10, 2026)
        assert document.subject == "V/v triển khai nhiệm vụ cải cách hành chính quý IV năm 2026"
        assert document.signer_name == "Lê Thị Thu"  # no "Nơi nhận" block
        tasks = session.exec(select(Task).order_by(Task.ordinal)).all()
        assert [t.number for t in tasks] == ["1", "2"]  # group rows are not tasks
        assert tasks[0].content == "Công khai thủ tục hành chính mới"

        def texts(name: str) -> list[str]:
            unit_id = session.exec(select(Unit.id).where(Unit.name == name)).one()
            return [
                r.text
                for r in session.exec(
                    select(Responsibility).where(Responsibility.unit_id == unit_id)
                )
            ]

        assert texts("Văn phòng Sở") == ["Tổng hợp kết quả CCHC quý IV của các phòng, đơn vị."]
        assert texts("Phòng Tổ chức cán bộ") == [
            "Rà soát vị trí việc làm của các đơn vị trực thuộc;",
            "Tham mưu kế hoạch bồi dưỡng công chức năm 2027.",
        ]
        assert len(texts("Phòng Kế hoạch - Tài chính")) == 1 and len(texts("Thanh tra Sở")) == 1
        titles = {d.title: d for d in session.exec(select(Deadline)).all()}
        half = titles["Báo cáo 6 tháng kết quả CCHC"]
        assert (
            half.rule_kind is RecurrenceKind.YEARLY
            and (half.month, half.day) == (6, 15)
            and half.all_units
        )
        assert titles["Báo cáo năm kết quả CCHC"].month == 11


def _cp1258(text: str) -> bytes:
    """Windows-1258 bytes: vowel marks precomposed, tone marks as combining characters."""
    import unicodedata

    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


def test_utf8_with_one_broken_byte_and_legacy_code_page(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = UNSEEN_PLAN.split("I. MỤC TIÊU")[0] + "I. MỤC TIÊU\n\n1. Nâng cao chất lượng phục vụ.\n"
    broken = tmp_path / "hong-mot-byte.txt"
    broken.write_bytes(text.encode("utf-8").replace("Nâng".encode(), b"N\xe2ng"))
    legacy = tmp_path / "ma-cu.txt"
    legacy.write_bytes(
        _cp1258(text.replace("152/KH", "153/KH").replace("Quảng Ninh", "Thừa Thiên Huế"))
    )
    import_paths(engine, [broken, legacy])
    with read_session(engine) as session:
        rows = session.exec(select(Document.source_file, Document.province, Document.title)).all()
        by_file = {name: (province, title) for name, province, title in rows}
        assert by_file["hong-mot-byte.txt"][0] == "Quảng Ninh"
        assert by_file["ma-cu.txt"] == (
            "Thừa Thiên Huế",
            "Kế hoạch triển khai công tác CCHC năm 2026 của Sở GDĐT",
        )


def test_docx_header_and_signature_in_layout_tables(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.ingest_samples import build_docx_with_layout_tables

    import_paths(engine, [build_docx_with_layout_tables(tmp_path / "cv-nghe-an.docx")])
    with read_session(engine) as session:
        document = session.exec(select(Document)).one()
        assert document.kind is DocumentKind.DIRECTIVE
        assert document.issuer_parent == "UBND tỉnh Nghệ An"
        assert document.issuer == "Sở Giáo dục và Đào tạo"
        assert document.number == "745/SGDĐT-VP"
        assert document.subject == "V/v báo cáo công tác cải cách hành chính năm 2026"
        assert (document.issued_day, document.issued_month, document.issued_year) == (2, 11, 2026)
        assert document.province == "Nghệ An"
        assert document.recipients == ["Các phòng chuyên môn nghiệp vụ thuộc Sở"]
        assert (document.signer_name, document.signer_title) == (
            "Hồ Văn Tâm",
            "Phó Giám đốc (KT. Giám đốc)",
        )
        deadline = session.exec(select(Deadline)).one()
        assert deadline.due_date == date(2026, 12, 5)
        assert session.exec(select(Task)).all() == []
