"""Done marks: a unit marks an occurrence done (who, when), or undoes it; both stay in the audit."""

from __future__ import annotations

from datetime import datetime
from typing import Iterable

from sqlmodel import Session, select

from jobs.models import DoneMark, MemberApproval, Person
from knowledge.recurrence import DeadlineOccurrence


def active_marks(session: Session, occurrence_keys: Iterable[str] | None = None) -> dict[tuple[int, str], DoneMark]:
    """Active (not undone) marks by (unit_id, occurrence_key)."""
    query = select(DoneMark).where(DoneMark.undone_at.is_(None))  # type: ignore[union-attr]
    marks: dict[tuple[int, str], DoneMark] = {}
    if occurrence_keys is None:
        rows = list(session.exec(query))
    else:
        keys = list(set(occurrence_keys))
        rows = []
        for start in range(0, len(keys), 500):
            rows.extend(session.exec(query.where(DoneMark.occurrence_key.in_(keys[start : start + 500]))))
    for mark in rows:
        marks[(mark.unit_id, mark.occurrence_key)] = mark
    return marks


def mark_done(session: Session, *, unit_id: int, occurrence: DeadlineOccurrence, person_id: int | None,
              by: str, now: datetime) -> DoneMark:
    """Record that the unit finished the occurrence; marking twice keeps the first mark."""
    existing = active_marks(session, [occurrence.key]).get((unit_id, occurrence.key))
    if existing is not None:
        return existing
    mark = DoneMark(unit_id=unit_id, deadline_id=occurrence.deadline_id, due=occurrence.due,
                    occurrence_key=occurrence.key, marked_by_person_id=person_id, marked_by=by,
                    marked_at=now)
    session.add(mark)
    session.flush()
    return mark


def undo_done(session: Session, *, unit_id: int, occurrence_key: str, by: str, now: datetime) -> bool:
    """Undo the unit's active mark; False if there was none."""
    mark = active_marks(session, [occurrence_key]).get((unit_id, occurrence_key))
    if mark is None:
        return False
    mark.undone_at = now
    mark.undone_by = by
    return True


def is_approved(session: Session, person: Person) -> bool:
    """Whether an admin approved this person as a member of their current unit."""
    if person.unit_id is None or person.id is None:
        return False
    return session.exec(
        select(MemberApproval.id).where(
            MemberApproval.person_id == person.id, MemberApproval.unit_id == person.unit_id,
            MemberApproval.revoked_at.is_(None),  # type: ignore[union-attr]
        )
    ).first() is not None


def approve(session: Session, person: Person, *, by: str, now: datetime) -> bool:
    """Approve the person for their current unit; False if already approved or without a unit."""
    if person.unit_id is None or is_approved(session, person):
        return False
    session.add(MemberApproval(person_id=person.id, unit_id=person.unit_id, approved_by=by,
                               approved_at=now))
    return True


def pending_members(session: Session) -> list[Person]:
    """People with a unit who are not approved for it yet."""
    return [p for p in session.exec(select(Person).where(Person.unit_id.is_not(None)).order_by(Person.id))  # type: ignore[union-attr]
            if not is_approved(session, p)]


def reject(session: Session, person: Person) -> bool:
    """Turn down a pending membership: the person leaves the unit they claimed (they keep their
    chats and may choose a unit again). False if there was nothing pending."""
    if person.unit_id is None or is_approved(session, person):
        return False
    person.unit_id = None
    session.add(person)
    return True
