"""Done-tracking commands: /xong (mark or undo), /duyet (approve members), /tinhtrang, /nhatky."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlmodel import Session, select

from handlers import done_admin, render
from handlers.obligations import group_choices
from handlers.registry import Context
from handlers.types import Attachment, Choice, Reply
from jobs.approvals import APPROVE_PREFIX, REJECT_PREFIX, decide, request_approval
from jobs.audience import expanded
from jobs.audit import audit_events, write_audit_csv
from jobs.csvfile import csv_bytes
from jobs.done import acting_person, is_approved, mark_done, mark_of, pending_members, undo_done
from jobs.models import ChatAddress, Person
from jobs.status import WINDOW_DAYS, board_csv, board_text, build_board
from knowledge.deadlines import find_occurrence, load_occurrences
from knowledge.members import member_label
from knowledge.models import Unit, UnitMember
from knowledge.recurrence import DeadlineOccurrence

if TYPE_CHECKING:
    from handlers.conversation import Conversation

logger = logging.getLogger(__name__)

MAX_CHOICES = 8
AUDIT_CSV_TEXT = "Nhật ký nhắc hạn và đánh dấu hoàn thành (CSV) đính kèm."
BOARD_CSV_TEXT = "Bảng theo dõi hạn (CSV) đính kèm."
AUDIT_CLI = "python -m bot audit --csv <tệp>"
BOARD_CLI = "python -m bot status --csv <tệp>"
REQUEST_LABEL = "Gửi yêu cầu duyệt"
NO_UNIT = "Bạn chưa chọn đơn vị. Gõ /donvi <tên đơn vị> (ví dụ: /donvi tccb) rồi dùng lại /xong."


def register(conv: Conversation) -> None:
    conv.commands.add("xong", cmd_xong, usage="[đơn vị] [hạn] (quản trị: ghi nhận thay đơn vị)")
    conv.commands.add("duyet", cmd_duyet, admin=True, usage="[mã người dùng]")
    conv.commands.add("tuchoi", cmd_tuchoi, admin=True, usage="<mã người dùng>")
    conv.commands.add("tinhtrang", cmd_tinhtrang, admin=True, usage="[csv]")
    conv.commands.add("nhatky", cmd_nhatky, admin=True, usage="[csv]")
    conv.choices.add("x", choice_mark)
    conv.choices.add("xu", choice_undo)
    conv.choices.add(APPROVE_PREFIX, choice_approve, admin=True)
    conv.choices.add(REJECT_PREFIX, choice_reject, admin=True)
    conv.choices.add("yc", choice_request)
    done_admin.register(conv)


@dataclass(frozen=True)
class Party:
    """Who a done mark is for: a unit, or one member (school, office) of a collective unit."""

    unit: Unit
    member: UnitMember | None = None

    @property
    def unit_id(self) -> int:
        assert self.unit.id is not None
        return self.unit.id

    @property
    def member_id(self) -> int | None:
        return self.member.id if self.member is not None else None

    @property
    def label(self) -> str:
        return member_label(self.member, self.unit) if self.member is not None else self.unit.name


def party_of(session: Session, person: Person) -> Party | None:
    """The person's unit, and their member of it when they chose one."""
    unit = session.get(Unit, person.unit_id) if person.unit_id is not None else None
    if unit is None:
        return None
    member = session.get(UnitMember, person.member_id) if person.member_id is not None else None
    return Party(unit, member if member is not None and member.unit_id == unit.id else None)


def _unit(ctx: Context) -> Unit | None:
    return ctx.session.get(Unit, ctx.person.unit_id) if ctx.person.unit_id is not None else None


def _when(due: date, today: date) -> str:
    days = (due - today).days
    if days > 0:
        return f"còn {days} ngày"
    return "hạn hôm nay" if days == 0 else f"quá hạn {-days} ngày"


def _pending_text(party: Party, person: Person) -> str:
    return (
        f"Bạn đã đăng ký thuộc {party.label} để xem và nhận nhắc hạn, nhưng chưa được Văn phòng "
        "Sở duyệt là thành viên của đơn vị nên chưa thể đánh dấu hoàn thành.\n"
        f"Mã người dùng của bạn: #{person.id}. Bấm “{REQUEST_LABEL}” để báo cán bộ quản trị, "
        f"hoặc gửi mã này cho họ (lệnh /duyet {person.id})."
    )


