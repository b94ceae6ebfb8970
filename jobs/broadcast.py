"""Admin broadcasts (/guitin) queued into the reminder outbox, so the same paced sender
delivers them: one row per chat, a unique key per broadcast and chat, nothing sent twice."""

from __future__ import annotations

import secrets
from collections import defaultdict
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from jobs.models import ChatAddress, OutboxStatus, Person, ReminderKind, ReminderLog

# Chats on these channels cannot be reached by a sender (the console is local).
UNREACHABLE_CHANNELS = frozenset({"console"})


def audience(session: Session, unit_id: int | None) -> list[tuple[Person, ChatAddress]]:
    """The chats a broadcast reaches: active chats of people with a unit (that unit, or all
    units when None). A person linked on several channels gets it once, on the primary chat,
    unless they asked for every channel."""
    query = (
        select(Person, ChatAddress)
        .join(ChatAddress, col(ChatAddress.person_id) == col(Person.id))
        .where(col(Person.unit_id).is_not(None), col(ChatAddress.active).is_(True))
        .order_by(col(ChatAddress.id))
    )
    if unit_id is not None:
        query = query.where(Person.unit_id == unit_id)
    by_person: dict[int, list[tuple[Person, ChatAddress]]] = defaultdict(list)
    for person, address in session.exec(query).all():
        if address.channel not in UNREACHABLE_CHANNELS:
            by_person[person.id or 0].append((person, address))
    chosen: list[tuple[Person, ChatAddress]] = []
    for pairs in by_person.values():
        person = pairs[0][0]
        if person.deliver_all_channels:
            chosen.extend(pairs)
        else:
            primary = [p for p in pairs if p[1].is_primary]
            chosen.append((primary or pairs)[0])
    return chosen


def enqueue_broadcast(
    session: Session, *, unit_id: int | None, text: str, requested_by: str, now: datetime
) -> int:
    """Queue `text` for the audience as pending outbox rows; return how many were queued.

    The caller's unit of work commits; the reminder tick delivers them at the channel's rate.
    """
    token = secrets.token_hex(6)
    occurrence_key = f"broadcast:{token}"
    count = 0
    for person, address in audience(session, unit_id):
        assert person.id is not None and address.id is not None
        session.add(
            ReminderLog(
                key=f"{occurrence_key}:{address.id}",
                person_id=person.id,
                address_id=address.id,
                channel=address.channel,
                chat_id=address.chat_id,
                is_group=address.is_group,
                unit_id=person.unit_id,
                deadline_id=0,
                due=now.date(),
                occurrence_key=occurrence_key,
                kind=ReminderKind.BROADCAST,
                offset_days=0,
                planned_for=now.astimezone(UTC),
                text=text,
                status=OutboxStatus.PENDING,
            )
        )
        count += 1
    session.flush()
    return count
