"""Telegram channel on python-telegram-bot 22: updates in, Conversation replies out."""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from telegram import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    Update,
)
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import Application, ContextTypes, Defaults, TypeHandler

from bot import inbox
from bot.inbox import InboxItem
from bot.logs import redact
from bot.runtime import ChannelError
from bot.settings import Settings
from bot.telegram_pacing import SharedRateLimiter
from bot.telegram_render import render_document, render_reply
from bot.telegram_sender import TelegramSender
from bot.update_pipeline import UpdatePipeline
from bot.webhook_server import WebhookRoute
from handlers.conversation import Conversation
from handlers.types import ContentKind, Incoming, IncomingFile, Reply
from jobs.senders import RateLimiter
from knowledge.ingest.staging import UploadError, check_upload

if TYPE_CHECKING:
    from bot.runtime import Runtime

logger = logging.getLogger(__name__)

CHANNEL = "telegram"
SORRY = "Xin lỗi, đã có lỗi khi xử lý yêu cầu. Bạn vui lòng thử lại sau ít phút."
# Interactive replies retry a 429 twice (the shared limiter waits retry_after); reminders and
# broadcasts get it back at once and the delivery loop decides.
RATE_LIMIT_RETRIES = 2
_COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
_GROUP_TYPES = {ChatType.GROUP, ChatType.SUPERGROUP}
ALLOWED_UPDATES = ["message", "callback_query"]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
POLL_TIMEOUT = 10  # seconds of one long poll
UNHEALTHY_AFTER = 3  # Bot API calls failing in a row (network) before /healthz says 503


def telegram_rate_limiter(settings: Settings) -> RateLimiter:
    """The one limiter of this bot token (bot/channels.py): ~30 messages/s, 20/min per group."""
    from bot.channels import channel_rate_limiter

    return channel_rate_limiter(CHANNEL, settings)


def pool_size(settings: Settings) -> int:
    """HTTP connections for the bot: every reminder in flight plus every update being answered
    (UPDATE_WORKERS, each sending its replies one at a time), and a spare."""
    return settings.send_concurrency + settings.update_workers + 2


def build_application(settings: Settings, limiter: RateLimiter | None = None) -> Application:
    """The PTB Application: base URL, HTML + Vietnamese time zone defaults, the token's shared
    rate limiter and an HTTP pool sized to everything that may be in flight at once.

    Updates do not go through PTB's update queue: the UpdatePipeline's workers call
    process_update, concurrently across chats and in order within one."""
    shared = SharedRateLimiter(
        limiter or telegram_rate_limiter(settings), max_retries=RATE_LIMIT_RETRIES
    )
    return (
        Application.builder()
        .token(settings.telegram_bot_token)
        .base_url(settings.telegram_base_url)
        .base_file_url(file_base_url(settings.telegram_base_url))
        .defaults(Defaults(tzinfo=ZoneInfo(settings.tz), parse_mode=ParseMode.HTML))
        .rate_limiter(shared)
        .connection_pool_size(pool_size(settings))
        .pool_timeout(30.0)
        .connect_timeout(10.0)
        .read_timeout(20.0)
        .write_timeout(20.0)
        .get_updates_read_timeout(30.0)
        .build()
    )


def file_base_url(base_url: str) -> str:
    """The Bot API's file download base for an API base: ".../bot" → ".../file/bot"."""
    root = base_url.rstrip("/")
    return root[: -len("/bot")] + "/file/bot" if root.endswith("/bot") else root + "/file/bot"


