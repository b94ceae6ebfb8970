"""Digests: the admins' daily "Quá hạn chưa xong" and each opted-in person's Monday list of the
week's deadlines. Planned by a pure function, queued in the outbox under idempotency keys, so
each goes out once per day (or week) and chat, never doubled."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from jobs.audience import expanded, load_subscribers
from jobs.broadcast import UNREACHABLE_CHANNELS
from jobs.done import done_keys
from jobs.models import ChatAddress, OutboxStatus, ReminderKind, ReminderLog, WeeklyDigest
from jobs.planner import DoneSet, PlannerConfig, Subscriber, SubscriberAddress, _targets
from jobs.status import WINDOW_DAYS, BoardRow, TrackStatus, build_board
from knowledge.deadlines import load_occurrences
from knowledge.recurrence import DeadlineOccurrence

OVERDUE_KEY = "digest:overdue"
WEEKLY_KEY = "digest:week"
MAX_DIGEST_LINES = 60


@dataclass(frozen=True)
class DigestMessage:
    key: str
    person_id: int
    address: SubscriberAddress
    unit_id: int | None
    text: str


def overdue_text(rows: Sequence[BoardRow], today: date) -> str:
    """ "Quá hạn chưa xong": each passed deadline with the units that have not marked it done."""
    by_occurrence: dict[str, list[BoardRow]] = defaultdict(list)
    for row in rows:
        by_occurrence[row.occurrence.key].append(row)
    lines = [
        f"Quá hạn chưa xong ({today:%d/%m/%Y}): {len(rows)} lượt đơn vị, {len(by_occurrence)} hạn."
    ]
    for group in by_occurrence.values():
        occ = group[0].occurrence
        lines.append(f"■ {occ.title} — hạn {occ.due:%d/%m/%Y} (quá {(today - occ.due).days} ngày)")
        lines.append("  Chưa xong: " + ", ".join(sorted(r.unit_name for r in group)))
        if len(lines) >= MAX_DIGEST_LINES:
            lines.append("… xem đầy đủ: /tinhtrang")
            break
    lines.append("Ghi nhận thay đơn vị: /xong <đơn vị>; bảng theo dõi: /tinhtrang.")
    return "\n".join(lines)


def weekly_text(unit_name: str, occurrences: Sequence[DeadlineOccurrence], monday: date) -> str:
    sunday = monday + timedelta(days=6)
    lines = [f"Hạn chót tuần này ({monday:%d/%m}–{sunday:%d/%m/%Y}) của {unit_name}:"]
    for occ in occurrences:
        lines.append(
            f"• {occ.due:%d/%m} ({_weekday(occ.due)}): {occ.title} — {occ.document_title}"
        )
    lines.append("Đánh dấu đã xong: /xong. Tắt bản tin tuần: /nhacnho tuan tat.")
    return "\n".join(lines)


def _weekday(day: date) -> str:
    return ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")[
        day.weekday()
    ]


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _first_working_day_of_week(day: date, config: PlannerConfig) -> date | None:
    start = week_start(day)
    for offset in range(7):
        candidate = start + timedelta(days=offset)
        if config.is_working_day(candidate):
            return candidate
    return None


def plan_digests(
    now: datetime,
    config: PlannerConfig,
    *,
    overdue: Sequence[BoardRow],
    admins: Sequence[tuple[int, SubscriberAddress]],
    weekly: Sequence[Subscriber],
    occurrences: Iterable[DeadlineOccurrence],
    done: DoneSet,
    sent_keys: set[str] | frozenset[str],
) -> list[DigestMessage]:
    """The digests due now (pure): admins' overdue list once per working day, during office
    hours, from the reminder time on, only when not empty; the weekly list on the week's first
    working day for each opted-in subscriber, only when the week has deadlines."""
    local = now.astimezone(config.tz)
    today = local.date()
    if not config.in_office_hours(local) or local.time() < config.reminder_time:
        return []
    out: list[DigestMessage] = []
    if overdue:
        text = overdue_text(overdue, today)
        for person_id, address in admins:
            key = f"{OVERDUE_KEY}:{today.isoformat()}:a{address.id}"
            if key not in sent_keys:
                out.append(DigestMessage(key, person_id, address, None, text))
    if _first_working_day_of_week(today, config) != today:
        return out
    monday = week_start(today)
    week = [o for o in occurrences if monday <= o.due <= monday + timedelta(days=6)]
    for sub in weekly:
        items = [o for o in week if o.concerns(sub.unit_id) and (sub.unit_id, o.key) not in done]
        if not items:
            continue
        text = weekly_text(sub.unit_name, items, monday)
        for address in _targets(sub):
            key = f"{WEEKLY_KEY}:{monday.isoformat()}:p{sub.person_id}:a{address.id}"
            if key not in sent_keys:
                out.append(DigestMessage(key, sub.person_id, address, sub.unit_id, text))
    return out


# ---------------------------------------------------------------------- loading and queueing
def admin_addresses(
    session: Session, admin_ids: Iterable[str]
) -> list[tuple[int, SubscriberAddress]]:
    """Private chats of the admins (ADMIN_IDS: Telegram ids, or "zalo:<id>")."""
    ids = set(admin_ids)
    out = []
    for a in session.exec(
        select(ChatAddress)
        .where(col(ChatAddress.is_group).is_(False), col(ChatAddress.active).is_(True))
        .order_by(col(ChatAddress.id))
    ):
        if a.channel in UNREACHABLE_CHANNELS or a.id is None:
            continue
        if (a.channel == "telegram" and a.user_id in ids) or f"{a.channel}:{a.user_id}" in ids:
            out.append((a.person_id, SubscriberAddress(a.id, a.channel, a.chat_id)))
    return out


def weekly_subscribers(session: Session) -> list[Subscriber]:
    opted = set(
        session.exec(
            select(WeeklyDigest.person_id).where(col(WeeklyDigest.enabled).is_(True))
        ).all()
    )
    return [s for s in load_subscribers(session) if s.person_id in opted]


def _digest_keys(session: Session, today: date) -> set[str]:
    prefixes = (
        f"{OVERDUE_KEY}:{today.isoformat()}",
        f"{WEEKLY_KEY}:{week_start(today).isoformat()}",
    )
    return set(
        session.exec(
            select(ReminderLog.key).where(col(ReminderLog.occurrence_key).in_(prefixes))
        ).all()
    )


def due_digests(
    session: Session, config: PlannerConfig, *, now: datetime, admin_ids: Iterable[str]
) -> list[DigestMessage]:
    """Load what the digests need and plan them (read only)."""
    today = now.astimezone(config.tz).date()
    occurrences = expanded(
        session,
        load_occurrences(session, today - timedelta(days=WINDOW_DAYS), today + timedelta(days=7)),
    )
    passed = [o for o in occurrences if o.due < today]
    overdue = [
        r
        for r in build_board(session, passed, today=today, tz=config.tz)
        if r.status is TrackStatus.OVERDUE
    ]
    done = done_keys(session, [o.key for o in occurrences])
    return plan_digests(
        now,
        config,
        overdue=overdue,
        admins=admin_addresses(session, admin_ids),
        weekly=weekly_subscribers(session),
        occurrences=occurrences,
        done=done,
        sent_keys=_digest_keys(session, today),
    )


def enqueue_digests(session: Session, digests: Sequence[DigestMessage], *, now: datetime) -> int:
    """Queue digests as single messages in the outbox; a key already there is ignored."""
    if not digests:
        return 0
    today = now.date()
    rows = [
        {
            "key": d.key,
            "person_id": d.person_id,
            "address_id": d.address.id,
            "channel": d.address.channel,
            "chat_id": d.address.chat_id,
            "is_group": d.address.is_group,
            "unit_id": d.unit_id,
            "deadline_id": 0,
            "due": today,
            "occurrence_key": d.key.rsplit(":", 2 if d.key.startswith(WEEKLY_KEY) else 1)[0],
            "kind": ReminderKind.BROADCAST.name,
            "offset_days": 0,
            "planned_for": now.astimezone(UTC),
            "text": d.text,
            "status": OutboxStatus.PENDING.name,
            "attempts": 0,
            "last_error": "",
            "created_at": now,
            "updated_at": now,
        }
        for d in digests
    ]
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(ReminderLog).on_conflict_do_nothing(index_elements=["key"])
    result = session.connection().execute(stmt, rows)
    return max(0, result.rowcount or 0)


def set_weekly(session: Session, person_id: int, enabled: bool, *, now: datetime) -> None:
    row = session.exec(select(WeeklyDigest).where(WeeklyDigest.person_id == person_id)).first()
    if row is None:
        row = WeeklyDigest(person_id=person_id)
    row.enabled, row.changed_at = enabled, now
    session.add(row)


def weekly_enabled(session: Session, person_id: int) -> bool:
    row = session.exec(select(WeeklyDigest).where(WeeklyDigest.person_id == person_id)).first()
    return bool(row and row.enabled)