def _approval_refusal(ctx: Context, party: Party) -> list[Reply] | None:
    """None when whoever acts may mark for the party; else the Vietnamese explanation.

    Approval belongs to a person: in a group, the member who pressed must be approved
    themselves (through their own chat with the bot), whatever the group's unit is.
    """
    actor = acting_person(
        ctx.session,
        channel=ctx.incoming.channel,
        user_id=ctx.incoming.user_id,
        chat_person=ctx.person,
        is_group=ctx.incoming.is_group,
    )
    if actor is not None and _approved_for(ctx, actor, party):
        return None
    logger.info("done mark refused for unapproved %s", ctx.actor)
    if ctx.incoming.is_group:
        who = f" (mã #{actor.id})" if actor is not None else ""
        return render.single(
            f"Trong nhóm, chỉ người đã được Văn phòng Sở duyệt là thành viên của {party.label} "
            f"mới đánh dấu hoàn thành được, và bạn{who} chưa được duyệt. Hãy nhắn riêng cho bot: "
            f"/donvi {party.member.name if party.member else party.unit.name}, rồi gõ /xong để "
            "gửi yêu cầu duyệt."
        )
    return [Reply(_pending_text(party, ctx.person), [Choice(REQUEST_LABEL, "yc:")])]


def _approved_for(ctx: Context, person: Person, party: Party) -> bool:
    return (
        person.unit_id == party.unit_id
        and person.member_id == party.member_id
        and is_approved(ctx.session, person)
    )


def _around_today(ctx: Context) -> list[DeadlineOccurrence]:
    """Occurrences ±WINDOW_DAYS, with "the Sở's departments" expanded to each department."""
    return expanded(
        ctx.session,
        load_occurrences(
            ctx.session,
            ctx.today - timedelta(days=WINDOW_DAYS),
            ctx.today + timedelta(days=WINDOW_DAYS),
        ),
    )


def _window(ctx: Context, unit_id: int) -> list[DeadlineOccurrence]:
    return [o for o in _around_today(ctx) if o.concerns(unit_id)]


def _find(ctx: Context, key: str) -> DeadlineOccurrence | None:
    """The occurrence with this key, if its rule still produces it (a re-import keeps keys)."""
    found = find_occurrence(ctx.session, key)
    return expanded(ctx.session, [found])[0] if found is not None else None


def cmd_xong(ctx: Context, args: str) -> list[Reply]:
    """Đánh dấu đơn vị đã hoàn thành một hạn (hoặc hoàn tác)"""
    if args.strip() and ctx.is_admin:
        return done_admin.cmd_xong_for(ctx, args)
    party = party_of(ctx.session, ctx.person)
    if party is None:
        return render.single(NO_UNIT)
    refusal = _approval_refusal(ctx, party)
    if refusal is not None:
        return refusal
    return done_menu(ctx, party, _window(ctx, party.unit_id), mark="x", undo="xu")


def done_menu(
    ctx: Context, party: Party, occurrences: list[DeadlineOccurrence], *, mark: str, undo: str
) -> list[Reply]:
    """The party's occurrences: open ones to mark, done ones to undo. Payloads are
    f"{mark}:{key}" and f"{undo}:{key}" (an admin's prefixes carry the party too)."""
    marks = {
        o.key: mark_of(
            ctx.session, unit_id=party.unit_id, occurrence_key=o.key, member_id=party.member_id
        )
        for o in occurrences
    }
    open_ = [o for o in occurrences if marks[o.key] is None]
    done = [o for o in occurrences if marks[o.key] is not None]
    lines = [f"Các hạn của {party.label} (±{WINDOW_DAYS} ngày):"]
    choices: list[Choice] = []
    if open_:
        lines.append("Chưa hoàn thành — chọn hạn đã hoàn thành để đánh dấu:")
        for o in open_:
            lines.append(f"• {o.due:%d/%m/%Y} ({_when(o.due, ctx.today)}): {o.title}")
        if mark == "x":  # "Đánh dấu cả 3" for reports due together (the user's own unit)
            choices += group_choices(open_)
        choices += [
            Choice(f"Xong: {o.due:%d/%m} {o.title}"[:60], f"{mark}:{o.key}")
            for o in open_[:MAX_CHOICES]
        ]
    else:
        lines.append("Không còn hạn nào chưa hoàn thành.")
    if done:
        lines.append("Đã hoàn thành (chọn “Hoàn tác” nếu đánh dấu nhầm):")
        for o in done:
            m = marks[o.key]
            assert m is not None
            whole = " (cả đơn vị)" if party.member is not None and m.member_id is None else ""
            lines.append(
                f"• {o.due:%d/%m/%Y}: {o.title} — đánh dấu{whole} lúc "
                f"{m.marked_at.astimezone(ctx.now.tzinfo):%d/%m/%Y %H:%M}"
                f"{', ' + m.marked_by if m.on_behalf else ''}"
            )
        choices += [
            Choice(f"Hoàn tác: {o.due:%d/%m} {o.title}"[:60], f"{undo}:{o.key}")
            for o in done[:MAX_CHOICES]
        ]
    return [Reply("\n".join(lines), choices)]


