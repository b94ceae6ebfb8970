"""The reminder scheduler in a running loop triggers real ticks, and ticks on when the clock
jumps."""

from __future__ import annotations

import asyncio
import glob
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select
from telegram import Bot

from bot.settings import Settings
from bot.telegram_sender import TelegramSender
from bot.wiring import build_services
from jobs import scheduler as reminder_scheduler
from jobs.scheduler import ClockJumpWatchdog
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
            services,
            {"telegram": TelegramSender(bot)},
            {"telegram": RateLimiter(100)},
            first_run_after=timedelta(seconds=0.2),
        )
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


def _libfaketime() -> Path:
    found = glob.glob("/usr/lib/*/faketime/libfaketime.so.1")
    if not found:
        message = "libfaketime không có (cài gói Debian `faketime`)"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"{message}; CI=true: bắt buộc", pytrace=False)
        pytest.skip(message)
    return Path(found[0])


@dataclass
class WorkerRun:
    wall: list[float]  # time.time() at each tick, as the faked process saw it
    monotonic: list[float]  # time.monotonic() at each tick (never faked)
    elapsed_after_jump: float
    timed_out: bool


def _tick_through_a_clock_jump(
    tmp_path: Path, jump: str, *, ticks: int, timeout: float, watchdog: bool = True
) -> WorkerRun:
    """Run the real scheduler in a process under libfaketime, ticking every 0.3 s; after its
    first tick move its wall clock by `jump` (e.g. "-4d"), leaving the monotonic clock alone as
    a real clock change does."""
    offset = tmp_path / "faketime"
    offset.write_text("+0\n")
    env = {
        **os.environ,
        "LD_PRELOAD": str(_libfaketime()),
        "FAKETIME_TIMESTAMP_FILE": str(offset),
        "FAKETIME_NO_CACHE": "1",
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
    }
    mode = "watchdog" if watchdog else "no-watchdog"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.clock_jump_worker", "0.3", str(ticks), str(timeout), mode],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert first.startswith("tick "), proc.communicate()[1]
    offset.write_text(f"{jump}\n")
    started = time.monotonic()
    rest, err = proc.communicate(timeout=timeout + 30)
    elapsed = time.monotonic() - started
    assert proc.returncode == 0, err
    lines = [first, *rest.splitlines()]
    ticked = [line.split() for line in lines if line.startswith("tick ")]
    return WorkerRun(
        wall=[float(t[1]) for t in ticked],
        monotonic=[float(t[2]) for t in ticked],
        elapsed_after_jump=elapsed,
        timed_out="timeout" in lines,
    )


def test_ticks_go_on_when_the_wall_clock_is_set_back_four_days(tmp_path) -> None:
    """Issue 8 item 7: after the wall clock jumped back 4 days the bot ticked 0 times (its
    scheduler waited for a wall-clock time). The ticks must go on at their interval."""
    run = _tick_through_a_clock_jump(tmp_path, "-4d", ticks=6, timeout=20)
    assert not run.timed_out and len(run.wall) == 6
    assert run.elapsed_after_jump < 10  # 5 more ticks at 0.3 s, not 4 days later
    assert run.wall[-1] < run.wall[0] - 3 * 86400  # the process really saw its clock set back


def test_without_the_watchdog_apscheduler_stops_ticking_after_the_clock_is_set_back(
    tmp_path,
) -> None:
    """Why the watchdog exists: APScheduler alone waits for its next wall-clock run time, now four
    days away. (If this ever ticks on, the watchdog may go; the test above keeps it honest.)"""
    run = _tick_through_a_clock_jump(tmp_path, "-4d", ticks=6, timeout=3, watchdog=False)
    assert run.timed_out and len(run.wall) < 6


def test_ticks_go_on_without_a_burst_when_the_wall_clock_jumps_forward(tmp_path) -> None:
    """Four days forward: 4 days of missed 0.3 s runs are coalesced into one tick, then the ticks
    keep their interval (on the monotonic clock) instead of catching up one by one."""
    run = _tick_through_a_clock_jump(tmp_path, "+4d", ticks=6, timeout=20)
    assert not run.timed_out and len(run.wall) == 6
    assert run.elapsed_after_jump < 10
    assert run.wall[-1] > run.wall[0] + 3 * 86400
    gaps = [b - a for a, b in zip(run.monotonic, run.monotonic[1:], strict=False)]
    assert sum(gap < 0.2 for gap in gaps) <= 1  # at most the watchdog's tick comes early


