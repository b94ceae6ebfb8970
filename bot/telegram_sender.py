"""Telegram implementation of jobs.senders.Sender on python-telegram-bot's Bot."""

from __future__ import annotations

import logging
import unicodedata
import warnings
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import timedelta

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.request import HTTPXRequest

from bot.logs import redact
from bot.settings import Settings
from bot.telegram_pacing import PACED
from jobs.senders import ChatLike, SendOutcome

logger = logging.getLogger(__name__)

TELEGRAM_LIMIT = 4096
_GONE_CHAT = ("chat not found", "user is deactivated", "bot was kicked", "group chat was upgraded")


def _retry_after(exc: RetryAfter) -> float:
    """Seconds to wait; PTB 22 warns that the attribute turns into a timedelta later."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class TelegramSender:
    """Sends plain text (no parse mode, so nothing needs escaping) and maps errors to outcomes.

    On the Application's bot (an ExtBot with the token's shared rate limiter) each send is
    marked as already paced: jobs.delivery took its slot from that same limiter.
    """

    channel = "telegram"

    def __init__(self, bot: Bot) -> None:
        self._bot = bot
        self._extra: dict[str, object] = {"parse_mode": None}  # also overrides HTML defaults
        if getattr(bot, "rate_limiter", None) is not None:
            self._extra["rate_limit_args"] = PACED

    async def send(self, address: ChatLike, text: str) -> SendOutcome:
        return await self._send(address, text, None)

    async def send_choices(
        self, address: ChatLike, text: str, choices: Sequence[tuple[str, str]]
    ) -> SendOutcome:
        """Send with inline buttons (label, callback payload), one per row."""
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton(label, callback_data=payload)] for label, payload in choices]
        )
        return await self._send(address, text, markup)

    async def _send(
        self, address: ChatLike, text: str, markup: InlineKeyboardMarkup | None
    ) -> SendOutcome:
        text = unicodedata.normalize("NFC", text)
        if len(text) > TELEGRAM_LIMIT:
            text = text[: TELEGRAM_LIMIT - 1] + "…"
        try:
            await self._bot.send_message(
                chat_id=address.chat_id, text=text, reply_markup=markup, **self._extra
            )
        except RetryAfter as exc:
            return SendOutcome.retry_after_seconds(_retry_after(exc), "429")
        except Forbidden as exc:
            return SendOutcome.forbidden(redact(str(exc)))
        except BadRequest as exc:
            message = str(exc)
            if any(gone in message.lower() for gone in _GONE_CHAT):
                return SendOutcome.forbidden(redact(message))
            return SendOutcome.invalid(redact(message))
        except InvalidToken as exc:
            return SendOutcome.transient_error(f"token: {redact(str(exc))}")
        except NetworkError as exc:  # includes TimedOut and HTTP 5xx
            return SendOutcome.transient_error(redact(str(exc)) or type(exc).__name__)
        except TelegramError as exc:
            return SendOutcome.transient_error(redact(str(exc)) or type(exc).__name__)
        return SendOutcome.ok()


def make_bot(settings: Settings) -> Bot:
    """A Bot for `python -m bot reminders` (no Application in that process): our RateLimiter
    paces it; its pool holds every message in flight."""
    request = HTTPXRequest(
        connection_pool_size=settings.send_concurrency + 1,
        connect_timeout=10.0,
        read_timeout=20.0,
        write_timeout=20.0,
        pool_timeout=30.0,
    )
    return Bot(settings.telegram_bot_token, base_url=settings.telegram_base_url, request=request)


@asynccontextmanager
async def open_sender(settings: Settings) -> AsyncIterator[TelegramSender | None]:
    """A ready sender when TELEGRAM_BOT_TOKEN is set, else None."""
    if not settings.telegram_bot_token:
        yield None
        return
    bot = make_bot(settings)
    async with bot:
        yield TelegramSender(bot)
