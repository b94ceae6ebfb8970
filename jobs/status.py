"""The status board: for each occurrence near today, which units are done, pending or overdue."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Iterable, TextIO
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from jobs.audience import expanded
from jobs.csvfile import csv_bytes
from jobs.done import active_marks
from knowledge.models import Unit
from knowledge.deadlines import load_occurrences
from knowledge.recurrence import DeadlineOccurrence
from knowledge.units import member_units

WINDOW_DAYS = 30


class TrackStatus(str, Enum):
    """The four statuses of Vietnamese task tracking."""

    DONE_ON_TIME = "hoàn thành đúng hạn"
    DONE_LATE = "hoàn thành quá hạn"
    OPEN = "chưa hoàn thành (trong hạn)"
    OVERDUE = "chưa hoàn thành (quá hạn)"


@dataclass(frozen=True)
class BoardFilter:
    """Which part of the board: a period (default ±WINDOW_DAYS around today), a document, a unit.
    The CLI (`status --from --to --document --unit`), the chat and the web board share it."""

    start: date | None = None
    end: date | None = None
    document_id: int | None = None
    unit_id: int | None = None

    def period(self, today: date) -> tuple[date, date]:
        return (self.start or today - timedelta(days=WINDOW_DAYS),
                self.end or today + timedelta(days=WINDOW_DAYS))


def board_rows(session: Session, board_filter: BoardFilter, *, today: date, tz: ZoneInfo) -> list[BoardRow]:
    """The board for a filter: the one query behind the CLI, the chat and the web board."""
    start, end = board_filter.period(today)
    occurrences = expanded(session, load_occurrences(session, start, end))
    if board_filter.document_id is not None:
        occurrences = [o for o in occurrences if o.document_id == board_filter.document_id]
    if board_filter.unit_id is not None:
        occurrences = [o for o in occurrences if o.concerns(board_filter.unit_id)]
    rows = build_board(session, occurrences, today=today, tz=tz)
    if board_filter.unit_id is not None:
        rows = [r for r in rows if r.unit_id == board_filter.unit_id]
    return rows


def board_csv(rows: list[BoardRow]) -> bytes:
    """The board as the bytes of a CSV file (one encoding for the CLI file, chat and web)."""
    return csv_bytes(lambda out: write_board_csv(rows, out))


@dataclass(frozen=True)
class BoardRow:
    occurrence: DeadlineOccurrence
    unit_id: int
    unit_name: str
    status: TrackStatus
    marked_at: datetime | None = None  # local time
    marked_by: str = ""


def build_board(session: Session, occurrences: Iterable[DeadlineOccurrence], *, today: date,
                tz: ZoneInfo) -> list[BoardRow]:
    """One row per (occurrence, unit it concerns); "all units" means every unit a member can
    belong to (departments and member collectives, not the umbrella of departments)."""
    occurrences = sorted(occurrences, key=lambda o: (o.due, o.deadline_id))
    units = list(session.exec(select(Unit).order_by(Unit.name)))
    names = {u.id: u.name for u in units}
    everyone = [u.id for u in member_units(units)]
    marks = active_marks(session, [o.key for o in occurrences])
    rows = []
    for occ in occurrences:
        unit_ids = everyone if occ.all_units else sorted(occ.unit_ids, key=lambda i: names.get(i, ""))
        for unit_id in unit_ids:
            mark = marks.get((unit_id, occ.key))
            if mark is not None:
                marked_at = mark.marked_at.astimezone(tz)
                status = TrackStatus.DONE_ON_TIME if marked_at.date() <= occ.due else TrackStatus.DONE_LATE
                rows.append(BoardRow(occ, unit_id, names.get(unit_id, "?"), status, marked_at, mark.marked_by))
            else:
                status = TrackStatus.OPEN if today <= occ.due else TrackStatus.OVERDUE
                rows.append(BoardRow(occ, unit_id, names.get(unit_id, "?"), status))
    return rows


def board_text(rows: list[BoardRow], *, today: date) -> str:
    """The board as Vietnamese text, grouped by occurrence."""
    if not rows:
        return f"Không có hạn nào trong khoảng {WINDOW_DAYS} ngày trước và sau {today:%d/%m/%Y}."
    lines = [f"BẢNG THEO DÕI HẠN (±{WINDOW_DAYS} ngày quanh {today:%d/%m/%Y})"]
    current = None
    for row in rows:
        if row.occurrence.key != current:
            current = row.occurrence.key
            occ = row.occurrence
            days = (occ.due - today).days
            when = f"còn {days} ngày" if days > 0 else ("hôm nay" if days == 0 else f"đã qua {-days} ngày")
            lines.append("")
            lines.append(f"■ {occ.due:%d/%m/%Y} ({when}) — {occ.title}")
            lines.append(f"  Nguồn: {occ.document_title}")
        detail = ""
        if row.marked_at is not None:
            detail = f" — {row.marked_at:%d/%m/%Y %H:%M}" + (f", {row.marked_by}" if row.marked_by else "")
        lines.append(f"  • {row.unit_name}: {row.status.value}{detail}")
    counts = {s: sum(1 for r in rows if r.status is s) for s in TrackStatus}
    lines.append("")
    lines.append("Tổng: " + "; ".join(f"{s.value}: {n}" for s, n in counts.items()))
    return "\n".join(lines)


def write_board_csv(rows: list[BoardRow], out: TextIO) -> None:
    writer = csv.writer(out)
    writer.writerow(["han", "ma_han", "noi_dung", "van_ban", "don_vi", "trang_thai",
                     "danh_dau_luc", "nguoi_danh_dau"])
    for row in rows:
        occ = row.occurrence
        writer.writerow([
            occ.due.strftime("%d/%m/%Y"), occ.key, occ.title, occ.document_title, row.unit_name,
            row.status.value, row.marked_at.strftime("%d/%m/%Y %H:%M") if row.marked_at else "",
            row.marked_by,
        ])
