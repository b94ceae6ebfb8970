"""Who leads a task: the best matching catalogue rows and duty bullets, lead unit first."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from sqlmodel import Session, col, select

from knowledge.answers import Answer, SourceRef, TaskRef, UnitRef
from knowledge.compose.documents import named_by_number, rank_documents
from knowledge.compose.duties import document_order
from knowledge.compose.paging import Block, clip, paginate
from knowledge.compose.passages import confident, snippet
from knowledge.compose.refs import (
    doc_tag,
    expired,
    task_ref,
    task_source,
    task_units,
    unit_label,
    unit_ref,
)
from knowledge.intents import Intent, Parsed
from knowledge.kb import DocInfo, Passage, PassageKind, Snapshot, section_label
from knowledge.models import Deadline, Responsibility, Task
from knowledge.normalize import expand, fold, nfc
from knowledge.recurrence import next_due
from knowledge.search import Hit

INTENT = "who_leads"
MIN_COVERAGE = 0.45
CURRENT_PLAN_BOOST = 1.2


@dataclass
class _Found:
    tasks: list[Task] = field(default_factory=list)
    duties: list[tuple[Responsibility, str]] = field(default_factory=list)  # (row, folded text)
    duty_first: bool = False  # the best match is a duty bullet that says "chủ trì"
    outside: str = ""  # the named document(s) that hold nothing on the topic, when answered else


def compose(session: Session, snap: Snapshot, parsed: Parsed, *, today: date) -> Answer | None:
    """None when nothing matches well enough (the caller falls back)."""
    unknown = unknown_document(snap, parsed)
    if unknown and parsed.task_numbers:  # "kh 999 nv 2": never another plan's NV 2
        return Answer(
            intent="not_found", text=f"Không thấy văn bản {unknown} trong các văn bản hiện có."
        )
    found = _by_number(session, snap, parsed, today)
    named_doc = any(named_by_number(d, parsed) for d in snap.docs.values())
    if found is None and parsed.task_numbers and _NAMES_TASK.search(parsed.key) and not named_doc:
        return _no_such_task(session, snap, parsed)  # "nv 40": say so, never a look-alike
    found = (
        found or _by_topic(session, snap, parsed, today) or _outside(session, snap, parsed, today)
    )
    if found is None:
        return None
    units_of = task_units(session, [t.id for t in found.tasks if t.id is not None])
    due_of = task_due_dates(session, [t.id for t in found.tasks if t.id is not None], today)
    items: list[Task | Responsibility] = list(found.tasks)
    duties: list[Task | Responsibility] = [d for d, _ in found.duties]
    items = duties[:1] + items + duties[1:] if found.duty_first else items + duties
    blocks: list[Block] = []
    units: list[UnitRef] = []
    tasks: list[TaskRef] = []
    leads_of_first = 0
    for position, row in enumerate(items):
        if isinstance(row, Task):
            tu = units_of.get(row.id or 0, {})
            ref = task_ref(snap, row, tu)
            tasks.append(ref)
            new_units = [snap.unit(uid) for uid, _ in tu.get("lead", [])]
            tag = doc_tag(snap.docs.get(row.document_id), today)
            product = nfc(row.product or "") if _ASKS_PRODUCT.search(parsed.key) else ""
            text = _task_text(ref, tag, due_of.get(row.id or 0), product)
            blocks.append(Block(text, (task_source(snap, row),)))
        else:
            info, doc = snap.unit(row.unit_id), snap.docs.get(row.document_id)
            if info is None or doc is None:
                continue
            new_units = [info]
            src = SourceRef(document=doc.label, section=section_label(row.section_path))
            text = snippet(nfc(row.text), parsed.topic, 220)
            blocks.append(
                Block(f"• {unit_label(info)} (phân công tại {src.section}): {text}", (src,))
            )
        for info in new_units:
            if info is not None and unit_ref(info) not in units:
                units.append(unit_ref(info))
                leads_of_first += 1 if position == 0 else 0
    if not blocks:
        return None
    lead_names = ", ".join(u.name for u in units[:leads_of_first] or units[:1])
    header = _header(parsed, found, tasks, lead_names, due_of)
    header = (_period_note(snap, parsed, found, today) or _outside_note(found)) + header
    pages = paginate(header, blocks)
    return Answer(
        intent=INTENT,
        text=pages.text,
        more=pages.more,
        units=units,
        tasks=tasks,
        sources=pages.sources,
    )


def _header(
    parsed: Parsed, found: _Found, tasks: list[TaskRef], lead_names: str, due_of: dict[int, date]
) -> str:
    """The first line: the lead unit(s), or each task's time when the question asks "when";
    asked task numbers no catalogue has are said."""
    header = f"Đơn vị chủ trì: {lead_names}." if lead_names else "Kết quả phù hợp nhất:"
    if len(found.tasks) > 1 and len(parsed.task_numbers) > 1:
        named = "; ".join(f"NV {t.number}: {', '.join(t.lead) or 'không ghi'}" for t in tasks)
        header = f"Đơn vị chủ trì: {named}."
    if parsed.intent is Intent.DEADLINE and tasks:
        times = "; ".join(
            f"NV {t.number}: {_when(t, due_of.get(row.id or 0))}"
            for t, row in zip(tasks, found.tasks, strict=False)
        )
        header = f"Thời hạn: {times}."
    missing = [n for n in parsed.task_numbers if n not in {t.number for t in found.tasks}]
    if missing and found.tasks and _NAMES_TASK.search(parsed.key):
        header += f"\n(Không có nhiệm vụ số {', '.join(missing)} trong danh mục.)"
    return header


def unknown_document(snap: Snapshot, parsed: Parsed) -> str:
    """ "kế hoạch 999" when the question names a document by a number none of ours has (and
    none cites), else ""."""
    if any(named_by_number(d, parsed) for d in snap.docs.values()):
        return ""
    for _kind, number in parsed.doc_type_numbers:
        if not any(number in cited for cited in snap.cited.values()):
            return f"số {number}"
    return ""


_NAMES_TASK = re.compile(r"\bnhiem vu (so |thu )?\d{1,3}\b")


def _no_such_task(session: Session, snap: Snapshot, parsed: Parsed) -> Answer:
    """No catalogue row has the asked number: say which numbers each plan's catalogue has."""
    spans: dict[int, list[int]] = {}
    for doc_id, number in session.exec(select(Task.document_id, Task.number)):
        if number.isdigit() and (not parsed.doc_ids or doc_id in parsed.doc_ids):
            spans.setdefault(doc_id, []).append(int(number))
    asked = ", ".join(parsed.task_numbers)
    text = f"Không có nhiệm vụ số {asked} trong danh mục nhiệm vụ của các văn bản hiện có."
    listed = [
        f"• {snap.docs[i].label}: NV {min(nums)}–{max(nums)}"
        for i, nums in spans.items()
        if i in snap.docs
    ]
    if listed:
        text += "\nDanh mục hiện có:\n" + "\n".join(listed)
    return Answer(intent="not_found", text=text)


