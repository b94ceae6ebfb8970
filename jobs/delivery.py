"""Send the outbox through rate-limited channel senders: 429 waits, 5xx backs off, 403 deactivates."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Awaitable, Callable, Mapping

from sqlalchemy.engine import Engine

from jobs import combine, outbox
from jobs.senders import OutcomeKind, RateLimiter, Sender, SendOutcome
from knowledge.db import read_session, write_session

logger = logging.getLogger(__name__)

MAX_RETRY_AFTER_WAIT = 60.0  # a longer flood wait leaves the rest for the next tick
IN_TICK_RETRIES = 2  # transient errors are retried this often before waiting for a later tick
STOP_AFTER_CONSECUTIVE_ERRORS = 3  # messages given up on in a row: the channel waits for next tick


@dataclass
class DeliveryReport:
    sent: int = 0
    messages: int = 0  # messages delivered; several reminders of one chat travel as one
    failed: int = 0  # permanent: blocked chat or rejected message
    deferred: int = 0  # transient failure, still pending for a later tick
    rate_limited: int = 0  # 429 answers waited out
    errors: list[str] = field(default_factory=list)


def retry_delay(attempts: int) -> timedelta:
    """Back-off before the next tick may retry: 1, 2, 4 … minutes, at most 30."""
    return timedelta(minutes=min(30, 2 ** max(0, attempts - 1)))


@dataclass
class _ChannelRun:
    channel: str
    sender: Sender
    limiter: RateLimiter
    batches: deque[list[int]]  # each: the outbox rows one message carries
    consecutive_errors: int = 0
    stopped: bool = False


async def _safe_send(sender: Sender, item: outbox.OutboxItem) -> SendOutcome:
    try:
        send_choices = getattr(sender, "send_choices", None)
        if item.choices and send_choices is not None:  # buttons where the channel has them
            return await send_choices(item, item.text, item.choices)
        return await sender.send(item, item.text)
    except Exception as exc:  # a sender must not raise; if it does, retry later, never drop
        logger.exception("Sender %s raised", sender.channel)
        return SendOutcome.transient_error(f"{type(exc).__name__}")


async def deliver(
    engine: Engine,
    senders: Mapping[str, Sender],
    limiters: Mapping[str, RateLimiter],
    *,
    now: datetime,
    keep_alive: Callable[[], Awaitable[None]] | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    in_tick_backoff: float = 0.25,
    concurrency: int = 1,
) -> DeliveryReport:
    """Send every pending row whose channel has a sender; one chat's due reminders as one message.

    Counts in the report are of outbox rows (reminders), not of messages (`messages` has those).

    `concurrency` sends may be in flight per channel (the rate limiter still paces them). The
    default of 1 keeps the outbox promise exact: a crash re-sends at most the one message in
    flight. Raise it when the channel's latency, not its rate limit, bounds throughput.
    """
    report = DeliveryReport()
    with read_session(engine) as session:
        limits = {ch: getattr(s, "message_limit", combine.DEFAULT_LIMIT) for ch, s in senders.items()}
        ready = outbox.due_batches(session, now=now, limits=limits)
    runs = [
        _ChannelRun(ch, senders[ch], limiters.get(ch) or RateLimiter(30.0), deque(batches))
        for ch, batches in ready.items()
    ]

    async def db(fn: Callable[..., object], *args: object, **kw: object) -> object:
        def work() -> object:
            with write_session(engine) as session:
                return fn(session, *args, **kw)

        return await asyncio.to_thread(work)

    async def run_channel(run: _ChannelRun) -> None:
        await asyncio.gather(*(worker(run) for _ in range(max(1, concurrency))))

    async def worker(run: _ChannelRun) -> None:
        while run.batches and not run.stopped:
            if keep_alive is not None:
                await keep_alive()
            item = await db(outbox.claim, run.batches.popleft(), now=now)
            if item is None:
                continue
            assert isinstance(item, outbox.OutboxItem)
            await _deliver_one(run, item)

    async def _deliver_one(run: _ChannelRun, item: outbox.OutboxItem) -> None:
        transient_tries = 0
        while True:
            await run.limiter.acquire(item)
            outcome = await _safe_send(run.sender, item)
            if outcome.kind is OutcomeKind.OK:
                await db(outbox.mark_sent, item.ids, now=now)
                run.consecutive_errors = 0
                report.sent += len(item.ids)
                report.messages += 1
                return
            if outcome.kind is OutcomeKind.RETRY_AFTER:
                report.rate_limited += 1
                if outcome.retry_after <= MAX_RETRY_AFTER_WAIT:
                    logger.info("%s flood control: waiting %.1fs", run.channel, outcome.retry_after)
                    run.limiter.pause(outcome.retry_after)
                    continue
                await db(outbox.mark_retry, item.ids, now=now,
                         next_attempt_at=now + timedelta(seconds=outcome.retry_after),
                         error=f"429 retry_after={outcome.retry_after}")
                report.deferred += len(item.ids)
                run.stopped = True
                return
            if outcome.kind in (OutcomeKind.FORBIDDEN, OutcomeKind.INVALID):
                forbidden = outcome.kind is OutcomeKind.FORBIDDEN
                await db(outbox.mark_failed, item.ids, now=now,
                         error=("403 " if forbidden else "400 ") + outcome.detail,
                         deactivate_address=forbidden)
                report.failed += len(item.ids)
                return
            transient_tries += 1
            if transient_tries <= IN_TICK_RETRIES:
                await sleep(in_tick_backoff * 2 ** (transient_tries - 1))
                continue
            run.consecutive_errors += 1
            await db(outbox.mark_retry, item.ids, now=now, next_attempt_at=now + retry_delay(item.attempts),
                     error=outcome.detail or "lỗi mạng tạm thời")
            report.deferred += len(item.ids)
            report.errors.append(f"{run.channel}: {outcome.detail}")
            if run.consecutive_errors >= STOP_AFTER_CONSECUTIVE_ERRORS:
                logger.warning("%s keeps failing; the rest waits for the next tick", run.channel)
                run.stopped = True
            return

    await asyncio.gather(*(run_channel(run) for run in runs))
    return report
