"""Deadline language → recurrence rules: "trước ngày 15/01/2025", "hằng tháng, trước ngày 20",
"Quý II/2026"."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

from knowledge.models import RecurrenceKind
from knowledge.normalize import fold

_CUE = (
    r"(?:trước|chậm\s+nhất(?:\s+(?:là|vào))?|muộn\s+nhất(?:\s+là)?|hạn\s+chót(?:\s+là)?"
    r"|không\s+muộn\s+hơn|thời\s+hạn(?:\s+(?:hoàn\s+thành|gửi|nộp|báo\s+cáo|thực\s+hiện))?(?:\s+là)?\s*:?"
    r"(?:\s*trước)?)"
)
_DAY = r"(?:ngày\s*)?"
# a time of day between the cue and the date: "trước 17h00 ngày 20/4/2026"
_TIME = r"(?:\d{1,2}\s*(?:h|giờ)\s*(?:\d{2})?(?:\s*phút)?\s*,?\s*)?"
_FULL_NUM = r"(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})(?:\s*/\s*(?P<y>\d{4}))?(?!\s*/?\s*\d)"
_FULL_WORDS = r"(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})(?:\s+năm\s+(?P<y2>\d{4}))?"
_ROMAN_Q = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}

RE_PERIOD_DAY = re.compile(
    _CUE + r"\s*ngày\s+(?P<d>\d{1,2})\s+(?:của\s+)?tháng\s+"
    r"(?P<which>cuối|đầu|giữa|thứ\s+(?:hai|ba|nhất|\d))"
    r"\s+(?:của\s+)?(?P<period>quý|kỳ|năm|6\s+tháng)",
    re.IGNORECASE,
)
RE_MONTHLY_AFTER = re.compile(
    _CUE + r"\s*ngày\s+(?P<d>\d{1,2})\s+(?:hằng|hàng|mỗi|của\s+mỗi)\s+tháng", re.IGNORECASE
)
RE_DAY_ONLY = re.compile(_CUE + r"\s*ngày\s+(?P<d>\d{1,2})(?![\d/]|\s+tháng|\s*-)", re.IGNORECASE)
RE_DATE = re.compile(
    _CUE + r"\s*" + _TIME + _DAY + r"(?:" + _FULL_NUM + r"|" + _FULL_WORDS + r")", re.IGNORECASE
)
RE_BARE_DATE = re.compile(
    r"^\s*" + _DAY + r"(?:" + _FULL_NUM + r"|" + _FULL_WORDS + r")\s*$", re.IGNORECASE
)
RE_QUARTER = re.compile(
    r"(?<![\wà-ỹ])(?P<pre>từ\s+)?quý\s+(?P<q>IV|I{1,3}|[1-4])\s*(?:/|năm|-)\s*(?P<y>\d{4})",
    re.IGNORECASE,
)
RE_MONTH = re.compile(
    r"(?P<pre>trong|hoàn\s+thành|xong|trước|chậm\s+nhất|^)\s*tháng\s+(?P<m>\d{1,2})\s*(?:/|năm)\s*(?P<y>\d{4})",
    re.IGNORECASE,
)
_Q = r"(?:IV|I{1,3}|[1-4])"
_EVERY_YEAR = r"(?:hằng|hàng|mỗi)\s+năm"
# time-column wordings (read with cue_optional only): lists and yearly quarters or months
RE_QUARTER_LIST = re.compile(
    rf"(?<![\wà-ỹ])quý\s+(?P<list>{_Q}(?:\s*(?:,|và)\s*(?:quý\s+)?{_Q})+)\s*(?:/|năm)\s*(?P<y>\d{{4}})",
    re.IGNORECASE,
)
RE_MONTH_LIST = re.compile(
    r"tháng\s+(?P<list>\d{1,2}(?:\s*(?:,|và)\s*(?:tháng\s+)?\d{1,2})+)\s*(?:/|năm)\s*(?P<y>\d{4})",
    re.IGNORECASE,
)
RE_QUARTER_YEARLY = re.compile(rf"quý\s+(?P<list>{_Q})\s+{_EVERY_YEAR}", re.IGNORECASE)
RE_MONTH_YEARLY = re.compile(
    rf"tháng\s+(?P<list>\d{{1,2}}(?:\s*(?:,|và)\s*(?:tháng\s+)?\d{{1,2}})*)\s+{_EVERY_YEAR}",
    re.IGNORECASE,
)
RE_HALF_OF_YEAR = re.compile(r"6\s+tháng\s+(?P<half>đầu|cuối)\s+năm\s+(?P<y>\d{4})", re.IGNORECASE)
# "Từ tháng 3 đến tháng 6/2026", "Tháng 11 - tháng 12/2026", "Đến hết ngày 30/6/2026": the end
RE_RANGE_END = re.compile(
    r"(?:^|\s)(?:-|–|đến(?:\s+hết)?|tới)\s+(?=(?:ngày|tháng|quý|năm|\d))", re.IGNORECASE
)
_ORDER = {
    RecurrenceKind.MONTHLY: 0,
    RecurrenceKind.QUARTERLY: 1,
    RecurrenceKind.HALF_YEARLY: 2,
    RecurrenceKind.YEARLY: 3,
    RecurrenceKind.ONCE: 4,
}
RE_MONTHLY_CONTEXT = re.compile(r"\b(?:hằng|hàng|mỗi)\s+tháng\b", re.IGNORECASE)


@dataclass
class Rule:
    kind: RecurrenceKind
    due_date: date | None = None
    month: int | None = None
    month_in_period: int | None = None
    day: int | None = None


@dataclass
class Found:
    """A rule found at [start, end) of the text, and the text before it that says what is due."""

    rule: Rule
    start: int
    end: int
    lead_in: str
    has_year: bool = True
    impossible: str = ""  # a written date that does not exist ("31/02/2027"), read as month end
    period_only: bool = False  # "trong tháng 10/2026", "Quý IV/2030": a period, no cue word


@dataclass
class ParsedDeadline:
    title: str
    quote: str
    section_path: str
    rule: Rule
    valid_from_year: int | None = None
    valid_to_year: int | None = None
    all_units: bool = False
    unit_names: list[str] = field(default_factory=list)
    task_index: int | None = None


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        if 1 <= m <= 12 and d >= 1:
            return date(y, m, calendar.monthrange(y, m)[1])
        return None


def _exists(y: int | None, m: int, d: int) -> bool:
    """Whether day d of month m exists (in year y; without a year, in a leap year)."""
    return d <= calendar.monthrange(2024 if y is None else y, m)[1]


def impossible_date_warning(found: Found) -> str:
    """The import warning for a date that does not exist, or "" when the date is real."""
    if not found.impossible:
        return ""
    rule = found.rule
    if rule.due_date is not None:
        read_as = f"{rule.due_date:%d/%m/%Y}"
    else:
        read_as = f"ngày cuối tháng {rule.month:02d} hằng năm"
    return (
        f"Ngày “{found.impossible}” không có thật; bot hiểu là {read_as} (ngày cuối tháng). "
        "Hãy kiểm tra lại văn bản."
    )


def _which(which: str) -> int:
    key = fold(which)
    return {"dau": 1, "thu nhat": 1, "thu 1": 1, "giua": 2, "thu hai": 2, "thu 2": 2}.get(
        key, 3 if key in ("thu ba", "thu 3") else 0
    )


def _written(y: str | None, mo: int, d: int) -> str:
    """A written date that does not exist ("31/02/2027"), or "" for a real one."""
    if _exists(int(y) if y else None, mo, d):
        return ""
    return f"{d:02d}/{mo:02d}" + (f"/{y}" if y else "")


def _date_parts(m: re.Match[str]) -> tuple[int, int, str | None]:
    """(day, month, year or None) of a date written as "15/01/2025" or "15 tháng 01 năm 2025"."""
    day = int(m.group("d") or m.group("d2"))
    month = int(m.group("m") or m.group("m2"))
    return day, month, m.group("y") or m.group("y2")


@dataclass
class _Finder:
    """Collects rules from one text; a span already read by an earlier pattern is not reread."""

    text: str
    found: list[Found] = field(default_factory=list)
    taken: list[tuple[int, int]] = field(default_factory=list)

    def add(
        self, rule: Rule, m: re.Match[str], has_year: bool = True, impossible: str = ""
    ) -> None:
        if any(m.start() < e and m.end() > s for s, e in self.taken):
            return
        self.taken.append((m.start(), m.end()))
        self.found.append(Found(rule, m.start(), m.end(), "", has_year, impossible))

    def period_days(self) -> None:
        """ "trước ngày 10 của tháng cuối quý", "… tháng cuối kỳ", "… tháng đầu năm"."""
        for m in RE_PERIOD_DAY.finditer(self.text):
            day, which = int(m.group("d")), _which(m.group("which"))
            period = fold(m.group("period"))
            if period == "quy":
                self.add(Rule(RecurrenceKind.QUARTERLY, day=day, month_in_period=which or 3), m)
                self._half_year_too(m, day, which)
            elif period in ("ky", "6 thang"):
                in_period = which * 2 if which else 6
                self.add(Rule(RecurrenceKind.HALF_YEARLY, day=day, month_in_period=in_period), m)
            else:
                self.add(Rule(RecurrenceKind.YEARLY, month=12 if which == 3 else 1, day=day), m)

    def _half_year_too(self, m: re.Match[str], day: int, which: int) -> None:
        """ "báo cáo quý, 6 tháng trước ngày 10 của tháng cuối quý": the half-year report too."""
        lead_in = fold(self.text[max(0, m.start() - 80) : m.start()])
        tail = lead_in.rsplit("bao cao", 1)[-1] if "bao cao" in lead_in else lead_in[-40:]
        if re.search(r"\b6 thang\b|\bsau thang\b", tail):
            rule = Rule(RecurrenceKind.HALF_YEARLY, day=day, month_in_period=(which or 3) + 3)
            self.found.append(Found(rule, m.start(), m.end(), ""))

    def monthly_after_cue(self) -> None:
        """ "trước ngày 20 hằng tháng"."""
        for m in RE_MONTHLY_AFTER.finditer(self.text):
            self.add(Rule(RecurrenceKind.MONTHLY, day=int(m.group("d"))), m)

    def monthly_in_context(self) -> None:
        """ "hằng tháng, … trước ngày 20" (read after the full dates, which win their span)."""
        for m in RE_DAY_ONLY.finditer(self.text):
            window = self.text[max(0, m.start() - 60) : m.end() + 30]
            if RE_MONTHLY_CONTEXT.search(window):
                self.add(Rule(RecurrenceKind.MONTHLY, day=int(m.group("d"))), m)

    def dates(self) -> None:
        """ "trước ngày 15/01/2025" once; "trước ngày 15/01" every year."""
        for m in RE_DATE.finditer(self.text):
            d, mo, y = _date_parts(m)
            if not (1 <= mo <= 12 and 1 <= d <= 31):
                continue
            if y:
                when = _safe_date(int(y), mo, d)
                if when:
                    self.add(Rule(RecurrenceKind.ONCE, due_date=when), m, True, _written(y, mo, d))
            else:
                yearly = Rule(RecurrenceKind.YEARLY, month=mo, day=d)
                self.add(yearly, m, False, _written(None, mo, d))

    def quarters_and_months(self, cue_optional: bool) -> None:
        """ "Quý II/2026" ends on the quarter's last day, "trong tháng 6/2026" on the month's."""
        for m in RE_QUARTER.finditer(self.text):
            q = _ROMAN_Q.get(m.group("q").lower())
            if q and not m.group("pre"):
                due = _safe_date(int(m.group("y")), q * 3, 31)
                self._add_period(Rule(RecurrenceKind.ONCE, due_date=due), m)
        for m in RE_MONTH.finditer(self.text):
            pre = fold(m.group("pre"))
            if not pre and not cue_optional:
                continue
            mo, y = int(m.group("m")), int(m.group("y"))
            if 1 <= mo <= 12:
                rule = Rule(RecurrenceKind.ONCE, due_date=_safe_date(y, mo, 31))
                self._add_period(rule, m, period_only=pre in ("", "trong"))

    def _add_period(self, rule: Rule, m: re.Match[str], *, period_only: bool = True) -> None:
        before = len(self.found)
        self.add(rule, m)
        if len(self.found) > before:
            self.found[-1].period_only = period_only

    def listed(self) -> None:
        """ "Quý I và Quý III/2026", "Tháng 3, 6, 9, 12/2026": each one ends on its last day;
        "Quý IV hằng năm", "Tháng 6 và tháng 12 hằng năm": every year on the month's last day."""
        for pattern, months_per in ((RE_QUARTER_LIST, 3), (RE_MONTH_LIST, 1)):
            for m in pattern.finditer(self.text):
                year = int(m.group("y"))
                self._add_each(m, [_safe_date(year, n * months_per, 31) for n in _numbers(m)])
        for m in RE_HALF_OF_YEAR.finditer(self.text):
            month = 6 if fold(m.group("half")) == "dau" else 12
            self._add_each(m, [_safe_date(int(m.group("y")), month, 31)])
        for pattern, months_per in ((RE_QUARTER_YEARLY, 3), (RE_MONTH_YEARLY, 1)):
            for m in pattern.finditer(self.text):
                rules = [
                    Rule(
                        RecurrenceKind.YEARLY,
                        month=n * months_per,
                        day=calendar.monthrange(2023, n * months_per)[1],  # its last day
                    )
                    for n in _numbers(m)
                    if 1 <= n * months_per <= 12
                ]
                self._add_rules(m, rules)

    def _add_each(self, m: re.Match[str], days: list[date | None]) -> None:
        self._add_rules(m, [Rule(RecurrenceKind.ONCE, due_date=d) for d in days if d])

    def _add_rules(self, m: re.Match[str], rules: list[Rule]) -> None:
        if not rules or any(m.start() < e and m.end() > s for s, e in self.taken):
            return
        self.taken.append((m.start(), m.end()))
        self.found.extend(Found(rule, m.start(), m.end(), "") for rule in rules)

    def bare_date(self) -> None:
        """A time cell that is only a date: "30/11/2026"."""
        m = RE_BARE_DATE.match(self.text)
        if m is None:
            return
        d, mo, y = _date_parts(m)
        when = _safe_date(int(y), mo, d) if y and 1 <= mo <= 12 else None
        if when:
            self.add(Rule(RecurrenceKind.ONCE, due_date=when), m, True, _written(y, mo, d))


