"""Deadlines: the next occurrence on or after today, the rule in words, the quoted wording."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from rapidfuzz import fuzz
from sqlmodel import Session, col, select

from knowledge.answers import Answer, DeadlineRef, SourceRef
from knowledge.compose.paging import Block, clip, paged_answer
from knowledge.compose.refs import (
    deadline_ref,
    deadline_source,
    deadline_units,
    rule_text,
    unit_label,
    unit_ref,
)
from knowledge.compose.snippets import focused, recipient
from knowledge.deadlines import load_occurrences, occurrences_for_unit
from knowledge.intents import Parsed
from knowledge.kb import PassageKind, Snapshot, UnitInfo
from knowledge.models import Deadline, DeadlineUnit, Unit
from knowledge.normalize import fold, search_key
from knowledge.recurrence import dates_between, next_due
from knowledge.units import collective_members
from knowledge.windows import DateWindow


def collectives_of(session: Session, unit_id: int) -> set[int]:
    """Ids of the collective units ("Các phòng CMNV Sở") that the unit is a member of."""
    members = collective_members(list(session.exec(select(Unit))))
    return {group for group, ids in members.items() if unit_id in ids}


INTENT = "deadline"
_GENERIC = {
    "han", "sap", "toi", "nop", "gui", "bao cao", "sap toi", "tiep theo", "gan nhat", "gan",
    "nhat",
    "co", "cac", "nhung", "nao", "moi", "can", "phai", "chung", "hien tai", "sap den", "den",
    "thang nay", "tuan nay", "nam nay", "con", "lai", "het",
}  # fmt: skip


def _fmt(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def _is_generic(topic: str) -> bool:
    rest = " " + topic + " "
    for word in sorted(_GENERIC, key=len, reverse=True):
        rest = rest.replace(f" {word} ", "  ")
    return not rest.strip()


def compose(
    session: Session, snap: Snapshot, parsed: Parsed, *, today: date, unit: UnitInfo | None = None
) -> Answer | None:
    """None when no deadline matches the question."""
    topic = parsed.topic
    if unit is not None:
        for key in unit.keys:
            topic = topic.replace(key, " ")
        topic = " ".join(topic.split())
    topic = _SELF_WORDS.sub(" ", topic).strip()
    specific = bool(topic) and not _is_generic(topic)
    window = parsed.window
    if window is not None and not specific:
        return _in_window(session, snap, unit, window, today=today, doc_ids=parsed.doc_ids)
    if specific:
        ranked = _ranked_parts(session, snap, topic, parsed.parts, today)
        if parsed.doc_ids:
            ranked = [d for d in ranked if d.document_id in parsed.doc_ids]
        if window is not None and not window.whole_year:
            # "tháng sau phải nộp báo cáo gì": those due in the window; when the topic's
            # deadlines fall outside it, every deadline of the window answers
            inside = [d for d in ranked if _due_in(d, parsed, today) is not None]
            if ranked and not inside:
                return _in_window(session, snap, unit, window, today=today, doc_ids=parsed.doc_ids)
            ranked = inside
        if not ranked:
            return None
    else:
        found = upcoming_deadlines(session, today, unit, limit=500)
        ranked = _in_scope(snap, parsed, unit, found)[:30]
        if not ranked:
            return _none_ahead(unit, today) if unit is not None else None
    return _listing(session, snap, parsed, ranked, topic, today=today, unit=unit)


def _in_scope(
    snap: Snapshot, parsed: Parsed, unit: UnitInfo | None, found: list[Deadline]
) -> list[Deadline]:
    """A unit's deadlines from the documents the question names, else from the documents of
    its own province(s): another province's directive to "all units" is not addressed to it."""
    if parsed.doc_ids:
        return [d for d in found if d.document_id in parsed.doc_ids]
    if unit is None or not unit.provinces:
        return found
    return [d for d in found if _province(snap, d.document_id) in ("", *unit.provinces)]


def _none_ahead(unit: UnitInfo, today: date) -> Answer:
    """A unit named in the documents with no deadline ahead: said so, not "not found"."""
    return Answer(
        intent="deadline",
        text=(
            f"Chưa thấy hạn nào sắp tới của {unit_label(unit)} (tính từ {_fmt(today)}) trong"
            " các văn bản hiện có. Các hạn của đơn vị này đã qua, hoặc văn bản không ghi hạn."
        ),
        units=[unit_ref(unit)],
    )


def _province(snap: Snapshot, document_id: int) -> str:
    doc = snap.docs.get(document_id)
    return fold(doc.province) if doc is not None else ""


_SELF_WORDS = re.compile(
    r"\b(truong|trung tam|phong|don vi|to|co quan) (cua )?(toi|minh|em|tui)\b"
)


