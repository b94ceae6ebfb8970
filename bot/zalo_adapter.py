"""Zalo channel adapter: updates in (long polling or webhook), replies out as plain text."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from sqlalchemy.engine import Engine

from bot import inbox
from bot.channels import channel_rate_limiter
from bot.inbox import InboxItem
from bot.update_pipeline import Admission, UpdatePipeline
from bot.webhook_server import WebhookRoute
from bot.zalo_client import (
    DEFAULT_RETRY_AFTER,
    ZaloClient,
    ZaloError,
    ZaloForbidden,
    ZaloNetworkError,
    ZaloQuotaExceeded,
    ZaloServerError,
    ZaloUnauthorized,
)
from bot.zalo_render import incoming_from_update, match_choice, render_replies, update_payload
from handlers import state
from handlers.types import Choice, ContentKind, Incoming, Reply
from jobs.senders import Address, RateLimiter
from knowledge.db import read_session

if TYPE_CHECKING:
    from bot.runtime import Runtime

logger = logging.getLogger(__name__)

Handle = Callable[..., list[Reply]]  # Conversation.handle(incoming, record)
SORRY = (
    "Xin lỗi, hệ thống đang gặp sự cố khi xử lý tin nhắn của bạn. Vui lòng thử lại sau ít phút."
)
MAX_SEND_RETRIES = 3
MAX_BACKOFF = 60.0
TYPING_WAIT = 2.0  # seconds a reply waits for its typing indicator (never cancelled midway)
CHANNEL = "zalo"
SECRET_HEADER = "X-Bot-Api-Secret-Token"


class ZaloBot:
    """Turns Zalo updates into conversation calls and sends the replies, one chat at a time."""

    def __init__(
        self,
        client: ZaloClient,
        handle: Handle,
        engine: Engine,
        *,
        bot_names: Sequence[str] = (),
        limiter: RateLimiter | None = None,
        capacity: int = 200,
        workers: int = 8,
    ) -> None:
        self.client = client
        self.limiter = limiter  # the token's one limiter, shared with reminders
        self._handle = handle
        self._engine = engine
        self.bot_names = tuple(bot_names)
        self._side_tasks: set[asyncio.Task[None]] = set()
        self.pipeline = UpdatePipeline(
            CHANNEL, engine, self.process, capacity=capacity, workers=workers
        )

    # -- one update ------------------------------------------------------------------------
    def _resolve_choice(self, incoming: Incoming) -> Incoming:
        """A digit or an option's name answering the choices offered last becomes a CHOICE."""
        if incoming.kind is not ContentKind.TEXT or incoming.text.strip().startswith("/"):
            return incoming
        with read_session(self._engine) as session:
            options = state.get_pending(session, incoming)
        choices = [
            Choice(o.get("label", ""), o.get("payload", "")) for o in options if o.get("payload")
        ]
        picked = match_choice(incoming.text, choices)
        if picked is None:
            return incoming
        return Incoming(
            channel=incoming.channel,
            chat_id=incoming.chat_id,
            user_id=incoming.user_id,
            display_name=incoming.display_name,
            kind=ContentKind.CHOICE,
            text=picked.payload,
            is_group=incoming.is_group,
            addressed_to_bot=incoming.addressed_to_bot,
            update_id=incoming.update_id,
        )

    def _converse(self, incoming: Incoming, record: inbox.Record | None) -> list[Reply]:
        # The conversation stores the choices it offers (handlers.state.set_pending), so a digit
        # still answers them after a restart.
        resolved = self._resolve_choice(incoming)
        return self._handle(resolved, record) if record else self._handle(resolved)

    async def handle_update(
        self, update: dict[str, Any], record: inbox.Record | None = None
    ) -> int:
        """Answer one update; return the number of messages sent. Never raises for bad input.

        Callers keep one chat's updates in order (the UpdatePipeline does).
        """
        incoming = incoming_from_update(update, self.bot_names)
        if incoming is None:
            logger.debug("ignored a Zalo update without a usable message")
            return 0
        # never cancelled midway: a request cut off mid-flight can leave its pooled connection
        # unusable, and enough of those starve the pool (PoolTimeout on every later reply)
        typing = asyncio.create_task(self._typing(incoming.chat_id))
        self._side_tasks.add(typing)
        typing.add_done_callback(self._side_tasks.discard)
        try:
            replies = await asyncio.to_thread(self._converse, incoming, record)
        except Exception:
            logger.exception("conversation failed on a Zalo message")
            replies = [Reply(SORRY)]
        await asyncio.wait({typing}, timeout=TYPING_WAIT)  # "typing…" before the answer
        return await self.send_replies(incoming.chat_id, replies)

    async def process(self, item: InboxItem) -> None:
        """Handle one stored update; an update answered before a crash only sends its replies."""
        if item.state == inbox.ANSWERED:
            await self.send_replies(item.chat_id, list(item.replies))
            return
        await self.handle_update(item.payload, inbox.recorder(CHANNEL, item.update_id))

    async def admit(self, update: dict[str, Any], *, force: bool = False) -> Admission:
        """Store an update in the inbox and queue it (FULL: nothing stored, retry later)."""
        parsed = parse_update(update)
        if parsed is None:
            return Admission.DUPLICATE  # nothing to handle: acknowledge
        return await self.pipeline.admit(*parsed, force=force)

    async def send_replies(self, chat_id: str, replies: list[Reply]) -> int:
        """Send each reply to its own chat (admin output: the admin's private chat)."""
        sent = 0
        for target, group in _by_target(chat_id, replies):
            for text in render_replies(group):
                if await self.send_text(target, text):
                    sent += 1
        return sent

    async def _typing(self, chat_id: str) -> None:
        try:
            await self.client.send_chat_action(chat_id, "typing")
        except (ZaloError, ValueError) as exc:
            logger.debug("typing action failed: %s", exc)

    async def send_text(self, chat_id: str, text: str) -> bool:
        """Send one interactive reply, waiting out a 429 a few times; False if it could not go."""
        for attempt in range(MAX_SEND_RETRIES + 1):
            if self.limiter is not None:
                await self.limiter.acquire(Address("zalo", chat_id))
            try:
                await self.client.send_message(chat_id, text)
                return True
            except ZaloQuotaExceeded as exc:
                if attempt == MAX_SEND_RETRIES:
                    break
                await asyncio.sleep(
                    min(
                        DEFAULT_RETRY_AFTER if exc.retry_after is None else exc.retry_after,
                        MAX_BACKOFF,
                    )
                )
            except (ZaloNetworkError, ZaloServerError) as exc:
                if attempt == MAX_SEND_RETRIES:
                    break
                await asyncio.sleep(min(2.0**attempt, MAX_BACKOFF))
                logger.warning("Zalo send failed, retrying: %s", exc)
            except ZaloForbidden:
                logger.info("Zalo chat %s does not accept messages from the bot", chat_id)
                return False
            except (ZaloError, ValueError) as exc:
                logger.error("Zalo refused a reply: %s", exc)
                return False
        logger.error("Zalo reply to %s dropped after %d attempts", chat_id, MAX_SEND_RETRIES + 1)
        return False

    # -- long polling ----------------------------------------------------------------------
    async def run_polling(self, stop: asyncio.Event, *, poll_timeout: int = 30) -> None:
        """Long-poll getUpdates until `stop` is set; back off on errors, never give up silently."""
        # polling and webhook are exclusive
        if not await _retry_until_done(stop, self.client.delete_webhook, "deleteWebhook"):
            return
        await self.pipeline.start()
        try:
            await self._poll(stop, poll_timeout)
        finally:
            await self.pipeline.stop()
        logger.info("Zalo long polling stopped")

    async def _poll(self, stop: asyncio.Event, poll_timeout: int) -> None:
        logger.info("Zalo long polling started")
        backoff = 1.0
        while not stop.is_set():
            await self.pipeline.wait_for_room()  # back-pressure: fetch no more than we can hold
            poll = asyncio.create_task(self.client.get_updates(timeout=poll_timeout))
            stopper = asyncio.create_task(stop.wait())
            done, _ = await asyncio.wait({poll, stopper}, return_when=asyncio.FIRST_COMPLETED)
            stopper.cancel()
            if poll not in done:
                poll.cancel()
                await asyncio.gather(poll, return_exceptions=True)
                break
            try:
                updates = poll.result()
            except ZaloUnauthorized:
                logger.error("Zalo rejected the bot token (401); stopping Zalo polling")
                raise
            except ZaloQuotaExceeded as exc:
                wait = min(
                    DEFAULT_RETRY_AFTER if exc.retry_after is None else exc.retry_after,
                    MAX_BACKOFF,
                )
                logger.warning("Zalo getUpdates quota exceeded; waiting %.0f s", wait)
                if await _wait(stop, wait):
                    break
                continue
            except ZaloError as exc:
                logger.warning("Zalo getUpdates failed (%s); retrying in %.0f s", exc, backoff)
                if await _wait(stop, backoff):
                    break
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            backoff = 1.0
            for update in updates:
                await self.admit(update, force=True)  # fetched, hence acknowledged: keep it