def _numbers(m: re.Match[str]) -> list[int]:
    """The quarters or months a list names: "I và III" → [1, 3], "3, 6, 9" → [3, 6, 9]."""
    items = re.findall(rf"\b{_Q}\b|\d{{1,2}}", m.group("list"), flags=re.IGNORECASE)
    return [_ROMAN_Q.get(item.lower(), 0) or int(item) for item in items if item.strip()]


def _rules_in(text: str, *, cue_optional: bool) -> list[Found]:
    finder = _Finder(text)
    finder.period_days()
    finder.monthly_after_cue()
    finder.dates()
    finder.monthly_in_context()
    if cue_optional:
        finder.listed()
    finder.quarters_and_months(cue_optional)
    if cue_optional and not finder.found:
        finder.bare_date()
    return finder.found


def _time_cell_rules(text: str) -> list[Found]:
    """A table's time cell; a range ("Từ tháng 3 đến tháng 6/2026") is due at its end."""
    ends = list(RE_RANGE_END.finditer(text))
    if ends:
        offset = ends[-1].end()
        found = _rules_in(text[offset:], cue_optional=True)
        for f in found:
            f.start, f.end = f.start + offset, f.end + offset
        if found:
            return found
    return _rules_in(text, cue_optional=True)


def find_rules(text: str, *, cue_optional: bool = False) -> list[Found]:
    """Every deadline rule in the text, left to right; dates without a deadline cue are ignored.

    A meeting ("Phiên họp thứ chín ngày 15/01/2025") or a cited document ("Nghị quyết … ngày
    22/12/2024") has no cue word (trước, chậm nhất, thời hạn…) so it is not a deadline.
    With cue_optional (a table's time column) a bare date, month or quarter is a deadline too.
    """
    found = _time_cell_rules(text) if cue_optional else _rules_in(text, cue_optional=False)
    found.sort(key=lambda f: (f.start, _ORDER[f.rule.kind]))
    previous_end = 0
    for f in found:
        f.lead_in = text[previous_end : f.start] if f.start >= previous_end else text[: f.start]
        previous_end = max(previous_end, f.end)
    return found


