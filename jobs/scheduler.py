"""APScheduler (3.x) triggers the reminder tick in the bot's event loop; what is due always comes
from the database. A watchdog on the monotonic clock keeps the ticks going when the wall clock
jumps.

Why the watchdog: APScheduler 3 keeps each job's next run as a wall-clock datetime and sleeps
(on the loop's monotonic timer) until then, re-reading the wall clock when it wakes. Set the
wall clock back by four days and the next run lies four days ahead: the bot stops reminding for
four days. Set it forward and the tick waits out the old timer, late. The watchdog compares the
wall clock with the monotonic clock every few seconds; when they diverge by more than a tolerance
it reschedules the tick to run now (one run, never a burst: missed runs are coalesced).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta, tzinfo
from typing import Protocol

from apscheduler.events import EVENT_JOB_SUBMITTED, JobSubmissionEvent
from apscheduler.job import Job
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.engine import Engine

from jobs.planner import PlannerConfig, ReminderSettings
from jobs.senders import RateLimiter, Sender
from jobs.tick import default_owner, run_tick

logger = logging.getLogger(__name__)

JOB_ID = "reminder-tick"
WATCHDOG_EVERY = 5.0  # seconds between two comparisons of the wall and monotonic clocks
JUMP_TOLERANCE = 5.0  # seconds the wall clock may step (NTP, leap) before the tick is moved


class TickSettings(ReminderSettings, Protocol):
    """The settings a tick reads besides the reminder policy."""

    @property
    def reminder_tick_minutes(self) -> int: ...

    @property
    def send_concurrency(self) -> int: ...


class TickServices(Protocol):
    """What the scheduler needs of the composition root's Services."""

    @property
    def settings(self) -> TickSettings: ...

    @property
    def engine(self) -> Engine: ...

    def now(self) -> datetime: ...


