"""Pure reminder planner: (now, occurrences, subscribers, config, sent keys, done marks) → due
now."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import NamedTuple, Protocol
from zoneinfo import ZoneInfo

from jobs.broadcast import UNREACHABLE_CHANNELS
from jobs.models import ReminderKind
from knowledge.models import RecurrenceKind
from knowledge.recurrence import DeadlineOccurrence, titled

QUOTE_LIMIT = 600  # characters of source wording quoted in a reminder
HOLIDAY_COUNTRY = "VN"


@lru_cache(maxsize=64)
def public_holidays(country: str, year: int) -> frozenset[date]:
    """The statutory public holidays of one year from the maintained `holidays` package.

    For Vietnam: New Year, the lunar Tết days, Hùng Kings, 30/4, 1/5, 2/9 and their observed
    substitutes. The extra days each year's government decision adds (bridges, swapped days)
    come from the HOLIDAYS / HOLIDAYS_FILE and WORKING_DAYS settings.
    """
    import holidays

    return frozenset(holidays.country_holidays(country, years=year))


class ReminderSettings(Protocol):
    """The application settings the reminder policy is read from."""

    @property
    def tz(self) -> str: ...

    @property
    def reminder_offsets(self) -> Sequence[int]: ...

    @property
    def reminder_time(self) -> time: ...

    @property
    def holidays(self) -> Iterable[date]: ...


@dataclass(frozen=True)
class PlannerConfig:
    """Reminder policy; `from_settings` reads it from the application settings."""

    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Ho_Chi_Minh"))
    offsets: tuple[int, ...] = (7, 3, 1, 0)
    reminder_time: time = time(8, 0)
    holidays: frozenset[date] = frozenset()  # extra days off (HOLIDAYS, HOLIDAYS_FILE)
    working_days: frozenset[date] = frozenset()  # swapped working Saturdays (WORKING_DAYS)
    holiday_country: str | None = HOLIDAY_COUNTRY  # statutory holidays; None: weekends only
    office_start: time = time(7, 0)
    office_end: time = time(17, 0)
    overdue_window_days: int = 7  # an overdue notice not sent within a week of its slot is stale
    admin_ids: frozenset[str] = frozenset()  # who gets the daily "Quá hạn chưa xong" digest

    @classmethod
    def from_settings(cls, settings: ReminderSettings) -> PlannerConfig:
        return cls(
            tz=ZoneInfo(settings.tz),
            offsets=tuple(settings.reminder_offsets),
            reminder_time=settings.reminder_time,
            holidays=frozenset(settings.holidays),
            working_days=frozenset(getattr(settings, "working_days", frozenset())),
            admin_ids=frozenset(getattr(settings, "admin_ids", frozenset())),
        )

    @property
    def lookahead_days(self) -> int:
        """How far ahead occurrences must be loaded to see every first reminder (+ weekend
        shift)."""
        return max(self.offsets, default=0) + 10

    @property
    def lookback_days(self) -> int:
        """How far back occurrences must be loaded to still send their overdue notice."""
        return self.overdue_window_days + 10

    def is_working_day(self, day: date) -> bool:
        """Monday to Friday except public and configured holidays; a WORKING_DAYS date always
        is."""
        if day in self.working_days:
            return True
        if day.weekday() >= 5 or day in self.holidays:
            return False
        return not self.holiday_country or day not in public_holidays(
            self.holiday_country, day.year
        )

    def in_office_hours(self, local: datetime) -> bool:
        return (
            self.is_working_day(local.date())
            and self.office_start <= local.time() < self.office_end
        )


@dataclass(frozen=True)
class SubscriberAddress:
    id: int
    channel: str
    chat_id: str
    is_group: bool = False
    is_primary: bool = True
    active: bool = True


@dataclass(frozen=True)
class Subscriber:
    """A Person with a unit and the chats that reach them."""

    person_id: int
    unit_id: int
    unit_name: str
    addresses: tuple[SubscriberAddress, ...]
    reminders_enabled: bool = True
    offsets: tuple[int, ...] | None = None  # None: the configured defaults
    reminder_time: time | None = None
    deliver_all_channels: bool = False
    member_id: int | None = None  # the school/office of a collective unit, reminded on its own


@dataclass(frozen=True)
class PlannedReminder:
    key: str
    person_id: int
    address: SubscriberAddress
    unit_id: int
    occurrence: DeadlineOccurrence
    kind: ReminderKind
    offset_days: int
    planned_for: datetime  # aware, local time
    text: str
    member_id: int | None = None


# (unit_id, occurrence_key) done by a whole unit; (unit_id, occurrence_key, member_id) by a member
DoneKey = tuple[int, str] | tuple[int, str, int]
DoneSet = AbstractSet[DoneKey]
# (person_id, occurrence_key) → snoozed until that day, or None when muted
Holds = Mapping[tuple[int, str], date | None]


def is_done(done: DoneSet, unit_id: int, occurrence_key: str, member_id: int | None) -> bool:
    """Done for the whole unit, or (a member of a collective unit) done by that member."""
    if (unit_id, occurrence_key) in done:
        return True
    return member_id is not None and (unit_id, occurrence_key, member_id) in done


@dataclass(frozen=True)
class _Slot:
    kind: ReminderKind
    offset_days: int
    fires_at: datetime


def last_working_day_on_or_before(day: date, config: PlannerConfig) -> date:
    while not config.is_working_day(day):
        day -= timedelta(days=1)
    return day


def first_working_day_after(day: date, config: PlannerConfig) -> date:
    day += timedelta(days=1)
    while not config.is_working_day(day):
        day += timedelta(days=1)
    return day


def _slots(due: date, offsets: Iterable[int], at: time, config: PlannerConfig) -> list[_Slot]:
    """Every reminder slot of one occurrence for one subscriber, ordered by firing time."""
    slots = []
    for offset in sorted(set(offsets), reverse=True):
        day = last_working_day_on_or_before(due - timedelta(days=offset), config)
        slots.append(_Slot(ReminderKind.BEFORE, offset, datetime.combine(day, at, config.tz)))
    overdue_day = first_working_day_after(due, config)
    slots.append(_Slot(ReminderKind.OVERDUE, 0, datetime.combine(overdue_day, at, config.tz)))
    # Two offsets shifted onto the same working day: the smaller offset (closer to due) wins ties.
    slots.sort(key=lambda s: (s.fires_at, s.kind is ReminderKind.OVERDUE, -s.offset_days))
    return slots


def _latest_fired(slots: Sequence[_Slot], local_now: datetime, due: date) -> _Slot | None:
    """The latest slot whose time has come; before-due slots expire once the due date has
    passed."""
    fired = [s for s in slots if s.fires_at <= local_now]
    if not fired:
        return None
    latest = fired[-1]
    if latest.kind is ReminderKind.BEFORE and local_now.date() > due:
        return None
    return latest


def _slot_part(occurrence_key: str, slot_kind: ReminderKind, offset_days: int) -> str:
    """The occurrence-and-slot half of an idempotency key.

    A whole key is "p<person>|<deadline>@<due>|d<offset>" or "…|overdue", plus "|a<chat>" when
    the person asked for every channel: subscriber, occurrence, offset, as the issue requires.
    """
    slot = "overdue" if slot_kind is ReminderKind.OVERDUE else f"d{offset_days}"
    return f"{occurrence_key}|{slot}"


def _targets(subscriber: Subscriber) -> list[SubscriberAddress]:
    active = [
        a for a in subscriber.addresses if a.active and a.channel not in UNREACHABLE_CHANNELS
    ]
    if subscriber.deliver_all_channels:
        return active
    primary = [a for a in active if a.is_primary]
    return (primary or active)[:1]


class _Schedule(NamedTuple):
    """Subscribers sharing one of these share their reminders' slots and texts."""

    unit_id: int
    member_id: int | None
    offsets: tuple[int, ...]
    at: time


