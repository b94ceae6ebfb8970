"""Conversation figures: reply latency on the bundled documents, and how fast `python -m bot`
stops on SIGTERM while polling the fake Bot API server. Prints figures; asserts nothing."""

from __future__ import annotations

import signal
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.settings import Settings
from bot.wiring import build_services
from handlers.conversation import Conversation, ConversationConfig
from handlers.types import Incoming
from tests.fakes.telegram_server import FakeTelegramServer
from tests.support.subprocess_bot import start_bot, telegram_bot_env

QUESTIONS = [
    "/start",
    "/donvi tccb",
    "/nhiemvu",
    "/hanchot",
    "/vanban",
    "/vanban 131",
    "/timkiem dich vu cong",
    "han nop ke hoach cchc",
    "ai chu tri so hoa ho so",
    "nhiem vu cua van phong so",
    "bao cao quy gui khi nao",
]


def latency(tmp: Path) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp / 'bench.db'}", documents_dir=ROOT / "data" / "documents"
    )
    services = build_services(settings)
    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    conv = Conversation(
        services.engine, ConversationConfig(), lambda: datetime(2026, 11, 22, 9, 0, tzinfo=tz)
    )
    conv.handle(
        Incoming("console", "warm", "warm", "x", text="han nop ke hoach")
    )  # builds the index
    samples: list[float] = []
    for round_ in range(5):
        for i, text in enumerate(QUESTIONS):
            start = time.perf_counter()
            conv.handle(
                Incoming("telegram", str(i), str(i), "x", text=text, update_id=f"{round_}-{i}")
            )
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    print(
        f"conversation.handle on the bundled documents: {len(samples)} messages, median "
        f"{statistics.median(samples):.1f} ms, p95 {samples[int(len(samples) * 0.95) - 1]:.1f} "
        f"ms, max {samples[-1]:.1f} ms"
    )


def shutdown(tmp: Path) -> None:
    # long polls held as long as the bot asks (10 s), like Telegram, to measure a real stop
    with FakeTelegramServer(max_poll_seconds=30) as server:
        env = telegram_bot_env(tmp, server)
        times = []
        for _ in range(3):
            polls = len(server.calls("getUpdates"))
            started = time.perf_counter()
            process = start_bot(env)
            server.wait_for(
                lambda before=polls: len(server.calls("getUpdates")) > before, timeout=60
            )
            ready = time.perf_counter() - started
            time.sleep(0.5)  # let a long poll be in flight
            sent = time.perf_counter()
            process.send_signal(signal.SIGTERM)
            process.communicate(timeout=30)
            times.append((ready, time.perf_counter() - sent, process.returncode))
        for ready, stop, code in times:
            print(
                f"python -m bot (Telegram, fake server): polling after {ready:.2f} s; "
                f"SIGTERM to exit {stop:.2f} s (exit code {code})"
            )


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        latency(Path(tmp))
        shutdown(Path(tmp))
