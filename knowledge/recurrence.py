"""Concrete due dates (occurrences) of deadline rules; pure date arithmetic, no database."""

from __future__ import annotations

import calendar
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from knowledge.models import RecurrenceKind


class DeadlineRule(Protocol):
    rule_kind: RecurrenceKind
    due_date: date | None
    month: int | None
    month_in_period: int | None
    day: int | None
    valid_from_year: int | None
    valid_to_year: int | None


@dataclass(frozen=True)
class DeadlineOccurrence:
    """One concrete due date of a Deadline, with what a reminder or an answer needs to say."""

    deadline_id: int
    due: date
    title: str
    quote: str
    rule_kind: RecurrenceKind
    document_id: int
    document_title: str
    section_path: str
    unit_ids: frozenset[int]
    all_units: bool
    uid: str = ""  # the deadline's stable identity (knowledge/identity.py)

    @property
    def key(self) -> str:
        """Stable identity of the occurrence, used in idempotency keys and done marks.

        "<deadline uid>@<due>": it survives re-imports, which change row ids. A hand-made
        occurrence without a uid (tests, benchmarks) falls back to its row id.
        """
        return f"{self.uid or self.deadline_id}@{self.due.isoformat()}"

    def concerns(self, unit_id: int | None) -> bool:
        return self.all_units or (unit_id is not None and unit_id in self.unit_ids)


def _clamped(year: int, month: int, day: int) -> date:
    """The date, with the day clamped to the month's length (31 → 30/28/29)."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _period_months(rule: DeadlineRule) -> list[int]:
    kind = rule.rule_kind
    if kind is RecurrenceKind.YEARLY:
        return [rule.month or 12]
    if kind is RecurrenceKind.QUARTERLY:
        offset = (rule.month_in_period or 3) - 1
        return [q * 3 + 1 + offset for q in range(4)]
    if kind is RecurrenceKind.HALF_YEARLY:
        offset = (rule.month_in_period or 6) - 1
        return [h * 6 + 1 + offset for h in range(2)]
    if kind is RecurrenceKind.MONTHLY:
        return list(range(1, 13))
    return []


def dates_between(rule: DeadlineRule, start: date, end: date) -> Iterator[date]:
    """Every due date of the rule with start <= due <= end, in order."""
    if rule.rule_kind is RecurrenceKind.ONCE:
        if rule.due_date is not None and start <= rule.due_date <= end:
            yield rule.due_date
        return
    first_year = max(start.year, rule.valid_from_year or start.year)
    last_year = min(end.year, rule.valid_to_year or end.year)
    months = _period_months(rule)
    for year in range(first_year, last_year + 1):
        for month in months:
            due = _clamped(year, month, rule.day or 1)
            if start <= due <= end:
                yield due


def next_due(rule: DeadlineRule, on_or_after: date, horizon_years: int = 2) -> date | None:
    """The first due date on or after the given day, or None when the rule has none left."""
    end = date(on_or_after.year + horizon_years, 12, 31)
    return next(iter(dates_between(rule, on_or_after, end)), None)


def previous_due(rule: DeadlineRule, before: date, horizon_years: int = 2) -> date | None:
    """The last due date strictly before the given day, or None."""
    start = date(max(1, before.year - horizon_years), 1, 1)
    found = [d for d in dates_between(rule, start, before) if d < before]
    return found[-1] if found else None


def describe_rule(rule: DeadlineRule) -> str:
    """Vietnamese wording of the rule, for answers: "hằng năm, ngày 15/01"."""
    kind = rule.rule_kind
    if kind is RecurrenceKind.ONCE:
        return f"một lần, ngày {rule.due_date:%d/%m/%Y}" if rule.due_date else "một lần"
    if kind is RecurrenceKind.YEARLY:
        return f"hằng năm, ngày {rule.day:02d}/{rule.month:02d}"
    if kind is RecurrenceKind.QUARTERLY:
        nth = {1: "đầu", 2: "thứ hai", 3: "cuối"}.get(rule.month_in_period or 3, "cuối")
        return f"hằng quý, ngày {rule.day} tháng {nth} của quý"
    if kind is RecurrenceKind.HALF_YEARLY:
        return f"6 tháng một lần, ngày {rule.day} tháng thứ {rule.month_in_period or 6} của kỳ"
    return f"hằng tháng, ngày {rule.day}"


_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def period_label(occurrence: DeadlineOccurrence) -> str:
    """The period a recurring due date closes, in words: "quý IV/2026", "6 tháng cuối năm 2026",
    "năm 2026", "tháng 12/2026"; "" for a one-off date."""
    due, kind = occurrence.due, occurrence.rule_kind
    if kind is RecurrenceKind.QUARTERLY:
        return f"quý {_ROMAN[(due.month - 1) // 3 + 1]}/{due.year}"
    if kind is RecurrenceKind.HALF_YEARLY:
        return f"6 tháng {'đầu' if due.month <= 6 else 'cuối'} năm {due.year}"
    if kind is RecurrenceKind.YEARLY:
        return f"năm {due.year}"
    if kind is RecurrenceKind.MONTHLY:
        return f"tháng {due.month}/{due.year}"
    return ""


def obligation_key(occurrence: DeadlineOccurrence) -> str:
    """Occurrences from one sentence of one document due the same day share this key: units
    send them as one report ("báo cáo quý IV, 6 tháng cuối năm và năm 2026" on 10/12)."""
    sentence = hashlib.sha1(" ".join(occurrence.quote.split()).encode()).hexdigest()[:10]
    where = f"{occurrence.document_id}|{occurrence.section_path}|{sentence}"
    return f"{where}@{occurrence.due.isoformat()}"


def join_titles(titles: list[str]) -> str:
    """ "A", "A và B", "A, B và C"."""
    titles = list(dict.fromkeys(titles))
    if len(titles) <= 1:
        return "".join(titles)
    return ", ".join(titles[:-1]) + " và " + titles[-1]


def titled(occurrence: DeadlineOccurrence) -> str:
    """The title with its period for recurring dates: "Báo cáo quý kết quả CCHC (quý IV/2026)"."""
    period = period_label(occurrence)
    return f"{occurrence.title} ({period})" if period else occurrence.title
