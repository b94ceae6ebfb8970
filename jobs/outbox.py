"""The reminder outbox in the database: enqueue by idempotency key, claim, and record outcomes."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, or_, update
from sqlalchemy import select as sa_select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from jobs import combine
from jobs.models import ChatAddress, DoneMark, OutboxStatus, ReminderKind, ReminderLog
from jobs.planner import PlannedReminder
from jobs.reminder_buttons import reminder_choices

logger = logging.getLogger(__name__)

# Rows that go out one per message, never combined: admin broadcasts and notices with buttons.
SINGLE_KINDS = frozenset({ReminderKind.BROADCAST, ReminderKind.NOTICE})


@dataclass(frozen=True)
class OutboxItem:
    """A claimed message, detached from the session: what the delivery loop needs to send it.

    It carries one or more outbox rows of one chat (`ids`); `id`/`key` are the first row's.
    """

    id: int
    key: str
    address_id: int
    channel: str
    chat_id: str
    is_group: bool
    text: str
    attempts: int
    ids: tuple[int, ...] = ()  # every row this one message carries (a combined message)
    choices: tuple[tuple[str, str], ...] = ()  # buttons (label, payload) of a single-row message


def enqueue(session: Session, planned: Sequence[PlannedReminder], *, now: datetime) -> int:
    """Insert planned reminders; a key already present is ignored (the unique constraint)."""
    if not planned:
        return 0
    rows = [
        {
            "key": p.key,
            "person_id": p.person_id,
            "address_id": p.address.id,
            "channel": p.address.channel,
            "chat_id": p.address.chat_id,
            "is_group": p.address.is_group,
            "unit_id": p.unit_id,
            "member_id": p.member_id,
            "deadline_id": p.occurrence.deadline_id,
            "due": p.occurrence.due,
            "occurrence_key": p.occurrence.key,
            "kind": p.kind.name,
            "offset_days": p.offset_days,
            "planned_for": p.planned_for,
            "text": p.text,
            "status": OutboxStatus.PENDING.name,
            "attempts": 0,
            "last_error": "",
            "created_at": now,
            "updated_at": now,
        }
        for p in planned
    ]
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = (
        insert(ReminderLog)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(col(ReminderLog.id))
    )
    # One statement for many rows (batched "insertmanyvalues"): compiled once, fast on large
    # ticks. RETURNING counts the rows really inserted on every backend (executemany's rowcount
    # is not reliable on PostgreSQL's driver).
    return len(session.connection().execute(stmt, rows).all())


def existing_keys(session: Session, occurrence_keys: Iterable[str]) -> set[str]:
    """Every idempotency key already in the log for these occurrences, whatever its status."""
    keys: set[str] = set()
    occ = list(set(occurrence_keys))
    for start in range(0, len(occ), 500):
        chunk = occ[start : start + 500]
        keys.update(
            session.exec(select(ReminderLog.key).where(col(ReminderLog.occurrence_key).in_(chunk)))
        )
    return keys


def recover_in_flight(session: Session, *, now: datetime) -> int:
    """Rows left "sending" by a crashed process go back to pending: at most those are re-sent.

    Returns how many messages were in flight (the rows of one combined message count once).
    """
    in_flight = session.exec(
        select(col(ReminderLog.id), ReminderLog.address_id, ReminderLog.kind).where(
            ReminderLog.status == OutboxStatus.SENDING
        )
    ).all()
    messages = {
        (address_id, row_id if kind in SINGLE_KINDS else 0)
        for row_id, address_id, kind in in_flight
    }
    result = session.exec(
        update(ReminderLog)
        .where(col(ReminderLog.status) == OutboxStatus.SENDING)
        .values(status=OutboxStatus.PENDING, last_error="gián đoạn khi đang gửi", updated_at=now)
    )
    if result.rowcount:
        logger.warning(
            "Recovered %d reminder(s) in %d message(s) left in flight by an interrupted run",
            result.rowcount,
            len(messages),
        )
    return len(messages)


def cancel_obsolete(session: Session, *, today: date, now: datetime) -> int:
    """Cancel pending reminders of occurrences marked done, and day-before ones past their due
    date."""
    done = select(DoneMark.id).where(
        DoneMark.unit_id == ReminderLog.unit_id,
        DoneMark.occurrence_key == ReminderLog.occurrence_key,
        col(DoneMark.undone_at).is_(None),
        # the whole unit's mark, or the member's own
        or_(col(DoneMark.member_id).is_(None), col(DoneMark.member_id) == ReminderLog.member_id),
    )
    pending = col(ReminderLog.status) == OutboxStatus.PENDING
    cancelled = session.exec(
        update(ReminderLog)
        .where(pending, done.exists())
        .values(
            status=OutboxStatus.CANCELLED,
            last_error="đơn vị đã đánh dấu hoàn thành",
            updated_at=now,
        )
    ).rowcount
    cancelled += session.exec(
        update(ReminderLog)
        .where(
            pending,
            col(ReminderLog.kind) == ReminderKind.BEFORE,
            col(ReminderLog.due) < today,
        )
        .values(
            status=OutboxStatus.CANCELLED,
            last_error="đã qua ngày hạn; thay bằng thông báo quá hạn",
            updated_at=now,
        )
    ).rowcount
    return cancelled


def due_batches(
    session: Session, *, now: datetime, limits: Mapping[str, int]
) -> dict[str, list[list[int]]]:
    """Pending rows ready to send, per channel (the keys of `limits`, each channel's message
    length limit), as messages: each a list of row ids.

    The reminders one chat has due are combined into one message (split only to stay within the
    channel's limit); admin broadcasts go one row per message. Oldest first.
    """
    # SQLAlchemy's own select: SQLModel's overloads stop at four columns
    rows = session.execute(
        sa_select(
            col(ReminderLog.id),
            col(ReminderLog.channel),
            col(ReminderLog.address_id),
            col(ReminderLog.kind),
            col(ReminderLog.text),
        )
        .where(
            col(ReminderLog.status) == OutboxStatus.PENDING,
            col(ReminderLog.channel).in_(list(limits)),
            or_(
                col(ReminderLog.next_attempt_at).is_(None),
                col(ReminderLog.next_attempt_at) <= now,
            ),
        )
        .order_by(col(ReminderLog.id))
    ).all()
    return combine.channel_batches(
        [
            (row_id, channel, None if kind in SINGLE_KINDS else address_id, text)
            for row_id, channel, address_id, kind, text in rows
        ],
        limits,
    )


def count_pending(session: Session) -> int:
    return session.exec(
        select(func.count())
        .select_from(ReminderLog)
        .where(ReminderLog.status == OutboxStatus.PENDING)
    ).one()


def claim(session: Session, row_ids: Sequence[int], *, now: datetime) -> OutboxItem | None:
    """Mark the still-pending rows of one message "sending" together (recorded before the send)
    and compose its text; None if none of them is sendable any more.

    Safe with several senders: on PostgreSQL the rows are locked FOR UPDATE SKIP LOCKED (rows
    another sender is claiming are skipped, not waited for), and on every backend only the rows
    this UPDATE moved from pending to sending (RETURNING) go into the message.
    """
    rows = _lock_pending_rows(session, row_ids)
    if not rows:
        return None
    ids = [r.id for r in rows if r.id is not None]
    address = session.get(ChatAddress, rows[0].address_id)
    if address is None or not address.active:
        _fail_unreachable(session, ids, now=now)
        return None
    claimed = _mark_sending(session, ids, now=now)
    rows = [r for r in rows if r.id in claimed]
    if not rows:
        return None  # another sender took them between our read and our update
    return _outbox_item(rows)


def _lock_pending_rows(session: Session, row_ids: Sequence[int]) -> list[ReminderLog]:
    """The message's rows still pending, oldest first; on PostgreSQL locked for this sender, and
    none at all while another sender holds the message's chat."""
    ids = list(row_ids)
    pending = (
        select(ReminderLog)
        .where(col(ReminderLog.id).in_(ids), ReminderLog.status == OutboxStatus.PENDING)
        .order_by(col(ReminderLog.id))
    )
    if session.get_bind().dialect.name == "postgresql":
        # One sender per chat: lock the message's chat first, so two senders never split one
        # chat's rows between them (each would then send part of the message).
        chat = select(ReminderLog.address_id).where(col(ReminderLog.id).in_(ids))
        locked_chat = select(ChatAddress.id).where(col(ChatAddress.id).in_(chat))
        if not session.exec(locked_chat.with_for_update(skip_locked=True)).first():
            return []
        pending = pending.with_for_update(skip_locked=True)
    return list(session.exec(pending).all())


def _fail_unreachable(session: Session, ids: Sequence[int], *, now: datetime) -> None:
    session.execute(
        update(ReminderLog)
        .where(col(ReminderLog.id).in_(ids))
        .values(
            status=OutboxStatus.FAILED,
            updated_at=now,
            last_error="cuộc trò chuyện không còn nhận tin (đã chặn bot)",
        )
    )


def _mark_sending(session: Session, ids: Sequence[int], *, now: datetime) -> set[int]:
    """Move the rows still pending to sending; the ids this UPDATE really moved."""
    return set(
        session.execute(
            update(ReminderLog)
            .where(
                and_(col(ReminderLog.id).in_(ids), col(ReminderLog.status) == OutboxStatus.PENDING)
            )
            .values(
                status=OutboxStatus.SENDING,
                attempts=col(ReminderLog.attempts) + 1,
                updated_at=now,
            )
            .returning(col(ReminderLog.id))
        ).scalars()
    )


def _outbox_item(rows: Sequence[ReminderLog]) -> OutboxItem:
    """One message of the claimed rows of one chat: texts combined, buttons when it has them."""
    first = rows[0]
    own = tuple((str(c[0]), str(c[1])) for c in (first.choices or [])) if len(rows) == 1 else ()
    is_reminder = any(r.kind in (ReminderKind.BEFORE, ReminderKind.OVERDUE) for r in rows)
    # a row's own buttons (an approval request), else a reminder's: done, snooze, mute
    choices = own or (reminder_choices(first.id or 0) if is_reminder else ())
    return OutboxItem(
        first.id or 0,
        first.key,
        first.address_id,
        first.channel,
        first.chat_id,
        first.is_group,
        combine.combine_texts([r.text for r in rows]),
        max(r.attempts for r in rows) + 1,
        tuple(r.id or 0 for r in rows),
        choices,
    )


def mark_sent(session: Session, row_ids: Sequence[int], *, now: datetime) -> None:
    session.execute(
        update(ReminderLog)
        .where(col(ReminderLog.id).in_(list(row_ids)))
        .values(status=OutboxStatus.SENT, sent_at=now, updated_at=now, last_error="")
    )


def mark_retry(
    session: Session,
    row_ids: Sequence[int],
    *,
    now: datetime,
    next_attempt_at: datetime,
    error: str,
) -> None:
    """A transient failure: back to pending, not before `next_attempt_at`."""
    session.execute(
        update(ReminderLog)
        .where(col(ReminderLog.id).in_(list(row_ids)))
        .values(
            status=OutboxStatus.PENDING,
            next_attempt_at=next_attempt_at,
            updated_at=now,
            last_error=error[:500],
        )
    )


def mark_failed(
    session: Session,
    row_ids: Sequence[int],
    *,
    now: datetime,
    error: str,
    deactivate_address: bool,
) -> None:
    """A permanent failure; on Forbidden the chat is marked inactive so nothing more is sent to
    it."""
    rows = session.exec(select(ReminderLog).where(col(ReminderLog.id).in_(list(row_ids)))).all()
    for row in rows:
        row.status = OutboxStatus.FAILED
        row.last_error = error[:500]
        row.updated_at = now
    if deactivate_address:
        for address_id in sorted({row.address_id for row in rows}):
            address = session.get(ChatAddress, address_id)
            if address is not None and address.active:
                address.active = False
                logger.warning(
                    "Chat %s:%s blocked the bot; marked inactive", address.channel, address.chat_id
                )
