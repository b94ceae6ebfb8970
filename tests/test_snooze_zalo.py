"""On Zalo (no buttons) a reminder numbers its actions; answering "3" snoozes it for 3 days."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.run import build_conversation
from bot.settings import Settings
from bot.wiring import build_services
from handlers.types import Incoming
from tests.fakes.zalo_server import FakeZaloServer
from tests.support.subprocess_bot import ROOT, bot_env, run_bot

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TOKEN = "3090077098:ZaloSnoozeTokenAbcdefghijklmnopqrstuvwxyz"
CHAT = "zalo-school-1"


class Clock:
    now = datetime(2027, 1, 8, 9, 0, tzinfo=TZ)

    def __call__(self) -> datetime:
        return self.now


def test_numbered_reminder_actions_on_zalo(tmp_path: Path) -> None:
    clock = Clock()
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'bot.db'}", documents_dir=ROOT / "data" / "documents"
    )
    conv = build_conversation(build_services(settings, clock=clock))

    def say(text: str) -> str:
        replies = conv.handle(
            Incoming(channel="zalo", chat_id=CHAT, user_id=CHAT, display_name="Cô Hoa", text=text)
        )
        return "\n".join(r.text for r in replies)

    say("/donvi các đơn vị giáo dục")
    with FakeZaloServer(TOKEN) as zalo:
        zalo.known_chats.add(CHAT)
        env = bot_env(tmp_path, ZALO_BOT_TOKEN=TOKEN, ZALO_BASE_URL=zalo.base_url)
        assert run_bot(env, "reminders", "--now", "2027-01-08T08:00").returncode == 0
        text = "\n".join(zalo.sent_texts(CHAT))
        assert "15/01/2027" in text
        for line in (
            "1. Đã xong",
            "2. Nhắc lại sau 1 ngày",
            "3. Nhắc lại sau 3 ngày",
            "4. Không nhắc hạn này nữa",
        ):
            assert line in text
        assert "nhắc lại ngày 11/01/2027" in say("3")
        sent = len(zalo.sent_texts(CHAT))
        assert run_bot(env, "reminders", "--now", "2027-01-10T08:00").returncode == 0  # Sunday
        assert run_bot(env, "reminders", "--now", "2027-01-11T08:00").returncode == 0
        later = zalo.sent_texts(CHAT)[sent:]
        assert any("còn 4 ngày" in t for t in later)  # Monday 11/01: the snoozed reminder
