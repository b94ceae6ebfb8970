"""Benchmark: a 1,000-chat broadcast at Telegram's rate, against the fake Bot API with latency.

Production wiring: the PTB Application's bot with the token's one shared rate limiter
(bot.telegram_adapter.build_application), the real TelegramSender and one reminder tick with
SEND_CONCURRENCY messages in flight. Every Bot API call takes `latency` seconds on the server.

Runs: 150 ms latency (target ≥ 27 msg/s, the ceiling being 30/s), 300 ms latency, and the same
broadcast at 150 ms as the in-flight limit varies.
Usage: python bench/bench_throughput.py [--chats 1000] [--rate 30] [--sweep 1,2,4,8,16,32]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.settings import Settings  # noqa: E402
from bot.telegram_adapter import build_application, telegram_rate_limiter  # noqa: E402
from bot.telegram_sender import TelegramSender  # noqa: E402
from jobs.planner import PlannerConfig  # noqa: E402
from jobs.tick import run_tick  # noqa: E402
from tests.fakes.telegram_server import FakeTelegramServer  # noqa: E402
from tests.reminder_support import (  # noqa: E402
    TZ,
    add_subscribers,
    add_unit,
    loader_of,
    local,
    make_db,
    occurrence,
)


async def broadcast(
    db: Path, server: ServerProcess, rate: float, concurrency: int
) -> tuple[int, float]:
    """One tick sending a reminder to every chat; returns (sent, seconds of the whole tick)."""
    engine = make_db(db)
    settings = Settings(
        telegram_bot_token=server.token,
        telegram_base_url=server.base_url,
        telegram_rate_per_second=rate,
        send_concurrency=concurrency,
    )
    limiter = telegram_rate_limiter(settings)
    app = build_application(settings, limiter)
    loader = loader_of([occurrence((1,), date(2027, 1, 15))])
    async with app:
        started = time.perf_counter()
        report = await run_tick(
            engine,
            {"telegram": TelegramSender(app.bot)},
            PlannerConfig(tz=TZ),
            now=local(2027, 1, 8, 8, 0),
            limiters={"telegram": limiter},
            loader=loader,
            concurrency=concurrency,
        )
        elapsed = time.perf_counter() - started
    engine.dispose()
    return report.sent, elapsed


def fresh_db(tmp: str, name: str, chats: int) -> Path:
    db = Path(tmp) / name
    engine = make_db(db)
    add_subscribers(engine, add_unit(engine, "Văn phòng Sở"), list(range(1, chats + 1)))
    engine.dispose()
    return db


class ServerProcess:
    """The fake Bot API in a process of its own, so its threads do not compete with the bot's
    event loop for the GIL (which would bunch requests and distort the measured rate)."""

    def __init__(self, latency: float) -> None:
        self._conn, child = multiprocessing.Pipe()
        self._process = multiprocessing.Process(target=_serve, args=(child, latency), daemon=True)

    def __enter__(self) -> ServerProcess:
        self._process.start()
        self.token, self.base_url = self._conn.recv()
        return self

    def sends(self) -> list[tuple[float, str]]:
        """(monotonic arrival time, chat id) of every successful sendMessage."""
        self._conn.send("report")
        return self._conn.recv()

    def __exit__(self, *exc: object) -> None:
        self._conn.send("stop")
        self._process.join(10)


def _serve(conn, latency: float) -> None:  # type: ignore[no-untyped-def]
    with FakeTelegramServer(latency=latency) as server:
        conn.send((server.token, server.base_url))
        while conn.recv() == "report":
            conn.send(
                [
                    (r.at, str(r.params.get("chat_id")))
                    for r in server.requests
                    if r.method == "sendMessage" and r.outcome == "ok"
                ]
            )


def measure(tmp: str, name: str, chats: int, rate: float, latency: float, concurrency: int) -> str:
    with ServerProcess(latency) as server:
        db = fresh_db(tmp, name, chats)
        sent, elapsed = asyncio.run(broadcast(db, server, rate, concurrency))
        received = server.sends()
        sends = sorted(at for at, _ in received)
        per_chat = {chat for _, chat in received}
    span = sends[-1] - sends[0]
    achieved = (len(sends) - 1) / span if span > 0 else float("inf")
    busiest = max(
        sum(1 for t in sends[i : i + 2 * int(rate) + 2] if t < s + 1.0)
        for i, s in enumerate(sends)
    )
    return (
        f"latency {1000 * latency:.0f} ms, in flight ≤ {concurrency:>2}: {sent} sent to "
        f"{len(per_chat)} chats; first→last {span:6.2f} s → {achieved:5.1f} msg/s "
        f"(ceiling {rate:g}/s, busiest second {busiest}); whole tick {elapsed:6.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chats", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=30.0)
    parser.add_argument("--concurrency", type=int, default=Settings().send_concurrency)
    parser.add_argument(
        "--sweep", default="1,2,4,8,16,32", help="in-flight limits tried at 150 ms (empty: skip)"
    )
    parser.add_argument("--sweep-chats", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for latency in (0.15, 0.30):
            print(
                measure(tmp, f"l{latency}.db", args.chats, args.rate, latency, args.concurrency),
                flush=True,
            )
        for limit in [int(x) for x in args.sweep.split(",") if x.strip()]:
            figures = measure(tmp, f"s{limit}.db", args.sweep_chats, args.rate, 0.15, limit)
            print("sweep: " + figures, flush=True)


if __name__ == "__main__":
    main()
