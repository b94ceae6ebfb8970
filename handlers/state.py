"""Database helpers of the conversation: who is talking, what was offered, what was handled."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from handlers.models import PendingChoice, ProcessedUpdate, StoredAction
from handlers.types import Choice, Incoming
from jobs.models import ChatAddress, Person
from jobs.reminder_buttons import reminder_choices
from knowledge.models import utcnow

_TOKEN_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


def new_token(length: int = 8) -> str:
    """A short ASCII id for a button (about 40 bits)."""
    return "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(length))


def seen_update(session: Session, incoming: Incoming) -> bool:
    """Record the delivery; True when it was already handled (a duplicate).

    One INSERT … ON CONFLICT DO NOTHING on the (channel, update_id) key: of two replicas that
    receive the same update at once, exactly one inserts it (the other waits for its
    transaction, then sees the row), and neither meets a unique violation.
    """
    if not incoming.update_id:
        return False
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    inserted = session.execute(
        insert(ProcessedUpdate)
        .values(channel=incoming.channel, update_id=incoming.update_id, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["channel", "update_id"])
        .returning(col(ProcessedUpdate.id))
    ).first()
    return inserted is None  # RETURNING, not rowcount: the driver's rowcount may be -1


def prune(
    session: Session, *, updates_older_than: timedelta, actions_older_than: timedelta
) -> int:
    """Forget old processed update ids and old button contents; return how many rows went."""
    now = utcnow()
    removed = (
        session.exec(
            delete(ProcessedUpdate).where(
                col(ProcessedUpdate.created_at) < now - updates_older_than
            )
        ).rowcount
        or 0
    )
    removed += (
        session.exec(
            delete(StoredAction).where(col(StoredAction.created_at) < now - actions_older_than)
        ).rowcount
        or 0
    )
    return int(removed)


def address_for(session: Session, incoming: Incoming) -> tuple[ChatAddress, Person]:
    """The chat's address and its person, created on first contact. A group is its own person."""
    address = session.exec(
        select(ChatAddress).where(
            ChatAddress.channel == incoming.channel, ChatAddress.chat_id == incoming.chat_id
        )
    ).first()
    name = incoming.display_name.strip()[:200]
    if address is None:
        person = _new_person(session, name)
        address = ChatAddress(
            channel=incoming.channel,
            chat_id=incoming.chat_id,
            user_id="" if incoming.is_group else incoming.user_id,
            display_name=name,
            is_group=incoming.is_group,
            person_id=_id(person),
        )
        session.add(address)
        session.flush()
        return address, person
    stored = session.get(Person, address.person_id)
    if stored is None:  # should not happen; heal rather than fail
        stored = _new_person(session, name)
        address.person_id = _id(stored)
    person = stored
    address.last_seen_at = utcnow()
    address.active = True  # the chat talks to us again, so it no longer blocks the bot
    if name and not incoming.is_group and address.display_name != name:
        address.display_name = name
    session.add(address)
    return address, person


def _new_person(session: Session, name: str) -> Person:
    person = Person(display_name=name)
    session.add(person)
    session.flush()
    return person


def _id(person: Person) -> int:
    assert person.id is not None  # flushed
    return person.id


def unit_of_chat(session: Session, incoming: Incoming) -> int | None:
    """The unit of the chat's person, read only (None for a chat not seen before)."""
    address = session.exec(
        select(ChatAddress).where(
            ChatAddress.channel == incoming.channel, ChatAddress.chat_id == incoming.chat_id
        )
    ).first()
    person = session.get(Person, address.person_id) if address is not None else None
    return person.unit_id if person is not None else None


def move_chat(session: Session, channel: str, old_chat_id: str, new_chat_id: str) -> bool:
    """A chat changed its id (a Telegram group upgraded to a supergroup): keep its person,
    unit and settings. False when the old chat is unknown or the new one already exists."""
    old = session.exec(
        select(ChatAddress).where(
            ChatAddress.channel == channel, ChatAddress.chat_id == old_chat_id
        )
    ).first()
    taken = session.exec(
        select(ChatAddress.id).where(
            ChatAddress.channel == channel, ChatAddress.chat_id == new_chat_id
        )
    ).first()
    if old is None or taken is not None:
        return False
    old.chat_id = new_chat_id
    session.add(old)
    for row in session.exec(
        select(PendingChoice).where(
            PendingChoice.channel == channel, PendingChoice.chat_id == old_chat_id
        )
    ):
        session.delete(row)
    return True


def set_pending(session: Session, incoming: Incoming, choices: list[Choice]) -> None:
    """Remember the choices just offered in this chat (replacing earlier ones)."""
    row = session.exec(
        select(PendingChoice).where(
            PendingChoice.channel == incoming.channel, PendingChoice.chat_id == incoming.chat_id
        )
    ).first()
    options = [{"label": c.label, "payload": c.payload} for c in choices]
    if row is None:
        row = PendingChoice(channel=incoming.channel, chat_id=incoming.chat_id, options=options)
    else:
        row.options = options
        row.created_at = utcnow()
    session.add(row)


def get_pending(session: Session, incoming: Incoming) -> list[dict[str, str]]:
    """The options a digit answers: those offered last, or a reminder's actions if a reminder
    reached this chat after them (channels without buttons number them)."""
    row = session.exec(
        select(PendingChoice).where(
            PendingChoice.channel == incoming.channel, PendingChoice.chat_id == incoming.chat_id
        )
    ).first()
    reminder_id = _latest_reminder_id(session, incoming, row.created_at if row else None)
    if reminder_id is not None:
        return [{"label": label, "payload": data} for label, data in reminder_choices(reminder_id)]
    return list(row.options) if row is not None else []


def _latest_reminder_id(
    session: Session, incoming: Incoming, after: datetime | None
) -> int | None:
    """The first outbox row of the last reminder message sent to this chat after `after`."""
    from jobs.models import ReminderKind, ReminderLog

    last = session.exec(
        select(ReminderLog)
        .where(
            ReminderLog.channel == incoming.channel,
            ReminderLog.chat_id == incoming.chat_id,
            col(ReminderLog.kind).in_([ReminderKind.BEFORE, ReminderKind.OVERDUE]),
            col(ReminderLog.sent_at).is_not(None),
        )
        .order_by(col(ReminderLog.sent_at).desc(), col(ReminderLog.id))
    ).first()
    if last is None or last.sent_at is None:
        return None
    if after is not None and last.sent_at <= after:
        return None
    first = session.exec(
        select(ReminderLog.id)
        .where(ReminderLog.address_id == last.address_id, ReminderLog.sent_at == last.sent_at)
        .order_by(col(ReminderLog.id))
    ).first()
    return first


def store_action(session: Session, incoming: Incoming, kind: str, data: dict[str, Any]) -> str:
    """Keep the content behind a button; return its short token."""
    token = new_token()
    session.add(
        StoredAction(
            token=token, channel=incoming.channel, chat_id=incoming.chat_id, kind=kind, data=data
        )
    )
    session.flush()
    return token


def load_action(
    session: Session, incoming: Incoming, token: str, kind: str, *, max_age: timedelta
) -> StoredAction | None:
    """The stored action behind a button of this chat, or None if unknown, foreign or too old."""
    row = session.exec(select(StoredAction).where(StoredAction.token == token)).first()
    if row is None or row.kind != kind:
        return None
    if row.channel != incoming.channel or row.chat_id != incoming.chat_id:
        return None
    if utcnow() - row.created_at > max_age:
        return None
    return row
