"""Documents: the list (in force or not), upload with the chat's staging preview, confirm or
cancel, and retire. The work is the shared service (knowledge.ingest.staging, jobs.documents)."""

from __future__ import annotations

import logging
from typing import Any

from sqlmodel import Session
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from jobs.documents import confirm_and_notify_in, retire
from knowledge.ingest.staging import UploadError, cancel, check_upload, is_member_csv, stage
from knowledge.models import Document
from web import views
from web.app import Endpoint, PageHandler, Web, page
from web.auth import Capability, Viewer

logger = logging.getLogger(__name__)

NOTES = {
    "huy": "Đã huỷ bản xem trước; cơ sở dữ liệu không thay đổi.",
    "ngung": "Đã ngừng áp dụng văn bản: bot thôi nhắc các hạn của văn bản này.",
    "dangung": "Văn bản này đã ngừng áp dụng từ trước.",
    "daxuly": "Bản xem trước này đã được xử lý hoặc không còn.",
    "khongthay": "Không tìm thấy văn bản.",
}


def _who(viewer: Viewer) -> str:
    return f"web:{viewer.actor}"


def _form_text(request: Request, name: str) -> str:
    value = request.state.form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


async def documents(web: Web, request: Request, viewer: Viewer) -> Response:
    """The documents, in force or not, with the upload form."""
    data: dict[str, Any] = await web.read(views.documents_page)
    note = NOTES.get(request.query_params.get("tb", ""), "")
    return web.render("documents.html", viewer=viewer, page="documents", note=note, **data)


async def upload(web: Web, request: Request, viewer: Viewer) -> Response:
    """Stage an uploaded document and show the chat's preview of it (nothing is stored yet)."""
    file = request.state.form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        return web.message(
            "Chưa chọn tệp",
            "Chọn một tệp văn bản (.docx, .pdf, .txt, .md) rồi bấm «Xem trước».",
            400,
            viewer,
        )
    data = await file.read()
    filename, today = file.filename, web.config.now().date()
    if is_member_csv(filename):
        return web.message(
            "Tệp danh sách thành viên",
            "Tệp .csv là danh sách thành viên: nạp ở trang Đơn vị.",
            400,
            viewer,
        )

    def staged(session: Session) -> Any:
        check_upload(filename, len(data))
        return stage(session, filename=filename, data=data, staged_by=_who(viewer), today=today)

    try:
        preview = await web.write(staged)
    except UploadError as exc:
        logger.info("web upload %r refused: %s", filename, exc)
        return web.message(
            "Không nạp được", f"{exc} Không có gì thay đổi trong cơ sở dữ liệu.", 400, viewer
        )
    return web.render("upload_preview.html", viewer=viewer, page="documents", preview=preview)


async def confirm(web: Web, request: Request, viewer: Viewer) -> Response:
    """Store a staged document and notify the units it concerns."""
    token, now = _form_text(request, "token"), web.config.now()
    try:
        outcome = await web.write(confirm_and_notify_in, token, confirmed_by=_who(viewer), now=now)
    except UploadError as exc:
        return web.message("Không nạp được", str(exc), 400, viewer)
    logger.info("web upload %s confirmed by %s", token, viewer.actor)
    document_id = outcome.confirmed.document_id
    query = f"document={document_id}&from={now.year}-01-01&to={now.year + 1}-12-31"
    return web.render(
        "upload_done.html", viewer=viewer, page="documents", outcome=outcome, board_query=query
    )


async def cancel_upload(web: Web, request: Request, viewer: Viewer) -> Response:
    """Drop a staged document."""
    token, now = _form_text(request, "token"), web.config.now()
    cancelled = await web.write(cancel, token, cancelled_by=_who(viewer), now=now)
    return RedirectResponse(f"/vanban?tb={'huy' if cancelled else 'daxuly'}", status_code=303)


async def retire_document(web: Web, request: Request, viewer: Viewer) -> Response:
    """Ask to confirm, then retire a document: its deadlines are no longer reminded."""
    raw = _form_text(request, "document")
    document_id = int(raw) if raw.isdigit() else None
    document = await web.read(lambda s: s.get(Document, document_id) if document_id else None)
    if document is None:
        return RedirectResponse("/vanban?tb=khongthay", status_code=303)
    if _form_text(request, "confirm") != "1":
        return web.render(
            "retire_confirm.html", viewer=viewer, page="documents", document=document
        )
    now = web.config.now()
    done = await web.write(retire, document.id, retired_by=_who(viewer), now=now)
    logger.info("document %s retired from the web by %s: %s", document.id, viewer.actor, done)
    return RedirectResponse(f"/vanban?tb={'ngung' if done else 'dangung'}", status_code=303)


def routes(web: Web) -> list[Route]:
    def manage(handler: PageHandler) -> Endpoint:
        return page(web, handler, Capability.MANAGE)

    return [
        Route("/vanban", page(web, documents)),
        Route("/vanban/tai-len", manage(upload), methods=["POST"]),
        Route("/vanban/xac-nhan", manage(confirm), methods=["POST"]),
        Route("/vanban/huy", manage(cancel_upload), methods=["POST"]),
        Route("/vanban/ngung", manage(retire_document), methods=["POST"]),
    ]
