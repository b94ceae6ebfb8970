"""One rate limiter per Telegram bot token, shared by conversation replies and reminders.

PTB calls `process_request` for every Bot API request of the Application's bot. Requests that
name a chat wait for a slot of the process's one jobs.senders.RateLimiter (~30/s overall, 20/min
per group), the same object the reminder delivery paces itself with. A reminder send has already
taken its slot in jobs.delivery, so it passes `rate_limit_args=PACED` and is not counted twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from jobs.senders import Address, RateLimiter

logger = logging.getLogger(__name__)

PACED: dict[str, Any] = {"paced": True}  # rate_limit_args of a send that already has its slot


def _retry_seconds(exc: RetryAfter) -> float:
    value = exc._retry_after  # the timedelta behind PTB's deprecated `retry_after`
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _chat_address(chat_id: object) -> Address:
    """Telegram groups and channels have negative ids (or @names): the per-group cap applies."""
    text = str(chat_id)
    return Address("telegram", text, is_group=text.startswith(("-", "@")))


class SharedRateLimiter(BaseRateLimiter[dict[str, Any]]):
    """PTB's rate-limiter interface over the shared RateLimiter.

    A 429 pauses the shared limiter (replies and reminders alike). An interactive request is
    retried up to `max_retries` times; a paced reminder send gets the RetryAfter back at once,
    because the delivery loop decides what to do with it.
    """

    def __init__(self, limiter: RateLimiter, *, max_retries: int = 2) -> None:
        self.limiter = limiter
        self.max_retries = max_retries

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: dict[str, Any] | None,
    ) -> Any:
        paced = bool(rate_limit_args and rate_limit_args.get("paced"))
        chat_id = data.get("chat_id")
        for attempt in range(self.max_retries + 1):
            if chat_id is not None and not paced:
                await self.limiter.acquire(_chat_address(chat_id))
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                seconds = _retry_seconds(exc)
                self.limiter.pause(seconds)
                if paced or attempt == self.max_retries:
                    raise
                logger.info("Telegram flood control on %s: waiting %.1fs", endpoint, seconds)
        raise AssertionError("unreachable")