# -- what a deadline is about ------------------------------------------------------------------

CATEGORY_REPORT = "report"
CATEGORY_BUDGET = "budget"
CATEGORY_PLAN = "plan"


def category_of(text: str) -> str:
    # "Phòng Kế hoạch - Tài chính" names a unit, not a plan to send
    key = re.sub(r"\bke hoach\W*tai chinh\b", " ", fold(text))
    if re.search(r"\b(du tru|du toan)\b", key) and re.search(r"\b(kinh phi|ngan sach)\b", key):
        return CATEGORY_BUDGET
    if re.search(r"\bbao cao\b", key):
        return CATEGORY_REPORT
    if "ke hoach" in key and re.search(r"\b(gui|nop|trinh)\b", key):
        return CATEGORY_PLAN
    return ""


def title_for(
    category: str,
    rule: Rule,
    topic: str,
    sentence: str,
    to_department: bool,
    lead_words: str = "",
    span: tuple[int, int] | None = None,
) -> str:
    """Short Vietnamese title: "Báo cáo quý kết quả CCHC", "Gửi kế hoạch CCHC năm về Sở"."""
    subject = f" {topic}" if topic else ""
    if category == CATEGORY_REPORT:
        said = fold(sentence_lead) if (sentence_lead := lead_words) else ""
        if rule.kind in (RecurrenceKind.ONCE, RecurrenceKind.YEARLY) and said:
            if re.search(r"\b6 thang\b|\bsau thang\b", said):
                return f"Báo cáo 6 tháng kết quả{subject or ' thực hiện'}"
            if re.search(r"\bquy\b", said):
                return f"Báo cáo quý kết quả{subject or ' thực hiện'}"
            if re.search(r"\bbao cao (?:tong ket |ket qua )?nam\b", said):
                return f"Báo cáo năm kết quả{subject or ' thực hiện'}"
            if re.search(r"\bthang\b", said) and rule.kind is RecurrenceKind.ONCE:
                return f"Báo cáo tháng kết quả{subject or ' thực hiện'}"
            if rule.kind is RecurrenceKind.ONCE and not re.search(r"\bnam\b", said):
                return f"Báo cáo kết quả{subject or ' thực hiện'}"
        period = {
            RecurrenceKind.QUARTERLY: " quý",
            RecurrenceKind.HALF_YEARLY: " 6 tháng",
            RecurrenceKind.YEARLY: " năm",
            RecurrenceKind.MONTHLY: " tháng",
        }.get(rule.kind, "")
        return f"Báo cáo{period} kết quả{subject or ' thực hiện'}"
    if category == CATEGORY_BUDGET:
        if "kinh phi" not in fold(sentence):
            return "Gửi dự toán ngân sách"
        return f"Dự trù kinh phí thực hiện nhiệm vụ{subject}"
    if category == CATEGORY_PLAN:
        return f"Gửi kế hoạch{subject} năm" + (" về Sở" if to_department else "")
    return generic_title(sentence, span)