def _outside(session: Session, snap: Snapshot, parsed: Parsed, today: date) -> _Found | None:
    """A who-question about a named document that holds nothing on its topic ("kh 2026-2030 ai
    chủ trì số hoá hồ sơ"): the nearest other document that does, said to be another one."""
    if not parsed.doc_ids or not parsed.topic:
        return None
    found = _by_topic(session, snap, replace(parsed, doc_ids=()), today)
    if found is not None:
        found.outside = ", ".join(snap.docs[i].label for i in parsed.doc_ids if i in snap.docs)
    return found


def _outside_note(found: _Found) -> str:
    return _elsewhere_note(found.outside) if found.outside else ""


def _elsewhere_note(asked: str) -> str:
    """The first line of an answer taken from another document than the one asked about."""
    return f"(Không thấy nội dung này trong {asked}; dưới đây là văn bản gần nhất có nó.)\n"


def _period_note(snap: Snapshot, parsed: Parsed, found: _Found, today: date) -> str:
    """When the question names a year or period that none of the answering rows' documents
    covers, say so first rather than pass an old plan's row off as the one asked about."""
    if not parsed.years:
        return ""
    doc_ids = {t.document_id for t in found.tasks} | {d.document_id for d, _ in found.duties}
    docs = [snap.docs[i] for i in doc_ids if i in snap.docs]
    if not docs or any(all(d.covers(y) for y in parsed.years) for d in docs):
        return ""
    return _elsewhere_note("văn bản của " + "–".join(str(y) for y in parsed.years))


