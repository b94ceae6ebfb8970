"""Query-focused snippets: a window of clauses centred on what the question asks.

A passage is cut at clause boundaries (". ; , :" and dashes), the clauses are scored by the
question's topic terms, and the best clause grows with its neighbours while it fits. A clause
that holds a date or a recipient ("gửi về …") the question is about is always kept.
"""

from __future__ import annotations

import re

from knowledge.normalize import fold, search_key
from knowledge.search import terms

_CLAUSE = re.compile(r"(?<=[.;:,])\s+|\s+(?=[-–]\s)|\s+(?=\()")
DATE_RE = re.compile(r"\b(trước|chậm nhất|hạn|ngày|hằng|hàng|quý|tháng)\b.*?\d", re.IGNORECASE)
RECIPIENT_RE = re.compile(
    r"\b(gửi|nộp|trình|báo cáo)\s+(?:(?:\w+\s+){1,4}?(?=(?:về|cho|lên|đến|tới)\s))?"
    r"(về|cho|lên|đến|tới)?\s*(?P<to>(?:Sở|Văn phòng|Phòng|UBND|Ủy ban|"
    r"Uỷ ban|Ban|Bộ|Thanh tra|qua)[^;.()]*?)(?=\s+(?:trước|chậm nhất|để|trong|theo|định kỳ|"
    r"hằng|hàng)\b|[;.()]|$)",
    re.IGNORECASE,
)


def clauses(text: str) -> list[str]:
    """The clauses of a text, each keeping its trailing punctuation."""
    return [c for c in _CLAUSE.split(" ".join(text.split())) if c.strip()]


def _score(clause: str, wanted: set[str], *, want_date: bool, want_to: bool) -> float:
    have = set(terms(search_key(clause).split()))
    score = sum(2.0 if "_" in t else 1.0 for t in wanted & have)
    if want_date and DATE_RE.search(clause):
        score += 3.0
    if want_to and RECIPIENT_RE.search(clause):
        score += 3.0
    return score


def focused(
    text: str, topic: str, limit: int = 240, *, want_date: bool = False, want_to: bool = False
) -> str:
    """A window of `text` at most about `limit` characters, centred on the topic's clause."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    parts = clauses(text)
    wanted = set(terms(topic.split()))
    scores = [_score(c, wanted, want_date=want_date, want_to=want_to) for c in parts]
    best = max(range(len(parts)), key=lambda i: (scores[i], -i))
    lo = hi = best
    must = {
        i
        for i, c in enumerate(parts)
        if (want_date and DATE_RE.search(c)) or (want_to and RECIPIENT_RE.search(c))
    }
    length = len(parts[best])
    while True:
        grown = False
        for side in (hi + 1, lo - 1):
            if 0 <= side < len(parts) and length + len(parts[side]) + 1 <= limit:
                if side > hi:
                    hi = side
                else:
                    lo = side
                length += len(parts[side]) + 1
                grown = True
        if not grown:
            break
    chosen = " ".join(parts[lo : hi + 1])
    for i in sorted(must):
        if not lo <= i <= hi and len(chosen) + len(parts[i]) < limit + 120:
            chosen = f"{chosen} … {parts[i]}" if i > hi else f"{parts[i]} … {chosen}"
    if len(chosen) > limit + 120:
        chosen = _word_window(chosen, wanted, limit + 120)
    prefix = "…" if lo > 0 and not chosen.startswith("…") else ""
    suffix = "…" if hi < len(parts) - 1 and not chosen.endswith((".", ";", "…")) else ""
    return f"{prefix}{chosen}{suffix}"


def _word_window(text: str, wanted: set[str], limit: int) -> str:
    """A word window of a single long clause around its first topic word."""
    words = text.split()
    keys = [fold(w) for w in words]
    hit = next((i for i, k in enumerate(keys) if k and k in wanted), 0)
    start = max(0, hit - 8)
    out: list[str] = []
    for w in words[start:]:
        if sum(len(x) + 1 for x in out) + len(w) > limit:
            break
        out.append(w)
    return ("…" if start else "") + " ".join(out) + ("…" if start + len(out) < len(words) else "")


def recipient(text: str) -> str:
    """Where the text says to send something: "Sở GDĐT (qua Văn phòng Sở)", or ""."""
    m = RECIPIENT_RE.search(" ".join(text.split()))
    if m is None:
        return ""
    to = m.group("to").strip(" ,")
    rest = text[m.end() :].lstrip()
    if rest.startswith("(") and ")" in rest:
        to += " " + rest[: rest.index(")") + 1]  # "Sở GDĐT (qua Văn phòng Sở)"
    return to
