"""Background runner for `python -m bot`: the reminder scheduler with every configured sender."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from bot.reminder_channels import open_senders, rate_limiters
from jobs.scheduler import run_tick_soon, start_reminder_scheduler

if TYPE_CHECKING:
    from bot.runtime import Runtime

logger = logging.getLogger(__name__)


async def run_reminders(runtime: "Runtime") -> None:
    """Tick every REMINDER_TICK_MINUTES until the bot stops; senders are the reminders' own."""
    settings = runtime.services.settings
    async with open_senders(settings) as senders:
        scheduler = start_reminder_scheduler(runtime.services, senders, rate_limiters(settings))
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
            scheduler.shutdown(wait=False)
