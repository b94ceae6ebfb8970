"""/guitin end to end: the admin confirms, rows land in the reminder outbox, the reminder tick
delivers them through the paced Telegram sender to the fake server, once."""

from __future__ import annotations

from sqlmodel import select

from bot.settings import Settings
from bot.telegram_sender import open_sender
from handlers.conversation import Conversation, ConversationConfig
from handlers.types import ContentKind, Incoming
from jobs.broadcast import enqueue_broadcast
from jobs.models import ChatAddress, ReminderKind, ReminderLog
from jobs.planner import PlannerConfig
from jobs.tick import run_tick
from knowledge.db import read_session, write_session
from tests.fakes.telegram_server import FakeTelegramServer
from tests.reminder_support import add_subscribers, add_unit, local
from tests.support.handmade_knowledge import handmade


async def test_guitin_is_delivered_once_through_the_outbox(
    db_engine, telegram_server: FakeTelegramServer
) -> None:
    engine = db_engine
    tccb = add_unit(engine, "Phòng Tổ chức cán bộ", "TCCB")
    vp = add_unit(engine, "Văn phòng Sở", "VP")
    add_subscribers(engine, tccb, [11, 12])
    add_subscribers(engine, vp, [21])
    add_subscribers(engine, tccb, [31], channel="console")  # unreachable: not queued
    with write_session(engine) as session:  # a chat that blocked the bot is skipped
        session.exec(select(ChatAddress).where(ChatAddress.chat_id == "12")).one().active = False
    now = local(2026, 11, 23, 9, 0)
    conv = Conversation(
        engine,
        ConversationConfig(admin_ids=frozenset({"900"})),
        lambda: now,
        knowledge=handmade(),
        broadcaster=enqueue_broadcast,
    )

    admin = Incoming(
        "telegram", "900", "900", "Admin", text="/guitin tatca | Họp giao ban <b>8h</b> & báo cáo"
    )
    prompt = conv.handle(admin)[0]
    assert "Gửi tới 2 cuộc trò chuyện" in prompt.text
    confirm = Incoming(
        "telegram", "900", "900", "Admin", kind=ContentKind.CHOICE, text=prompt.choices[0].payload
    )
    assert "Đã xếp hàng gửi tới 2" in conv.handle(confirm)[0].text
    with read_session(engine) as session:
        rows = session.exec(select(ReminderLog)).all()
        assert {(r.chat_id, r.kind) for r in rows} == {
            ("11", ReminderKind.BROADCAST),
            ("21", ReminderKind.BROADCAST),
        }

    settings = Settings(
        telegram_bot_token=telegram_server.token, telegram_base_url=telegram_server.base_url
    )
    config = PlannerConfig.from_settings(settings)
    async with open_sender(settings) as sender:
        first = await run_tick(
            engine, {"telegram": sender}, config, now=now, loader=lambda s, a, b: []
        )
        second = await run_tick(
            engine, {"telegram": sender}, config, now=now, loader=lambda s, a, b: []
        )
    assert (first.sent, second.sent) == (2, 0)
    texts = {str(p["chat_id"]): p["text"] for p in telegram_server.sent_messages()}
    assert texts == {
        "11": "Họp giao ban <b>8h</b> & báo cáo",
        "21": "Họp giao ban <b>8h</b> & báo cáo",
    }
    assert "parse_mode" not in telegram_server.sent_messages()[0]  # plain text: nothing to escape
    assert telegram_server.errors == []