def _guard(ctx: Context, key: str) -> tuple[Party, DeadlineOccurrence] | list[Reply]:
    party = party_of(ctx.session, ctx.person)
    if party is None:
        return render.single(NO_UNIT)
    refusal = _approval_refusal(ctx, party)
    if refusal is not None:
        return refusal
    occurrence = _find(ctx, key)
    if occurrence is None:
        return render.single(render.STALE)
    if not occurrence.concerns(party.unit_id):
        logger.warning("%s tried to mark %s for a unit it does not concern", ctx.actor, key)
        return render.single(
            f"Hạn này không thuộc {party.unit.name}; bạn chỉ có thể đánh dấu hạn của đơn vị mình."
        )
    return party, occurrence


def _acting_id(ctx: Context) -> int | None:
    actor = acting_person(
        ctx.session,
        channel=ctx.incoming.channel,
        user_id=ctx.incoming.user_id,
        chat_person=ctx.person,
        is_group=ctx.incoming.is_group,
    )
    return actor.id if actor is not None else ctx.person.id


def choice_mark(ctx: Context, key: str) -> list[Reply]:
    """Mark one occurrence done for the user's own unit (or their member of it)."""
    guarded = _guard(ctx, key)
    if isinstance(guarded, list):
        return guarded
    party, occ = guarded
    by = f"{ctx.incoming.display_name or ctx.person.display_name} ({ctx.actor})"
    return record_done(
        ctx,
        party,
        occ,
        person_id=_acting_id(ctx),
        by=by,
        on_behalf=False,
        undo_payload=f"xu:{occ.key}",
    )


def record_done(
    ctx: Context,
    party: Party,
    occ: DeadlineOccurrence,
    *,
    person_id: int | None,
    by: str,
    on_behalf: bool,
    undo_payload: str,
) -> list[Reply]:
    """Store the mark and say so; shared by a unit's own /xong and an admin's on its behalf."""
    mark = mark_done(
        ctx.session,
        unit_id=party.unit_id,
        occurrence=occ,
        person_id=person_id,
        by=by,
        now=ctx.now,
        member_id=party.member_id,
        on_behalf=on_behalf,
    )
    when = mark.marked_at.astimezone(ctx.now.tzinfo)
    logger.info(
        "%s marked %s done for unit %s member %s",
        ctx.actor,
        occ.key,
        party.unit_id,
        party.member_id,
    )
    on_time = "đúng hạn" if when.date() <= occ.due else "quá hạn"
    return render.single(
        f"Đã ghi nhận {party.label} hoàn thành ({on_time}): {occ.title}, hạn {occ.due:%d/%m/%Y}.\n"
        f"Người đánh dấu: {mark.marked_by}, lúc {when:%H:%M %d/%m/%Y}. Bot sẽ ngừng nhắc hạn này"
        f"{' cho ' + party.label if party.member is not None else ''}.",
        Choice("Hoàn tác", undo_payload),
    )


def undo_recorded(
    ctx: Context, party: Party, occ: DeadlineOccurrence, *, by: str, again_payload: str
) -> list[Reply]:
    """Undo the party's own mark; shared by the unit and an admin acting for it."""
    if not undo_done(
        ctx.session,
        unit_id=party.unit_id,
        occurrence_key=occ.key,
        by=by,
        now=ctx.now,
        member_id=party.member_id,
    ):
        whole = mark_of(
            ctx.session, unit_id=party.unit_id, occurrence_key=occ.key, member_id=party.member_id
        )
        if whole is not None:
            return render.single(
                f"Hạn “{occ.title}” được ghi nhận cho cả {party.unit.name} "
                f"({whole.marked_by}); chỉ cán bộ quản trị hoàn tác được ghi nhận đó."
            )
        return render.single(
            f"Hạn “{occ.title}” ({occ.due:%d/%m/%Y}) chưa được đánh dấu hoàn thành."
        )
    logger.info(
        "%s undid the done mark of %s for unit %s member %s",
        ctx.actor,
        occ.key,
        party.unit_id,
        party.member_id,
    )
    return render.single(
        f"Đã hoàn tác: {occ.title}, hạn {occ.due:%d/%m/%Y} của {party.label} trở lại “chưa hoàn "
        "thành”; bot sẽ tiếp tục nhắc.",
        Choice("Đánh dấu lại", again_payload),
    )