class _DueNow(NamedTuple):
    """An occurrence whose latest slot has come, for one schedule."""

    occurrence: DeadlineOccurrence
    slot: _Slot
    suffix: str  # the occurrence-and-slot half of the idempotency key
    text: str


def plan(
    now: datetime,
    occurrences: Iterable[DeadlineOccurrence],
    subscribers: Iterable[Subscriber],
    config: PlannerConfig,
    sent_keys: AbstractSet[str],
    done: DoneSet,
    holds: Holds | None = None,
) -> list[PlannedReminder]:
    """The reminders to enqueue now. `done` holds (unit_id, occurrence_key) of active done marks
    of whole units and (unit_id, occurrence_key, member_id) of members of collective units;
    `holds` (person_id, occurrence_key) → snoozed until a day, or None when muted.

    Per subscriber and occurrence only the latest slot whose time has come is considered, so a
    restart after downtime sends one catch-up reminder, never the whole missed series.
    Subscribers sharing a unit and a schedule share the work: slots and texts are computed once
    per (unit, member, offsets, time), which keeps 10,000 subscribers well under a second.
    """
    local_now = now.astimezone(config.tz)
    if not config.in_office_hours(local_now):
        return []
    occurrences = list(occurrences)
    latest = _LatestSlots(config, local_now)
    planned: list[PlannedReminder] = []
    for schedule, members in _schedule_groups(subscribers, config).items():
        unit_name = members[0].unit_name
        due_now = _due_for_schedule(schedule, unit_name, occurrences, done, latest)
        for sub in members:
            planned.extend(
                _subscriber_reminders(sub, schedule, due_now, local_now, holds or {}, sent_keys)
            )
    return planned


