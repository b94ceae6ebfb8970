"""Duties of a unit: tasks it leads, tasks it cooperates on, its duty bullets; current plan first."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from knowledge.answers import Answer, SourceRef, TaskRef
from knowledge.compose.paging import Block, clip, paged_answer
from knowledge.compose.refs import (
    TASK_COLUMNS,
    task_ref,
    task_source,
    task_units,
    unit_label,
    unit_ref,
)
from knowledge.kb import DocInfo, Snapshot, UnitInfo, section_label
from knowledge.models import Responsibility, Task, TaskUnit, Unit, UnitRole
from knowledge.units import collective_members
from knowledge.normalize import nfc

INTENT = "unit_duties"
MAX_BLOCKS = 120  # beyond this a phone user should ask a narrower question


def document_order(docs: list[DocInfo], today: date) -> list[DocInfo]:
    """Plans covering today first, then other documents covering today, then most recent."""

    def rank(d: DocInfo) -> tuple:
        covers = d.covers(today.year)
        recency = d.period_end or d.issued_year or 0
        return (
            not (covers and d.kind == "kế hoạch"),
            not covers,
            -recency,
            -(d.issued_year or 0),
            -d.id,
        )

    return sorted(docs, key=rank)


def compose(
    session: Session,
    snap: Snapshot,
    unit: UnitInfo,
    *,
    today: date,
    preface: str = "",
    role: str | None = None,
) -> Answer:
    """`role` "lead"/"cooperate" narrows the answer to those tasks (no duty bullets)."""
    rows = session.exec(
        select(*TASK_COLUMNS, TaskUnit.role)
        .join(TaskUnit, TaskUnit.task_id == Task.id)  # type: ignore[arg-type]
        .where(TaskUnit.unit_id == unit.id)
        .order_by(Task.document_id, Task.ordinal)
    ).all()
    if role is not None:
        rows = [t for t in rows if _role(t.role) == role]
        if not rows:
            return compose(session, snap, unit, today=today, preface=preface)
    duties = [] if role is not None else session.exec(
        select(Responsibility.document_id, Responsibility.section_path, Responsibility.text)
        .where(Responsibility.unit_id == unit.id)
        .order_by(Responsibility.document_id, Responsibility.ordinal)
    ).all()  # fmt: skip
    units_of = task_units(session, [t.id for t in rows])
    by_doc: dict[int, dict[str, list]] = {}
    for t in rows:
        by_doc.setdefault(t.document_id, {"lead": [], "cooperate": [], "duty": []})[
            _role(t.role)
        ].append(t)
    for d in duties:
        by_doc.setdefault(d.document_id, {"lead": [], "cooperate": [], "duty": []})["duty"].append(
            d
        )
    docs = document_order([snap.docs[i] for i in by_doc if i in snap.docs], today)

    label = unit_label(unit)
    n_lead = sum(1 for t in rows if _role(t.role) == UnitRole.LEAD.value)
    n_coop = len(rows) - n_lead
    if not rows and not duties:
        text = (
            f"{preface}Chưa thấy nhiệm vụ nào giao riêng cho {label} trong các văn bản hiện có.\n"
            "Bạn có thể hỏi theo nội dung công việc, ví dụ: «ai chủ trì số hoá hồ sơ?»."
        )
        return Answer(intent=INTENT, text=text.strip(), units=[unit_ref(unit)])

    if role == UnitRole.LEAD.value:
        header = f"{preface}{label} chủ trì {n_lead} nhiệm vụ:"
    elif role == UnitRole.COOPERATE.value:
        header = f"{preface}{label} phối hợp {n_coop} nhiệm vụ:"
    else:
        header = f"{preface}{label}: chủ trì {n_lead} nhiệm vụ, phối hợp {n_coop} nhiệm vụ, {len(duties)} nội dung được phân công."
    # Tasks it leads, then tasks it cooperates on, then duty bullets; in each, current plan first.
    blocks: list[Block] = []
    tasks: list[TaskRef] = []
    sections = (
        (UnitRole.LEAD.value, "Chủ trì"),
        (UnitRole.COOPERATE.value, "Phối hợp"),
        ("duty", "Được phân công"),
    )
    for kind, title in sections:
        for doc in docs:
            items = by_doc[doc.id][kind]
            if not items:
                continue
            current = ", đang áp dụng" if doc.covers(today.year) else ""
            if len(blocks) < MAX_BLOCKS:
                blocks.append(Block(f"\n▪ {title} — {doc.label}{current}:", counts=False))
            for item in items:
                if kind == "duty":
                    if len(blocks) < MAX_BLOCKS:
                        src = SourceRef(doc.label, section_label(item.section_path))
                        blocks.append(Block(f"• {clip(nfc(item.text), 220)}", (src,)))
                    continue
                ref = task_ref(snap, item, units_of.get(item.id, {}), role=kind)
                tasks.append(ref)
                if len(blocks) >= MAX_BLOCKS:
                    continue
                line = f"• NV {ref.number}: {clip(ref.content, 150)}"
                if kind == UnitRole.COOPERATE.value and ref.lead:
                    line += f" (chủ trì: {', '.join(ref.lead[:2])})"
                elif ref.due_text:
                    line += f" — {clip(ref.due_text, 40)}"
                blocks.append(Block(line, (task_source(snap, item),)))
    shared = _shared_tasks(session, unit) if role is None else {}
    if shared:
        named = "; ".join(f"«{name}» được giao {n} nhiệm vụ" for name, n in shared.items())
        blocks.append(Block(f"\nNgoài ra (giao chung, gồm cả đơn vị này): {named}.", counts=False))
    shown = sum(1 for b in blocks if b.counts)
    total = len(rows) + len(duties)
    if shown < total:
        blocks.append(
            Block(
                f"(Còn {total - shown} mục nữa; hãy hỏi cụ thể hơn, ví dụ kèm tên kế hoạch.)",
                counts=False,
            )
        )
    return paged_answer(
        INTENT,
        header,
        blocks,
        units=[unit_ref(unit)],
        tasks=tasks,
    )


def _shared_tasks(session: Session, unit: UnitInfo) -> dict[str, int]:
    """Collective units this unit belongs to ("Các phòng CMNV Sở") → how many tasks they have."""
    all_units = list(session.exec(select(Unit)))
    groups = [
        g for g in all_units if unit.id in collective_members(all_units).get(g.id or 0, set())
    ]
    out: dict[str, int] = {}
    for g in groups:
        count = len(session.exec(select(TaskUnit.id).where(TaskUnit.unit_id == g.id)).all())
        if count:
            out[nfc(g.name)] = count
    return out


def _role(role: object) -> str:
    return role.value if isinstance(role, UnitRole) else str(role)
