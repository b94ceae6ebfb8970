"""Snooze and mute of one occurrence, per person: stored holds the planner respects, and the
buttons a reminder message carries to set them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from jobs.models import ReminderHold
from jobs.reminder_buttons import reminder_choices  # noqa: F401  (re-exported)
from knowledge.recurrence import DeadlineOccurrence


def active_holds(
    session: Session, occurrence_keys: Iterable[str]
) -> dict[tuple[int, str], date | None]:
    """(person id, occurrence key) → snoozed until that day, or None when muted."""
    keys = list(set(occurrence_keys))
    latest: dict[tuple[int, str], ReminderHold] = {}
    for start in range(0, len(keys), 500):
        rows = session.exec(
            select(ReminderHold)
            .where(col(ReminderHold.occurrence_key).in_(keys[start : start + 500]))
            .order_by(col(ReminderHold.id))
        )
        for row in rows:
            latest[(row.person_id, row.occurrence_key)] = row
    return {k: r.until for k, r in latest.items() if r.cleared_at is None}


def snooze_until(occurrence: DeadlineOccurrence, today: date, days: int) -> date | None:
    """The day to remind again: `days` later but never past the due day; None once it is due."""
    if today >= occurrence.due:
        return None
    return min(today + timedelta(days=days), occurrence.due)


def hold(
    session: Session,
    *,
    person_id: int,
    occurrence: DeadlineOccurrence,
    until: date | None,
    by: str,
    now: datetime,
) -> ReminderHold:
    """Record a snooze (until a day) or a mute (None) of one occurrence for one person."""
    row = ReminderHold(
        person_id=person_id,
        occurrence_key=occurrence.key,
        deadline_id=occurrence.deadline_id,
        due=occurrence.due,
        until=until,
        created_by=by,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def resume(
    session: Session, *, person_id: int, occurrence_key: str, by: str, now: datetime
) -> bool:
    """End the person's snooze or mute of the occurrence; False if there was none."""
    rows = session.exec(
        select(ReminderHold).where(
            ReminderHold.person_id == person_id,
            ReminderHold.occurrence_key == occurrence_key,
            col(ReminderHold.cleared_at).is_(None),
        )
    ).all()
    for row in rows:
        row.cleared_at, row.cleared_by = now, by
        session.add(row)
    return bool(rows)
