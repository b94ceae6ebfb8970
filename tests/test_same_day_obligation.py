"""The Q4, half-year and annual reports due 10/12 from one sentence of the 2025 plan are one
obligation: one reminder naming them all, one "Đánh dấu cả 3", one board row with sub-statuses."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import select

from bot.run import build_conversation
from bot.settings import Settings
from bot.wiring import build_services
from handlers.types import ContentKind, Incoming
from jobs.models import DoneMark, Person
from knowledge.db import read_session
from tests.support.subprocess_bot import ROOT, run_bot, telegram_bot_env

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ADMIN, OFFICE, PERSONNEL = "777", "4242", "4343"
NAMES = (
    "Báo cáo quý kết quả CCHC (quý IV/2026), Báo cáo 6 tháng kết quả CCHC (6 tháng cuối "
    "năm 2026) và Báo cáo năm kết quả CCHC (năm 2026)"
)


def test_one_reminder_one_combined_done_and_one_board_row(tmp_path: Path, telegram_server) -> None:
    server = telegram_server
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'bot.db'}",
        documents_dir=ROOT / "data" / "documents",
        admin_ids=frozenset({ADMIN}),
    )
    services = build_services(settings, clock=lambda: datetime(2026, 12, 3, 9, 0, tzinfo=TZ))
    conv = build_conversation(services)

    def say(chat: str, text: str, kind: ContentKind = ContentKind.TEXT):  # type: ignore[no-untyped-def]
        return conv.handle(
            Incoming(
                channel="telegram",
                chat_id=chat,
                user_id=chat,
                display_name=f"Chị {chat}",
                kind=kind,
                text=text,
            )
        )

    def env() -> dict[str, str]:
        return telegram_bot_env(tmp_path, server, ADMIN_IDS=ADMIN)

    say(OFFICE, "/donvi van phong so")
    say(PERSONNEL, "/donvi tccb")
    with read_session(services.engine) as s:
        ids = {p.display_name[-4:]: p.id for p in s.exec(select(Person))}
    for chat in (OFFICE, PERSONNEL):
        say(ADMIN, f"dy:{ids[chat]}", ContentKind.CHOICE)

    result = run_bot(env(), "reminders", "--now", "2026-12-03T08:00")
    assert result.returncode == 0, result.stderr
    reminder = next(m for m in server.sent_messages(OFFICE) if m["text"].startswith("Nhắc hạn"))
    assert reminder["text"].startswith(f"Nhắc hạn: {NAMES}\n")
    assert reminder["text"].count("10/12/2026") == 1

    # the reminder's "Đã xong" offers all three at once, or one of them
    done_button = next(
        b["callback_data"]
        for row in reminder["reply_markup"]["inline_keyboard"]
        for b in row
        if b["text"] == "Đã xong"
    )
    offer = say(OFFICE, done_button, ContentKind.CHOICE)[0]
    labels = [c.label for c in offer.choices]
    assert labels[0] == "Đánh dấu cả 3" and len(labels) == 4
    marked = say(OFFICE, offer.choices[0].payload, ContentKind.CHOICE)[0].text
    assert marked.count("Đã ghi nhận") == 3

    # /xong offers "Đánh dấu cả 3" too; the personnel office marks only the quarterly one
    menu = say(PERSONNEL, "/xong")[0]
    group = [c for c in menu.choices if c.label.startswith("Đánh dấu cả 3: 10/12")]
    assert len(group) == 1
    quarterly = next(c for c in menu.choices if c.label == "Xong: 10/12 Báo cáo quý kết quả CCHC")
    assert "Đã ghi nhận" in say(PERSONNEL, quarterly.payload, ContentKind.CHOICE)[0].text
    with read_session(services.engine) as s:
        marks = s.exec(select(DoneMark)).all()
    assert len(marks) == 4

    board = run_bot(env(), "status", "--today", "2026-12-03")
    assert board.returncode == 0, board.stderr
    assert board.stdout.count(f"■ 10/12/2026 (còn 7 ngày) — {NAMES}") == 1
    office_line = next(line for line in board.stdout.splitlines() if "• Văn phòng Sở" in line)
    assert office_line.startswith("  • Văn phòng Sở: hoàn thành đúng hạn")
    personnel = next(
        line for line in board.stdout.splitlines() if "• Phòng Tổ chức cán bộ" in line
    )
    assert "quý IV/2026: hoàn thành đúng hạn" in personnel
    assert "năm 2026: chưa hoàn thành (trong hạn)" in personnel

    result = run_bot(env(), "reminders", "--now", "2026-12-07T08:00")  # 3 days before
    assert result.returncode == 0, result.stderr
    # all three done: no more reminders
    assert len([t for t in server.sent_texts(OFFICE) if t.startswith("Nhắc hạn")]) == 1
    second = server.sent_texts(PERSONNEL)[-1]
    assert "Báo cáo quý kết quả CCHC" not in second and "Báo cáo năm kết quả CCHC" in second
    assert server.errors == []
