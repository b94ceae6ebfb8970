"""Admins record done on behalf of a unit or member: `/xong <đơn vị> [hạn]`, and undo it.

What arrives by email or on paper is recorded by the Văn phòng: the mark says "ghi nhận bởi
<admin>" in the audit, stops that unit's (or member's) reminders, and can be undone the same way.
"""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import TYPE_CHECKING

from handlers import commands, render
from handlers.registry import Context
from handlers.types import Choice, Reply
from knowledge.deadlines import load_occurrences
from knowledge.members import match_members
from knowledge.models import Unit, UnitMember
from knowledge.recurrence import DeadlineOccurrence

if TYPE_CHECKING:
    from handlers.conversation import Conversation
    from handlers.done import Party

logger = logging.getLogger(__name__)

MARK, UNDO, PICK = "xa", "xz", "xo"
MEMBER_SURE = 85.0
_DATE = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}))?(?!\d)")
USAGE = (
    "Cách dùng (quản trị): /xong <đơn vị hoặc trường> [hạn], ví dụ /xong tccb 15/01 hoặc "
    "/xong THPT Trần Phú. Không có tên: danh sách hạn của đơn vị bạn."
)


def register(conv: Conversation) -> None:
    conv.choices.add(MARK, choice_mark_for)
    conv.choices.add(UNDO, choice_undo_for)
    conv.choices.add(PICK, choice_pick)


def _admin_by(ctx: Context) -> str:
    return f"ghi nhận bởi {_admin_name(ctx)} ({ctx.actor})"


def _undo_by(ctx: Context) -> str:
    return f"hoàn tác bởi {_admin_name(ctx)} ({ctx.actor})"


def _admin_name(ctx: Context) -> str:
    return ctx.incoming.display_name or ctx.person.display_name or "quản trị"


def split_due(args: str, today: date) -> tuple[date | None, str, bool]:
    """(the due date named in the arguments, the rest, whether a date-like text was bad).

    "15/01" without a year means the 15/01 nearest to today.
    """
    match = _DATE.search(args)
    if match is None:
        return None, args.strip(), False
    day, month, year = int(match.group(1)), int(match.group(2)), match.group(3)
    rest = (args[: match.start()] + args[match.end() :]).strip()
    try:
        if year:
            return date(int(year), month, day), rest, False
        options = [date(today.year + d, month, day) for d in (-1, 0, 1)]
    except ValueError:
        return None, rest, True
    return min(options, key=lambda d: abs((d - today).days)), rest, False


def _party(ctx: Context, unit_id: int, member_id: int | None) -> Party | None:
    from handlers.done import Party

    unit = ctx.session.get(Unit, unit_id)
    if unit is None:
        return None
    member = ctx.session.get(UnitMember, member_id) if member_id else None
    if member_id and (member is None or member.unit_id != unit.id):
        return None
    return Party(unit, member)


def _target(ctx: Context, text: str) -> Party | list[Reply]:
    """The unit or member the admin named, or a question / an error."""
    members = match_members(ctx.session, text, limit=5)
    if (
        members
        and members[0][1] >= MEMBER_SURE
        and (len(members) == 1 or members[0][1] - members[1][1] >= 5)
    ):
        member = members[0][0]
        party = _party(ctx, member.unit_id, member.id)
        if party is not None:
            return party
    unit, candidates = commands.match_unit(ctx, text)
    if unit is not None and unit.id is not None:
        party = _party(ctx, unit.id, None)
        if party is not None:
            return party
    options = [Choice(u.name[:60], f"{PICK}:{u.id}:0") for u in candidates]
    options += [
        Choice(m.name[:60], f"{PICK}:{m.unit_id}:{m.id}") for m, score in members if score >= 70
    ]
    if options:
        return render.single(f"Bạn muốn ghi nhận cho đơn vị nào (“{text[:80]}”)?", *options[:8])
    return render.single(f"Không tìm thấy đơn vị hay trường “{text[:80]}”. {USAGE}")


def _occurrences(ctx: Context, party: Party, due: date | None) -> list[DeadlineOccurrence]:
    from handlers.done import _around_today
    from jobs.audience import expanded

    if due is None:
        found = _around_today(ctx)
    else:
        found = expanded(ctx.session, load_occurrences(ctx.session, due, due))
    return [o for o in found if o.concerns(party.unit_id)]


def _payload(prefix: str, party: Party, key: str) -> str:
    return f"{prefix}:{party.unit_id}:{party.member_id or 0}:{key}"