def _ranked_parts(
    session: Session, snap: Snapshot, topic: str, parts: tuple[str, ...], today: date
) -> list[Deadline]:
    """ "kế hoạch CCHC và dự trù kinh phí": the best deadline of each part, then the rest."""
    whole = ranked_deadlines(session, snap, topic, today)
    if len(parts) < 2 or any(_is_generic(part) for part in parts):
        return whole
    firsts: list[Deadline] = []
    for part in parts:
        found = ranked_deadlines(session, snap, part, today)
        if found and found[0] not in firsts:
            firsts.append(found[0])
    return firsts + [d for d in whole if d not in firsts] if len(firsts) > 1 else whole


def ranked_deadlines(session: Session, snap: Snapshot, topic: str, today: date) -> list[Deadline]:
    hits = snap.index.search(topic, limit=12, allow=lambda p: p.kind is PassageKind.DEADLINE)
    if not hits:
        return []
    rows = {
        d.id: d
        for d in session.exec(
            select(Deadline).where(col(Deadline.id).in_([h.item.row_id for h in hits]))
        )
    }
    best = hits[0].score
    ranked: list[tuple[float, Deadline]] = []
    for h in hits:
        dl = rows.get(h.item.row_id)
        if dl is None or h.coverage < 0.34 or h.score < 0.5 * best:
            continue
        title_sim = fuzz.token_set_ratio(topic, search_key(dl.title)) / 100
        upcoming = 0.15 if next_due(dl, today) else 0.0
        doc = snap.docs.get(dl.document_id)
        current = 0.1 if doc is not None and doc.covers(today.year) else 0.0
        ranked.append((h.score / best + 0.6 * title_sim + upcoming + current, dl))
    ranked.sort(key=lambda x: -x[0])
    return [d for _, d in ranked]


def _due_in(dl: Deadline, parsed: Parsed, today: date) -> date | None:
    """The occurrence the question asks about: the first in its window, else the next one."""
    window = parsed.window
    if window is not None:
        return next(iter(dates_between(dl, window.start, window.end)), None)
    once = dl.due_date if dl.due_date is not None and dl.due_date >= today else None
    return next_due(dl, today) or once  # a one-off beyond the recurrence horizon (2030) is ahead


def _when(due: date | None, today: date) -> str:
    if due is None:
        return "đã qua hạn, không còn lần nào sắp tới"
    left = (due - today).days
    if left > 0:
        return f"hạn {_fmt(due)} (còn {left} ngày)"
    return f"hạn {_fmt(due)} (hôm nay)" if left == 0 else f"hạn {_fmt(due)} (đã qua {-left} ngày)"


def _listing(
    session: Session,
    snap: Snapshot,
    parsed: Parsed,
    dls: list[Deadline],
    topic: str,
    *,
    today: date,
    unit: UnitInfo | None,
) -> Answer:
    units_of = deadline_units(session, [d.id for d in dls if d.id is not None])
    refs: list[DeadlineRef] = []
    blocks: list[Block] = []
    specific = bool(topic) and not _is_generic(topic)
    for i, dl in enumerate(dls):
        due = _due_in(dl, parsed, today)
        ref = deadline_ref(snap, dl, units_of.get(dl.id or 0, []), today)
        if due is not None:
            ref = replace(ref, due=due.isoformat())
        refs.append(ref)
        blocks.append(
            _block(snap, dl, ref, due, parsed, today=today, detailed=specific and i == 0)
        )
    if specific:
        header = "Hạn phù hợp nhất với câu hỏi:"
    else:
        who = f" của {unit.name}" if unit else ""
        header = f"Các hạn sắp tới{who} (tính từ {_fmt(today)}):"
    return paged_answer(
        INTENT, header, blocks, units=[unit_ref(unit)] if unit is not None else [], deadlines=refs
    )


_ASKS_PROVINCE = re.compile(r"\b(tinh|thanh pho|dia phuong|noi) nao\b")


def _block(
    snap: Snapshot,
    dl: Deadline,
    ref: DeadlineRef,
    due: date | None,
    parsed: Parsed,
    *,
    today: date,
    detailed: bool,
) -> Block:
    rule = rule_text(dl)
    source = (deadline_source(snap, dl),)
    doc = snap.docs.get(dl.document_id)
    if _ASKS_PROVINCE.search(parsed.key) and doc is not None and doc.province:
        ref = replace(ref, title=f"{ref.title} ({doc.province})")  # "tỉnh nào …": say which
    if not detailed:
        line = f"• {ref.title}: {_when(due, today)}" + (f" — {rule}" if rule else "") + "."
        if "recipient" in parsed.asks:
            to = recipient(ref.due_text)
            line += f" Gửi về: {to}." if to else ""
        return Block(line, source)
    lines = [f"• {ref.title}: {_when(due, today)}."]
    to = recipient(ref.due_text)
    if to:
        lines.append(f"  Gửi về: {to}")
    if rule:
        lines.append(f"  Quy định: {rule}.")
    quote = focused(ref.due_text, parsed.topic, 260, want_date=True, want_to=True)
    lines.append(f"  Nguyên văn: “{quote}”")
    if ref.units:
        lines.append(f"  Đơn vị: {clip(', '.join(ref.units), 160)}")
    return Block("\n".join(lines), source)


