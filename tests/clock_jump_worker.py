"""Runs the reminder ticker alone, printing the wall clock at every tick: the test starts it under
libfaketime and sets the wall clock back by days while it runs (`tests/test_scheduler.py`)."""

from __future__ import annotations

import asyncio
import sys
import time

from jobs.scheduler import ReminderTicker


async def main(interval: float, ticks: int) -> None:
    done = asyncio.Event()
    count = 0

    async def tick() -> None:
        nonlocal count
        count += 1
        print(f"tick {time.time():.3f}", flush=True)
        if count >= ticks:
            done.set()

    ticker = ReminderTicker(tick, interval=interval, first_run_after=0.0).start()
    try:
        await asyncio.wait_for(done.wait(), timeout=60)
    finally:
        ticker.shutdown()


if __name__ == "__main__":
    asyncio.run(main(float(sys.argv[1]), int(sys.argv[2])))
