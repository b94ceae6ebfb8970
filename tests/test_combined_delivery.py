"""Several reminders due for one chat in one tick travel as one message: against the fake Bot
API."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlmodel import select

from bot.channels import message_limits
from jobs import combine, outbox
from jobs.models import ChatAddress, OutboxStatus, ReminderKind, ReminderLog
from jobs.planner import PlannerConfig, reminder_text
from jobs.tick import run_tick
from knowledge.db import read_session, write_session
from tests.reminder_support import (
    TZ,
    add_subscribers,
    add_unit,
    loader_of,
    local,
    occurrence,
    outbox_statuses,
    sends_per_chat,
    telegram_tick,
)

CONFIG = PlannerConfig(tz=TZ)
CHATS = [3001, 3002, 3003]
NOW = local(2027, 1, 8, 8, 5)  # 7 days before 15/01/2027
TITLES = ("Báo cáo quý kết quả CCHC", "Báo cáo 6 tháng kết quả CCHC", "Báo cáo năm kết quả CCHC")


@pytest.fixture
def world(db_engine):  # type: ignore[no-untyped-def]
    engine = db_engine
    unit = add_unit(engine, "Văn phòng Sở", "VP")
    add_subscribers(engine, unit, CHATS)
    occurrences = [
        occurrence((unit,), date(2027, 1, 15), deadline_id=i + 1, title=title)
        for i, title in enumerate(TITLES)
    ]
    return engine, loader_of(occurrences)


async def tick(engine, server, loader, now=NOW):  # type: ignore[no-untyped-def]
    return await telegram_tick(engine, server, loader, now, CONFIG)


per_chat = sends_per_chat
statuses = outbox_statuses


async def test_three_reminders_due_together_are_one_message_per_chat(
    world, telegram_server
) -> None:
    engine, loader = world
    report = await tick(engine, telegram_server, loader)
    assert (report.due, report.sent, report.failed) == (9, 9, 0)
    assert report.delivery.messages == 3
    assert per_chat(telegram_server) == Counter({c: 1 for c in CHATS})
    text = telegram_server.sent_texts(3001)[0]
    # same day, same sentence of the same plan: one reminder naming the three
    assert text.startswith(
        "Nhắc hạn: Báo cáo quý kết quả CCHC (năm 2027), Báo cáo 6 tháng kết "
        "quả CCHC (năm 2027) và Báo cáo năm kết quả CCHC (năm 2027)\n"
    )
    assert text.count("Hạn: 15/01/2027 (còn 7 ngày)") == 1
    assert text.count("Nguồn: Kế hoạch CCHC năm 2025, mục Phụ lục") == 1
    assert text.count("/xong") == 1
    # every reminder keeps its own idempotency row, all sent; the next tick sends nothing
    assert statuses(engine) == Counter({OutboxStatus.SENT: 9})
    again = await tick(engine, telegram_server, loader)
    assert (again.due, again.sent) == (0, 0) and len(telegram_server.sent_messages()) == 3


async def test_a_crash_after_claiming_resends_the_one_combined_message_once(
    world, telegram_server
) -> None:
    engine, loader = world
    # A first run plans and enqueues, claims chat 3002's message, then dies before the send.
    await run_tick(engine, {}, CONFIG, now=NOW, loader=loader)  # no channel: enqueue only
    with write_session(engine) as s:
        batches = outbox.due_batches(
            s, now=NOW, limits={"telegram": message_limits()["telegram"]}
        )["telegram"]
        assert [len(b) for b in batches] == [3, 3, 3]  # one message per chat, three rows each
        rows = {r.id: r.chat_id for r in s.exec(select(ReminderLog))}
        in_flight = next(b for b in batches if rows[b[0]] == "3002")
        claimed = outbox.claim(s, in_flight, now=NOW)
        assert claimed is not None and claimed.ids == tuple(in_flight)
    assert statuses(engine) == Counter({OutboxStatus.PENDING: 6, OutboxStatus.SENDING: 3})

    report = await tick(engine, telegram_server, loader)
    assert report.recovered == 1 and report.sent == 9
    assert per_chat(telegram_server) == Counter({c: 1 for c in CHATS})
    assert statuses(engine) == Counter({OutboxStatus.SENT: 9})
    assert (await tick(engine, telegram_server, loader)).sent == 0
    assert len(telegram_server.sent_messages()) == 3


async def test_a_failed_combined_message_leaves_all_its_rows_pending(
    world, telegram_server
) -> None:
    engine, loader = world
    telegram_server.fail_next("sendMessage", "500", chat_id=3002, times=3)
    first = await tick(engine, telegram_server, loader)
    assert (first.sent, first.deferred) == (6, 3)
    with read_session(engine) as s:
        pending = s.exec(
            select(ReminderLog).where(ReminderLog.status == OutboxStatus.PENDING)
        ).all()
    assert len(pending) == 3 and {r.chat_id for r in pending} == {"3002"}
    later = await tick(engine, telegram_server, loader, now=NOW + timedelta(minutes=5))
    assert later.sent == 3 and later.delivery.messages == 1
    assert per_chat(telegram_server) == Counter({c: 1 for c in CHATS})
    assert statuses(engine) == Counter({OutboxStatus.SENT: 9})


async def test_403_on_a_combined_message_fails_its_rows_and_deactivates_the_chat(
    world, telegram_server
) -> None:
    engine, loader = world
    telegram_server.fail_next("sendMessage", "403", chat_id=3003)
    report = await tick(engine, telegram_server, loader)
    assert (report.sent, report.failed) == (6, 3)
    with read_session(engine) as s:
        assert (
            s.exec(select(ChatAddress).where(ChatAddress.chat_id == "3003")).one().active is False
        )
        failed = s.exec(select(ReminderLog).where(ReminderLog.status == OutboxStatus.FAILED)).all()
    assert len(failed) == 3 and all(r.last_error.startswith("403") for r in failed)
    assert len(telegram_server.sent_messages()) == 2


async def test_many_long_reminders_split_into_several_messages_within_the_limit(
    db_engine, telegram_server
) -> None:
    engine = db_engine
    unit = add_unit(engine, "Văn phòng Sở", "VP")
    add_subscribers(engine, unit, [4001])
    base = occurrence((unit,), date(2027, 1, 15))
    occurrences = [
        replace(base, deadline_id=i, title=f"Việc số {i}", quote=f"Trích dẫn {i} " * 60)
        for i in range(1, 13)
    ]
    report = await tick(engine, telegram_server, loader_of(occurrences))
    assert report.sent == 12
    texts = telegram_server.sent_texts(4001)
    assert 1 < len(texts) < 12
    assert all(len(t) <= combine.limit_for("telegram", message_limits()) for t in texts)
    joined = "\n".join(texts)
    assert all(joined.count(f". Việc số {i} (năm 2027)\n") == 1 for i in range(1, 13))
    assert statuses(engine) == Counter({OutboxStatus.SENT: 12})


def test_combine_keeps_a_single_text_and_never_merges_broadcasts() -> None:
    occ = occurrence((1,), date(2027, 1, 15))
    single = reminder_text(occ, "Văn phòng Sở", ReminderKind.BEFORE, date(2027, 1, 8))
    assert combine.combine_texts([single]) == single
    overdue = reminder_text(
        replace(occ, deadline_id=2, title="Dự trù kinh phí"),
        "Văn phòng Sở",
        ReminderKind.OVERDUE,
        date(2027, 1, 18),
    )
    both = combine.combine_texts([single, overdue])
    assert "1. Nộp kế hoạch CCHC năm" in both and "2. QUÁ HẠN: Dự trù kinh phí" in both
    assert "đã quá hạn 3 ngày" in both and "chỉ gửi một lần" in both
    rows = [(1, "a", single), (2, None, "Thông báo họp"), (3, "a", overdue), (4, "b", single)]
    assert combine.batches(rows, 4000) == [[1, 3], [2], [4]]
    assert combine.batches(rows, 10) == [[1], [3], [2], [4]]
