"""The tick lease on SQLite and PostgreSQL: exclusive, renewable, timed by the database's clock,
and not fooled by a wall clock that moved backwards (issue 8 item 7)."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from jobs import lease
from jobs.models import TickLease
from knowledge.db import read_session, write_session

ROOT = Path(__file__).resolve().parent.parent
TTL = timedelta(minutes=2)


def leave_lease(engine: Engine, owner: str, expires_in: timedelta) -> None:
    """The lease row as another process left it, expiring `expires_in` after the DB's now."""
    with write_session(engine) as session:
        now = lease.database_now(session)
        row = session.get(TickLease, lease.TICK_LEASE)
        if row is None:
            row = TickLease(name=lease.TICK_LEASE, owner=owner, expires_at=now + expires_in)
        row.owner, row.expires_at = owner, now + expires_in
        session.add(row)


def test_the_lease_excludes_a_second_owner_until_released(db_engine: Engine) -> None:
    assert lease.acquire(db_engine, "a", ttl=TTL)
    assert not lease.acquire(db_engine, "b", ttl=TTL)
    assert lease.acquire(db_engine, "a", ttl=TTL)  # renewal by the owner
    lease.release(db_engine, "a")
    assert lease.acquire(db_engine, "b", ttl=TTL)
    assert not lease.acquire(db_engine, "c", ttl=TTL)
    lease.release(db_engine, "c")  # not c's: nothing changes
    assert not lease.acquire(db_engine, "c", ttl=TTL)


def test_an_expired_lease_is_free(db_engine: Engine) -> None:
    leave_lease(db_engine, "remote-host:1", -timedelta(seconds=5))
    assert lease.acquire(db_engine, "me", ttl=TTL)


def test_a_lease_of_a_dead_process_is_taken_over(db_engine: Engine) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    ghost = f"{socket.gethostname()}:{dead.stdout.strip()}"
    assert lease.acquire(db_engine, ghost, ttl=TTL)
    assert lease.owner_is_dead(ghost)
    assert lease.acquire(db_engine, "me", ttl=TTL)
    assert not lease.acquire(db_engine, "elsewhere:1", ttl=TTL)  # live/remote owner


def test_an_expiry_beyond_the_longest_lease_is_taken_over(db_engine: Engine) -> None:
    """The clock was set back 4 days after a tick wrote its expiry: the expiry now lies 4 days
    ahead. No live holder can have that (leases last at most MAX_LEASE), so it is free."""
    leave_lease(db_engine, "remote-host:77", timedelta(days=4))
    assert lease.acquire(db_engine, "me", ttl=TTL)
    with read_session(db_engine) as session:
        row = session.get(TickLease, lease.TICK_LEASE)
        now = lease.database_now(session)
    assert row is not None and row.owner == "me"
    assert now < row.expires_at <= now + TTL


def test_a_live_lease_within_its_length_is_respected(db_engine: Engine) -> None:
    leave_lease(db_engine, "remote-host:77", lease.MAX_LEASE - timedelta(seconds=30))
    assert not lease.acquire(db_engine, "me", ttl=TTL)


def test_no_lease_is_longer_than_the_maximum(db_engine: Engine) -> None:
    with pytest.raises(ValueError):
        lease.acquire(db_engine, "me", ttl=lease.MAX_LEASE + timedelta(seconds=1))


@pytest.mark.parametrize("start", ["no lease row", "expired lease"])
def test_threads_racing_for_the_lease_one_wins_none_crashes(db_engine: Engine, start: str) -> None:
    if start == "expired lease":
        leave_lease(db_engine, "old", -timedelta(seconds=1))
    barrier = threading.Barrier(8)
    results: list[object] = []

    def contend(i: int) -> None:
        barrier.wait()
        try:
            results.append(lease.acquire(db_engine, f"racer-{i}", ttl=TTL))
        except Exception as exc:  # noqa: BLE001 - recorded, the assertion shows it
            results.append(exc)

    threads = [threading.Thread(target=contend, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(map(repr, results)) == sorted(["True"] + ["False"] * 7)


def test_cli_reminders_runs_after_the_clock_moved_back(tmp_path: Path, db_url: str) -> None:
    """Issue 8 item 7: after a backwards jump, `reminders` was refused because the lease expiry
    lay "in the future"."""
    from tests.support.subprocess_bot import bot_env, start_bot

    env = bot_env(tmp_path, DATABASE_URL=db_url)
    first = start_bot(env, "reminders", "--now", "2026-12-03T08:00")
    out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    from knowledge.db import make_engine

    engine = make_engine(db_url)
    leave_lease(engine, "remote-host:4242", timedelta(days=4))  # written before the jump
    again = start_bot(env, "reminders", "--now", "2026-12-03T08:05")
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    assert "Một tiến trình khác đang chạy" not in err and "Traceback" not in err
    engine.dispose()
