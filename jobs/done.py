"""Done marks: a unit, or one member of a collective unit, marks an occurrence done (who, when),
or undoes it; both stay in the audit. Approvals of the people who may mark."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session, col, select

from jobs.models import ChatAddress, DoneMark, MemberApproval, Person
from knowledge.models import UnitMember
from knowledge.recurrence import DeadlineOccurrence


def _active_rows(session: Session, occurrence_keys: Iterable[str] | None) -> list[DoneMark]:
    query = select(DoneMark).where(col(DoneMark.undone_at).is_(None))
    if occurrence_keys is None:
        return list(session.exec(query))
    keys = list(set(occurrence_keys))
    rows: list[DoneMark] = []
    for start in range(0, len(keys), 500):
        rows.extend(
            session.exec(query.where(col(DoneMark.occurrence_key).in_(keys[start : start + 500])))
        )
    return rows


def active_marks(
    session: Session, occurrence_keys: Iterable[str] | None = None
) -> dict[tuple[int, str], DoneMark]:
    """Active (not undone) marks of whole units by (unit_id, occurrence_key)."""
    return {
        (m.unit_id, m.occurrence_key): m
        for m in _active_rows(session, occurrence_keys)
        if m.member_id is None
    }


def active_member_marks(
    session: Session,
    occurrence_keys: Iterable[str] | None = None,
) -> dict[tuple[int, str, int], DoneMark]:
    """Active marks of members of collective units by (unit_id, occurrence_key, member_id)."""
    return {
        (m.unit_id, m.occurrence_key, m.member_id): m
        for m in _active_rows(session, occurrence_keys)
        if m.member_id is not None
    }


def done_keys(
    session: Session, occurrence_keys: Iterable[str]
) -> set[tuple[int, str] | tuple[int, str, int]]:
    """What the planner skips: (unit_id, key) for a whole unit, (unit_id, key, member_id) for a
    member."""
    rows = _active_rows(session, occurrence_keys)
    return {
        (m.unit_id, m.occurrence_key)
        if m.member_id is None
        else (m.unit_id, m.occurrence_key, m.member_id)
        for m in rows
    }


def mark_of(
    session: Session,
    *,
    unit_id: int,
    occurrence_key: str,
    member_id: int | None = None,
) -> DoneMark | None:
    """The active mark that covers the unit or member: its own, or the whole unit's."""
    rows = [m for m in _active_rows(session, [occurrence_key]) if m.unit_id == unit_id]
    own = next((m for m in rows if m.member_id == member_id), None)
    return own or next((m for m in rows if m.member_id is None), None)


def mark_done(
    session: Session,
    *,
    unit_id: int,
    occurrence: DeadlineOccurrence,
    person_id: int | None,
    by: str,
    now: datetime,
    member_id: int | None = None,
    on_behalf: bool = False,
) -> DoneMark:
    """Record that the unit (or one member of it) finished the occurrence; marking twice keeps
    the first mark."""
    existing = next(
        (
            m
            for m in _active_rows(session, [occurrence.key])
            if m.unit_id == unit_id and m.member_id == member_id
        ),
        None,
    )
    if existing is not None:
        return existing
    mark = DoneMark(
        unit_id=unit_id,
        member_id=member_id,
        deadline_id=occurrence.deadline_id,
        due=occurrence.due,
        occurrence_key=occurrence.key,
        marked_by_person_id=person_id,
        marked_by=by,
        marked_at=now,
        on_behalf=on_behalf,
    )
    session.add(mark)
    session.flush()
    return mark


def undo_done(
    session: Session,
    *,
    unit_id: int,
    occurrence_key: str,
    by: str,
    now: datetime,
    member_id: int | None = None,
) -> bool:
    """Undo the unit's (or the member's own) active mark; False if there was none."""
    mark = next(
        (
            m
            for m in _active_rows(session, [occurrence_key])
            if m.unit_id == unit_id and m.member_id == member_id
        ),
        None,
    )
    if mark is None:
        return False
    mark.undone_at = now
    mark.undone_by = by
    return True


def is_approved(session: Session, person: Person) -> bool:
    """Whether an admin approved this person as a member of their current unit (and member)."""
    if person.unit_id is None or person.id is None:
        return False
    rows = session.exec(
        select(MemberApproval.member_id).where(
            MemberApproval.person_id == person.id,
            MemberApproval.unit_id == person.unit_id,
            col(MemberApproval.revoked_at).is_(None),
        )
    ).all()
    return any(member_id == person.member_id for member_id in rows)


def approve(session: Session, person: Person, *, by: str, now: datetime) -> bool:
    """Approve the person for their current unit (and member, which is approved with them);
    False if already approved, without a unit, or not stored yet."""
    if person.id is None or person.unit_id is None or is_approved(session, person):
        return False
    session.add(
        MemberApproval(
            person_id=person.id,
            unit_id=person.unit_id,
            member_id=person.member_id,
            approved_by=by,
            approved_at=now,
        )
    )
    if person.member_id is not None:
        member = session.get(UnitMember, person.member_id)
        if member is not None and not member.approved:
            member.approved, member.approved_by, member.approved_at = True, by, now
    return True


def pending_members(session: Session) -> list[Person]:
    """People (not group chats) with a unit who are not approved for it yet."""
    groups = set(
        session.exec(select(ChatAddress.person_id).where(col(ChatAddress.is_group).is_(True)))
    )
    people = select(Person).where(col(Person.unit_id).is_not(None)).order_by(col(Person.id))
    return [p for p in session.exec(people) if p.id not in groups and not is_approved(session, p)]


def acting_person(
    session: Session, *, channel: str, user_id: str, chat_person: Person, is_group: bool
) -> Person | None:
    """Who answers for a done mark: in a private chat its person; in a group the member who
    pressed, through their own private chat with the bot (None if they never had one).

    Approval belongs to a person, never to a group: anyone can join a group chat.
    """
    if not is_group:
        return chat_person
    if not user_id:
        return None
    address = session.exec(
        select(ChatAddress).where(
            ChatAddress.channel == channel,
            ChatAddress.user_id == user_id,
            col(ChatAddress.is_group).is_(False),
        )
    ).first()
    return session.get(Person, address.person_id) if address is not None else None
