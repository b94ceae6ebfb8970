"""Duties of a unit: tasks it leads, tasks it cooperates on, its duty bullets; current plan first."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from knowledge.answers import Answer, SourceRef, TaskRef
from knowledge.compose.paging import Block, clip, paginate
from knowledge.compose.refs import task_ref, task_source, task_units, unit_label, unit_ref
from knowledge.kb import DocInfo, Snapshot, UnitInfo, section_label
from knowledge.models import Responsibility, Task, TaskUnit, UnitRole
from knowledge.normalize import nfc

INTENT = "unit_duties"


def document_order(docs: list[DocInfo], today: date) -> list[DocInfo]:
    """Plans covering today first, then other documents covering today, then most recent."""

    def rank(d: DocInfo) -> tuple:
        covers = d.covers(today.year)
        recency = d.period_end or d.issued_year or 0
        return (not (covers and d.kind == "kế hoạch"), not covers, -recency, -(d.issued_year or 0), -d.id)

    return sorted(docs, key=rank)


def compose(session: Session, snap: Snapshot, unit: UnitInfo, *, today: date, preface: str = "") -> Answer:
    rows = session.exec(
        select(Task, TaskUnit)
        .join(TaskUnit, TaskUnit.task_id == Task.id)  # type: ignore[arg-type]
        .where(TaskUnit.unit_id == unit.id)
        .order_by(Task.document_id, Task.ordinal)
    ).all()
    duties = session.exec(
        select(Responsibility)
        .where(Responsibility.unit_id == unit.id)
        .order_by(Responsibility.document_id, Responsibility.ordinal)
    ).all()
    units_of = task_units(session, [t.id for t, _ in rows if t.id is not None])
    doc_ids = {t.document_id for t, _ in rows} | {d.document_id for d in duties}
    docs = document_order([snap.docs[i] for i in doc_ids if i in snap.docs], today)

    label = unit_label(unit)
    n_lead = sum(1 for _, tu in rows if _role(tu) == UnitRole.LEAD.value)
    n_coop = len(rows) - n_lead
    if not rows and not duties:
        text = (
            f"{preface}Chưa thấy nhiệm vụ nào giao riêng cho {label} trong các văn bản hiện có.\n"
            "Bạn có thể hỏi theo nội dung công việc, ví dụ: «ai chủ trì số hoá hồ sơ?»."
        )
        return Answer(intent=INTENT, text=text.strip(), units=[unit_ref(unit)])

    header = f"{preface}{label}: chủ trì {n_lead} nhiệm vụ, phối hợp {n_coop} nhiệm vụ, {len(duties)} nội dung được phân công."
    blocks: list[Block] = []
    tasks: list[TaskRef] = []
    for doc in docs:
        current = " (đang áp dụng)" if doc.covers(today.year) else ""
        blocks.append(Block(f"\n▪ Theo {doc.label}{current}:", counts=False))
        for role, title in ((UnitRole.LEAD.value, "Chủ trì"), (UnitRole.COOPERATE.value, "Phối hợp")):
            for task, tu in rows:
                if task.document_id != doc.id or _role(tu) != role:
                    continue
                ref = task_ref(snap, task, units_of.get(task.id or 0, {}), role=role)
                tasks.append(ref)
                line = f"• {title} NV {ref.number}: {clip(ref.content, 150)}"
                if role == UnitRole.COOPERATE.value and ref.lead:
                    line += f" (chủ trì: {', '.join(ref.lead[:2])})"
                elif ref.due_text:
                    line += f" — {clip(ref.due_text, 40)}"
                blocks.append(Block(line, (task_source(snap, task),)))
        for duty in duties:
            if duty.document_id != doc.id:
                continue
            src = SourceRef(document=doc.label, section=section_label(duty.section_path))
            blocks.append(Block(f"• {clip(nfc(duty.text), 220)}", (src,)))
    pages = paginate(header, blocks)
    return Answer(
        intent=INTENT,
        text=pages.text,
        more=pages.more,
        units=[unit_ref(unit)],
        tasks=tasks,
        sources=pages.sources,
    )


def _role(tu: TaskUnit) -> str:
    return tu.role.value if hasattr(tu.role, "value") else str(tu.role)
