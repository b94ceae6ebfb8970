"""Actions asked in words: the answer names the command that does it (handlers/ runs it)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from knowledge.answers import Answer, Suggestion
from knowledge.compose import deadlines
from knowledge.compose.refs import deadline_ref, deadline_units
from knowledge.intents import Parsed
from knowledge.kb import Snapshot

INTENT = "action"
DONE_COMMAND = "/xong"
STATUS_COMMAND = "/tinhtrang"
EXPORT_COMMAND = "/tinhtrang csv"
REMIND_COMMAND = "/nhacnho gio"


def action_name(parsed: Parsed) -> str:
    """Which action the question asks for: "done", "status", "export" or "remind_time"."""
    for name in ("remind_time", "export", "status", "done"):
        if name in parsed.asks:
            return name
    return ""


def compose(session: Session, snap: Snapshot, parsed: Parsed, *, today: date) -> Answer:
    name = action_name(parsed)
    if name == "done":
        return _done(session, snap, parsed, today=today)
    if name == "status":
        text = (
            f"Bảng theo dõi các hạn (đơn vị nào đã nộp, chưa nộp): gõ {STATUS_COMMAND}"
            " (dành cho quản trị viên)."
        )
        return Answer(INTENT, text, suggestions=[Suggestion("Bảng theo dõi", STATUS_COMMAND)])
    if name == "export":
        text = (
            f"Xuất bảng theo dõi ra tệp CSV mở bằng Excel: gõ {EXPORT_COMMAND}; nhật ký nhắc hạn:"
            " /nhatky csv (dành cho quản trị viên)."
        )
        return Answer(INTENT, text, suggestions=[Suggestion("Xuất CSV", EXPORT_COMMAND)])
    hour, minute = parsed.remind_at or (8, 0)
    when = f"{hour:02d}:{minute:02d}"
    text = f"Đổi giờ nhắc hạn của bạn sang {when}? Gõ {REMIND_COMMAND} {when} để xác nhận."
    return Answer(
        INTENT, text, suggestions=[Suggestion(f"Nhắc lúc {when}", f"{REMIND_COMMAND} {when}")]
    )


def _done(session: Session, snap: Snapshot, parsed: Parsed, *, today: date) -> Answer:
    """ "đã nộp báo cáo quý rồi": the deadline meant, and /xong to mark it."""
    topic = parsed.topic.replace("da nop", " ").strip()
    found = deadlines.ranked_deadlines(session, snap, topic, today) if topic else []
    if not found:
        text = f"Để báo đơn vị đã hoàn thành một hạn, gõ {DONE_COMMAND} rồi chọn hạn đó."
        return Answer(INTENT, text, suggestions=[Suggestion("Đánh dấu đã xong", DONE_COMMAND)])
    dl = found[0]
    units = deadline_units(session, [dl.id or 0]).get(dl.id or 0, [])
    ref = deadline_ref(snap, dl, units, today)
    text = (
        f"Bạn báo đã xong «{ref.title}». Gõ {DONE_COMMAND} rồi chọn hạn này để đánh dấu"
        " đơn vị đã hoàn thành (cần được quản trị viên duyệt là thành viên đơn vị)."
    )
    return Answer(
        INTENT,
        text,
        deadlines=[ref],
        suggestions=[Suggestion("Đánh dấu đã xong", DONE_COMMAND)],
    )
