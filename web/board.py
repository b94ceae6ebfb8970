"""The board page's data: jobs.status rows pivoted into units × deadlines, and the filter form."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Mapping
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from jobs.status import WINDOW_DAYS, BoardFilter, BoardRow, TrackStatus, board_rows
from knowledge.models import Document, Unit
from knowledge.units import member_units

STATUS_CLASS = {
    TrackStatus.DONE_ON_TIME: "st-ontime",
    TrackStatus.DONE_LATE: "st-late",
    TrackStatus.OPEN: "st-open",
    TrackStatus.OVERDUE: "st-overdue",
}
STATUS_SHORT = {
    TrackStatus.DONE_ON_TIME: "Xong đúng hạn",
    TrackStatus.DONE_LATE: "Xong quá hạn",
    TrackStatus.OPEN: "Chưa xong, còn hạn",
    TrackStatus.OVERDUE: "Quá hạn chưa xong",
}


class FilterError(ValueError):
    """A filter value the page cannot use; the message is Vietnamese."""


@dataclass(frozen=True)
class Cell:
    status: TrackStatus
    day: date  # the done date when done, else the due date
    who: str = ""
    members: str = ""  # a collective tracked per member: "12/40 xong"

    @property
    def css(self) -> str:
        return STATUS_CLASS[self.status]

    @property
    def label(self) -> str:
        return STATUS_SHORT[self.status]


@dataclass(frozen=True)
class Column:
    key: str
    due: date
    title: str
    document_title: str


@dataclass
class Pivot:
    columns: list[Column] = field(default_factory=list)
    row_labels: list[str] = field(default_factory=list)
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)  # (row label, key)
    counts: dict[TrackStatus, int] = field(default_factory=dict)

    def cell(self, label: str, key: str) -> Cell | None:
        return self.cells.get((label, key))

    def rows_of(self, key: str) -> list[tuple[str, Cell]]:
        return [(label, self.cells[(label, key)]) for label in self.row_labels
                if (label, key) in self.cells]


def _is_member(row: BoardRow) -> bool:
    """A member of a collective (a school of "Các đơn vị giáo dục"), tracked on its own row."""
    return getattr(row, "member_id", None) is not None


def _members_note(row: BoardRow) -> str:
    total = getattr(row, "members_total", 0) or 0
    missing = len(getattr(row, "members_missing", ()) or ())
    return f"{total - missing}/{total} xong" if total else ""


def pivot(rows: list[BoardRow]) -> Pivot:
    """Units as rows (each collective's members right under it), deadlines as columns."""
    result = Pivot()
    seen_columns: dict[str, Column] = {}
    unit_names = {r.unit_id: r.unit_name for r in rows if not _is_member(r)}
    order: dict[str, tuple[str, bool, str]] = {}
    for row in rows:
        occ = row.occurrence
        seen_columns.setdefault(occ.key, Column(occ.key, occ.due, occ.title, occ.document_title))
        label = row.unit_name
        order[label] = (unit_names.get(row.unit_id, label), _is_member(row), label)
        day = row.marked_at.date() if row.marked_at is not None else occ.due
        result.cells[(label, occ.key)] = Cell(row.status, day, row.marked_by, _members_note(row))
    result.columns = sorted(seen_columns.values(), key=lambda c: (c.due, c.key))
    result.row_labels = sorted(order, key=lambda label: order[label])
    result.counts = {s: sum(1 for r in rows if r.status is s) for s in TrackStatus}
    return result


def parse_filter(params: Mapping[str, str], *, forced_unit: int | None = None) -> BoardFilter:
    """The board filter from the query string (from, to, document, unit), checked."""
    def day(name: str) -> date | None:
        raw = (params.get(name) or "").strip()
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError as exc:
            raise FilterError(f"Ngày không hợp lệ: {raw[:20]!r} (dạng YYYY-MM-DD).") from exc

    def number(name: str) -> int | None:
        raw = (params.get(name) or "").strip()
        if not raw:
            return None
        if not raw.isdigit():
            raise FilterError(f"Giá trị lọc không hợp lệ: {raw[:20]!r}.")
        return int(raw)

    start, end = day("from"), day("to")
    if start and end and start > end:
        raise FilterError("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.")
    if start and end and (end - start).days > 3 * 366:
        raise FilterError("Khoảng thời gian tối đa là 3 năm.")
    unit_id = forced_unit if forced_unit is not None else number("unit")
    return BoardFilter(start=start, end=end, document_id=number("document"), unit_id=unit_id)


def filter_query(board_filter: BoardFilter) -> str:
    """The filter as a query string, for the CSV link (same filter, same bytes)."""
    parts = []
    if board_filter.start:
        parts.append(f"from={board_filter.start.isoformat()}")
    if board_filter.end:
        parts.append(f"to={board_filter.end.isoformat()}")
    if board_filter.document_id is not None:
        parts.append(f"document={board_filter.document_id}")
    if board_filter.unit_id is not None:
        parts.append(f"unit={board_filter.unit_id}")
    return "&".join(parts)


def presets(today: date) -> list[tuple[str, str]]:
    """Quick periods: (label, query string)."""
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    quarter_end = (date(quarter_start.year + (quarter_start.month + 3 > 12),
                        (quarter_start.month + 2) % 12 + 1, 1) - timedelta(days=1))
    return [
        (f"±{WINDOW_DAYS} ngày", ""),
        ("Quý này", f"from={quarter_start.isoformat()}&to={quarter_end.isoformat()}"),
        ("Năm nay", f"from={today.year}-01-01&to={today.year}-12-31"),
    ]


def filter_choices(session: Session) -> tuple[list[Document], list[Unit]]:
    documents = list(session.exec(select(Document).order_by(Document.id)))
    units = member_units(session.exec(select(Unit).order_by(Unit.name)).all())
    return documents, units


def load_board(session: Session, board_filter: BoardFilter, *, today: date, tz: ZoneInfo) -> list[BoardRow]:
    return board_rows(session, board_filter, today=today, tz=tz)
