"""/xong, /duyet, /tinhtrang and /nhatky through the real Conversation on the bundled documents."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.run import build_conversation
from bot.settings import Settings
from bot.wiring import build_services
from handlers.types import ContentKind, Incoming
from jobs.models import DoneMark, Person
from jobs.planner import PlannerConfig
from jobs.tick import plan_now
from knowledge.db import read_session
from knowledge.deadlines import load_occurrences

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ADMIN = "900"
NOW = datetime(2026, 12, 3, 9, 0, tzinfo=TZ)  # a week before the 10/12/2026 reports


@pytest.fixture
def conv(bundled_url):  # type: ignore[no-untyped-def]
    settings = Settings(database_url=bundled_url, admin_ids=frozenset({ADMIN}))
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


def text_of(replies) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(r.text for r in replies)


def payloads(replies, prefix: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.payload for r in replies for c in r.choices if c.payload.startswith(prefix + ":")]


def person_id(services, user: str) -> int:  # type: ignore[no-untyped-def]
    with read_session(services.engine) as s:
        return next(p.id for p in s.exec(select(Person)) if p.display_name.endswith(user))


def test_mark_done_needs_approval_then_marks_and_undoes(conv) -> None:
    conv, services = conv
    say(conv, "501", "/start")
    assert "Phòng Tổ chức cán bộ" in text_of(say(conv, "501", "/donvi tccb"))
    pending = text_of(say(conv, "501", "/xong"))
    assert "chưa được Văn phòng Sở duyệt" in pending
    # An ordinary user cannot approve; the admin can, from the list.
    assert "chỉ dành cho cán bộ quản trị" in text_of(say(conv, "501", "/duyet"))
    listing = say(conv, ADMIN, "/duyet")
    pid = person_id(services, "501")
    assert f"dy:{pid}" in payloads(listing, "dy")
    assert "Đã duyệt" in text_of(say(conv, ADMIN, f"dy:{pid}"))

    menu = say(conv, "501", "/xong")
    marks = payloads(menu, "x")
    assert marks and all(len(p.encode()) <= 64 for p in marks)
    assert "10/12/2026" in text_of(menu)
    done = say(conv, "501", marks[0])
    assert "Đã ghi nhận Phòng Tổ chức cán bộ hoàn thành (đúng hạn)" in text_of(done)
    key = marks[0][2:]
    with read_session(services.engine) as s:
        mark = s.exec(select(DoneMark)).one()
        assert (
            mark.occurrence_key == key
            and "telegram:501" in mark.marked_by
            and mark.undone_at is None
        )
    # The reminders for that occurrence stop for this unit.
    planned = plan_now(services.engine, PlannerConfig(tz=TZ), now=NOW)
    assert all(p.occurrence.key != key for p in planned if p.person_id == pid)
    assert any(p.person_id == pid for p in planned)  # the other occurrences still come
    # /xong now offers the undo; undoing resumes reminders.
    again = say(conv, "501", "/xong")
    assert f"xu:{key}" in payloads(again, "xu") and "Đã hoàn thành" in text_of(again)
    assert "Đã hoàn tác" in text_of(say(conv, "501", f"xu:{key}"))
    with read_session(services.engine) as s:
        assert s.exec(select(DoneMark)).one().undone_at is not None
    planned = plan_now(services.engine, PlannerConfig(tz=TZ), now=NOW)
    assert any(p.occurrence.key == key for p in planned if p.person_id == pid)


def test_member_cannot_mark_another_units_deadline(conv) -> None:
    conv, services = conv
    say(conv, "601", "/donvi van phong so")
    say(conv, ADMIN, f"/duyet {person_id(services, '601')}")
    # 15/01/2025 "Ban hành Kế hoạch CCHC năm 2025" belongs to Văn phòng Sở only; 25/01 budget
    # estimates belong to the Sở's departments collectively, not to a unit the user chose.
    say(conv, "602", "/donvi tccb")
    say(conv, ADMIN, f"/duyet {person_id(services, '602')}")
    with read_session(services.engine) as s:
        vp_only = next(
            o
            for o in load_occurrences(s, date(2025, 1, 1), date(2025, 1, 31))
            if o.title.startswith("Nhiệm vụ 1")
        )
    refused = text_of(say(conv, "602", f"x:{vp_only.key}"))
    assert "không thuộc Phòng Tổ chức cán bộ" in refused
    assert "đã cũ" in text_of(say(conv, "602", "x:99999@2026-12-10"))  # no such occurrence
    with read_session(services.engine) as s:
        assert s.exec(select(DoneMark)).all() == []


def test_status_board_and_audit_for_admins_only(conv) -> None:
    conv, services = conv
    say(conv, "701", "/donvi tccb")
    say(conv, ADMIN, f"/duyet {person_id(services, '701')}")
    say(conv, "701", payloads(say(conv, "701", "/xong"), "x")[0])
    assert "chỉ dành cho cán bộ quản trị" in text_of(say(conv, "701", "/tinhtrang"))
    board = text_of(say(conv, ADMIN, "/tinhtrang"))
    assert "10/12/2026" in board
    # one of the three reports due 10/12 (one obligation, one row): a status for each part
    assert "Phòng Tổ chức cán bộ: quý IV/2026: hoàn thành đúng hạn" in board
    assert "Văn phòng Sở: chưa hoàn thành (trong hạn)" in board
    audit = text_of(say(conv, ADMIN, "/nhatky"))
    assert "đánh dấu hoàn thành" in audit and "duyệt thành viên" in audit


def test_deadline_for_the_departments_reaches_each_department(conv) -> None:
    """25/01 budget estimates are addressed to "Các phòng CMNV Sở": every department is
    reminded."""
    conv, services = conv
    say(conv, "801", "/donvi tccb")
    say(conv, "802", "/donvi thanh tra so")
    now = datetime(2027, 1, 18, 8, 0, tzinfo=TZ)  # 7 days before 25/01/2027 (a Monday)
    planned = plan_now(services.engine, PlannerConfig(tz=TZ), now=now)
    budget = [p for p in planned if p.occurrence.title.startswith("Dự trù kinh phí")]
    assert sorted(p.address.chat_id for p in budget) == ["801", "802"]
    # The 15/01 plan submission is addressed to the education units, not to the departments.
    assert not any(p.occurrence.title.startswith("Gửi kế hoạch CCHC") for p in planned)


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    import csv
    import io

    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens the Vietnamese text correctly
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


async def _deliver_reminders(services, server) -> None:  # type: ignore[no-untyped-def]
    """One real reminder tick through PTB's Bot to the fake Telegram server."""
    from telegram import Bot

    from bot.telegram_sender import TelegramSender
    from jobs.senders import RateLimiter
    from jobs.tick import run_tick

    async with Bot(server.token, base_url=server.base_url) as bot:
        report = await run_tick(
            services.engine,
            {"telegram": TelegramSender(bot)},
            PlannerConfig(tz=TZ),
            now=NOW,
            limiters={"telegram": RateLimiter(500)},
        )
    assert report.sent >= 1


