"""Who leads a task: the best matching catalogue rows and duty bullets, lead unit first."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from knowledge.answers import Answer, SourceRef, UnitRef
from knowledge.compose.duties import document_order
from knowledge.compose.paging import Block, clip, paginate
from knowledge.compose.passages import snippet
from knowledge.compose.refs import task_ref, task_source, task_units, unit_label, unit_ref
from knowledge.intents import Parsed
from knowledge.kb import Passage, PassageKind, Snapshot
from knowledge.models import Responsibility, Task
from knowledge.normalize import fold, nfc
from knowledge.search import Hit

INTENT = "who_leads"
MIN_COVERAGE = 0.45


def confident(hit: Hit[Passage], topic: str) -> bool:
    """Enough of the question's topic is in the passage to answer from it."""
    n_tokens = len(topic.split())
    if n_tokens == 0:
        return False
    if n_tokens >= 2 and hit.matched_pairs == 0:
        return False
    return hit.coverage >= MIN_COVERAGE


def compose(session: Session, snap: Snapshot, parsed: Parsed, *, today: date) -> Answer | None:
    """None when nothing matches well enough (the caller falls back)."""
    task_rows: list[Task] = []
    duty_rows: list[tuple[Responsibility, str]] = []
    if parsed.task_number:
        candidates = session.exec(select(Task).where(Task.number == parsed.task_number)).all()
        order = {d.id: i for i, d in enumerate(document_order(list(snap.docs.values()), today))}
        task_rows = sorted(candidates, key=lambda t: order.get(t.document_id, 999))[:1]
    if not task_rows:
        hits = snap.index.search(
            parsed.topic, limit=8, allow=lambda p: p.kind in (PassageKind.TASK, PassageKind.DUTY)
        )
        hits = [h for h in hits if confident(h, parsed.topic)]
        if not hits:
            return None
        best = hits[0].score
        hits = [h for h in hits if h.score >= 0.6 * best]
        task_ids = [h.item.row_id for h in hits if h.item.kind is PassageKind.TASK][:3]
        duty_ids = [h.item.row_id for h in hits if h.item.kind is PassageKind.DUTY][:3]
        by_id = {t.id: t for t in session.exec(select(Task).where(Task.id.in_(task_ids)))}  # type: ignore[union-attr]
        task_rows = [by_id[i] for i in task_ids if i in by_id]
        for d in session.exec(select(Responsibility).where(Responsibility.id.in_(duty_ids))):  # type: ignore[union-attr]
            duty_rows.append((d, fold(d.text)))
        # Duties that say "chủ trì" answer "who leads" better than those that only "thực hiện";
        # one sentence filed under several units is shown once, under the unit it names as lead.
        duty_rows.sort(key=lambda dr: ("chu tri" not in dr[1], duty_ids.index(dr[0].id)))
        duty_rows = _one_per_text(snap, duty_rows)
    units_of = task_units(session, [t.id for t in task_rows if t.id is not None])
    blocks: list[Block] = []
    units: list[UnitRef] = []
    tasks = []
    lead_first_duty = bool(duty_rows) and (not task_rows or _duty_first(parsed, snap, duty_rows, task_rows))
    ordered: list[tuple[str, object]] = [("task", t) for t in task_rows]
    duty_items: list[tuple[str, object]] = [("duty", d) for d, _ in duty_rows]
    ordered = duty_items[:1] + ordered + duty_items[1:] if lead_first_duty else ordered + duty_items
    leads_of_first = 0
    for position, (kind, row) in enumerate(ordered):
        if kind == "task":
            task = row  # type: ignore[assignment]
            tu = units_of.get(task.id or 0, {})  # type: ignore[union-attr]
            ref = task_ref(snap, task, tu)  # type: ignore[arg-type]
            tasks.append(ref)
            for uid, _ in tu.get("lead", []):
                info = snap.unit(uid)
                if info and unit_ref(info) not in units:
                    units.append(unit_ref(info))
                    leads_of_first += 1 if position == 0 else 0
            lines = [f"• NV {ref.number} ({ref.document}): {clip(ref.content, 200)}"]
            lines.append(f"  Chủ trì: {', '.join(ref.lead) or 'không ghi'}")
            if ref.cooperate:
                lines.append(f"  Phối hợp: {clip(', '.join(ref.cooperate), 160)}")
            if ref.due_text:
                lines.append(f"  Thời gian: {ref.due_text}")
            blocks.append(Block("\n".join(lines), (task_source(snap, task),)))  # type: ignore[arg-type]
        else:
            duty: Responsibility = row  # type: ignore[assignment]
            info = snap.unit(duty.unit_id)
            doc = snap.docs.get(duty.document_id)
            if info is None or doc is None:
                continue
            if unit_ref(info) not in units:
                units.append(unit_ref(info))
                leads_of_first += 1 if position == 0 else 0
            src = SourceRef(document=doc.label, section=_section(duty))
            blocks.append(
                Block(f"• {unit_label(info)} (phân công tại {src.section}): {snippet(nfc(duty.text), parsed.topic, 220)}", (src,))
            )
    if not blocks:
        return None
    lead_names = ", ".join(u.name for u in units[:leads_of_first] or units[:1])
    header = f"Đơn vị chủ trì: {lead_names}." if units else "Kết quả phù hợp nhất:"
    pages = paginate(header, blocks)
    return Answer(
        intent=INTENT, text=pages.text, more=pages.more, units=units, tasks=tasks, sources=pages.sources
    )


def _one_per_text(snap: Snapshot, duty_rows: list[tuple[Responsibility, str]]) -> list[tuple[Responsibility, str]]:
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
    anchor = folded.find("chu tri")
    if info is None or anchor < 0:
        return 10_000
    from knowledge.normalize import expand

    text = expand(folded)
    anchor = text.find("chu tri")
    best = 10_000
    for key in info.keys:
        core = key.removeprefix("phong ").removesuffix(" so")
        pos = text.find(core)
        if 0 <= pos < anchor:
            best = min(best, anchor - pos - len(core))
    return best


def _section(duty: Responsibility) -> str:
    from knowledge.kb import section_label

    return section_label(duty.section_path)


def _duty_first(parsed: Parsed, snap: Snapshot, duty_rows, task_rows) -> bool:  # type: ignore[no-untyped-def]
    """Put a duty bullet first when it states "chủ trì" and the best task is a weaker match."""
    hits = snap.index.search(parsed.topic, limit=3, allow=lambda p: p.kind in (PassageKind.TASK, PassageKind.DUTY))
    return bool(hits) and hits[0].item.kind is PassageKind.DUTY and "chu tri" in duty_rows[0][1]
