"""Start `python -m bot` as a real subprocess with an isolated database and environment."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import IO

from tests.fakes.telegram_server import FakeTelegramServer

ROOT = Path(__file__).resolve().parents[2]


def bot_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """Environment for the bot: a fresh SQLite file, no tokens unless given, quiet logs."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "ZALO_", "WEBHOOK_", "WEB_"))
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}",
        DOCUMENTS_DIR=str(ROOT / "data" / "documents"),
        TELEGRAM_BOT_TOKEN="",
        ZALO_BOT_TOKEN="",
        ADMIN_IDS="",
        WEB_PORT="0",  # no web board unless a test asks for one (and picks a free port)
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
        PYTHONIOENCODING="utf-8",
    )
    env.update(extra)
    return env


def telegram_bot_env(tmp_path: Path, server: FakeTelegramServer, **extra: str) -> dict[str, str]:
    """`bot_env` with the bot pointed at a fake Bot API server."""
    return bot_env(
        tmp_path, TELEGRAM_BOT_TOKEN=server.token, TELEGRAM_BASE_URL=server.base_url, **extra
    )


def start_bot(
    env: dict[str, str],
    *args: str,
    stdin: int | None = subprocess.DEVNULL,
    stdout: int | IO[bytes] = subprocess.PIPE,
    stderr: int | IO[bytes] = subprocess.PIPE,
) -> subprocess.Popen[str]:
    """Start `python -m bot args` in the background; output is piped unless told otherwise."""
    return subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env=env,
        stdin=stdin,
        stdout=stdout,
        stderr=stderr,
        text=True,
        encoding="utf-8",
    )


def run_bot(
    env: dict[str, str], *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot args` to the end (at most 120 s), feeding `stdin`, capturing its
    output."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def stop_bot(
    process: subprocess.Popen[str], sig: int = signal.SIGTERM, timeout: float = 20.0
) -> tuple[str, str]:
    """Send `sig` and collect (stdout, stderr); a bot still running after `timeout` fails the test.

    The timeout is a hang guard, not a speed assertion.
    """
    process.send_signal(sig)
    try:
        return process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
        raise AssertionError(
            f"the bot did not stop on {signal.Signals(sig).name}:\n{err[-3000:]}"
        ) from None
