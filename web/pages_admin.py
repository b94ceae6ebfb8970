"""Pages that change things (admin role): units and members, calendar feeds, documents."""

from __future__ import annotations

import logging

from sqlmodel import Session
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from handlers import weblinks
from handlers.done import party_of
from jobs.approvals import decide
from jobs.models import Person
from knowledge.members import import_members_csv
from web import views
from web.app import Endpoint, PageHandler, Web, page
from web.auth import Capability, Viewer

logger = logging.getLogger(__name__)


class _Refused(Exception):
    """A member list with errors: raised inside the unit of work so that nothing is written."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(lines[0] if lines else "")
        self.lines = lines


def _form_id(request: Request, name: str) -> int | None:
    raw = str(request.state.form.get(name, "")).strip()
    return int(raw) if raw.isdigit() else None


def _back(path: str, note: str = "") -> Response:
    return RedirectResponse(f"{path}?tb={note}" if note else path, status_code=303)


NOTES = {
    "duyet": "Đã duyệt thành viên; người dùng được báo qua chat.",
    "tuchoi": "Đã từ chối yêu cầu duyệt; người dùng được báo qua chat.",
    "daduyet": "Người này đã được duyệt từ trước, hoặc không có yêu cầu duyệt nào đang chờ.",
    "lich": "Đã tạo đường dẫn lịch của đơn vị.",
    "thuhoi": "Đã thu hồi đường dẫn lịch; đường dẫn cũ không còn dùng được.",
    "khongthay": "Không tìm thấy mục cần thao tác.",
}


async def units(web: Web, request: Request, viewer: Viewer) -> Response:
    """Units, their members and calendar feeds (people's names and chats: the office only)."""
    data = await web.read(views.units_page, base_url=web.config.base_url)
    note = NOTES.get(request.query_params.get("tb", ""), "")
    return web.render("units.html", viewer=viewer, page="units", note=note, **data)


async def approve_member(web: Web, request: Request, viewer: Viewer) -> Response:
    """Approve (/duyet) or reject (/tuchoi) a person's membership request."""
    person_id, approving = _form_id(request, "person"), request.url.path.endswith("/duyet")
    now = web.config.now()

    def act(session: Session) -> str:
        person = session.get(Person, person_id) if person_id is not None else None
        if person is None or person.unit_id is None:
            return "khongthay"
        party = party_of(session, person)
        decision = decide(
            session,
            person,
            approved=approving,
            by=f"web:{viewer.actor}",
            now=now,
            label=party.label if party else "đơn vị",
        )
        return ("duyet" if approving else "tuchoi") if decision.changed else "daduyet"

    note = await web.write(act)
    logger.info(
        "web %s person %s by %s: %s",
        "approval" if approving else "rejection",
        person_id,
        viewer.actor,
        note,
    )
    return _back("/donvi", note)


async def import_members(web: Web, request: Request, viewer: Viewer) -> Response:
    """Load a member list from an uploaded CSV; a list with errors changes nothing."""
    file = request.state.form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        return web.message(
            "Chưa chọn tệp",
            "Chọn tệp CSV danh sách thành viên rồi bấm «Nạp danh sách».",
            400,
            viewer,
        )
    data, source, now = await file.read(), file.filename[:120], web.config.now()

    def load(session: Session) -> list[str]:
        report = import_members_csv(
            session, data, source=source, by=f"web:{viewer.actor}", now=now
        )
        if not report.ok:
            raise _Refused(report.lines())
        return report.lines()

    try:
        lines = await web.write(load)
    except _Refused as refused:  # the unit of work rolled back: nothing was written
        lines = refused.lines
    logger.info("member CSV %r imported from the web by %s: %s", source, viewer.actor, lines[0])
    data_page = await web.read(views.units_page, base_url=web.config.base_url)
    return web.render(
        "units.html", viewer=viewer, page="units", note="", report_lines=lines, **data_page
    )


async def create_feed(web: Web, request: Request, viewer: Viewer) -> Response:
    """Create (or show again) the unit's calendar feed link."""
    unit_id = _form_id(request, "unit")
    if unit_id is None:
        return _back("/donvi", "khongthay")
    await web.write(
        lambda s: weblinks.active_feed(s, unit_id=unit_id, created_by=f"web:{viewer.actor}")
    )
    return _back("/donvi", "lich")


async def revoke_feed(web: Web, request: Request, viewer: Viewer) -> Response:
    """Revoke a calendar feed link: the old URL stops working."""
    feed_id = _form_id(request, "feed")
    now = web.config.now()
    revoked = feed_id is not None and await web.write(
        weblinks.revoke_feed, feed_id, by=f"web:{viewer.actor}", now=now
    )
    logger.info("calendar feed %s revoked by %s: %s", feed_id, viewer.actor, revoked)
    return _back("/donvi", "thuhoi" if revoked else "khongthay")


def routes(web: Web) -> list[Route]:
    def manage(handler: PageHandler) -> Endpoint:
        return page(web, handler, Capability.MANAGE)

    return [
        Route("/donvi", manage(units)),
        Route("/donvi/duyet", manage(approve_member), methods=["POST"]),
        Route("/donvi/tuchoi", manage(approve_member), methods=["POST"]),
        Route("/donvi/nhap-csv", manage(import_members), methods=["POST"]),
        Route("/donvi/lich", manage(create_feed), methods=["POST"]),
        Route("/donvi/lich/thuhoi", manage(revoke_feed), methods=["POST"]),
    ]
