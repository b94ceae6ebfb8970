"""The reminder ticker in the bot's event loop: it only triggers ticks; what is due comes from
the database.

It waits on the event loop's monotonic clock, never on the wall clock. A scheduler that waits
until a wall-clock time (APScheduler's interval trigger did) stops ticking for days when the
clock is set back by days; this one ticks every interval whatever the wall clock does.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from jobs.planner import PlannerConfig
from jobs.senders import RateLimiter, Sender
from jobs.tick import default_owner, run_tick

logger = logging.getLogger(__name__)


class ReminderTicker:
    """Runs `tick` every `interval` seconds, one at a time, until shut down.

    - one tick at a time: a slow broadcast is never overlapped by the next tick in this process
      (the database lease stops other processes);
    - ticks missed while one ran are not queued up: the next starts `interval` after it ended
      (each tick catches up everything anyway);
    - `tick_soon()` brings the next tick forward (an admin just queued a broadcast).
    """

    def __init__(
        self, tick: Callable[[], Awaitable[None]], *, interval: float, first_run_after: float
    ) -> None:
        self.interval = interval
        self._tick = tick
        self._first_run_after = first_run_after
        self._wake = asyncio.Event()
        self._stopping = False
        self._ticking = False
        self._task: asyncio.Task[None] | None = None
        self.ticks = 0

    def start(self) -> ReminderTicker:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="reminder-ticker")
        return self

    async def _run(self) -> None:
        delay = self._first_run_after
        while not self._stopping:
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=delay)
            except TimeoutError:
                pass
            self._wake.clear()
            if self._stopping:
                break
            self._ticking = True
            try:
                await self._tick()
            except asyncio.CancelledError:
                if not self._stopping:
                    raise
                # the bot is stopping and could not wait for the tick: a row it was sending
                # stays `sending` and is recovered by the next start's tick, never lost or doubled
                logger.info("Reminder tick interrupted by shutdown; it resumes at the next start")
                return
            except Exception:  # a failing tick must not stop the ticker; the next one retries
                logger.exception("Reminder tick failed")
            finally:
                self._ticking = False
                self.ticks += 1
            delay = self.interval

    def tick_soon(self) -> None:
        self._wake.set()

    def shutdown(self, wait: bool = False) -> None:
        """Stop ticking; a tick in progress finishes unless the loop itself ends."""
        self._stopping = True
        self._wake.set()
        if self._task is not None and not self._ticking and not wait:
            self._task.cancel()

    async def stop(self) -> None:
        """Stop ticking and wait until the ticker has ended: a tick in progress finishes; if the
        caller is cancelled meanwhile (it ran out of time), the tick is interrupted quietly."""
        self.shutdown()
        if self._task is None:
            return
        try:
            await self._task
        except asyncio.CancelledError:
            if not self._task.done():
                raise  # the caller itself was cancelled while the ticker ends


def start_reminder_scheduler(
    services: object,
    senders: Mapping[str, Sender],
    limiters: Mapping[str, RateLimiter] | None = None,
    *,
    first_run_after: timedelta = timedelta(seconds=10),
) -> ReminderTicker:
    """Start ticking every `reminder_tick_minutes` in the running event loop; return the ticker.

    `services` is the composition root's Services (engine, settings, tz, now()).
    """
    settings = services.settings
    engine: Engine = services.engine
    clock: Callable[[], datetime] = services.now
    minutes = max(1, int(getattr(settings, "reminder_tick_minutes", 5)))
    concurrency = max(1, int(getattr(settings, "send_concurrency", 1)))
    config = PlannerConfig.from_settings(settings)
    owner = default_owner()

    async def tick() -> None:
        await run_tick(
            engine,
            senders,
            config,
            now=clock(),
            limiters=limiters,
            owner=owner,
            concurrency=concurrency,
        )

    ticker = ReminderTicker(
        tick, interval=minutes * 60.0, first_run_after=first_run_after.total_seconds()
    ).start()
    logger.info("Reminder ticker started: a tick every %d min", minutes)
    return ticker


def run_tick_soon(ticker: ReminderTicker) -> None:
    """Bring the next tick forward (e.g. right after an admin queued a broadcast)."""
    ticker.tick_soon()
