"""Duties of a unit: tasks it leads, tasks it cooperates on, its duty bullets; current plan
first."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from knowledge.answers import Answer, SourceRef, TaskRef
from knowledge.compose.paging import Block, clip, paged_answer
from knowledge.compose.refs import (
    TASK_COLUMNS,
    TaskRow,
    doc_tag,
    expired,
    task_ref,
    task_source,
    task_units,
    unit_label,
    unit_ref,
)
from knowledge.compose.snippets import focused
from knowledge.kb import DocInfo, Snapshot, UnitInfo, section_label
from knowledge.models import Responsibility, Task, TaskUnit, Unit, UnitRole
from knowledge.normalize import fold, nfc, search_key
from knowledge.search import terms
from knowledge.units import collective_members

INTENT = "unit_duties"
MAX_BLOCKS = 120  # beyond this a phone user should ask a narrower question


def document_order(
    docs: list[DocInfo], today: date, years: list[int] | None = None
) -> list[DocInfo]:
    """Documents of the asked years first, then plans covering today, then other documents
    covering today, then the most recent."""

    def rank(d: DocInfo) -> tuple:
        covers = d.covers(today.year)
        named = bool(years) and all(d.covers(y) for y in years or [])
        recency = d.period_end or d.issued_year or 0
        return (
            not named,
            not (covers and d.kind == "kế hoạch"),
            not covers,
            -recency,
            -(d.issued_year or 0),
            -d.id,
        )

    return sorted(docs, key=rank)


class DutyRow(NamedTuple):
    """A duty bullet's columns that the answer shows."""

    document_id: int
    section_path: str
    text: str


Row = TaskRow | DutyRow


@dataclass
class _Items:
    """A unit's rows, grouped by document and role."""

    tasks: list[TaskRow] = field(default_factory=list)
    duties: list[DutyRow] = field(default_factory=list)
    by_doc: dict[int, dict[str, list[Row]]] = field(default_factory=dict)
    # (row, text, search terms), built on the first topic question
    row_terms: list[tuple[Row, str, frozenset[str]]] | None = None


def _load(session: Session, unit: UnitInfo, role: str | None) -> _Items:
    query = (
        select_columns(*TASK_COLUMNS, col(TaskUnit.role))
        .join(TaskUnit, col(TaskUnit.task_id) == col(Task.id))
        .where(col(TaskUnit.unit_id) == unit.id)
        .order_by(col(Task.document_id), col(Task.ordinal))
    )
    rows = [TaskRow(*r) for r in session.execute(query)]
    if role is not None:
        rows = [t for t in rows if _role(t.role) == role]
    duties = [] if role is not None else [DutyRow(*r) for r in session.exec(
        select(Responsibility.document_id, Responsibility.section_path, Responsibility.text)
        .where(Responsibility.unit_id == unit.id)
        .order_by(col(Responsibility.document_id), col(Responsibility.ordinal))
    )]  # fmt: skip
    items = _Items(rows, duties)
    for t in rows:
        items.by_doc.setdefault(t.document_id, _empty())[_role(t.role)].append(t)
    for d in duties:
        items.by_doc.setdefault(d.document_id, _empty())["duty"].append(d)
    return items


def _empty() -> dict[str, list[Row]]:
    return {"lead": [], "cooperate": [], "duty": []}


def compose(
    session: Session,
    snap: Snapshot,
    unit: UnitInfo,
    *,
    today: date,
    preface: str = "",
    role: str | None = None,
    years: list[int] | None = None,
    topic: str = "",
    doc_ids: tuple[int, ...] = (),
) -> Answer:
    """`role` "lead"/"cooperate" narrows the answer to those tasks (no duty bullets); `years`
    or `doc_ids` (a plan or period the question names) count and show the rows of those
    documents first, the others after; `topic` puts the rows about it first."""
    every = snap.memoized(("duties", unit.id, role), lambda: _load(session, unit, role))
    ids = _scope_ids(snap, years, doc_ids)
    if role is not None and (not every.tasks or ids and not ids & set(every.by_doc)):
        # "KHTC chủ trì gì trong công văn X": that document gives duties, not led tasks
        return compose(
            session, snap, unit, today=today, preface=preface, years=years, doc_ids=doc_ids
        )
    items, scope_note = _scoped(snap, every, years, doc_ids)
    label = unit_label(unit)
    if not items.tasks and not items.duties:
        text = (
            f"{preface}Chưa thấy nhiệm vụ nào giao riêng cho {label} trong các văn bản hiện có.\n"
            "Bạn có thể hỏi theo nội dung công việc, ví dụ: «ai chủ trì số hoá hồ sơ?»."
        )
        return Answer(intent=INTENT, text=text.strip(), units=[unit_ref(unit)])
    header = preface + _header(label, items, role) + scope_note
    shared = (
        snap.memoized(("shared_tasks", unit.id), lambda: _shared_tasks(session, unit))
        if role is None
        else {}
    )
    if shared:
        named = "; ".join(f"«{name}» được giao {n} nhiệm vụ" for name, n in shared.items())
        header += f"\n(Ngoài ra, giao chung gồm cả đơn vị này: {named}.)"
    focus = _focus_blocks(snap, items, topic, today)
    first = tuple(items.by_doc) if items is not every else ()
    blocks, tasks = _document_blocks(
        session, snap, unit, every, today=today, years=years, first=first
    )
    if not focus and role is None:
        kept = set(items.by_doc) if items is not every else (ids or _home_documents(snap, unit))
        blocks = _deadline_blocks(session, snap, unit, today, kept) + blocks
    shown = sum(1 for b in blocks if b.counts)
    total = len(every.tasks) + len(every.duties)
    if shown < total:
        blocks.append(
            Block(
                f"(Còn {total - shown} mục nữa; hãy hỏi cụ thể hơn, ví dụ kèm tên kế hoạch.)",
                counts=False,
            )
        )
    return paged_answer(INTENT, header, focus + blocks, units=[unit_ref(unit)], tasks=tasks)