def show_for(ctx: Context, party: Party, due: date | None = None) -> list[Reply]:
    """The admin's menu for a unit or member: mark or undo on its behalf."""
    from handlers.done import done_menu, record_done
    from jobs.done import mark_of

    occurrences = _occurrences(ctx, party, due)
    if due is not None:
        open_ = [
            o
            for o in occurrences
            if mark_of(
                ctx.session, unit_id=party.unit_id, occurrence_key=o.key, member_id=party.member_id
            )
            is None
        ]
        if len(open_) == 1:  # "/xong tccb 15/01": exactly one open deadline that day
            occ = open_[0]
            return record_done(
                ctx,
                party,
                occ,
                person_id=ctx.person.id,
                by=_admin_by(ctx),
                on_behalf=True,
                undo_payload=_payload(UNDO, party, occ.key),
            )
        if not occurrences:
            return render.single(f"{party.label} không có hạn nào ngày {due:%d/%m/%Y}.")
    replies = done_menu(
        ctx,
        party,
        occurrences,
        mark=f"{MARK}:{party.unit_id}:{party.member_id or 0}",
        undo=f"{UNDO}:{party.unit_id}:{party.member_id or 0}",
    )
    note = "Ghi nhận thay đơn vị (quản trị): mỗi đánh dấu ghi “ghi nhận bởi” bạn trong nhật ký."
    if party.member is None and party.unit.is_collective:
        note += (
            f" Đánh dấu ở đây là cho cả {party.unit.name}; để ghi nhận một trường, gõ /xong "
            "<tên trường>."
        )
    return [Reply(f"{replies[0].text}\n\n{note}", replies[0].choices)]


def cmd_xong_for(ctx: Context, args: str) -> list[Reply]:
    """/xong <đơn vị> [hạn] by an admin."""
    due, rest, bad_date = split_due(args, ctx.today)
    if bad_date:
        return render.single(f"Ngày trong “{args[:80]}” không hợp lệ. {USAGE}")
    if not rest:
        return render.single(USAGE)
    target = _target(ctx, rest)
    if isinstance(target, list):
        return target
    return show_for(ctx, target, due)


def _decode(ctx: Context, rest: str) -> tuple[Party, str] | list[Reply]:
    if not ctx.is_admin:
        logger.warning("refused an on-behalf done press from %s", ctx.actor)
        return render.single(render.ADMIN_ONLY)
    parts = rest.split(":", 2)
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return render.single(render.STALE)
    party = _party(ctx, int(parts[0]), int(parts[1]) or None)
    if party is None:
        return render.single(render.STALE)
    return party, parts[2]


def _occurrence(ctx: Context, party: Party, key: str) -> DeadlineOccurrence | list[Reply]:
    from handlers.done import _find

    occ = _find(ctx, key)
    if occ is None:
        return render.single(render.STALE)
    if not occ.concerns(party.unit_id):
        return render.single(f"Hạn này không thuộc {party.unit.name}.")
    return occ


def _button_target(ctx: Context, rest: str) -> tuple[Party, DeadlineOccurrence] | list[Reply]:
    """The party and occurrence a mark/undo button names, or the reply refusing it."""
    decoded = _decode(ctx, rest)
    if isinstance(decoded, list):
        return decoded
    party, key = decoded
    occ = _occurrence(ctx, party, key)
    if isinstance(occ, list):
        return occ
    return party, occ


def choice_mark_for(ctx: Context, rest: str) -> list[Reply]:
    """Mark an occurrence done on behalf of a unit or member (admin)."""
    from handlers.done import record_done

    target = _button_target(ctx, rest)
    if isinstance(target, list):
        return target
    party, occ = target
    return record_done(
        ctx,
        party,
        occ,
        person_id=ctx.person.id,
        by=_admin_by(ctx),
        on_behalf=True,
        undo_payload=_payload(UNDO, party, occ.key),
    )


def choice_undo_for(ctx: Context, rest: str) -> list[Reply]:
    """Undo a unit's or member's done mark (admin)."""
    from handlers.done import undo_recorded

    target = _button_target(ctx, rest)
    if isinstance(target, list):
        return target
    party, occ = target
    return undo_recorded(
        ctx, party, occ, by=_undo_by(ctx), again_payload=_payload(MARK, party, occ.key)
    )


def choice_pick(ctx: Context, rest: str) -> list[Reply]:
    """The admin picked which unit or member to record for."""
    if not ctx.is_admin:
        return render.single(render.ADMIN_ONLY)
    unit_id, _, member_id = rest.partition(":")
    if not unit_id.isdigit() or not member_id.isdigit():
        return render.single(render.STALE)
    party = _party(ctx, int(unit_id), int(member_id) or None)
    return show_for(ctx, party) if party is not None else render.single(render.STALE)
