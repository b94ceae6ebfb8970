"""The built-in commands and buttons: start, unit, duties, deadlines, documents, search,
reminder settings, help."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlmodel import select

from handlers import members, render, state
from handlers.registry import Context
from handlers.types import Choice, Reply
from knowledge.inforce import units_in_force
from knowledge.models import Unit
from knowledge.normalize import fold
from knowledge.units import member_kinds, member_units

if TYPE_CHECKING:
    from handlers.conversation import Conversation

# match_units scores are 0-100: at or above SURE a lone best match is taken without asking.
SURE = 85.0
PLAUSIBLE = 55.0
MAX_UNIT_BUTTONS = 16


def register(conv: Conversation) -> None:
    """Add the built-in commands and button handlers to a conversation."""
    add = conv.commands.add
    add("start", cmd_start, menu=True)
    add("donvi", cmd_donvi, usage="[tên đơn vị]")
    add("nhiemvu", cmd_nhiemvu, usage="[đơn vị]")
    add("hanchot", cmd_hanchot)
    add("vanban", cmd_vanban, usage="[số hoặc từ khoá]")
    add("timkiem", cmd_timkiem, usage="<từ khoá>")
    add("nhacnho", cmd_nhacnho, usage="[bat|tat|7,3,1|gio 08:30|macdinh|tuan bat|tuan tat]")
    add("trogiup", cmd_trogiup, aliases=("help",))
    conv.choices.add("u", choice_unit)
    conv.choices.add("nu", choice_unit_duties)
    conv.choices.add("m", choice_more)
    conv.choices.add("q", choice_ask)
    conv.choices.add("c", choice_command)
    members.register(conv)


# ---------------------------------------------------------------------- helpers
def _unit_name(ctx: Context, unit: Unit) -> str:
    return ctx.conversation.knowledge.unit_label(unit)


def current_unit(ctx: Context) -> Unit | None:
    if ctx.person.unit_id is None:
        return None
    return ctx.session.get(Unit, ctx.person.unit_id)


def unit_choices(ctx: Context, prefix: str = "u") -> list[Choice]:
    """Buttons for the units a user can belong to: departments first, then the collectives of
    member units (schools and centres, district offices), never the umbrella of departments."""
    in_force = units_in_force(ctx.session, ctx.today)  # not units only outdated plans name
    units = [
        u
        for u in member_units(ctx.session.exec(select(Unit).order_by(Unit.name)).all())
        if u.id in in_force
    ]
    units.sort(key=lambda u: u.is_collective)  # stable: by name within each group
    return [Choice(_picker_label(ctx, u), f"{prefix}:{u.id}") for u in units[:MAX_UNIT_BUTTONS]]


def _picker_label(ctx: Context, unit: Unit) -> str:
    """A unit's button; a collective says which members it stands for, so a school head
    recognises "Các đơn vị giáo dục (trường THPT, trung tâm GDNN-GDTX)"."""
    label = _unit_name(ctx, unit)
    kinds = member_kinds(unit)
    if kinds and len(label) + len(", ".join(kinds)) + 3 <= 60:
        label += f" ({', '.join(kinds)})"
    return label[:60]


def match_unit(ctx: Context, text: str) -> tuple[Unit | None, list[Unit]]:
    """(the unit meant, or None, and the candidates to offer when unsure)."""
    found = list(ctx.conversation.knowledge.match_units(ctx.session, text, limit=5))
    if not found:
        return None, []
    best, best_score = found[0]
    runner_up = found[1][1] if len(found) > 1 else 0.0
    exact = fold(text) in {fold(best.name), fold(best.short_name), *map(fold, best.aliases or [])}
    if exact or (best_score >= SURE and best_score - runner_up >= 10):
        return best, []
    floor = max(PLAUSIBLE, best_score - 10)
    return None, [u for u, score in found if score >= floor]


def _quick_actions() -> list[Choice]:
    return [
        Choice("Nhiệm vụ của đơn vị", "c:nhiemvu"),
        Choice("Hạn chót sắp tới", "c:hanchot"),
    ]


def set_unit(ctx: Context, unit: Unit) -> list[Reply]:
    ctx.person.unit_id = unit.id
    ctx.person.member_id = None  # a member belongs to one collective; choosing a unit resets it
    ctx.session.add(ctx.person)
    whom = "Nhóm này" if ctx.incoming.is_group else "Bạn"
    text = (
        f"Đã ghi nhận: {whom} thuộc {_unit_name(ctx, unit)}.\n"
        "Từ nay bot sẽ nhắc hạn chót của đơn vị. Bạn có thể xem ngay:"
    )
    if not unit.is_collective:
        return render.single(text, *_quick_actions())
    prompt, member_choices = members.member_prompt(ctx, unit)
    return render.single(text + prompt, *_quick_actions(), *member_choices)


def _ask_unit(ctx: Context, text: str, prefix: str = "u") -> list[Reply]:
    return render.single(text, *unit_choices(ctx, prefix))


# ---------------------------------------------------------------------- commands
def cmd_start(ctx: Context, args: str) -> list[Reply]:
    """Bắt đầu: giới thiệu và chọn đơn vị"""
    name = ctx.incoming.display_name.strip() if not ctx.incoming.is_group else ""
    greeting = f"Xin chào {name}!" if name else "Xin chào!"
    intro = (
        f"{greeting} Tôi là Trợ lý CCHC của Sở GDĐT. Tôi có thể:\n"
        "• cho biết nhiệm vụ cải cách hành chính của đơn vị (/nhiemvu);\n"
        "• liệt kê các hạn chót sắp tới và nhắc trước hạn (/hanchot, /nhacnho);\n"
        "• tra cứu kế hoạch, công văn (/vanban, /timkiem);\n"
        "• trả lời câu hỏi gõ tự do, kèm nguồn văn bản."
    )
    unit = current_unit(ctx)
    if unit is not None:
        return render.single(
            f"{intro}\n\nĐơn vị hiện tại: {_unit_name(ctx, unit)}. Đổi đơn vị: /donvi <tên>.",
            *_quick_actions(),
        )
    return _ask_unit(
        ctx, f"{intro}\n\nTrước hết, hãy chọn đơn vị của bạn (hoặc gõ /donvi <tên đơn vị>):"
    )


def cmd_donvi(ctx: Context, args: str) -> list[Reply]:
    """Chọn hoặc đổi đơn vị, ví dụ: /donvi tccb"""
    if not args:
        unit = current_unit(ctx)
        now = f"Đơn vị hiện tại: {_unit_name(ctx, unit)}.\n" if unit else "Chưa chọn đơn vị.\n"
        return _ask_unit(ctx, now + "Chọn đơn vị (hoặc gõ /donvi <tên đơn vị>):")
    member = members.sure_member(ctx, args)
    if member is not None:
        return members.set_member(ctx, member)
    unit, candidates = match_unit(ctx, args)
    if unit is not None:
        return set_unit(ctx, unit)
    new_member = members.offer_new_member(ctx, args)
    hint = (
        (
            "\nNếu đây là trường hoặc đơn vị thuộc một đơn vị chung, bấm “Thêm …” để đăng ký "
            "(chờ Văn phòng Sở duyệt)."
        )
        if new_member
        else ""
    )
    if candidates:
        return render.single(
            f"Có nhiều đơn vị gần với “{args[:80]}”. Bạn chọn đơn vị nào?{hint}",
            *[Choice(_unit_name(ctx, u)[:60], f"u:{u.id}") for u in candidates],
            *new_member,
        )
    return render.single(
        f"Không tìm thấy đơn vị “{args[:80]}”. Chọn trong danh sách:{hint}",
        *unit_choices(ctx),
        *new_member,
    )


def cmd_nhiemvu(ctx: Context, args: str) -> list[Reply]:
    """Nhiệm vụ của đơn vị (chủ trì, phối hợp), kèm nguồn"""
    if args:
        unit, candidates = match_unit(ctx, args)
        if unit is None and candidates:
            return render.single(
                "Bạn muốn xem nhiệm vụ của đơn vị nào?",
                *[Choice(_unit_name(ctx, u)[:60], f"nu:{u.id}") for u in candidates],
            )
        if unit is None:
            return _ask_unit(ctx, f"Không tìm thấy đơn vị “{args[:80]}”. Chọn đơn vị:", "nu")
    else:
        unit = current_unit(ctx)
        if unit is None:
            return _ask_unit(ctx, "Bạn chưa chọn đơn vị. Xem nhiệm vụ của đơn vị nào?", "nu")
    return _duties(ctx, unit)


def _duties(ctx: Context, unit: Unit) -> list[Reply]:
    assert unit.id is not None
    answer = ctx.conversation.knowledge.unit_duties(ctx.session, unit.id, today=ctx.today)
    return ctx.conversation.answer_replies(ctx, answer)


def cmd_hanchot(ctx: Context, args: str) -> list[Reply]:
    """Hạn chót của đơn vị trong 60 ngày tới"""
    conv = ctx.conversation
    unit = current_unit(ctx)
    start = ctx.today
    end = start + timedelta(days=conv.config.deadline_days)
    if unit is not None:
        occurrences = list(conv.knowledge.occurrences_for_unit(ctx.session, unit.id, start, end))
    else:  # no unit yet: every unit's deadlines, each naming its units
        occurrences = list(conv.knowledge.load_occurrences(ctx.session, start, end))
    labels = (
        {u.id: _unit_name(ctx, u) for u in ctx.session.exec(select(Unit))} if unit is None else {}
    )
    keys = [o.key for o in occurrences]
    unit_id = unit.id if unit is not None else None
    done = (
        conv.done_lookup(ctx.session, unit_id, keys)
        if unit_id is not None and conv.done_lookup
        else set()
    )
    if unit_id is not None and ctx.person.member_id is not None:  # the school's own marks too
        done |= members.own_done_keys(ctx, unit_id, keys)
    whose = _unit_name(ctx, unit) if unit else "tất cả các đơn vị"
    header = f"Hạn chót của {whose} từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}:"
    if not occurrences:
        text = f"Không có hạn chót nào của {whose} trong {conv.config.deadline_days} ngày tới."
        if unit is None:
            text += "\nChọn đơn vị (/donvi) để xem và được nhắc hạn của riêng đơn vị."
        return render.single(text)
    lines = [header]
    for occ in occurrences:
        days = (occ.due - ctx.today).days
        status = " — đã xong" if occ.key in done else ""
        lines.append(
            f"• {occ.due:%d/%m/%Y} ({render.plural_days(days)}){status}: {occ.title}\n"
            f"  Nguồn: {occ.document_title}"
            + (f", {occ.section_path}" if occ.section_path else "")
        )
        if unit is None:
            names = sorted(labels[i] for i in occ.unit_ids if i in labels)
            lines[-1] += "\n  Đơn vị: " + (
                "các phòng, đơn vị" if occ.all_units or not names else "; ".join(names)
            )
    if unit is None:
        lines.append("\nChọn đơn vị (/donvi) để chỉ xem hạn chót của đơn vị mình.")
    return conv.paged_text(ctx, "\n".join(lines))


def cmd_vanban(ctx: Context, args: str) -> list[Reply]:
    """Danh sách văn bản, hoặc chi tiết một văn bản theo số/từ khoá"""
    knowledge = ctx.conversation.knowledge
    if not args:
        answer = knowledge.list_documents(ctx.session)
    else:
        answer = knowledge.document_detail(ctx.session, args)
    replies = ctx.conversation.answer_replies(ctx, answer)
    if args and replies:
        from handlers.upload import retire_choices

        extra = retire_choices(ctx, args)
        replies[0] = Reply(replies[0].text, [*replies[0].choices, *extra], replies[0].attachment)
    return replies


def cmd_timkiem(ctx: Context, args: str) -> list[Reply]:
    """Tìm kiếm trong toàn văn các văn bản"""
    if not args or render.is_junk(args):
        return render.single("Bạn gõ từ khoá cần tìm sau lệnh, ví dụ: /timkiem dịch vụ công")
    answer = ctx.conversation.knowledge.search_text(ctx.session, args, today=ctx.today)
    return ctx.conversation.answer_replies(ctx, answer)


def _reminder_summary(ctx: Context) -> str:
    config = ctx.conversation.config
    person = ctx.person
    offsets = person.offsets if person.offsets is not None else list(config.reminder_offsets)
    at = person.reminder_time or f"{config.reminder_time:%H:%M}"
    days = ", ".join("đúng ngày" if d == 0 else f"{d} ngày" for d in offsets)
    state_text = "BẬT" if person.reminders_enabled else "TẮT"
    unit = current_unit(ctx)
    lines = [
        f"Nhắc hạn: {state_text}.",
        (
            f"Nhắc trước: {days} (lúc {at}, chỉ trong giờ hành chính; rơi vào thứ Bảy, Chủ nhật "
            "thì nhắc vào thứ Sáu trước đó)."
        ),
    ]
    from jobs.digests import weekly_enabled

    weekly = "BẬT" if person.id and weekly_enabled(ctx.session, person.id) else "TẮT"
    lines.append(f"Bản tin tuần (sáng thứ Hai): {weekly}.")
    if unit is None:
        lines.append("Chưa chọn đơn vị nên chưa có gì để nhắc: dùng /donvi.")
    lines.append(
        "Thay đổi: /nhacnho tat, /nhacnho bat, /nhacnho 7,3,1,0, /nhacnho gio 08:30, "
        "/nhacnho macdinh, /nhacnho tuan bat|tat."
    )
    return "\n".join(lines)


def cmd_nhacnho(ctx: Context, args: str) -> list[Reply]:
    """Xem hoặc đổi cài đặt nhắc hạn (bật/tắt, số ngày, giờ)"""
    key = fold(args)
    person = ctx.person
    if not key:
        return render.single(_reminder_summary(ctx))
    if key.startswith("tuan"):
        return _weekly_digest(ctx, key[4:].strip())
    if key in {"tat", "off", "dung", "ngung"}:
        person.reminders_enabled = False
        message = "Đã tắt nhắc hạn."
    elif key in {"bat", "on", "mo"}:
        person.reminders_enabled = True
        message = "Đã bật nhắc hạn."
    elif key in {"macdinh", "mac dinh", "default"}:
        person.offsets = None
        person.reminder_time = None
        person.reminders_enabled = True
        message = "Đã về cài đặt mặc định."
    elif key.startswith(("gio ", "luc ")):
        clock = render.parse_clock(args.split(None, 1)[1] if " " in args.strip() else "")
        if clock is None:
            return render.single(
                "Giờ nhắc không hợp lệ. Ví dụ: /nhacnho gio 08:30 (trong giờ hành chính, "
                "07:00-17:00)."
            )
        person.reminder_time = f"{clock:%H:%M}"
        message = f"Đã đặt giờ nhắc {clock:%H:%M}."
    else:
        offsets = render.parse_offsets(args)
        if offsets is None:
            return render.single(
                "Chưa hiểu cài đặt này. Ví dụ: /nhacnho 7,3,1,0 (số ngày trước hạn, 0 = đúng "
                "ngày, tối đa 60), /nhacnho gio 08:30, /nhacnho tat, /nhacnho bat."
            )
        person.offsets = offsets
        message = "Đã đặt số ngày nhắc trước hạn."
    ctx.session.add(person)
    return render.single(f"{message}\n{_reminder_summary(ctx)}")


def _weekly_digest(ctx: Context, choice: str) -> list[Reply]:
    """/nhacnho tuan bat|tat: the Monday list of the week's deadlines, per person."""
    from jobs.digests import set_weekly

    if choice not in {"bat", "on", "tat", "off"}:
        return render.single(
            "Cách dùng: /nhacnho tuan bat (nhận danh sách hạn của tuần vào "
            "sáng thứ Hai) hoặc /nhacnho tuan tat."
        )
    enabled = choice in {"bat", "on"}
    set_weekly(ctx.session, ctx.person.id or 0, enabled, now=ctx.now)
    message = (
        "Đã bật bản tin tuần: mỗi sáng thứ Hai (ngày làm việc đầu tuần) bot gửi danh sách "
        "hạn chót trong tuần của đơn vị."
        if enabled
        else "Đã tắt bản tin tuần."
    )
    return render.single(f"{message}\n{_reminder_summary(ctx)}")


