"""Zalo channel adapter: updates in (long polling or webhook), replies out as plain text."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Sequence
from urllib.parse import urlsplit

from sqlalchemy.engine import Engine

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
from knowledge.db import read_session

if TYPE_CHECKING:
    from bot.runtime import Runtime

logger = logging.getLogger(__name__)

Handle = Callable[[Incoming], list[Reply]]
SORRY = (
    "Xin lỗi, hệ thống đang gặp sự cố khi xử lý tin nhắn của bạn. Vui lòng thử lại sau ít phút."
)
MAX_SEND_RETRIES = 3
MAX_BACKOFF = 60.0


class ZaloBot:
    """Turns Zalo updates into conversation calls and sends the replies, one chat at a time."""

    def __init__(
        self, client: ZaloClient, handle: Handle, engine: Engine, *, bot_names: Sequence[str] = ()
    ) -> None:
        self.client = client
        self._handle = handle
        self._engine = engine
        self.bot_names = tuple(bot_names)
        self._chat_locks: dict[str, asyncio.Lock] = {}
        self._tasks: set[asyncio.Task[None]] = set()

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

    def _converse(self, incoming: Incoming) -> list[Reply]:
        # The conversation stores the choices it offers (handlers.state.set_pending), so a digit
        # still answers them after a restart.
        return self._handle(self._resolve_choice(incoming))

    async def handle_update(self, update: dict[str, Any]) -> int:
        """Answer one update; return the number of messages sent. Never raises for bad input."""
        incoming = incoming_from_update(update, self.bot_names)
        if incoming is None:
            logger.debug("ignored a Zalo update without a usable message")
            return 0
        lock = self._chat_locks.setdefault(incoming.chat_id, asyncio.Lock())
        async with lock:
            typing = asyncio.create_task(self._typing(incoming.chat_id))
            try:
                replies = await asyncio.to_thread(self._converse, incoming)
            except Exception:
                logger.exception("conversation failed on a Zalo message")
                replies = [Reply(SORRY)]
            finally:
                typing.cancel()
            return await self.send_replies(incoming.chat_id, replies)

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

    def dispatch(self, update: dict[str, Any]) -> None:
        """Handle an update in the background (chats in parallel, each chat in order)."""
        task = asyncio.create_task(self._safe_handle(update))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _safe_handle(self, update: dict[str, Any]) -> None:
        try:
            await self.handle_update(update)
        except Exception:
            logger.exception("failed to handle a Zalo update")

    async def drain(self, timeout: float = 10.0) -> None:
        """Wait for the updates being handled to finish (on shutdown)."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)

    # -- long polling ----------------------------------------------------------------------
    async def run_polling(self, stop: asyncio.Event, *, poll_timeout: int = 30) -> None:
        """Long-poll getUpdates until `stop` is set; back off on errors, never give up silently."""
        # polling and webhook are exclusive
        if not await _retry_until_done(stop, self.client.delete_webhook, "deleteWebhook"):
            return
        logger.info("Zalo long polling started")
        backoff = 1.0
        while not stop.is_set():
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
                payload = update_payload(update)
                if payload is not None:
                    self.dispatch(payload)
        await self.drain()
        logger.info("Zalo long polling stopped")


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
    """Await `call` until it succeeds, backing off on Zalo errors; False if `stop` was set while waiting.

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
    except asyncio.TimeoutError:
        return False


# -- webhook -------------------------------------------------------------------------------
def secret_matches(given: str | None, expected: str) -> bool:
    """Compare the X-Bot-Api-Secret-Token header with the configured secret in constant time."""
    if not expected or given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


class ZaloWebhookServer:
    """A small tornado HTTP endpoint for Zalo's pushes; wrong or missing secrets get 403."""

    def __init__(
        self, bot: ZaloBot, *, secret: str, listen: str, port: int, path: str = "/"
    ) -> None:
        if len(secret) < 8:
            raise ValueError("ZALO_WEBHOOK_SECRET must be 8-256 characters")
        self.bot = bot
        self.secret = secret
        self.listen = listen
        self.port = port
        self.path = path or "/"
        self._server: Any = None

    async def start(self) -> None:
        from tornado.httpserver import HTTPServer
        from tornado.web import Application, RequestHandler

        outer = self

        class Endpoint(RequestHandler):
            def check_xsrf_cookie(self) -> None:  # an API endpoint, not a form
                return

            def get(self) -> None:
                self.set_status(405)
                self.finish({"ok": False})

            def post(self) -> None:
                if not secret_matches(
                    self.request.headers.get("X-Bot-Api-Secret-Token"), outer.secret
                ):
                    logger.warning(
                        "Zalo webhook call with a wrong secret from %s rejected",
                        self.request.remote_ip,
                    )
                    self.set_status(403)
                    self.finish({"ok": False, "description": "Forbidden"})
                    return
                try:
                    body = json.loads(self.request.body or b"null")
                except ValueError:
                    self.set_status(400)
                    self.finish({"ok": False, "description": "Bad Request"})
                    return
                payload = update_payload(body)
                if payload is not None:
                    outer.bot.dispatch(payload)
                self.finish({"ok": True})

            def log_exception(self, typ, value, tb) -> None:  # type: ignore[no-untyped-def]
                logger.error("Zalo webhook handler error: %s", value)

        from tornado.netutil import bind_sockets

        app = Application([(self.path, Endpoint)], log_function=lambda handler: None)
        self._server = HTTPServer(app, xheaders=True, max_body_size=1_000_000)
        sockets = bind_sockets(self.port, address=self.listen)
        self.port = sockets[0].getsockname()[1]  # the real port when 0 asked for a free one
        self._server.add_sockets(sockets)
        logger.info("Zalo webhook listening on %s:%d%s", self.listen, self.port, self.path)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()
            self._server = None


async def run_webhook(
    bot: ZaloBot, stop: asyncio.Event, *, url: str, secret: str, listen: str, port: int
) -> None:
    """Serve the webhook and register it with Zalo until `stop` is set."""
    server = ZaloWebhookServer(
        bot, secret=secret, listen=listen, port=port, path=urlsplit(url).path or "/"
    )
    await server.start()

    async def register() -> None:
        await bot.client.set_webhook(url, secret)
        logger.info("Zalo webhook registered")

    try:
        if await _retry_until_done(stop, register, "setWebhook"):
            await stop.wait()
    finally:
        await server.stop()
        await bot.drain()


# -- runner --------------------------------------------------------------------------------
def _bot_names(me: dict[str, Any]) -> tuple[str, ...]:
    """Names a group mention of the bot may start with (from getMe)."""
    keys = ("display_name", "name", "account_name", "first_name", "username")
    return tuple(str(me[k]) for k in keys if me.get(k))


async def run_zalo(runtime: "Runtime") -> None:
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
        bot = ZaloBot(
            client, runtime.conversation.handle, runtime.services.engine, bot_names=names
        )
        runtime.senders["zalo"] = ZaloSender(client)
        runtime.mark_ready("zalo")
        try:
            if settings.zalo_webhook_url:
                await run_webhook(
                    bot,
                    runtime.stop,
                    url=settings.zalo_webhook_url,
                    secret=settings.zalo_webhook_secret,
                    listen=settings.zalo_webhook_listen,
                    port=settings.zalo_webhook_port,
                )
            else:
                await bot.run_polling(runtime.stop)
        finally:
            runtime.senders.pop("zalo", None)
            logger.info("Zalo channel stopped")