class ClockJumpWatchdog:
    """Notices the wall clock stepping against the monotonic clock (set back, set forward, or a
    suspended machine waking up). A slow NTP slew between two checks stays under the tolerance."""

    def __init__(
        self,
        tolerance: float,
        *,
        wall: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.tolerance = tolerance
        self._wall = wall
        self._monotonic = monotonic
        self._offset = wall() - monotonic()

    def jump(self) -> float:
        """Seconds the wall clock jumped since the last call (+ forward, - back), or 0.0."""
        offset = self._wall() - self._monotonic()
        jumped = offset - self._offset
        self._offset = offset
        return jumped if abs(jumped) > self.tolerance else 0.0


class ReminderScheduler:
    """Runs `tick` every `interval` seconds through APScheduler, one tick at a time.

    - coalesce: ticks missed while the loop was busy or the clock jumped run once, not N times
      (each tick catches up everything anyway);
    - max_instances=1: a slow broadcast is never overlapped by the next tick in this process
      (the database lease stops other processes);
    - misfire grace of one interval: a late tick still runs instead of APScheduler's 1 s default
      silently dropping it;
    - `tick_soon()` brings the next tick forward (an admin just queued a broadcast); asked while
      a tick runs, that tick goes round once more instead of being skipped as a second instance;
    - the clock-jump watchdog (module docstring) moves the next run to now.
    The job store is in memory on purpose: nothing is lost with it, the tick reads the database.
    """

    def __init__(
        self,
        tick: Callable[[], Awaitable[None]],
        *,
        interval: float,
        first_run_after: float,
        tz: tzinfo,
        watchdog_every: float | None = WATCHDOG_EVERY,
        jump_tolerance: float = JUMP_TOLERANCE,
    ) -> None:
        self.interval = interval
        self.ticks = 0
        self._tick = tick
        self._first_run_after = first_run_after
        self._tz = tz
        self._watchdog_every = watchdog_every
        self._jump_tolerance = jump_tolerance
        self._scheduler = AsyncIOScheduler(timezone=tz)
        self._watchdog_task: asyncio.Task[None] | None = None
        self._tick_task: asyncio.Future[object] | None = None
        self._ticking = False
        self._again = False
        self._stopping = False

    def start(self) -> ReminderScheduler:
        loop = asyncio.get_running_loop()
        self._scheduler.add_listener(self._on_submitted, EVENT_JOB_SUBMITTED)
        self._scheduler.add_job(
            self._run_ticks,
            IntervalTrigger(seconds=self.interval, timezone=self._tz),
            id=JOB_ID,
            name="Nhắc hạn",
            coalesce=True,
            max_instances=1,
            misfire_grace_time=max(1, round(self.interval)),
            next_run_time=self._wall_now() + timedelta(seconds=self._first_run_after),
            replace_existing=True,
        )
        self._scheduler.start()
        if self._watchdog_every is not None:
            self._watchdog_task = loop.create_task(
                self._watch_the_clock(self._watchdog_every), name="reminder-clock-watchdog"
            )
        return self

    def tick_soon(self) -> None:
        """Run a tick now; during a tick, run one more right after it."""
        if self._stopping:
            return
        if self._ticking:
            self._again = True
        else:
            self._reschedule(self._wall_now())

    def shutdown(self, wait: bool = False) -> None:
        """Stop ticking; a tick in progress finishes unless the loop itself ends."""
        self._stop_triggering()
        if self._tick_task is not None and not self._tick_task.done():
            self._tick_task.add_done_callback(lambda _task: self._shut_apscheduler_down())
        else:
            self._shut_apscheduler_down()

    async def stop(self) -> None:
        """Stop ticking and wait until a tick in progress has finished; if the caller is cancelled
        meanwhile (it ran out of time), the tick is interrupted quietly."""
        self._stop_triggering()
        if self._ticking:
            # a tick submitted but not started yet starts now, sees the stop and ends at once,
            # instead of being cancelled by APScheduler's shutdown (it would log an error)
            await asyncio.sleep(0)
        task = self._tick_task
        if task is not None and not task.done():
            try:
                await task
            except asyncio.CancelledError:
                if not task.done():
                    raise  # the caller itself was cancelled while the tick ends
        self._shut_apscheduler_down()

    def _wall_now(self) -> datetime:
        return datetime.now(self._tz)

    def _job(self) -> Job | None:
        return self._scheduler.get_job(JOB_ID) if self._scheduler.running else None

    def _reschedule(self, when: datetime) -> None:
        job = self._job()
        if job is not None:
            job.modify(next_run_time=when)  # wakes the scheduler up to recompute its timer

    def _on_submitted(self, event: JobSubmissionEvent) -> None:
        # the tick's task is created but not started yet: a tick_soon() now must not submit a
        # second instance (APScheduler would skip it with a warning), it asks for one more round
        if event.job_id == JOB_ID:
            self._ticking = True

    async def _run_ticks(self) -> None:
        """The APScheduler job: one tick, again while ticks were asked for during it."""
        self._tick_task = asyncio.current_task()
        self._ticking = True
        try:
            while not self._stopping:
                self._again = False
                await self._tick_once()
                if not self._again:
                    break
        finally:
            self._ticking = False

    async def _tick_once(self) -> None:
        try:
            await self._tick()
        except asyncio.CancelledError:
            if not self._stopping:
                raise
            # the bot is stopping and could not wait for the tick: a row it was sending
            # stays `sending` and is recovered by the next start's tick, never lost or doubled
            logger.info("Reminder tick interrupted by shutdown; it resumes at the next start")
        except Exception:  # a failing tick must not stop the scheduler; the next one retries
            logger.exception("Reminder tick failed")
        finally:
            self.ticks += 1

    async def _watch_the_clock(self, every: float) -> None:
        watchdog = ClockJumpWatchdog(self._jump_tolerance)
        while True:
            await asyncio.sleep(every)  # the loop's monotonic clock, whatever the wall clock does
            jumped = watchdog.jump()
            if jumped:
                self._after_clock_jump(jumped)

    def _after_clock_jump(self, jumped: float) -> None:
        now = self._wall_now()
        # idle: tick now and count the interval from the new wall time; during a tick: its next
        # run was computed on the old wall time, so move it to one interval from now
        when = now + timedelta(seconds=self.interval) if self._ticking else now
        logger.warning(
            "The wall clock jumped %+.0f s; next reminder tick moved to %s", jumped, f"{when:%c}"
        )
        self._reschedule(when)

    def _stop_triggering(self) -> None:
        self._stopping = True
        if self._watchdog_task is not None:
            self._watchdog_task.cancel()
        if self._scheduler.running:
            self._scheduler.pause()

    def _shut_apscheduler_down(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)


def start_reminder_scheduler(
    services: TickServices,
    senders: Mapping[str, Sender],
    limiters: Mapping[str, RateLimiter] | None = None,
    *,
    first_run_after: timedelta = timedelta(seconds=10),
) -> ReminderScheduler:
    """Start ticking every `reminder_tick_minutes` in the running event loop; return the
    scheduler. `services` is the composition root's Services (engine, settings, now())."""
    settings = services.settings
    engine = services.engine
    minutes = max(1, int(settings.reminder_tick_minutes))
    concurrency = max(1, int(settings.send_concurrency))
    config = PlannerConfig.from_settings(settings)
    owner = default_owner()

    async def tick() -> None:
        await run_tick(
            engine,
            senders,
            config,
            now=services.now(),
            limiters=limiters,
            owner=owner,
            concurrency=concurrency,
        )

    scheduler = ReminderScheduler(
        tick,
        interval=minutes * 60.0,
        first_run_after=first_run_after.total_seconds(),
        tz=config.tz,
    ).start()
    logger.info("Reminder scheduler started: a tick every %d min", minutes)
    return scheduler


def run_tick_soon(scheduler: ReminderScheduler) -> None:
    """Bring the next tick forward (e.g. right after an admin queued a broadcast)."""
    scheduler.tick_soon()
