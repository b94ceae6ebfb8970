"""Throughput without losing order or promises: concurrent sends kept in order per chat, a bounded
number in flight (the crash bound), one rate limiter per token, concurrent updates, and answers
composed outside the database's write lock."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from jobs import outbox
from jobs.broadcast import enqueue_broadcast
from jobs.delivery import deliver
from jobs.models import OutboxStatus, ReminderLog
from jobs.senders import ChatLike, RateLimiter, SendOutcome
from knowledge.db import read_session, write_session
from tests.reminder_support import TZ, add_subscribers, add_unit, make_db

NOW = datetime(2027, 1, 8, 9, 0, tzinfo=TZ)


def queue_broadcasts(engine, unit: int, texts: list[str]) -> None:  # type: ignore[no-untyped-def]
    for text in texts:
        with write_session(engine) as session:
            enqueue_broadcast(session, unit_id=unit, text=text, requested_by="test", now=NOW)


class RecordingSender:
    """An in-process sender with a latency; records the order per chat and the peak in flight."""

    channel = "telegram"

    def __init__(self, latency: float = 0.01, *, hang_after: int | None = None) -> None:
        self.latency = latency
        self.hang_after = hang_after  # calls after this many never return (a crash mid-send)
        self.received: dict[str, list[str]] = defaultdict(list)
        self.calls = 0
        self.in_flight = 0
        self.peak = 0

    async def send(self, address: ChatLike, text: str) -> SendOutcome:
        self.calls += 1
        self.received[address.chat_id].append(text)  # the API has it, even if we die now
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            if self.hang_after is not None and self.calls > self.hang_after:
                await asyncio.Event().wait()
            await asyncio.sleep(self.latency * (1 + (int(address.chat_id) % 3)))
        finally:
            self.in_flight -= 1
        return SendOutcome.ok()


async def test_concurrent_sends_keep_each_chats_order(tmp_path: Path) -> None:
    engine = make_db(tmp_path / "a.db")
    unit = add_unit(engine, "Văn phòng Sở")
    add_subscribers(engine, unit, list(range(1, 31)))
    queue_broadcasts(engine, unit, ["tin 1", "tin 2", "tin 3"])
    sender = RecordingSender()
    report = await deliver(
        engine, {"telegram": sender}, {"telegram": RateLimiter(1000)}, now=NOW, concurrency=8
    )
    assert report.sent == 90
    assert 1 < sender.peak <= 8  # really concurrent, never more than the limit in flight
    assert all(texts == ["tin 1", "tin 2", "tin 3"] for texts in sender.received.values())
    assert len(sender.received) == 30


async def test_a_crash_resends_at_most_the_messages_in_flight(tmp_path: Path) -> None:
    engine = make_db(tmp_path / "b.db")
    unit = add_unit(engine, "Văn phòng Sở")
    add_subscribers(engine, unit, list(range(1, 41)))
    queue_broadcasts(engine, unit, ["Thông báo họp"])
    concurrency = 6
    crashed = RecordingSender(hang_after=10)
    task = asyncio.create_task(
        deliver(
            engine,
            {"telegram": crashed},
            {"telegram": RateLimiter(1000)},
            now=NOW,
            concurrency=concurrency,
        )
    )
    deadline = time.monotonic() + 10
    while crashed.calls < 10 + concurrency and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    task.cancel()  # the process dies with `concurrency` sends under way
    with pytest.raises(asyncio.CancelledError):
        await task
    with read_session(engine) as s:
        sending = ReminderLog.status == OutboxStatus.SENDING
        in_flight = s.exec(select(ReminderLog).where(sending)).all()
    assert len(in_flight) == concurrency
    with write_session(engine) as s:
        assert outbox.recover_in_flight(s, now=NOW) == concurrency
    restarted = RecordingSender()
    await deliver(
        engine,
        {"telegram": restarted},
        {"telegram": RateLimiter(1000)},
        now=NOW,
        concurrency=concurrency,
    )
    total = {
        chat: len(crashed.received[chat]) + len(restarted.received[chat])
        for chat in map(str, range(1, 41))
    }
    assert all(n >= 1 for n in total.values())  # nothing lost
    assert sum(n - 1 for n in total.values()) == concurrency  # resent: only those in flight


async def test_a_deferred_message_holds_its_chats_later_messages(tmp_path: Path) -> None:
    engine = make_db(tmp_path / "c.db")
    unit = add_unit(engine, "Văn phòng Sở")
    add_subscribers(engine, unit, [1, 2])
    queue_broadcasts(engine, unit, ["tin 1", "tin 2"])

    class FlakyForChat1(RecordingSender):
        async def send(self, address: ChatLike, text: str) -> SendOutcome:
            if address.chat_id == "1" and text == "tin 1":
                return SendOutcome.transient_error("500")
            return await super().send(address, text)

    async def no_wait(_: float) -> None:
        return None

    sender = FlakyForChat1()
    await deliver(
        engine,
        {"telegram": sender},
        {"telegram": RateLimiter(1000)},
        now=NOW,
        concurrency=4,
        sleep=no_wait,
    )
    assert sender.received["2"] == ["tin 1", "tin 2"]
    assert sender.received["1"] == []  # "tin 2" did not overtake the failed "tin 1"
    later = RecordingSender()
    await deliver(
        engine, {"telegram": later}, {"telegram": RateLimiter(1000)}, now=NOW, concurrency=4
    )
    assert later.received["1"] == []  # still held while "tin 1" waits for its retry time
    with read_session(engine) as s:
        retry_at = min(
            r.next_attempt_at for r in s.exec(select(ReminderLog)) if r.next_attempt_at is not None
        )
    await deliver(
        engine, {"telegram": later}, {"telegram": RateLimiter(1000)}, now=retry_at, concurrency=4
    )
    assert later.received["1"] == ["tin 1", "tin 2"]


# ---------------------------------------------------------------------------- the write lock
class SlowKnowledge:
    """The real answer engine behind a gate: ask() blocks until the test opens it."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.entered = threading.Event()
        self.gate = threading.Event()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def ask(self, session: Any, question: str, **kw: Any) -> Any:
        self.entered.set()
        assert self.gate.wait(20)
        return self._inner.ask(session, question, **kw)


