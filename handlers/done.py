"""Done-tracking commands: /xong (mark or undo), /duyet (approve members), /tinhtrang, /nhatky."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlmodel import select

from handlers import render
from handlers.registry import Context
from handlers.types import Attachment, Choice, Reply
from jobs.audience import expanded
from jobs.audit import audit_events, write_audit_csv
from jobs.csvfile import csv_bytes
from jobs.done import active_marks, approve, is_approved, mark_done, pending_members, undo_done
from jobs.models import ChatAddress, Person
from jobs.status import WINDOW_DAYS, board_csv, board_text, build_board
from knowledge.deadlines import load_occurrences
from knowledge.models import Unit
from knowledge.recurrence import DeadlineOccurrence

if TYPE_CHECKING:
    from handlers.conversation import Conversation

logger = logging.getLogger(__name__)

MAX_CHOICES = 8
AUDIT_CSV_TEXT = "Nhật ký nhắc hạn và đánh dấu hoàn thành (CSV) đính kèm."
BOARD_CSV_TEXT = "Bảng theo dõi hạn (CSV) đính kèm."
AUDIT_CLI = "python -m bot audit --csv <tệp>"
BOARD_CLI = "python -m bot status --csv <tệp>"
NO_UNIT = "Bạn chưa chọn đơn vị. Gõ /donvi <tên đơn vị> (ví dụ: /donvi tccb) rồi dùng lại /xong."


def register(conv: "Conversation") -> None:
    conv.commands.add("xong", cmd_xong)
    conv.commands.add("duyet", cmd_duyet, admin=True, usage="[mã người dùng]")
    conv.commands.add("tinhtrang", cmd_tinhtrang, admin=True, usage="[csv]")
    conv.commands.add("nhatky", cmd_nhatky, admin=True, usage="[csv]")
    conv.choices.add("x", choice_mark)
    conv.choices.add("xu", choice_undo)
    conv.choices.add("dy", choice_approve)


def _unit(ctx: Context) -> Unit | None:
    return ctx.session.get(Unit, ctx.person.unit_id) if ctx.person.unit_id is not None else None


def _when(due: date, today: date) -> str:
    days = (due - today).days
    if days > 0:
        return f"còn {days} ngày"
    return "hạn hôm nay" if days == 0 else f"quá hạn {-days} ngày"


def _pending_text(unit: Unit) -> str:
    return (f"Bạn đã đăng ký thuộc {unit.name} để xem và nhận nhắc hạn, nhưng chưa được Văn phòng "
            "Sở duyệt là thành viên của đơn vị nên chưa thể đánh dấu hoàn thành. Vui lòng liên hệ "
            "cán bộ quản trị để được duyệt (lệnh /duyet).")


def _around_today(ctx: Context) -> list[DeadlineOccurrence]:
    """Occurrences ±WINDOW_DAYS, with "the Sở's departments" expanded to each department."""
    return expanded(ctx.session, load_occurrences(ctx.session, ctx.today - timedelta(days=WINDOW_DAYS),
                                                  ctx.today + timedelta(days=WINDOW_DAYS)))


def _window(ctx: Context, unit_id: int) -> list[DeadlineOccurrence]:
    return [o for o in _around_today(ctx) if o.concerns(unit_id)]


def _find(ctx: Context, key: str) -> DeadlineOccurrence | None:
    """The occurrence with this key, if its rule still produces it."""
    try:
        deadline_id, due = int(key.split("@")[0]), date.fromisoformat(key.split("@")[1])
    except (ValueError, IndexError):
        return None
    found = [o for o in load_occurrences(ctx.session, due, due) if o.deadline_id == deadline_id]
    return expanded(ctx.session, found)[0] if found else None


def cmd_xong(ctx: Context, args: str) -> list[Reply]:
    """Đánh dấu đơn vị đã hoàn thành một hạn (hoặc hoàn tác)"""
    unit = _unit(ctx)
    if unit is None:
        return render.single(NO_UNIT)
    if not is_approved(ctx.session, ctx.person):
        return render.single(_pending_text(unit))
    occurrences = _window(ctx, unit.id)
    marks = active_marks(ctx.session, [o.key for o in occurrences])
    open_ = [o for o in occurrences if (unit.id, o.key) not in marks]
    done = [o for o in occurrences if (unit.id, o.key) in marks]
    lines = [f"Các hạn của {unit.name} (±{WINDOW_DAYS} ngày):"]
    choices: list[Choice] = []
    if open_:
        lines.append("Chưa hoàn thành — chọn hạn đã hoàn thành để đánh dấu:")
        for o in open_:
            lines.append(f"• {o.due:%d/%m/%Y} ({_when(o.due, ctx.today)}): {o.title}")
        choices += [Choice(f"Xong: {o.due:%d/%m} {o.title}"[:60], f"x:{o.key}") for o in open_[:MAX_CHOICES]]
    else:
        lines.append("Không còn hạn nào chưa hoàn thành.")
    if done:
        lines.append("Đã hoàn thành (chọn “Hoàn tác” nếu đánh dấu nhầm):")
        for o in done:
            mark = marks[(unit.id, o.key)]
            lines.append(f"• {o.due:%d/%m/%Y}: {o.title} — đánh dấu lúc "
                         f"{mark.marked_at.astimezone(ctx.now.tzinfo):%d/%m/%Y %H:%M}")
        choices += [Choice(f"Hoàn tác: {o.due:%d/%m} {o.title}"[:60], f"xu:{o.key}")
                    for o in done[:MAX_CHOICES]]
    return [Reply("\n".join(lines), choices)]


def _guard(ctx: Context, key: str) -> tuple[Unit, DeadlineOccurrence] | list[Reply]:
    unit = _unit(ctx)
    if unit is None:
        return render.single(NO_UNIT)
    if not is_approved(ctx.session, ctx.person):
        logger.info("done mark refused for unapproved %s", ctx.actor)
        return render.single(_pending_text(unit))
    occurrence = _find(ctx, key)
    if occurrence is None:
        return render.single(render.STALE)
    if not occurrence.concerns(unit.id):
        logger.warning("%s tried to mark %s for a unit it does not concern", ctx.actor, key)
        return render.single(f"Hạn này không thuộc {unit.name}; bạn chỉ có thể đánh dấu hạn của đơn vị mình.")
    return unit, occurrence


def choice_mark(ctx: Context, key: str) -> list[Reply]:
    """Mark one occurrence done for the user's own unit."""
    guarded = _guard(ctx, key)
    if isinstance(guarded, list):
        return guarded
    unit, occ = guarded
    mark = mark_done(ctx.session, unit_id=unit.id, occurrence=occ, person_id=ctx.person.id,
                     by=f"{ctx.person.display_name or ctx.incoming.display_name} ({ctx.actor})", now=ctx.now)
    when = mark.marked_at.astimezone(ctx.now.tzinfo)
    logger.info("%s marked %s done for unit %s", ctx.actor, occ.key, unit.id)
    on_time = "đúng hạn" if when.date() <= occ.due else "quá hạn"
    return render.single(
        f"Đã ghi nhận {unit.name} hoàn thành ({on_time}): {occ.title}, hạn {occ.due:%d/%m/%Y}.\n"
        f"Người đánh dấu: {mark.marked_by}, lúc {when:%H:%M %d/%m/%Y}. Bot sẽ ngừng nhắc hạn này.",
        Choice("Hoàn tác", f"xu:{occ.key}"),
    )