def choice_undo(ctx: Context, key: str) -> list[Reply]:
    """Undo the unit's done mark; reminders resume."""
    guarded = _guard(ctx, key)
    if isinstance(guarded, list):
        return guarded
    party, occ = guarded
    by = f"{ctx.incoming.display_name or ctx.person.display_name} ({ctx.actor})"
    return undo_recorded(ctx, party, occ, by=by, again_payload=f"x:{occ.key}")


def choice_request(ctx: Context, rest: str) -> list[Reply]:
    """Send the admins one approval request (with Duyệt / Từ chối buttons)."""
    if ctx.incoming.is_group:
        return render.single(
            "Hãy gửi yêu cầu duyệt từ cuộc trò chuyện riêng với bot (gõ /xong ở đó)."
        )
    party = party_of(ctx.session, ctx.person)
    if party is None:
        return render.single(NO_UNIT)
    if _approved_for(ctx, ctx.person, party):
        return render.single(
            f"Bạn đã được duyệt là thành viên của {party.label}; gõ /xong để đánh dấu."
        )
    new_member = party.member is not None and not party.member.approved
    text = (
        f"Yêu cầu duyệt thành viên: {ctx.person.display_name or ctx.incoming.display_name} "
        f"(mã #{ctx.person.id}, {ctx.actor}) xin được đánh dấu hoàn thành cho {party.label}."
        + (
            f"\n“{party.member.name}” là tên mới do người dùng thêm, sẽ được duyệt cùng."
            if new_member and party.member
            else ""
        )
        + f"\nDuyệt: /duyet {ctx.person.id} · Từ chối: /tuchoi {ctx.person.id}"
    )
    request, sent, opened = request_approval(
        ctx.session,
        person=ctx.person,
        requested_by=ctx.actor,
        text=text,
        admin_ids=ctx.conversation.config.admin_ids,
        now=ctx.now,
    )
    if not opened:
        return render.single(
            f"Yêu cầu duyệt của bạn (mã #{ctx.person.id}) đã được gửi lúc "
            f"{request.requested_at.astimezone(ctx.now.tzinfo):%H:%M %d/%m/%Y} "
            "và đang chờ cán bộ quản trị. Bạn sẽ nhận tin khi có kết quả."
        )
    _kick_outbox(ctx)
    logger.info(
        "%s asked for approval (request %s, %d admin chat(s))", ctx.actor, request.id, sent
    )
    if not sent:
        return render.single(
            f"Đã lưu yêu cầu duyệt (mã của bạn: #{ctx.person.id}), nhưng chưa có cán bộ "
            "quản trị nào nhắn tin với bot nên chưa báo được; họ sẽ thấy yêu cầu khi gõ "
            "/duyet. Bạn có thể gửi mã này cho Văn phòng Sở."
        )
    return render.single(
        f"Đã gửi yêu cầu duyệt tới cán bộ quản trị (mã của bạn: #{ctx.person.id}). "
        "Bạn sẽ nhận tin khi có kết quả."
    )


def _kick_outbox(ctx: Context) -> None:
    """Bring the next reminder tick forward once committed, so queued notices go out now."""
    hook = ctx.conversation.on_broadcast_queued
    if hook is not None:
        ctx.after_commit.append(hook)


def _person_label(ctx: Context, person: Person) -> str:
    party = party_of(ctx.session, person)
    chats = ctx.session.exec(select(ChatAddress).where(ChatAddress.person_id == person.id)).all()
    where = ", ".join(sorted({c.channel + (" nhóm" if c.is_group else "") for c in chats}))
    pending = (
        " — tên mới, chờ duyệt" if party and party.member and not party.member.approved else ""
    )
    label = party.label if party else "?"
    return f"#{person.id} {person.display_name or 'không tên'} — {label}{pending} ({where})"


def cmd_duyet(ctx: Context, args: str) -> list[Reply]:
    """Duyệt thành viên đơn vị để được đánh dấu hoàn thành (quản trị)"""
    if args.strip():
        return _approve(ctx, args.strip().lstrip("#"))
    waiting = pending_members(ctx.session)
    if not waiting:
        return render.single("Không có ai chờ duyệt.")
    lines = ["Chờ duyệt (chọn để duyệt, hoặc gõ /duyet <mã>):"]
    lines += [f"• {_person_label(ctx, p)}" for p in waiting]
    choices = [
        Choice(f"Duyệt #{p.id} {p.display_name}"[:60], f"{APPROVE_PREFIX}:{p.id}")
        for p in waiting[:MAX_CHOICES]
    ]
    return [Reply("\n".join(lines), choices)]