def test_audit_csv_for_admins_has_the_sent_reminder_and_the_done_mark(
    conv, telegram_server
) -> None:
    import asyncio

    conv, services = conv
    say(conv, "701", "/donvi tccb")
    say(conv, ADMIN, f"/duyet {person_id(services, '701')}")
    asyncio.run(_deliver_reminders(services, telegram_server))
    assert telegram_server.sent_messages(701)  # the reminder really went out
    say(conv, "701", payloads(say(conv, "701", "/xong"), "x")[0])

    refused = say(conv, "701", "/nhatky csv")
    assert "chỉ dành cho cán bộ quản trị" in text_of(refused)
    assert all(r.attachment is None for r in refused)

    [reply] = say(conv, ADMIN, "/nhatky csv")
    assert reply.text == "Nhật ký nhắc hạn và đánh dấu hoàn thành (CSV) đính kèm."
    assert reply.attachment is not None and reply.attachment.mime_type == "text/csv"
    assert reply.attachment.filename.endswith(".csv") and reply.attachment.filename.isascii()
    rows = _csv_rows(reply.attachment.data)
    sent = [r for r in rows if r["su_kien"] == "nhắc hạn" and r["trang_thai"] == "đã gửi"]
    assert any(
        "telegram:701" in r["nguoi_nhan_hoac_thuc_hien"] and r["don_vi"] == "Phòng Tổ chức cán bộ"
        for r in sent
    )
    done = [r for r in rows if r["su_kien"] == "đánh dấu hoàn thành"]
    assert len(done) == 1 and "telegram:701" in done[0]["nguoi_nhan_hoac_thuc_hien"]
    assert done[0]["ma_han"] in {r["ma_han"] for r in sent}  # the reminded occurrence was closed

    # The same bytes as the CLI export (one writer, one encoding).
    from jobs.audit import audit_events, write_audit_csv
    from jobs.csvfile import csv_bytes

    with read_session(services.engine) as s:
        assert (
            csv_bytes(lambda out: write_audit_csv(audit_events(s, tz=TZ), out))
            == reply.attachment.data
        )

    assert "Cách dùng: /nhatky" in text_of(say(conv, ADMIN, "/nhatky pdf"))
    assert telegram_server.errors == []


def test_board_csv_for_admins(conv) -> None:
    conv, services = conv
    assert all(r.attachment is None for r in say(conv, "701", "/tinhtrang csv"))
    [reply] = say(conv, ADMIN, "/tinhtrang csv")
    assert reply.attachment is not None
    rows = _csv_rows(reply.attachment.data)
    assert rows and {"han", "don_vi", "trang_thai"} <= set(rows[0])
    assert any(
        r["han"] == "10/12/2026" and r["trang_thai"] == "chưa hoàn thành (trong hạn)" for r in rows
    )


@pytest.mark.parametrize(
    "raw", ["99999999999999999999999", "9223372036854775808", "-1", "0", "１２"]
)
def test_duyet_with_an_impossible_id_says_so(conv, raw: str) -> None:  # type: ignore[no-untyped-def]
    conv, _ = conv
    text = text_of(say(conv, ADMIN, f"/duyet {raw}"))
    assert "Không tìm thấy người dùng mã" in text, text
