"""APScheduler in the bot's event loop: it only triggers ticks; what is due comes from the database."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Mapping

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.engine import Engine

from jobs.planner import PlannerConfig
from jobs.senders import RateLimiter, Sender
from jobs.tick import default_owner, run_tick

logger = logging.getLogger(__name__)

JOB_ID = "reminder-tick"


TICK_STATE = "cchc_tick_state"


@dataclass
class TickState:
    """Whether the tick job is running, and whether it was asked to run once more."""

    running: bool = False
    again: bool = False


def start_reminder_scheduler(
    services: object,
    senders: Mapping[str, Sender],
    limiters: Mapping[str, RateLimiter] | None = None,
    *,
    first_run_after: timedelta = timedelta(seconds=10),
) -> AsyncIOScheduler:
    """Start ticking every `reminder_tick_minutes` in the running event loop; return the scheduler.

    `services` is the composition root's Services (engine, settings, tz, now()). Choices:
    - coalesce=True: ticks missed while the loop was busy or the machine asleep run once, not N
      times (each tick catches up everything anyway);
    - max_instances=1: a slow broadcast is never overlapped by the next tick in this process
      (the database lease stops other processes);
    - misfire_grace_time = one interval: a late tick still runs, rather than APScheduler's 1 s
      default silently dropping it; later than that, the next regular tick does the work.
    The job store is in memory on purpose: nothing is lost with it, the tick reads the database.
    """
    settings = getattr(services, "settings")
    engine: Engine = getattr(services, "engine")
    clock: Callable[[], datetime] = getattr(services, "now")
    minutes = max(1, int(getattr(settings, "reminder_tick_minutes", 5)))
    config = PlannerConfig.from_settings(settings)
    owner = default_owner()
    scheduler = AsyncIOScheduler(timezone=config.tz)

    state = TickState()

    async def tick() -> None:
        state.running = True
        try:
            while True:
                state.again = False
                try:
                    await run_tick(engine, senders, config, now=clock(), limiters=limiters, owner=owner)
                except Exception:  # a failing tick must not kill the scheduler; the next one retries
                    logger.exception("Reminder tick failed")
                if not state.again:
                    break
        finally:
            state.running = False

    scheduler.add_job(
        tick,
        IntervalTrigger(minutes=minutes, timezone=config.tz),
        id=JOB_ID,
        name="Nhắc hạn",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=minutes * 60,
        next_run_time=datetime.now(config.tz) + first_run_after,  # APScheduler runs on real time
        replace_existing=True,
    )
    setattr(scheduler, TICK_STATE, state)
    scheduler.start()
    logger.info("Reminder scheduler started: a tick every %d min", minutes)
    return scheduler


def run_tick_soon(scheduler: AsyncIOScheduler) -> None:
    """Bring the next tick forward (e.g. right after an admin queued a broadcast).

    While a tick is running APScheduler would skip a second instance and wait a whole interval,
    so the running tick is asked to go round once more instead: what was queued meanwhile
    (an approval notice, a broadcast) goes out now, not minutes later. Call on the loop's thread.
    """
    state = getattr(scheduler, TICK_STATE, None)
    if isinstance(state, TickState) and state.running:
        state.again = True
        return
    job = scheduler.get_job(JOB_ID)
    if job is not None:
        job.modify(next_run_time=datetime.now(scheduler.timezone))