def cmd_trogiup(ctx: Context, args: str) -> list[Reply]:
    """Danh sách lệnh"""
    lines = ["Các lệnh của Trợ lý CCHC:"]
    for command in ctx.conversation.commands.visible(is_admin=ctx.is_admin):
        usage = f" {command.usage}" if command.usage else ""
        lines.append(f"/{command.name}{usage}: {command.description}")
    lines.append("")
    lines.append(
        "Hoặc gõ câu hỏi tự do (có dấu hoặc không dấu), ví dụ: “han nop bao cao cchc quy?”."
    )
    return render.single("\n".join(lines))


# ---------------------------------------------------------------------- buttons
def _unit_from_payload(ctx: Context, rest: str) -> Unit | None:
    unit_id = render.row_id(rest)
    return ctx.session.get(Unit, unit_id) if unit_id is not None else None


def choice_unit(ctx: Context, rest: str) -> list[Reply]:
    unit = _unit_from_payload(ctx, rest)
    return set_unit(ctx, unit) if unit else render.single(_stale())


def choice_unit_duties(ctx: Context, rest: str) -> list[Reply]:
    unit = _unit_from_payload(ctx, rest)
    return _duties(ctx, unit) if unit else render.single(_stale())


def choice_more(ctx: Context, rest: str) -> list[Reply]:
    """Page n of a stored long answer; a new "Xem thêm" while pages remain."""
    token, _, page = rest.partition(":")
    conv = ctx.conversation
    row = state.load_action(
        ctx.session, ctx.incoming, token, "more", max_age=conv.config.action_max_age
    )
    pages = list((row.data or {}).get("pages", [])) if row else []
    if not page.isdigit() or not 0 < int(page) < len(pages):
        return render.single(_stale())
    index = int(page)
    choices = []
    if index + 1 < len(pages):
        choices.append(Choice(render.MORE_LABEL, f"m:{token}:{index + 1}"))
    return [Reply(pages[index], choices)]


def choice_ask(ctx: Context, rest: str) -> list[Reply]:
    """A suggested question: ask it as if typed."""
    conv = ctx.conversation
    row = state.load_action(
        ctx.session, ctx.incoming, rest, "ask", max_age=conv.config.action_max_age
    )
    query = str((row.data or {}).get("query", "")) if row else ""
    if not query:
        return render.single(_stale())
    answer = conv.knowledge.ask(ctx.session, query, today=ctx.today, unit_id=ctx.person.unit_id)
    return conv.answer_replies(ctx, answer)


def choice_command(ctx: Context, rest: str) -> list[Reply]:
    """A button that runs a command without arguments, e.g. "c:hanchot"."""
    if ctx.conversation.commands.get(rest) is None:
        return render.single(_stale())
    return ctx.conversation.run_command(ctx, rest, "")


def _stale() -> str:
    return render.STALE
