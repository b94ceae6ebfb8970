"""Check one structured answer (the JSON that `ask --json` prints) against expected facts.

The checks read only the contract fields (text, units, tasks, deadlines, documents), so a
question set stays valid whatever the engine does inside. See bench/eval/README.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

Answer = dict[str, Any]
Check = Callable[[Answer, Any], str | None]  # None when it holds, else why not


def fold(text: str) -> str:
    """Lower case, no diacritics, đ→d, punctuation as single spaces, padded with spaces."""
    text = unicodedata.normalize("NFD", text or "").replace("đ", "d").replace("Đ", "d")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").lower()
    text = re.sub(r"[^a-z0-9%]+", " ", text)
    return f" {text.strip()} "


FULL_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def contains(haystack: str, needle: str) -> bool:
    """Whole-word folded containment; `~` in the needle separates alternatives.

    A full date (15/7/2021) also matches its zero-padded or spelled-out forms.
    """
    folded = fold(haystack)
    for alt in (a.strip() for a in needle.split("~") if a.strip()):
        date = FULL_DATE.match(alt)
        if date and full_date_pattern(*date.groups()).search(haystack or ""):
            return True
        if fold(alt) in folded:
            return True
    return False


def full_date_pattern(day: str, month: str, year: str) -> re.Pattern[str]:
    d, m = int(day), int(month)
    numeric = rf"(?<!\d)0?{d}\s*[/.-]\s*0?{m}\s*[/.-]\s*{year}"
    words = rf"ngày\s+0?{d}\s+tháng\s+0?{m}\s+năm\s+{year}"
    return re.compile(f"{numeric}|{words}", re.IGNORECASE)


def answer_text(answer: Answer) -> str:
    """The answer text without «…» segments, where the bot echoes the user's own words."""
    return re.sub(r"«[^»]*»", " ", answer.get("text") or "")


def first_line(answer: Answer) -> str:
    for line in answer_text(answer).splitlines():
        if line.strip():
            return line
    return ""


def unit_labels(answer: Answer) -> str:
    units = answer.get("units") or []
    if not units:
        return ""
    return f"{units[0].get('name', '')} | {units[0].get('short') or ''}"


def check_unit(answer: Answer, unit: str) -> str | None:
    if contains(unit_labels(answer), unit) or contains(first_line(answer), unit):
        return None
    return f"lead unit {unit!r} not first (units[0]={unit_labels(answer)!r})"


def check_no_unit(answer: Answer, unit: str) -> str | None:
    return f"wrong unit {unit!r} given first" if contains(unit_labels(answer), unit) else None


def date_pattern(day_month: str) -> re.Pattern[str]:
    day, month = (int(part) for part in day_month.split("/"))
    numeric = rf"(?<!\d)0?{day}\s*[/.-]\s*0?{month}(?!\d)"
    words = rf"ngày\s+0?{day}\s+tháng\s+0?{month}(?!\d)"
    return re.compile(f"{numeric}|{words}", re.IGNORECASE)


def later_pages(answer: Answer) -> str:
    """The pages behind the "more" button, which the user reaches with one tap."""
    pages = answer.get("more") or []
    return "\n".join(p if isinstance(p, str) else str(p.get("text", "")) for p in pages)


def check_due(answer: Answer, dues: list[str]) -> str | None:
    """Every listed dd/mm is written in the text (or its later pages); `~` separates
    acceptable alternatives."""
    text = unicodedata.normalize("NFC", answer_text(answer) + "\n" + later_pages(answer))
    missing = [
        due for due in dues if not any(date_pattern(alt).search(text) for alt in due.split("~"))
    ]
    return f"date(s) {missing} not in the answer" if missing else None


def check_not_due(answer: Answer, days: list[str]) -> str | None:
    """No deadline in the answer falls on these ISO days (dates that are not deadlines)."""
    wrong = [d.get("due") for d in answer.get("deadlines") or [] if d.get("due") in days]
    return f"presented {wrong} as a deadline" if wrong else None


def task_numbers(answer: Answer) -> set[str]:
    return {str(t.get("number", "")).strip().rstrip(".") for t in answer.get("tasks") or []}


def task_named(answer: Answer, number: str) -> bool:
    if number in task_numbers(answer):
        return True
    pattern = rf" (?:nhiem vu|nv|nhiem vu so) {re.escape(number)} "
    return re.search(pattern, fold(answer_text(answer))) is not None


def check_task(answer: Answer, numbers: list[str]) -> str | None:
    missing = [n for n in numbers if not task_named(answer, n)]
    return f"task(s) {missing} missing (got {sorted(task_numbers(answer))})" if missing else None


def check_any_task(answer: Answer, numbers: list[str]) -> str | None:
    if any(task_named(answer, n) for n in numbers):
        return None
    return f"none of tasks {numbers} (got {sorted(task_numbers(answer))})"


def document_labels(answer: Answer) -> str:
    docs = answer.get("documents") or []
    return " | ".join(f"{d.get('number') or ''} {d.get('title') or ''}" for d in docs)


def check_doc(answer: Answer, doc: str) -> str | None:
    if contains(answer_text(answer), doc) or contains(document_labels(answer), doc):
        return None
    return f"document {doc!r} not named"


def check_has(answer: Answer, needles: list[str]) -> str | None:
    text = answer_text(answer)
    missing = [n for n in needles if not contains(text, n)]
    return f"missing {missing}" if missing else None


def check_no(answer: Answer, needles: list[str]) -> str | None:
    text = answer_text(answer)
    found = [n for n in needles if contains(text, n)]
    return f"should not say {found}" if found else None


def check_none(answer: Answer, _: Any) -> str | None:
    if answer.get("tasks") or answer.get("deadlines"):
        return f"invented an answer (intent {answer.get('intent')!r})"
    return None


def check_notasks(answer: Answer, _: Any) -> str | None:
    return "listed tasks that nobody assigned" if answer.get("tasks") else None


CHECKS: dict[str, Check] = {
    "unit": check_unit,
    "no_unit": check_no_unit,
    "due": check_due,
    "not_due": check_not_due,
    "task": check_task,
    "any_task": check_any_task,
    "doc": check_doc,
    "has": check_has,
    "no": check_no,
    "none": check_none,
    "notasks": check_notasks,
}


# Expectations that say the question has an answer. A "not found" reply never meets them, even
# when its sample questions happen to name the expected unit or topic.
ANSWERED = frozenset({"unit", "due", "task", "any_task", "doc", "has"})


def failures(answer: Answer, expect: dict[str, Any]) -> list[str]:
    """Why the answer misses the expected facts; empty when it passes."""
    if answer.get("intent") == "not_found" and ANSWERED.intersection(expect):
        return ["answered 'not found' to a question the documents answer"]
    reasons = []
    for key, value in expect.items():
        check = CHECKS.get(key)
        if check is None:
            reasons.append(f"unknown expectation {key!r}")
            continue
        reason = check(answer, value)
        if reason:
            reasons.append(reason)
    return reasons
