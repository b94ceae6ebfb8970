"""Channel-agnostic conversation: one incoming message or press in, a list of replies out."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Protocol

from sqlalchemy.engine import Engine
from sqlmodel import Session

from handlers import actions, render, state, weblinks
from handlers.knowledge_api import KnowledgeApi
from handlers.registry import ChoiceRegistry, CommandRegistry, Context
from handlers.types import Choice, ContentKind, Incoming, Reply
from knowledge.answers import Answer
from knowledge.db import read_session, write_session
from knowledge.normalize import fold, nfc, strip_diacritics

logger = logging.getLogger(__name__)

MAX_INPUT_CHARS = 4096
STALE = render.STALE
NOTHING_MORE = "Nội dung đã cũ hoặc đã xem hết, vui lòng hỏi lại."
UNSUPPORTED = "Hiện chỉ hỗ trợ tin nhắn văn bản. Bạn hãy gõ câu hỏi hoặc /trogiup."
EMPTY = "Tin nhắn trống. Bạn hãy gõ câu hỏi, ví dụ: “Hạn nộp kế hoạch CCHC?”, hoặc /trogiup."
TOO_LONG = "Tin nhắn quá dài (tối đa 4096 ký tự). Bạn hãy hỏi ngắn gọn hơn, mỗi lần một câu hỏi."
JUNK = (
    "Mình chưa hiểu tin nhắn này. Bạn hãy gõ câu hỏi bằng chữ, ví dụ: “Nhiệm vụ của Phòng Tổ "
    "chức cán bộ?”, hoặc /trogiup để xem các lệnh."
)
FAILURE = "Xin lỗi, đã có lỗi khi xử lý yêu cầu. Bạn vui lòng thử lại sau ít phút."
OUT_OF_RANGE_PREFIX = "Vui lòng chọn một số"
SENT_PRIVATELY = "Kết quả lệnh quản trị đã được gửi riêng cho bạn (trong cuộc trò chuyện riêng với bot)."
MORE_WORDS = {"xem them", "them", "tiep", "xem tiep", "tiep tuc", "more"}
_COMMAND = re.compile(r"^/([^\s@]+)(?:@\S+)?(?:\s+(.*))?$", re.DOTALL)


class Broadcaster(Protocol):
    """Queues an admin broadcast into the rate-limited reminder outbox (jobs/)."""

    def __call__(
        self, session: Session, *, unit_id: int | None, text: str, requested_by: str, now: datetime
    ) -> int:
        """Queue `text` for every active chat of the unit (None = all units); return the count."""
        ...


DoneLookup = Callable[[Session, int, list[str]], set[str]]
RecordReplies = Callable[[Session, Incoming, list[Reply]], None]


@dataclass(frozen=True)
class Route:
    """Where a message goes, decided by reading only: exactly one field is set (or `file`)."""

    file: bool = False  # a document sent by an admin (handlers.upload)
    replies: list[Reply] | None = None  # answered at once (empty, too long, junk…)
    choice: str | None = None  # a button payload (pressed, or typed as a digit / "xem thêm")
    command: tuple[str, str] | None = None  # (name, arguments)
    question: str | None = None  # free text for the answer engine


@dataclass(frozen=True)
class Composed:
    """An answer composed before the write transaction, and what it was composed for."""

    question: str
    unit_id: int | None
    today: date
    answer: Answer


@dataclass(frozen=True)
class ConversationConfig:
    """What the conversation needs from the settings."""

    admin_ids: frozenset[str] = frozenset()
    reminder_offsets: tuple[int, ...] = (7, 3, 1, 0)
    reminder_time: time = time(8, 0)
    button_channels: frozenset[str] = frozenset({"telegram"})
    file_channels: frozenset[str] = frozenset({"telegram"})  # channels that deliver files to bots
    bare_admin_channel: str = "telegram"  # whose user ids ADMIN_IDS may list without a prefix
    page_chars: int = 3000
    deadline_days: int = 60
    action_max_age: timedelta = timedelta(days=30)
    web_base_url: str = ""  # the web board's public URL; "" = no web board (no links)
    download_link_channels: frozenset[str] = frozenset({"zalo"})  # files go as one-time links

    @classmethod
    def from_settings(cls, settings: object) -> ConversationConfig:
        """Read the fields it needs from a Settings-like object (handlers never import bot/)."""
        return cls(
            admin_ids=frozenset(getattr(settings, "admin_ids", frozenset())),
            reminder_offsets=tuple(getattr(settings, "reminder_offsets", (7, 3, 1, 0))),
            reminder_time=getattr(settings, "reminder_time", time(8, 0)),
            web_base_url=getattr(settings, "web_base_url", "") if getattr(settings, "web_port", 0) else "",
        )


@dataclass
class Conversation:
    """The bot's whole dialogue. `handle()` is synchronous: adapters call it in a thread."""

    engine: Engine
    config: ConversationConfig
    clock: Callable[[], datetime]  # aware local time
    knowledge: KnowledgeApi = field(default_factory=KnowledgeApi.load)
    broadcaster: Broadcaster | None = None
    # Called (from the handler's thread) after a broadcast was committed to the outbox, e.g. to
    # bring the next reminder tick forward: set by the composition root, thread-safe on its side.
    on_broadcast_queued: Callable[[], None] | None = None
    done_lookup: DoneLookup | None = None
    # Rewrites replies before they leave (e.g. a file into a one-time web link on Zalo)
    reply_filters: list[Callable[[Context, list[Reply]], list[Reply]]] = field(default_factory=list)
    commands: CommandRegistry = field(default_factory=CommandRegistry)
    choices: ChoiceRegistry = field(default_factory=ChoiceRegistry)

    def __post_init__(self) -> None:
        from handlers import admin, commands

        commands.register(self)
        admin.register(self)
        actions.register(self)
        if self.done_lookup is None:
            self.done_lookup = default_done_lookup

    # ------------------------------------------------------------------ entry point
    def handle(self, incoming: Incoming, record: RecordReplies | None = None) -> list[Reply]:
        """Answer one incoming message or button press; never raises.

        A question is answered in three steps: read and compose without any lock, then one
        short write transaction (update id, chat, pending choices, "Xem thêm" pages). So chats
        never queue behind each other's answer composition for the database's write lock.
        Commands and button presses, which may write, run inside the write transaction.
        `record` (e.g. the channel inbox) stores the replies in the same transaction.
        """
        if incoming.is_group and not incoming.addressed_to_bot:
            return []  # in a group, stay silent unless spoken to
        try:
            composed = self._compose(incoming)
            with write_session(self.engine) as session:
                if state.seen_update(session, incoming):
                    logger.info(
                        "duplicate update %s/%s ignored", incoming.channel, incoming.update_id
                    )
                    return []
                ctx = self._context(session, incoming)
                replies = self._dispatch(ctx, composed)
                for reply_filter in self.reply_filters:
                    replies = reply_filter(ctx, replies)
                if not (replies and replies[0].text.startswith(OUT_OF_RANGE_PREFIX)):
                    # the latest offer replaces (or clears) what a digit or a name answers
                    # ctx.incoming: an admin command moves the conversation to the private chat
                    state.set_pending(
                        session,
                        ctx.incoming,
                        [c for r in replies if r.chat_id in ("", ctx.incoming.chat_id)
                         for c in r.choices],
                    )
                if record is not None:
                    record(session, incoming, replies)
        except Exception:
            logger.exception("failed to handle a %s message", incoming.channel)
            return [Reply(FAILURE)]
        for callback in ctx.after_commit:
            try:
                callback()
            except Exception:  # a hook must never turn a handled message into an error
                logger.exception("after-commit hook failed")
        return replies

    def _compose(self, incoming: Incoming) -> Composed | None:
        """For a free-text question, its answer, composed in a read-only session; else None."""
        with read_session(self.engine) as session:
            route = self.route(session, incoming)
            if route.question is None:
                return None
            unit_id = state.unit_of_chat(session, incoming)
            today = self.clock().date()
            answer = self.knowledge.ask(session, route.question, today=today, unit_id=unit_id)
        return Composed(route.question, unit_id, today, answer)

    def chat_moved(self, channel: str, old_chat_id: str, new_chat_id: str) -> bool:
        """Follow a chat to its new id (Telegram group → supergroup) so its unit is kept."""
        with write_session(self.engine) as session:
            moved = state.move_chat(session, channel, old_chat_id, new_chat_id)
        if moved:
            logger.info("%s chat %s moved to %s", channel, old_chat_id, new_chat_id)
        return moved

    def housekeeping(self) -> int:
        """Drop processed update ids older than a week and buttons past their age limit."""
        with write_session(self.engine) as session:
            removed = state.prune(
                session,
                updates_older_than=timedelta(days=7),
                actions_older_than=self.config.action_max_age,
            )
            removed += weblinks.prune(session, now=self.clock())  # web board links and files
        if removed:
            logger.info("conversation housekeeping removed %d old rows", removed)
        return removed

    def is_admin(self, incoming: Incoming) -> bool:
        """Admin ids are "<channel>:<user id>", bare user ids of `bare_admin_channel` (set from
        the channel descriptions, bot/channels.py), or "console"."""
        ids = self.config.admin_ids
        if not incoming.user_id:
            return False
        if incoming.channel == self.config.bare_admin_channel and incoming.user_id in ids:
            return True
        return f"{incoming.channel}:{incoming.user_id}" in ids or (
            incoming.channel == "console" and "console" in ids
        )

    # ------------------------------------------------------------------ dispatch
    def _context(self, session: Session, incoming: Incoming) -> Context:
        address, person = state.address_for(session, incoming)
        return Context(
            session=session,
            incoming=incoming,
            address=address,
            person=person,
            now=self.clock(),
            is_admin=self.is_admin(incoming),
            conversation=self,
        )

    def route(self, session: Session, incoming: Incoming) -> Route:
        """Decide what answers the message, reading only (pending choices of the chat)."""
        if incoming.kind is ContentKind.FILE:
            return Route(file=True)
        if incoming.kind is ContentKind.UNSUPPORTED:
            if self.is_admin(incoming) and incoming.channel not in self.config.file_channels:
                from handlers.upload import NO_FILES_ON_CHANNEL

                return Route(replies=[Reply(f"{UNSUPPORTED}\n{NO_FILES_ON_CHANNEL}")])
            return Route(replies=[Reply(UNSUPPORTED)])
        if incoming.kind is ContentKind.CHOICE:
            return Route(choice=incoming.text)
        text = nfc(incoming.text).strip()
        if not text:
            return Route(replies=[Reply(EMPTY)])
        if len(text) > MAX_INPUT_CHARS:
            return Route(replies=[Reply(TOO_LONG)])
        pending = state.get_pending(session, incoming)
        more = [o["payload"] for o in pending if o["payload"].startswith("m:")]
        if fold(text) in MORE_WORDS:
            # "xem thêm" typed instead of pressed; with nothing left to continue it is not
            # a question for the answer engine either
            return Route(choice=more[0]) if more else Route(replies=[Reply(NOTHING_MORE)])
        if incoming.channel not in self.config.button_channels:
            picked = render.pick_option(text, pending)
            if isinstance(picked, str):
                return Route(choice=picked)
            if isinstance(picked, int) and picked > 0:
                return Route(replies=[Reply(f"{OUT_OF_RANGE_PREFIX} từ 1 đến {picked}.")])
        match = _COMMAND.match(text)
        if match:
            return Route(command=(match.group(1), (match.group(2) or "").strip()))
        if render.is_junk(text):
            return Route(replies=[Reply(JUNK)])
        return Route(question=text)

    def _dispatch(self, ctx: Context, composed: Composed | None = None) -> list[Reply]:
        route = self.route(ctx.session, ctx.incoming)
        if route.file:
            from handlers.upload import handle_file

            return handle_file(ctx)
        if route.replies is not None:
            return route.replies
        if route.choice is not None:
            return self.run_choice(ctx, route.choice)
        if route.command is not None:
            return self.run_command(ctx, *route.command)
        assert route.question is not None
        unit_id = ctx.person.unit_id
        if composed is not None and (composed.question, composed.unit_id, composed.today) == (
            route.question, unit_id, ctx.today
        ):
            answer = composed.answer
        else:  # the chat changed between reading and writing (rare): answer it again here
            answer = self.knowledge.ask(
                ctx.session, route.question, today=ctx.today, unit_id=unit_id
            )
        return actions.action_replies(ctx, answer) or self.answer_replies(ctx, answer)

    def run_command(self, ctx: Context, name: str, args: str) -> list[Reply]:
        key = strip_diacritics(name).lower()
        command = self.commands.get(key)
        if command is None:
            return [Reply(f"Không có lệnh /{name}. Gõ /trogiup để xem các lệnh.")]
        if command.admin and not ctx.is_admin:
            logger.warning(
                "refused admin command /%s from %s (%s)", key, ctx.actor, ctx.incoming.display_name
            )
            return [Reply(render.ADMIN_ONLY)]
        if command.admin:
            return self.in_private_chat(ctx, lambda: command.handler(ctx, args))
        return command.handler(ctx, args)

    def run_choice(self, ctx: Context, payload: str) -> list[Reply]:
        resolved = self.choices.resolve(payload)
        if resolved is None:
            return [Reply(STALE)]
        handler, rest = resolved
        if self.choices.is_admin(payload):
            if not ctx.is_admin:
                logger.warning("refused admin button %s from %s", payload[:8], ctx.actor)
                return [Reply(render.ADMIN_ONLY)]
            return self.in_private_chat(ctx, lambda: handler(ctx, rest))
        return handler(ctx, rest)

    @staticmethod
    def in_private_chat(ctx: Context, run: Callable[[], list[Reply]]) -> list[Reply]:
        """Run an admin action as if typed in the admin's own private chat, and address its
        replies there: admin rights come from the sender (from.id), so admin-only output must
        never go to the chat the update names, which a forged update or a group could be."""
        incoming = ctx.incoming
        private = incoming.private_chat_id
        if not private or private == incoming.chat_id:
            return run()
        ctx.incoming = replace(incoming, chat_id=private, is_group=False, addressed_to_bot=True)
        replies = [replace(reply, chat_id=private) for reply in run()]
        return [*replies, Reply(SENT_PRIVATELY, chat_id=incoming.chat_id)]

    # ------------------------------------------------------------------ shared reply builders
    def answer_replies(self, ctx: Context, answer: Answer) -> list[Reply]:
        """The first page of an answer with "Xem thêm" and its suggestions as choices."""
        return self.paged_reply(
            ctx, [answer.text, *answer.more], self.suggestion_choices(ctx, answer)
        )

    def paged_reply(
        self, ctx: Context, pages: list[str], extra: list[Choice] | None = None
    ) -> list[Reply]:
        """Show pages[0]; keep the rest in the database behind a "Xem thêm" button."""
        pages = [p for p in pages if p and p.strip()] or ["Không có nội dung."]
        choices: list[Choice] = []
        if len(pages) > 1:
            token = state.store_action(ctx.session, ctx.incoming, "more", {"pages": pages})
            choices.append(Choice(render.MORE_LABEL, f"m:{token}:1"))
        return [Reply(pages[0], choices + list(extra or []))]

    def paged_text(
        self, ctx: Context, text: str, extra: list[Choice] | None = None
    ) -> list[Reply]:
        """Like paged_reply for one long text of our own (split at line boundaries)."""
        return self.paged_reply(ctx, render.paginate(text, self.config.page_chars), extra)

    def suggestion_choices(self, ctx: Context, answer: Answer) -> list[Choice]:
        choices = []
        for suggestion in answer.suggestions[:6]:
            token = state.store_action(
                ctx.session, ctx.incoming, "ask", {"query": suggestion.query}
            )
            choices.append(Choice(suggestion.label[:60], f"q:{token}"))
        return choices


def default_done_lookup(session: Session, unit_id: int, keys: list[str]) -> set[str]:
    """Occurrence keys the whole unit marked done (jobs.models.DoneMark, not undone); a member's
    own marks of a collective unit are not the unit's."""
    if not keys:
        return set()
    from sqlmodel import col, select

    from jobs.models import DoneMark

    rows = session.exec(
        select(DoneMark.occurrence_key).where(
            DoneMark.unit_id == unit_id,
            col(DoneMark.occurrence_key).in_(keys),
            col(DoneMark.undone_at).is_(None),
            col(DoneMark.member_id).is_(None),
        )
    ).all()
    return set(rows)
