"""Chat side of the web board: /bangtheodoi (login link), /lich (calendar URL), files as links."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from handlers import render, weblinks
from handlers.registry import Context
from handlers.types import Reply
from knowledge.models import Unit
from knowledge.normalize import fold

if TYPE_CHECKING:
    from handlers.conversation import Conversation

logger = logging.getLogger(__name__)

NO_WEB = (
    "Bảng theo dõi trên web chưa được bật trên máy chủ (cấu hình WEB_PORT, WEB_BASE_URL). "
    "Vui lòng liên hệ cán bộ kỹ thuật."
)
TOO_MANY_LINKS = (
    "Bạn đã lấy {n} đường dẫn đăng nhập trong một giờ qua. Vui lòng dùng đường dẫn "
    "đã có hoặc thử lại sau."
)
NO_UNIT = "Bạn chưa chọn đơn vị. Gõ /donvi <tên đơn vị> (ví dụ: /donvi tccb) rồi dùng lại /lich."
PERSONAL = {"rieng", "canhan", "ca nhan"}


def register(conv: Conversation) -> None:
    conv.commands.add("bangtheodoi", cmd_bangtheodoi, admin=True)
    conv.commands.add("lich", cmd_lich, usage="[rieng]")
    if conv.config.web_base_url:
        conv.reply_filters.append(files_as_links)


def cmd_bangtheodoi(ctx: Context, args: str) -> list[Reply]:
    """Đường dẫn đăng nhập bảng theo dõi trên web, dùng một lần (quản trị)"""
    base_url = ctx.conversation.config.web_base_url
    if not base_url:
        return render.single(NO_WEB)
    issued = weblinks.recent_links(ctx.session, ctx.actor, ctx.now)
    if issued >= weblinks.MAX_LINKS_PER_HOUR:
        logger.warning("login link refused for %s: %d issued in the last hour", ctx.actor, issued)
        return render.single(TOO_MANY_LINKS.format(n=issued))
    url = weblinks.issue_login_link(ctx.session, actor=ctx.actor, base_url=base_url, now=ctx.now)
    logger.info("login link issued to %s", ctx.actor)  # never the URL: it is a secret
    minutes = int(weblinks.LOGIN_TTL.total_seconds() // 60)
    return render.single(
        f"Đường dẫn đăng nhập bảng theo dõi (dùng một lần, hết hạn sau {minutes} phút):\n"
        f"{url}\n\n"
        "Không chuyển tiếp đường dẫn này cho người khác. Phiên đăng nhập kéo dài một ngày làm "
        "việc."
    )


def cmd_lich(ctx: Context, args: str) -> list[Reply]:
    """Đường dẫn lịch (iCalendar) các hạn của đơn vị, để thêm vào lịch điện thoại"""
    base_url = ctx.conversation.config.web_base_url
    if not base_url:
        return render.single(NO_WEB)
    unit = ctx.session.get(Unit, ctx.person.unit_id) if ctx.person.unit_id is not None else None
    if unit is None or unit.id is None:
        return render.single(NO_UNIT)
    personal = fold(args) in PERSONAL
    if args.strip() and not personal:
        return render.single(
            "Cách dùng: /lich (lịch của đơn vị) hoặc /lich rieng (lịch riêng, "
            "báo trước theo cài đặt /nhacnho của bạn)."
        )
    feed = weblinks.active_feed(
        ctx.session,
        unit_id=unit.id,
        created_by=ctx.actor,
        person_id=ctx.person.id if personal else None,
    )
    url = weblinks.feed_url(ctx.session, feed, base_url)
    logger.info("calendar feed %s given to %s", feed.id, ctx.actor)
    whose = f"riêng của bạn ({unit.name})" if personal else f"của {unit.name}"
    return render.single(
        f"Lịch hạn chót {whose}:\n"
        f"{url}\n\n"
        "Thêm vào Lịch Google (Thêm lịch → Từ URL) hoặc Lịch iPhone (Tài khoản → Thêm lịch đăng "
        "ký). Lịch tự cập nhật khi có văn bản mới và có báo trước như tin nhắc hạn. Đường dẫn là "
        "bí mật: đừng chia sẻ ra ngoài đơn vị; Văn phòng Sở có thể thu hồi và cấp đường dẫn mới."
    )


def files_as_links(ctx: Context, replies: list[Reply]) -> list[Reply]:
    """On channels that cannot send documents (Zalo), a reply's file becomes a one-time link."""
    config = ctx.conversation.config
    if ctx.incoming.channel not in config.download_link_channels:
        return replies
    out = []
    for reply in replies:
        if reply.attachment is None:
            out.append(reply)
            continue
        url = weblinks.store_download(
            ctx.session,
            reply.attachment,
            actor=ctx.actor,
            base_url=config.web_base_url,
            now=ctx.now,
        )
        minutes = int(weblinks.DOWNLOAD_TTL.total_seconds() // 60)
        logger.info("%s got a one-time download link for %s", ctx.actor, reply.attachment.filename)
        text = (
            f"{reply.text}\nTải tệp {reply.attachment.filename} (dùng một lần, trong {minutes} "
            f"phút):\n{url}"
        )
        out.append(replace(reply, text=text, attachment=None))
    return out
