"""Zalo implementation of jobs.senders.Sender for reminders and broadcasts, on the Zalo client."""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.settings import Settings
from bot.zalo_client import (
    DEFAULT_RETRY_AFTER,
    ZaloBadRequest,
    ZaloClient,
    ZaloError,
    ZaloForbidden,
    ZaloQuotaExceeded,
    ZaloUnauthorized,
)
from bot.zalo_render import numbered, plain, split_text
from handlers.types import Choice
from jobs.senders import ChatLike, SendOutcome

logger = logging.getLogger(__name__)


class ZaloSender:
    """Maps Zalo answers to outcomes: 429 → retry after, 403 → forbidden (inactive), 400 → invalid.

    A text over Zalo's 2000 characters goes out as several messages split at line boundaries.
    """

    channel = "zalo"

    def __init__(self, client: ZaloClient, *, quota_wait: float = DEFAULT_RETRY_AFTER) -> None:
        self._client = client
        self._quota_wait = quota_wait

    async def send(self, address: ChatLike, text: str) -> SendOutcome:
        choices = [Choice(label, data) for label, data in getattr(address, "choices", ())]
        if choices:  # no buttons on Zalo: the reminder's actions as numbered options
            text = f"{text}\n\n{numbered(choices)}"
        parts = split_text(plain(unicodedata.normalize("NFC", text)))
        if not parts:
            return SendOutcome.invalid("empty text")
        try:
            for part in parts:
                await self._client.send_message(str(address.chat_id), part)
        except ZaloQuotaExceeded as exc:
            return SendOutcome.retry_after_seconds(
                exc.retry_after if exc.retry_after is not None else self._quota_wait,
                "429 Quota exceeded",
            )
        except ZaloForbidden as exc:
            return SendOutcome.forbidden(str(exc))
        except ZaloBadRequest as exc:
            return SendOutcome.invalid(str(exc))
        except ZaloUnauthorized as exc:  # a token problem is ours to fix: keep the message pending
            return SendOutcome.transient_error(str(exc))
        except ZaloError as exc:  # network, 5xx, unexpected answers: back off and retry
            return SendOutcome.transient_error(str(exc))
        except ValueError as exc:
            return SendOutcome.invalid(str(exc))
        return SendOutcome.ok()


def make_client(settings: Settings) -> ZaloClient:
    return ZaloClient(settings.zalo_bot_token, settings.zalo_base_url)


@asynccontextmanager
async def open_sender(settings: Settings) -> AsyncIterator[ZaloSender | None]:
    """A ready sender when ZALO_BOT_TOKEN is set, else None."""
    if not settings.zalo_bot_token:
        yield None
        return
    async with make_client(settings) as client:
        yield ZaloSender(client)
