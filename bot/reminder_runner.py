"""Background runner for `python -m bot`: the reminder scheduler on the channels' own senders."""

from __future__ import annotations

import asyncio
import logging
from collections import ChainMap
from typing import TYPE_CHECKING

from bot.reminder_channels import rate_limiters
from jobs.scheduler import run_tick_soon, start_reminder_scheduler

if TYPE_CHECKING:
    from bot.runtime import Runtime

logger = logging.getLogger(__name__)


async def run_reminders(runtime: Runtime) -> None:
    """Tick every REMINDER_TICK_MINUTES until the bot stops.

    Reminders go out through the senders the channel runners publish in `runtime.senders`: the
    same bot, HTTP pool and rate limiter as the replies (one limiter per token), and no second
    connection or token check of their own. Both mappings are live: a tick sends on the channels
    up at that moment; a channel not up yet keeps its reminders pending for a later tick.
    """
    settings = runtime.services.settings
    limiters = ChainMap(runtime.limiters, rate_limiters(settings))
    scheduler = start_reminder_scheduler(runtime.services, runtime.senders, limiters)
    loop = asyncio.get_running_loop()
    # an admin's /guitin is committed in a worker thread: bring the next tick forward
    runtime.conversation.on_broadcast_queued = lambda: loop.call_soon_threadsafe(
        run_tick_soon, scheduler
    )
    runtime.mark_ready("reminders")
    try:
        await runtime.stop.wait()
    finally:
        runtime.conversation.on_broadcast_queued = None
        # wait for a tick in progress, so the loop never ends under a running tick (a cancelled
        # tick logged a CancelledError traceback); run_runners bounds the wait and cancels after
        await scheduler.stop()
