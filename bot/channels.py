"""One description per chat channel, registered in one list: adding a channel is one adapter
module plus one entry in CHANNELS.

Everything the rest of the bot needs to know about a channel lives here: how to tell it is
configured, its runner, its reminder sender, its message length limit, whether it shows
buttons, how ADMIN_IDS name its users, and its rate limit. Runners and senders are named by
import path so that `python -m bot ask` never imports Telegram or Zalo code.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.settings import Settings
from jobs.senders import RateLimiter


@dataclass(frozen=True)
class ChannelSpec:
    name: str  # Incoming.channel, outbox rows, "name:<id>" in ADMIN_IDS
    label: str  # for people
    configured: Callable[[Settings], bool]  # its token is set
    runner: str  # "module:function" taking a bot.runtime.Runtime
    sender_module: str  # module with open_sender(settings) for reminders and broadcasts
    message_limit: int  # characters per reminder message, with a margin under the platform's
    buttons: bool  # inline buttons; without them options are numbered and answered by digit
    rate_limiter: Callable[[Settings], RateLimiter]
    bare_admin_ids: bool = False  # ADMIN_IDS entries without "channel:" belong to this channel

    def load_runner(self) -> Callable[..., Any]:
        module, _, function = self.runner.partition(":")
        return getattr(importlib.import_module(module), function)  # type: ignore[no-any-return]


CHANNELS: tuple[ChannelSpec, ...] = (
    ChannelSpec(
        name="telegram",
        label="Telegram",
        configured=lambda s: bool(s.telegram_bot_token),
        runner="bot.telegram_adapter:run_telegram",
        sender_module="bot.telegram_sender",
        message_limit=3800,  # Telegram allows 4096
        buttons=True,
        rate_limiter=lambda s: RateLimiter(
            s.telegram_rate_per_second, s.telegram_group_rate_per_minute
        ),
        bare_admin_ids=True,  # ADMIN_IDS has always listed Telegram user ids bare
    ),
    ChannelSpec(
        name="zalo",
        label="Zalo",
        configured=lambda s: bool(s.zalo_bot_token),
        runner="bot.zalo_adapter:run_zalo",
        sender_module="bot.zalo_sender",
        message_limit=1900,  # Zalo allows 2000
        buttons=False,
        rate_limiter=lambda s: RateLimiter(s.zalo_rate_per_second),
    ),
)


def configured_channels(settings: Settings) -> list[ChannelSpec]:
    return [spec for spec in CHANNELS if spec.configured(settings)]


def message_limits() -> dict[str, int]:
    return {spec.name: spec.message_limit for spec in CHANNELS}


def button_channels() -> frozenset[str]:
    return frozenset(spec.name for spec in CHANNELS if spec.buttons)


def bare_admin_channel() -> str:
    """The channel whose user ids ADMIN_IDS lists without a "channel:" prefix ("" = none)."""
    return next((spec.name for spec in CHANNELS if spec.bare_admin_ids), "")


def channel_rate_limiter(name: str, settings: Settings) -> RateLimiter:
    """A new limiter for the channel's token; its runner makes one and shares it (replies and
    reminders alike)."""
    return next(spec for spec in CHANNELS if spec.name == name).rate_limiter(settings)