def test_an_answer_is_composed_without_holding_the_write_lock(tmp_path: Path) -> None:
    from handlers.conversation import Conversation, ConversationConfig
    from handlers.types import Incoming
    from jobs.models import Person
    from tests.support.handmade_knowledge import handmade, seeded_engine

    engine = seeded_engine(tmp_path / "lock.db")
    knowledge = SlowKnowledge(handmade())
    conv = Conversation(engine, ConversationConfig(), lambda: NOW, knowledge=knowledge)  # type: ignore[arg-type]
    result: list[Any] = []
    asker = threading.Thread(
        target=lambda: result.append(
            conv.handle(
                Incoming(
                    channel="telegram",
                    chat_id="5",
                    user_id="5",
                    display_name="Lan",
                    text="hạn nộp báo cáo quý",
                    update_id="1",
                )
            )
        )
    )
    asker.start()
    try:
        assert knowledge.entered.wait(10)  # the answer is being composed now

        def other_chat_writes() -> None:
            with write_session(engine) as session:
                session.add(Person(display_name="Người khác"))

        writer = threading.Thread(target=other_chat_writes)
        writer.start()
        writer.join(5)
        assert not writer.is_alive(), "another chat's write waited for the answer composition"
    finally:
        knowledge.gate.set()
        asker.join(20)
    [reply] = result[0]
    assert reply.text.startswith("Trả lời: hạn nộp báo cáo quý")


