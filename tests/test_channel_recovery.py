"""kill -9 with a backlog, restart: every stored update is answered exactly once.

The real `python -m bot` in a subprocess against the fake Telegram and Zalo servers; the counts
are taken on what the fake servers received.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from tests.fakes.telegram_server import FakeTelegramServer
from tests.fakes.zalo_server import FakeZaloServer
from tests.support.subprocess_bot import bot_env, start_bot, telegram_bot_env

QUESTION = "han nop ke hoach cchc"
WORKERS = 2
# There is no idempotent send on either platform: an update whose reply was on the wire when
# the process died cannot be known to have been delivered, so it is sent again. At most the
# updates in the workers' hands at the kill (UPDATE_WORKERS) may be answered twice; every other
# stored update is answered exactly once, and none is lost.


def _check_once(per_chat: dict, chats: list) -> None:  # type: ignore[type-arg]
    assert all(per_chat.get(chat, 0) >= 1 for chat in chats), per_chat  # none lost
    twice = [chat for chat in chats if per_chat[chat] > 1]
    assert len(twice) <= WORKERS, per_chat
    assert all(per_chat[chat] == 2 for chat in twice), per_chat


ZALO_TOKEN = "3090077098:ZaloRecoveryTokenAbcdefghijklmnop"


class Bot:
    """`python -m bot` with its output in a file."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log_path = log
        self._log = log.open("ab")
        self.proc = start_bot(env, stdout=self._log, stderr=subprocess.STDOUT)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_log(self, needle: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.log():
            assert self.proc.poll() is None, self.log()
            assert time.monotonic() < deadline, f"{needle!r} not logged:\n{self.log()}"
            time.sleep(0.05)

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)
        self._log.close()

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(30)
        self._log.close()
        return code


def _until(predicate, timeout: float = 120.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_telegram_polling_backlog_survives_kill_9(tmp_path: Path) -> None:
    chats = list(range(5001, 5061))  # 60 chats, one question each
    with FakeTelegramServer() as server:
        env = telegram_bot_env(tmp_path, server, UPDATE_WORKERS=str(WORKERS))
        first = Bot(env, tmp_path / "bot.log")
        first.wait_log("telegram ready")
        for chat in chats:
            server.enqueue_message(chat, QUESTION)
        _until(lambda: len({m["chat_id"] for m in server.sent_messages()}) >= 3)
        first.kill()
        answered_before = len({m["chat_id"] for m in server.sent_messages()})
        assert answered_before < len(chats), "no backlog left at the kill: the test proves nothing"

        second = Bot(env, tmp_path / "bot2.log")
        _until(lambda: {int(m["chat_id"]) for m in server.sent_messages()} >= set(chats))
        server.wait_until_consumed(timeout=30)
        time.sleep(1.0)  # a duplicate would arrive now
        assert second.stop() == 0, second.log()
        per_chat = Counter(int(m["chat_id"]) for m in server.sent_messages())
    _check_once(per_chat, chats)
    print(
        f"telegram polling: {len(chats)} updates, {answered_before} answered before kill -9, "
        f"all answered after restart, twice: {sum(n > 1 for n in per_chat.values())}"
    )


def test_zalo_webhook_backlog_survives_kill_9(tmp_path: Path) -> None:
    port = _free_port()
    secret = "recovery-secret-123"
    url = f"http://127.0.0.1:{port}/zalo-hook"
    chats = [f"zchat{n:03d}" for n in range(30)]
    with FakeZaloServer(ZALO_TOKEN, max_poll_seconds=1.0) as zalo:
        zalo.known_chats.update(chats)
        env = bot_env(
            tmp_path,
            ZALO_BOT_TOKEN=ZALO_TOKEN,
            ZALO_BASE_URL=zalo.base_url,
            ZALO_WEBHOOK_URL=url,
            ZALO_WEBHOOK_SECRET=secret,
            ZALO_WEBHOOK_LISTEN="127.0.0.1",
            ZALO_WEBHOOK_PORT=str(port),
            UPDATE_WORKERS=str(WORKERS),
        )
        first = Bot(env, tmp_path / "bot.log")
        first.wait_log("Zalo webhook registered")
        updates = [zalo.text_update(chat, QUESTION, message_id=f"m-{chat}") for chat in chats]
        with httpx.Client(timeout=10) as http, ThreadPoolExecutor(len(updates)) as pool:
            answers = list(
                pool.map(  # each 200 means: stored, the platform will not resend
                    lambda u: http.post(url, json=u, headers={"X-Bot-Api-Secret-Token": secret}),
                    updates,
                )
            )
        first.kill()
        assert [a.status_code for a in answers] == [200] * len(updates)
        answered_before = len({r.params["chat_id"] for r in zalo.calls("sendMessage")})
        assert answered_before < len(chats), "no backlog left at the kill"

        second = Bot(env, tmp_path / "bot2.log")
        second.wait_log("Zalo webhook registered")
        with httpx.Client(timeout=10) as http:  # the platform may redeliver: still one answer
            for update in updates[:5]:
                http.post(url, json=update, headers={"X-Bot-Api-Secret-Token": secret})
        _until(lambda: all(zalo.sent_texts(chat) for chat in chats))
        time.sleep(1.0)
        assert second.stop() == 0, second.log()
        per_chat = {chat: len(zalo.sent_texts(chat)) for chat in chats}
    _check_once(per_chat, chats)
    assert "resuming" in second.log(), second.log()
    print(
        f"zalo webhook: {len(chats)} updates acknowledged, {answered_before} answered before "
        f"kill -9, all answered after restart, twice: {sum(n > 1 for n in per_chat.values())}"
    )
