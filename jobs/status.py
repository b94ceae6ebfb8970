"""The status board: for each occurrence near today, which units are done, pending or overdue."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Iterable, TextIO
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from jobs.done import active_marks
from knowledge.models import Unit
from knowledge.recurrence import (
    DeadlineOccurrence,
    join_titles,
    obligation_key,
    period_label,
    titled,
)
from knowledge.units import member_units

WINDOW_DAYS = 30


class TrackStatus(str, Enum):
    """The four statuses of Vietnamese task tracking."""

    DONE_ON_TIME = "hoàn thành đúng hạn"
    DONE_LATE = "hoàn thành quá hạn"
    OPEN = "chưa hoàn thành (trong hạn)"
    OVERDUE = "chưa hoàn thành (quá hạn)"


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
    # reports due the same day from one sentence are one row, with a status for each part
    obligations: dict[str, dict[str, list[BoardRow]]] = {}
    for row in rows:
        units = obligations.setdefault(obligation_key(row.occurrence), {})
        units.setdefault(row.unit_name, []).append(row)
    for units in obligations.values():
        parts = list({r.occurrence.key: r.occurrence for rs in units.values() for r in rs}.values())
        occ = parts[0]
        days = (occ.due - today).days
        when = f"còn {days} ngày" if days > 0 else ("hôm nay" if days == 0 else f"đã qua {-days} ngày")
        title = join_titles([titled(o) for o in parts]) if len(parts) > 1 else occ.title
        lines += ["", f"■ {occ.due:%d/%m/%Y} ({when}) — {title}", f"  Nguồn: {occ.document_title}"]
        for unit_name, unit_rows in units.items():
            lines.append(f"  • {unit_name}: {_unit_status(unit_rows)}")
    counts = {s: sum(1 for r in rows if r.status is s) for s in TrackStatus}
    lines.append("")
    lines.append("Tổng: " + "; ".join(f"{s.value}: {n}" for s, n in counts.items()))
    return "\n".join(lines)


def _detail(row: BoardRow) -> str:
    if row.marked_at is None:
        return ""
    return f" — {row.marked_at:%d/%m/%Y %H:%M}" + (f", {row.marked_by}" if row.marked_by else "")


def _unit_status(rows: list[BoardRow]) -> str:
    """One status when every part agrees, else each part's: "quý IV/2026: …; năm 2026: …"."""
    if len({r.status for r in rows}) == 1:
        return rows[0].status.value + _detail(rows[0])
    return "; ".join(f"{period_label(r.occurrence) or r.occurrence.title}: {r.status.value}"
                     f"{_detail(r)}" for r in rows)


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