def _schedule_groups(
    subscribers: Iterable[Subscriber], config: PlannerConfig
) -> dict[_Schedule, list[Subscriber]]:
    """Subscribers who want reminders, grouped by unit, member, offsets and time of day."""
    groups: dict[_Schedule, list[Subscriber]] = {}
    for sub in subscribers:
        if sub.reminders_enabled:
            offsets = tuple(sub.offsets) if sub.offsets is not None else config.offsets
            at = sub.reminder_time or config.reminder_time
            groups.setdefault(_Schedule(sub.unit_id, sub.member_id, offsets, at), []).append(sub)
    return groups


class _LatestSlots:
    """The latest slot that has come of a due date for a schedule, or None; computed once per
    (due date, offsets, time). An overdue notice older than the overdue window is stale."""

    def __init__(self, config: PlannerConfig, local_now: datetime) -> None:
        self.local_now = local_now
        self._config = config
        self._cache: dict[tuple[date, tuple[int, ...], time], _Slot | None] = {}

    def __call__(self, due: date, offsets: tuple[int, ...], at: time) -> _Slot | None:
        cache_key = (due, offsets, at)
        if cache_key not in self._cache:
            self._cache[cache_key] = self._latest(due, offsets, at)
        return self._cache[cache_key]

    def _latest(self, due: date, offsets: tuple[int, ...], at: time) -> _Slot | None:
        slot = _latest_fired(_slots(due, offsets, at, self._config), self.local_now, due)
        if (
            slot is not None
            and slot.kind is ReminderKind.OVERDUE
            and self.local_now - slot.fires_at > timedelta(days=self._config.overdue_window_days)
        ):
            return None
        return slot


def _due_for_schedule(
    schedule: _Schedule,
    unit_name: str,
    occurrences: Sequence[DeadlineOccurrence],
    done: DoneSet,
    latest: _LatestSlots,
) -> list[_DueNow]:
    """The occurrences of the schedule's unit not done yet whose latest slot has come."""
    unit_id, member_id, offsets, at = schedule
    today = latest.local_now.date()
    due_now = []
    for occ in occurrences:
        if not occ.concerns(unit_id) or is_done(done, unit_id, occ.key, member_id):
            continue
        slot = latest(occ.due, offsets, at)
        if slot is None:
            continue
        suffix = _slot_part(occ.key, slot.kind, slot.offset_days)
        text = reminder_text(occ, unit_name, slot.kind, today)
        due_now.append(_DueNow(occ, slot, suffix, text))
    return due_now


