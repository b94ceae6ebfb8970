"""Conversation state tables: pending choices, stored button actions ("Xem thêm", suggestions),
processed update ids. All of it lives in the database so a restart loses nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from knowledge.dbtypes import AwareDateTime

from knowledge.models import utcnow


class PendingChoice(SQLModel, table=True):
    """The choices last offered in a chat, so "2" (or the option's name) answers them on
    channels without buttons (Zalo, console). One row per chat; replaced on every new offer."""

    __tablename__ = "conv_pending_choice"
    __table_args__ = (UniqueConstraint("channel", "chat_id"),)
    id: int | None = Field(default=None, primary_key=True)
    channel: str
    chat_id: str
    options: list[dict[str, str]] = Field(default_factory=list, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)


class StoredAction(SQLModel, table=True):
    """What a button with a short id means: the pages of a long answer ("more") or a
    suggested question ("ask"). Buttons carry only `token`; the content stays here."""

    __tablename__ = "conv_stored_action"
    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(index=True, unique=True)  # short ASCII id, e.g. "k3f9x2qa"
    channel: str
    chat_id: str
    kind: str  # "more" | "ask"
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utcnow, index=True, sa_type=AwareDateTime)


class ProcessedUpdate(SQLModel, table=True):
    """A delivery already handled: the same update delivered twice is answered once."""

    __tablename__ = "conv_processed_update"
    __table_args__ = (UniqueConstraint("channel", "update_id"),)
    id: int | None = Field(default=None, primary_key=True)
    channel: str
    update_id: str
    created_at: datetime = Field(default_factory=utcnow, index=True, sa_type=AwareDateTime)


class BroadcastRequest(SQLModel, table=True):
    """An admin's /guitin: who asked, for which audience, what text, and how many chats it
    was queued for. The delivery itself goes through the reminders outbox."""

    __tablename__ = "conv_broadcast_request"
    id: int | None = Field(default=None, primary_key=True)
    requested_by: str  # "telegram:12345"
    unit_id: int | None = None  # None = every unit ("tatca")
    text: str = ""
    recipients: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)


# --- Account linking (handlers/linking.py) -------------------------------------------------


class LinkCode(SQLModel, table=True):
    """A one-time code joining a person's chats on two channels; stored salted and hashed."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    channel: str  # where the code was issued; it must be entered on another channel
    salt: str
    code_hash: str
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    expires_at: datetime = Field(sa_type=AwareDateTime)
    used_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    used_by_person_id: int | None = None
    # set when a newer code replaced it
    revoked_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class LinkAttempt(SQLModel, table=True):
    """A failed code entry, counted to rate-limit guessing."""

    id: int | None = Field(default=None, primary_key=True)
    channel: str
    chat_id: str = Field(index=True)
    at: datetime = Field(default_factory=utcnow, index=True, sa_type=AwareDateTime)
