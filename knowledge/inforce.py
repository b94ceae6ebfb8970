"""Which documents and units are in force: retired or superseded documents no longer make a unit
current, so pickers and reminders leave out units only they name (Q&A still finds them)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from knowledge.models import (
    Deadline,
    DeadlineUnit,
    Document,
    DocumentRetirement,
    Responsibility,
    Task,
    TaskUnit,
    Unit,
)
from knowledge.normalize import fold
from knowledge.recurrence import next_due


def _covers(doc: Document, year: int) -> bool:
    start = doc.period_start or doc.issued_year
    end = doc.period_end or start
    return start is not None and end is not None and start <= year <= end


def documents_in_force(session: Session, today: date) -> set[int]:
    """Documents not retired and not superseded: a document whose period has ended is
    superseded once a document of the same kind and issuer governs the current year."""
    retired = set(session.exec(select(DocumentRetirement.document_id)).all())
    docs = {
        d.id: d for d in session.exec(select(Document)) if d.id is not None and d.id not in retired
    }
    current = {(d.kind, fold(d.issuer)) for d in docs.values() if _covers(d, today.year)}
    return {
        doc_id
        for doc_id, d in docs.items()
        if not (
            d.period_end is not None
            and d.period_end < today.year
            and (d.kind, fold(d.issuer)) in current
        )
    }


def _naming_documents(session: Session) -> dict[int, set[int]]:
    """Unit id → the documents that name it (catalogue rows, duties, deadlines)."""
    named: dict[int, set[int]] = {}
    for unit_id, doc_id in session.exec(
        select(TaskUnit.unit_id, Task.document_id).join(
            Task, col(Task.id) == col(TaskUnit.task_id)
        )
    ):
        named.setdefault(unit_id, set()).add(doc_id)
    for unit_id, doc_id in session.exec(
        select(Responsibility.unit_id, Responsibility.document_id)
    ):
        named.setdefault(unit_id, set()).add(doc_id)
    for unit_id, doc_id in session.exec(
        select(DeadlineUnit.unit_id, Deadline.document_id).join(
            Deadline, col(Deadline.id) == col(DeadlineUnit.deadline_id)
        )
    ):
        named.setdefault(unit_id, set()).add(doc_id)
    return named


def _still_due(session: Session, today: date, usable: set[int]) -> set[int]:
    """Units a deadline of a usable (not retired) document still has a date for."""
    units: set[int] = set()
    for link, deadline in session.exec(
        select(DeadlineUnit, Deadline).join(
            Deadline, col(Deadline.id) == col(DeadlineUnit.deadline_id)
        )
    ):
        if deadline.document_id in usable and next_due(deadline, today) is not None:
            units.add(link.unit_id)
    return units


def units_in_force(session: Session, today: date) -> set[int]:
    """Units to offer and remind: the Sở's own departments, units no document names (e.g.
    members added by hand), and units an in-force document names or a live deadline concerns."""
    in_force_docs = documents_in_force(session, today)
    retired = set(session.exec(select(DocumentRetirement.document_id)).all())
    usable = {d for d in session.exec(select(Document.id)) if d is not None and d not in retired}
    named = _naming_documents(session)
    live = _still_due(session, today, usable)
    out = set()
    for unit in session.exec(select(Unit)):
        if unit.id is None:
            continue
        built_in_department = not unit.is_collective and not unit.learned_from
        docs = named.get(unit.id, set())
        if built_in_department or not docs or docs & in_force_docs or unit.id in live:
            out.add(unit.id)
    return out
