"""Background runner for `python -m bot`: the reminder scheduler with every configured sender."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.reminder_channels import open_senders, rate_limiters
from jobs.scheduler import start_reminder_scheduler

if TYPE_CHECKING:
    from bot.run import Runtime

logger = logging.getLogger(__name__)


async def run_reminders(runtime: "Runtime") -> None:
    """Tick every REMINDER_TICK_MINUTES until the bot stops; senders are the reminders' own."""
    settings = runtime.services.settings
    async with open_senders(settings) as senders:
        scheduler = start_reminder_scheduler(runtime.services, senders, rate_limiters(settings))
        runtime.mark_ready("reminders")
        try:
            await runtime.stop.wait()
        finally:
            scheduler.shutdown(wait=False)
