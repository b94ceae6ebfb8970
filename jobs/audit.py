"""The audit trail: every reminder (to whom, when, for what), every done mark, undo and approval."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TextIO
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from jobs.csvfile import csv_writer
from jobs.models import (
    ApprovalRequest,
    DoneMark,
    MemberApproval,
    Person,
    ReminderHold,
    ReminderKind,
    ReminderLog,
    RequestStatus,
)
from knowledge.models import Unit, UnitMember

_KIND_LABEL = {
    ReminderKind.BEFORE: "nhắc hạn",
    ReminderKind.OVERDUE: "thông báo quá hạn",
    ReminderKind.BROADCAST: "tin quản trị gửi",
    ReminderKind.NOTICE: "tin về yêu cầu duyệt",
}
_REQUEST_LABEL = {
    RequestStatus.APPROVED: "duyệt yêu cầu",
    RequestStatus.REJECTED: "từ chối yêu cầu duyệt",
}
_STATUS_LABEL = {
    "pending": "chờ gửi",
    "sending": "đang gửi",
    "sent": "đã gửi",
    "failed": "lỗi",
    "cancelled": "huỷ",
}


@dataclass(frozen=True)
class AuditEvent:
    at: datetime  # local time
    event: str
    unit: str
    occurrence_key: str
    who: str  # recipient chat or the person who acted
    status: str
    detail: str


def _where(
    units: dict[int | None, str],
    members: dict[int | None, str],
    unit_id: int | None,
    member_id: int | None,
) -> str:
    """ "Phòng Tổ chức cán bộ", or "THPT Trần Phú (Các đơn vị giáo dục)" for a member."""
    unit = units.get(unit_id, "")
    if member_id is None or member_id not in members:
        return unit
    return f"{members[member_id]} ({unit})" if unit else members[member_id]


def _membership_events(
    session: Session,
    tz: ZoneInfo,
    units: dict[int | None, str],
    members: dict[int | None, str],
    people: dict[int | None, str],
) -> list[AuditEvent]:
    """Members added to collective units, approval requests and their decisions."""
    events = []
    for m in session.exec(select(UnitMember)):
        events.append(
            AuditEvent(
                m.created_at.astimezone(tz),
                "thêm thành viên đơn vị",
                _where(units, members, m.unit_id, m.id),
                "",
                m.created_by,
                "" if m.approved else "chờ duyệt",
                "",
            )
        )
    for r in session.exec(select(ApprovalRequest)):
        where = _where(units, members, r.unit_id, r.member_id)
        who = people.get(r.person_id, f"#{r.person_id}")
        events.append(
            AuditEvent(
                r.requested_at.astimezone(tz),
                "yêu cầu duyệt",
                where,
                "",
                r.requested_by,
                "",
                f"{who} (#{r.person_id})",
            )
        )
        if r.decided_at is not None and r.status in _REQUEST_LABEL:
            events.append(
                AuditEvent(
                    r.decided_at.astimezone(tz),
                    _REQUEST_LABEL[r.status],
                    where,
                    "",
                    r.decided_by,
                    "",
                    f"{who} (#{r.person_id})",
                )
            )
    return events


def audit_events(session: Session, *, tz: ZoneInfo) -> list[AuditEvent]:
    """All events in time order. A done mark an admin recorded for a unit says "ghi nhận bởi …"."""
    units: dict[int | None, str] = {u.id: u.name for u in session.exec(select(Unit))}
    members: dict[int | None, str] = {m.id: m.name for m in session.exec(select(UnitMember))}
    people: dict[int | None, str] = {p.id: p.display_name for p in session.exec(select(Person))}
    events = _membership_events(session, tz, units, members, people)
    for r in session.exec(select(ReminderLog)):
        at = (r.sent_at or r.updated_at or r.created_at).astimezone(tz)
        label = _KIND_LABEL.get(r.kind, r.kind.value)
        detail = (
            f"lần nhắc {r.offset_days} ngày trước hạn" if r.kind is ReminderKind.BEFORE else ""
        )
        if r.last_error:
            detail = (detail + "; " if detail else "") + r.last_error
        events.append(
            AuditEvent(
                at,
                label,
                _where(units, members, r.unit_id, r.member_id),
                r.occurrence_key,
                f"{r.channel}:{r.chat_id} ({people.get(r.person_id, '')})",
                _STATUS_LABEL.get(r.status.value, r.status.value),
                detail,
            )
        )
    for m in session.exec(select(DoneMark)):
        where = _where(units, members, m.unit_id, m.member_id)
        scope = "cả đơn vị" if m.member_id is None and units.get(m.unit_id) and m.on_behalf else ""
        events.append(
            AuditEvent(
                m.marked_at.astimezone(tz),
                "đánh dấu hoàn thành",
                where,
                m.occurrence_key,
                m.marked_by,
                "",
                scope,
            )
        )
        if m.undone_at is not None:
            events.append(
                AuditEvent(
                    m.undone_at.astimezone(tz),
                    "hoàn tác đánh dấu",
                    where,
                    m.occurrence_key,
                    m.undone_by,
                    "",
                    scope,
                )
            )
    for a in session.exec(select(MemberApproval)):
        events.append(
            AuditEvent(
                a.approved_at.astimezone(tz),
                "duyệt thành viên",
                _where(units, members, a.unit_id, a.member_id),
                "",
                a.approved_by,
                "",
                people.get(a.person_id, f"#{a.person_id}"),
            )
        )
    for h in session.exec(select(ReminderHold)):
        what = "không nhắc hạn này nữa" if h.until is None else f"hoãn nhắc đến {h.until:%d/%m/%Y}"
        events.append(
            AuditEvent(
                h.created_at.astimezone(tz),
                what,
                "",
                h.occurrence_key,
                h.created_by,
                "",
                people.get(h.person_id, f"#{h.person_id}"),
            )
        )
        if h.cleared_at is not None:
            events.append(
                AuditEvent(
                    h.cleared_at.astimezone(tz),
                    "nhắc lại như cũ",
                    "",
                    h.occurrence_key,
                    h.cleared_by,
                    "",
                    people.get(h.person_id, f"#{h.person_id}"),
                )
            )
    events.sort(key=lambda e: e.at)
    return events


def write_audit_csv(events: list[AuditEvent], out: TextIO) -> None:
    writer = csv_writer(out)
    writer.writerow(
        [
            "thoi_gian",
            "su_kien",
            "don_vi",
            "ma_han",
            "nguoi_nhan_hoac_thuc_hien",
            "trang_thai",
            "chi_tiet",
        ]
    )
    for e in events:
        writer.writerow(
            [
                e.at.strftime("%Y-%m-%d %H:%M:%S"),
                e.event,
                e.unit,
                e.occurrence_key,
                e.who,
                e.status,
                e.detail,
            ]
        )
