"""Helpers for reminder tests: a real SQLite file with units, subscribers and hand-made
occurrences."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from jobs.models import ChatAddress, Person
from knowledge.db import init_db, make_engine, write_session
from knowledge.models import RecurrenceKind, Unit
from knowledge.recurrence import DeadlineOccurrence

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def make_db(path: Path) -> Engine:
    import handlers.models  # noqa: F401
    import jobs.models  # noqa: F401
    import knowledge.models  # noqa: F401

    engine = make_engine(f"sqlite:///{path}")
    init_db(engine)
    return engine


def add_unit(engine: Engine, name: str, short: str = "") -> int:
    with write_session(engine) as session:
        unit = Unit(name=name, short_name=short)
        session.add(unit)
        session.flush()
        return int(unit.id)


def add_subscribers(
    engine: Engine, unit_id: int, chat_ids: list[int], channel: str = "telegram"
) -> list[int]:
    """One person per chat id; returns the person ids."""
    ids = []
    with write_session(engine) as session:
        for chat_id in chat_ids:
            person = Person(display_name=f"Người {chat_id}", unit_id=unit_id)
            session.add(person)
            session.flush()
            session.add(
                ChatAddress(
                    channel=channel,
                    chat_id=str(chat_id),
                    user_id=str(chat_id),
                    person_id=person.id,
                )
            )
            ids.append(int(person.id))
    return ids


def occurrence(
    unit_ids: tuple[int, ...],
    due: date,
    deadline_id: int = 1,
    all_units: bool = False,
    title: str = "Nộp kế hoạch CCHC năm",
) -> DeadlineOccurrence:
    return DeadlineOccurrence(
        deadline_id=deadline_id,
        due=due,
        title=title,
        quote="Trước ngày 15/01 hằng năm",
        rule_kind=RecurrenceKind.YEARLY,
        document_id=1,
        document_title="Kế hoạch CCHC năm 2025",
        section_path="Phụ lục",
        unit_ids=frozenset(unit_ids),
        all_units=all_units,
    )


def loader_of(occurrences: list[DeadlineOccurrence]):  # type: ignore[no-untyped-def]
    def load(_session, start: date, end: date) -> list[DeadlineOccurrence]:  # type: ignore[no-untyped-def]
        return [o for o in occurrences if start <= o.due <= end]

    return load


def local(y: int, m: int, d: int, hh: int = 8, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


async def telegram_tick(engine: Engine, server, loader, now: datetime, config=None):  # type: ignore[no-untyped-def]
    """One real tick delivering through PTB's Bot to the fake Telegram server."""
    from telegram import Bot

    from bot.telegram_sender import TelegramSender
    from jobs.planner import PlannerConfig
    from jobs.senders import RateLimiter
    from jobs.tick import run_tick

    async with Bot(server.token, base_url=server.base_url) as bot:
        return await run_tick(
            engine,
            {"telegram": TelegramSender(bot)},
            config or PlannerConfig(tz=TZ),
            now=now,
            limiters={"telegram": RateLimiter(500)},
            loader=loader,
        )


def sends_per_chat(server) -> Counter:  # type: ignore[no-untyped-def]
    """How many sendMessage calls the fake server received for each chat."""
    return Counter(int(p["chat_id"]) for p in server.sent_messages())


def outbox_statuses(engine: Engine) -> Counter:
    """How many outbox rows are in each status."""
    from sqlmodel import select

    from jobs.models import ReminderLog
    from knowledge.db import read_session

    with read_session(engine) as s:
        return Counter(r.status for r in s.exec(select(ReminderLog)))
