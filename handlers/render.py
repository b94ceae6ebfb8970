"""Pure text helpers of the conversation: paging, numbered choices, input checks, parsers."""

from __future__ import annotations

import re
import unicodedata
from datetime import time

from handlers.types import Choice, Reply
from knowledge.normalize import fold

MORE_LABEL = "Xem thêm"
STALE = "Nội dung đã cũ, vui lòng hỏi lại."
ADMIN_ONLY = "Xin lỗi, lệnh này chỉ dành cho cán bộ quản trị của Văn phòng Sở."
_PARENS = re.compile(r"\s*\([^)]*\)")  # "Văn phòng Sở (VP)" is also answered by "văn phòng sở"
_DIGITS = re.compile(r"^\s*(\d{1,3})\s*[.)]?\s*$")


def paginate(text: str, limit: int) -> list[str]:
    """Split a text into pages of at most `limit` characters, at line boundaries where possible."""
    pages: list[str] = []
    current: list[str] = []
    size = 0
    for line in text.split("\n"):
        while len(line) > limit:  # a single overlong line: cut at a space near the limit
            cut = line.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            if current:
                pages.append("\n".join(current))
                current, size = [], 0
            pages.append(line[:cut].rstrip())
            line = line[cut:].lstrip()
        extra = len(line) + (1 if current else 0)
        if current and size + extra > limit:
            pages.append("\n".join(current))
            current, size = [], 0
            extra = len(line)
        current.append(line)
        size += extra
    if current:
        pages.append("\n".join(current))
    return [page.strip("\n") for page in pages if page.strip()] or [""]


def attachment_note(reply: Reply) -> str:
    """For channels that cannot send files: where to get the reply's file instead ("" if none)."""
    attachment = reply.attachment
    if attachment is None:
        return ""
    note = f"(Tệp {attachment.filename} chỉ gửi được qua Telegram."
    if attachment.fallback:
        note += f" Trên máy chủ, cán bộ kỹ thuật có thể xuất bằng lệnh: {attachment.fallback}"
    return note + ")"


def without_attachment(text: str, reply: Reply) -> str:
    """A rendered reply text followed by the note about its file, if it has one."""
    note = attachment_note(reply)
    if not note:
        return text
    return f"{text}\n\n{note}" if text.strip() else note


def numbered_text(reply: Reply) -> str:
    """A reply with its choices as numbered lines, for channels without buttons."""
    if not reply.choices:
        return reply.text
    lines = [reply.text, ""] if reply.text else []
    lines += [f"{i}. {choice.label}" for i, choice in enumerate(reply.choices, 1)]
    lines.append("(Trả lời bằng số thứ tự để chọn.)")
    return "\n".join(lines)


def pick_option(text: str, options: list[dict[str, str]]) -> str | None | int:
    """Resolve a typed answer to numbered options.

    Returns the chosen payload, None when the text does not look like an answer, or the
    number of options (an int) when it is a number out of range.
    """
    match = _DIGITS.match(text)
    if match:
        index = int(match.group(1))
        if 1 <= index <= len(options):
            return options[index - 1]["payload"]
        return len(options)
    key = fold(text)
    if key:
        for option in options:
            label = option["label"]
            if key in (fold(label), fold(_PARENS.sub("", label))):
                return option["payload"]
    return None


def is_junk(text: str) -> bool:
    """True when a text has no letter or digit at all (emoji, punctuation, control characters)."""
    return not any(unicodedata.category(ch)[0] in ("L", "N") for ch in text)


def parse_offsets(raw: str) -> list[int] | None:
    """Parse "7,3,1,0" (or "7 3 1") into distinct days-before offsets, largest first."""
    parts = [p for p in re.split(r"[,;\s]+", raw.strip()) if p]
    if not parts or not all(p.isdigit() for p in parts):
        return None
    values = sorted({int(p) for p in parts}, reverse=True)
    if any(v > 60 for v in values) or len(values) > 6:
        return None
    return values


def parse_clock(raw: str) -> time | None:
    """Parse "8:30", "08:30" or "8h30" into a time of day inside office hours (07:00-17:00)."""
    match = re.fullmatch(r"\s*(\d{1,2})\s*(?:[:hg.]\s*(\d{2})?)?\s*", raw.lower())
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    if minutes > 59 or not 7 <= hours <= 17 or (hours == 17 and minutes > 0):
        return None
    return time(hours, minutes)


def plural_days(days: int) -> str:
    """'còn 5 ngày', 'hôm nay', 'quá hạn 2 ngày'."""
    if days > 0:
        return f"còn {days} ngày"
    if days == 0:
        return "hôm nay"
    return f"quá hạn {-days} ngày"


def single(text: str, *choices: Choice) -> list[Reply]:
    """One reply, as the list handlers return."""
    return [Reply(text=text, choices=list(choices))]


MAX_ROW_ID = 2**63 - 1  # the largest id a database integer column holds


def row_id(raw: str) -> int | None:
    """A database id typed by a user ("42", "#42"), or None when it cannot be one."""
    text = raw.strip().lstrip("#")
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    value = int(text)
    return value if 0 < value <= MAX_ROW_ID else None