def _subscriber_reminders(
    sub: Subscriber,
    schedule: _Schedule,
    due_now: Sequence[_DueNow],
    local_now: datetime,
    holds: Holds,
    sent_keys: AbstractSet[str],
) -> Iterator[PlannedReminder]:
    """One subscriber's reminders not sent yet, to each chat that should get them."""
    targets = _targets(sub)
    for due in due_now:
        suffix = _suffix_after_hold(due, holds, sub.person_id, local_now, schedule.at)
        if suffix is None:
            continue
        for address in targets:
            key = f"p{sub.person_id}|{suffix}"
            if sub.deliver_all_channels:
                key += f"|a{address.id}"
            if key in sent_keys:
                continue
            yield PlannedReminder(
                key=key,
                person_id=sub.person_id,
                address=address,
                unit_id=schedule.unit_id,
                occurrence=due.occurrence,
                kind=due.slot.kind,
                offset_days=due.slot.offset_days,
                planned_for=due.slot.fires_at,
                text=due.text,
                member_id=schedule.member_id,
            )


def _suffix_after_hold(
    due: _DueNow, holds: Holds, person_id: int, local_now: datetime, at: time
) -> str | None:
    """The key's slot part, or None while the person mutes or snoozes this occurrence."""
    hold_key = (person_id, due.occurrence.key)
    if hold_key not in holds:
        return due.suffix
    held = holds[hold_key]
    if held is None or local_now.date() < held:  # muted, or snoozed
        return None
    if local_now.time() >= at and due.slot.fires_at.date() < held:
        # the snooze is over and no regular slot came since: remind once today
        return f"{due.occurrence.key}|s{held:%Y%m%d}"
    return due.suffix


def _when(due: date, today: date) -> str:
    days = (due - today).days
    if days > 1:
        return f"còn {days} ngày"
    if days == 1:
        return "còn 1 ngày (hạn là ngày mai)"
    if days == 0:
        return "hạn là hôm nay"
    return f"đã quá hạn {-days} ngày"


_RULE_WORDS = {
    RecurrenceKind.YEARLY: "hằng năm",
    RecurrenceKind.QUARTERLY: "hằng quý",
    RecurrenceKind.HALF_YEARLY: "6 tháng một lần",
    RecurrenceKind.MONTHLY: "hằng tháng",
}
_DATED_PHRASE = re.compile(
    r"(?:(?:trước|chậm nhất|không muộn hơn|vào|trong)\s+)?(?:ngày\s+)?"
    r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})",
    re.IGNORECASE,
)


def provenance(occ: DeadlineOccurrence) -> str:
    """Why a recurring date is not the one quoted: "hằng năm, theo <văn bản>: “trước ngày
    15/01/2025”" when the quote dates another year; "" otherwise."""
    words = _RULE_WORDS.get(occ.rule_kind)
    if words is None:
        return ""
    for match in _DATED_PHRASE.finditer(occ.quote):
        if int(match.group(3)) != occ.due.year:
            return f"{words}, theo {occ.document_title}: “{match.group(0).strip()}”"
    return ""


def reminder_text(occ: DeadlineOccurrence, unit_name: str, kind: ReminderKind, today: date) -> str:
    """Vietnamese reminder: what is due, when, the source and its wording, how to mark it done."""
    head = "QUÁ HẠN" if kind is ReminderKind.OVERDUE else "Nhắc hạn"
    quote = " ".join(occ.quote.split())
    if len(quote) > QUOTE_LIMIT:
        quote = quote[: QUOTE_LIMIT - 1].rstrip() + "…"
    source = occ.document_title + (f", mục {occ.section_path}" if occ.section_path else "")
    lines = [
        f"{head}: {titled(occ)}",
        f"Hạn: {occ.due:%d/%m/%Y} ({_when(occ.due, today)})"
        + (f" — {note}" if (note := provenance(occ)) else ""),
        f"Đơn vị: {unit_name}",
        f"Nguồn: {source}",
    ]
    if quote:
        lines.append(f"Trích: “{quote}”")
    if kind is ReminderKind.OVERDUE:
        lines.append("Đây là thông báo quá hạn duy nhất cho hạn này.")
    lines.append("Khi đơn vị đã hoàn thành, gửi /xong để đánh dấu; bot sẽ ngừng nhắc hạn này.")
    return "\n".join(lines)
