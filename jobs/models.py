"""Tables of the audience and the reminder outbox: people, their chats, sends, done marks."""

from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from knowledge.models import utcnow


class Person(SQLModel, table=True):
    """Whoever receives reminders: a person (possibly linked across channels) or a group chat.

    A unit, one reminder schedule. `offsets`/`reminder_time` None means the .env defaults.
    """

    id: Optional[int] = Field(default=None, primary_key=True)
    display_name: str = ""
    unit_id: Optional[int] = Field(default=None, foreign_key="unit.id", index=True)
    reminders_enabled: bool = True
    offsets: Optional[list[int]] = Field(default=None, sa_column=Column(JSON))
    reminder_time: Optional[str] = None  # "HH:MM"
    deliver_all_channels: bool = False  # linked person: remind on every channel, not one
    created_at: datetime = Field(default_factory=utcnow)


class ChatAddress(SQLModel, table=True):
    """One chat on one channel ("telegram", "zalo", "console") belonging to a Person."""

    __table_args__ = (UniqueConstraint("channel", "chat_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    channel: str = Field(index=True)
    chat_id: str = Field(index=True)
    user_id: str = ""  # the channel's user id of the person (empty for groups)
    display_name: str = ""
    is_group: bool = False
    person_id: int = Field(foreign_key="person.id", index=True)
    active: bool = True  # False after the chat blocked the bot (403)
    is_primary: bool = True  # the chat a linked person's reminders go to
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
