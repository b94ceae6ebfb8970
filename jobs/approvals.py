"""Approval requests: a person asks to be approved, admins get one message each (with Duyệt /
Từ chối buttons) through the outbox, and the person is told the decision the same way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from jobs.broadcast import UNREACHABLE_CHANNELS
from jobs.models import (
    ApprovalRequest,
    ChatAddress,
    OutboxStatus,
    Person,
    ReminderKind,
    ReminderLog,
    RequestStatus,
)

APPROVE_PREFIX = "dy"
REJECT_PREFIX = "tc"


def is_admin_id(channel: str, user_id: str, admin_ids: frozenset[str]) -> bool:
    """ADMIN_IDS holds Telegram user ids, other channels as "zalo:<id>" (as
    Conversation.is_admin)."""
    if not user_id:
        return False
    return (channel == "telegram" and user_id in admin_ids) or f"{channel}:{user_id}" in admin_ids


def admin_addresses(session: Session, admin_ids: frozenset[str]) -> list[ChatAddress]:
    """The admins' own private chats with the bot (never a group), active and reachable."""
    rows = session.exec(
        select(ChatAddress)
        .where(col(ChatAddress.is_group).is_(False), col(ChatAddress.active).is_(True))
        .order_by(col(ChatAddress.id))
    )
    return [
        a
        for a in rows
        if a.channel not in UNREACHABLE_CHANNELS and is_admin_id(a.channel, a.user_id, admin_ids)
    ]


def pending_request(session: Session, person: Person) -> ApprovalRequest | None:
    return session.exec(
        select(ApprovalRequest).where(
            ApprovalRequest.person_id == person.id,
            ApprovalRequest.unit_id == person.unit_id,
            ApprovalRequest.member_id == person.member_id
            if person.member_id is not None
            else col(ApprovalRequest.member_id).is_(None),
            ApprovalRequest.status == RequestStatus.PENDING,
        )
    ).first()


def _notice(
    address: ChatAddress,
    *,
    key: str,
    occurrence_key: str,
    text: str,
    now: datetime,
    unit_id: int | None,
    member_id: int | None,
    choices: list[list[str]] | None = None,
) -> ReminderLog:
    assert address.id is not None
    return ReminderLog(
        key=key,
        person_id=address.person_id,
        address_id=address.id,
        channel=address.channel,
        chat_id=address.chat_id,
        is_group=address.is_group,
        unit_id=unit_id,
        member_id=member_id,
        deadline_id=0,
        due=now.date(),
        occurrence_key=occurrence_key,
        kind=ReminderKind.NOTICE,
        offset_days=0,
        planned_for=now.astimezone(UTC),
        text=text,
        choices=choices,
        status=OutboxStatus.PENDING,
        created_at=now.astimezone(UTC),
        updated_at=now.astimezone(UTC),
    )


def request_approval(
    session: Session,
    *,
    person: Person,
    requested_by: str,
    text: str,
    admin_ids: frozenset[str],
    now: datetime,
) -> tuple[ApprovalRequest, int, bool]:
    """Open a request and queue one message per admin chat; (request, messages, newly opened).

    A request already open is not sent again: admins get one message per request.
    """
    assert person.id is not None and person.unit_id is not None
    existing = pending_request(session, person)
    if existing is not None:
        return existing, 0, False
    request = ApprovalRequest(
        person_id=person.id,
        unit_id=person.unit_id,
        member_id=person.member_id,
        requested_by=requested_by,
        requested_at=now.astimezone(UTC),
    )
    session.add(request)
    session.flush()
    choices = [
        ["Duyệt", f"{APPROVE_PREFIX}:{person.id}"],
        ["Từ chối", f"{REJECT_PREFIX}:{person.id}"],
    ]
    count = 0
    for address in admin_addresses(session, admin_ids):
        session.add(
            _notice(
                address,
                key=f"approval:{request.id}:{address.id}",
                occurrence_key=f"approval:{request.id}",
                text=text,
                now=now,
                unit_id=person.unit_id,
                member_id=person.member_id,
                choices=choices,
            )
        )
        count += 1
    session.flush()
    return request, count, True


def close_requests(
    session: Session, person: Person, *, approved: bool, by: str, now: datetime
) -> int:
    """Close the person's open requests with the decision; returns how many were open."""
    rows = session.exec(
        select(ApprovalRequest).where(
            ApprovalRequest.person_id == person.id, ApprovalRequest.status == RequestStatus.PENDING
        )
    ).all()
    for row in rows:
        row.status = RequestStatus.APPROVED if approved else RequestStatus.REJECTED
        row.decided_by, row.decided_at = by, now.astimezone(UTC)
        session.add(row)
    return len(rows)


def notify_person(session: Session, person: Person, *, text: str, key: str, now: datetime) -> int:
    """Queue one message to the person's own chat (primary first); 0 when none is reachable."""
    addresses = [
        a
        for a in session.exec(
            select(ChatAddress)
            .where(ChatAddress.person_id == person.id, col(ChatAddress.active).is_(True))
            .order_by(col(ChatAddress.id))
        )
        if a.channel not in UNREACHABLE_CHANNELS
    ]
    if not addresses:
        return 0
    address = next((a for a in addresses if a.is_primary), addresses[0])
    if session.exec(select(ReminderLog.id).where(ReminderLog.key == key)).first() is not None:
        return 0
    session.add(
        _notice(
            address,
            key=key,
            occurrence_key=key.rsplit(":", 1)[0],
            text=text,
            now=now,
            unit_id=person.unit_id,
            member_id=person.member_id,
        )
    )
    session.flush()
    return 1


APPROVED_TEXT = (
    "Bạn đã được Văn phòng Sở duyệt là thành viên của {label}. "
    "Từ nay bạn có thể đánh dấu hoàn thành bằng /xong."
)
REJECTED_TEXT = (
    "Yêu cầu duyệt thành viên của {label} chưa được chấp nhận. "
    "Vui lòng liên hệ Văn phòng Sở nếu cần."
)


@dataclass(frozen=True)
class Decision:
    changed: bool  # approved now, or an open request turned down
    notified: int  # messages queued to the person (0 or 1)


def decide(
    session: Session, person: Person, *, approved: bool, label: str, by: str, now: datetime
) -> Decision:
    """An admin's decision on a person's membership (chat /duyet, /tuchoi and the web board):
    record it, close the person's open requests and tell them once through the outbox."""
    from jobs.done import approve

    if approved:
        changed = approve(session, person, by=by, now=now)
        close_requests(session, person, approved=True, by=by, now=now)
    else:
        changed = close_requests(session, person, approved=False, by=by, now=now) > 0
    if not changed:
        return Decision(False, 0)
    text = (APPROVED_TEXT if approved else REJECTED_TEXT).format(label=label)
    notified = notify_person(
        session, person, key=f"decision:{person.id}:{now.timestamp():.0f}", now=now, text=text
    )
    return Decision(True, notified)
