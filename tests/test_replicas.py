"""Several bot replicas on one database, as behind a load balancer: a Telegram update that
reaches two webhook replicas at the same instant is answered once (processed update ids are
shared through the database), and replicas starting together migrate and seed once."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from sqlalchemy import func
from sqlmodel import select

from knowledge.db import make_engine, read_session
from knowledge.models import Document
from tests.fakes.telegram_server import FakeTelegramServer
from tests.support.subprocess_bot import start_bot, telegram_bot_env

SECRET = "replica-Secret_123"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_listening(port: int, proc, timeout: float = 90.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"replica exited: {proc.communicate()[1]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"replica on port {port} never listened")


def post_update(port: int, update: dict) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/tg-hook",
        data=json.dumps(update).encode(),
        headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def update(update_id: int, chat: int, text: str) -> dict:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "chat": {"id": chat, "type": "private"},
            "from": {"id": chat, "is_bot": False, "first_name": "Lan"},
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
        },
    }


def test_two_webhook_replicas_receiving_the_same_update_answer_once(
    tmp_path: Path, db_url: str, telegram_server: FakeTelegramServer
) -> None:
    ports = [free_port(), free_port()]
    procs = []
    for port in ports:  # started together: start-up (migrate + seed) is serialised by a lock
        env = telegram_bot_env(
            tmp_path,
            telegram_server,
            DATABASE_URL=db_url,
            WEBHOOK_URL="https://bot.example.invalid/tg-hook",
            WEBHOOK_SECRET=SECRET,
            WEBHOOK_LISTEN="127.0.0.1",
            WEBHOOK_PORT=str(port),
            REMINDER_TICK_MINUTES="60",
        )
        procs.append(start_bot(env, "run"))
    try:
        for port, proc in zip(ports, procs, strict=False):
            wait_listening(port, proc)
        statuses: list[int] = []
        for round_no in range(5):
            chat = 700 + round_no
            same = update(50_000 + round_no, chat, "/trogiup")
            barrier = threading.Barrier(2)

            def deliver(
                port: int, same: dict = same, barrier: threading.Barrier = barrier
            ) -> None:
                barrier.wait()
                statuses.append(post_update(port, same))

            threads = [threading.Thread(target=deliver, args=(p,)) for p in ports]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
            telegram_server.wait_for_messages(1, chat, timeout=30)
        time.sleep(1.0)  # a second answer, if any, would have arrived by now
        for round_no in range(5):
            assert len(telegram_server.sent_messages(700 + round_no)) == 1
        assert statuses == [200] * 10
        assert telegram_server.errors == []
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            out, err = proc.communicate(timeout=30)
            assert "Traceback" not in err, err
    engine = make_engine(db_url)
    with read_session(engine) as session:  # seeded once, not once per replica
        assert session.exec(select(func.count()).select_from(Document)).one() == 5
    engine.dispose()
