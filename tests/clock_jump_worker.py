"""Runs the reminder scheduler alone, printing the wall and monotonic clocks at every tick: the
test starts it under libfaketime and moves the wall clock by days while it runs
(`tests/test_scheduler.py`).

Arguments: interval (s), ticks to wait for, timeout (s), and `watchdog` or `no-watchdog`. It exits
after that many ticks, or at the timeout (printing `timeout`), whichever comes first.
"""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import UTC

from jobs.scheduler import ReminderScheduler


async def main(interval: float, ticks: int, timeout: float, watchdog: bool) -> None:
    done = asyncio.Event()
    count = 0

    async def tick() -> None:
        nonlocal count
        count += 1
        print(f"tick {time.time():.3f} {time.monotonic():.3f}", flush=True)
        if count >= ticks:
            done.set()

    scheduler = ReminderScheduler(
        tick,
        interval=interval,
        first_run_after=0.0,
        tz=UTC,
        watchdog_every=0.1 if watchdog else None,
        jump_tolerance=1.0,
    ).start()
    try:
        await asyncio.wait_for(done.wait(), timeout=timeout)
    except TimeoutError:
        print("timeout", flush=True)
    finally:
        await scheduler.stop()


if __name__ == "__main__":
    interval, ticks, timeout, mode = sys.argv[1:5]
    asyncio.run(main(float(interval), int(ticks), float(timeout), mode == "watchdog"))
