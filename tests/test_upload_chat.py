"""Documents from chat through the real Conversation: stage and preview, cancel, confirm with
notices, a replaced version keeping done marks, retirement, and refused uploads."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func
from sqlmodel import select

from bot.run import build_conversation
from bot.settings import Settings
from bot.wiring import build_services
from handlers.types import ContentKind, Incoming, IncomingFile
from jobs.done import active_marks, mark_done
from jobs.models import ReminderKind, ReminderLog
from jobs.planner import PlannerConfig
from jobs.tick import plan_now
from knowledge.db import read_session, write_session
from knowledge.deadlines import load_occurrences
from knowledge.models import Deadline, Document, StagedUpload, Task, Unit
from tests.unseen_samples import DIRECTIVE_PARAGRAPHS

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ADMIN = "900"
NOW = datetime(2026, 4, 10, 9, 0, tzinfo=TZ)  # ten days before the directive's 20/4/2026


def directive_docx(path: Path, extra: tuple[str, ...] = ()) -> bytes:
    import docx

    document = docx.Document()
    paragraphs = list(DIRECTIVE_PARAGRAPHS)
    at = paragraphs.index(
        "Nhận được Công văn này, đề nghị Thủ trưởng các đơn vị triển khai thực hiện nghiêm túc."
    )
    for text in (*paragraphs[:at], *extra, *paragraphs[at:]):
        document.add_paragraph(text)
    document.save(str(path))
    return path.read_bytes()


PLAN_MD = """UBND TỈNH KHÁNH HÒA
SỞ GIÁO DỤC VÀ ĐÀO TẠO

Số: 77/KH-SGDĐT

Khánh Hòa, ngày 10 tháng 01 năm 2026

KẾ HOẠCH
Công tác cải cách hành chính năm 2026

I. MỤC ĐÍCH, YÊU CẦU
Triển khai có hiệu quả công tác cải cách hành chính năm 2026.

II. NHIỆM VỤ
Chi tiết tại danh mục kèm theo.

| TT | Nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành | Sản phẩm |
|---|---|---|---|---|---|
| 1 | Rà soát thủ tục hành chính thuộc thẩm quyền của Sở | Văn phòng Sở | Phòng Tổ chức cán bộ | Trước ngày 20/4/2026 | Báo cáo |
| 2 | Số hoá hồ sơ, kết quả giải quyết thủ tục hành chính | Trung tâm Dữ liệu và Chuyển đổi số giáo dục | Văn phòng Sở | Trước ngày 30/6/2026 | Báo cáo |
| 3 | Tuyên truyền về cải cách hành chính |  | Văn phòng Sở | Trong năm 2026 | Tin bài |

III. TỔ CHỨC THỰC HIỆN
Văn phòng Sở tổng hợp báo cáo kết quả gửi Giám đốc Sở trước ngày 10/12/2026.

