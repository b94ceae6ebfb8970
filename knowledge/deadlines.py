"""Deadline queries: concrete occurrences of the stored rules in a date window."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from knowledge.identity import split_occurrence_key
from knowledge.models import Deadline, DeadlineUnit, Document, DocumentRetirement, Unit
from knowledge.recurrence import DeadlineOccurrence, dates_between
from knowledge.units import collective_members


def load_occurrences(session: Session, start: date, end: date) -> list[DeadlineOccurrence]:
    """Every concrete due date with start <= due <= end, sorted by due date then deadline.

    `unit_ids` holds the linked units plus the members of linked collective units. Deadlines of
    a document an admin retired ("Ngừng áp dụng") have no occurrences: nothing reminds them.
    """
    retired = set(session.exec(select(DocumentRetirement.document_id)).all())
    deadlines = [
        d
        for d in session.exec(select(Deadline).order_by(col(Deadline.id))).all()
        if d.document_id not in retired
    ]
    if not deadlines:
        return []
    titles = {d.id: d.title for d in session.exec(select(Document)).all()}
    members = collective_members(list(session.exec(select(Unit)).all()))
    units: dict[int, set[int]] = {}
    for link in session.exec(select(DeadlineUnit)).all():
        linked = units.setdefault(link.deadline_id, set())
        linked.add(link.unit_id)
        linked.update(members.get(link.unit_id, ()))
    out: list[DeadlineOccurrence] = []
    for deadline in deadlines:
        assert deadline.id is not None
        for due in dates_between(deadline, start, end):
            out.append(
                DeadlineOccurrence(
                    deadline_id=deadline.id,
                    due=due,
                    title=deadline.title,
                    quote=deadline.quote,
                    rule_kind=deadline.rule_kind,
                    document_id=deadline.document_id,
                    document_title=titles.get(deadline.document_id, ""),
                    section_path=deadline.section_path,
                    unit_ids=frozenset(units.get(deadline.id, set())),
                    all_units=deadline.all_units,
                    uid=deadline.uid,
                )
            )
    out.sort(key=lambda o: (o.due, o.deadline_id))
    return out


def find_occurrence(session: Session, key: str) -> DeadlineOccurrence | None:
    """The occurrence with this key ("<uid>@<due>"), if a stored rule still produces it."""
    parts = split_occurrence_key(key)
    if parts is None:
        return None
    _, due = parts
    return next((o for o in load_occurrences(session, due, due) if o.key == key), None)


def occurrences_for_unit(
    session: Session, unit_id: int | None, start: date, end: date
) -> list[DeadlineOccurrence]:
    """Occurrences that concern the unit (its own or all-unit deadlines); None → all-unit ones
    only."""
    return [o for o in load_occurrences(session, start, end) if o.concerns(unit_id)]