def _in_window(
    session: Session,
    snap: Snapshot,
    unit: UnitInfo | None,
    window: DateWindow,
    *,
    today: date,
    doc_ids: tuple[int, ...] = (),
) -> Answer:
    """Every occurrence due in the window, for the unit (with all-unit ones) or for everyone;
    only the named documents' when the question names some ("Lâm Đồng có hạn nào")."""
    start, end, label = window.start, window.end, window.label
    if end < start:
        occurrences = []
    elif unit is not None:
        occurrences = occurrences_for_unit(session, unit.id, start, end)
    else:
        occurrences = load_occurrences(session, start, end)
    wanted = [o.deadline_id for o in occurrences]
    query = select(Deadline).where(col(Deadline.id).in_(wanted))
    rows = {d.id: d for d in session.exec(query)}
    units_of = deadline_units(session, [i for i in rows if i is not None])
    who = f" của {unit.name}" if unit else ""
    blocks: list[Block] = []
    refs: list[DeadlineRef] = []
    for occ in occurrences:
        dl = rows.get(occ.deadline_id)
        if dl is None or (doc_ids and dl.document_id not in doc_ids):
            continue
        ref = deadline_ref(snap, dl, units_of.get(occ.deadline_id, []), today)
        ref = replace(ref, due=occ.due.isoformat())  # the occurrence asked about, >= today
        refs.append(ref)
        rule = rule_text(dl)
        line = f"• {_fmt(occ.due)} — {ref.title}" + (f" ({rule})" if rule else "") + "."
        to = recipient(ref.due_text)
        line += f" Gửi về: {to}." if to else ""
        blocks.append(Block(line, (deadline_source(snap, dl),)))
    if not blocks:
        text = f"Không thấy hạn nào{who} trong {label}."
        text += _next_after(session, unit, end, doc_ids) if end >= today else ""
        dated = _dated_passages(snap, start) if start == end else []
        if dated:  # "15/7/2021 có phải hạn gì không": the day a document was issued
            return paged_answer(
                INTENT, f"{text}\nNgày này được nhắc đến trong văn bản:", dated, units=[]
            )
        return Answer(intent=INTENT, text=text, units=[unit_ref(unit)] if unit else [])
    return paged_answer(
        INTENT,
        f"Các hạn{who} trong {label}:",
        blocks,
        units=[unit_ref(unit)] if unit is not None else [],
        deadlines=refs,
    )


def _dated_passages(snap: Snapshot, day: date) -> list[Block]:
    """Passages that write the day out in full ("15/7/2021", "ngày 15 tháng 7 năm 2021")."""
    d, m, y = day.day, day.month, day.year
    written = re.compile(
        rf"(?<!\d)0?{d}\s*/\s*0?{m}\s*/\s*{y}\b|\bngày\s+0?{d}\s+tháng\s+0?{m}\s+năm\s+{y}\b",
        re.IGNORECASE,
    )
    blocks: list[Block] = []
    seen: set[str] = set()
    for item in snap.index.items:
        found = written.search(item.text)
        doc = snap.docs.get(item.document_id)
        if found is None or doc is None or item.text in seen:
            continue
        seen.add(item.text)
        at = found.start()
        quote = item.text[max(0, at - 120) : at + 160].strip()
        quote = ("…" if at > 120 else "") + quote + ("…" if at + 160 < len(item.text) else "")
        source = SourceRef(document=doc.label, section=item.section)
        blocks.append(Block(f"• “{quote}”\n  ({doc.label}, {item.section})", (source,)))
        if len(blocks) >= 4:
            break
    return blocks


def _next_after(
    session: Session, unit: UnitInfo | None, end: date, doc_ids: tuple[int, ...]
) -> str:
    """ " Hạn gần nhất sau đó: 10/12/2026 — Báo cáo năm …": what comes after an empty window."""
    after = end + timedelta(days=1)
    for dl in upcoming_deadlines(session, after, unit, limit=50):
        due = next_due(dl, after)
        if due is not None and (not doc_ids or dl.document_id in doc_ids):
            return f" Hạn gần nhất sau đó: {_fmt(due)} — {dl.title}."
    return ""


def upcoming_deadlines(
    session: Session, today: date, unit: UnitInfo | None, limit: int = 30
) -> list[Deadline]:
    """Deadlines with an occurrence ahead, soonest first; for a unit, its own and all-unit ones
    (a member unit also gets those of the collectives it belongs to)."""
    rows = list(session.exec(select(Deadline)))
    if unit is not None:
        groups = {unit.id} | collectives_of(session, unit.id)
        mine = set(
            session.exec(
                select(DeadlineUnit.deadline_id).where(col(DeadlineUnit.unit_id).in_(groups))
            )
        )
        rows = [d for d in rows if d.all_units or d.id in mine]
    dated = [(next_due(d, today), d) for d in rows]
    dated = [(due, d) for due, d in dated if due is not None]
    dated.sort(key=lambda x: (x[0], x[1].id))
    return [d for _, d in dated[:limit]]
