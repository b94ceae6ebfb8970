"""The rate limiter on a simulated clock: overall pace, per-group minute cap, flood-control
pause."""

from __future__ import annotations

from jobs.senders import Address, RateLimiter


class SimClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


async def send_times(
    limiter: RateLimiter, clock: SimClock, addresses: list[Address]
) -> list[float]:
    times = []
    for address in addresses:
        await limiter.acquire(address)
        times.append(clock.now)
    return times


async def test_overall_rate_is_kept_exactly() -> None:
    clock = SimClock()
    limiter = RateLimiter(30, 20, clock=clock, sleep=clock.sleep)
    times = await send_times(limiter, clock, [Address("telegram", str(i)) for i in range(301)])
    assert abs(times[-1] - 10.0) < 1e-6  # 300 intervals of 1/30 s


async def test_a_group_gets_at_most_20_per_minute_others_are_not_held_back() -> None:
    clock = SimClock()
    limiter = RateLimiter(30, 20, clock=clock, sleep=clock.sleep)
    group = Address("telegram", "-100", is_group=True)
    times = await send_times(limiter, clock, [group] * 25)
    assert times[19] < 1.0 and times[20] >= 60.0  # the 21st waits for the first to age out
    assert sum(1 for t in times if t < 60.0) == 20
    private = await send_times(limiter, clock, [Address("telegram", "7")])
    assert private[0] - times[-1] < 0.1


async def test_pause_holds_every_later_send() -> None:
    clock = SimClock()
    limiter = RateLimiter(30, clock=clock, sleep=clock.sleep)
    await limiter.acquire(Address("telegram", "1"))
    limiter.pause(5)
    await limiter.acquire(Address("telegram", "2"))
    assert clock.now >= 5.0


async def test_a_late_wake_up_does_not_turn_into_a_burst() -> None:
    """Eight senders share the limiter and the event loop stalls 0.5 s once: after the stall one
    missed slot is made up, not the fifteen missed meanwhile."""
    import asyncio

    clock = SimClock()
    stalls = [0.5]

    async def sleep_with_a_stall(seconds: float) -> None:
        clock.now += seconds + (stalls.pop() if stalls and clock.now > 1.0 else 0.0)
        await asyncio.sleep(0)

    limiter = RateLimiter(30, clock=clock, sleep=sleep_with_a_stall)
    times: list[float] = []

    async def sender(worker: int) -> None:
        for i in range(12):
            await limiter.acquire(Address("telegram", f"{worker}-{i}"))
            times.append(clock.now)
            await asyncio.sleep(0)

    await asyncio.gather(*(sender(w) for w in range(8)))
    assert not stalls  # the stall happened
    times.sort()
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert sum(1 for gap in gaps if gap < 1 / 30 - 1e-9) == 1  # the one slot made up
    assert max(sum(1 for t in times if s <= t < s + 1.0 - 1e-6) for s in times) <= 31
