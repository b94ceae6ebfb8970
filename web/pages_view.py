"""Read-only pages: the board (and its CSV), the charts, a deadline's detail."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jobs.status import board_csv, board_rows
from web import views
from web.app import Web, board_filter_or_error, csv_response, page
from web.auth import Viewer


async def board(web: Web, request: Request, viewer: Viewer) -> Response:
    """The board: each deadline's units, done or not, filtered by the query."""
    board_filter = board_filter_or_error(web, request, viewer)
    if isinstance(board_filter, Response):
        return board_filter
    now = web.config.now()
    data = await web.read(views.board_page, board_filter, today=now.date(), tz=web.config.tz)
    return web.render("board.html", viewer=viewer, page="board", **data)


async def board_download(web: Web, request: Request, viewer: Viewer) -> Response:
    """The board's rows as CSV, the same bytes as the CLI's."""
    board_filter = board_filter_or_error(web, request, viewer)
    if isinstance(board_filter, Response):
        return board_filter
    now = web.config.now()
    rows = await web.read(board_rows, board_filter, today=now.date(), tz=web.config.tz)
    return csv_response(board_csv(rows), f"bang_theo_doi_{now:%Y%m%d}.csv")


async def chart_page(web: Web, request: Request, viewer: Viewer) -> Response:
    """The charts (of the viewer's unit, for a unit's account)."""
    now = web.config.now()
    data = await web.read(
        views.charts_page, today=now.date(), tz=web.config.tz, unit_id=viewer.unit_id
    )
    return web.render("charts.html", viewer=viewer, page="charts", **data)


async def deadline(web: Web, request: Request, viewer: Viewer) -> Response:
    """One deadline's occurrence in detail (a unit's account sees only its own)."""
    key = request.path_params["key"]
    now = web.config.now()

    def load(session: Session) -> dict[str, Any] | None:
        occ = views.find_occurrence(session, key)
        if occ is None or (viewer.unit_id is not None and not occ.concerns(viewer.unit_id)):
            return None
        return views.deadline_page(session, occ, today=now.date(), tz=web.config.tz)

    data = await web.read(load)
    if data is None:
        return web.message(
            "Không tìm thấy",
            "Không có hạn này (có thể văn bản đã được thay hoặc ngày hạn đã đổi).",
            404,
            viewer,
        )
    return web.render("deadline.html", viewer=viewer, page="board", **data)


def routes(web: Web) -> list[Route]:
    return [
        Route("/bang", page(web, board)),
        Route("/bang.csv", page(web, board_download)),
        Route("/bieudo", page(web, chart_page)),
        Route("/han/{key}", page(web, deadline)),
    ]
