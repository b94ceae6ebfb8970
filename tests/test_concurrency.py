"""Two processes writing one SQLite file at once: no "database is locked", no duplicate."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

from sqlmodel import func, select

from jobs import lease
from jobs.models import DoneMark, OutboxStatus, ReminderLog
from knowledge.db import read_session
from tests.reminder_support import add_subscribers, add_unit, make_db

ROOT = Path(__file__).resolve().parent.parent


def spawn(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.concurrency_worker", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen) -> str:
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "database is locked" not in err
    return out


def test_two_processes_enqueue_and_a_writer_no_lock_errors_no_duplicates(tmp_path) -> None:
    db = tmp_path / "c.db"
    engine = make_db(db)
    unit = add_unit(engine, "Văn phòng Sở")
    add_unit(engine, "Phòng Tổ chức cán bộ")
    add_subscribers(engine, unit, list(range(1, 151)))
    procs = [spawn("enqueue", str(db), "15"), spawn("enqueue", str(db), "15"), spawn("write", str(db), "60")]
    for proc in procs:
        assert finish(proc).strip() == "ok"
    with read_session(engine) as s:
        keys = s.exec(select(ReminderLog.key)).all()
        assert len(keys) == len(set(keys)) == 150 * 5  # 150 people × 5 occurrences, 7-day slot
        assert s.exec(select(func.count()).select_from(DoneMark)).one() == 5


def test_two_tick_processes_send_each_reminder_once(tmp_path, telegram_server) -> None:
    db = tmp_path / "t.db"
    engine = make_db(db)
    unit = add_unit(engine, "Văn phòng Sở")
    chats = list(range(2001, 2041))
    add_subscribers(engine, unit, chats)
    args = ("tick", str(db), telegram_server.base_url, telegram_server.token, "3")
    procs = [spawn(*args), spawn(*args)]
    for proc in procs:
        finish(proc)
    counts = Counter(int(p["chat_id"]) for p in telegram_server.sent_messages())
    assert counts == Counter({c: 1 for c in chats})  # five occurrences in one message per chat
    assert all(p["text"].startswith("Nhắc hạn: 5 việc") for p in telegram_server.sent_messages())
    with read_session(engine) as s:
        statuses = Counter(s.exec(select(ReminderLog.status)).all())
    assert statuses == Counter({OutboxStatus.SENT: 40 * 5})  # every reminder row, sent once
    assert telegram_server.errors == []


def test_lease_excludes_a_second_owner_until_released(tmp_path) -> None:
    from datetime import timedelta

    engine = make_db(tmp_path / "l.db")
    assert lease.acquire(engine, "a", ttl=timedelta(minutes=5))
    assert not lease.acquire(engine, "b", ttl=timedelta(minutes=5))
    assert lease.acquire(engine, "a", ttl=timedelta(minutes=5))  # renewal by the owner
    lease.release(engine, "a")
    assert lease.acquire(engine, "b", ttl=timedelta(minutes=5))
    assert not lease.acquire(engine, "c", ttl=timedelta(minutes=5))
    assert lease.acquire(engine, "c", ttl=timedelta(seconds=-1)) is False


def test_lease_of_a_dead_process_is_taken_over(tmp_path) -> None:
    import socket
    from datetime import timedelta

    engine = make_db(tmp_path / "d.db")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    ghost = f"{socket.gethostname()}:{dead.stdout.strip()}"
    assert lease.acquire(engine, ghost, ttl=timedelta(minutes=5))
    assert lease.owner_is_dead(ghost)
    assert lease.acquire(engine, "me", ttl=timedelta(minutes=5))
    assert not lease.acquire(engine, "elsewhere:1", ttl=timedelta(minutes=5))  # live/remote owner


def test_cli_reminders_and_import_at_the_same_time(tmp_path) -> None:
    """`python -m bot reminders` and `python -m bot import` write the same file concurrently."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from bot.settings import Settings
    from bot.wiring import build_services
    from knowledge.models import Unit
    from tests.support.subprocess_bot import bot_env, start_bot

    services = build_services(Settings(database_url=f"sqlite:///{tmp_path / 'bot.db'}",
                                       documents_dir=ROOT / "data" / "documents"),
                              clock=lambda: datetime(2026, 12, 3, 8, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    with read_session(services.engine) as s:
        unit = s.exec(select(Unit).where(Unit.name == "Văn phòng Sở")).one().id
    add_subscribers(services.engine, unit, list(range(1, 301)))
    docs = []
    for i in range(2):
        doc = tmp_path / f"kh-ban-sao-{i}.txt"
        text = (ROOT / "data" / "documents" / "kh-cchc-2025.txt").read_text(encoding="utf-8")
        doc.write_text(text + f"\nBản sao số {i}.\n", encoding="utf-8")
        docs.append(doc)
    env = bot_env(tmp_path)
    procs = [start_bot(env, *args)
             for args in (["reminders", "--now", "2026-12-03T08:00"], ["import", str(docs[0])],
                          ["reminders", "--now", "2026-12-04T08:00"], ["import", str(docs[1])])]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert "database is locked" not in err and "Traceback" not in err, err
        assert proc.returncode in (0, 1), err  # 1 = the other reminders run held the lease
    assert any(p.returncode == 0 for p in procs[::2])
    with read_session(services.engine) as s:
        keys = s.exec(select(ReminderLog.key)).all()
        assert len(keys) == len(set(keys)) >= 300 * 3
