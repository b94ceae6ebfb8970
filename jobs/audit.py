"""The audit trail: every reminder (to whom, when, for what), every done mark, undo and
approval."""

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


@dataclass(frozen=True)
class _Names:
    """What the audit shows for ids: unit, member and person names."""

    units: dict[int | None, str]
    members: dict[int | None, str]
    people: dict[int | None, str]

    @classmethod
    def load(cls, session: Session) -> _Names:
        return cls(
            units={u.id: u.name for u in session.exec(select(Unit))},
            members={m.id: m.name for m in session.exec(select(UnitMember))},
            people={p.id: p.display_name for p in session.exec(select(Person))},
        )

    def where(self, unit_id: int | None, member_id: int | None) -> str:
        """ "Phòng Tổ chức cán bộ", or "THPT Trần Phú (Các đơn vị giáo dục)" for a member."""
        unit = self.units.get(unit_id, "")
        if member_id is None or member_id not in self.members:
            return unit
        name = self.members[member_id]
        return f"{name} ({unit})" if unit else name

    def person(self, person_id: int) -> str:
        return self.people.get(person_id, f"#{person_id}")


def audit_events(session: Session, *, tz: ZoneInfo) -> list[AuditEvent]:
    """All events in time order. A done mark an admin recorded for a unit says "ghi nhận bởi …"."""
    names = _Names.load(session)
    events = [
        *_membership_events(session, tz, names),
        *_reminder_events(session, tz, names),
        *_done_events(session, tz, names),
        *_approval_events(session, tz, names),
        *_hold_events(session, tz, names),
    ]
    events.sort(key=lambda e: e.at)
    return events


def _membership_events(session: Session, tz: ZoneInfo, names: _Names) -> list[AuditEvent]:
    """Members added to collective units, approval requests and their decisions."""
    events = []
    for m in session.exec(select(UnitMember)):
        events.append(
            AuditEvent(
                m.created_at.astimezone(tz),
                "thêm thành viên đơn vị",
                names.where(m.unit_id, m.id),
                "",
                m.created_by,
                "" if m.approved else "chờ duyệt",
                "",
            )
        )
    for r in session.exec(select(ApprovalRequest)):
        where = names.where(r.unit_id, r.member_id)
        asker = f"{names.person(r.person_id)} (#{r.person_id})"
        at = r.requested_at.astimezone(tz)
        events.append(AuditEvent(at, "yêu cầu duyệt", where, "", r.requested_by, "", asker))
        if r.decided_at is not None and r.status in _REQUEST_LABEL:
            events.append(
                AuditEvent(
                    r.decided_at.astimezone(tz),
                    _REQUEST_LABEL[r.status],
                    where,
                    "",
                    r.decided_by,
                    "",
                    asker,
                )
            )
    return events


def _reminder_events(session: Session, tz: ZoneInfo, names: _Names) -> list[AuditEvent]:
    """Every outbox row: reminders, overdue notices, broadcasts and notices, with their status."""
    events = []
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
                names.where(r.unit_id, r.member_id),
                r.occurrence_key,
                f"{r.channel}:{r.chat_id} ({names.people.get(r.person_id, '')})",
                _STATUS_LABEL.get(r.status.value, r.status.value),
                detail,
            )
        )
    return events


def _done_events(session: Session, tz: ZoneInfo, names: _Names) -> list[AuditEvent]:
    """Done marks and their undoing; "cả đơn vị" when an admin marked for a whole unit."""
    events = []
    for m in session.exec(select(DoneMark)):
        where = names.where(m.unit_id, m.member_id)
        whole_unit = m.member_id is None and names.units.get(m.unit_id) and m.on_behalf
        scope = "cả đơn vị" if whole_unit else ""
        at = m.marked_at.astimezone(tz)
        key = m.occurrence_key
        events.append(AuditEvent(at, "đánh dấu hoàn thành", where, key, m.marked_by, "", scope))
        if m.undone_at is not None:
            at = m.undone_at.astimezone(tz)
            events.append(AuditEvent(at, "hoàn tác đánh dấu", where, key, m.undone_by, "", scope))
    return events


def _approval_events(session: Session, tz: ZoneInfo, names: _Names) -> list[AuditEvent]:
    """Members approved by an admin."""
    return [
        AuditEvent(
            a.approved_at.astimezone(tz),
            "duyệt thành viên",
            names.where(a.unit_id, a.member_id),
            "",
            a.approved_by,
            "",
            names.person(a.person_id),
        )
        for a in session.exec(select(MemberApproval))
    ]


def _hold_events(session: Session, tz: ZoneInfo, names: _Names) -> list[AuditEvent]:
    """Snoozes and mutes of one occurrence by one person, and their clearing."""
    events = []
    for h in session.exec(select(ReminderHold)):
        what = "không nhắc hạn này nữa" if h.until is None else f"hoãn nhắc đến {h.until:%d/%m/%Y}"
        who = names.person(h.person_id)
        key = h.occurrence_key
        events.append(
            AuditEvent(h.created_at.astimezone(tz), what, "", key, h.created_by, "", who)
        )
        if h.cleared_at is not None:
            at = h.cleared_at.astimezone(tz)
            events.append(AuditEvent(at, "nhắc lại như cũ", "", key, h.cleared_by, "", who))
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
