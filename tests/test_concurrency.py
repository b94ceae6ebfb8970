"""Several processes on one database (SQLite file or PostgreSQL): no lock errors, no duplicate,
no lost reminder. Processes start their work at the same instant through a file barrier."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import func, select

from jobs.models import DoneMark, OutboxStatus, ReminderLog
from knowledge.db import read_session, write_session
from tests.reminder_support import add_subscribers, add_unit

ROOT = Path(__file__).resolve().parent.parent
SUBSCRIBERS = 300


def spawn(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.concurrency_worker", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(proc: subprocess.Popen) -> dict:
    out, err = proc.communicate(timeout=180)
    assert proc.returncode == 0, err
    assert "database is locked" not in err and "Traceback" not in err, err
    return json.loads(out.strip().splitlines()[-1])


def release_together(barrier: Path, procs: list[subprocess.Popen]) -> None:
    """Wait until every process is ready (imports done, connected), then let all go at once."""
    deadline = time.monotonic() + 120
    while len(list(barrier.glob("ready-*"))) < len(procs):
        for proc in procs:
            if proc.poll() is not None:
                pytest.fail(f"a worker ended before the barrier: {proc.communicate()[1]}")
        assert time.monotonic() < deadline, "workers never got ready"
        time.sleep(0.01)
    (barrier / "go").touch()


def subscribed(engine: Engine, count: int = SUBSCRIBERS, first_chat: int = 1) -> list[int]:
    unit = add_unit(engine, "Văn phòng Sở")
    add_unit(engine, "Phòng Tổ chức cán bộ")
    chats = list(range(first_chat, first_chat + count))
    add_subscribers(engine, unit, chats)
    return chats


def assert_each_chat_once(server, chats: list[int], engine: Engine) -> None:  # type: ignore[no-untyped-def]
    counts = Counter(int(p["chat_id"]) for p in server.sent_messages())
    duplicates = {chat: n for chat, n in counts.items() if n > 1}
    lost = [chat for chat in chats if counts[chat] == 0]
    assert (duplicates, lost, server.errors) == ({}, [], [])
    with read_session(engine) as s:
        statuses = Counter(s.exec(select(ReminderLog.status)).all())
    assert statuses == Counter({OutboxStatus.SENT: len(chats) * 5})  # 5 occurrences a chat


def test_two_processes_enqueue_and_a_writer_no_lock_errors_no_duplicates(
    db_engine: Engine, db_url: str
) -> None:
    subscribed(db_engine, 150)
    procs = [
        spawn("enqueue", db_url, "15"),
        spawn("enqueue", db_url, "15"),
        spawn("write", db_url, "60"),
    ]
    for proc in procs:
        assert finish(proc)["ok"]
    with read_session(db_engine) as s:
        keys = s.exec(select(ReminderLog.key)).all()
        assert len(keys) == len(set(keys)) == 150 * 5  # 150 people × 5 occurrences, 7-day slot
        assert s.exec(select(func.count()).select_from(DoneMark)).one() == 5


@pytest.mark.parametrize("processes", [2, 4])
@pytest.mark.parametrize("lease_state", ["no lease row yet", "expired lease"])
def test_ticks_at_the_same_instant_send_each_reminder_once(
    db_engine: Engine,
    db_url: str,
    telegram_server,
    tmp_path: Path,
    processes: int,
    lease_state: str,
) -> None:
    """Issue 10: released together, two ticks both won an expired lease 46/50 times on
    PostgreSQL, and the loser crashed with a UniqueViolation when there was no lease row."""
    from jobs import lease

    chats = subscribed(db_engine)
    if lease_state == "expired lease":
        assert lease.acquire(db_engine, "earlier-tick", ttl=lease.MAX_LEASE)
        lease.release(db_engine, "earlier-tick")
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    args = ("tick", db_url, telegram_server.base_url, telegram_server.token, "1", str(barrier))
    procs = [spawn(*args) for _ in range(processes)]
    release_together(barrier, procs)
    results = [finish(proc) for proc in procs]
    assert sum(r["won"] for r in results) == 1  # one of each job: one tick held the lease
    assert sum(r["busy"] for r in results) == processes - 1
    assert sum(r["sent"] for r in results) == SUBSCRIBERS * 5
    assert_each_chat_once(telegram_server, chats, db_engine)


@pytest.mark.parametrize("processes", [2, 4])
def test_senders_racing_for_one_outbox_never_take_the_same_row(
    db_engine: Engine, db_url: str, telegram_server, tmp_path: Path, processes: int
) -> None:
    """Without the lease, N senders deliver one outbox at once: claims alone keep each row to
    one sender (issue 10: two ticks sent 171 and 183 duplicates to 300 subscribers)."""
    from jobs import outbox
    from jobs.tick import plan_now
    from tests.concurrency_worker import CONFIG, LOADER, TICK_NOW

    chats = subscribed(db_engine)
    planned = plan_now(db_engine, CONFIG, now=TICK_NOW, loader=LOADER)
    with write_session(db_engine) as session:
        assert outbox.enqueue(session, planned, now=TICK_NOW) == SUBSCRIBERS * 5
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    args = ("deliver", db_url, telegram_server.base_url, telegram_server.token, str(barrier))
    procs = [spawn(*args) for _ in range(processes)]
    release_together(barrier, procs)
    results = [finish(proc) for proc in procs]
    assert all(r["errors"] == [] for r in results)
    assert sum(r["messages"] for r in results) == SUBSCRIBERS
    assert sum(1 for r in results if r["messages"]) >= 2  # the senders really raced
    assert_each_chat_once(telegram_server, chats, db_engine)


def test_cli_reminders_and_import_at_the_same_time(tmp_path: Path, db_url: str) -> None:
    """`python -m bot reminders` and `python -m bot import` write one database concurrently."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from bot.settings import Settings
    from bot.wiring import build_services
    from knowledge.models import Unit
    from tests.support.subprocess_bot import bot_env, start_bot

    services = build_services(
        Settings(database_url=db_url, documents_dir=ROOT / "data" / "documents"),
        clock=lambda: datetime(2026, 12, 3, 8, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
    )
    with read_session(services.engine) as s:
        unit = s.exec(select(Unit).where(Unit.name == "Văn phòng Sở")).one().id
    add_subscribers(services.engine, unit, list(range(1, 301)))
    docs = []
    for i in range(2):
        doc = tmp_path / f"kh-ban-sao-{i}.txt"
        text = (ROOT / "data" / "documents" / "kh-cchc-2025.txt").read_text(encoding="utf-8")
        doc.write_text(text + f"\nBản sao số {i}.\n", encoding="utf-8")
        docs.append(doc)
    env = bot_env(tmp_path, DATABASE_URL=db_url)
    procs = [
        start_bot(env, *args)
        for args in (
            ["reminders", "--now", "2026-12-03T08:00"],
            ["import", str(docs[0])],
            ["reminders", "--now", "2026-12-04T08:00"],
            ["import", str(docs[1])],
        )
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert "database is locked" not in err and "Traceback" not in err, err
        assert proc.returncode in (0, 1), err  # 1 = the other reminders run held the lease
    assert any(p.returncode == 0 for p in procs[::2])
    with read_session(services.engine) as s:
        keys = s.exec(select(ReminderLog.key)).all()
        assert len(keys) == len(set(keys)) >= 300 * 3
