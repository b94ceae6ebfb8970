"""Bursts and oversized bodies against the webhook server: bounded, refused early, recovers.

A burst of 2,000 Zalo webhook updates, 50 at a time, is held by a bounded pipeline (the rest
are told 503 and would be redelivered by the platform); afterwards 5 ordinary messages are all
answered and /healthz is 200. Oversized Telegram webhook bodies are refused before they are
read: the real bot process stays under 300 MB with 50 x 10 MB bodies in flight.
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import threading
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

from bot.runtime import Runtime
from bot.settings import Settings
from bot.wiring import Services
from bot.zalo_adapter import run_zalo
from handlers.conversation import Conversation, ConversationConfig
from tests.fakes.telegram_server import FakeTelegramServer
from tests.fakes.zalo_server import FakeZaloServer
from tests.support.handmade_knowledge import handmade, seeded_engine
from tests.support.subprocess_bot import start_bot, telegram_bot_env

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TOKEN = "4242:burst-test-token"
SECRET = "burst-secret-123"
BURST, AT_ONCE, CAPACITY = 2000, 50, 100


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _until(predicate, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_a_zalo_burst_is_bounded_and_replies_keep_working(tmp_path: Path) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/zalo"
    with FakeZaloServer(TOKEN, max_poll_seconds=0.5) as zalo:
        settings = Settings(
            database_url=f"sqlite:///{tmp_path / 'burst.db'}",
            zalo_bot_token=TOKEN,
            zalo_base_url=zalo.base_url,
            zalo_webhook_url=url,
            zalo_webhook_secret=SECRET,
            zalo_webhook_listen="127.0.0.1",
            zalo_webhook_port=port,
            update_queue_size=CAPACITY,
        )
        engine = seeded_engine(tmp_path / "burst.db")

        def clock() -> datetime:
            return datetime(2026, 11, 22, 9, 0, tzinfo=TZ)

        conversation = Conversation(engine, ConversationConfig(), clock, knowledge=handmade())
        runtime = Runtime(Services(settings, engine, TZ, clock), conversation)
        runner = asyncio.create_task(run_zalo(runtime))
        await _until(lambda: zalo.calls("setWebhook") or runner.done())
        chats = [f"burst{n:03d}" for n in range(200)]
        zalo.known_chats.update(chats + [f"calm{n}" for n in range(5)])
        headers = {"X-Bot-Api-Secret-Token": SECRET}
        statuses: Counter[int] = Counter()
        async with httpx.AsyncClient(timeout=30) as http:
            for start in range(0, BURST, AT_ONCE):
                batch = [
                    http.post(
                        url,
                        headers=headers,
                        json=zalo.text_update(chats[n % len(chats)], "/trogiup"),
                    )
                    for n in range(start, start + AT_ONCE)
                ]
                for answer in await asyncio.gather(*batch):
                    statuses[answer.status_code] += 1
            assert set(statuses) <= {200, 503} and statuses[200] >= CAPACITY, statuses
            assert runtime.health_report() == {"zalo": True}

            give_up = asyncio.get_running_loop().time() + 120
            for n in range(5):  # ordinary messages, delivered again on 503 like the platform
                update = zalo.text_update(f"calm{n}", "/trogiup")
                while (await http.post(url, headers=headers, json=update)).status_code == 503:
                    assert asyncio.get_running_loop().time() < give_up, "queue never drained"
                    await asyncio.sleep(0.2)
            await _until(lambda: all(zalo.sent_texts(f"calm{n}") for n in range(5)), 120)
            health = await http.get(f"http://127.0.0.1:{port}/healthz")
            assert health.status_code == 200, health.text
        accepted = statuses[200]
        answered = len([r for r in zalo.calls("sendMessage") if r.params["chat_id"] in chats])
        runtime.stop.set()
        await asyncio.wait_for(runner, 30)
    print(f"burst {BURST}: {accepted} accepted, {statuses[503]} told 503, {answered} answered")
    assert answered >= accepted  # every accepted update was answered (some in several parts)


async def test_healthz_fails_while_the_channel_cannot_send(tmp_path: Path) -> None:
    port = _free_port()
    zalo = FakeZaloServer(TOKEN).start()
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'h.db'}",
        zalo_bot_token=TOKEN,
        zalo_base_url=zalo.base_url,
        zalo_webhook_url=f"http://127.0.0.1:{port}/zalo",
        zalo_webhook_secret=SECRET,
        zalo_webhook_listen="127.0.0.1",
        zalo_webhook_port=port,
    )
    engine = seeded_engine(tmp_path / "h.db")

    def clock() -> datetime:
        return datetime(2026, 11, 22, 9, 0, tzinfo=TZ)

    runtime = Runtime(
        Services(settings, engine, TZ, clock),
        Conversation(engine, ConversationConfig(), clock, knowledge=handmade()),
    )
    runner = asyncio.create_task(run_zalo(runtime))
    try:
        await _until(lambda: zalo.calls("setWebhook") or runner.done())
        async with httpx.AsyncClient(timeout=10) as http:
            healthz = f"http://127.0.0.1:{port}/healthz"
            assert (await http.get(healthz)).status_code == 200
            zalo.known_chats.add("lost")
            for method in ("sendMessage", "sendChatAction"):  # the platform fails every send
                zalo.fail_next(method, 502, times=1000)
            for n in range(4):
                update = zalo.text_update("lost", f"/trogiup {n}")
                await http.post(
                    f"http://127.0.0.1:{port}/zalo",
                    json=update,
                    headers={"X-Bot-Api-Secret-Token": SECRET},
                )
            await _until(lambda: not runtime.health_report()["zalo"], 60)
            assert (await http.get(healthz)).status_code == 503
    finally:
        runtime.stop.set()
        await asyncio.wait_for(runner, 60)
        zalo.stop()


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def test_oversized_webhook_bodies_are_refused_before_reading(tmp_path: Path) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/tg-hook"
    with FakeTelegramServer() as server:
        env = telegram_bot_env(
            tmp_path,
            server,
            WEBHOOK_URL=url,
            WEBHOOK_SECRET=SECRET,
            WEBHOOK_LISTEN="127.0.0.1",
            WEBHOOK_PORT=str(port),
        )
        log = (tmp_path / "bot.log").open("wb")
        bot = start_bot(env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while "telegram ready" not in (tmp_path / "bot.log").read_text():
                assert bot.poll() is None and time.monotonic() < deadline
                time.sleep(0.05)
            baseline = _peak_rss_mb(bot.pid)
            body = b"{" + b" " * (10 * 1024 * 1024) + b"}"
            statuses: list[int] = []

            def post(n: int) -> None:
                secret = SECRET if n % 2 else "wrong-secret-value"
                chunked = n % 5 == 0  # no Content-Length: refused while streaming
                content = (
                    iter([body[i : i + 65536] for i in range(0, len(body), 65536)])
                    if chunked
                    else body
                )
                try:
                    answer = httpx.post(
                        url,
                        content=content,
                        timeout=60,
                        headers={
                            "X-Telegram-Bot-Api-Secret-Token": secret,
                            "Content-Type": "application/json",
                        },
                    )
                    statuses.append(answer.status_code)
                except httpx.HTTPError:  # the server may close before the upload ends
                    statuses.append(0)

            threads = [threading.Thread(target=post, args=(n,)) for n in range(50)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(120)
            peak = _peak_rss_mb(bot.pid)
            assert bot.poll() is None
        finally:
            bot.terminate()
            bot.wait(30)
            log.close()
    print(
        f"50 x 10 MB bodies: peak RSS {peak:.0f} MB (before: {baseline:.0f} MB), "
        f"{Counter(statuses)}"
    )
    assert peak < 300, peak
    assert set(statuses) <= {403, 413, 0} and (403 in statuses and 413 in statuses), statuses
    assert not server.sent_messages()
