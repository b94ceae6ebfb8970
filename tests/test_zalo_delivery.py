"""Reminders through the real ZaloSender against the fake Zalo server: no duplicate, no loss."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date

import pytest
from sqlmodel import select

from bot.zalo_client import ZaloClient
from bot.zalo_sender import ZaloSender
from jobs.models import ChatAddress, OutboxStatus, ReminderLog
from jobs.planner import PlannerConfig
from jobs.senders import RateLimiter
from jobs.tick import run_tick
from knowledge.db import read_session
from tests.fakes.zalo_server import FakeZaloServer
from tests.reminder_support import (
    TZ,
    add_subscribers,
    add_unit,
    loader_of,
    local,
    make_db,
    occurrence,
)

CONFIG = PlannerConfig(tz=TZ)
CHATS = ["za1", "za2", "za3", "za4"]
NOW = local(2027, 1, 8, 8, 5)  # 7 days before 15/01/2027
TOKEN = "777:zalo-delivery-token"


@pytest.fixture
def zalo():
    with FakeZaloServer(TOKEN) as server:
        server.known_chats.update(CHATS)
        yield server


@pytest.fixture
def world(tmp_path):  # type: ignore[no-untyped-def]
    engine = make_db(tmp_path / "z.db")
    unit = add_unit(engine, "Văn phòng Sở", "VP")
    add_subscribers(engine, unit, CHATS, channel="zalo")
    return engine, loader_of([occurrence((unit,), date(2027, 1, 15))])


async def tick(engine, server, loader, now=NOW):  # type: ignore[no-untyped-def]
    async with ZaloClient(TOKEN, server.base_url) as client:
        sender = ZaloSender(client, quota_wait=0.2)
        return await run_tick(
            engine,
            {"zalo": sender},
            CONFIG,
            now=now,
            limiters={"zalo": RateLimiter(500)},
            loader=loader,
        )


def per_chat(server: FakeZaloServer) -> Counter:
    return Counter(str(r.params["chat_id"]) for r in server.calls("sendMessage"))


async def test_sent_once_and_second_tick_sends_nothing(world, zalo) -> None:
    engine, loader = world
    report = await tick(engine, zalo, loader)
    assert (report.sent, report.failed) == (4, 0)
    again = await tick(engine, zalo, loader)
    assert again.sent == 0
    assert per_chat(zalo) == Counter({c: 1 for c in CHATS})
    text = zalo.sent_texts("za1")[0]
    assert "15/01/2027" in text and len(text) <= 2000 and "<b>" not in text


async def test_429_backs_off_and_retries_without_loss(world, zalo) -> None:
    engine, loader = world
    zalo.fail_next("sendMessage", 429, times=2)
    report = await tick(engine, zalo, loader)
    assert report.sent == 4 and report.delivery.rate_limited == 2
    assert per_chat(zalo) == Counter({c: 1 for c in CHATS})


async def test_429_as_ok_false_in_http_200_is_also_retried(world, zalo) -> None:
    engine, loader = world
    zalo.fail_next("sendMessage", 429, http=False)
    report = await tick(engine, zalo, loader)
    assert report.sent == 4
    assert per_chat(zalo) == Counter({c: 1 for c in CHATS})


async def test_403_marks_the_chat_inactive_and_the_rest_go_out(world, zalo) -> None:
    engine, loader = world
    zalo.blocked_chats.add("za2")
    report = await tick(engine, zalo, loader)
    assert report.sent == 3 and report.failed == 1
    with read_session(engine) as session:
        blocked = session.exec(select(ChatAddress).where(ChatAddress.chat_id == "za2")).one()
        assert blocked.active is False
    assert per_chat(zalo) == Counter({"za1": 1, "za3": 1, "za4": 1})
    again = await tick(engine, zalo, loader)
    assert again.sent == 0 and per_chat(zalo)["za2"] == 0


async def test_server_errors_leave_reminders_pending_for_the_next_tick(world, zalo) -> None:
    engine, loader = world
    zalo.fail_next("sendMessage", 500, times=50)
    first = await tick(engine, zalo, loader)
    assert first.sent < 4
    with read_session(engine) as session:
        statuses = Counter(r.status for r in session.exec(select(ReminderLog)))
    assert statuses[OutboxStatus.FAILED] == 0  # nothing dropped
    zalo._failures.clear()
    later = local(2027, 1, 8, 9, 30)
    second = await tick(engine, zalo, loader, now=later)
    assert first.sent + second.sent == 4
    assert per_chat(zalo) == Counter({c: 1 for c in CHATS})


async def test_linked_person_is_reminded_once_unless_every_channel_is_asked(
    tmp_path, zalo, telegram_server
) -> None:
    from datetime import datetime

    from telegram import Bot

    from bot.telegram_sender import TelegramSender
    from handlers import linking
    from knowledge.db import write_session

    engine = make_db(tmp_path / "linked.db")
    unit = add_unit(engine, "Phòng Tổ chức cán bộ", "TCCB")
    add_subscribers(engine, unit, ["za1"], channel="zalo")
    add_subscribers(engine, unit, ["7001"], channel="telegram")
    occurrences = [
        occurrence((unit,), date(2027, 1, 15)),
        occurrence((unit,), date(2027, 1, 29), deadline_id=2),
    ]
    loader = loader_of(occurrences)
    moment = datetime(2026, 12, 1, tzinfo=UTC)

    def link(channel: str, chat: str, args: str) -> str:
        with write_session(engine) as session:
            address = session.exec(
                select(ChatAddress).where(
                    ChatAddress.channel == channel, ChatAddress.chat_id == chat
                )
            ).one()
            return linking.link_command(session, address=address, args=args, now=moment)

    code = link("zalo", "za1", "").split("Mã liên kết của bạn: ")[1][:6]
    assert "Đã liên kết" in link("telegram", "7001", code)

    async def both(now):  # type: ignore[no-untyped-def]
        async with (
            ZaloClient(TOKEN, zalo.base_url) as client,
            Bot(telegram_server.token, base_url=telegram_server.base_url) as tg,
        ):
            senders = {"zalo": ZaloSender(client), "telegram": TelegramSender(tg)}
            limiters = {"zalo": RateLimiter(500), "telegram": RateLimiter(500)}
            return await run_tick(
                engine, senders, CONFIG, now=now, limiters=limiters, loader=loader
            )

    await both(NOW)  # 7 days before 15/01: one person, one primary chat (Zalo issued the code)
    assert len(zalo.sent_texts("za1")) == 1 and telegram_server.sent_texts(7001) == []
    await both(NOW)
    assert len(zalo.sent_texts("za1")) == 1 and telegram_server.sent_texts(7001) == []
    assert "mọi kênh" in link("telegram", "7001", "cahai")
    await both(local(2027, 1, 22, 8, 5))  # 7 days before 29/01: now on both channels
    later = [
        t for t in zalo.sent_texts("za1") + telegram_server.sent_texts(7001) if "29/01/2027" in t
    ]
    assert (
        len(later) == 2 and sum("29/01/2027" in t for t in telegram_server.sent_texts(7001)) == 1
    )
