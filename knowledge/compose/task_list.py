"""Tasks asked for by year and/or topic, without a unit: "năm 2028 có nhiệm vụ gì",
"về tài chính công có nhiệm vụ gì". Catalogue rows whose time names the year come first,
then rows done every year in a plan covering it; a topic keeps the rows about it."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select
from sqlmodel import Session, col

from knowledge.answers import Answer, TaskRef
from knowledge.compose.due_ranges import RECURRING, due_range
from knowledge.compose.duties import document_order
from knowledge.compose.paging import Block, clip, paged_answer
from knowledge.compose.refs import (
    TASK_COLUMNS,
    TaskRow,
    doc_tag,
    task_ref,
    task_source,
    task_units,
    unit_ref,
)
from knowledge.ingest.tables import GROUP_SEPARATOR
from knowledge.intents import Parsed
from knowledge.kb import Snapshot
from knowledge.models import Task
from knowledge.normalize import fold, nfc, search_key
from knowledge.search import terms
from knowledge.windows import DateWindow

INTENT = "tasks"
MAX_SHOWN = 30
_RECURRING = re.compile(r"\b(hang|moi) (nam|quy|thang)\b|\bthuong xuyen\b")
_RANGE = re.compile(r"\b(20\d\d)\s*-\s*(20\d\d)\b")
_NOT_TOPIC = re.compile(
    r"\b(ke hoach|cong van|van ban|nhiem vu|giai doan|nam|20\d\d|viec|cong viec|xong|"
    r"hoan thanh|phai|can|lam|hoat dong|noi dung|muc|phan)\b"
)


def _rows(session: Session) -> list[tuple[TaskRow, str, frozenset[str]]]:
    query = select(*TASK_COLUMNS).order_by(col(Task.document_id), col(Task.ordinal))
    out = []
    for row in (TaskRow(*r) for r in session.execute(query)):
        # the row's group heading ("III. Cải cách tài chính công") is what the row is about too
        group = nfc(row.section_path or "").partition(GROUP_SEPARATOR)[2]
        text = search_key(f"{nfc(row.content)} {group}")
        out.append((row, fold(nfc(row.due_text or "")), frozenset(terms(text.split()))))
    return out


def _year_tier(due: str, year: int, covers: bool) -> int | None:
    """0: the time names the year (or a range holding it); 1: recurring in a plan covering it."""
    if str(year) in due:
        return 0
    if any(int(a) <= year <= int(b) for a, b in _RANGE.findall(due)):
        return 0
    if covers and (_RECURRING.search(due) or not due.strip()):
        return 1
    return None


def _window_tier(due: str, window: DateWindow, covers: bool) -> int | None:
    """0: the time ends inside the window ("Quý III/2026" for "tháng 9"); 1: it spans the
    window; 2: recurring in a plan covering the window's year; None: outside it."""
    span = due_range(due)
    if span is not None:
        if window.start <= span[1] <= window.end:
            return 0
        return 1 if span[0] <= window.end and span[1] >= window.start else None
    return 2 if covers and RECURRING.search(due) else None


def _weight(found: set[str]) -> float:
    return sum(2.0 if "_" in t else 1.0 for t in found)