def choice_undo(ctx: Context, key: str) -> list[Reply]:
    """Undo the unit's done mark; reminders resume."""
    guarded = _guard(ctx, key)
    if isinstance(guarded, list):
        return guarded
    unit, occ = guarded
    by = f"{ctx.person.display_name or ctx.incoming.display_name} ({ctx.actor})"
    if not undo_done(ctx.session, unit_id=unit.id, occurrence_key=occ.key, by=by, now=ctx.now):
        return render.single(f"Hạn “{occ.title}” ({occ.due:%d/%m/%Y}) chưa được đánh dấu hoàn thành.")
    logger.info("%s undid the done mark of %s for unit %s", ctx.actor, occ.key, unit.id)
    return render.single(
        f"Đã hoàn tác: {occ.title}, hạn {occ.due:%d/%m/%Y} trở lại “chưa hoàn thành”; bot sẽ tiếp tục nhắc.",
        Choice("Đánh dấu lại", f"x:{occ.key}"),
    )


def _person_label(ctx: Context, person: Person) -> str:
    unit = ctx.session.get(Unit, person.unit_id) if person.unit_id else None
    chats = ctx.session.exec(select(ChatAddress).where(ChatAddress.person_id == person.id)).all()
    where = ", ".join(sorted({c.channel + (" nhóm" if c.is_group else "") for c in chats}))
    return f"#{person.id} {person.display_name or 'không tên'} — {unit.name if unit else '?'} ({where})"


def cmd_duyet(ctx: Context, args: str) -> list[Reply]:
    """Duyệt thành viên đơn vị để được đánh dấu hoàn thành (quản trị)"""
    if args.strip():
        return _approve(ctx, args.strip().lstrip("#"))
    waiting = pending_members(ctx.session)
    if not waiting:
        return render.single("Không có ai chờ duyệt.")
    lines = ["Chờ duyệt (chọn để duyệt, hoặc gõ /duyet <mã>):"]
    lines += [f"• {_person_label(ctx, p)}" for p in waiting]
    choices = [Choice(f"Duyệt #{p.id} {p.display_name}"[:60], f"dy:{p.id}") for p in waiting[:MAX_CHOICES]]
    return [Reply("\n".join(lines), choices)]


