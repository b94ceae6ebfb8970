"""What a new or retired document means for reminders: notices to the units it concerns (through
the outbox, once), done marks carried to a replaced version, pending reminders cancelled."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from jobs.audience import expanded
from jobs.broadcast import audience
from jobs.models import DoneMark, OutboxStatus, ReminderKind, ReminderLog
from knowledge.db import write_session
from knowledge.deadlines import load_occurrences
from knowledge.ingest.staging import ConfirmedUpload, confirm, retire_document
from knowledge.models import Deadline, Document, Responsibility, Task, TaskUnit, Unit
from knowledge.recurrence import DeadlineOccurrence
from knowledge.units import collective_members

logger = logging.getLogger(__name__)

NOTICE_HORIZON_DAYS = 400  # the nearest deadline is looked for within about a year


@dataclass(frozen=True)
class UploadOutcome:
    confirmed: ConfirmedUpload
    notices: int  # chats queued for a notice
    units: int  # units (or members) concerned
    carried_marks: int  # done marks kept from the replaced version


def confirm_and_notify(
    engine: Engine, token: str, *, confirmed_by: str, now: datetime
) -> UploadOutcome:
    """ "Nạp": commit the staged document, carry done marks of unchanged deadlines over from the
    version it replaces, and queue one notice per concerned chat, all in one transaction."""
    with write_session(engine) as session:
        return confirm_and_notify_in(session, token, confirmed_by=confirmed_by, now=now)


def confirm_and_notify_in(
    session: Session, token: str, *, confirmed_by: str, now: datetime
) -> UploadOutcome:
    """`confirm_and_notify` in the caller's unit of work (a chat handler's session)."""
    counts: dict[str, int] = {}

    def within(session: Session, confirmed: ConfirmedUpload, moment: datetime) -> None:
        replaced = confirmed.replaced_document_id is not None
        counts["carried"] = kept_marks(session, confirmed.document_id) if replaced else 0
        counts["units"], counts["notices"] = enqueue_document_notices(
            session,
            confirmed.document_id,
            replaced=confirmed.replaced_document_id is not None,
            now=moment,
        )

    counts.update(carried=0, units=0, notices=0)  # a member list announces nothing
    confirmed = confirm(session, token, confirmed_by=confirmed_by, now=now, in_transaction=within)
    return UploadOutcome(confirmed, counts["notices"], counts["units"], counts["carried"])


def kept_marks(session: Session, document_id: int) -> int:
    """Active done marks of the document's deadlines: after a replacement, those of deadlines
    that did not change (their identity, hence their occurrence keys, carry over)."""
    uids = [
        u
        for u in session.exec(select(Deadline.uid).where(Deadline.document_id == document_id))
        if u
    ]
    count = 0
    for uid in uids:
        count += len(
            session.exec(
                select(DoneMark.id).where(
                    col(DoneMark.occurrence_key).startswith(f"{uid}@"),
                    col(DoneMark.undone_at).is_(None),
                )
            ).all()
        )
    return count


def _concerned_units(session: Session, document_id: int) -> dict[int, int]:
    """Unit id → how many of the document's tasks it leads or cooperates on (0: a duty or a
    deadline only); members of a collective count as concerned with it."""
    tasks: dict[int, set[int]] = defaultdict(set)
    rows = session.exec(
        select(TaskUnit.unit_id, TaskUnit.task_id)
        .join(Task, col(Task.id) == col(TaskUnit.task_id))
        .where(Task.document_id == document_id)
    ).all()
    for unit_id, task_id in rows:
        tasks[unit_id].add(task_id)
    concerned = {u: len(t) for u, t in tasks.items()}
    for unit_id in session.exec(
        select(Responsibility.unit_id).where(Responsibility.document_id == document_id)
    ):
        concerned.setdefault(unit_id, 0)
    members = collective_members(list(session.exec(select(Unit))))
    for unit_id, count in list(concerned.items()):
        for member in members.get(unit_id, ()):
            concerned[member] = max(concerned.get(member, 0), count)
    return concerned


def _document_occurrences(
    session: Session, document_id: int, today: date
) -> list[DeadlineOccurrence]:
    found = load_occurrences(session, today, today + timedelta(days=NOTICE_HORIZON_DAYS))
    return expanded(session, [o for o in found if o.document_id == document_id])


def notice_text(
    document: Document,
    unit_name: str,
    tasks: int,
    nearest: DeadlineOccurrence | None,
    *,
    replaced: bool,
) -> str:
    head = "Văn bản được cập nhật" if replaced else "Văn bản mới"
    number = f" số {document.number}" if document.number.strip(" /") else ""
    when = f", {document.date_text}" if document.date_text else ""
    lines = [f"{head}: {document.title}{number}{when}.", f"Đơn vị: {unit_name}."]
    lines.append(
        f"Giao cho đơn vị {tasks} nhiệm vụ."
        if tasks
        else "Văn bản có nội dung liên quan đến đơn vị."
    )
    if nearest is not None:
        lines.append(f"Hạn gần nhất: {nearest.due:%d/%m/%Y} — {nearest.title}.")
    lines.append("Xem chi tiết: /nhiemvu, /hanchot, hoặc hỏi bot về văn bản này.")
    return "\n".join(lines)


def enqueue_document_notices(
    session: Session, document_id: int, *, replaced: bool, now: datetime
) -> tuple[int, int]:
    """Queue one notice per chat of each concerned unit; returns (units, chats queued)."""
    document = session.get(Document, document_id)
    if document is None:
        return 0, 0
    concerned = _concerned_units(session, document_id)
    occurrences = _document_occurrences(session, document_id, now.date())
    for occ in occurrences:
        for unit_id in [] if occ.all_units else occ.unit_ids:
            concerned.setdefault(unit_id, 0)
    names = dict(session.exec(select(Unit.id, Unit.name)).all())
    occurrence_key = f"document:{document_id}"
    existing = set(
        session.exec(select(ReminderLog.key).where(ReminderLog.occurrence_key == occurrence_key))
    )
    queued = 0
    for unit_id in sorted(concerned):
        nearest = next((o for o in occurrences if o.concerns(unit_id)), None)
        text = notice_text(
            document, names.get(unit_id, ""), concerned[unit_id], nearest, replaced=replaced
        )
        for person, address in audience(session, unit_id):
            key = f"{occurrence_key}:{address.id}"
            if key in existing:
                continue
            existing.add(key)
            session.add(
                ReminderLog(
                    key=key,
                    person_id=person.id or 0,
                    address_id=address.id or 0,
                    channel=address.channel,
                    chat_id=address.chat_id,
                    is_group=address.is_group,
                    unit_id=unit_id,
                    deadline_id=0,
                    due=now.date(),
                    occurrence_key=occurrence_key,
                    kind=ReminderKind.BROADCAST,
                    offset_days=0,
                    planned_for=now.astimezone(UTC),
                    text=text,
                    status=OutboxStatus.PENDING,
                )
            )
            queued += 1
    session.flush()
    logger.info("document %s: %d notices queued for %d units", document_id, queued, len(concerned))
    return len(concerned), queued


def retire(session: Session, document_id: int, *, retired_by: str, now: datetime) -> bool:
    """ "Ngừng áp dụng": no more reminders of the document; pending ones are cancelled."""
    if not retire_document(session, document_id, retired_by=retired_by, now=now):
        return False
    deadline_ids = select(Deadline.id).where(Deadline.document_id == document_id)
    session.execute(
        update(ReminderLog)
        .where(
            col(ReminderLog.status) == OutboxStatus.PENDING,
            col(ReminderLog.deadline_id).in_(deadline_ids),
        )
        .values(
            status=OutboxStatus.CANCELLED, last_error="văn bản đã ngừng áp dụng", updated_at=now
        )
    )
    return True


def retire_document_now(
    engine: Engine, document_id: int, *, retired_by: str, now: datetime
) -> bool:
    """`retire` in its own unit of work (for the web board)."""
    with write_session(engine) as session:
        return retire(session, document_id, retired_by=retired_by, now=now)