def has_rows_in(session: Session, snap: Snapshot, unit: UnitInfo, doc_id: int) -> bool:
    """Whether a document gives the unit a task or a duty of its own."""
    every = snap.memoized(("duties", unit.id, None), lambda: _load(session, unit, None))
    return doc_id in every.by_doc


def _home_documents(snap: Snapshot, unit: UnitInfo) -> set[int] | None:
    """The documents of the provinces naming the unit, when other provinces' documents are
    held too: a unit of Lâm Đồng owes nothing to a directive of Quảng Nam, though both say
    "các phòng thuộc Sở"; None when that leaves every document."""
    if not unit.provinces:
        return None
    home = {i for i, d in snap.docs.items() if fold(d.province) in unit.provinces}
    return home if home and len(home) < len(snap.docs) else None


def _scope_ids(snap: Snapshot, years: list[int] | None, doc_ids: tuple[int, ...]) -> set[int]:
    """The documents the question names, else those covering every year it names."""
    if doc_ids or not years:
        return set(doc_ids)
    return {i for i, d in snap.docs.items() if all(d.covers(y) for y in years)}


def _scoped(
    snap: Snapshot, items: _Items, years: list[int] | None, doc_ids: tuple[int, ...]
) -> tuple[_Items, str]:
    """The unit's rows in the documents the question names (by name, else by a period they
    all cover), counted first, and a note counting the others (shown after them); all rows
    when none of them is there."""
    ids = _scope_ids(snap, years, doc_ids)
    if years and not ids:
        period = "–".join(str(y) for y in sorted(set(years)))
        return (
            items,
            f"\n(Không có văn bản nào của năm {period}; dưới đây là các văn bản hiện có.)",
        )
    kept = {i: rows for i, rows in items.by_doc.items() if i in ids}
    if ids and not kept:  # "kế hoạch 2026-2030 giao gì cho thanh tra": nothing there, say so
        labels = "; ".join(snap.docs[i].label for i in sorted(ids) if i in snap.docs)
        note = f"\n({labels} không phân công riêng cho đơn vị này; dưới đây là các văn bản khác.)"
        return items, note
    if not ids or not kept or len(kept) == len(items.by_doc):
        return items, ""
    scoped = _Items(
        tasks=[t for t in items.tasks if t.document_id in kept],
        duties=[d for d in items.duties if d.document_id in kept],
        by_doc=kept,
    )
    left = len(items.tasks) + len(items.duties) - len(scoped.tasks) - len(scoped.duties)
    labels = "; ".join(snap.docs[i].label for i in kept if i in snap.docs)
    note = f"\n(Theo {labels}; các văn bản khác có thêm {left} mục, ghi sau.)"
    return scoped, note


def _header(label: str, items: _Items, role: str | None) -> str:
    n_lead = sum(1 for t in items.tasks if _role(t.role) == UnitRole.LEAD.value)
    n_coop = len(items.tasks) - n_lead
    if role == UnitRole.LEAD.value:
        return f"{label} chủ trì {n_lead} nhiệm vụ:"
    if role == UnitRole.COOPERATE.value:
        return f"{label} phối hợp {n_coop} nhiệm vụ:"
    if not items.tasks:
        return f"{label}: {len(items.duties)} nội dung được phân công."
    return (
        f"{label}: chủ trì {n_lead} nhiệm vụ, phối hợp {n_coop} nhiệm vụ,"
        f" {len(items.duties)} nội dung được phân công."
    )


_SECTIONS = (
    (UnitRole.LEAD.value, "Chủ trì"),
    (UnitRole.COOPERATE.value, "Phối hợp"),
    ("duty", "Được phân công"),
)


