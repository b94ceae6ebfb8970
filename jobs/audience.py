"""Load the planner's inputs from the database: subscribers (people with a unit and their chats)."""

from __future__ import annotations

from datetime import time

from sqlmodel import Session, select

from jobs.models import ChatAddress, Person
from jobs.planner import Subscriber, SubscriberAddress
from knowledge.models import Unit


def _clock(raw: str | None) -> time | None:
    if not raw:
        return None
    try:
        hours, minutes = raw.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        return None  # a bad stored value falls back to the default time


def load_subscribers(session: Session) -> list[Subscriber]:
    """Every person with a unit and at least one chat, with that unit's name."""
    names = {u.id: u.name for u in session.exec(select(Unit))}
    addresses: dict[int, list[SubscriberAddress]] = {}
    for a in session.exec(select(ChatAddress).order_by(ChatAddress.id)):
        addresses.setdefault(a.person_id, []).append(
            SubscriberAddress(id=a.id, channel=a.channel, chat_id=a.chat_id, is_group=a.is_group,
                              is_primary=a.is_primary, active=a.active)
        )
    subscribers = []
    for p in session.exec(select(Person).where(Person.unit_id.is_not(None)).order_by(Person.id)):  # type: ignore[union-attr]
        if p.id not in addresses:
            continue
        subscribers.append(Subscriber(
            person_id=p.id, unit_id=p.unit_id, unit_name=names.get(p.unit_id, ""),
            addresses=tuple(addresses[p.id]), reminders_enabled=p.reminders_enabled,
            offsets=tuple(p.offsets) if p.offsets else None,
            reminder_time=_clock(p.reminder_time), deliver_all_channels=p.deliver_all_channels,
        ))
    return subscribers