def compose(
    session: Session, snap: Snapshot, p: Parsed, *, today: date, who: bool = False
) -> Answer | None:
    """None when the question names neither a year nor a topic the catalogue holds; `who`
    ("quý 2 kiểm tra gì, ai chủ trì") names the lead units first."""
    topic = " ".join(_NOT_TOPIC.sub(" ", p.topic).split())
    wanted = set(terms(topic.split()))
    window = p.window if p.window is not None and not p.window.whole_year else None
    year = window.start.year if window else (p.years[0] if p.years else None)
    if year is None and not wanted and not p.doc_ids:
        return None
    order = {
        d.id: i for i, d in enumerate(document_order(list(snap.docs.values()), today, p.years))
    }
    scored = []
    for row, due, have in snap.memoized(("task_rows",), lambda: _rows(session)):
        doc = snap.docs.get(row.document_id)
        if doc is None or p.doc_ids and doc.id not in p.doc_ids:
            continue
        if window is not None:
            tier = _window_tier(due, window, doc.covers(year or 0))
        else:
            tier = _year_tier(due, year, doc.covers(year)) if year else 0
        score = _weight(wanted & have)
        if tier is None or (wanted and score < max(2.0, 0.5 * _weight(wanted))):
            continue
        scored.append(((tier, -score, order.get(doc.id, 99)), row))
    if not scored:
        return None
    best = -min(key[1] for key, _ in scored)
    if wanted and best >= _weight(wanted):  # rows about all of the topic: the partial ones go
        scored = [(key, row) for key, row in scored if -key[1] >= 0.75 * best]
    scored.sort(key=lambda x: x[0])
    scope = f" trong {window.label}" if window else (f" năm {year}" if year else "")
    if len(p.doc_ids) == 1 and p.doc_ids[0] in snap.docs:
        label = snap.docs[p.doc_ids[0]].label
        scope = f" của {label}" + ("" if scope == f" năm {year}" and str(year) in label else scope)
    rows = [row for key, row in scored if not who or key[0] == scored[0][0][0]]
    return _answer(session, snap, rows, scope, topic, today, who=who)


def _leads_line(snap: Snapshot, rows: list[TaskRow], units_of: dict) -> tuple[str, list]:
    """ "Đơn vị chủ trì: Thanh tra Sở (NV 1); Văn phòng Sở (NV 2)." and the lead units."""
    named: dict[int, list[str]] = {}
    for row in rows:
        for uid, _ in units_of.get(row.id, {}).get("lead", []):
            named.setdefault(uid, []).append(str(row.number))
    units = [u for u in (snap.unit(uid) for uid in named) if u is not None]
    parts = [f"{u.name} (NV {', '.join(named[u.id])})" for u in units]
    line = f"Đơn vị chủ trì: {'; '.join(parts)}.\n" if parts else ""
    return line, [unit_ref(u) for u in units]


def _answer(
    session: Session,
    snap: Snapshot,
    rows: list[TaskRow],
    scope: str,
    topic: str,
    today: date,
    *,
    who: bool = False,
) -> Answer:
    shown = rows[:MAX_SHOWN]
    units_of = task_units(session, [r.id for r in shown])
    leads, units = _leads_line(snap, shown, units_of) if who else ("", [])
    about = " về nội dung bạn hỏi" if topic else ""
    header = f"{leads}Các nhiệm vụ{scope}{about}: {len(rows)} nhiệm vụ"
    if " trong " in scope:
        header += " (hạn trong khoảng đó trước, rồi việc hằng năm)."
    elif " năm " in scope or about:
        header += " (thời gian ghi đúng năm trước, rồi việc hằng năm)."
    else:
        header += ", theo danh mục."
    blocks: list[Block] = []
    tasks: list[TaskRef] = []
    for row in shown:
        ref = task_ref(snap, row, units_of.get(row.id, {}))
        tasks.append(ref)
        lead = f" — chủ trì: {', '.join(ref.lead[:2])}" if ref.lead else ""
        due = f"; thời gian: {clip(ref.due_text, 50)}" if ref.due_text else ""
        doc = doc_tag(snap.docs.get(row.document_id), today)
        blocks.append(
            Block(
                f"• NV {ref.number}: {clip(ref.content, 150)}{lead}{due} ({doc})",
                (task_source(snap, row),),
            )
        )
    if len(rows) > MAX_SHOWN:
        blocks.append(
            Block(f"(Còn {len(rows) - MAX_SHOWN} nhiệm vụ nữa; hãy hỏi cụ thể hơn.)", counts=False)
        )
    return paged_answer(INTENT, header, blocks, tasks=tasks, units=units)
