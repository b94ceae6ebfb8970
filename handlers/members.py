"""/donvi for members of collective units: a principal picks their own school by name
("THPT Trần Phú"), or adds it (pending an admin's approval) when it is not listed yet."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import select

from handlers import render, state
from handlers.registry import Context
from handlers.types import Choice, Reply
from jobs.done import active_member_marks
from knowledge.members import add_member, clean_name, match_members, member_label, members_of
from knowledge.models import Unit, UnitMember
from knowledge.units import member_units

if TYPE_CHECKING:
    from handlers.conversation import Conversation

SURE = 85.0
MAX_MEMBER_BUTTONS = 12
NEW_MEMBER_ACTION = "new_member"


def register(conv: Conversation) -> None:
    conv.choices.add("mb", choice_member)
    conv.choices.add("mn", choice_new_member)


def sure_member(ctx: Context, text: str) -> UnitMember | None:
    """The member the text names, when there is no doubt."""
    found = match_members(ctx.session, text, limit=3)
    if not found:
        return None
    best, score = found[0]
    runner_up = found[1][1] if len(found) > 1 else 0.0
    return best if score >= SURE and score - runner_up >= 5 else None


def set_member(ctx: Context, member: UnitMember) -> list[Reply]:
    """The person (or group) belongs to this member of its collective unit."""
    unit = ctx.session.get(Unit, member.unit_id)
    ctx.person.unit_id, ctx.person.member_id = member.unit_id, member.id
    ctx.session.add(ctx.person)
    whom = "Nhóm này" if ctx.incoming.is_group else "Bạn"
    text = (
        f"Đã ghi nhận: {whom} thuộc {member_label(member, unit)}.\n"
        "Bot sẽ nhắc các hạn của đơn vị chung cho riêng đơn vị của bạn; đánh dấu hoàn thành "
        "(/xong) chỉ tính cho đơn vị của bạn."
    )
    if not member.approved:
        text += (
            f"\n“{member.name}” là tên mới, đang chờ Văn phòng Sở duyệt (được duyệt cùng lúc "
            "duyệt người dùng)."
        )
    return render.single(
        text, Choice("Hạn chót sắp tới", "c:hanchot"), Choice("Đánh dấu hoàn thành", "c:xong")
    )


def member_prompt(ctx: Context, unit: Unit) -> tuple[str, list[Choice]]:
    """After choosing a collective unit: ask which of its members the user is."""
    assert unit.id is not None
    members = members_of(ctx.session, unit.id)
    text = (
        f"\n{unit.name} gồm nhiều đơn vị. Để được nhắc và đánh dấu hoàn thành cho riêng đơn vị "
        "mình, gõ /donvi <tên trường hoặc đơn vị>, ví dụ /donvi THPT Trần Phú"
    )
    if members:
        text += " hoặc chọn bên dưới"
    choices = [Choice(m.name[:60], f"mb:{m.id}") for m in members[:MAX_MEMBER_BUTTONS]]
    return text + ".", choices


def offer_new_member(ctx: Context, text: str) -> list[Choice]:
    """Buttons to add `text` as a new member of a collective unit (pending approval)."""
    name = clean_name(text)
    if len(name.split()) < 2 or not any(ch.isalpha() for ch in name):  # "THPT Trần Phú", not "xyz"
        return []
    collectives = [
        u
        for u in member_units(ctx.session.exec(select(Unit).order_by(Unit.name)).all())
        if u.is_collective
    ]
    choices = []
    for unit in collectives[:4]:
        token = state.store_action(
            ctx.session, ctx.incoming, NEW_MEMBER_ACTION, {"name": name, "unit_id": unit.id}
        )
        choices.append(Choice(f"Thêm “{name[:20]}” vào {unit.name}"[:60], f"mn:{token}"))
    return choices


def own_done_keys(ctx: Context, unit_id: int, keys: list[str]) -> set[str]:
    """Occurrence keys the person's member of the unit marked done itself."""
    member_id = ctx.person.member_id
    return {
        key
        for (u, key, m) in active_member_marks(ctx.session, keys)
        if u == unit_id and m == member_id
    }


def choice_member(ctx: Context, rest: str) -> list[Reply]:
    """The user picked their member from the list."""
    member = ctx.session.get(UnitMember, int(rest)) if rest.isdigit() and len(rest) < 12 else None
    if member is None or not member.approved:
        return render.single(render.STALE)
    return set_member(ctx, member)


def choice_new_member(ctx: Context, rest: str) -> list[Reply]:
    """Add the typed name as a pending member of the chosen collective unit, and belong to it."""
    row = state.load_action(
        ctx.session,
        ctx.incoming,
        rest,
        NEW_MEMBER_ACTION,
        max_age=ctx.conversation.config.action_max_age,
    )
    data = dict(row.data or {}) if row is not None else {}
    unit = ctx.session.get(Unit, data.get("unit_id")) if data.get("unit_id") else None
    if unit is None or unit.id is None or not data.get("name"):
        return render.single(render.STALE)
    member, _ = add_member(
        ctx.session, unit_id=unit.id, name=str(data["name"]), by=ctx.actor, now=ctx.now
    )
    return set_member(ctx, member)
