"""Load the planner's inputs from the database: subscribers (people with a unit, or a member of a
collective unit, and their chats)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import time

from sqlmodel import Session, select

from jobs.models import ChatAddress, Person
from jobs.planner import Subscriber, SubscriberAddress
from knowledge.models import Unit, UnitMember
from knowledge.recurrence import DeadlineOccurrence
from knowledge.units import department_umbrellas


def _clock(raw: str | None) -> time | None:
    if not raw:
        return None
    try:
        hours, minutes = raw.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        return None  # a bad stored value falls back to the default time


def load_subscribers(session: Session) -> list[Subscriber]:
    """Every person with a unit and at least one chat, with that unit's name (column reads only)."""
    names = dict(session.exec(select(Unit.id, Unit.name)).all())
    addresses: dict[int, list[SubscriberAddress]] = {}
    rows = session.exec(
        select(
            ChatAddress.id,
            ChatAddress.person_id,
            ChatAddress.channel,
            ChatAddress.chat_id,
            ChatAddress.is_group,
            ChatAddress.is_primary,
            ChatAddress.active,
        ).order_by(ChatAddress.id)
    ).all()
    for a_id, person_id, channel, chat_id, is_group, is_primary, active in rows:
        addresses.setdefault(person_id, []).append(
            SubscriberAddress(
                id=a_id,
                channel=channel,
                chat_id=chat_id,
                is_group=is_group,
                is_primary=is_primary,
                active=active,
            )
        )
    members = {
        m_id: (unit_id, name)
        for m_id, unit_id, name in session.exec(
            select(UnitMember.id, UnitMember.unit_id, UnitMember.name)
        ).all()
    }
    people = session.exec(
        select(
            Person.id,
            Person.unit_id,
            Person.reminders_enabled,
            Person.offsets,
            Person.reminder_time,
            Person.deliver_all_channels,
            Person.member_id,
        )
        .where(Person.unit_id.is_not(None))
        .order_by(Person.id)  # type: ignore[union-attr]
    ).all()
    subscribers = []
    for person_id, unit_id, enabled, offsets, reminder_time, all_channels, member_id in people:
        if person_id not in addresses:
            continue
        member = members.get(member_id) if member_id is not None else None
        if member is not None and member[0] != unit_id:
            member, member_id = None, None  # a member of another unit: the unit's reminders
        label = names.get(unit_id, "")
        if member is not None:
            label = f"{member[1]} ({label})"
        subscribers.append(
            Subscriber(
                person_id=person_id,
                unit_id=unit_id,
                unit_name=label,
                member_id=member_id,
                addresses=tuple(addresses[person_id]),
                reminders_enabled=enabled,
                offsets=tuple(offsets) if offsets else None,
                reminder_time=_clock(reminder_time),
                deliver_all_channels=all_channels,
            )
        )
    return subscribers


def audience_expander(session: Session) -> Callable[[DeadlineOccurrence], DeadlineOccurrence]:
    """Expand "the Sở's departments" in a deadline's audience to each department unit.

    A deadline addressed to "Các phòng CMNV Sở" concerns every department (each non-collective
    unit), so each one is reminded and tracked separately; other collectives ("Các đơn vị giáo
    dục") stay as they are, for subscribers registered to them.
    """
    units = list(session.exec(select(Unit)))
    collectives = department_umbrellas(units)
    departments = frozenset(u.id for u in units if not u.is_collective)

    def expand(occurrence: DeadlineOccurrence) -> DeadlineOccurrence:
        if occurrence.all_units or not (occurrence.unit_ids & collectives):
            return occurrence
        return replace(occurrence, unit_ids=(occurrence.unit_ids - collectives) | departments)

    return expand


def expanded(
    session: Session, occurrences: Iterable[DeadlineOccurrence]
) -> list[DeadlineOccurrence]:
    expand = audience_expander(session)
    return [expand(o) for o in occurrences]
