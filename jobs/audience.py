"""Load the planner's inputs from the database: subscribers (people with a unit, or a member of a
collective unit, and their chats)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import time
from typing import NamedTuple

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

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
    """Every person with a unit and at least one chat, with that unit's name (column reads
    only)."""
    units = session.exec(select(Unit.id, Unit.name))
    names = {u_id: name for u_id, name in units if u_id is not None}
    addresses = _addresses_by_person(session)
    members = _members_by_id(session)
    subscribers = []
    for person in _people_with_a_unit(session):
        if person.id not in addresses:
            continue
        member_id = person.member_id
        member = members.get(member_id) if member_id is not None else None
        if member is not None and member[0] != person.unit_id:
            member, member_id = None, None  # a member of another unit: the unit's reminders
        label = names.get(person.unit_id, "")
        if member is not None:
            label = f"{member[1]} ({label})"
        subscribers.append(
            Subscriber(
                person_id=person.id,
                unit_id=person.unit_id,
                unit_name=label,
                member_id=member_id,
                addresses=tuple(addresses[person.id]),
                reminders_enabled=person.reminders_enabled,
                offsets=tuple(person.offsets) if person.offsets else None,
                reminder_time=_clock(person.reminder_time),
                deliver_all_channels=person.deliver_all_channels,
            )
        )
    return subscribers


def _addresses_by_person(session: Session) -> dict[int, list[SubscriberAddress]]:
    """Every chat, as the planner sees it, by the person it reaches; in creation order."""
    addresses: dict[int, list[SubscriberAddress]] = {}
    rows = session.execute(
        sa_select(
            col(ChatAddress.id),
            col(ChatAddress.person_id),
            col(ChatAddress.channel),
            col(ChatAddress.chat_id),
            col(ChatAddress.is_group),
            col(ChatAddress.is_primary),
            col(ChatAddress.active),
        ).order_by(col(ChatAddress.id))
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
    return addresses


def _members_by_id(session: Session) -> dict[int, tuple[int, str]]:
    """Each member of a collective unit (a school, an office): its unit and its name."""
    rows = session.exec(select(UnitMember.id, UnitMember.unit_id, UnitMember.name))
    return {m_id: (unit_id, name) for m_id, unit_id, name in rows if m_id is not None}


class _PersonRow(NamedTuple):
    """The columns of a Person the planner needs."""

    id: int
    unit_id: int
    reminders_enabled: bool
    offsets: list[int] | None
    reminder_time: str | None  # "HH:MM"
    deliver_all_channels: bool
    member_id: int | None


def _people_with_a_unit(session: Session) -> list[_PersonRow]:
    """Each person registered to a unit, oldest first."""
    # SQLAlchemy's own select: SQLModel's overloads stop at four columns
    rows = session.execute(
        sa_select(
            col(Person.id),
            col(Person.unit_id),
            col(Person.reminders_enabled),
            col(Person.offsets),
            col(Person.reminder_time),
            col(Person.deliver_all_channels),
            col(Person.member_id),
        )
        .where(col(Person.unit_id).is_not(None))
        .order_by(col(Person.id))
    )
    return [_PersonRow(*row) for row in rows]


def audience_expander(session: Session) -> Callable[[DeadlineOccurrence], DeadlineOccurrence]:
    """Expand "the Sở's departments" in a deadline's audience to each department unit.

    A deadline addressed to "Các phòng CMNV Sở" concerns every department (each non-collective
    unit), so each one is reminded and tracked separately; other collectives ("Các đơn vị giáo
    dục") stay as they are, for subscribers registered to them.
    """
    units = list(session.exec(select(Unit)))
    collectives = department_umbrellas(units)
    departments = frozenset(u.id for u in units if u.id is not None and not u.is_collective)

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
