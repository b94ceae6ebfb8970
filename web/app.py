"""The Starlette application: routes, session checks, CSRF, rate limits, templates."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from handlers import weblinks
from handlers.weblinks import LoginGrant, LoginRefusal
from jobs.status import board_csv
from knowledge.db import read_session, write_session
from web import auth, views
from web.auth import COOKIE, CSRF_FIELD, Capability, Viewer
from web.board import STATUS_CLASS, STATUS_SHORT, FilterError, parse_filter
from web.config import MAX_FORM_BYTES, WebConfig
from web.security import BodyLimit, SecurityHeaders, SlidingWindow

logger = logging.getLogger(__name__)

UPLOAD_PATHS = ("/vanban/tai-len", "/donvi/nhap-csv")
LOGIN_HELP = (
    "Gõ /bangtheodoi trong cuộc trò chuyện với Trợ lý CCHC (Telegram hoặc Zalo) để nhận "
    "đường dẫn đăng nhập mới."
)
REFUSALS = {
    LoginRefusal.INVALID: "Đường dẫn đăng nhập không hợp lệ.",
    LoginRefusal.EXPIRED: "Đường dẫn đăng nhập đã hết hạn (chỉ dùng được trong 15 phút).",
    LoginRefusal.USED: "Đường dẫn đăng nhập này đã được dùng (mỗi đường dẫn chỉ dùng một lần).",
}

Endpoint = Callable[[Request], Awaitable[Response]]


class Web:
    """Everything a route needs: config, templates, limiters."""

    def __init__(self, config: WebConfig) -> None:
        self.config = config
        self.templates = Environment(
            loader=PackageLoader("web", "templates"), autoescape=select_autoescape(["html"])
        )
        self.templates.globals["STATUS_SHORT"] = STATUS_SHORT
        self.templates.globals["STATUS_CLASS"] = STATUS_CLASS
        self.login_limiter = SlidingWindow(config.login_per_minute, 60)
        self.failures = SlidingWindow(
            config.failures_per_window, config.failure_window.total_seconds()
        )

    def render(self, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = self.templates.get_template(name).render(**context)
        return HTMLResponse(html, status_code=status)

    def message(
        self, title: str, text: str, status: int, viewer: Viewer | None = None
    ) -> HTMLResponse:
        return self.render("message.html", status, title=title, text=text, viewer=viewer)

    async def read(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        def run() -> Any:
            with read_session(self.config.engine) as session:
                return fn(session, *args, **kwargs)

        return await asyncio.to_thread(run)

    async def write(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        def run() -> Any:
            with write_session(self.config.engine) as session:
                return fn(session, *args, **kwargs)

        return await asyncio.to_thread(run)

    def client(self, request: Request) -> str:
        return request.client.host if request.client else "?"

    def too_many_failures(self, request: Request) -> HTMLResponse | None:
        if self.failures.exceeded(self.client(request)):
            logger.warning("too many failed attempts from %s", self.client(request))
            return self.message(
                "Tạm khoá",
                "Có quá nhiều lần thử không hợp lệ từ địa chỉ này. Vui lòng thử lại sau 15 phút.",
                429,
            )
        return None

    def failed(self, request: Request) -> None:
        self.failures.hit(self.client(request))


def protected(
    web: Web, capability: Capability = Capability.VIEW
) -> Callable[[Callable[..., Awaitable[Response]]], Endpoint]:
    """A route for a valid session with `capability`; POSTs also need the session's CSRF token."""

    def decorate(handler: Callable[..., Awaitable[Response]]) -> Endpoint:
        @wraps(handler)
        async def endpoint(request: Request) -> Response:
            blocked = web.too_many_failures(request)
            if blocked is not None:
                return blocked
            cookie = request.cookies.get(COOKIE)
            viewer = await web.read(auth.load_viewer, cookie, now=web.config.now())
            if viewer is None:
                if cookie:
                    web.failed(request)
                return web.message(
                    "Cần đăng nhập", f"Phiên đăng nhập không có hoặc đã hết hạn. {LOGIN_HELP}", 401
                )
            if not viewer.can(capability):
                return web.message("Không có quyền", "Tài khoản này chỉ được xem.", 403, viewer)
            if request.method == "POST":
                form = await request.form(max_part_size=web.config.max_upload_bytes)
                if not auth.csrf_ok(viewer, form.get(CSRF_FIELD)):
                    logger.warning(
                        "POST %s without a valid CSRF token (session %s)",
                        request.url.path,
                        viewer.session_id,
                    )
                    return web.message(
                        "Yêu cầu bị từ chối",
                        "Biểu mẫu đã cũ hoặc không hợp lệ "
                        "(thiếu mã CSRF). Tải lại trang rồi thử lại.",
                        403,
                        viewer,
                    )
                request.state.form = form
            return await handler(request, viewer)

        return endpoint

    return decorate


PageHandler = Callable[[Web, Request, Viewer], Awaitable[Response]]


def page(web: Web, handler: PageHandler, capability: Capability = Capability.VIEW) -> Endpoint:
    """The endpoint of a page module's `handler(web, request, viewer)`, behind `protected`."""

    @wraps(handler)
    async def bound(request: Request, viewer: Viewer) -> Response:
        return await handler(web, request, viewer)

    return protected(web, capability)(bound)


def bind(web: Web, handler: Callable[[Web, Request], Awaitable[Response]]) -> Endpoint:
    """An async endpoint calling `handler(web, request)` (Starlette runs plain callables in
    threads)."""

    async def endpoint(request: Request) -> Response:
        return await handler(web, request)

    return endpoint


