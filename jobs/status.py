"""The status board: for each occurrence near today, which units are done, pending or overdue."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from typing import TextIO
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from jobs.audience import expanded
from jobs.csvfile import csv_bytes, csv_writer
from jobs.done import active_marks, active_member_marks
from jobs.models import DoneMark
from knowledge.deadlines import load_occurrences
from knowledge.models import Unit, UnitMember
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
class BoardFilter:
    """Which part of the board: a period (default ±WINDOW_DAYS around today), a document, a unit.
    The CLI (`status --from --to --document --unit`), the chat and the web board share it."""

    start: date | None = None
    end: date | None = None
    document_id: int | None = None
    unit_id: int | None = None

    def period(self, today: date) -> tuple[date, date]:
        return (
            self.start or today - timedelta(days=WINDOW_DAYS),
            self.end or today + timedelta(days=WINDOW_DAYS),
        )


def board_rows(
    session: Session, board_filter: BoardFilter, *, today: date, tz: ZoneInfo
) -> list[BoardRow]:
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
    """One unit's status for one occurrence, or (member_id set) one member's of a collective.

    A collective unit with listed members gets its own row (members_total, members_missing:
    "12/40 đã xong", who is missing) followed by one row per member.
    """

    occurrence: DeadlineOccurrence
    unit_id: int
    unit_name: str
    status: TrackStatus
    marked_at: datetime | None = None  # local time
    marked_by: str = ""
    member_id: int | None = None
    members_total: int = 0
    members_missing: tuple[str, ...] = ()

    @property
    def members_done(self) -> int:
        return self.members_total - len(self.members_missing)

    @property
    def is_member_row(self) -> bool:
        return self.member_id is not None


def _status(
    mark: DoneMark | None, occ: DeadlineOccurrence, today: date, tz: ZoneInfo
) -> tuple[TrackStatus, datetime | None, str]:
    if mark is None:
        return (TrackStatus.OPEN if today <= occ.due else TrackStatus.OVERDUE), None, ""
    marked_at = mark.marked_at.astimezone(tz)
    status = TrackStatus.DONE_ON_TIME if marked_at.date() <= occ.due else TrackStatus.DONE_LATE
    return status, marked_at, mark.marked_by


def _collective_rows(
    occ: DeadlineOccurrence,
    unit_id: int,
    name: str,
    members: list[UnitMember],
    own: dict[tuple[int, str, int], DoneMark],
    today: date,
    tz: ZoneInfo,
) -> list[BoardRow]:
    """The collective's summary row and its members' rows (none of them marked as a whole)."""
    member_rows = []
    for m in members:
        status, at, by = _status(own.get((unit_id, occ.key, m.id or 0)), occ, today, tz)
        member_rows.append(
            BoardRow(occ, unit_id, f"{m.name} ({name})", status, at, by, member_id=m.id)
        )
    missing = tuple(
        m.name for m, r in zip(members, member_rows, strict=False) if r.marked_at is None
    )
    if missing:
        status = TrackStatus.OPEN if today <= occ.due else TrackStatus.OVERDUE
        summary = BoardRow(
            occ, unit_id, name, status, members_total=len(members), members_missing=missing
        )
    else:
        last = max(member_rows, key=lambda r: r.marked_at or datetime.min.replace(tzinfo=tz))
        status = (
            TrackStatus.DONE_ON_TIME
            if all(r.status is TrackStatus.DONE_ON_TIME for r in member_rows)
            else TrackStatus.DONE_LATE
        )
        summary = BoardRow(
            occ, unit_id, name, status, last.marked_at, "", members_total=len(members)
        )
    return [summary, *member_rows]


def build_board(
    session: Session, occurrences: Iterable[DeadlineOccurrence], *, today: date, tz: ZoneInfo
) -> list[BoardRow]:
    """One row per (occurrence, unit it concerns); "all units" means every unit a member can
    belong to (departments and member collectives, not the umbrella of departments). A
    collective with listed members is tracked per member (see BoardRow)."""
    occurrences = sorted(occurrences, key=lambda o: (o.due, o.deadline_id))
    units = list(session.exec(select(Unit).order_by(col(Unit.name))))
    names = {u.id: u.name for u in units if u.id is not None}
    everyone = [u.id for u in member_units(units) if u.id is not None]
    keys = [o.key for o in occurrences]
    marks = active_marks(session, keys)
    own = active_member_marks(session, keys)
    listed: dict[int, list[UnitMember]] = {}
    for member in session.exec(select(UnitMember).where(col(UnitMember.approved).is_(True))):
        listed.setdefault(member.unit_id, []).append(member)
    for members in listed.values():
        members.sort(key=lambda m: m.name_key)
    rows: list[BoardRow] = []
    for occ in occurrences:
        unit_ids = (
            everyone if occ.all_units else sorted(occ.unit_ids, key=lambda i: names.get(i, ""))
        )
        for unit_id in unit_ids:
            name = names.get(unit_id, "?")
            whole = marks.get((unit_id, occ.key))
            if whole is None and listed.get(unit_id):
                rows.extend(_collective_rows(occ, unit_id, name, listed[unit_id], own, today, tz))
                continue
            status, at, by = _status(whole, occ, today, tz)
            total = len(listed.get(unit_id, []))
            rows.append(BoardRow(occ, unit_id, name, status, at, by, members_total=total))
    return rows


def _members_line(row: BoardRow, limit: int = 15) -> str:
    line = f" — {row.members_done}/{row.members_total} đã xong"
    if row.members_missing:
        shown = ", ".join(row.members_missing[:limit])
        more = (
            f" và {len(row.members_missing) - limit} đơn vị khác"
            if len(row.members_missing) > limit
            else ""
        )
        line += f"; còn thiếu: {shown}{more}"
    return line


def board_text(rows: list[BoardRow], *, today: date) -> str:
    """The board as Vietnamese text, grouped by occurrence."""
    if not rows:
        return f"Không có hạn nào trong khoảng {WINDOW_DAYS} ngày trước và sau {today:%d/%m/%Y}."
    lines = [f"BẢNG THEO DÕI HẠN (±{WINDOW_DAYS} ngày quanh {today:%d/%m/%Y})"]
    # reports due the same day from one sentence are one row, with a status for each part
    obligations: dict[str, dict[str, list[BoardRow]]] = {}
    for row in rows:
        if row.is_member_row:
            continue  # a collective's line names who is missing
        units = obligations.setdefault(obligation_key(row.occurrence), {})
        units.setdefault(row.unit_name, []).append(row)
    for units in obligations.values():
        parts = list(
            {r.occurrence.key: r.occurrence for rs in units.values() for r in rs}.values()
        )
        occ = parts[0]
        days = (occ.due - today).days
        when = (
            f"còn {days} ngày"
            if days > 0
            else ("hôm nay" if days == 0 else f"đã qua {-days} ngày")
        )
        title = join_titles([titled(o) for o in parts]) if len(parts) > 1 else occ.title
        lines += ["", f"■ {occ.due:%d/%m/%Y} ({when}) — {title}", f"  Nguồn: {occ.document_title}"]
        for unit_name, unit_rows in units.items():
            lines.append(f"  • {unit_name}: {_unit_status(unit_rows)}")
    counts = {
        s: sum(1 for r in rows if r.status is s and not r.is_member_row) for s in TrackStatus
    }
    lines.append("")
    lines.append("Tổng: " + "; ".join(f"{s.value}: {n}" for s, n in counts.items()))
    return "\n".join(lines)


def _detail(row: BoardRow) -> str:
    """When and by whom it was marked, and for a collective who is still missing."""
    detail = ""
    if row.marked_at is not None:
        detail = f" — {row.marked_at:%d/%m/%Y %H:%M}" + (
            f", {row.marked_by}" if row.marked_by else ""
        )
    if row.members_total:
        detail += " — ghi nhận cho cả đơn vị" if row.marked_by else _members_line(row)
    return detail


def _unit_status(rows: list[BoardRow]) -> str:
    """One status when every part agrees, else each part's: "quý IV/2026: …; năm 2026: …".
    (A collective's parts agree only when the same members are missing from each.)"""
    if len({(r.status, r.members_missing, r.marked_by) for r in rows}) == 1:
        return rows[0].status.value + _detail(rows[0])
    return "; ".join(
        f"{period_label(r.occurrence) or r.occurrence.title}: {r.status.value}{_detail(r)}"
        for r in rows
    )


def write_board_csv(rows: list[BoardRow], out: TextIO) -> None:
    writer = csv_writer(out)
    writer.writerow(
        [
            "han",
            "ma_han",
            "noi_dung",
            "van_ban",
            "don_vi",
            "trang_thai",
            "danh_dau_luc",
            "nguoi_danh_dau",
            "thanh_vien_da_xong",
            "con_thieu",
        ]
    )
    for row in rows:
        occ = row.occurrence
        writer.writerow(
            [
                occ.due.strftime("%d/%m/%Y"),
                occ.key,
                occ.title,
                occ.document_title,
                row.unit_name,
                row.status.value,
                row.marked_at.strftime("%d/%m/%Y %H:%M") if row.marked_at else "",
                row.marked_by,
                f"{row.members_done}/{row.members_total}"
                if row.members_total and not row.is_member_row
                else "",
                "; ".join(row.members_missing),
            ]
        )
