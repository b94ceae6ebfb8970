"""`reminders --dry-run` explains itself, and a carried-forward date says where it comes from."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.run import build_conversation
from bot.settings import Settings
from bot.wiring import build_services
from handlers.types import Incoming
from tests.support.subprocess_bot import ROOT, bot_env, run_bot

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NEW_YEAR_WEEK = "2027-01-08T08:00"  # 15/01/2027: the annual plan, carried from the 2025 plan


def conversation(tmp_path: Path):  # type: ignore[no-untyped-def]
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'bot.db'}", documents_dir=ROOT / "data" / "documents"
    )
    return build_conversation(
        build_services(settings, clock=lambda: datetime(2027, 1, 4, 9, tzinfo=TZ))
    )


def join(conv, channel: str, chat: str, name: str, unit: str) -> None:  # type: ignore[no-untyped-def]
    for text in ("/start", f"/donvi {unit}"):
        conv.handle(
            Incoming(channel=channel, chat_id=chat, user_id=chat, display_name=name, text=text)
        )


def dry_run(tmp_path: Path, now: str = NEW_YEAR_WEEK) -> str:
    result = run_bot(bot_env(tmp_path), "reminders", "--now", now, "--dry-run")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return result.stdout


def test_each_planned_message_names_its_recipient_and_the_date_its_provenance(
    tmp_path: Path,
) -> None:
    conv = conversation(tmp_path)
    join(conv, "telegram", "4242", "Chị Lan", "các đơn vị giáo dục")
    out = dry_run(tmp_path)
    assert "--- Gửi tới telegram:4242 (Chị Lan)" in out
    assert "15/01/2027" in out
    # the 2025 plan's "trước ngày 15/01/2025", carried forward one year by its yearly rule
    assert "hằng năm, theo" in out and "15/01/2025”" in out
    assert "Vì sao không có tin nào" not in out


def test_with_only_console_users_it_shows_the_first_subscribers_message_and_why(
    tmp_path: Path,
) -> None:
    conv = conversation(tmp_path)
    join(conv, "console", "local", "Anh Minh", "các đơn vị giáo dục")
    out = dry_run(tmp_path)
    assert "đến hạn 0 tin" in out
    assert "Mẫu cho Các đơn vị giáo dục: người nhận đầu tiên console:local (Anh Minh)" in out
    assert "chỉ dùng bot trên console" in out and "15/01/2027" in out
    assert "Mọi người nhận đều chỉ dùng console" in out


def test_with_nobody_and_outside_office_hours_it_says_why(tmp_path: Path) -> None:
    conversation(tmp_path)
    out = dry_run(tmp_path, "2027-01-09T08:00")  # a Saturday
    assert "Chưa có ai chọn đơn vị" in out and "ngoài giờ hành chính" in out