def _document_blocks(
    session: Session,
    snap: Snapshot,
    unit: UnitInfo,
    items: _Items,
    *,
    today: date,
    years: list[int] | None,
    first: tuple[int, ...] = (),
) -> tuple[list[Block], list[TaskRef]]:
    """Per document (the asked period's or the one in force first): tasks it leads, tasks it
    cooperates on, then its duty bullets; an expired plan says so. Only the first MAX_BLOCKS
    lines are built: a unit with thousands of tasks costs no more than one with a hundred."""
    docs = document_order([snap.docs[i] for i in items.by_doc if i in snap.docs], today, years)
    docs.sort(key=lambda d: d.id not in first)  # the documents the question names first
    plan: list[tuple[str, str | Row, DocInfo]] = []  # (kind, title or row, doc), in shown order
    for doc in docs:
        for kind, title in _SECTIONS:
            rows = items.by_doc[doc.id][kind]
            if not rows or len(plan) >= MAX_BLOCKS:
                continue
            plan.append(("title", title, doc))
            plan.extend((kind, row, doc) for row in rows[: MAX_BLOCKS - len(plan)])
    shown_tasks = [row.id for _, row, _ in plan if isinstance(row, TaskRow)]
    units_of = task_units(session, shown_tasks)
    blocks: list[Block] = []
    tasks: list[TaskRef] = []
    for kind, row, doc in plan:
        if isinstance(row, str):
            blocks.append(Block(f"\n▪ {row} — {doc.label}{_state(doc, today)}:", counts=False))
        elif isinstance(row, DutyRow):
            src = SourceRef(doc.label, section_label(row.section_path))
            blocks.append(Block(f"• {clip(nfc(row.text), 220)}", (src,)))
        else:
            ref = task_ref(snap, row, units_of.get(row.id, {}), role=kind)
            tasks.append(ref)
            blocks.append(Block(_task_line(ref, kind), (task_source(snap, row),)))
    return blocks, tasks


def _state(doc: DocInfo, today: date) -> str:
    if doc.covers(today.year):
        return ", đang áp dụng"
    return ", đã hết thời hạn" if expired(doc, today) else ""


def _task_line(ref: TaskRef, kind: str) -> str:
    line = f"• NV {ref.number}: {clip(ref.content, 150)}"
    if kind == UnitRole.COOPERATE.value and ref.lead:
        return line + f" (chủ trì: {', '.join(ref.lead[:2])})"
    return line + (f" — {clip(ref.due_text, 40)}" if ref.due_text else "")


def _focus_blocks(snap: Snapshot, items: _Items, topic: str, today: date) -> list[Block]:
    """The unit's rows about the asked topic ("… phải làm gì về dịch vụ công trực tuyến")."""
    wanted = set(terms(topic.split()))
    if not wanted:
        return []
    scored = []
    if items.row_terms is None:
        items.row_terms = _row_terms(items)
    for row, text, have in items.row_terms:
        score = sum(2.0 if "_" in t else 1.0 for t in wanted & have)
        if score >= max(2.0, 0.4 * len(wanted)):
            scored.append((score, row, text))
    if not scored:
        return []
    scored.sort(key=lambda x: -x[0])
    blocks = [Block(f"\n▪ Về «{topic}»:", counts=False)]
    for _, row, text in scored[:4]:
        doc = snap.docs.get(row.document_id)
        label = doc_tag(doc, today)
        section = (
            task_source(snap, row).section
            if isinstance(row, TaskRow)
            else section_label(row.section_path)
        )
        blocks.append(
            Block(
                f"• {focused(text, topic, 240)} ({label})",
                (SourceRef(doc.label if doc else "", section),),
            )
        )
    return blocks


def _row_terms(items: _Items) -> list[tuple[Row, str, frozenset[str]]]:
    """Each task/duty row with its text and search terms (computed once per version)."""
    out: list[tuple[Row, str, frozenset[str]]] = []
    rows: list[Row] = [*items.tasks, *items.duties]
    for row in rows:
        text = nfc(row.content if isinstance(row, TaskRow) else row.text)
        out.append((row, text, frozenset(terms(search_key(text).split()))))
    return out


def _deadline_blocks(
    session: Session, snap: Snapshot, unit: UnitInfo, today: date, kept: set[int] | None = None
) -> list[Block]:
    """The unit's next deadlines (its own, all units', its collectives'), a line each; only
    those of the `kept` documents when the question names some."""
    from knowledge.compose.deadlines import upcoming_deadlines
    from knowledge.recurrence import next_due

    lines: list[Block] = []
    for dl in upcoming_deadlines(session, today, unit, limit=6 if kept is None else 30):
        if kept is not None and dl.document_id not in kept:
            continue
        due = next_due(dl, today)
        if due is None or (due - today).days > 366:
            continue
        doc = snap.docs.get(dl.document_id)
        src = SourceRef(doc.label if doc else "", section_label(dl.section_path))
        lines.append(Block(f"• {due.strftime('%d/%m/%Y')} — {nfc(dl.title)}", (src,)))
        if len(lines) >= 6:
            break
    if not lines:
        return []
    return [Block("\n▪ Các hạn phải nộp sắp tới:", counts=False), *lines]


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
