"""Deadlines: the next occurrence on or after today, the rule in words, the quoted wording."""

from __future__ import annotations

import calendar
import re
from dataclasses import replace
from datetime import date

from rapidfuzz import fuzz
from sqlmodel import Session, select

from knowledge.answers import Answer, DeadlineRef
from knowledge.compose.paging import Block, clip, paged_answer
from knowledge.compose.refs import (
    deadline_ref,
    deadline_source,
    deadline_units,
    rule_text,
    unit_ref,
)
from knowledge.deadlines import load_occurrences, occurrences_for_unit
from knowledge.intents import Parsed
from knowledge.kb import PassageKind, Snapshot, UnitInfo
from knowledge.models import Deadline, DeadlineUnit
from knowledge.normalize import search_key
from knowledge.recurrence import next_due

INTENT = "deadline"
_GENERIC = {
    "han", "sap", "toi", "nop", "gui", "bao cao", "sap toi", "tiep theo", "gan nhat", "gan", "nhat",
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
    window = _month_window(topic, today)
    if window is not None:
        return _in_window(session, snap, unit, *window, today=today)
    ranked: list[tuple[float, Deadline]] = []
    if topic and not _is_generic(topic):
        hits = snap.index.search(topic, limit=12, allow=lambda p: p.kind is PassageKind.DEADLINE)
        if not hits:
            return None
        rows = {
            d.id: d
            for d in session.exec(
                select(Deadline).where(Deadline.id.in_([h.item.row_id for h in hits]))
            )
        }  # type: ignore[union-attr]
        best = hits[0].score
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
        if not ranked:
            return None
    else:
        ranked = [(0.0, d) for d in _upcoming(session, today, unit)]
        if not ranked:
            return None
    dls = [d for _, d in ranked]
    units_of = deadline_units(session, [d.id for d in dls if d.id is not None])
    refs: list[DeadlineRef] = [
        deadline_ref(snap, d, units_of.get(d.id or 0, []), today) for d in dls
    ]
    blocks: list[Block] = []
    for i, (dl, ref) in enumerate(zip(dls, refs)):
        due = next_due(dl, today)
        when = f"hạn gần nhất {_fmt(due)}" if due else "đã qua hạn, không còn lần nào sắp tới"
        rule = rule_text(dl)
        if i == 0:
            lines = [f"• {ref.title}: {when}."]
            if rule:
                lines.append(f"  Quy định: {rule}.")
            lines.append(f"  Nguyên văn: “{_quote_window(ref.due_text)}”")
            if ref.units:
                lines.append(f"  Đơn vị: {clip(', '.join(ref.units), 160)}")
        else:
            lines = [f"• {ref.title}: {when}" + (f" ({rule})" if rule else "") + "."]
        blocks.append(Block("\n".join(lines), (deadline_source(snap, dl),)))
    if topic and not _is_generic(topic):
        header = "Hạn phù hợp nhất với câu hỏi:"
    else:
        who = f" của {unit.name}" if unit else ""
        header = f"Các hạn sắp tới{who} (tính từ {_fmt(today)}):"
    return paged_answer(
        INTENT,
        header,
        blocks,
        units=[unit_ref(unit)] if unit is not None else [],
        deadlines=refs,
    )


_DEADLINE_WORDS = re.compile(
    r"trước ngày|chậm nhất|thời hạn|hạn chót|hằng tháng|hàng tháng|trong quý", re.IGNORECASE
)


def _quote_window(quote: str, limit: int = 260) -> str:
    """The quoted wording; when long, its opening and the part around the deadline phrase."""
    quote = " ".join(quote.split())
    m = _DEADLINE_WORDS.search(quote)
    if len(quote) <= limit or m is None or m.start() < limit - 100:
        return clip(quote, limit)
    head = clip(quote[:100], 100).rstrip("…")
    start = quote.rfind(" ", 0, max(0, m.start() - 50)) + 1
    return f"{head} … {clip(quote[start:], limit - len(head) - 3)}"


_MONTH = re.compile(r"\bthang (\d{1,2}|nay|toi|sau)(?: nam)?(?: (20\d\d))?\b")


def _month_window(topic: str, today: date) -> tuple[date, date, str] | None:
    """ "hạn trong tháng 12", "tháng này có hạn gì": that month (from today on), when the rest
    of the question names no particular deadline."""
    m = _MONTH.search(topic)
    if m is None:
        return None
    if not _is_generic(" ".join((topic[: m.start()] + " " + topic[m.end() :]).split())):
        return None
    word, year_text = m.group(1), m.group(2)
    if word == "nay":
        month, year = today.month, today.year
    elif word in ("toi", "sau"):
        month, year = today.month % 12 + 1, today.year + (today.month == 12)
    else:
        month = int(word)
        if not 1 <= month <= 12:
            return None
        year = int(year_text) if year_text else today.year + (month < today.month)
    start = date(year, month, 1)
    end = date(year, month, calendar.monthrange(year, month)[1])
    return max(start, today), end, f"{month:02d}/{year}"


def _in_window(
    session: Session,
    snap: Snapshot,
    unit: UnitInfo | None,
    start: date,
    end: date,
    label: str,
    *,
    today: date,
) -> Answer:
    """Every occurrence due in [start, end], for the unit (with all-unit ones) or for everyone."""
    if end < start:
        occurrences = []
    elif unit is not None:
        occurrences = occurrences_for_unit(session, unit.id, start, end)
    else:
        occurrences = load_occurrences(session, start, end)
    wanted = [o.deadline_id for o in occurrences]
    query = select(Deadline).where(Deadline.id.in_(wanted))  # type: ignore[union-attr]
    rows = {d.id: d for d in session.exec(query)}
    units_of = deadline_units(session, list(rows))
    who = f" của {unit.name}" if unit else ""
    blocks: list[Block] = []
    refs: list[DeadlineRef] = []
    for occ in occurrences:
        dl = rows.get(occ.deadline_id)
        if dl is None:
            continue
        ref = deadline_ref(snap, dl, units_of.get(occ.deadline_id, []), today)
        ref = replace(ref, due=occ.due.isoformat())  # the occurrence asked about, >= today
        refs.append(ref)
        rule = rule_text(dl)
        line = f"• {_fmt(occ.due)} — {ref.title}" + (f" ({rule})" if rule else "") + "."
        blocks.append(Block(line, (deadline_source(snap, dl),)))
    if not blocks:
        text = f"Không thấy hạn nào{who} trong tháng {label} (tính từ {_fmt(start)})."
        return Answer(intent=INTENT, text=text, units=[unit_ref(unit)] if unit else [])
    return paged_answer(
        INTENT,
        f"Các hạn{who} trong tháng {label}:",
        blocks,
        units=[unit_ref(unit)] if unit is not None else [],
        deadlines=refs,
    )


def _upcoming(
    session: Session, today: date, unit: UnitInfo | None, limit: int = 30
) -> list[Deadline]:
    rows = list(session.exec(select(Deadline)))
    if unit is not None:
        mine = set(
            session.exec(select(DeadlineUnit.deadline_id).where(DeadlineUnit.unit_id == unit.id))
        )
        rows = [d for d in rows if d.all_units or d.id in mine]
    dated = [(next_due(d, today), d) for d in rows]
    dated = [(due, d) for due, d in dated if due is not None]
    dated.sort(key=lambda x: (x[0], x[1].id))
    return [d for _, d in dated[:limit]]
