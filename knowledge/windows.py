"""Date windows and periods a question names, relative to the asker's today (pure).

"hôm nay", "tuần này/sau", "tháng này/tới", "tháng 6 (năm 2027)", "quý 1 năm sau",
"6 tháng đầu năm sau", "năm 2027", "15/1" become a closed date range; "năm sau" and
"năm nay" also become years, so they steer which plan answers.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_YEAR_WORD = r"(?: nam (20\d\d|nay|sau|toi|ngoai|truoc))?"


@dataclass(frozen=True)
class DateWindow:
    """A closed range of days the question asks about, with its Vietnamese label."""

    start: date
    end: date
    label: str  # "tháng 06/2027", "quý 1/2027", "tuần sau (07/12–13/12/2026)"
    whole_year: bool = False  # "năm 2027": also a plan qualifier, a window only for listings


def relative_year(word: str | None, today: date) -> int:
    if not word or word == "nay":
        return today.year
    if word in ("sau", "toi"):
        return today.year + 1
    if word in ("ngoai", "truoc"):
        return today.year - 1
    return int(word)


def relative_years(key: str, today: date) -> list[int]:
    """Years named relatively: "năm sau" → today.year + 1."""
    out = []
    for m in re.finditer(r"\bnam (nay|sau|toi|ngoai|truoc)\b", key):
        out.append(relative_year(m.group(1), today))
    return out


def _fmt(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _week(key: str, today: date) -> DateWindow | None:
    monday = today - timedelta(days=today.weekday())
    if re.search(r"\b(hom nay|ngay hom nay)\b", key):
        return DateWindow(today, today, f"hôm nay ({_fmt(today)})")
    if re.search(r"\bngay mai\b", key):
        tomorrow = today + timedelta(days=1)
        return DateWindow(tomorrow, tomorrow, f"ngày mai ({_fmt(tomorrow)})")
    if re.search(r"\btuan (nay|nay)\b", key):
        end = monday + timedelta(days=6)
        return DateWindow(today, end, f"tuần này ({_fmt(today)}–{_fmt(end)})")
    if re.search(r"\btuan (sau|toi)\b", key):
        start = monday + timedelta(days=7)
        end = start + timedelta(days=6)
        return DateWindow(start, end, f"tuần sau ({_fmt(start)}–{_fmt(end)})")
    return None


_PART_OF_MONTH = {"dau": (1, 10), "giua": (11, 20), "cuoi": (21, 31)}


def _month(key: str, today: date) -> DateWindow | None:
    """ "tháng 6 (năm 2027)", "tháng tới"; "đầu / giữa / cuối tháng 1" narrow it to ten days."""
    # "hạn cuối tháng 6" is the deadline of June, not its last ten days
    m = re.search(
        r"\b(?:(?<!han )(dau|giua|cuoi) )?thang (nay|toi|sau|\d{1,2})" + _YEAR_WORD + r"\b", key
    )
    if m is None or re.search(r"\b\d+ thang " + re.escape(m.group(2)) + r"\b", key):
        return None
    part, word, year_word = m.group(1), m.group(2), m.group(3)
    if word == "nay":
        month, year = today.month, today.year
    elif word in ("toi", "sau"):
        month, year = today.month % 12 + 1, today.year + (today.month == 12)
    else:
        month = int(word)
        if not 1 <= month <= 12:
            return None
        year = (
            relative_year(year_word, today) if year_word else (today.year + (month < today.month))
        )
    start, end = date(year, month, 1), _month_end(year, month)
    if part:
        first, last = _PART_OF_MONTH[part]
        start, end = date(year, month, first), min(end, date(year, month, min(last, end.day)))
        words = {"dau": "đầu", "giua": "giữa", "cuoi": "cuối"}[part]
        label = f"{words} tháng {month:02d}/{year} ({_fmt(start)}–{_fmt(end)})"
        return DateWindow(start, end, label)
    return DateWindow(start, end, f"tháng {month:02d}/{year}")


def _quarter(key: str, today: date) -> DateWindow | None:
    m = re.search(r"\bquy (nay|toi|sau|[1-4]|iv|iii|ii|i)" + _YEAR_WORD + r"\b", key)
    if m is None:
        return None
    word, year_word = m.group(1), m.group(2)
    current = (today.month - 1) // 3 + 1
    if word == "nay":
        quarter, year = current, today.year
    elif word in ("toi", "sau"):
        quarter, year = current % 4 + 1, today.year + (current == 4)
    else:
        quarter = ROMAN.get(word) or int(word)
        year = relative_year(year_word, today) if year_word else (today.year + (quarter < current))
    start = date(year, 3 * quarter - 2, 1)
    return DateWindow(start, _month_end(year, 3 * quarter), f"quý {quarter}/{year}")


def _half(key: str, today: date) -> DateWindow | None:
    """ "6 tháng đầu năm sau", "nửa cuối năm 2027"."""
    m = re.search(
        r"\b(?:6 thang|nua) (dau|cuoi) nam" + _YEAR_WORD.replace(" nam", "") + r"\b", key
    )
    if m is None:
        return None
    year = relative_year(m.group(2), today) if m.group(2) else today.year
    if m.group(1) == "dau":
        return DateWindow(date(year, 1, 1), date(year, 6, 30), f"6 tháng đầu năm {year}")
    return DateWindow(date(year, 7, 1), date(year, 12, 31), f"6 tháng cuối năm {year}")


SPAN = re.compile(
    r"\b(?:trong (?:vong )?)?(\d{1,3}) (ngay|tuan) (?:toi|sap toi|nua|tiep theo)\b"
    r"|\btrong (?:vong )?(\d{1,3}) (ngay|tuan)\b"
)


def _span(key: str, today: date) -> DateWindow | None:
    """ "30 ngày tới", "2 tuần tới", "trong vòng 10 ngày": today and the days after it."""
    m = SPAN.search(key)
    if m is None:
        return None
    count, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    days = int(count) * (7 if unit == "tuan" else 1)
    if not 0 < days <= 366:
        return None
    end = today + timedelta(days=days)
    return DateWindow(
        today,
        end,
        f"{count} {'tuần' if unit == 'tuan' else 'ngày'} tới ({_fmt(today)}–{_fmt(end)})",
    )


def _day(raw: str, today: date) -> DateWindow | None:
    """ "15/1", "ngày 15/01/2027", "ngày 15 tháng 1"."""
    m = re.search(
        r"(?<![\d/])(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*(20\d\d))?(?![\d/]|\s*/\s*[A-Za-z])", raw
    )
    if m is None:
        m = re.search(r"\bngay (\d{1,2}) thang (\d{1,2})(?: nam (20\d\d))?\b", raw)
    if m is None:
        return None
    day, month = int(m.group(1)), int(m.group(2))
    year = int(m.group(3)) if m.group(3) else today.year
    try:
        when = date(year, month, day)
    except ValueError:
        return None
    if not m.group(3) and when < today:
        when = date(year + 1, month, day) if not (month == 2 and day == 29) else when
    return DateWindow(when, when, f"ngày {_fmt(when)}")


def _year(key: str, today: date) -> DateWindow | None:
    m = re.search(r"\bnam (20\d\d|nay|sau|toi)\b", key)
    if m is None or re.search(r"\bgiai doan\b|\b20\d\d 20\d\d\b", key):
        return None
    year = relative_year(m.group(1), today)
    start = max(date(year, 1, 1), today) if year == today.year else date(year, 1, 1)
    return DateWindow(start, date(year, 12, 31), f"năm {year}", whole_year=True)


UNTIL = re.compile(
    r"\b(?:(?:tu )?(?:nay|bay gio|gio|hom nay) )?(?:den|toi|tu nay den) (?:het|cuoi) "
    r"(thang (?:\d{1,2}|nay)|quy (?:nay|[1-4])|nam(?: nay)?)\b"
)


def _until(key: str, today: date) -> DateWindow | None:
    """ "từ nay đến cuối tháng 7", "đến hết quý này", "đến cuối năm": today to that end."""
    m = UNTIL.search(key)
    if m is None:
        return None
    end_of = _month(m.group(1), today) or _quarter(m.group(1), today)
    end = end_of.end if end_of is not None else date(today.year, 12, 31)
    return DateWindow(today, end, f"thời gian từ nay đến {_fmt(end)}")


def find_window(key: str, raw_folded: str, today: date) -> DateWindow | None:
    """The date window a folded question names, or None. `raw_folded` keeps "/" for dates."""
    for finder in (_until, _span, _week, _half, _quarter, _month):
        found = finder(key, today)
        if found is not None:
            return found
    return _day(raw_folded, today) or _year(key, today)
