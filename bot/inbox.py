"""Durable inbox of incoming updates: stored before they are acknowledged, handled from here.

A row moves pending → answered (the conversation committed and its replies are stored, in the
same transaction) → done (the replies went out). After a crash, pending rows are handled again
and answered rows have their stored replies sent, so every update stored is answered, once but
for the messages in flight at the moment of the crash. The (channel, update_id) key makes a
platform's redelivery a no-op.
"""

from __future__ import annotations

import base64
import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint, delete, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, col, select

from handlers.types import Attachment, Choice, Incoming, Reply
from knowledge.db import read_session, write_session
from knowledge.dbtypes import AwareDateTime
from knowledge.models import utcnow

logger = logging.getLogger(__name__)

PENDING, ANSWERED, DONE = "pending", "answered", "done"
# Unfinished updates of another process are taken over once they are this old: that replica
# has most likely died (its own restart takes them back at once, by owner).
TAKE_OVER_AFTER = timedelta(minutes=10)


def default_owner() -> str:
    """Which process stores an update: the host name, so a restarted bot on the same machine
    resumes its own unfinished updates at once, while replicas elsewhere leave them alone."""
    return socket.gethostname() or "localhost"


class InboxUpdate(SQLModel, table=True):
    """One update as the platform delivered it, and how far its handling got."""

    __tablename__ = "channel_inbox"
    __table_args__ = (UniqueConstraint("channel", "update_id"),)
    id: int | None = Field(default=None, primary_key=True)
    channel: str
    update_id: str
    chat_key: str = ""  # updates of one chat are handled in order
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    state: str = Field(default=PENDING, index=True)
    owner: str = ""  # the process (host) that stored it and handles it
    owned_since: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    chat_id: str = ""  # where the stored replies go (set when answered)
    replies: list[dict[str, Any]] | None = Field(default=None, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utcnow, index=True, sa_type=AwareDateTime)


@dataclass(frozen=True)
class InboxItem:
    row_id: int
    channel: str
    update_id: str
    chat_key: str
    payload: dict[str, Any]
    state: str = PENDING
    chat_id: str = ""
    replies: tuple[Reply, ...] = ()


def store(
    engine: Engine,
    channel: str,
    update_id: str,
    chat_key: str,
    payload: dict[str, Any],
    owner: str = "",
) -> int | None:
    """Write an update durably; its row id, or None when it was already stored (a redelivery)."""
    try:
        with write_session(engine) as session:
            row = InboxUpdate(
                channel=channel,
                update_id=update_id,
                chat_key=chat_key,
                payload=payload,
                owner=owner,
            )
            session.add(row)
            session.flush()
            return row.id
    except IntegrityError:
        return None


Record = Callable[[Session, Incoming, list[Reply]], None]


def recorder(channel: str, update_id: str) -> Record:
    """A Conversation.handle `record` hook: store the replies with the conversation's commit."""

    def record(session: Session, incoming: Incoming, replies: list[Reply]) -> None:
        session.exec(  # type: ignore[call-overload]
            update(InboxUpdate)
            .where(col(InboxUpdate.channel) == channel, col(InboxUpdate.update_id) == update_id)
            .values(state=ANSWERED, chat_id=incoming.chat_id, replies=dump_replies(replies))
        )

    return record


def mark_done(engine: Engine, row_id: int) -> None:
    with write_session(engine) as session:
        session.exec(  # type: ignore[call-overload]
            update(InboxUpdate).where(col(InboxUpdate.id) == row_id).values(state=DONE)
        )


def unfinished(
    engine: Engine,
    channel: str,
    owner: str = "",
    *,
    take_over_after: timedelta = TAKE_OVER_AFTER,
) -> list[InboxItem]:
    """Updates of a channel stored but not done, oldest first, to resume after a restart: this
    owner's, and other owners' once older than `take_over_after` (claimed, so only one
    replica takes each)."""
    stale_before = utcnow() - take_over_after
    with write_session(engine) as session:
        rows = session.exec(
            select(InboxUpdate)
            .where(InboxUpdate.channel == channel, InboxUpdate.state != DONE)
            .order_by(col(InboxUpdate.id))
        ).all()
        mine = []
        for row in rows:
            if row.owner != owner:
                if row.owned_since >= stale_before:
                    continue  # another replica is probably handling it right now
                claimed = session.exec(  # type: ignore[call-overload]
                    update(InboxUpdate)
                    .where(col(InboxUpdate.id) == row.id, col(InboxUpdate.owner) == row.owner)
                    .values(owner=owner, owned_since=utcnow())
                ).rowcount
                if claimed != 1:
                    continue
            mine.append(to_item(row))
    return mine


def load(engine: Engine, row_id: int) -> InboxItem | None:
    with read_session(engine) as session:
        row = session.get(InboxUpdate, row_id)
    return None if row is None else to_item(row)


def to_item(row: InboxUpdate) -> InboxItem:
    assert row.id is not None
    return InboxItem(
        row_id=row.id,
        channel=row.channel,
        update_id=row.update_id,
        chat_key=row.chat_key,
        payload=dict(row.payload or {}),
        state=row.state,
        chat_id=row.chat_id,
        replies=tuple(load_replies(row.replies or [])),
    )


def prune(engine: Engine, older_than: timedelta) -> int:
    """Forget done updates older than `older_than` (redeliveries come within minutes)."""
    with write_session(engine) as session:
        result = session.exec(  # type: ignore[call-overload]
            delete(InboxUpdate).where(
                col(InboxUpdate.state) == DONE, col(InboxUpdate.created_at) < utcnow() - older_than
            )
        )
        return int(result.rowcount or 0)


def dump_replies(replies: list[Reply]) -> list[dict[str, Any]]:
    out = []
    for reply in replies:
        item: dict[str, Any] = {
            "text": reply.text,
            "choices": [[c.label, c.payload] for c in reply.choices],
            "chat_id": reply.chat_id,
        }
        if reply.attachment is not None:
            a = reply.attachment
            item["attachment"] = {
                "filename": a.filename,
                "data": base64.b64encode(a.data).decode("ascii"),
                "mime_type": a.mime_type,
                "fallback": a.fallback,
            }
        out.append(item)
    return out


def load_replies(items: list[dict[str, Any]]) -> list[Reply]:
    replies = []
    for item in items:
        attachment = None
        if item.get("attachment"):
            a = item["attachment"]
            attachment = Attachment(
                a["filename"], base64.b64decode(a["data"]), a["mime_type"], a.get("fallback", "")
            )
        replies.append(
            Reply(
                item["text"],
                [Choice(label, payload) for label, payload in item.get("choices", [])],
                attachment,
                item.get("chat_id", ""),
            )
        )
    return replies
