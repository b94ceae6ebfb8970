"""When a numbered task is due: "hạn nhiệm vụ 6 là khi nào", "nv 3 phải xong trước ngày nào".

The answer is the task's own time column ("Quý III/2026", "Trước ngày 15/12 hằng năm",
"Thường xuyên"), with the concrete date the import read from it when there is one; the first
line names the task and its date, so the fact asked for is never below the fold.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from sqlmodel import Session, col, select

from knowledge.answers import Answer, DeadlineRef, Suggestion, TaskRef, UnitRef
from knowledge.compose.leads import numbered_tasks
from knowledge.compose.paging import Block, clip, paged_answer
from knowledge.compose.refs import (
    deadline_ref,
    deadline_units,
    doc_tag,
    rule_text,
    task_ref,
    task_source,
    task_units,
    unit_ref,
)
from knowledge.intents import Parsed
from knowledge.kb import Snapshot, UnitInfo
from knowledge.models import Deadline, RecurrenceKind, Task
from knowledge.recurrence import dates_between, next_due, previous_due

INTENT = "deadline"
# "hạn nv 2 kế hoạch 210", "nv 3 khi nào xong": a when-question, whatever intent won
_ASKS_WHEN = re.compile(
    r"(?<!dung )(?<!qua )(?<!tre )(?<!quyen )\bhan\b(?! che)|\b(?:khi nao|bao gio|ngay nao|"
    r"thoi han|thoi gian hoan thanh|truoc ngay|luc nao|thang nao|xong chua)\b"
)
NO_DATE = "văn bản không ghi ngày cụ thể"


def asks_when(parsed: Parsed) -> bool:
    """A question about one or more numbered tasks that asks when they are due."""
    return bool(parsed.task_numbers) and bool(_ASKS_WHEN.search(parsed.key))


def compose(session: Session, snap: Snapshot, parsed: Parsed, *, today: date) -> Answer | None:
    """None when the question names no task number that a stored catalogue row carries."""
    tasks = numbered_tasks(session, snap, parsed, today=today)
    if not tasks:
        return None
    task_ids = [t.id for t in tasks if t.id is not None]
    by_task = _deadlines_of(session, task_ids)
    units_of = task_units(session, task_ids)
    names_of = deadline_units(session, [d.id for ds in by_task.values() for d in ds if d.id])
    blocks: list[Block] = []
    refs: list[DeadlineRef] = []
    task_refs: list[TaskRef] = []
    summary: list[str] = []
    for task in tasks:
        ref = task_ref(snap, task, units_of.get(task.id or 0, {}))
        task_refs.append(ref)
        dated = [(d, _due_for(d, parsed, today)) for d in by_task.get(task.id or 0, [])]
        for dl, due in dated:
            dl_ref = deadline_ref(snap, dl, names_of.get(dl.id or 0, []), today)
            refs.append(_with_due(dl_ref, due))
        summary.append(f"nhiệm vụ {ref.number}: {_when_short(ref, dated)}")
        tag = doc_tag(snap.docs.get(task.document_id), today)
        blocks.append(Block(_task_block(ref, dated, tag, today), (task_source(snap, task),)))
    note, suggestions = _namesakes(session, snap, tasks)
    if note:
        blocks.append(Block(note, counts=False))
    header = "Hạn " + "; ".join(summary) + "."
    leads = [
        snap.unit(uid) for t in tasks for uid, _ in units_of.get(t.id or 0, {}).get("lead", [])
    ]
    return paged_answer(
        INTENT,
        header[:1].upper() + header[1:],
        blocks,
        units=_unit_refs(leads),
        tasks=task_refs,
        suggestions=suggestions,
        deadlines=refs,
    )


def _namesakes(
    session: Session, snap: Snapshot, tasks: list[Task]
) -> tuple[str, list[Suggestion]]:
    """ "nhiệm vụ 3" asked without a plan, and other plans have a task 3 too: say which."""
    if len(tasks) != 1:
        return "", []
    number, chosen = tasks[0].number, tasks[0].document_id
    query = select(Task.document_id).where(Task.number == number)
    others = [
        snap.docs[i] for i in dict.fromkeys(session.exec(query)) if i != chosen and i in snap.docs
    ]
    if not others:
        return "", []
    labels = "; ".join(d.label for d in others[:4])
    note = (
        f"(Nhiệm vụ {number} cũng có trong: {labels}. Hỏi kèm số văn bản để xem hạn của"
        " nhiệm vụ đó.)"
    )
    suggestions = [
        Suggestion(d.label, f"hạn nhiệm vụ {number} {d.kind} {d.number}".strip())
        for d in others[:4]
    ]
    return note, suggestions


def _deadlines_of(session: Session, task_ids: list[int]) -> dict[int, list[Deadline]]:
    """Task id → the deadline rules the import read from its time column, in order."""
    out: dict[int, list[Deadline]] = {}
    if not task_ids:
        return out
    query = select(Deadline).where(col(Deadline.task_id).in_(task_ids))
    for dl in session.exec(query.order_by(col(Deadline.ordinal))):
        out.setdefault(dl.task_id or 0, []).append(dl)
    return out


def _due_for(dl: Deadline, parsed: Parsed, today: date) -> date | None:
    """The occurrence asked about: in the named year, else the next one, else the last one."""
    if parsed.years:
        start, end = date(min(parsed.years), 1, 1), date(max(parsed.years), 12, 31)
        named = next(iter(dates_between(dl, start, end)), None)
        if named is not None:
            return named
    if dl.due_date is not None:
        return dl.due_date
    return next_due(dl, today) or previous_due(dl, today)


def _with_due(ref: DeadlineRef, due: date | None) -> DeadlineRef:
    return replace(ref, due=due.isoformat()) if due is not None else ref


def _fmt(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _when_short(ref: TaskRef, dated: list[tuple[Deadline, date | None]]) -> str:
    dues = ", ".join(_fmt(due) for _, due in dated if due is not None)
    if not dues:
        return ref.due_text or "không ghi thời hạn"
    if re.search(r"(?<!\d)\d{1,2}\s*/\s*\d{1,2}(?!\d)|\bngày\b", ref.due_text):
        return dues
    return f"{ref.due_text} (tức là đến hết {dues})"  # "Quý I/2026", "Tháng 6/2026"


def _relative(due: date, today: date) -> str:
    left = (due - today).days
    if left > 0:
        return f"còn {left} ngày"
    return "hôm nay" if left == 0 else f"đã qua {-left} ngày"


def _task_block(
    ref: TaskRef, dated: list[tuple[Deadline, date | None]], tag: str, today: date
) -> str:
    lines = [f"• NV {ref.number} ({tag or ref.document}): {clip(ref.content, 180)}"]
    written = ref.due_text or "không ghi"
    lines.append(f"  Thời gian theo văn bản: {written}")
    for dl, due in dated:
        recurring = dl.rule_kind is not RecurrenceKind.ONCE
        rule = rule_text(dl) if recurring else ""
        if due is not None:
            lines.append(
                f"  Hạn: {_fmt(due)} ({_relative(due, today)})" + (f" — {rule}." if rule else ".")
            )
    if not any(due is not None for _, due in dated) and ref.due_text:
        lines.append(f"  ({NO_DATE}.)")
    lines.append(f"  Chủ trì: {', '.join(ref.lead) or 'không ghi'}")
    return "\n".join(lines)


def _unit_refs(units: list[UnitInfo | None]) -> list[UnitRef]:
    out: list[UnitRef] = []
    for unit in units:
        if unit is not None and unit_ref(unit) not in out:
            out.append(unit_ref(unit))
    return out
