"""Actions asked in words: the answer engine's "action" answers run the existing commands.

"đã nộp báo cáo quý rồi" offers /xong, "phòng nào chưa nộp" (an admin) shows /tinhtrang,
"xuất excel" gives /tinhtrang csv, "nhắc tôi lúc 7h" asks to confirm /nhacnho gio 07:00.
The engine names the command in its first suggestion; this module maps it to the handler.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from handlers.registry import Context
from handlers.types import Choice, Reply
from knowledge.answers import Answer

if TYPE_CHECKING:
    from handlers.conversation import Conversation

ACTION_INTENT = "action"
REMIND_PREFIX = "ra"  # "ra:0700": set the reminder time after the user confirmed it
CONFIRM_LABEL = "Đồng ý đổi giờ nhắc"
ADMIN_COMMANDS = {"tinhtrang", "nhatky"}
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")


def register(conv: Conversation) -> None:
    conv.choices.add(REMIND_PREFIX, choice_remind_time)


def action_replies(ctx: Context, answer: Answer) -> list[Reply] | None:
    """The replies of the command an action answer names, or None for other answers."""
    if answer.intent != ACTION_INTENT or not answer.suggestions:
        return None
    command = answer.suggestions[0].query.strip()
    if not command.startswith("/"):
        return None
    name, _, args = command[1:].partition(" ")
    if name == "nhacnho":
        return _confirm_remind_time(answer, args)
    if name in ADMIN_COMMANDS and not ctx.is_admin:
        return [Reply(answer.text)]
    replies = ctx.conversation.run_command(ctx, name, args)
    if name == "xong" and replies:
        first = replies[0]
        lead = answer.text.split(" Gõ ", 1)[0]
        replies[0] = Reply(f"{lead}\n\n{first.text}", first.choices, first.attachment)
    return replies


def _confirm_remind_time(answer: Answer, args: str) -> list[Reply]:
    """Ask before changing the reminder time: one button (or number) confirms it."""
    clock = args.split()[-1] if args.split() else ""
    match = _CLOCK.match(clock)
    if match is None:
        return [Reply(answer.text)]
    payload = f"{REMIND_PREFIX}:{int(match.group(1)):02d}{match.group(2)}"
    return [Reply(answer.text, [Choice(CONFIRM_LABEL, payload)])]


def choice_remind_time(ctx: Context, rest: str) -> list[Reply]:
    """The user confirmed "nhắc tôi lúc 7h": set the reminder time through /nhacnho."""
    if not re.fullmatch(r"\d{4}", rest):
        return [Reply("Lựa chọn đã cũ, bạn hãy gõ lại giờ nhắc, ví dụ /nhacnho gio 07:00.")]
    return ctx.conversation.run_command(ctx, "nhacnho", f"gio {rest[:2]}:{rest[2:]}")