def _person_by_id(ctx: Context, raw_id: str) -> Person | None:
    person_id = render.row_id(raw_id)  # "99999999999999999999999" is no id, not an overflow
    return ctx.session.get(Person, person_id) if person_id is not None else None


def _no_such_person(raw_id: str) -> list[Reply]:
    return render.single(
        f"Không tìm thấy người dùng mã {raw_id[:20]!r}. Gõ /duyet để xem danh sách chờ."
    )


def _approve(ctx: Context, raw_id: str) -> list[Reply]:
    person = _person_by_id(ctx, raw_id)
    if person is None:
        return _no_such_person(raw_id)
    if person.unit_id is None:
        return render.single(f"{_person_label(ctx, person)} chưa chọn đơn vị nên chưa thể duyệt.")
    party = party_of(ctx.session, person)
    decision = decide(
        ctx.session,
        person,
        approved=True,
        label=party.label if party else "?",
        by=ctx.actor,
        now=ctx.now,
    )
    if not decision.changed:
        return render.single(f"{_person_label(ctx, person)} đã được duyệt từ trước.")
    if decision.notified:
        _kick_outbox(ctx)
    logger.info("%s approved person %s for unit %s", ctx.actor, person.id, person.unit_id)
    return render.single(
        f"Đã duyệt {_person_label(ctx, person)}: từ nay có thể đánh dấu hoàn thành bằng /xong."
    )


def cmd_tuchoi(ctx: Context, args: str) -> list[Reply]:
    """Từ chối yêu cầu duyệt thành viên (quản trị)"""
    if not args.strip():
        return render.single(
            "Cách dùng: /tuchoi <mã người dùng>, ví dụ /tuchoi 12. Gõ /duyet để xem danh sách chờ."
        )
    return _reject(ctx, args.strip())


def _reject(ctx: Context, raw_id: str) -> list[Reply]:
    person = _person_by_id(ctx, raw_id)
    if person is None:
        return _no_such_person(raw_id)
    party = party_of(ctx.session, person)
    decision = decide(
        ctx.session,
        person,
        approved=False,
        label=party.label if party else "đơn vị",
        by=ctx.actor,
        now=ctx.now,
    )
    if not decision.changed:
        return render.single(f"{_person_label(ctx, person)} không có yêu cầu duyệt nào đang chờ.")
    if decision.notified:
        _kick_outbox(ctx)
    logger.info("%s rejected the approval request of person %s", ctx.actor, person.id)
    return render.single(
        f"Đã từ chối yêu cầu duyệt của {_person_label(ctx, person)}; người dùng đã được báo."
    )


def choice_reject(ctx: Context, rest: str) -> list[Reply]:
    """Reject a pending approval request from an admin's message."""
    if not ctx.is_admin:
        logger.warning("refused rejection press from %s", ctx.actor)
        return render.single(render.ADMIN_ONLY)
    return _reject(ctx, rest)


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
        return render.single(
            "Cách dùng: /tinhtrang (xem bảng) hoặc /tinhtrang csv (nhận tệp CSV)."
        )
    rows = build_board(ctx.session, _around_today(ctx), today=ctx.today, tz=ctx.tz)
    if want_csv:
        data = board_csv(rows)
        name = f"bang_theo_doi_{ctx.today:%Y%m%d}.csv"
        logger.info("%s exported the board as CSV (%d rows)", ctx.actor, len(rows))
        return [Reply(BOARD_CSV_TEXT, attachment=Attachment(name, data, fallback=BOARD_CLI))]
    text = board_text(rows, today=ctx.today)
    text += (
        "\n\nXuất CSV: /tinhtrang csv (Telegram) hoặc python -m bot status --csv bang_theo_doi.csv"
    )
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
    events = audit_events(ctx.session, tz=ctx.tz)
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
    lines = [
        "Nhật ký — tổng số: " + "; ".join(f"{k}: {v}" for k, v in sorted(counts.items())),
        "",
        "20 sự kiện gần nhất:",
    ]
    for e in events[-20:][::-1]:
        lines.append(
            f"• {e.at:%d/%m/%Y %H:%M} {e.event}{' — ' + e.unit if e.unit else ''}"
            f"{' — ' + e.occurrence_key if e.occurrence_key else ''}: {e.who}"
            f"{' [' + e.status + ']' if e.status else ''}"
        )
    lines += [
        "",
        "Xuất đầy đủ ra CSV: /nhatky csv (Telegram) hoặc python -m bot audit --csv nhat_ky.csv",
    ]
    return ctx.conversation.paged_text(ctx, "\n".join(lines))