def _by_target(chat_id: str, replies: list[Reply]) -> list[tuple[str, list[Reply]]]:
    """Consecutive replies grouped by the chat they go to (options number on within a group)."""
    groups: list[tuple[str, list[Reply]]] = []
    for reply in replies:
        target = reply.chat_id or chat_id
        if groups and groups[-1][0] == target:
            groups[-1][1].append(reply)
        else:
            groups.append((target, [reply]))
    return groups


async def _retry_until_done(
    stop: asyncio.Event, call: Callable[[], Awaitable[object]], what: str
) -> bool:
    """Await `call` until it succeeds, backing off on Zalo errors; False if `stop` was set while
    waiting.

    A rejected token (401) is logged and raised: retrying cannot fix it.
    """
    backoff = 1.0
    while not stop.is_set():
        try:
            await call()
            break
        except ZaloUnauthorized:
            logger.error("Zalo rejected the bot token (401); check ZALO_BOT_TOKEN")
            raise
        except ZaloError as exc:
            logger.warning("%s failed (%s); retrying in %.0f s", what, exc, backoff)
            if await _wait(stop, backoff):
                return False
            backoff = min(backoff * 2, MAX_BACKOFF)
    return True


async def _wait(stop: asyncio.Event, seconds: float) -> bool:
    """Sleep up to `seconds`; True if `stop` was set meanwhile."""
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
        return True
    except TimeoutError:
        return False


