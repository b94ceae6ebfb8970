"""A separate process for concurrency tests: `python -m tests.concurrency_worker MODE DB [...]`.

Modes: enqueue (plan + enqueue without the lease, many times), tick (full ticks against a fake
Telegram server), write (other writers: new people and done marks, as the bot and `import` do).
"""

from __future__ import annotations

import asyncio
import sys
from datetime import date, timedelta

from jobs import outbox
from jobs.done import mark_done
from jobs.models import ChatAddress, Person
from jobs.planner import PlannerConfig
from jobs.tick import plan_now, run_tick
from knowledge.db import write_session
from tests.reminder_support import TZ, local, loader_of, make_db, occurrence

CONFIG = PlannerConfig(tz=TZ)
OCCURRENCES = [occurrence((1,), date(2027, 1, 15), deadline_id=d) for d in range(1, 6)]
LOADER = loader_of(OCCURRENCES)


def enqueue(db: str, rounds: int) -> None:
    engine = make_db(db)
    for i in range(rounds):
        now = local(2027, 1, 8, 8, 0) + timedelta(minutes=i)
        planned = plan_now(engine, CONFIG, now=now, loader=LOADER)
        with write_session(engine) as session:
            outbox.enqueue(session, planned, now=now)


def tick(db: str, base_url: str, token: str, rounds: int) -> None:
    from telegram import Bot

    from bot.telegram_sender import TelegramSender
    from jobs.senders import RateLimiter

    async def main() -> None:
        engine = make_db(db)
        async with Bot(token, base_url=base_url) as bot:
            for _ in range(rounds):
                await run_tick(engine, {"telegram": TelegramSender(bot)}, CONFIG,
                               now=local(2027, 1, 8, 8, 5), limiters={"telegram": RateLimiter(200)},
                               loader=LOADER)

    asyncio.run(main())


def write(db: str, rounds: int) -> None:
    engine = make_db(db)
    for i in range(rounds):
        with write_session(engine) as session:
            person = Person(display_name=f"Mới {i}", unit_id=2)
            session.add(person)
            session.flush()
            session.add(ChatAddress(channel="zalo", chat_id=f"w{i}", person_id=person.id))
            mark_done(session, unit_id=2, occurrence=OCCURRENCES[i % 5], person_id=person.id,
                      by="zalo:w", now=local(2027, 1, 8, 9))


if __name__ == "__main__":
    mode, db, *rest = sys.argv[1:]
    if mode == "enqueue":
        enqueue(db, int(rest[0]))
    elif mode == "tick":
        tick(db, rest[0], rest[1], int(rest[2]))
    else:
        write(db, int(rest[0]))
    print("ok")
