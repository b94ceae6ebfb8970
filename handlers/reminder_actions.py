"""The buttons under a reminder (numbered options on Zalo): done, remind again in 1 or 3 days
(never past the due day), or stop reminding this deadline, for the person who pressed."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlmodel import col, select

from handlers import render
from handlers.registry import Context
from handlers.types import Choice, Reply
from jobs.audience import expanded
from jobs.holds import hold, resume, snooze_until
from jobs.models import ReminderKind, ReminderLog
from jobs.reminder_buttons import (
    ACTION_DONE,
    ACTION_MUTE,
    ACTION_RESUME,
    REMINDER_PREFIX,
    SNOOZE_DAYS,
    snooze_action,
)
from knowledge.deadlines import load_occurrences
from knowledge.recurrence import DeadlineOccurrence

if TYPE_CHECKING:
    from handlers.conversation import Conversation

logger = logging.getLogger(__name__)
ACTION_DONE_ALL = "da"
REMINDER_KINDS = (ReminderKind.BEFORE, ReminderKind.OVERDUE)


def register(conv: Conversation) -> None:
    conv.choices.add(REMINDER_PREFIX, choice_reminder)


def _message_rows(ctx: Context, row_id: int) -> list[ReminderLog]:
    """The outbox rows of the reminder message whose first row is `row_id`, if sent to this
    chat."""
    row = ctx.session.get(ReminderLog, row_id)
    incoming = ctx.incoming
    if (
        row is None
        or row.kind not in REMINDER_KINDS
        or (row.channel, row.chat_id) != (incoming.channel, incoming.chat_id)
    ):
        return []
    if row.sent_at is None:
        return [row]
    return list(
        ctx.session.exec(
            select(ReminderLog)
            .where(
                ReminderLog.address_id == row.address_id,
                ReminderLog.sent_at == row.sent_at,
                col(ReminderLog.kind).in_(REMINDER_KINDS),
            )
            .order_by(col(ReminderLog.id))
        )
    )


def _occurrences(ctx: Context, rows: list[ReminderLog]) -> list[DeadlineOccurrence]:
    found: dict[str, DeadlineOccurrence] = {}
    for row in rows:
        for occ in load_occurrences(ctx.session, row.due, row.due):
            if occ.deadline_id == row.deadline_id and occ.key not in found:
                found[occ.key] = occ
    return expanded(ctx.session, found.values())


def _who(ctx: Context) -> str:
    name = ctx.person.display_name or ctx.incoming.display_name
    return f"{name} ({ctx.actor})" if name else ctx.actor


def choice_reminder(ctx: Context, rest: str) -> list[Reply]:
    """One of a reminder's actions: "<first row id>:<d|da|s1|s3|m|u>"."""
    raw_id, _, action = rest.partition(":")
    rows = _message_rows(ctx, int(raw_id)) if raw_id.isdigit() else []
    occurrences = _occurrences(ctx, rows)
    if not occurrences:
        return render.single(render.STALE)
    if action == ACTION_DONE:
        return _done(ctx, raw_id, occurrences)
    if action == ACTION_DONE_ALL:
        return _done_all(ctx, occurrences)
    if action in {snooze_action(d) for d in SNOOZE_DAYS}:
        return _snooze(ctx, raw_id, occurrences, int(action[1:]))
    if action == ACTION_MUTE:
        return _mute(ctx, raw_id, occurrences)
    if action == ACTION_RESUME:
        return _resume(ctx, occurrences)
    return render.single(render.STALE)


def _done(ctx: Context, raw_id: str, occurrences: list[DeadlineOccurrence]) -> list[Reply]:
    from handlers.done import choice_mark

    if len(occurrences) == 1:
        return choice_mark(ctx, occurrences[0].key)
    lines = ["Tin nhắc này có nhiều việc cùng hạn. Đánh dấu việc nào đã hoàn thành?"]
    lines += [f"• {o.title} (hạn {o.due:%d/%m/%Y})" for o in occurrences]
    choices = [
        Choice(f"Đánh dấu cả {len(occurrences)}", f"{REMINDER_PREFIX}:{raw_id}:{ACTION_DONE_ALL}")
    ]
    choices += [Choice(f"Xong: {o.title}"[:60], f"x:{o.key}") for o in occurrences]
    return [Reply("\n".join(lines), choices)]


def _done_all(ctx: Context, occurrences: list[DeadlineOccurrence]) -> list[Reply]:
    from handlers.done import choice_mark

    texts = [r.text for occ in occurrences for r in choice_mark(ctx, occ.key)]
    if len(set(texts)) == 1:  # the same refusal for each (no unit, not approved)
        return render.single(texts[0])
    return render.single("\n\n".join(texts))


def _resume_choice(raw_id: str) -> Choice:
    return Choice("Nhắc lại như cũ", f"{REMINDER_PREFIX}:{raw_id}:{ACTION_RESUME}")


def _snooze(
    ctx: Context, raw_id: str, occurrences: list[DeadlineOccurrence], days: int
) -> list[Reply]:
    lines = []
    for occ in occurrences:
        until = snooze_until(occ, ctx.today, days)
        if until is None:
            lines.append(
                f"• {occ.title}: hôm nay đã là ngày hạn ({occ.due:%d/%m/%Y}) hoặc đã "
                "quá hạn, không thể hoãn."
            )
            continue
        hold(
            ctx.session,
            person_id=ctx.person.id or 0,
            occurrence=occ,
            until=until,
            by=_who(ctx),
            now=ctx.now,
        )
        capped = " — đúng ngày hạn, không hoãn quá hạn" if until == occ.due else ""
        lines.append(
            f"• {occ.title}: nhắc lại ngày {until:%d/%m/%Y}{capped} (hạn {occ.due:%d/%m/%Y})."
        )
    logger.info("%s snoozed %s for %d days", ctx.actor, [o.key for o in occurrences], days)
    return render.single(
        "Đã hoãn nhắc (chỉ riêng bạn):\n" + "\n".join(lines), _resume_choice(raw_id)
    )


def _mute(ctx: Context, raw_id: str, occurrences: list[DeadlineOccurrence]) -> list[Reply]:
    for occ in occurrences:
        hold(
            ctx.session,
            person_id=ctx.person.id or 0,
            occurrence=occ,
            until=None,
            by=_who(ctx),
            now=ctx.now,
        )
    logger.info("%s muted %s", ctx.actor, [o.key for o in occurrences])
    titles = "; ".join(f"{o.title} (hạn {o.due:%d/%m/%Y})" for o in occurrences)
    return render.single(
        f"Bot sẽ không nhắc bạn hạn này nữa: {titles}. Những người khác của đơn vị vẫn được "
        "nhắc; hạn vẫn hiện trong /hanchot và /xong.",
        _resume_choice(raw_id),
    )


def _resume(ctx: Context, occurrences: list[DeadlineOccurrence]) -> list[Reply]:
    changed = [
        resume(
            ctx.session,
            person_id=ctx.person.id or 0,
            occurrence_key=o.key,
            by=_who(ctx),
            now=ctx.now,
        )
        for o in occurrences
    ]
    if not any(changed):
        return render.single("Hạn này đang được nhắc bình thường.")
    return render.single("Đã bật lại: bot nhắc hạn này như cũ.")