def test_the_watchdog_tells_a_clock_jump_from_drift() -> None:
    clocks = {"wall": 1_000_000.0, "monotonic": 50.0}
    watchdog = ClockJumpWatchdog(
        5.0, wall=lambda: clocks["wall"], monotonic=lambda: clocks["monotonic"]
    )

    def advance(seconds: float, *, wall_step: float = 0.0) -> float:
        clocks["monotonic"] += seconds
        clocks["wall"] += seconds + wall_step
        return watchdog.jump()

    assert advance(5.0) == 0.0  # both clocks moved together
    assert advance(5.0, wall_step=0.5) == 0.0  # an NTP step under the tolerance
    assert advance(5.0, wall_step=-4 * 86400) == -4 * 86400  # set back four days
    assert advance(5.0) == 0.0  # the new offset is the baseline now: reported once
    assert advance(5.0, wall_step=3600) == 3600  # set forward an hour (or woke from sleep)


async def test_a_clock_jump_moves_the_next_tick_to_now(monkeypatch) -> None:
    """In-process, without libfaketime: the watchdog reports a jump and the tick planned an hour
    away runs at once, once."""
    jumps = iter([-4 * 86400.0])
    monkeypatch.setattr(ClockJumpWatchdog, "jump", lambda self: next(jumps, 0.0))
    ticked: list[float] = []

    async def tick() -> None:
        ticked.append(time.monotonic())

    sched = reminder_scheduler.ReminderScheduler(
        tick, interval=3600.0, first_run_after=3600.0, tz=TZ, watchdog_every=0.05
    ).start()
    try:
        for _ in range(200):
            if ticked:
                break
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.2)
        assert len(ticked) == 1
    finally:
        await sched.stop()


async def test_asking_for_a_tick_while_one_runs_runs_one_more_at_once(
    tmp_path, monkeypatch
) -> None:
    """APScheduler skips a second instance and waits a whole interval; what was queued during a
    running tick (an approval notice) must not wait minutes: the running tick goes round again."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'r.db'}", reminder_tick_minutes=60)
    services = build_services(settings, seed_documents=False)
    started: list[float] = []
    release = asyncio.Event()

    async def slow_tick(*args, **kwargs):  # type: ignore[no-untyped-def]
        started.append(asyncio.get_running_loop().time())
        if len(started) == 1:
            await release.wait()

    monkeypatch.setattr(reminder_scheduler, "run_tick", slow_tick)
    sched = reminder_scheduler.start_reminder_scheduler(
        services, {}, first_run_after=timedelta(seconds=0.05)
    )
    try:
        for _ in range(200):
            if started:
                break
            await asyncio.sleep(0.01)
        assert len(started) == 1
        reminder_scheduler.run_tick_soon(sched)  # during the first tick
        release.set()
        for _ in range(200):
            if len(started) == 2:
                break
            await asyncio.sleep(0.01)
        assert len(started) == 2  # at once, not an hour later
        await asyncio.sleep(0.1)
        assert len(started) == 2  # and only once more
    finally:
        sched.shutdown(wait=False)


def test_stopping_during_a_tick_lets_it_finish_without_a_traceback(
    tmp_path, monkeypatch, caplog
) -> None:
    """SIGTERM while a tick sends: the bot waits for the tick (bounded by run_runners) instead of
    ending the event loop under it, which cancelled the tick mid-send with a logged traceback."""
    from bot.reminder_runner import run_reminders
    from bot.run import build_conversation, run_runners
    from bot.runtime import Runtime

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'r.db'}", reminder_tick_minutes=60)
    services = build_services(settings, seed_documents=False)
    events: list[str] = []

    async def slow_tick(*args, **kwargs):  # type: ignore[no-untyped-def]
        events.append("tick started")
        await asyncio.sleep(0.5)
        events.append("tick finished")

    monkeypatch.setattr(reminder_scheduler, "run_tick", slow_tick)

    async def main() -> int:
        runtime = Runtime(services=services, conversation=build_conversation(services))

        async def stop_during_the_tick(rt: Runtime) -> None:
            while "reminders" not in rt.ready:
                await asyncio.sleep(0.01)
            rt.conversation.on_broadcast_queued()  # a broadcast queued: tick now
            while "tick started" not in events:
                await asyncio.sleep(0.01)
            rt.stop.set()  # what SIGTERM does
            await rt.stop.wait()

        return await run_runners(runtime, [run_reminders, stop_during_the_tick])

    caplog.set_level("INFO")
    assert asyncio.run(main()) == 0
    assert events == ["tick started", "tick finished"]
    assert not [r for r in caplog.records if r.exc_info or r.levelname in ("ERROR", "WARNING")]