# ---------------------------------------------------------------------------- Telegram, end to end
async def _until(predicate: Any, timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (value := predicate()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {predicate}")
        await asyncio.sleep(0.02)
    return value


class SleepyKnowledge(SlowKnowledge):
    def ask(self, session: Any, question: str, **kw: Any) -> Any:
        time.sleep(0.4)
        return self._inner.ask(session, question, **kw)


@pytest.fixture
async def telegram_runtime(tmp_path: Path, telegram_server):  # type: ignore[no-untyped-def]
    from bot.runtime import Runtime
    from bot.settings import Settings
    from bot.telegram_adapter import run_telegram
    from bot.wiring import Services
    from handlers.conversation import Conversation, ConversationConfig
    from tests.support.handmade_knowledge import handmade, seeded_engine

    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'tg.db'}",
        telegram_bot_token=telegram_server.token,
        telegram_base_url=telegram_server.base_url,
        telegram_rate_per_second=10.0,
        update_workers=8,
    )
    engine = seeded_engine(tmp_path / "tg.db")
    services = Services(settings=settings, engine=engine, tz=TZ, clock=lambda: NOW)
    conv = Conversation(
        engine, ConversationConfig(), lambda: NOW, knowledge=SleepyKnowledge(handmade())
    )  # type: ignore[arg-type]
    runtime = Runtime(services=services, conversation=conv)
    task = asyncio.create_task(run_telegram(runtime))
    await _until(lambda: "telegram" in runtime.ready or task.done())
    yield runtime, telegram_server
    runtime.stop.set()
    await asyncio.wait_for(task, 10)
    assert telegram_server.errors == []


async def test_updates_of_different_chats_are_answered_concurrently_in_order_per_chat(
    telegram_runtime,  # type: ignore[no-untyped-def]
) -> None:
    _, server = telegram_runtime
    for chat in range(1, 7):
        server.enqueue_message(chat, f"câu hỏi của {chat}")
    for n in (1, 2, 3):
        server.enqueue_message(7, f"câu {n}")
    started = time.monotonic()
    await _until(lambda: len(server.sent_messages()) >= 9)
    elapsed = time.monotonic() - started
    # one at a time: 9 × 0.4 s of composing; concurrently the six chats overlap
    assert elapsed < 2.9, elapsed
    texts = [t for t in server.sent_texts(7)]
    assert [t.split("câu ")[1][:1] for t in texts] == ["1", "2", "3"]


async def test_replies_and_reminders_share_one_rate_limiter(telegram_runtime) -> None:  # type: ignore[no-untyped-def]
    runtime, server = telegram_runtime
    sender, limiter = runtime.senders["telegram"], runtime.limiters["telegram"]
    engine = runtime.services.engine
    add_subscribers(engine, 1, list(range(101, 116)))
    queue_broadcasts(engine, 1, ["Thông báo"])
    mark = len(server.requests)
    for chat in range(201, 216):
        server.enqueue_message(chat, "/trogiup")
    report = await deliver(
        engine, {"telegram": sender}, {"telegram": limiter}, now=NOW, concurrency=8
    )
    assert report.sent == 15
    await _until(lambda: sum(1 for c in range(201, 216) if server.sent_messages(c)) == 15)
    times = sorted(r.at for r in server.requests[mark:] if "chat_id" in r.params)
    assert len(times) >= 30
    # 10/s for the token, replies and reminders together (two limiters would allow 20/s): the
    # calls span at least (n - 1) / 10 s, bar one made-up slot and the arrival jitter
    assert times[-1] - times[0] >= (len(times) - 3) / 10
    busiest = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
    assert busiest <= 10 + 3
    reminder_calls = [
        p
        for p in server.sent_messages()
        if p["chat_id"] in range(101, 116)
        or str(p["chat_id"]) in {str(c) for c in range(101, 116)}
    ]
    assert all(p.get("parse_mode") in (None, "") for p in reminder_calls)  # plain text
