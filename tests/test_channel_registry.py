"""The channel descriptions are the one place a channel is registered."""

from __future__ import annotations

import ast
from pathlib import Path

from bot.channels import CHANNELS, bare_admin_channel, button_channels, message_limits
from bot.run import channel_runners
from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def test_every_channel_is_described_once_with_what_the_bot_needs() -> None:
    names = [spec.name for spec in CHANNELS]
    assert len(names) == len(set(names)) and {"telegram", "zalo"} <= set(names)
    assert message_limits() == {"telegram": 3800, "zalo": 1900}
    assert button_channels() == {"telegram"} and bare_admin_channel() == "telegram"
    for spec in CHANNELS:
        assert callable(spec.load_runner())


def test_runners_come_from_the_descriptions_of_configured_channels() -> None:
    both = Settings(telegram_bot_token="1:x", zalo_bot_token="z")
    assert [r.__name__ for r in channel_runners(both)] == ["run_telegram", "run_zalo"]
    assert channel_runners(Settings()) == []


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_adapters_do_not_import_bot_run_and_jobs_never_import_bot() -> None:
    for adapter in ("telegram_adapter", "zalo_adapter", "reminder_runner"):
        assert "bot.run" not in _imports(ROOT / "bot" / f"{adapter}.py"), adapter
    for path in (ROOT / "jobs").glob("*.py"):
        assert not any(m == "bot" or m.startswith("bot.") for m in _imports(path)), path
    combine = (ROOT / "jobs" / "combine.py").read_text(encoding="utf-8")
    assert '"telegram"' not in combine and '"zalo"' not in combine  # limits come as data
