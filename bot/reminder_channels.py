"""Reminder senders and rate limiters of the channels described in bot/channels.py."""

from __future__ import annotations

import importlib
import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from bot.channels import CHANNELS
from bot.settings import Settings
from jobs.senders import RateLimiter, Sender

logger = logging.getLogger(__name__)


@asynccontextmanager
async def open_senders(settings: Settings) -> AsyncIterator[dict[str, Sender]]:
    """Every configured channel's sender, open for the duration of the block.

    Each sender carries its channel's `message_limit` (bot.channels), which the outbox uses to
    combine one chat's reminders into messages that fit.
    """
    async with AsyncExitStack() as stack:
        senders: dict[str, Sender] = {}
        for spec in CHANNELS:
            module = importlib.import_module(spec.sender_module)
            sender = await stack.enter_async_context(module.open_sender(settings))
            if sender is not None:
                sender.message_limit = spec.message_limit
                senders[spec.name] = sender
        yield senders


def rate_limiters(settings: Settings) -> dict[str, RateLimiter]:
    """One limiter per channel from the settings (Telegram: ~30/s overall, 20/min per group)."""
    return {spec.name: spec.rate_limiter(settings) for spec in CHANNELS}
