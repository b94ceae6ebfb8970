"""The span of days a catalogue row's time cell names ("Quý III/2026", "Tháng 5/2026",
"Trước ngày 30/6/2026", "Năm 2027", "Giai đoạn 2026-2030", "Năm học 2026-2027") (pure)."""

from __future__ import annotations

import calendar
import re
from datetime import date

from knowledge.normalize import fold
from knowledge.windows import ROMAN

# Over folded text: punctuation is a space ("quy iii 2026", "truoc ngay 30 6 2026").
_QUARTER = re.compile(r"\bquy (iv|iii|ii|i|[1-4]) (?:nam )?(20\d\d)\b")
_MONTH = re.compile(r"\bthang (\d{1,2}) (?:nam )?(20\d\d)\b")
_DAY = re.compile(r"\b(\d{1,2}) (\d{1,2}) (20\d\d)\b")
_HALF = re.compile(r"\b6 thang (dau|cuoi) nam (20\d\d)\b")
_SCHOOL_YEAR = re.compile(r"\bnam hoc (20\d\d) (20\d\d)\b")
_YEARS = re.compile(r"\b(20\d\d) (20\d\d)\b")
_YEAR = re.compile(r"\bnam (20\d\d)\b")
RECURRING = re.compile(r"\b(hang|moi) (nam|quy|thang|tuan)\b|\bthuong xuyen\b|\bdinh ky\b")


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def due_range(due_text: str) -> tuple[date, date] | None:
    """The first and last day the time cell allows, or None when it names no dated span."""
    text = fold(due_text or "")
    if m := _DAY.search(text):
        try:
            day = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return None
        return day, day
    if m := _QUARTER.search(text):
        quarter, year = ROMAN.get(m.group(1)) or int(m.group(1)), int(m.group(2))
        return date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter)
    if (m := _MONTH.search(text)) and 1 <= int(m.group(1)) <= 12:
        month, year = int(m.group(1)), int(m.group(2))
        return date(year, month, 1), _month_end(year, month)
    if m := _HALF.search(text):
        year = int(m.group(2))
        return (
            (date(year, 1, 1), date(year, 6, 30))
            if m.group(1) == "dau"
            else (date(year, 7, 1), date(year, 12, 31))
        )
    if m := _SCHOOL_YEAR.search(text):
        return date(int(m.group(1)), 9, 1), date(int(m.group(2)), 5, 31)
    if m := _YEARS.search(text):
        return date(int(m.group(1)), 1, 1), date(int(m.group(2)), 12, 31)
    if m := _YEAR.search(text):
        return date(int(m.group(1)), 1, 1), date(int(m.group(1)), 12, 31)
    return None
