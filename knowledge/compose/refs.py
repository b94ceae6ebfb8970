"""Plain references (TaskRef, DeadlineRef, …) built from rows, in batches."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import NamedTuple

from sqlmodel import Session, col, select

from knowledge.answers import Answer, DeadlineRef, DocumentRef, SourceRef, TaskRef, UnitRef
from knowledge.kb import RETIRED_TAG, DocInfo, Snapshot, UnitInfo, section_label
from knowledge.models import Deadline, DeadlineUnit, Task, TaskUnit, Unit, UnitRole
from knowledge.normalize import nfc
from knowledge.recurrence import describe_rule, next_due

ALL_UNITS = "Tất cả các phòng, đơn vị"


def unit_ref(unit: UnitInfo) -> UnitRef:
    return UnitRef(name=unit.name, short=unit.short_name)


def unit_label(unit: UnitInfo) -> str:
    """ "Phòng Tổ chức cán bộ (TCCB)" """
    if unit.short_name and unit.short_name.lower() not in unit.name.lower():
        return f"{unit.name} ({unit.short_name})"
    return unit.name


def expired(doc: DocInfo | None, today: date) -> bool:
    """A plan whose period ended before today's year (its items no longer in force)."""
    if doc is None or doc.kind != "kế hoạch":
        return False
    end = doc.period_end or doc.issued_year
    return end is not None and end < today.year


def doc_tag(doc: DocInfo | None, today: date) -> str:
    """The document's label with ", đã hết thời hạn" for an expired plan."""
    if doc is None:
        return ""
    return f"{doc.label}, đã hết thời hạn" if expired(doc, today) else doc.label


EXPIRED_TAG = "đã hết thời hạn"


def label_expired(answer: Answer, snap: Snapshot, today: date) -> Answer:
    """Every citation of an expired document says so, whatever composed the answer: its
    sources, its document refs and each place its text names the document (a retired
    document's label already carries "(đã ngừng áp dụng)" from the snapshot)."""
    tags = {
        d.label: doc_tag(d, today)
        for d in snap.docs.values()
        if expired(d, today) and not d.label.endswith(f"({RETIRED_TAG})")
    }
    if not tags:
        return answer
    pattern = re.compile(  # the look-ahead holds for every label, not only the last one
        "(?:"
        + "|".join(re.escape(label) for label in sorted(tags, key=len, reverse=True))
        + rf")(?!,\s*{EXPIRED_TAG})"
    )

    def tag(text: str) -> str:
        return pattern.sub(lambda m: tags[m.group()], text)

    answer.text = tag(answer.text)
    answer.more = [tag(page) for page in answer.more]
    answer.sources = [
        replace(s, document=tags.get(s.document, s.document)) for s in answer.sources
    ]
    answer.documents = [replace(d, title=tags.get(d.title, d.title)) for d in answer.documents]
    return answer


def document_ref(doc: DocInfo) -> DocumentRef:
    issuer = doc.issuer
    if doc.issuer_parent and doc.issuer_parent not in issuer:
        issuer = f"{issuer}, {doc.issuer_parent}" if issuer else doc.issuer_parent
    return DocumentRef(
        title=doc.label, kind=doc.kind, number=doc.number, date=doc.date_text, issuer=issuer
    )


class TaskRow(NamedTuple):
    """The columns of a task that answers show (TASK_COLUMNS, in order), loaded without its
    long product and search text; `role` when the query also selects TaskUnit.role."""

    id: int
    document_id: int
    number: str
    content: str
    lead_text: str
    cooperate_text: str
    due_text: str
    section_path: str
    role: UnitRole | None = None


TASK_COLUMNS = (
    col(Task.id), col(Task.document_id), col(Task.number), col(Task.content),
    col(Task.lead_text), col(Task.cooperate_text), col(Task.due_text), col(Task.section_path),
)  # fmt: skip


def task_section(task: Task | TaskRow) -> str:
    return f"{nfc(task.section_path) or 'Danh mục'}, nhiệm vụ {task.number}".strip(", ")


def task_source(snap: Snapshot, task: Task | TaskRow) -> SourceRef:
    doc = snap.docs.get(task.document_id)
    return SourceRef(document=doc.label if doc else "", section=task_section(task))


def task_units(
    session: Session, task_ids: list[int]
) -> dict[int, dict[str, list[tuple[int, str]]]]:
    """task id → {"lead": [(unit id, name)], "cooperate": [...]}, in cell order."""
    out: dict[int, dict[str, list[tuple[int, str]]]] = {
        t: {UnitRole.LEAD.value: [], UnitRole.COOPERATE.value: []} for t in task_ids
    }
    if not task_ids:
        return out
    rows = session.exec(
        select(TaskUnit.task_id, TaskUnit.role, Unit.id, Unit.name)
        .join(Unit, col(Unit.id) == col(TaskUnit.unit_id))
        .where(col(TaskUnit.task_id).in_(task_ids))
        .order_by(col(TaskUnit.task_id), col(TaskUnit.position))
    ).all()
    for task_id, role, unit_id, name in rows:
        role = role.value if hasattr(role, "value") else str(role)
        out[task_id].setdefault(role, []).append((unit_id or 0, nfc(name)))
    return out


def task_ref(
    snap: Snapshot,
    task: Task | TaskRow,
    units: dict[str, list[tuple[int, str]]],
    role: str | None = None,
) -> TaskRef:
    doc = snap.docs.get(task.document_id)
    lead = [name for _, name in units.get("lead", [])] or _cell(task.lead_text)
    coop = [name for _, name in units.get("cooperate", [])] or _cell(task.cooperate_text)
    return TaskRef(
        document=doc.label if doc else "",
        number=nfc(task.number),
        content=nfc(task.content),
        lead=lead,
        cooperate=coop,
        due_text=nfc(task.due_text),
        role=role,
    )


def _cell(text: str) -> list[str]:
    text = nfc(text or "").strip()
    return [p.strip() for p in text.replace(";", ",").split(",") if p.strip()] if text else []


def deadline_units(session: Session, deadline_ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {d: [] for d in deadline_ids}
    if not deadline_ids:
        return out
    rows = session.exec(
        select(DeadlineUnit, Unit)
        .join(Unit, col(Unit.id) == col(DeadlineUnit.unit_id))
        .where(col(DeadlineUnit.deadline_id).in_(deadline_ids))
        .order_by(col(DeadlineUnit.id))
    ).all()
    for du, unit in rows:
        out[du.deadline_id].append(nfc(unit.name))
    return out


def deadline_ref(snap: Snapshot, dl: Deadline, units: list[str], today: date) -> DeadlineRef:
    doc = snap.docs.get(dl.document_id)
    due = next_due(dl, today)
    names = list(units)
    if dl.all_units and ALL_UNITS not in names:
        names.insert(0, ALL_UNITS)
    kind = dl.rule_kind.value if hasattr(dl.rule_kind, "value") else str(dl.rule_kind)
    return DeadlineRef(
        title=nfc(dl.title),
        due=due.isoformat() if due else None,
        due_text=nfc(dl.quote),
        recurrence=kind,
        units=names,
        document=doc.label if doc else "",
    )


def deadline_source(snap: Snapshot, dl: Deadline) -> SourceRef:
    doc = snap.docs.get(dl.document_id)
    return SourceRef(document=doc.label if doc else "", section=section_label(dl.section_path))


def rule_text(dl: Deadline) -> str:
    try:
        return describe_rule(dl)
    except (TypeError, ValueError):
        return ""