class TelegramChannel:
    """Translates Telegram updates to Incoming and Replies to sendMessage calls."""

    def __init__(self, application: Application, conversation: Conversation, settings: Settings):
        self.app = application
        self.conversation = conversation
        self.settings = settings
        application.add_handler(TypeHandler(Update, self.on_update))
        application.add_error_handler(self.on_error)
        self.failures_in_a_row = 0

    def healthy(self) -> bool:
        """False while the Bot API has not been reachable for the last few calls."""
        return self.failures_in_a_row < UNHEALTHY_AFTER

    # ------------------------------------------------------------------ inbox
    async def process(self, item: InboxItem) -> None:
        """Handle one stored update through PTB's handlers (or resend replies stored before a
        crash); the UpdatePipeline calls this, in order within a chat."""
        if item.state == inbox.ANSWERED:
            await self.send_replies(item.chat_id, list(item.replies))
            return
        update = Update.de_json(item.payload, self.app.bot)
        await self.app.process_update(update)

    # ------------------------------------------------------------------ startup
    async def register_commands(self) -> None:
        """setMyCommands with the Vietnamese descriptions; admins also see admin commands."""
        await self.app.bot.set_my_commands(_bot_commands(self.conversation.commands.menu()))
        admin_menu = _bot_commands(self.conversation.commands.menu(admin=True))
        for admin_id in sorted(self.settings.admin_ids):
            if not admin_id.lstrip("-").isdigit():
                continue
            try:
                await self.app.bot.set_my_commands(
                    admin_menu, scope=BotCommandScopeChat(int(admin_id))
                )
            except TelegramError as exc:  # the admin has not started the bot yet
                logger.info("admin command menu for %s not set: %s", admin_id, redact(str(exc)))

    # ------------------------------------------------------------------ updates
    async def on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        if message is not None and message.migrate_to_chat_id:
            await asyncio.to_thread(
                self.conversation.chat_moved,
                CHANNEL,
                str(message.chat.id),
                str(message.migrate_to_chat_id),
            )
            return
        incoming = self.to_incoming(update)
        if incoming is None:
            return
        if update.callback_query is not None:
            try:
                await update.callback_query.answer()
            except TelegramError as exc:  # an old query: answering fails, the reply still goes
                logger.debug("answerCallbackQuery failed: %s", redact(str(exc)))
        elif incoming.kind is ContentKind.TEXT:
            await self._typing(incoming.chat_id)
        elif incoming.kind is ContentKind.FILE and update.message is not None:
            incoming = await self._with_file_data(incoming, update.message)
        record = inbox.recorder(CHANNEL, str(update.update_id))  # replies stored with the commit
        replies = await asyncio.to_thread(self.conversation.handle, incoming, record)
        await self.send_replies(incoming.chat_id, replies)
        self.failures_in_a_row = 0

    async def _with_file_data(self, incoming: Incoming, message: Message) -> Incoming:
        """Download an admin's file within the upload limit; others are judged without it."""
        file = incoming.file
        document = message.document
        if file is None or document is None or not self.conversation.is_admin(incoming):
            return incoming
        try:
            check_upload(file.filename, file.size or 1)
        except UploadError:
            return incoming  # the conversation explains the refusal
        try:
            telegram_file = await document.get_file()
            data = bytes(await telegram_file.download_as_bytearray())
        except TelegramError as exc:
            logger.warning("file download failed: %s", redact(str(exc)))
            return incoming
        logger.info("downloaded %s (%d bytes) from %s", file.filename, len(data), incoming.user_id)
        return replace(incoming, file=replace(file, data=data, size=len(data)))

    async def _typing(self, chat_id: str) -> None:
        try:
            await self.app.bot.send_chat_action(int(chat_id), ChatAction.TYPING)
        except TelegramError as exc:
            logger.debug("typing action failed: %s", redact(str(exc)))

    async def send_replies(self, chat_id: str, replies: list[Reply]) -> None:
        """Send each reply to its own chat (admin output: the admin's private chat)."""
        for reply in replies:
            target = reply.chat_id or chat_id
            if reply.attachment is not None:
                await self._send_document(target, reply)
                continue
            for message in render_reply(reply):
                await self.app.bot.send_message(
                    chat_id=int(target), text=message.html, reply_markup=_markup(message.buttons)
                )

    async def _send_document(self, chat_id: str, reply: Reply) -> None:
        """Upload a reply's file (e.g. a CSV export) with its text as the caption."""
        messages, document = render_document(reply)
        for message in messages:
            await self.app.bot.send_message(
                chat_id=int(chat_id), text=message.html, reply_markup=_markup(message.buttons)
            )
        upload = InputFile(document.data, filename=document.filename)
        upload.mimetype = document.mime_type
        await self.app.bot.send_document(
            chat_id=int(chat_id),
            document=upload,
            caption=document.caption or None,
            reply_markup=_markup(document.buttons),
        )
        logger.info("sent %s (%d bytes) to %s", document.filename, len(document.data), chat_id)

    def to_incoming(self, update: Update) -> Incoming | None:
        """The neutral message of an update, or None when the bot should stay silent."""
        bot = self.app.bot
        query = update.callback_query
        if query is not None:
            if query.message is None or query.data is None:
                return None
            chat = query.message.chat
            return Incoming(
                channel=CHANNEL,
                chat_id=str(chat.id),
                user_id=str(query.from_user.id),
                display_name=query.from_user.full_name,
                kind=ContentKind.CHOICE,
                text=query.data,
                is_group=chat.type in _GROUP_TYPES,
                addressed_to_bot=True,
                update_id=str(update.update_id),
                private_chat_id=str(query.from_user.id),  # a user's private chat id is their id
            )
        message = update.message
        if message is None or message.from_user is None:
            return None  # edited messages, channel posts, member updates…
        if message.from_user.is_bot:
            return None
        chat = message.chat
        is_group = chat.type in _GROUP_TYPES
        if chat.type == ChatType.CHANNEL:
            return None
        base: dict[str, Any] = {
            "channel": CHANNEL,
            "chat_id": str(chat.id),
            "user_id": str(message.from_user.id),
            "display_name": message.from_user.full_name,
            "is_group": is_group,
            "update_id": str(update.update_id),
            "private_chat_id": str(message.from_user.id),
        }
        if message.new_chat_members and any(m.id == bot.id for m in message.new_chat_members):
            return Incoming(**base, text="/start", addressed_to_bot=True)  # added to a group
        if message.document is not None:
            addressed = not is_group or self._mentions_bot(message.caption or "")
            file = IncomingFile(
                message.document.file_name or "tep", message.document.file_size or 0
            )
            return Incoming(**base, kind=ContentKind.FILE, file=file, addressed_to_bot=addressed)
        if message.text is None:
            if _is_service(message):
                return None
            addressed = (
                not is_group
                or self._replies_to_bot(message)
                or self._mentions_bot(message.caption or "")
            )
            return Incoming(**base, kind=ContentKind.UNSUPPORTED, addressed_to_bot=addressed)
        text, addressed = self._strip_address(message)
        return Incoming(**base, text=text, addressed_to_bot=addressed or not is_group)

    def _replies_to_bot(self, message: Message) -> bool:
        replied = message.reply_to_message
        return bool(replied and replied.from_user and replied.from_user.id == self.app.bot.id)

    def _mentions_bot(self, text: str) -> bool:
        return f"@{self.app.bot.username}".lower() in text.lower()

    def _strip_address(self, message: Message) -> tuple[str, bool]:
        """The text without "@botname", and whether a group message is meant for the bot."""
        text = message.text or ""
        username = (self.app.bot.username or "").lower()
        if text.startswith("/"):
            head, _, rest = text.partition(" ")
            name, _, target = head.partition("@")
            if target and target.lower() != username:
                return text, False  # a command for another bot
            return f"{name} {rest}".strip(), True
        addressed = self._replies_to_bot(message)
        if username and f"@{username}" in text.lower():
            addressed = True
            text = re.sub(rf"@{re.escape(username)}\b", "", text, flags=re.IGNORECASE)
            text = re.sub(r"\s{2,}", " ", text).strip(" ,:")
        return text, addressed

    # ------------------------------------------------------------------ errors
    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log with the token redacted and answer the user politely."""
        error = context.error
        if isinstance(error, NetworkError):
            self.failures_in_a_row += 1
        logger.error(
            "Telegram update failed: %s",
            redact(f"{type(error).__name__}: {error}", (self.settings.telegram_bot_token,)),
            exc_info=error,
        )
        if isinstance(update, Update) and update.effective_chat is not None:
            try:
                await self.app.bot.send_message(update.effective_chat.id, SORRY)
            except TelegramError as exc:
                logger.warning("could not apologise: %s", redact(str(exc)))


def _markup(buttons: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=data) for label, data in row]
            for row in buttons
        ]
    )


def _is_service(message: Message) -> bool:
    """Joins, leaves, pins, title changes…: nothing a person typed."""
    return bool(
        message.new_chat_members
        or message.left_chat_member
        or message.new_chat_title
        or message.new_chat_photo
        or message.delete_chat_photo
        or message.group_chat_created
        or message.supergroup_chat_created
        or message.pinned_message
        or message.migrate_from_chat_id
        or message.migrate_to_chat_id
    )


def _bot_commands(menu: list[tuple[str, str]]) -> list[BotCommand]:
    commands = []
    for name, description in menu:
        if _COMMAND_NAME.match(name):
            commands.append(BotCommand(name, (description or name)[:256]))
    return commands


def parse_update(body: Any) -> tuple[str, str, dict[str, Any]] | None:
    """(update id, chat key, payload) of a Bot API update; None for anything else."""
    if not isinstance(body, dict) or not isinstance(body.get("update_id"), int):
        return None
    holder = body.get("message") or (body.get("callback_query") or {}).get("message") or {}
    chat = holder.get("chat") if isinstance(holder, dict) else None
    chat_key = str(chat.get("id", "")) if isinstance(chat, dict) else ""
    return str(body["update_id"]), chat_key, body


async def poll_updates(app: Application, pipeline: UpdatePipeline, stop: asyncio.Event) -> None:
    """Long-poll getUpdates; the offset that acknowledges updates advances only after they are
    in the inbox, and no more is fetched while the pipeline is full."""
    await app.bot.delete_webhook()  # polling and webhook are exclusive
    logger.info("Telegram bot @%s polling", app.bot.username)
    offset: int | None = None
    backoff = 1.0
    while not stop.is_set():
        await pipeline.wait_for_room()
        fetch = asyncio.create_task(
            app.bot.get_updates(
                offset=offset, timeout=POLL_TIMEOUT, allowed_updates=ALLOWED_UPDATES
            )
        )
        stopper = asyncio.create_task(stop.wait())
        try:
            await asyncio.wait({fetch, stopper}, return_when=asyncio.FIRST_COMPLETED)
        finally:  # also when cancelled: never leave the long poll orphaned
            stopper.cancel()
            if not fetch.done():
                fetch.cancel()
                await asyncio.gather(fetch, return_exceptions=True)
        if fetch.cancelled():
            return
        try:
            updates = fetch.result()
        except InvalidToken as exc:
            raise ChannelError(
                "Telegram từ chối TELEGRAM_BOT_TOKEN (token không hợp lệ)."
            ) from exc
        except TelegramError as exc:
            logger.warning(
                "Telegram polling error: %s; retrying in %.0f s", redact(str(exc)), backoff
            )
            try:
                await asyncio.wait_for(stop.wait(), timeout=backoff)
            except TimeoutError:
                pass
            backoff = min(backoff * 2, 30.0)
            continue
        backoff = 1.0
        for update in updates:
            parsed = parse_update(update.to_dict())
            if parsed is not None:
                await pipeline.admit(*parsed, force=True)
            offset = update.update_id + 1


async def serve_webhook(
    runtime: Runtime, app: Application, pipeline: UpdatePipeline, settings: Settings
) -> Any:
    """Route the webhook through the shared server (secret and size checked before reading
    the body), then tell Telegram where to push."""
    route = WebhookRoute(
        channel=CHANNEL,
        path="/" + (urlparse(settings.webhook_url).path.lstrip("/") or "telegram"),
        secret_header=SECRET_HEADER,
        secret=settings.webhook_secret,
        parse=parse_update,
        admit=pipeline.admit,
    )
    server = await runtime.webhook_servers().open(
        settings.webhook_listen, settings.webhook_port, route
    )
    await app.bot.set_webhook(
        url=settings.webhook_url,
        secret_token=settings.webhook_secret,
        allowed_updates=ALLOWED_UPDATES,
    )
    logger.info(
        "Telegram webhook listening on %s:%d%s", settings.webhook_listen, server.port, route.path
    )
    return server


async def run_telegram(runtime: Runtime) -> None:
    """Run the Telegram channel until runtime.stop is set (polling, or a webhook if configured).

    Updates go through the durable inbox and a bounded pipeline into PTB's process_update,
    so PTB's own Updater (and its 100 MB webhook buffer) is not used.
    """
    settings = runtime.services.settings
    limiter = telegram_rate_limiter(settings)
    app = build_application(settings, limiter)
    channel = TelegramChannel(app, runtime.conversation, settings)
    try:
        await app.initialize()  # getMe: checks the token and the API address
    except InvalidToken as exc:
        raise ChannelError("Telegram từ chối TELEGRAM_BOT_TOKEN (token không hợp lệ).") from exc
    except NetworkError as exc:
        raise ChannelError(
            f"Không kết nối được Telegram Bot API ({redact(str(exc))}); kiểm tra mạng và "
            "TELEGRAM_BASE_URL."
        ) from exc
    pipeline = UpdatePipeline(
        CHANNEL,
        runtime.services.engine,
        channel.process,
        capacity=settings.update_queue_size,
        workers=settings.update_workers,
    )
    async with app:  # already initialised; shuts down on the way out
        # reminders and broadcasts go through this same bot and its one rate limiter
        runtime.publish_sender(CHANNEL, TelegramSender(app.bot), limiter)
        await channel.register_commands()
        await app.start()
        await pipeline.start()
        runtime.health[CHANNEL] = channel.healthy
        server = poller = None
        try:
            if settings.webhook_url:
                server = await serve_webhook(runtime, app, pipeline, settings)
            else:
                poller = asyncio.create_task(poll_updates(app, pipeline, runtime.stop))
            runtime.mark_ready(CHANNEL)
            stopper = asyncio.create_task(runtime.stop.wait())
            waiting = {stopper} | ({poller} if poller else set())
            await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
            stopper.cancel()
            if poller is not None and poller.done():
                poller.result()  # a polling failure (e.g. a revoked token) ends the channel
        finally:
            logger.info("Telegram channel stopping")
            runtime.withdraw_sender(CHANNEL)
            runtime.health.pop(CHANNEL, None)
            if poller is not None and not poller.done():
                await asyncio.wait({poller}, timeout=5)  # it watches runtime.stop itself
                poller.cancel()
                await asyncio.gather(poller, return_exceptions=True)
            if server is not None:
                await runtime.webhook_servers().release(server)
            await pipeline.stop()
            await app.stop()
