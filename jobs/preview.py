"""`reminders --dry-run` explained: who each planned message goes to, and, when nothing would be
sent, what each unit's first subscriber would get or why nothing is due."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import select

from jobs import outbox
from jobs.audience import expanded, load_subscribers
from jobs.broadcast import UNREACHABLE_CHANNELS
from jobs.done import done_keys
from jobs.models import Person
from jobs.planner import PlannedReminder, PlannerConfig, Subscriber, plan
from knowledge.db import read_session
from knowledge.deadlines import load_occurrences


@dataclass(frozen=True)
class DryRunSample:
    """What one unit's first subscriber would receive if their chat could be reached."""

    unit_name: str
    recipient: str  # "console:local (Nguyễn Văn A)"
    why_not_sent: str
    reminders: tuple[PlannedReminder, ...]


def recipient_label(reminder: PlannedReminder, names: dict[int, str]) -> str:
    who = names.get(reminder.person_id, "")
    address = f"{reminder.address.channel}:{reminder.address.chat_id}"
    return f"{address} ({who})" if who else address


def person_names(engine: Engine) -> dict[int, str]:
    with read_session(engine) as session:
        return {p.id: p.display_name for p in session.exec(select(Person)) if p.id is not None}


def _why_unreachable(sub: Subscriber) -> str:
    if not sub.reminders_enabled:
        return "người này đã tắt nhắc hạn (/nhacnho tat)"
    channels = {a.channel for a in sub.addresses}
    if channels <= UNREACHABLE_CHANNELS:
        return "chỉ dùng bot trên console, kênh này không nhận tin nhắc"
    if not any(a.active for a in sub.addresses):
        return "cuộc trò chuyện đã chặn bot"
    return "đã nhận tin này rồi"


def first_subscriber_samples(
    engine: Engine, config: PlannerConfig, *, now: datetime
) -> list[DryRunSample]:
    """Per unit, the reminders its first subscriber would get now, as if reachable and unsent."""
    today = now.astimezone(config.tz).date()
    with read_session(engine) as session:
        occurrences = expanded(
            session,
            load_occurrences(
                session,
                today - timedelta(days=config.lookback_days),
                today + timedelta(days=config.lookahead_days),
            ),
        )
        subscribers = load_subscribers(session)
        done = done_keys(session, [o.key for o in occurrences])
        sent = outbox.existing_keys(session, [o.key for o in occurrences])
    names = person_names(engine)
    firsts: dict[int, Subscriber] = {}
    for sub in subscribers:
        firsts.setdefault(sub.unit_id, sub)
    samples = []
    for sub in firsts.values():
        reachable = tuple(replace(a, active=True, channel="preview") for a in sub.addresses[:1])
        stand_in = replace(sub, addresses=reachable, reminders_enabled=True)
        planned = plan(now, occurrences, [stand_in], config, frozenset(), done)
        if not planned:
            continue
        really = plan(now, occurrences, [sub], config, sent, done)
        why = "" if really else _why_unreachable(sub)
        address = sub.addresses[0]
        who = names.get(sub.person_id, "")
        label = f"{address.channel}:{address.chat_id}" + (f" ({who})" if who else "")
        samples.append(DryRunSample(sub.unit_name, label, why, tuple(planned)))
    return samples


def why_nothing(engine: Engine, config: PlannerConfig, *, now: datetime) -> list[str]:
    """Vietnamese reasons why a dry run plans nothing."""
    local = now.astimezone(config.tz)
    reasons = []
    if not config.in_office_hours(local):
        reasons.append(
            f"{local:%d/%m/%Y %H:%M} ngoài giờ hành chính: tin nhắc chỉ được lập "
            f"trong ngày làm việc, {config.office_start:%H:%M}–{config.office_end:%H:%M}."
        )
    with read_session(engine) as session:
        subscribers = load_subscribers(session)
        today = local.date()
        upcoming = load_occurrences(
            session,
            today - timedelta(days=config.lookback_days),
            today + timedelta(days=config.lookahead_days),
        )
    if not subscribers:
        reasons.append("Chưa có ai chọn đơn vị (/donvi) nên chưa có người nhận tin nhắc.")
    elif all({a.channel for a in s.addresses} <= UNREACHABLE_CHANNELS for s in subscribers):
        reasons.append(
            "Mọi người nhận đều chỉ dùng console; kênh này không nhận tin nhắc "
            "(cần Telegram hoặc Zalo)."
        )
    if not upcoming:
        reasons.append(
            f"Không có hạn chót nào trong {config.lookahead_days} ngày tới "
            f"hoặc {config.lookback_days} ngày qua."
        )
    if not reasons:
        reasons.append(
            "Các tin đến hạn lúc này đều đã được gửi, đã được đánh dấu hoàn thành, "
            "hoặc chưa tới lần nhắc tiếp theo (7, 3, 1 ngày trước hạn và đúng ngày)."
        )
    return reasons
