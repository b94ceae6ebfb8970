"""The audit trail: every reminder (to whom, when, for what), every done mark, undo and approval."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from typing import TextIO
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from jobs.models import DoneMark, MemberApproval, Person, ReminderKind, ReminderLog
from knowledge.models import Unit

_KIND_LABEL = {ReminderKind.BEFORE: "nhắc hạn", ReminderKind.OVERDUE: "thông báo quá hạn",
               ReminderKind.BROADCAST: "tin quản trị gửi"}
_STATUS_LABEL = {"pending": "chờ gửi", "sending": "đang gửi", "sent": "đã gửi", "failed": "lỗi",
                 "cancelled": "huỷ"}


@dataclass(frozen=True)
class AuditEvent:
    at: datetime  # local time
    event: str
    unit: str
    occurrence_key: str
    who: str  # recipient chat or the person who acted
    status: str
    detail: str


def audit_events(session: Session, *, tz: ZoneInfo) -> list[AuditEvent]:
    """All events in time order."""
    units = {u.id: u.name for u in session.exec(select(Unit))}
    people = {p.id: p.display_name for p in session.exec(select(Person))}
    events = []
    for r in session.exec(select(ReminderLog)):
        at = (r.sent_at or r.updated_at or r.created_at).astimezone(tz)
        label = _KIND_LABEL.get(r.kind, r.kind.value)
        detail = f"lần nhắc {r.offset_days} ngày trước hạn" if r.kind is ReminderKind.BEFORE else ""
        if r.last_error:
            detail = (detail + "; " if detail else "") + r.last_error
        events.append(AuditEvent(at, label, units.get(r.unit_id, ""), r.occurrence_key,
                                 f"{r.channel}:{r.chat_id} ({people.get(r.person_id, '')})",
                                 _STATUS_LABEL.get(r.status.value, r.status.value), detail))
    for m in session.exec(select(DoneMark)):
        events.append(AuditEvent(m.marked_at.astimezone(tz), "đánh dấu hoàn thành",
                                 units.get(m.unit_id, ""), m.occurrence_key, m.marked_by, "", ""))
        if m.undone_at is not None:
            events.append(AuditEvent(m.undone_at.astimezone(tz), "hoàn tác đánh dấu",
                                     units.get(m.unit_id, ""), m.occurrence_key, m.undone_by, "", ""))
    for a in session.exec(select(MemberApproval)):
        events.append(AuditEvent(a.approved_at.astimezone(tz), "duyệt thành viên",
                                 units.get(a.unit_id, ""), "", a.approved_by, "",
                                 people.get(a.person_id, f"#{a.person_id}")))
    events.sort(key=lambda e: e.at)
    return events


def write_audit_csv(events: list[AuditEvent], out: TextIO) -> None:
    writer = csv.writer(out)
    writer.writerow(["thoi_gian", "su_kien", "don_vi", "ma_han", "nguoi_nhan_hoac_thuc_hien",
                     "trang_thai", "chi_tiet"])
    for e in events:
        writer.writerow([e.at.strftime("%Y-%m-%d %H:%M:%S"), e.event, e.unit, e.occurrence_key,
                         e.who, e.status, e.detail])
