"""Tables of the audience and the reminder outbox: people, their chats, sends, done marks."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from knowledge.dbtypes import AwareDateTime, enum_column
from knowledge.models import utcnow


class Person(SQLModel, table=True):
    """Whoever receives reminders: a person (possibly linked across channels) or a group chat.

    A unit, one reminder schedule. `offsets`/`reminder_time` None means the .env defaults.
    """

    id: int | None = Field(default=None, primary_key=True)
    display_name: str = ""
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    # the school/office of a collective unit the person belongs to (knowledge.models.UnitMember)
    member_id: int | None = Field(default=None, foreign_key="unitmember.id", index=True)
    reminders_enabled: bool = True
    offsets: list[int] | None = Field(default=None, sa_column=Column(JSON))
    reminder_time: str | None = None  # "HH:MM"
    deliver_all_channels: bool = False  # linked person: remind on every channel, not one
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)


class ChatAddress(SQLModel, table=True):
    """One chat on one channel ("telegram", "zalo", "console") belonging to a Person."""

    __table_args__ = (UniqueConstraint("channel", "chat_id"),)
    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(index=True)
    chat_id: str = Field(index=True)
    user_id: str = ""  # the channel's user id of the person (empty for groups)
    display_name: str = ""
    is_group: bool = False
    person_id: int = Field(foreign_key="person.id", index=True)
    active: bool = True  # False after the chat blocked the bot (403)
    is_primary: bool = True  # the chat a linked person's reminders go to
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)


class ReminderKind(str, Enum):
    BEFORE = "before"  # `offset_days` days before the due date (0 = on the day)
    OVERDUE = "overdue"  # the single "quá hạn" notice after the due date
    BROADCAST = "broadcast"  # an admin's /guitin message (jobs/broadcast.py), not a deadline
    NOTICE = "notice"  # a message to admins (an approval request, jobs/approvals.py), with buttons


class OutboxStatus(str, Enum):
    PENDING = "pending"  # waiting to be sent (new, or a transient failure to retry)
    SENDING = "sending"  # handed to a channel; a crash leaves it here and it is re-sent once
    SENT = "sent"
    FAILED = "failed"  # permanent: the chat blocked the bot, or the channel rejected the text
    CANCELLED = "cancelled"  # the occurrence was marked done before the send


class ReminderLog(SQLModel, table=True):
    """The outbox and the sent log of reminders: one row per idempotency key, never two."""

    __table_args__ = (UniqueConstraint("key"),)
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(index=True)  # person + occurrence + kind/offset (+ address when all channels)
    person_id: int = Field(foreign_key="person.id", index=True)
    address_id: int = Field(foreign_key="chataddress.id", index=True)
    channel: str = Field(index=True)
    chat_id: str = ""
    is_group: bool = False
    unit_id: int | None = Field(default=None, index=True)
    member_id: int | None = Field(default=None, index=True)  # the member of a collective unit
    deadline_id: int = Field(index=True)
    due: date
    occurrence_key: str = Field(index=True)
    kind: ReminderKind = Field(default=ReminderKind.BEFORE, sa_type=enum_column(ReminderKind))
    offset_days: int = 0
    planned_for: datetime = Field(sa_type=AwareDateTime)  # when the planner scheduled it
    text: str = Field(default="", sa_column=Column(Text))
    # buttons sent with the message: [[label, payload], …] (channels without buttons ignore them)
    choices: list[list[str]] | None = Field(default=None, sa_column=Column(JSON))
    status: OutboxStatus = Field(
        default=OutboxStatus.PENDING, index=True, sa_type=enum_column(OutboxStatus)
    )
    attempts: int = 0
    next_attempt_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    last_error: str = ""
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class DoneMark(SQLModel, table=True):
    """A unit (or one member of a collective unit) marked one occurrence done; undoing keeps the
    row (audit) and sets `undone_at`. `member_id` None: the whole unit."""

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    member_id: int | None = Field(default=None, foreign_key="unitmember.id", index=True)
    on_behalf: bool = False  # recorded by an admin for the unit ("ghi nhận bởi …")
    deadline_id: int = Field(index=True)
    due: date
    occurrence_key: str = Field(index=True)
    marked_by_person_id: int | None = Field(default=None, foreign_key="person.id")
    marked_by: str = ""  # display name and channel, as shown in the audit
    marked_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    undone_by: str = ""
    undone_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class MemberApproval(SQLModel, table=True):
    """An admin approved a person as a member of a unit: only approved members may mark done."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    member_id: int | None = Field(default=None, foreign_key="unitmember.id")
    approved_by: str = ""
    approved_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class RequestStatus(str, Enum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class ApprovalRequest(SQLModel, table=True):
    """A person asked the admins to approve them as a member of their unit (one open request)."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    unit_id: int = Field(foreign_key="unit.id")
    member_id: int | None = Field(default=None, foreign_key="unitmember.id")
    status: RequestStatus = Field(
        default=RequestStatus.PENDING, index=True, sa_type=enum_column(RequestStatus)
    )
    requested_by: str = ""  # "telegram:12345"
    requested_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    decided_by: str = ""
    decided_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class TickLease(SQLModel, table=True):
    """A named lease in the database: only its owner may run the reminder tick until it expires."""

    name: str = Field(primary_key=True)
    owner: str = ""
    expires_at: datetime = Field(sa_type=AwareDateTime)
    acquired_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)


class ReminderHold(SQLModel, table=True):
    """A person asked about one occurrence: remind again on `until` (snooze, never past the
    due day) or never again (`until` None: mute). The latest row of a person and occurrence
    counts; `cleared_at` ends it ("Nhắc lại như cũ"). Every row stays for the audit."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    occurrence_key: str = Field(index=True)
    deadline_id: int = Field(index=True)
    due: date
    until: date | None = None  # None: muted
    created_by: str = ""  # "telegram:12345 (Nguyễn Văn A)"
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    cleared_by: str = ""
    cleared_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class WeeklyDigest(SQLModel, table=True):
    """A person's choice of the Monday list of the week's deadlines (/nhacnho tuan bat|tat)."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True, unique=True)
    enabled: bool = False
    changed_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
