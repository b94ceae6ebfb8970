"""Data of each page, read in one session (synchronous: the routes run these in a thread)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from handlers import weblinks
from handlers.models import CalendarFeed
from jobs.audience import expanded
from jobs.audit import audit_events
from jobs.done import is_approved, pending_members
from jobs.models import ChatAddress, DoneMark, Person, ReminderHold, ReminderLog
from jobs.status import BoardFilter, build_board, board_rows
from handlers.done import party_of
from knowledge.deadlines import load_occurrences
from knowledge.ingest.staging import retired_document_ids
from knowledge.members import members_of
from knowledge.models import Deadline, Document, Unit
from knowledge.recurrence import DeadlineOccurrence, describe_rule
from knowledge.units import member_units
from web import charts, ics
from web.board import filter_choices, filter_query, pivot, presets


def board_page(session: Session, board_filter: BoardFilter, *, today: date, tz: ZoneInfo) -> dict[str, Any]:
    rows = board_rows(session, board_filter, today=today, tz=tz)
    documents, units = filter_choices(session)
    start, end = board_filter.period(today)
    return {"pivot": pivot(rows), "documents": documents, "units": units, "filter": board_filter,
            "start": start, "end": end, "query": filter_query(board_filter), "presets": presets(today),
            "row_count": len(rows), "today": today}


def charts_page(session: Session, *, today: date, tz: ZoneInfo, unit_id: int | None) -> dict[str, Any]:
    year_rows = board_rows(session, BoardFilter(start=date(today.year, 1, 1), end=today, unit_id=unit_id),
                           today=today, tz=tz)
    rates = charts.on_time_rates(year_rows, today=today)
    upcoming = expanded(session, load_occurrences(session, today, today + timedelta(days=90)))
    if unit_id is not None:
        upcoming = [o for o in upcoming if o.concerns(unit_id)]
    return {"rates": rates, "rate_svg": charts.rate_chart(rates, year=today.year),
            "timeline_svg": charts.timeline_chart(upcoming, today=today), "upcoming": upcoming,
            "today": today}


def find_occurrence(session: Session, key: str) -> DeadlineOccurrence | None:
    """The occurrence with this key ("<deadline>@<due>"), if a stored rule still produces it."""
    _, _, raw_due = key.rpartition("@")
    try:
        due = date.fromisoformat(raw_due)
    except ValueError:
        return None
    found = [o for o in load_occurrences(session, due, due) if o.key == key]
    return expanded(session, found)[0] if found else None


@dataclass(frozen=True)
class ReminderRow:
    at: datetime | None
    planned_for: datetime
    who: str
    unit: str
    what: str
    status: str


def deadline_page(session: Session, occ: DeadlineOccurrence, *, today: date, tz: ZoneInfo) -> dict[str, Any]:
    deadline = session.get(Deadline, occ.deadline_id)
    document = session.get(Document, occ.document_id)
    people = {p.id: p.display_name for p in session.exec(select(Person))}
    units = {u.id: u.name for u in session.exec(select(Unit))}
    reminders = []
    for r in session.exec(select(ReminderLog).where(ReminderLog.occurrence_key == occ.key)
                          .order_by(col(ReminderLog.planned_for))):
        what = "quá hạn" if r.kind.value == "overdue" else (
            "đúng ngày hạn" if r.offset_days == 0 else f"trước {r.offset_days} ngày")
        reminders.append(ReminderRow(
            r.sent_at.astimezone(tz) if r.sent_at else None,
            r.planned_for.astimezone(tz),
            f"{people.get(r.person_id, '?')} ({r.channel}{' nhóm' if r.is_group else ''})",
            units.get(r.unit_id, ""), what, r.status.value))
    marks = list(session.exec(select(DoneMark).where(DoneMark.occurrence_key == occ.key)
                              .order_by(col(DoneMark.marked_at))))
    events = [e for e in audit_events(session, tz=tz) if e.occurrence_key == occ.key]
    return {"occ": occ, "deadline": deadline, "document": document,
            "rule": describe_rule(deadline) if deadline else "",
            "rows": build_board(session, [occ], today=today, tz=tz), "reminders": reminders,
            "marks": [(m, units.get(m.unit_id, "?"), m.marked_at.astimezone(tz),
                       m.undone_at.astimezone(tz) if m.undone_at else None) for m in marks],
            "events": events, "today": today, "responses": responses(session, occ.key, tz)}


def responses(session: Session, occurrence_key: str, tz: ZoneInfo) -> list[tuple[datetime, str, str]]:
    """Who snoozed, muted or resumed this occurrence's reminders: (when, who, what), in time order.
    (Done marks, the acknowledgement that counts, are listed with the marks.)"""
    people = {p.id: p.display_name for p in session.exec(select(Person))}
    out: list[tuple[datetime, str, str]] = []
    for hold in session.exec(select(ReminderHold).where(ReminderHold.occurrence_key == occurrence_key)):
        who = hold.created_by or people.get(hold.person_id, f"#{hold.person_id}")
        what = (f"hoãn nhắc đến {hold.until:%d/%m/%Y}" if hold.until is not None
                else "không nhắc hạn này nữa")
        out.append((hold.created_at.astimezone(tz), who, what))
        if hold.cleared_at is not None:
            out.append((hold.cleared_at.astimezone(tz), hold.cleared_by or who,
                        "nhắc lại như cũ"))
    return sorted(out, key=lambda item: item[0])


@dataclass(frozen=True)
class MemberInfo:
    person: Person
    chats: str
    approved: bool
    member: str = ""  # the school or office of a collective the person speaks for


@dataclass(frozen=True)
class UnitInfo:
    unit: Unit
    members: list[MemberInfo]
    feed_url: str
    feed_id: int | None


def units_page(session: Session, *, base_url: str) -> dict[str, Any]:
    units = member_units(session.exec(select(Unit).order_by(Unit.name)).all())
    chats: dict[int, list[str]] = {}
    for a in session.exec(select(ChatAddress).order_by(col(ChatAddress.id))):
        label = a.channel + (" nhóm" if a.is_group else "") + ("" if a.active else " (đã chặn bot)")
        chats.setdefault(a.person_id, []).append(label)
    people: dict[int, list[MemberInfo]] = {}
    for p in session.exec(select(Person).where(col(Person.unit_id).is_not(None)).order_by(Person.display_name)):
        party = party_of(session, p)
        people.setdefault(p.unit_id, []).append(  # type: ignore[arg-type]
            MemberInfo(p, ", ".join(chats.get(p.id, [])), is_approved(session, p),
                       party.member.name if party and party.member else ""))
    feeds = {f.unit_id: f for f in session.exec(select(CalendarFeed).where(
        col(CalendarFeed.revoked_at).is_(None), col(CalendarFeed.person_id).is_(None)))}
    infos = []
    for unit in units:
        feed = feeds.get(unit.id)  # type: ignore[arg-type]
        infos.append(UnitInfo(unit, people.get(unit.id, []),  # type: ignore[arg-type]
                              weblinks.feed_url(session, feed, base_url) if feed else "",
                              feed.id if feed else None))
    pending = [(p, party_of(session, p)) for p in pending_members(session)]
    members = {u.id: members_of(session, u.id, approved_only=False) for u in units if u.is_collective}
    return {"units": infos, "pending": pending, "members": members}


def documents_page(session: Session) -> dict[str, Any]:
    documents = list(session.exec(select(Document).order_by(col(Document.id))))
    counts: dict[int, int] = {}
    for deadline in session.exec(select(Deadline)):
        counts[deadline.document_id] = counts.get(deadline.document_id, 0) + 1
    retired = retired_document_ids(session)
    return {"documents": [(d, counts.get(d.id or 0, 0), d.id not in retired) for d in documents],
            "upload_enabled": True}


def feed_calendar(session: Session, feed: CalendarFeed, *, today: date, now: datetime,
                  default_offsets: tuple[int, ...], default_time: time) -> tuple[bytes, str]:
    """The .ics bytes of a feed and its file name."""
    unit = session.get(Unit, feed.unit_id)
    start, end = ics.window(today)
    occurrences = [o for o in expanded(session, load_occurrences(session, start, end))
                   if o.concerns(feed.unit_id)]
    offsets, at = default_offsets, default_time
    person = session.get(Person, feed.person_id) if feed.person_id is not None else None
    if person is not None:
        offsets = tuple(person.offsets) if person.offsets else default_offsets
        if person.reminder_time:
            hours, _, minutes = person.reminder_time.partition(":")
            at = time(int(hours), int(minutes or 0))
    body = ics.unit_calendar(unit_id=feed.unit_id, unit_name=unit.name if unit else "?",
                             occurrences=occurrences, offsets=offsets, at=at, stamp=now)
    return body, f"han-cchc-{feed.unit_id}.ics"
