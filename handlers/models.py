"""Conversation state tables: pending choices, stored button actions ("Xem thêm", suggestions),
processed update ids. All of it lives in the database so a restart loses nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, LargeBinary, UniqueConstraint
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


# --- Web board access (handlers/weblinks.py, web/) -----------------------------------------


class ServerSecret(SQLModel, table=True):
    """A random key made once per database: signs login links and derives calendar-feed secrets,
    so every process sharing the database agrees and nothing secret sits in `.env` or git."""

    __tablename__ = "web_server_secret"
    name: str = Field(primary_key=True)
    value: str


class WebLoginToken(SQLModel, table=True):
    """A one-time login link issued by /bangtheodoi: its nonce is recorded when issued and
    marked used when redeemed, so a link opens at most one session."""

    __tablename__ = "web_login_token"
    id: int | None = Field(default=None, primary_key=True)
    nonce: str = Field(index=True, unique=True)
    actor: str  # "telegram:12345"
    role: str = "admin"
    unit_id: int | None = None  # for a future read-only unit role
    issued_at: datetime = Field(default_factory=utcnow, index=True, sa_type=AwareDateTime)
    used_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class WebSession(SQLModel, table=True):
    """A browser session opened by a login link; the cookie holds `<id>.<secret>`, the table only
    a hash of the secret."""

    __tablename__ = "web_session"
    id: int | None = Field(default=None, primary_key=True)
    secret_hash: str
    actor: str
    role: str = "admin"
    unit_id: int | None = None
    csrf_token: str
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    expires_at: datetime = Field(sa_type=AwareDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class CalendarFeed(SQLModel, table=True):
    """A secret, revocable iCalendar URL of a unit's deadlines (person_id set: one member's feed,
    with that member's reminder offsets). The URL secret is derived from the server key."""

    __tablename__ = "web_calendar_feed"
    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    created_by: str = ""
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    revoked_by: str = ""


class DownloadLink(SQLModel, table=True):
    """A file (CSV export) waiting behind a one-time link, for channels that cannot send files."""

    __tablename__ = "web_download"
    id: int | None = Field(default=None, primary_key=True)
    secret_hash: str
    filename: str
    mime_type: str = "text/csv"
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    actor: str = ""
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    expires_at: datetime = Field(sa_type=AwareDateTime)
    used_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
