"""Documents from chat: an admin sends a file, sees a preview, presses Nạp or Huỷ; /vanban
offers "Ngừng áp dụng". The work itself is in knowledge/ingest/staging.py and jobs/documents.py,
which the web board calls too."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlmodel import select

from handlers import render
from handlers.registry import Context
from handlers.types import Choice, Reply
from jobs.documents import confirm_and_notify_in, retire
from knowledge.ingest.staging import (
    UploadError,
    cancel,
    check_upload,
    retired_document_ids,
    stage,
)
from knowledge.models import Document
from knowledge.normalize import fold

if TYPE_CHECKING:
    from handlers.conversation import Conversation

logger = logging.getLogger(__name__)

NOT_ADMIN = (
    "Chỉ cán bộ quản trị của Văn phòng Sở mới nạp được văn bản vào bot. Nếu bạn cần "
    "tra cứu văn bản này, hãy gửi cho Văn phòng Sở."
)
NOT_DOWNLOADED = "Không tải được tệp từ máy chủ của kênh chat; bạn vui lòng gửi lại."
NO_FILES_ON_CHANNEL = (
    "Kênh này chưa cho bot nhận tệp. Để nạp văn bản, hãy gửi tệp cho bot trên Telegram "
    "hoặc dùng lệnh máy chủ: python -m bot import <tệp>."
)


def register(conv: Conversation) -> None:
    conv.choices.add("up", choice_upload, admin=True)
    conv.choices.add("rt", choice_retire, admin=True)


def _who(ctx: Context) -> str:
    name = ctx.person.display_name or ctx.incoming.display_name
    return f"{ctx.actor} ({name})" if name else ctx.actor


def handle_file(ctx: Context) -> list[Reply]:
    """A file sent to the bot: an admin's document is staged and previewed, nothing changes."""
    file = ctx.incoming.file
    if not ctx.is_admin:
        logger.warning("refused upload from non-admin %s", ctx.actor)
        return render.single(NOT_ADMIN)
    if file is None:
        return render.single(NO_FILES_ON_CHANNEL)
    try:
        check_upload(file.filename, file.size if file.data is None else len(file.data))
        if file.data is None:
            return render.single(NOT_DOWNLOADED)
        preview = stage(
            ctx.session,
            filename=file.filename,
            data=file.data,
            staged_by=_who(ctx),
            today=ctx.today,
            now=ctx.now,
        )
    except UploadError as exc:
        logger.info("upload %r from %s refused: %s", file.filename, ctx.actor, exc)
        return render.single(f"{exc}\nKhông có gì thay đổi trong cơ sở dữ liệu.")
    return ctx.conversation.paged_text(
        ctx,
        preview.text(),
        [Choice("Nạp", f"up:{preview.token}:y"), Choice("Huỷ", f"up:{preview.token}:n")],
    )


def choice_upload(ctx: Context, rest: str) -> list[Reply]:
    """Nạp (y) or Huỷ (n) a staged upload."""
    if not ctx.is_admin:
        logger.warning("refused upload confirmation from %s", ctx.actor)
        return render.single(render.ADMIN_ONLY)
    token, _, answer = rest.rpartition(":")
    if answer != "y":
        if cancel(ctx.session, token, cancelled_by=_who(ctx), now=ctx.now):
            return render.single("Đã huỷ, không nạp gì; cơ sở dữ liệu không thay đổi.")
        return render.single("Bản xem trước này đã được xử lý hoặc không còn.")
    try:
        outcome = confirm_and_notify_in(ctx.session, token, confirmed_by=_who(ctx), now=ctx.now)
    except UploadError as exc:
        return render.single(str(exc))
    hook = ctx.conversation.on_broadcast_queued
    if outcome.notices and hook is not None:
        ctx.after_commit.append(hook)
    if not outcome.confirmed.document_id:  # a member list
        return render.single(outcome.confirmed.title)
    lines = [f"Đã nạp “{outcome.confirmed.title}”."]
    if outcome.confirmed.replaced_document_id is not None:
        lines.append(
            f"Thay thế bản cũ; giữ {outcome.carried_marks} đánh dấu hoàn thành của các "
            "hạn không đổi."
        )
    lines.append(
        f"Đã xếp hàng {outcome.notices} tin báo cho {outcome.units} đơn vị liên quan "
        "(mỗi cuộc trò chuyện một tin)."
    )
    return render.single("\n".join(lines))


# ---------------------------------------------------------------------- retire
def matching_document(ctx: Context, query: str) -> Document | None:
    """The one document whose number (or title) the query names, else None."""
    key = fold(query).strip()
    if not key:
        return None
    docs = list(ctx.session.exec(select(Document)))
    by_number = [d for d in docs if d.number.strip(" /") and key in fold(d.number)]
    if len(by_number) == 1:
        return by_number[0]
    by_title = [d for d in docs if key in fold(d.title)]
    return by_title[0] if len(by_title) == 1 else None


def retire_choices(ctx: Context, query: str) -> list[Choice]:
    """The "Ngừng áp dụng" button for admins under /vanban <số>."""
    if not ctx.is_admin:
        return []
    doc = matching_document(ctx, query)
    if doc is None or doc.id in retired_document_ids(ctx.session):
        return []
    return [Choice("Ngừng áp dụng", f"rt:{doc.id}:ask")]


def choice_retire(ctx: Context, rest: str) -> list[Reply]:
    """Ask, then stop applying a document: no more reminders, answers say it is expired."""
    if not ctx.is_admin:
        logger.warning("refused retirement press from %s", ctx.actor)
        return render.single(render.ADMIN_ONLY)
    raw_id, _, step = rest.partition(":")
    doc = ctx.session.get(Document, int(raw_id)) if raw_id.isdigit() else None
    if doc is None or doc.id is None:
        return render.single(render.STALE)
    if step == "ask":
        return render.single(
            f"Ngừng áp dụng “{doc.title}”? Các hạn của văn bản sẽ không còn được nhắc; câu trả "
            "lời ghi rõ văn bản đã ngừng áp dụng; lịch sử đánh dấu và nhắc hạn vẫn được giữ.",
            Choice("Xác nhận ngừng áp dụng", f"rt:{doc.id}:y"),
            Choice("Huỷ", f"rt:{doc.id}:n"),
        )
    if step != "y":
        return render.single("Đã huỷ; văn bản vẫn được áp dụng.")
    if not retire(ctx.session, doc.id, retired_by=_who(ctx), now=ctx.now):
        return render.single(f"“{doc.title}” đã ngừng áp dụng từ trước.")
    return render.single(f"Đã ngừng áp dụng “{doc.title}”: bot thôi nhắc các hạn của văn bản này.")