def _approve(ctx: Context, raw_id: str) -> list[Reply]:
    try:
        person = ctx.session.get(Person, int(raw_id))
    except ValueError:
        person = None
    if person is None:
        return render.single(f"Không tìm thấy người dùng mã {raw_id!r}. Gõ /duyet để xem danh sách chờ.")
    if person.unit_id is None:
        return render.single(f"{_person_label(ctx, person)} chưa chọn đơn vị nên chưa thể duyệt.")
    if not approve(ctx.session, person, by=ctx.actor, now=ctx.now):
        return render.single(f"{_person_label(ctx, person)} đã được duyệt từ trước.")
    logger.info("%s approved person %s for unit %s", ctx.actor, person.id, person.unit_id)
    return render.single(f"Đã duyệt {_person_label(ctx, person)}: từ nay có thể đánh dấu hoàn thành bằng /xong.")


def choice_approve(ctx: Context, rest: str) -> list[Reply]:
    """Approve a pending member from the /duyet list."""
    if not ctx.is_admin:
        logger.warning("refused approval press from %s", ctx.actor)
        return render.single(render.ADMIN_ONLY)
    return _approve(ctx, rest)


def cmd_tinhtrang(ctx: Context, args: str) -> list[Reply]:
    """Bảng theo dõi: đơn vị nào đã/chưa hoàn thành từng hạn (quản trị)"""
    want_csv = _wants_csv(args)
    if want_csv is None:
        return render.single("Cách dùng: /tinhtrang (xem bảng) hoặc /tinhtrang csv (nhận tệp CSV).")
    rows = build_board(ctx.session, _around_today(ctx), today=ctx.today, tz=ctx.now.tzinfo)
    if want_csv:
        data = board_csv(rows)
        name = f"bang_theo_doi_{ctx.today:%Y%m%d}.csv"
        logger.info("%s exported the board as CSV (%d rows)", ctx.actor, len(rows))
        return [Reply(BOARD_CSV_TEXT, attachment=Attachment(name, data, fallback=BOARD_CLI))]
    text = board_text(rows, today=ctx.today)
    text += "\n\nXuất CSV: /tinhtrang csv (Telegram) hoặc python -m bot status --csv bang_theo_doi.csv"
    return ctx.conversation.paged_text(ctx, text)


def _wants_csv(args: str) -> bool | None:
    """True for "csv", False for no argument, None for anything else."""
    arg = args.strip().lower()
    if not arg:
        return False
    return True if arg == "csv" else None


def cmd_nhatky(ctx: Context, args: str) -> list[Reply]:
    """Nhật ký nhắc hạn và đánh dấu hoàn thành gần đây (quản trị)"""
    want_csv = _wants_csv(args)
    if want_csv is None:
        return render.single("Cách dùng: /nhatky (xem tóm tắt) hoặc /nhatky csv (nhận tệp CSV).")
    events = audit_events(ctx.session, tz=ctx.now.tzinfo)
    if want_csv:
        data = csv_bytes(lambda out: write_audit_csv(events, out))
        name = f"nhat_ky_{ctx.today:%Y%m%d}.csv"
        logger.info("%s exported the audit trail as CSV (%d events)", ctx.actor, len(events))
        return [Reply(AUDIT_CSV_TEXT, attachment=Attachment(name, data, fallback=AUDIT_CLI))]
    if not events:
        return render.single("Nhật ký trống: chưa có tin nhắc hay đánh dấu nào.")
    counts: dict[str, int] = {}
    for e in events:
        label = f"{e.event}" + (f" ({e.status})" if e.status else "")
        counts[label] = counts.get(label, 0) + 1
    lines = ["Nhật ký — tổng số: " + "; ".join(f"{k}: {v}" for k, v in sorted(counts.items())), "",
             "20 sự kiện gần nhất:"]
    for e in events[-20:][::-1]:
        lines.append(f"• {e.at:%d/%m/%Y %H:%M} {e.event}{' — ' + e.unit if e.unit else ''}"
                     f"{' — ' + e.occurrence_key if e.occurrence_key else ''}: {e.who}"
                     f"{' [' + e.status + ']' if e.status else ''}")
    lines += ["", "Xuất đầy đủ ra CSV: /nhatky csv (Telegram) hoặc python -m bot audit --csv nhat_ky.csv"]
    return ctx.conversation.paged_text(ctx, "\n".join(lines))
