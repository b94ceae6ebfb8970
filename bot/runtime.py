"""What every async runner of `python -m bot run` shares, and the error a channel stops with."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bot.wiring import Services
from handlers.conversation import Conversation

logger = logging.getLogger(__name__)


@dataclass
class Runtime:
    """One database, one conversation, one stop signal.

    `senders` is where channel runners publish their jobs.senders.Sender (by channel name) so
    the reminder scheduler and broadcasts can reach chats on every channel; `limiters` holds the
    rate limiter a channel's replies already use, so reminders share it (one per bot token).
    `health` maps a channel to a check that is True while the channel can send (GET /healthz).
    """

    services: Services
    conversation: Conversation
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    senders: dict[str, Any] = field(default_factory=dict)
    ready: set[str] = field(default_factory=set)
    health: dict[str, Callable[[], bool]] = field(default_factory=dict)
    webhooks: Any = None  # bot.webhook_server.WebhookServer shared by the channels' webhooks
    limiters: dict[str, Any] = field(default_factory=dict)

    def publish_sender(self, channel: str, sender: Any, limiter: Any = None) -> None:
        """A channel is up: reminders may go out through its sender (with the channel's message
        length limit), paced by the limiter its replies use."""
        from bot.channels import CHANNELS

        spec = next((spec for spec in CHANNELS if spec.name == channel), None)
        if spec is not None:
            sender.message_limit = spec.message_limit
        self.senders[channel] = sender
        if limiter is not None:
            self.limiters[channel] = limiter

    def withdraw_sender(self, channel: str) -> None:
        """A channel is stopping: its reminders wait, pending, for the next run."""
        self.senders.pop(channel, None)
        self.limiters.pop(channel, None)

    def webhook_servers(self) -> Any:
        """The process's webhook servers (bot.webhook_server.WebhookServers), made on first use."""
        if self.webhooks is None:
            from bot.webhook_server import WebhookServers

            settings = self.services.settings
            self.webhooks = WebhookServers(
                max_body_bytes=settings.webhook_max_body_bytes,
                trusted_proxies=settings.trusted_proxies,
                health=self.health_report,
            )
        return self.webhooks

    def health_report(self) -> dict[str, bool]:
        """Each channel's "can it send now?" check, for GET /healthz."""
        report = {}
        for name, check in list(self.health.items()):
            try:
                report[name] = bool(check())
            except Exception:  # noqa: BLE001 - a failing check is an unhealthy channel
                report[name] = False
        return report

    def mark_ready(self, name: str) -> None:
        self.ready.add(name)
        logger.info("%s ready", name)


Runner = Callable[[Runtime], Awaitable[None]]


class ChannelError(RuntimeError):
    """A channel cannot run (bad token, unreachable API): the message is Vietnamese, for the
    log."""