def task_due_dates(session: Session, task_ids: list[int], today: date) -> dict[int, date]:
    """Task id → the date its deadline falls on (the next one, else the last), when known."""
    if not task_ids:
        return {}
    out: dict[int, date] = {}
    query = select(Deadline).where(col(Deadline.task_id).in_(task_ids))
    for dl in session.exec(query):
        due = next_due(dl, today) or dl.due_date
        if dl.task_id is not None and due is not None:
            out.setdefault(dl.task_id, due)
    return out


def _task_text(ref: TaskRef, tag: str = "", due: date | None = None, product: str = "") -> str:
    lines = [f"• NV {ref.number} ({tag or ref.document}): {clip(ref.content, 200)}"]
    lines.append(f"  Chủ trì: {', '.join(ref.lead) or 'không ghi'}")
    if ref.cooperate:
        lines.append(f"  Phối hợp: {clip(', '.join(ref.cooperate), 160)}")
    if ref.due_text:
        lines.append(f"  Thời gian: {_when(ref, due)}")
    if product:
        lines.append(f"  Sản phẩm: {clip(product, 200)}")
    return "\n".join(lines)


# "nv 4 ai chủ trì, sản phẩm là gì": the row's product column too
_ASKS_PRODUCT = re.compile(r"\b(san pham|ket qua dau ra|dau ra)\b")


def numbered_tasks(session: Session, snap: Snapshot, parsed: Parsed, *, today: date) -> list[Task]:
    """The catalogue rows a question names by number, from the named plan or the current one."""
    found = _by_number(session, snap, parsed, today)
    return found.tasks if found is not None else []


def _when(ref: TaskRef, due: date | None) -> str:
    """ "Tháng 4/2026 (hạn 30/04/2026)": the catalogue's time, with the date it ends on."""
    if due is None or re.search(rf"\b0?{due.day}/0?{due.month}\b", ref.due_text):
        return ref.due_text
    return f"{ref.due_text} (hạn {due.strftime('%d/%m/%Y')})"


def _by_number(session: Session, snap: Snapshot, parsed: Parsed, today: date) -> _Found | None:
    """ "nhiệm vụ 13", "nv 17 và 18": those catalogue rows, from the named plan or the current
    one."""
    found = _Found()
    for number in parsed.task_numbers or ([parsed.task_number] if parsed.task_number else []):
        one = _one_number(session, snap, parsed, today, number)
        if one is not None:
            found.tasks += [t for t in one.tasks if t not in found.tasks]
    return found if found.tasks else None


def _one_number(
    session: Session, snap: Snapshot, parsed: Parsed, today: date, number: str
) -> _Found | None:
    candidates = session.exec(select(Task).where(Task.number == number)).all()
    order = {d.id: i for i, d in enumerate(document_order(list(snap.docs.values()), today))}
    # "nhiệm vụ 2 kế hoạch 456/KH-SGDĐT": that plan's row only, or none (its card answers)
    by_number = {d.id for d in snap.docs.values() if named_by_number(d, parsed)}
    if not by_number and any(t.document_id in parsed.doc_ids for t in candidates):
        by_number = set(parsed.doc_ids)  # the plan the question names ("kh Thái Nguyên")
    if by_number:
        candidates = [t for t in candidates if t.document_id in by_number]
    ranked = rank_documents(snap, parsed) if not by_number else []
    by_name = ranked[0][0].id if ranked and ranked[0][1] >= 36 else None

    def rank(t: Task) -> tuple[bool, bool, int]:
        doc = snap.docs.get(t.document_id)
        named = bool(parsed.years) and doc is not None and all(doc.covers(y) for y in parsed.years)
        return (t.document_id != by_name, not named, order.get(t.document_id, 999))

    best = sorted(candidates, key=rank)[:1]
    return _Found(tasks=list(best)) if best else None


