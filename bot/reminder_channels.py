"""Registry of reminder senders per channel: each module offers `open_sender(settings)`."""

from __future__ import annotations

import importlib
import logging
from contextlib import AsyncExitStack, asynccontextmanager
from typing import AsyncIterator

from bot.settings import Settings
from jobs.senders import RateLimiter, Sender

logger = logging.getLogger(__name__)

# channel → module with `open_sender(settings)`: an async context manager yielding a Sender, or
# None when the channel is not configured (no token). A new channel adds one line here.
SENDER_MODULES: dict[str, str] = {
    "telegram": "bot.telegram_sender",
    "zalo": "bot.zalo_sender",
}


@asynccontextmanager
async def open_senders(settings: Settings) -> AsyncIterator[dict[str, Sender]]:
    """Every configured channel's sender, open for the duration of the block."""
    async with AsyncExitStack() as stack:
        senders: dict[str, Sender] = {}
        for channel, module_name in SENDER_MODULES.items():
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name != module_name:
                    raise
                logger.debug("No sender module for %s", channel)
                continue
            sender = await stack.enter_async_context(module.open_sender(settings))
            if sender is not None:
                senders[channel] = sender
        yield senders


def rate_limiters(settings: Settings) -> dict[str, RateLimiter]:
    """One limiter per channel from the settings (Telegram: ~30/s overall, 20/min per group)."""
    return {
        "telegram": RateLimiter(settings.telegram_rate_per_second, settings.telegram_group_rate_per_minute),
        "zalo": RateLimiter(settings.zalo_rate_per_second),
    }