# -- webhook -------------------------------------------------------------------------------
def parse_update(body: Any) -> tuple[str, str, dict[str, Any]] | None:
    """(update id, chat key, payload) of a pushed or polled update; None if it is no update.

    The id is the message id; a message without one is keyed by its content's digest, so an
    identical redelivery is still recognised.
    """
    payload = update_payload(body)
    if payload is None:
        return None
    message = payload.get("message") if isinstance(payload.get("message"), dict) else {}
    chat = message.get("chat") if isinstance(message.get("chat"), dict) else {}
    sender = message.get("from") if isinstance(message.get("from"), dict) else {}
    chat_key = str(chat.get("id") or sender.get("id") or "")
    message_id = str(message.get("message_id") or "").strip()
    if not message_id:
        canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")
        message_id = "sha256:" + hashlib.sha256(canonical).hexdigest()[:32]
    return message_id, chat_key, payload


async def run_webhook(
    bot: ZaloBot, runtime: Runtime, *, url: str, secret: str, listen: str, port: int
) -> None:
    """Serve the webhook (shared server) and register it with Zalo until runtime.stop is set."""
    if len(secret) < 8:
        raise ValueError("ZALO_WEBHOOK_SECRET must be 8-256 characters")
    route = WebhookRoute(
        channel=CHANNEL,
        path=urlsplit(url).path or "/",
        secret_header=SECRET_HEADER,
        secret=secret,
        parse=parse_update,
        admit=bot.pipeline.admit,
    )
    await bot.pipeline.start()
    server = await runtime.webhook_servers().open(listen, port, route)
    logger.info("Zalo webhook listening on %s:%d%s", listen, server.port, route.path)

    async def register() -> None:
        await bot.client.set_webhook(url, secret)
        logger.info("Zalo webhook registered")

    try:
        if await _retry_until_done(runtime.stop, register, "setWebhook"):
            await runtime.stop.wait()
    finally:
        await runtime.webhook_servers().release(server)
        await bot.pipeline.stop()


# -- runner --------------------------------------------------------------------------------
def _bot_names(me: dict[str, Any]) -> tuple[str, ...]:
    """Names a group mention of the bot may start with (from getMe)."""
    keys = ("display_name", "name", "account_name", "first_name", "username")
    return tuple(str(me[k]) for k in keys if me.get(k))


async def run_zalo(runtime: Runtime) -> None:
    """Run the Zalo channel until runtime.stop is set: long polling, or a webhook if configured."""
    from bot.zalo_sender import ZaloSender

    settings = runtime.services.settings
    if settings.zalo_webhook_url and not 8 <= len(settings.zalo_webhook_secret) <= 256:
        logger.error(
            "ZALO_WEBHOOK_URL needs ZALO_WEBHOOK_SECRET of 8-256 characters; Zalo not started"
        )
        raise ValueError(
            "Cấu hình ZALO_WEBHOOK_SECRET phải dài 8–256 ký tự khi dùng ZALO_WEBHOOK_URL"
        )
    async with ZaloClient(settings.zalo_bot_token, settings.zalo_base_url) as client:
        names: tuple[str, ...] = ()
        try:
            me = await client.get_me()
            names = _bot_names(me)
            logger.info("Zalo bot %s connected", me.get("account_name") or me.get("id") or "")
        except ZaloUnauthorized:
            logger.error("Zalo rejected the bot token (401); check ZALO_BOT_TOKEN")
            raise
        except ZaloError as exc:  # the platform is unreachable now; polling backs off and retries
            logger.warning("Zalo getMe failed (%s); continuing", exc)
        limiter = channel_rate_limiter("zalo", settings)  # replies and reminders share it
        bot = ZaloBot(
            client,
            runtime.conversation.handle,
            runtime.services.engine,
            bot_names=names,
            capacity=settings.update_queue_size,
            workers=settings.update_workers,
            limiter=limiter,
        )
        runtime.publish_sender("zalo", ZaloSender(client), limiter)
        runtime.health["zalo"] = lambda: client.healthy
        runtime.mark_ready("zalo")
        try:
            if settings.zalo_webhook_url:
                await run_webhook(
                    bot,
                    runtime,
                    url=settings.zalo_webhook_url,
                    secret=settings.zalo_webhook_secret,
                    listen=settings.zalo_webhook_listen,
                    port=settings.zalo_webhook_port,
                )
            else:
                await bot.run_polling(runtime.stop)
        finally:
            runtime.withdraw_sender("zalo")
            runtime.health.pop("zalo", None)
            logger.info("Zalo channel stopped")