def _by_topic(session: Session, snap: Snapshot, parsed: Parsed, today: date) -> _Found | None:
    if not parsed.topic:
        return _doc_leads(session, parsed)
    scope = set(parsed.doc_ids)
    hits = snap.index.search(
        parsed.topic,
        limit=8,
        allow=lambda p: (
            p.kind in (PassageKind.TASK, PassageKind.DUTY)
            and (not scope or p.document_id in scope)
        ),
    )
    hits = [h for h in hits if confident(h, parsed.topic, MIN_COVERAGE)]
    if not hits:
        return None

    def weighted(h: Hit[Passage]) -> float:
        """The asked period's documents first (or, unasked, the plan in force)."""
        doc = snap.docs.get(h.item.document_id)
        if doc is not None and parsed.years:
            named = all(doc.covers(y) for y in parsed.years)
            return h.score * (1.6 if named else 0.8)
        return h.score * (CURRENT_PLAN_BOOST if doc is not None and doc.covers(today.year) else 1)

    best = max(weighted(h) for h in hits)
    hits = [h for h in hits if weighted(h) >= 0.6 * best]
    # the plan in force first: a superseded plan's rows follow, labelled, unless a year is asked
    hits.sort(
        key=lambda h: (
            not parsed.years and _superseded(snap, snap.docs.get(h.item.document_id), today),
            -weighted(h),
        )
    )
    task_ids = [h.item.row_id for h in hits if h.item.kind is PassageKind.TASK][:3]
    duty_ids = [h.item.row_id for h in hits if h.item.kind is PassageKind.DUTY][:3]
    by_id = {t.id: t for t in session.exec(select(Task).where(col(Task.id).in_(task_ids)))}
    duty_query = select(Responsibility).where(col(Responsibility.id).in_(duty_ids))
    duty_by_id = {d.id: d for d in session.exec(duty_query)}
    duty_rows = [
        (duty_by_id[i], fold(duty_by_id[i].text))
        for i in dict.fromkeys(duty_ids)
        if i in duty_by_id
    ]
    # Duties that say "chủ trì" answer "who leads" better than those that only "thực hiện"
    # (a stable sort: hit order within each group); one sentence filed under several units is
    # shown once, under the unit it names as lead.
    duty_rows.sort(key=lambda dr: "chu tri" not in dr[1])
    duty_rows = _one_per_text(snap, duty_rows)
    tasks = [by_id[i] for i in task_ids if i in by_id]
    duty_first = bool(duty_rows) and (
        not tasks or (hits[0].item.kind is PassageKind.DUTY and "chu tri" in duty_rows[0][1])
    )
    return _Found(tasks=tasks, duties=duty_rows, duty_first=duty_first)


def _superseded(snap: Snapshot, doc: DocInfo | None, today: date) -> bool:
    """An expired plan whose issuer's province has a plan of the same kind for this year."""
    if doc is None or not expired(doc, today):
        return False
    return any(
        d.kind == doc.kind and d.province == doc.province and d.covers(today.year)
        for d in snap.docs.values()
    )


def _doc_leads(session: Session, parsed: Parsed) -> _Found | None:
    """ "công văn Bình Định giao phòng nào": the named document's duties that say "chủ trì"."""
    if not parsed.doc_ids:
        return None
    rows = session.exec(
        select(Responsibility)
        .where(col(Responsibility.document_id).in_(parsed.doc_ids))
        .order_by(col(Responsibility.ordinal))
    ).all()
    duty_rows = [(d, fold(d.text)) for d in rows]
    duty_rows.sort(key=lambda dr: "chu tri" not in dr[1])
    if not duty_rows:
        return None
    return _Found(duties=duty_rows[:4], duty_first=True)


def _one_per_text(
    snap: Snapshot, duty_rows: list[tuple[Responsibility, str]]
) -> list[tuple[Responsibility, str]]:
    groups: dict[str, list[tuple[Responsibility, str]]] = {}
    for row in duty_rows:
        groups.setdefault(row[1], []).append(row)
    out = []
    for rows in groups.values():
        if len(rows) > 1:
            rows.sort(key=lambda r: _lead_position(snap, r[0].unit_id, r[1]))
        out.append(rows[0])
    return out


def _lead_position(snap: Snapshot, unit_id: int, folded: str) -> int:
    """How far the unit's name stands before "chủ trì" in the sentence (smaller = the lead)."""
    info = snap.unit(unit_id)
    text = expand(folded)
    anchor = text.find("chu tri")
    if info is None or anchor < 0:
        return 10_000
    best = 10_000
    for key in info.keys:
        core = key.removeprefix("phong ").removesuffix(" so")
        pos = text.find(core)
        if 0 <= pos < anchor:
            best = min(best, anchor - pos - len(core))
    return best
