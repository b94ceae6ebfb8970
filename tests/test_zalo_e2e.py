"""The real `python -m bot` as a subprocess against the fake Zalo (and Telegram) servers.

Asserts on what the fake servers received: a full Zalo conversation, the webhook path,
reminders via `python -m bot reminders --now`, and account linking across both channels.
"""

from __future__ import annotations

import importlib.util
import re
import signal
import socket
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest
from sqlmodel import select

from tests.fakes.telegram_server import FakeTelegramServer
from tests.fakes.zalo_server import FakeZaloServer
from tests.support.subprocess_bot import bot_env, run_bot, start_bot

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "3090077098:ZaloE2eTokenAbcdefghijklmnopqrstuvwxyz"
KNOWLEDGE = ("knowledge.ingest.importer", "knowledge.qa", "knowledge.deadlines", "knowledge.units")


def _missing(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is None
    except ModuleNotFoundError:
        return True


pytestmark = pytest.mark.skipif(
    any(_missing(m) for m in KNOWLEDGE),
    reason="needs the knowledge layer (branches ingest and answer) merged",
)


class BotProcess:
    """`python -m bot [args]` with its stderr collected in a file."""

    def __init__(self, env: dict[str, str], tmp_path: Path, *args: str) -> None:
        self.log_path = tmp_path / f"bot-{time.monotonic_ns()}.log"
        self._log = self.log_path.open("wb")
        self.proc = start_bot(env, *args, stdout=self._log, stderr=subprocess.STDOUT)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_log(self, needle: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.log():
            if self.proc.poll() is not None:
                raise AssertionError(f"bot exited ({self.proc.returncode}):\n{self.log()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"{needle!r} not logged in {timeout}s:\n{self.log()}")
            time.sleep(0.05)

    def terminate(self, timeout: float = 15.0) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            self._log.close()
        return code


@pytest.fixture
def zalo() -> Iterator[FakeZaloServer]:
    with FakeZaloServer(TOKEN, max_poll_seconds=1.0) as server:
        yield server


def _option(text: str, index: int = 1) -> tuple[str, str]:
    """(digit, label) of a numbered option in a rendered message."""
    options = re.findall(r"^(\d+)\. (.+)$", text, flags=re.MULTILINE)
    assert options, text
    return options[index - 1]


def _choose_unit(zalo: FakeZaloServer, chat: str, sent_before: int) -> str:
    zalo.push_update(zalo.text_update(chat, "/start"))
    texts = zalo.wait_for_texts(chat, sent_before + 1, timeout=30)
    digit, label = _option(texts[-1])
    zalo.push_update(zalo.text_update(chat, digit))
    texts = zalo.wait_for_texts(chat, sent_before + 2, timeout=30)
    assert label.split(" (")[0][:15] in texts[-1], texts[-1]
    return label


def test_full_zalo_scenario_over_long_polling(tmp_path: Path, zalo: FakeZaloServer) -> None:
    env = bot_env(tmp_path, ZALO_BOT_TOKEN=TOKEN, ZALO_BASE_URL=zalo.base_url)
    bot = BotProcess(env, tmp_path)
    try:
        bot.wait_log("Zalo long polling started")
        chat = "8c1f0a2b3d4e5f60"
        _choose_unit(zalo, chat, 0)

        zalo.push_update(
            zalo.text_update(chat, "phong to chuc can bo phai lam gi", message_id="q-1")
        )
        texts = zalo.wait_for_texts(chat, 3, timeout=60)
        answer = "\n".join(texts[2:])
        assert "Xem thêm" in answer, answer
        digit = next(
            d
            for d, label in re.findall(r"^(\d+)\. (.+)$", answer, re.MULTILINE)
            if "Xem thêm" in label
        )
        # the same message delivered again (same message_id) is answered once
        zalo.push_update(
            zalo.text_update(chat, "phong to chuc can bo phai lam gi", message_id="q-1")
        )
        zalo.push_update(zalo.text_update(chat, digit))  # "Xem thêm" by its number
        texts = zalo.wait_for_texts(chat, len(texts) + 1, timeout=30)
        page2 = texts[-1]
        assert page2 not in answer and "Xem thêm" in page2
        zalo.push_update(zalo.text_update(chat, "xem them"))  # and by its name, without diacritics
        count = len(zalo.wait_for_texts(chat, len(texts) + 1, timeout=30))
        assert zalo.sent_texts(chat)[-1] != page2
        zalo.push_update(zalo.text_update(chat, "", event="message.image.received"))
        texts = zalo.wait_for_texts(chat, count + 1, timeout=30)
        assert "chỉ hỗ trợ tin nhắn văn bản" in texts[-1]
        assert zalo.wait_for(lambda: zalo.pending_updates() == 0)
    finally:
        code = bot.terminate()
    assert code == 0, bot.log()
    assert "Stopped" in bot.log()
    texts = zalo.sent_texts(chat)
    assert all(0 < len(t) <= 2000 for t in texts)
    assert not any(re.search(r"</?(b|i|a|code|pre)>", t) for t in texts), "Zalo text must be plain"
    question_answers = [r for r in zalo.calls("sendMessage") if "Xem thêm" in r.params["text"]]
    assert len({r.params["text"] for r in question_answers}) == len(question_answers)  # not twice
    assert zalo.calls("deleteWebhook") and not zalo.calls("setWebhook")
    assert TOKEN not in bot.log() and TOKEN.split(":")[1] not in bot.log()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_webhook_mode_checks_the_secret(tmp_path: Path, zalo: FakeZaloServer) -> None:
    port = _free_port()
    secret = "webhook-secret-1234"
    url = f"http://127.0.0.1:{port}/zalo-hook"
    env = bot_env(
        tmp_path,
        ZALO_BOT_TOKEN=TOKEN,
        ZALO_BASE_URL=zalo.base_url,
        ZALO_WEBHOOK_URL=url,
        ZALO_WEBHOOK_SECRET=secret,
        ZALO_WEBHOOK_LISTEN="127.0.0.1",
        ZALO_WEBHOOK_PORT=str(port),
    )
    bot = BotProcess(env, tmp_path)
    try:
        bot.wait_log("Zalo webhook registered")
        assert zalo.webhook == {"url": url, "secret_token": secret}
        update = zalo.text_update("wh-chat", "/trogiup")
        zalo.known_chats.add("wh-chat")
        with httpx.Client(timeout=10) as http:
            wrong = http.post(
                url, json=update, headers={"X-Bot-Api-Secret-Token": "not-the-secret"}
            )
            assert wrong.status_code == 403
            right = http.post(url, json=update, headers={"X-Bot-Api-Secret-Token": secret})
            assert right.status_code == 200
        texts = zalo.wait_for_texts("wh-chat", 1, timeout=30)
        assert "/lienket" in "\n".join(texts)
    finally:
        code = bot.terminate()
    assert code == 0, bot.log()
    assert len(zalo.sent_texts("wh-chat")) == len(texts)  # the rejected call produced nothing
    assert not zalo.calls("getUpdates")  # polling and webhook are exclusive


def _add_deadline(db_url: str, title: str, due: date) -> None:
    from bot.wiring import register_models
    from knowledge.db import make_engine, write_session
    from knowledge.models import Deadline, Document, RecurrenceKind

    engine = make_engine(db_url)
    register_models()
    with write_session(engine) as session:
        document = session.exec(select(Document)).first()
        assert document is not None, "the bundled documents were imported at start-up"
        session.add(
            Deadline(
                document_id=document.id,
                title=title,
                quote=f"{title} trước ngày {due:%d/%m/%Y}",
                rule_kind=RecurrenceKind.ONCE,
                due_date=due,
                all_units=True,
            )
        )
    engine.dispose()


def test_reminders_via_zalo_sent_once(tmp_path: Path, zalo: FakeZaloServer) -> None:
    env = bot_env(tmp_path, ZALO_BOT_TOKEN=TOKEN, ZALO_BASE_URL=zalo.base_url)
    bot = BotProcess(env, tmp_path)
    try:
        bot.wait_log("Zalo long polling started")
        _choose_unit(zalo, "sub-1", 0)
    finally:
        assert bot.terminate() == 0, bot.log()
    title = "Báo cáo thử nghiệm nhắc hạn qua Zalo"
    _add_deadline(env["DATABASE_URL"], title, date(2027, 3, 19))
    before = len(zalo.sent_texts("sub-1"))
    first = run_bot(env, "reminders", "--now", "2027-03-12T08:05")
    assert first.returncode == 0, first.stdout + first.stderr
    sent = zalo.sent_texts("sub-1")[before:]
    assert sum(title in t for t in sent) == 1, sent
    assert len(sent) == len(set(sent))
    second = run_bot(env, "reminders", "--now", "2027-03-12T08:05")
    assert second.returncode == 0, second.stdout + second.stderr
    assert zalo.sent_texts("sub-1")[before:] == sent  # the second tick sends nothing
    assert "đã gửi 0" in second.stdout
    assert TOKEN not in first.stdout + first.stderr + second.stdout + second.stderr


def test_linking_telegram_and_zalo_then_one_reminder(tmp_path: Path, zalo: FakeZaloServer) -> None:
    telegram = FakeTelegramServer().start()
    try:
        env = bot_env(
            tmp_path,
            ZALO_BOT_TOKEN=TOKEN,
            ZALO_BASE_URL=zalo.base_url,
            TELEGRAM_BOT_TOKEN=telegram.token,
            TELEGRAM_BASE_URL=telegram.base_url,
        )
        bot = BotProcess(env, tmp_path)
        tg_chat, z_chat = 5551, "z-linked"
        try:
            bot.wait_log("Zalo long polling started")
            bot.wait_log("telegram ready")
            _choose_unit(zalo, z_chat, 0)  # the unit is chosen on Zalo
            telegram.enqueue_message(tg_chat, "/lienket")
            [issued] = telegram.wait_for_messages(1, tg_chat, timeout=30)
            code = re.search(r"\b(\d{6})\b", issued["text"]).group(1)
            wrong = "000000" if code != "000000" else "111111"
            zalo.push_update(zalo.text_update(z_chat, f"/lienket {wrong}"))
            texts = zalo.wait_for_texts(z_chat, 3, timeout=30)
            assert "không đúng" in texts[-1]
            zalo.push_update(zalo.text_update(z_chat, f"/lienket {code}"))
            texts = zalo.wait_for_texts(z_chat, 4, timeout=30)
            assert "Đã liên kết" in texts[-1], texts[-1]
            zalo.push_update(zalo.text_update(z_chat, f"/lienket {code}"))  # the same code again
            texts = zalo.wait_for_texts(z_chat, 5, timeout=30)
            assert "đã được sử dụng" in texts[-1], texts[-1]
        finally:
            assert bot.terminate() == 0, bot.log()
        title = "Báo cáo thử nghiệm sau liên kết"
        _add_deadline(env["DATABASE_URL"], title, date(2027, 3, 19))
        tg_before, z_before = len(telegram.sent_texts(tg_chat)), len(zalo.sent_texts(z_chat))
        first = run_bot(env, "reminders", "--now", "2027-03-12T08:05")
        assert first.returncode == 0, first.stdout + first.stderr
        tg_new = telegram.sent_texts(tg_chat)[tg_before:]
        z_new = zalo.sent_texts(z_chat)[z_before:]
        # one person: the reminder goes out once, to the primary chat (Telegram issued the code)
        assert sum(title in t for t in tg_new + z_new) == 1, (tg_new, z_new)
        assert sum(title in t for t in tg_new) == 1
        assert Counter(tg_new + z_new).most_common(1)[0][1] == 1  # no text twice
        second = run_bot(env, "reminders", "--now", "2027-03-12T08:05")
        assert second.returncode == 0
        assert telegram.sent_texts(tg_chat)[tg_before:] == tg_new
        assert zalo.sent_texts(z_chat)[z_before:] == z_new
    finally:
        telegram.stop()