_LEADING_NOISE = re.compile(
    r"^(?:[-–+•]\s*|[a-zđ]\)\s*|\d+[.)]\s*|(?:đồng thời|và|,|;|\s)+)+", re.IGNORECASE
)


# words that say a clause is due, not what is due ("hoàn thành việc …", "gửi về Sở trước")
CLAUSE_FILLER = re.compile(
    r"\b(?:hoan thanh|thuc hien|thoi han|han|xong|viec|gui|nop|ve|so|truoc|cham nhat|la|va)\b"
)


def generic_title(sentence: str, span: tuple[int, int] | None = None) -> str:
    """The first words of the clause that carries the deadline (before the date, else after it)."""
    if span is not None:
        text = sentence[: span[0]].strip(" ,;:(")
        clause = text[text.rfind(";") + 1 :].strip(" ,;:(")
        if len(CLAUSE_FILLER.sub(" ", fold(clause)).split()) >= 2:
            text = clause  # "…; hoàn thành việc cấp tài khoản"
        if len(text) < 12:
            after = sentence[span[1] :].strip(" ,;:.)")
            after = re.sub(
                r"^(?:đối\s+với|đối\s+với\s+việc|để|phải|cần|sẽ)\s+",
                "",
                after,
                flags=re.IGNORECASE,
            )
            after = re.sub(r"^việc\s+", "", after, flags=re.IGNORECASE)
            text = after if len(after) >= 12 else sentence
    else:
        text = re.sub(_CUE + r".*$", "", sentence, flags=re.IGNORECASE).strip(" ,;:(")
        if len(text) < 12:
            text = sentence
    text = _LEADING_NOISE.sub("", text)
    words = text.split()
    short = " ".join(words[:12]).rstrip(" ,;:(")
    short = re.sub(r"[\s,]+(?:vào|trong|trước|từ|đến|tại|ngày|là|hoàn\s+thành)$", "", short)
    if len(words) > 12:
        short += " …"
    return short[:1].upper() + short[1:]
