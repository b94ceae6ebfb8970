"""Bad settings stop `python -m bot` with one clear Vietnamese message, never a traceback.

Driven through the real CLI in a subprocess, as an operator would meet it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.subprocess_bot import bot_env, run_bot

TELEGRAM = {
    "TELEGRAM_BOT_TOKEN": "123456:AAbbccddeeffgghhiijjkkllmmnnoopp",
    "WEBHOOK_URL": "https://bot.example.invalid/tg",
}
ZALO = {
    "ZALO_BOT_TOKEN": "3090077098:ZaloTokenAbcdefghijklmnop",
    "ZALO_WEBHOOK_URL": "https://bot.example.invalid/zl",
}


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        ({**TELEGRAM, "WEBHOOK_SECRET": ""}, "WEBHOOK_SECRET"),
        ({**TELEGRAM, "WEBHOOK_SECRET": "short"}, "WEBHOOK_SECRET"),
        ({**TELEGRAM, "WEBHOOK_SECRET": "has spaces in it"}, "WEBHOOK_SECRET"),
        ({**ZALO, "ZALO_WEBHOOK_SECRET": ""}, "ZALO_WEBHOOK_SECRET"),
        ({**ZALO, "ZALO_WEBHOOK_SECRET": "1234567"}, "ZALO_WEBHOOK_SECRET"),
    ],
)
def test_webhook_mode_without_a_strong_secret_refuses_to_start(
    tmp_path: Path, extra: dict[str, str], needle: str
) -> None:
    result = run_bot(bot_env(tmp_path, **extra), "run")
    assert result.returncode == 2, result.stderr
    assert needle in result.stderr and "không khởi động" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "bot.db").exists()  # refused before touching anything


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("TZ", "Foo/Bar"),
        ("TZ", "../../etc/passwd"),
        ("LOG_LEVEL", "LOUD"),
        ("WEBHOOK_PORT", "99999"),
        ("TELEGRAM_RATE_PER_SECOND", "0"),
        ("TRUSTED_PROXIES", "not-an-ip"),
        ("REMINDER_TIME", "25:99"),
    ],
)
def test_an_invalid_setting_gets_the_same_clear_message(
    tmp_path: Path, key: str, value: str
) -> None:
    result = run_bot(bot_env(tmp_path, **{key: value}), "units")
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("Lỗi cấu hình: "), result.stderr
    assert key in result.stderr or "Giờ nhắc" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