GIÁM ĐỐC
Nguyễn Văn B
""".encode()  # noqa: E501 (document text: a task table's rows are long lines)


@pytest.fixture
def conv(bundled_copy):  # type: ignore[no-untyped-def]
    settings = Settings(database_url=f"sqlite:///{bundled_copy}", admin_ids=frozenset({ADMIN}))
    services = build_services(settings, clock=lambda: NOW)
    return build_conversation(services), services


def say(conv, user: str, text: str):  # type: ignore[no-untyped-def]
    kind = ContentKind.CHOICE if ":" in text and not text.startswith("/") else ContentKind.TEXT
    return conv.handle(
        Incoming(
            channel="telegram",
            chat_id=user,
            user_id=user,
            display_name=f"Cán bộ {user}",
            kind=kind,
            text=text,
        )
    )


def send_file(conv, user: str, name: str, data: bytes | None, size: int | None = None):  # type: ignore[no-untyped-def]
    file = IncomingFile(name, size if size is not None else len(data or b""), data)
    return conv.handle(
        Incoming(
            channel="telegram",
            chat_id=user,
            user_id=user,
            display_name=f"Cán bộ {user}",
            kind=ContentKind.FILE,
            file=file,
        )
    )


def text_of(replies) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(r.text for r in replies)


def payloads(replies, prefix: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.payload for r in replies for c in r.choices if c.payload.startswith(prefix + ":")]


def kb_state(services) -> tuple:  # type: ignore[no-untyped-def]
    """Everything a bad or cancelled upload must leave unchanged."""
    with read_session(services.engine) as s:
        return tuple(
            s.exec(select(func.count()).select_from(m)).one()
            for m in (Document, Task, Deadline, Unit, ReminderLog)
        )


def staged_count(services) -> int:  # type: ignore[no-untyped-def]
    with read_session(services.engine) as s:
        return s.exec(select(func.count()).select_from(StagedUpload)).one()


def test_preview_cancel_then_confirm_notifies_each_chat_once(conv) -> None:
    conv, services = conv
    say(conv, "501", "/start")
    say(conv, "501", "/donvi van phong so")  # a subscriber of a unit the plan names
    data = PLAN_MD
    before = kb_state(services)

    preview = send_file(conv, ADMIN, "kh-77.md", data)
    text = text_of(preview)
    assert "Xem trước văn bản “kh-77.md”" in text
    assert "kế hoạch" in text and "77/KH-SGDĐT" in text and "10 tháng 01 năm 2026" in text
    assert "3 nhiệm vụ" in text and "Văn phòng Sở: chủ trì 1" in text
    assert "hạn tới: 20/04/2026" in text and "hạn tới: 10/12/2026" in text
    assert "⚑ Trung tâm Dữ liệu và Chuyển đổi số giáo dục" in text  # new to the knowledge base
    assert "Nhiệm vụ 3: chưa xác định được đơn vị chủ trì" in text  # a row without a lead
    assert "không đọc được thành ngày" in text
    yes, no = payloads(preview, "up")
    assert yes.endswith(":y") and no.endswith(":n") and len(yes.encode()) <= 64
    assert kb_state(services) == before  # staging changes nothing

    assert "Đã huỷ" in text_of(say(conv, ADMIN, no))
    assert kb_state(services) == before
    assert "đã bị huỷ" in text_of(say(conv, ADMIN, yes))  # a cancelled preview cannot be loaded

    token = payloads(send_file(conv, ADMIN, "kh-77.md", data), "up")[0]
    done = text_of(say(conv, ADMIN, token))
    assert "Đã nạp" in done and "tin báo" in done
    with read_session(services.engine) as s:
        assert s.exec(select(func.count()).select_from(Document)).one() == before[0] + 1
        notices = s.exec(
            select(ReminderLog).where(ReminderLog.kind == ReminderKind.BROADCAST)
        ).all()
    to_user = [n for n in notices if n.chat_id == "501"]
    assert len(to_user) == 1
    assert "Văn bản mới: Kế hoạch công tác CCHC năm 2026 số 77/KH-SGDĐT" in to_user[0].text
    assert "Giao cho đơn vị 3 nhiệm vụ" in to_user[0].text  # leads one, cooperates on two
    assert "Hạn gần nhất: 20/04/2026" in to_user[0].text
    assert "đã được nạp rồi" in text_of(say(conv, ADMIN, token))  # pressing twice loads once
    with read_session(services.engine) as s:
        assert len(s.exec(select(ReminderLog).where(ReminderLog.chat_id == "501")).all()) == 1


def test_replaced_version_keeps_done_marks_of_unchanged_deadlines(conv, tmp_path: Path) -> None:
    conv, services = conv
    first = directive_docx(tmp_path / "v1.docx")
    say(conv, ADMIN, payloads(send_file(conv, ADMIN, "cv-1234.docx", first), "up")[0])
    with write_session(services.engine) as s:
        doc_id = next(d.id for d in s.exec(select(Document)) if d.number == "1234/SGDĐT-VP")
        occ = next(
            o
            for o in load_occurrences(s, NOW.date(), NOW.date().replace(month=5))
            if o.document_id == doc_id
        )
        unit_id = next(iter(occ.unit_ids))
        mark_done(s, unit_id=unit_id, occurrence=occ, person_id=None, by="thử", now=NOW)
    second = directive_docx(
        tmp_path / "v2.docx",
        (
            "5. Phòng Kế hoạch - Tài chính chủ trì tổng hợp kinh phí thực hiện, gửi Văn phòng Sở"
            " trước ngày 30/5/2026.",
        ),
    )
    preview = send_file(conv, ADMIN, "cv-1234.docx", second)
    assert "Thay thế bản đã nạp" in text_of(preview)
    result = text_of(say(conv, ADMIN, payloads(preview, "up")[0]))
    assert "giữ 1 đánh dấu" in result
    with read_session(services.engine) as s:
        docs = [d for d in s.exec(select(Document)) if d.number == "1234/SGDĐT-VP"]
        assert len(docs) == 1  # replaced, not duplicated
        new_occ = next(
            o
            for o in load_occurrences(s, NOW.date(), NOW.date().replace(month=5))
            if o.document_id == docs[0].id and o.due == occ.due
        )
        assert (unit_id, new_occ.key) in active_marks(s, [new_occ.key])


def test_retiring_a_document_stops_its_reminders(conv, tmp_path: Path) -> None:
    conv, services = conv
    data = directive_docx(tmp_path / "cv.docx")
    say(conv, ADMIN, payloads(send_file(conv, ADMIN, "cv-1234.docx", data), "up")[0])
    say(conv, "601", "/start")
    say(conv, "601", "/donvi Phòng Khảo thí và Kiểm định chất lượng giáo dục")
    reminder_day = datetime(2026, 4, 13, 9, 0, tzinfo=TZ)
    with read_session(services.engine) as s:
        doc_id = next(d.id for d in s.exec(select(Document)) if d.number == "1234/SGDĐT-VP")
    planned = [
        p
        for p in plan_now(services.engine, PlannerConfig(tz=TZ), now=reminder_day)
        if p.occurrence.document_id == doc_id
    ]
    assert planned  # before retirement the unit is reminded

    assert payloads(say(conv, "601", "/vanban 1234"), "rt") == []  # not for ordinary users
    ask = payloads(say(conv, ADMIN, "/vanban 1234"), "rt")
    assert ask == [f"rt:{doc_id}:ask"]
    confirm = payloads(say(conv, ADMIN, ask[0]), "rt")
    assert "Đã ngừng áp dụng" in text_of(say(conv, ADMIN, confirm[0]))
    assert not [
        p
        for p in plan_now(services.engine, PlannerConfig(tz=TZ), now=reminder_day)
        if p.occurrence.document_id == doc_id
    ]
    assert "đã ngừng áp dụng" in text_of(say(conv, "601", "/vanban 1234"))
    assert payloads(say(conv, ADMIN, "/vanban 1234"), "rt") == []


@pytest.mark.parametrize(
    ("name", "data", "size", "expected"),
    [
        ("virus.exe", b"MZ\x90\x00", None, "không được hỗ trợ"),
        ("lon.pdf", None, 30 * 1024 * 1024, "quá lớn"),
        ("hong.docx", b"PK\x03\x04 not really a docx", None, "Không đọc được tệp"),
        ("rong.txt", b"", None, "rỗng"),
        ("anh.pdf", b"%PDF-1.4 garbage", None, "Không đọc được tệp"),
    ],
)
def test_bad_uploads_get_a_clear_message_and_change_nothing(
    conv, name: str, data: bytes | None, size: int | None, expected: str
) -> None:
    conv, services = conv
    before = kb_state(services)
    reply = text_of(send_file(conv, ADMIN, name, data, size))
    assert expected in reply and "Không có gì thay đổi" in reply
    assert kb_state(services) == before and staged_count(services) == 0


def test_a_non_admin_cannot_upload(conv, tmp_path: Path) -> None:
    conv, services = conv
    before = kb_state(services)
    reply = text_of(send_file(conv, "501", "cv.docx", directive_docx(tmp_path / "cv.docx")))
    assert "Chỉ cán bộ quản trị" in reply
    assert kb_state(services) == before and staged_count(services) == 0
    # nor press another admin's Nạp
    token = payloads(send_file(conv, ADMIN, "cv.docx", (tmp_path / "cv.docx").read_bytes()), "up")[
        0
    ]
    assert "chỉ dành cho cán bộ quản trị" in text_of(say(conv, "501", token))
    assert kb_state(services) == before


def member_count(services) -> int:  # type: ignore[no-untyped-def]
    from knowledge.models import UnitMember

    with read_session(services.engine) as s:
        return s.exec(select(func.count()).select_from(UnitMember)).one()


def test_a_member_list_is_previewed_then_loaded(conv) -> None:
    conv, services = conv
    before = member_count(services)
    csv_data = (
        "don_vi,ten\nCác đơn vị giáo dục,THPT Trần Phú\n"
        "Các đơn vị giáo dục,Trung tâm GDNN-GDTX Lê Chân\n"
    ).encode()
    preview = send_file(conv, ADMIN, "thanh_vien.csv", csv_data)
    assert "Xem trước danh sách thành viên" in text_of(preview)
    assert "2 thành viên mới: THPT Trần Phú, Trung tâm GDNN-GDTX Lê Chân" in text_of(preview)
    assert member_count(services) == before  # the preview wrote nothing
    loaded = text_of(say(conv, ADMIN, payloads(preview, "up")[0]))
    assert "Đã nạp danh sách thành viên" in loaded and member_count(services) == before + 2

    bad = text_of(
        send_file(conv, ADMIN, "sai.csv", "don_vi,ten\nKhông có đơn vị này,Trường X\n".encode())
    )
    assert "không có đơn vị “Không có đơn vị này”" in bad and "Không có gì thay đổi" in bad
    assert member_count(services) == before + 2 and staged_count(services) == 1
