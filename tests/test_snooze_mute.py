"""Snooze and mute from a reminder's buttons, per person, then time moved forward with
`python -m bot reminders --now` against the fake Bot API: a snooze never skips the due day."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.run import build_conversation
from bot.settings import Settings
from bot.wiring import build_services
from handlers.types import ContentKind, Incoming
from tests.fakes.telegram_server import FakeTelegramServer
from tests.support.subprocess_bot import ROOT, run_bot, telegram_bot_env

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SNOOZER, MUTER, TOMORROW = "4242", "4343", "4444"  # "các đơn vị giáo dục": plan due 15/01/2027


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2027, 1, 4, 9, 0, tzinfo=TZ)

    def __call__(self) -> datetime:
        return self.now


def tick(tmp_path: Path, server: FakeTelegramServer, when: str) -> None:
    result = run_bot(telegram_bot_env(tmp_path, server), "reminders", "--now", when)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr


def buttons(message: dict) -> dict[str, str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return {b["text"]: b["callback_data"] for row in rows for b in row}


def test_snooze_and_mute_then_time_moves_forward(tmp_path: Path, telegram_server) -> None:
    server = telegram_server
    clock = Clock()
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'bot.db'}", documents_dir=ROOT / "data" / "documents"
    )
    conv = build_conversation(build_services(settings, clock=clock))

    def say(chat: str, text: str, kind: ContentKind = ContentKind.TEXT) -> str:
        replies = conv.handle(
            Incoming(
                channel="telegram",
                chat_id=chat,
                user_id=chat,
                display_name=f"Thầy {chat}",
                kind=kind,
                text=text,
            )
        )
        return "\n".join(r.text for r in replies)

    for chat in (SNOOZER, MUTER, TOMORROW):
        say(chat, "/donvi các đơn vị giáo dục")

    def press(chat: str, label: str) -> str:
        message = server.sent_messages(chat)[-1]
        return say(chat, buttons(message)[label], ContentKind.CHOICE)

    def texts(chat: str) -> list[str]:
        return server.sent_texts(chat)

    tick(tmp_path, server, "2027-01-08T08:00")  # 7 days before: everyone reminded
    for chat in (SNOOZER, MUTER, TOMORROW):
        assert len(texts(chat)) == 1 and "15/01/2027" in texts(chat)[0]
        assert set(buttons(server.sent_messages(chat)[-1])) == {
            "Đã xong",
            "Nhắc lại sau 1 ngày",
            "Nhắc lại sau 3 ngày",
            "Không nhắc hạn này nữa",
        }
    clock.now = datetime(2027, 1, 8, 9, 0, tzinfo=TZ)
    assert "nhắc lại ngày 11/01/2027" in press(SNOOZER, "Nhắc lại sau 3 ngày")
    assert "nhắc lại ngày 09/01/2027" in press(TOMORROW, "Nhắc lại sau 1 ngày")
    assert "không nhắc bạn hạn này nữa" in press(MUTER, "Không nhắc hạn này nữa")

    tick(tmp_path, server, "2027-01-11T08:00")  # Monday: both snoozes over, the mute holds
    assert len(texts(SNOOZER)) == 2 and "còn 4 ngày" in texts(SNOOZER)[1]
    assert len(texts(TOMORROW)) == 2  # its Saturday snooze comes on the next working day
    assert len(texts(MUTER)) == 1
    tick(tmp_path, server, "2027-01-11T10:00")  # the same day again: nothing doubled
    assert [len(texts(c)) for c in (SNOOZER, TOMORROW, MUTER)] == [2, 2, 1]

    tick(tmp_path, server, "2027-01-14T08:00")  # 1 day before
    assert len(texts(SNOOZER)) == 3 and "còn 1 ngày" in texts(SNOOZER)[2]
    clock.now = datetime(2027, 1, 14, 9, 0, tzinfo=TZ)
    snoozed = press(SNOOZER, "Nhắc lại sau 3 ngày")  # would be 17/01: held to the due day
    assert "nhắc lại ngày 15/01/2027 — đúng ngày hạn" in snoozed

    tick(tmp_path, server, "2027-01-15T08:00")  # the due day is never skipped
    assert len(texts(SNOOZER)) == 4 and "hạn là hôm nay" in texts(SNOOZER)[3]
    assert len(texts(MUTER)) == 1  # muted: not even on the due day
    clock.now = datetime(2027, 1, 15, 9, 0, tzinfo=TZ)
    assert "hôm nay đã là ngày hạn" in press(SNOOZER, "Nhắc lại sau 1 ngày")

    audit = tmp_path / "audit.csv"
    assert (
        run_bot(telegram_bot_env(tmp_path, server), "audit", "--csv", str(audit)).returncode == 0
    )
    events = [r["su_kien"] for r in csv.DictReader(audit.open(encoding="utf-8-sig"))]
    assert events.count("hoãn nhắc đến 11/01/2027") == 1
    assert events.count("hoãn nhắc đến 15/01/2027") == 1
    assert events.count("không nhắc hạn này nữa") == 1
    assert server.errors == []
