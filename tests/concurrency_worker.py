"""A separate process for concurrency tests: `python -m tests.concurrency_worker MODE URL [...]`.

URL is a database URL (a bare path means that SQLite file). Modes:
- enqueue URL ROUNDS: plan + enqueue without the lease, many times;
- write URL ROUNDS: other writers (new people and done marks, as the bot and `import` do);
- tick URL BASE_URL TOKEN ROUNDS [BARRIER]: full ticks against a fake Telegram server;
- deliver URL BASE_URL TOKEN [BARRIER]: send the outbox without the lease (two senders at once).
With BARRIER (a folder), the process gets fully ready, then waits for the test's "go" file, so
that every process starts its work at the same instant. It prints one JSON line of results.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy.engine import Engine

from jobs import outbox
from jobs.done import mark_done
from jobs.models import ChatAddress, Person
from jobs.planner import PlannerConfig
from jobs.tick import plan_now, run_tick
from knowledge.db import make_engine, write_session
from tests.reminder_support import TZ, loader_of, local, occurrence

CONFIG = PlannerConfig(tz=TZ)
OCCURRENCES = [occurrence((1,), date(2027, 1, 15), deadline_id=d) for d in range(1, 6)]
LOADER = loader_of(OCCURRENCES)
TICK_NOW = local(2027, 1, 8, 8, 5)


def open_engine(target: str) -> Engine:
    return make_engine(target if "://" in target else f"sqlite:///{target}")


def wait_at_barrier(folder: str | None) -> None:
    """Say "ready", then wait for the test's "go" (a file), polling every millisecond."""
    if not folder:
        return
    barrier = Path(folder)
    (barrier / f"ready-{os.getpid()}").touch()
    deadline = time.monotonic() + 60
    while not (barrier / "go").exists():
        if time.monotonic() > deadline:
            raise SystemExit("barrier: no go within 60 s")
        time.sleep(0.001)


def enqueue(engine: Engine, rounds: int) -> dict:
    for i in range(rounds):
        now = local(2027, 1, 8, 8, 0) + timedelta(minutes=i)
        planned = plan_now(engine, CONFIG, now=now, loader=LOADER)
        with write_session(engine) as session:
            outbox.enqueue(session, planned, now=now)
    return {}


def write(engine: Engine, rounds: int) -> dict:
    for i in range(rounds):
        with write_session(engine) as session:
            person = Person(display_name=f"Mới {i}", unit_id=2)
            session.add(person)
            session.flush()
            session.add(
                ChatAddress(channel="zalo", chat_id=f"w{os.getpid()}-{i}", person_id=person.id)
            )
            mark_done(
                session,
                unit_id=2,
                occurrence=OCCURRENCES[i % 5],
                person_id=person.id,
                by="zalo:w",
                now=local(2027, 1, 8, 9),
            )
    return {}


def tick(engine: Engine, base_url: str, token: str, rounds: int, barrier: str | None) -> dict:
    from telegram import Bot

    from bot.telegram_sender import TelegramSender
    from jobs.senders import RateLimiter

    async def main() -> dict:
        results = {"won": 0, "busy": 0, "sent": 0}
        async with Bot(token, base_url=base_url) as bot:
            senders = {"telegram": TelegramSender(bot)}
            wait_at_barrier(barrier)
            for _ in range(rounds):
                report = await run_tick(
                    engine,
                    senders,
                    CONFIG,
                    now=TICK_NOW,
                    limiters={"telegram": RateLimiter(1000)},
                    loader=LOADER,
                )
                results["busy" if report.lease_busy else "won"] += 1
                results["sent"] += report.sent
        return results

    return asyncio.run(main())


def deliver_without_lease(engine: Engine, base_url: str, token: str, barrier: str | None) -> dict:
    from telegram import Bot

    from bot.telegram_sender import TelegramSender
    from jobs.delivery import deliver
    from jobs.senders import RateLimiter

    async def main() -> dict:
        async with Bot(token, base_url=base_url) as bot:
            senders = {"telegram": TelegramSender(bot)}
            wait_at_barrier(barrier)
            report = await deliver(engine, senders, {"telegram": RateLimiter(1000)}, now=TICK_NOW)
        return {"sent": report.sent, "messages": report.messages, "errors": report.errors}

    return asyncio.run(main())


def main(argv: list[str]) -> dict:
    mode, target, *rest = argv
    engine = open_engine(target)
    if mode == "enqueue":
        return enqueue(engine, int(rest[0]))
    if mode == "write":
        return write(engine, int(rest[0]))
    if mode == "tick":
        return tick(engine, rest[0], rest[1], int(rest[2]), rest[3] if len(rest) > 3 else None)
    if mode == "deliver":
        return deliver_without_lease(engine, rest[0], rest[1], rest[2] if len(rest) > 2 else None)
    raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    print(json.dumps({"ok": True, **main(sys.argv[1:])}))
