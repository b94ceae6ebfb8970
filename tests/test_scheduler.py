"""The reminder ticker in a running loop triggers real ticks, and keeps ticking when the clock jumps."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sqlmodel import select
from telegram import Bot

from bot.settings import Settings
from bot.telegram_sender import TelegramSender
from bot.wiring import build_services
from jobs import scheduler as reminder_scheduler
from jobs.senders import RateLimiter
from knowledge.db import read_session
from knowledge.models import Unit
from tests.reminder_support import TZ, add_subscribers


async def test_scheduler_ticks_in_the_loop_and_sends_once(tmp_path, telegram_server) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 's.db'}", reminder_tick_minutes=1)
    # A week before the 10/12/2026 CCHC reports of the bundled 2025 plan (three of them).
    services = build_services(settings, clock=lambda: datetime(2026, 12, 3, 8, 1, tzinfo=TZ))
    with read_session(services.engine) as s:
        unit = s.exec(select(Unit).where(Unit.name == "Văn phòng Sở")).one().id
    add_subscribers(services.engine, unit, [31, 32])
    async with Bot(telegram_server.token, base_url=telegram_server.base_url) as bot:
        sched = reminder_scheduler.start_reminder_scheduler(
            services, {"telegram": TelegramSender(bot)}, {"telegram": RateLimiter(100)},
            first_run_after=timedelta(seconds=0.2))
        try:
            assert sched.interval == 60.0
            for _ in range(500):
                if len(telegram_server.sent_messages()) >= 2:
                    break
                await asyncio.sleep(0.02)
            reminder_scheduler.run_tick_soon(sched)  # another tick at once: it finds nothing new
            await asyncio.sleep(0.5)
        finally:
            sched.shutdown(wait=False)
    chats = sorted(int(p["chat_id"]) for p in telegram_server.sent_messages())
    assert chats == [31, 32]  # the three reports due together travel as one message per chat
    for text in (p["text"] for p in telegram_server.sent_messages()):
        assert all(f"Báo cáo {what} kết quả CCHC" in text for what in ("quý", "6 tháng", "năm"))


async def test_a_queued_broadcast_brings_the_next_tick_forward(tmp_path) -> None:
    """The hook the conversation calls after /guitin must reach the scheduler without an error."""
    from bot.reminder_runner import run_reminders
    from bot.run import Runtime, build_conversation

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'b.db'}", reminder_tick_minutes=60)
    services = build_services(settings)
    runtime = Runtime(services=services, conversation=build_conversation(services))
    loop_errors: list[dict] = []
    asyncio.get_running_loop().set_exception_handler(lambda _loop, ctx: loop_errors.append(ctx))
    runner = asyncio.create_task(run_reminders(runtime))
    try:
        for _ in range(250):
            if "reminders" in runtime.ready:
                break
            await asyncio.sleep(0.02)
        assert runtime.conversation.on_broadcast_queued is not None
        runtime.conversation.on_broadcast_queued()
        await asyncio.sleep(0.1)
        assert loop_errors == []  # the callback's own errors land in the loop's handler
    finally:
        runtime.stop.set()
        await asyncio.wait_for(runner, timeout=10)


async def test_ticks_go_on_when_the_wall_clock_is_set_back_four_days(monkeypatch) -> None:
    """Issue 8 item 7: after the clock jumped back 4 days the old scheduler ticked 0 times.

    The wall clock is faked (time.time and datetime.now move 4 days back after the first tick);
    the ticker waits on the loop's monotonic clock, so it keeps its interval.
    """
    import time as time_module

    real_time = time_module.time
    jumped = {"by": 0.0}
    monkeypatch.setattr(time_module, "time", lambda: real_time() - jumped["by"])
    ticked: list[float] = []

    async def tick() -> None:
        ticked.append(time_module.time())
        jumped["by"] = 4 * 86400.0  # the clock is set back right after the first tick

    ticker = reminder_scheduler.ReminderTicker(tick, interval=0.05, first_run_after=0.0).start()
    try:
        for _ in range(200):
            if len(ticked) >= 4:
                break
            await asyncio.sleep(0.02)
    finally:
        ticker.shutdown()
    assert len(ticked) >= 4
    assert ticked[1] < ticked[0] - 3 * 86400  # the later ticks really saw the jumped clock
