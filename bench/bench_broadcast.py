"""Benchmark: a broadcast through the real TelegramSender to the fake Bot API, rate-limited.

10,000 reminders at Telegram's 30/s would take 333 s; by default this runs a scaled-down
2,000 at 300/s and reports the achieved rate against the limit and the overhead per message.
Usage: python bench/bench_broadcast.py [--messages N] [--rate R]
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram import Bot  # noqa: E402

from bot.telegram_sender import TelegramSender  # noqa: E402
from jobs.planner import PlannerConfig  # noqa: E402
from jobs.senders import RateLimiter  # noqa: E402
from jobs.tick import run_tick  # noqa: E402
from tests.fakes.telegram_server import FakeTelegramServer  # noqa: E402
from tests.reminder_support import (
    TZ,
    add_subscribers,
    add_unit,
    loader_of,
    local,
    make_db,
    occurrence,
)  # noqa: E402


async def broadcast(
    db: Path, server: FakeTelegramServer, rate: float, now, concurrency: int = 1
) -> tuple[object, float]:  # type: ignore[no-untyped-def]
    engine = make_db(db)
    loader = loader_of([occurrence((1,), date(2027, 1, 15))])
    async with Bot(server.token, base_url=server.base_url) as bot:
        started = time.perf_counter()
        report = await run_tick(
            engine,
            {"telegram": TelegramSender(bot)},
            PlannerConfig(tz=TZ),
            now=now,
            limiters={"telegram": RateLimiter(rate)},
            loader=loader,
            concurrency=concurrency,
        )
        return report, time.perf_counter() - started


def fresh_db(tmp: str, name: str, messages: int) -> Path:
    db = Path(tmp) / name
    engine = make_db(db)
    unit = add_unit(engine, "Văn phòng Sở")
    add_subscribers(engine, unit, list(range(1, messages + 1)))
    return db


def send_times(server: FakeTelegramServer, since: int) -> list[float]:
    return [
        r.at for r in server.requests[since:] if r.method == "sendMessage" and r.outcome == "ok"
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--concurrency", type=int, default=1)
    args = parser.parse_args()
    now = local(2027, 1, 8, 8, 0)
    with tempfile.TemporaryDirectory() as tmp, FakeTelegramServer() as server:
        # 1. Rate accuracy: the limited broadcast, timed from the server's own log.
        mark = len(server.requests)
        report, elapsed = asyncio.run(
            broadcast(
                fresh_db(tmp, "a.db", args.messages), server, args.rate, now, args.concurrency
            )
        )
        sends = send_times(server, mark)
        span = sends[-1] - sends[0]
        ideal = (len(sends) - 1) / args.rate
        chats = {p["chat_id"] for p in server.sent_messages()}
        print(
            f"{report.sent} reminders sent, server received {len(sends)} for {len(chats)} chats "
            f"(concurrency {args.concurrency})"
        )
        print(
            f"limit {args.rate:g}/s: ideal first→last {ideal:.2f} s, measured {span:.2f} s "
            f"({100 * (span - ideal) / ideal:+.2f}%), achieved {(len(sends) - 1) / span:.1f}/s; "
            f"whole tick incl. planning {elapsed:.2f} s"
        )
        # 2. Overhead per message: the same broadcast without a rate limit.
        mark = len(server.requests)
        report2, elapsed2 = asyncio.run(
            broadcast(fresh_db(tmp, "b.db", args.messages), server, 1e9, now, args.concurrency)
        )
        print(
            f"unthrottled: {report2.sent} in {elapsed2:.2f} s → "
            f"{1000 * elapsed2 / report2.sent:.2f} ms per message (2 outbox writes + HTTP to the "
            f"local fake); ceiling {report2.sent / elapsed2:.0f}/s"
        )
        # 3. Peak memory of a tick (tracemalloc slows Python, so it runs apart from the timings).
        tracemalloc.start()
        asyncio.run(
            broadcast(fresh_db(tmp, "c.db", args.messages), server, 1e9, now, args.concurrency)
        )
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"peak Python allocations during one tick: {peak / 1e6:.1f} MB; process max RSS "
            f"{rss:.0f} MB"
        )
        print(
            f"projection: 10,000 at 30/s = {9999 / 30:.0f} s of pacing; this run's per-message "
            f"overhead ({1000 * elapsed2 / report2.sent:.1f} ms) is below the 33 ms a 30/s slot "
            "allows"
        )


if __name__ == "__main__":
    main()
