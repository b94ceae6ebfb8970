"""A small hand-made knowledge base inserted through the models, for engine unit tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.engine import Engine

from knowledge.db import init_db, make_engine, write_session
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
)  # fmt: skip
from knowledge.normalize import fold


def build(path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{path}")
    init_db(engine)
    with write_session(engine) as s:
        units = {
            "vp": Unit(name="Văn phòng Sở", short_name="VP", aliases=["Văn phòng"]),
            "tccb": Unit(
                name="Phòng Tổ chức cán bộ", short_name="TCCB", aliases=["Tổ chức cán bộ"]
            ),
            "khtc": Unit(
                name="Phòng Kế hoạch - Tài chính",
                short_name="KHTC",
                aliases=["Kế hoạch tài chính"],
            ),
            "tt": Unit(name="Thanh tra Sở", short_name="", aliases=["Thanh tra"]),
            "qlcl": Unit(name="Phòng Quản lý chất lượng", short_name="QLCL"),
        }
        for u in units.values():
            s.add(u)
        plan = Document(
            kind=DocumentKind.PLAN,
            number="/KH-SGDĐT",
            issuer="Sở Giáo dục và Đào tạo",
            issuer_parent="UBND thành phố Hải Phòng",
            province="Hải Phòng",
            date_text="ngày tháng 01 năm 2025",
            issued_year=2025,
            period_start=2025,
            period_end=2025,
            title="Kế hoạch Công tác Cải cách hành chính nhà nước năm 2025",
            signer_name="Phạm Quốc Hiệu",
            signer_title="KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC",
            source_file="kh.txt",
            content_hash="a",
        )
        plan2 = Document(
            kind=DocumentKind.PLAN,
            number="",
            issuer="Sở Giáo dục và Đào tạo",
            issued_year=2025,
            period_start=2026,
            period_end=2030,
            title=(
                "Kế hoạch thực hiện Chương trình tổng thể cải cách hành chính giai đoạn 2026-2030"
            ),
            signer_name="Lương Văn Việt",
            signer_title="GIÁM ĐỐC",
            source_file="kh2.txt",
            content_hash="b",
        )
        cv = Document(
            kind=DocumentKind.DIRECTIVE,
            number="/SGDĐT-VP",
            issuer="Sở Giáo dục và Đào tạo",
            date_text="ngày tháng năm 2025",
            issued_year=2025,
            title="V/v triển khai Kết luận của Ban Chỉ đạo cải cách hành chính của Chính phủ",
            subject="V/v triển khai Kết luận của Ban Chỉ đạo cải cách hành chính của Chính phủ",
            recipients=["Trưởng các phòng CMNV cơ quan Sở"],
            signer_name="Phạm Quốc Hiệu",
            signer_title="KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC",
            source_file="cv.txt",
            content_hash="c",
        )
        s.add_all([plan, plan2, cv])
        s.flush()
        s.add_all(
            [
                Section(
                    document_id=plan2.id,
                    ordinal=1,
                    path="II.2.a",
                    heading="a) Mục tiêu",
                    text=(
                        "- 100% thủ tục hành chính của Sở có đủ điều kiện, được cung cấp trực "
                        "tuyến.\n"
                        "Tỷ lệ hồ sơ giải quyết trực tuyến trên tổng số hồ sơ đạt tối thiểu 85%."
                    ),
                ),
                Section(
                    document_id=cv.id,
                    ordinal=1,
                    path="",
                    heading="",
                    text=(
                        "Thực hiện Văn bản số 24/BCĐ-KSTTHC ngày 20/02/2025 của Ban Chỉ đạo cải "
                        "cách hành chính.\n"
                        "- Kịp thời triển khai thực hiện các chủ trương của Đảng về CCHC, nhất là "
                        "Nghị quyết số 57-NQ/TW.\n"
                        "- Tăng cường tích hợp các tiện ích trên ứng dụng định danh điện tử "
                        "(VNeID)."
                    ),
                ),
            ]
        )
        catalogue = [  # (number, content, lead, cooperate, due)
            ("2", "Thực hiện đo lường sự hài lòng đối với dịch vụ giáo dục công",
             "Tổ chức cán bộ", "Các phòng CMNV Sở", "Cả năm 2025"),
            ("4", "Thực hiện số hóa hồ sơ, kết quả giải quyết TTHC",
             "Văn phòng Sở", "Tổ chức cán bộ", "Cả năm 2025"),
            ("1", "Ban hành Kế hoạch CCHC năm 2025", "Văn phòng", "", "Trước ngày 15/01/2025"),
        ]  # fmt: skip
        tasks = [
            Task(document_id=plan.id, ordinal=ordinal, number=number, content=content,
                 lead_text=lead, cooperate_text=cooperate, due_text=due, section_path="Danh mục")
            for ordinal, (number, content, lead, cooperate, due) in enumerate(catalogue, start=1)
        ]  # fmt: skip
        s.add_all(tasks)
        s.flush()
        s.add_all(
            [
                TaskUnit(task_id=tasks[0].id, unit_id=units["tccb"].id, role=UnitRole.LEAD),
                TaskUnit(task_id=tasks[1].id, unit_id=units["vp"].id, role=UnitRole.LEAD),
                TaskUnit(task_id=tasks[1].id, unit_id=units["tccb"].id, role=UnitRole.COOPERATE),
                TaskUnit(task_id=tasks[2].id, unit_id=units["vp"].id, role=UnitRole.LEAD),
                Responsibility(
                    document_id=plan2.id,
                    unit_id=units["tccb"].id,
                    ordinal=1,
                    section_path="V.2.3",
                    text=(
                        "Hàng năm, tổ chức bồi dưỡng, tập huấn nâng cao năng lực cho cán bộ, "
                        "công chức, viên chức thực hiện công tác cải cách hành chính."
                    ),
                ),
                Responsibility(
                    document_id=plan.id,
                    unit_id=units["khtc"].id,
                    ordinal=2,
                    section_path="V.2.c",
                    text=(
                        "Chịu trách nhiệm chủ trì tham mưu thực hiện nội dung về cải cách tài "
                        "chính công."
                    ),
                ),
            ]
        )
        reports = (
            "báo cáo quý, 6 tháng gửi trước ngày 10 tháng cuối của quý, "
            "báo cáo năm gửi trước ngày 10/12"
        )
        rules = [  # (title, section, quote, rule fields)
            ("Báo cáo quý kết quả CCHC", "V.1.c", reports,
             dict(rule_kind=RecurrenceKind.QUARTERLY, day=10, month_in_period=3, all_units=True)),
            ("Báo cáo năm kết quả CCHC", "V.1.c", reports,
             dict(rule_kind=RecurrenceKind.YEARLY, day=10, month=12, all_units=True)),
            ("Gửi dự trù kinh phí thực hiện nhiệm vụ", "V.1.d",
             "xây dựng dự trù chi tiết kinh phí thực hiện các nhiệm vụ và gửi về Sở GDĐT "
             "trước ngày 25/01/2025",
             dict(rule_kind=RecurrenceKind.YEARLY, day=25, month=1)),
        ]  # fmt: skip
        dls = [
            Deadline(
                document_id=plan.id,
                ordinal=ordinal,
                title=title,
                section_path=section,
                quote=quote,
                **rule,
            )
            for ordinal, (title, section, quote, rule) in enumerate(rules, start=1)
        ]
        s.add_all(dls)
        s.flush()
        s.add(DeadlineUnit(deadline_id=dls[2].id, unit_id=units["khtc"].id))
        s.add_all(
            [
                Reference(
                    document_id=cv.id,
                    ordinal=1,
                    code="24/BCĐ-KSTTHC",
                    code_key=fold("24/BCĐ-KSTTHC"),
                    number="24",
                    doc_type="Văn bản",
                    date_text="ngày 20/02/2025",
                    issued_on=date(2025, 2, 20),
                    context=(
                        "Thực hiện Văn bản số 24/BCĐ-KSTTHC ngày 20/02/2025 của Ban Chỉ đạo cải "
                        "cách hành chính."
                    ),
                    section_path="",
                ),
                Reference(
                    document_id=cv.id,
                    ordinal=2,
                    code="57-NQ/TW",
                    code_key=fold("57-NQ/TW"),
                    number="57",
                    doc_type="Nghị quyết",
                    context=(
                        "Kịp thời triển khai thực hiện các chủ trương của Đảng về CCHC, nhất là "
                        "Nghị quyết số 57-NQ/TW."
                    ),
                    section_path="",
                ),
            ]
        )
    return engine
