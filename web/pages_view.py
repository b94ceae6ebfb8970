"""Read-only pages: the board (and its CSV), the charts, a deadline's detail."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jobs.status import board_csv, board_rows
from web import views
from web.app import Web, board_filter_or_error, csv_response, protected
from web.auth import Viewer


def routes(web: Web) -> list[Route]:
    view = protected(web)

    @view
    async def board(request: Request, viewer: Viewer) -> Response:
        board_filter = board_filter_or_error(web, request, viewer)
        if isinstance(board_filter, Response):
            return board_filter
        now = web.config.now()
        data = await web.read(views.board_page, board_filter, today=now.date(), tz=web.config.tz)
        return web.render("board.html", viewer=viewer, page="board", **data)

    @view
    async def board_download(request: Request, viewer: Viewer) -> Response:
        board_filter = board_filter_or_error(web, request, viewer)
        if isinstance(board_filter, Response):
            return board_filter
        now = web.config.now()
        rows = await web.read(board_rows, board_filter, today=now.date(), tz=web.config.tz)
        return csv_response(board_csv(rows), f"bang_theo_doi_{now:%Y%m%d}.csv")

    @view
    async def chart_page(request: Request, viewer: Viewer) -> Response:
        now = web.config.now()
        data = await web.read(views.charts_page, today=now.date(), tz=web.config.tz,
                              unit_id=viewer.unit_id)
        return web.render("charts.html", viewer=viewer, page="charts", **data)

    @view
    async def deadline(request: Request, viewer: Viewer) -> Response:
        key = request.path_params["key"]
        now = web.config.now()

        def load(session):  # type: ignore[no-untyped-def]
            occ = views.find_occurrence(session, key)
            if occ is None or (viewer.unit_id is not None and not occ.concerns(viewer.unit_id)):
                return None
            return views.deadline_page(session, occ, today=now.date(), tz=web.config.tz)

        data = await web.read(load)
        if data is None:
            return web.message("Không tìm thấy", "Không có hạn này (có thể văn bản đã được thay "
                               "hoặc ngày hạn đã đổi).", 404, viewer)
        return web.render("deadline.html", viewer=viewer, page="board", **data)

    return [
        Route("/bang", board),
        Route("/bang.csv", board_download),
        Route("/bieudo", chart_page),
        Route("/han/{key}", deadline),
    ]
