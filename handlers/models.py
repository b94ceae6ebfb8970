"""Conversation state tables (filled in by the conversation issue)."""

# --- Account linking (handlers/linking.py) -------------------------------------------------

from datetime import datetime  # noqa: E402
from typing import Optional  # noqa: E402

from sqlmodel import Field, SQLModel  # noqa: E402

from knowledge.models import utcnow  # noqa: E402


class LinkCode(SQLModel, table=True):
    """A one-time code joining a person's chats on two channels; stored salted and hashed."""

    id: Optional[int] = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    channel: str  # where the code was issued; it must be entered on another channel
    salt: str
    code_hash: str
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: Optional[datetime] = None
    used_by_person_id: Optional[int] = None
    revoked_at: Optional[datetime] = None  # a newer code replaced it


class LinkAttempt(SQLModel, table=True):
    """A failed code entry, counted to rate-limit guessing."""

    id: Optional[int] = Field(default=None, primary_key=True)
    channel: str
    chat_id: str = Field(index=True)
    at: datetime = Field(default_factory=utcnow, index=True)
