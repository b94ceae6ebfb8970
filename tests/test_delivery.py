"""Delivery through the real TelegramSender against the fake Bot API: no duplicate, no loss."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from sqlmodel import select

from jobs.models import ChatAddress, OutboxStatus, ReminderLog
from jobs.planner import PlannerConfig
from knowledge.db import read_session
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
CHATS = [1001, 1002, 1003, 1004, 1005, 1006]
NOW = local(2027, 1, 8, 8, 5)  # 7 days before 15/01/2027


@pytest.fixture
def world(db_engine):  # type: ignore[no-untyped-def]
    engine = db_engine
    unit = add_unit(engine, "Văn phòng Sở", "VP")
    add_subscribers(engine, unit, CHATS)
    return engine, loader_of([occurrence((unit,), date(2027, 1, 15))])


async def tick(engine, server, loader, now=NOW):  # type: ignore[no-untyped-def]
    return await telegram_tick(engine, server, loader, now, CONFIG)


per_chat = sends_per_chat
statuses = outbox_statuses


async def test_broadcast_once_and_second_tick_sends_nothing(world, telegram_server) -> None:
    engine, loader = world
    report = await tick(engine, telegram_server, loader)
    assert (report.due, report.sent, report.failed) == (6, 6, 0)
    again = await tick(engine, telegram_server, loader)
    assert (again.due, again.sent) == (0, 0)
    assert per_chat(telegram_server) == Counter({c: 1 for c in CHATS})
    text = telegram_server.sent_texts(1001)[0]
    assert "15/01/2027" in text and "còn 7 ngày" in text and "/xong" in text
    assert telegram_server.errors == []


async def test_429_waits_retry_after_and_sends_once(world, telegram_server) -> None:
    engine, loader = world
    telegram_server.fail_next("sendMessage", "429", chat_id=1003, retry_after=1)
    report = await tick(engine, telegram_server, loader)
    assert report.sent == 6 and report.delivery.rate_limited == 1
    assert per_chat(telegram_server) == Counter({c: 1 for c in CHATS})
    attempts = [r for r in telegram_server.requests if r.method == "sendMessage"]
    flood = next(i for i, r in enumerate(attempts) if r.outcome == "429")
    assert (
        attempts[flood + 1].at - attempts[flood].at >= 0.9
    )  # waited retry_after before sending on


async def test_500_backs_off_stays_pending_then_next_tick_sends(world, telegram_server) -> None:
    engine, loader = world
    telegram_server.fail_next("sendMessage", "500", chat_id=1002, times=3)
    first = await tick(engine, telegram_server, loader)
    assert (first.sent, first.deferred) == (5, 1)
    assert statuses(engine)[OutboxStatus.PENDING] == 1
    same_time = await tick(engine, telegram_server, loader)  # backing off: not yet
    assert same_time.sent == 0
    later = await tick(engine, telegram_server, loader, now=NOW + timedelta(minutes=5))
    assert later.sent == 1
    assert per_chat(telegram_server) == Counter({c: 1 for c in CHATS})
    assert statuses(engine) == Counter({OutboxStatus.SENT: 6})


async def test_403_marks_chat_inactive_and_continues(world, telegram_server) -> None:
    engine, loader = world
    telegram_server.fail_next("sendMessage", "403", chat_id=1004)
    report = await tick(engine, telegram_server, loader)
    assert (report.sent, report.failed) == (5, 1)
    with read_session(engine) as s:
        chat = s.exec(select(ChatAddress).where(ChatAddress.chat_id == "1004")).one()
        assert chat.active is False
        failed = s.exec(select(ReminderLog).where(ReminderLog.status == OutboxStatus.FAILED)).one()
        assert failed.chat_id == "1004" and failed.last_error.startswith("403")
    # Later reminders are not even planned for the blocked chat.
    later = await tick(engine, telegram_server, loader, now=local(2027, 1, 12, 8, 0))
    assert later.sent == 5
    assert 1004 not in {int(p["chat_id"]) for p in telegram_server.sent_messages()[6:]}


async def test_dropped_connection_mid_broadcast_no_loss_no_duplicate(
    world, telegram_server
) -> None:
    engine, loader = world
    telegram_server.fail_next("sendMessage", "drop", chat_id=1005)
    report = await tick(engine, telegram_server, loader)
    assert report.sent == 6
    assert [r.outcome for r in telegram_server.requests if r.method == "sendMessage"].count(
        "drop"
    ) == 1
    assert per_chat(telegram_server) == Counter({c: 1 for c in CHATS})


async def test_whole_channel_down_leaves_everything_pending(world, telegram_server) -> None:
    engine, loader = world
    telegram_server.fail_next("sendMessage", "500", times=100)
    report = await tick(engine, telegram_server, loader)
    assert report.sent == 0 and report.deferred == 3  # stops after 3 messages in a row fail
    assert statuses(engine)[OutboxStatus.PENDING] == 6