def create_app(config: WebConfig) -> Starlette:
    web = Web(config)
    from web import pages_admin, pages_documents, pages_view

    routes = [
        Route("/", bind(web, _home)),
        Route("/dangnhap", bind(web, _login_form), methods=["GET"]),
        Route("/dangnhap", bind(web, _login), methods=["POST"]),
        Route(
            "/dangxuat",
            protected(web)(lambda request, viewer: _logout(web, request, viewer)),
            methods=["POST"],
        ),
        Route("/lich/{token}.ics", bind(web, _feed)),
        Route("/tai/{token}", bind(web, _download)),
        *pages_view.routes(web),
        *pages_admin.routes(web),
        *pages_documents.routes(web),
        Mount("/static", StaticFiles(packages=[("web", "static")]), name="static"),
    ]
    middleware = [
        Middleware(SecurityHeaders),
        Middleware(
            BodyLimit,
            default_limit=MAX_FORM_BYTES,
            upload_limit=config.max_upload_bytes,
            upload_paths=UPLOAD_PATHS,
        ),
    ]
    return Starlette(routes=routes, middleware=middleware)


async def _home(web: Web, request: Request) -> Response:
    viewer = await web.read(auth.load_viewer, request.cookies.get(COOKIE), now=web.config.now())
    if viewer is not None:
        return RedirectResponse("/bang", status_code=303)
    return web.message("Bảng theo dõi CCHC", LOGIN_HELP, 401)


async def _login_form(web: Web, request: Request) -> Response:
    """Show a button, not a session: chat apps open links to preview them, which must not use
    them."""
    blocked = web.too_many_failures(request)
    if blocked is not None:
        return blocked
    if not web.login_limiter.hit(web.client(request)):
        return web.message(
            "Tạm khoá", "Quá nhiều yêu cầu đăng nhập. Vui lòng thử lại sau một phút.", 429
        )
    token = request.query_params.get("t", "")
    checked = await web.read(weblinks.check_login_token, token, now=web.config.now())
    if isinstance(checked, LoginRefusal):
        web.failed(request)
        return web.message("Không đăng nhập được", f"{REFUSALS[checked]} {LOGIN_HELP}", 403)
    return web.render("login.html", token=token, actor=checked.actor)


async def _login(web: Web, request: Request) -> Response:
    blocked = web.too_many_failures(request)
    if blocked is not None:
        return blocked
    if not web.login_limiter.hit(web.client(request)):
        return web.message(
            "Tạm khoá", "Quá nhiều yêu cầu đăng nhập. Vui lòng thử lại sau một phút.", 429
        )
    form = await request.form()
    token = str(form.get("t", ""))
    now = web.config.now()

    def redeem(session: Any) -> str | LoginRefusal:
        grant = weblinks.redeem_login_token(session, token, now=now)
        if isinstance(grant, LoginGrant):
            return auth.open_session(session, grant, now=now, config=web.config)
        return grant

    result = await web.write(redeem)
    if isinstance(result, LoginRefusal):
        web.failed(request)
        return web.message("Không đăng nhập được", f"{REFUSALS[result]} {LOGIN_HELP}", 403)
    logger.info("web session opened")
    response = RedirectResponse("/bang", status_code=303)
    response.set_cookie(
        COOKIE,
        result,
        max_age=int(web.config.session_length.total_seconds()),
        httponly=True,
        samesite="strict",
        secure=web.config.secure_cookies,
        path="/",
    )
    return response


async def _logout(web: Web, request: Request, viewer: Viewer) -> Response:
    await web.write(auth.close_session, viewer.session_id, now=web.config.now())
    response = web.message("Đã đăng xuất", "Bạn đã đăng xuất khỏi bảng theo dõi.", 200)
    response.delete_cookie(
        COOKIE, path="/", httponly=True, samesite="strict", secure=web.config.secure_cookies
    )
    return response


async def _feed(web: Web, request: Request) -> Response:
    blocked = web.too_many_failures(request)
    if blocked is not None:
        return blocked
    token = request.path_params["token"]
    now = web.config.now()

    def build(session: Any) -> tuple[bytes, str] | None:
        feed = weblinks.resolve_feed(session, token)
        if feed is None:
            return None
        return views.feed_calendar(
            session,
            feed,
            today=now.date(),
            now=now,
            default_offsets=web.config.reminder_offsets,
            default_time=web.config.reminder_time,
        )

    built = await web.write(build)  # write: the server key may be created on first use
    if built is None:
        web.failed(request)
        return Response(
            "Không tìm thấy lịch (đường dẫn sai hoặc đã bị thu hồi).\n",
            404,
            media_type="text/plain; charset=utf-8",
        )
    body, name = built
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"content-disposition": f'inline; filename="{name}"'},
    )


async def _download(web: Web, request: Request) -> Response:
    blocked = web.too_many_failures(request)
    if blocked is not None:
        return blocked
    token = request.path_params["token"]
    row = await web.write(weblinks.take_download, token, now=web.config.now())
    if row is None:
        web.failed(request)
        return web.message(
            "Không tải được",
            "Đường dẫn tải tệp không hợp lệ, đã hết hạn hoặc đã được "
            "dùng (mỗi đường dẫn chỉ dùng một lần). Gõ lại lệnh trong chat để nhận "
            "đường dẫn mới.",
            404,
        )
    return Response(
        row.data,
        media_type=row.mime_type,
        headers={"content-disposition": f'attachment; filename="{row.filename}"'},
    )


def csv_response(data: bytes, name: str) -> Response:
    return Response(
        data,
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


def board_filter_or_error(web: Web, request: Request, viewer: Viewer) -> Any:
    try:
        return parse_filter(request.query_params, forced_unit=viewer.unit_id)
    except FilterError as exc:
        return web.message("Bộ lọc không hợp lệ", str(exc), 400, viewer)


__all__ = ["create_app", "Web", "protected", "csv_response", "board_csv", "board_filter_or_error"]
