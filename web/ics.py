"""iCalendar (RFC 5545) feeds of a unit's deadlines, made with the `icalendar` library.

Each occurrence is an all-day event whose UID depends only on the deadline, its date and the
feed's unit, so a phone that re-reads the feed updates events instead of duplicating them.
Alarms fire at the reminder time the given number of days before the due date.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from icalendar import Alarm, Calendar, Event

from knowledge.recurrence import DeadlineOccurrence

PRODID = "-//Tro ly CCHC//Lich han chot//VI"
UID_DOMAIN = "tro-ly-cchc"


def event_uid(occurrence: DeadlineOccurrence, unit_id: int) -> str:
    return f"{occurrence.key}-u{unit_id}@{UID_DOMAIN}"


def alarm_trigger(offset_days: int, at: time) -> timedelta:
    """Relative to the start (midnight) of the all-day event: `offset_days` before, at `at`."""
    return timedelta(days=-offset_days, hours=at.hour, minutes=at.minute)


def unit_calendar(*, unit_id: int, unit_name: str, occurrences: list[DeadlineOccurrence],
                  offsets: tuple[int, ...], at: time, stamp: datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"Hạn CCHC — {unit_name}")
    calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    for occ in occurrences:
        calendar.add_component(_event(occ, unit_id, offsets, at, stamp))
    return calendar.to_ical()


def _event(occ: DeadlineOccurrence, unit_id: int, offsets: tuple[int, ...], at: time,
           stamp: datetime) -> Event:
    event = Event()
    event.add("uid", event_uid(occ, unit_id))
    event.add("dtstamp", stamp)
    event.add("dtstart", occ.due)
    event.add("dtend", occ.due + timedelta(days=1))
    event.add("summary", f"Hạn: {occ.title}")
    source = occ.document_title + (f", {occ.section_path}" if occ.section_path else "")
    description = f"Nguồn: {source}"
    if occ.quote:
        description += f"\n\n“{occ.quote}”"
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    event.add("categories", ["CCHC"])
    for offset in sorted(set(offsets), reverse=True):
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        when = "hôm nay" if offset == 0 else f"còn {offset} ngày"
        alarm.add("description", f"{occ.title} ({when}, hạn {occ.due:%d/%m/%Y})")
        alarm.add("trigger", alarm_trigger(offset, at))
        event.add_component(alarm)
    return event


def window(today: date) -> tuple[date, date]:
    """The feed's period: the past 60 days (recent history) and the next year."""
    return today - timedelta(days=60), today + timedelta(days=366)
