"""Admin commands for Văn phòng Sở staff: statistics and broadcasts (confirmed before sending)."""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import TYPE_CHECKING

from sqlmodel import col, select

from handlers import render, state
from handlers.commands import match_unit
from handlers.models import BroadcastRequest
from handlers.registry import Context
from handlers.types import Choice, Reply
from jobs.broadcast import audience
from jobs.models import ChatAddress, Person
from knowledge.models import Unit
from knowledge.normalize import fold

if TYPE_CHECKING:
    from handlers.conversation import Conversation

logger = logging.getLogger(__name__)
ALL_UNITS = {"tatca", "tat ca", "all"}
MAX_BROADCAST_CHARS = 3500


def register(conv: Conversation) -> None:
    conv.commands.add("thongke", cmd_thongke, admin=True)
    conv.commands.add("guitin", cmd_guitin, admin=True, usage="<đơn vị|tatca> | <nội dung>")
    conv.choices.add("bc", choice_broadcast, admin=True)


def cmd_thongke(ctx: Context, args: str) -> list[Reply]:
    """Thống kê người dùng và nhóm theo đơn vị (quản trị)"""
    rows = ctx.session.exec(
        select(Person.unit_id, ChatAddress.is_group, ChatAddress.active, ChatAddress.channel).join(
            Person, col(Person.id) == col(ChatAddress.person_id)
        )
    ).all()
    counts: dict[int | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for unit_id, is_group, active, channel in rows:
        bucket = counts[unit_id]
        bucket["groups" if is_group else "users"] += 1
        if not active:
            bucket["inactive"] += 1
        bucket[channel] += 1
    if not counts:
        return render.single("Chưa có ai dùng bot.")
    names = {
        u.id: ctx.conversation.knowledge.unit_label(u) for u in ctx.session.exec(select(Unit))
    }
    lines = ["Thống kê người dùng theo đơn vị:"]
    total_users = total_groups = 0
    for unit_id in sorted(counts, key=lambda k: (k is None, names.get(k, ""))):
        bucket = counts[unit_id]
        total_users += bucket["users"]
        total_groups += bucket["groups"]
        label = (
            names.get(unit_id, "Chưa chọn đơn vị") if unit_id is not None else "Chưa chọn đơn vị"
        )
        extra = f", {bucket['inactive']} đã chặn bot" if bucket["inactive"] else ""
        lines.append(f"• {label}: {bucket['users']} người, {bucket['groups']} nhóm{extra}")
    lines.append(f"Tổng: {total_users} người, {total_groups} nhóm.")
    return ctx.conversation.paged_text(ctx, "\n".join(lines))


def _audience(ctx: Context, unit_id: int | None) -> int:
    """How many chats a broadcast to the unit (None = all units) would reach."""
    return len(audience(ctx.session, unit_id))


def cmd_guitin(ctx: Context, args: str) -> list[Reply]:
    """Gửi thông báo tới một đơn vị hoặc tất cả (quản trị)"""
    usage = (
        "Cú pháp: /guitin <đơn vị|tatca> | <nội dung>\n"
        "Ví dụ: /guitin tccb | Đề nghị gửi báo cáo CCHC quý trước ngày 10."
    )
    if "|" in args:
        target, _, text = args.partition("|")
    else:
        target, _, text = args.partition(" ")
    target, text = target.strip(), text.strip()
    if not target or not text or render.is_junk(text):
        return render.single(usage)
    if len(text) > MAX_BROADCAST_CHARS:
        return render.single(f"Nội dung quá dài (tối đa {MAX_BROADCAST_CHARS} ký tự).")
    if fold(target) in ALL_UNITS:
        unit_id, label = None, "tất cả các đơn vị"
    else:
        unit, candidates = match_unit(ctx, target)
        if unit is None:
            hint = ", ".join(ctx.conversation.knowledge.unit_label(u) for u in candidates)
            more = f" Có thể là: {hint}." if hint else ""
            return render.single(f"Không xác định được đơn vị “{target[:60]}”.{more}\n{usage}")
        unit_id, label = unit.id, ctx.conversation.knowledge.unit_label(unit)
    count = _audience(ctx, unit_id)
    if count == 0:
        return render.single(f"Chưa có người dùng hay nhóm nào của {label} để gửi.")
    token = state.store_action(
        ctx.session, ctx.incoming, "broadcast", {"unit_id": unit_id, "text": text, "label": label}
    )
    return render.single(
        f"Gửi tới {count} cuộc trò chuyện của {label}:\n\n{text}\n\nXác nhận gửi?",
        Choice("Gửi", f"bc:{token}:y"),
        Choice("Huỷ", f"bc:{token}:n"),
    )


def choice_broadcast(ctx: Context, rest: str) -> list[Reply]:
    """Confirm or cancel a prepared broadcast; each one can be sent only once."""
    if not ctx.is_admin:
        logger.warning("refused broadcast confirmation from %s", ctx.actor)
        return render.single(
            "Xin lỗi, thao tác này chỉ dành cho cán bộ quản trị của Văn phòng Sở."
        )
    token, _, answer = rest.partition(":")
    conv = ctx.conversation
    row = state.load_action(
        ctx.session, ctx.incoming, token, "broadcast", max_age=conv.config.action_max_age
    )
    if row is None or row.data.get("done"):
        return render.single(render.STALE)
    row.data = {**row.data, "done": True}
    ctx.session.add(row)
    if answer != "y":
        return render.single("Đã huỷ, không gửi gì.")
    if conv.broadcaster is None:
        logger.error("broadcast requested by %s but no broadcaster is wired", ctx.actor)
        return render.single("Chức năng gửi tin chưa được cấu hình trên máy chủ; chưa gửi gì.")
    unit_id = row.data.get("unit_id")
    text = str(row.data["text"])
    queued = conv.broadcaster(
        ctx.session, unit_id=unit_id, text=text, requested_by=ctx.actor, now=ctx.now
    )
    ctx.session.add(
        BroadcastRequest(requested_by=ctx.actor, unit_id=unit_id, text=text, recipients=queued)
    )
    logger.info("broadcast by %s to unit %s queued for %d chats", ctx.actor, unit_id, queued)
    if conv.on_broadcast_queued is not None:
        ctx.after_commit.append(conv.on_broadcast_queued)
    return render.single(
        f"Đã xếp hàng gửi tới {queued} cuộc trò chuyện của {row.data.get('label', '')}. "
        "Tin sẽ được gửi dần theo giới hạn tốc độ."
    )
