"""Send the outbox through rate-limited channel senders: 429 waits, 5xx backs off, 403 deactivates."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from jobs import combine, outbox
from jobs.models import OutboxStatus, ReminderLog
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
    # One queue per chat, chats in order of their oldest row; each batch is the outbox rows one
    # message carries. A worker takes a whole chat, so one chat's messages keep their order.
    chats: deque[deque[list[int]]]
    consecutive_errors: int = 0
    stopped: bool = False


def _address_of_rows(session: Session, row_ids: list[int]) -> dict[int, int]:
    """Outbox row id → the chat address it goes to."""
    found: dict[int, int] = {}
    for start in range(0, len(row_ids), 500):
        chunk = row_ids[start : start + 500]
        found.update(
            session.exec(
                select(ReminderLog.id, ReminderLog.address_id).where(
                    col(ReminderLog.id).in_(chunk)
                )
            ).all()
        )
    return found


def _chats_waiting_for_retry(session: Session, *, now: datetime) -> set[int]:
    """Chats with an earlier message deferred to a later attempt: newer ones wait behind it."""
    return set(
        session.exec(
            select(ReminderLog.address_id)
            .distinct()
            .where(
                ReminderLog.status == OutboxStatus.PENDING,
                col(ReminderLog.next_attempt_at) > now,
            )
        ).all()
    )


def per_chat_queues(
    batches: list[list[int]], address_of: dict[int, int], held: Collection[int] = ()
) -> deque[deque[list[int]]]:
    """Group a channel's messages by chat, keeping their order within each chat; chats in
    `held` (an older message waits for its retry) send nothing now."""
    queues: dict[int, deque[list[int]]] = {}
    for batch in batches:
        address = address_of.get(batch[0], -batch[0])
        if address not in held:
            queues.setdefault(address, deque()).append(batch)
    return deque(queues.values())


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

    Up to `concurrency` messages are in flight per channel (SEND_CONCURRENCY); the channel's
    rate limiter still paces them, so latency no longer bounds throughput. Each worker takes one
    chat at a time and sends its messages in order, so a chat's messages never overtake each
    other. A message is claimed ("sending") just before its send and marked sent just after:
    after a crash at most `concurrency` messages per channel are in flight, and only those can
    be sent a second time (recover_in_flight).
    """
    report = DeliveryReport()
    with read_session(engine) as session:
        limits = {
            ch: getattr(s, "message_limit", combine.DEFAULT_LIMIT) for ch, s in senders.items()
        }
        ready = outbox.due_batches(session, now=now, limits=limits)
        address_of = _address_of_rows(session, [b[0] for bs in ready.values() for b in bs])
        held = _chats_waiting_for_retry(session, now=now)
    runs = [
        _ChannelRun(
            ch,
            senders[ch],
            limiters.get(ch) or RateLimiter(30.0),
            per_chat_queues(batches, address_of, held),
        )
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
        while run.chats and not run.stopped:
            chat = run.chats.popleft()
            while chat and not run.stopped:
                if keep_alive is not None:
                    await keep_alive()
                item = await db(outbox.claim, chat.popleft(), now=now)
                if item is None:
                    continue
                assert isinstance(item, outbox.OutboxItem)
                if not await _deliver_one(run, item):
                    break  # deferred: the chat's later messages wait behind it (next tick)

    async def _deliver_one(run: _ChannelRun, item: outbox.OutboxItem) -> bool:
        """Send one message; False if it was deferred to a later tick."""
        transient_tries = 0
        while True:
            await run.limiter.acquire(item)
            outcome = await _safe_send(run.sender, item)
            if outcome.kind is OutcomeKind.OK:
                await db(outbox.mark_sent, item.ids, now=now)
                run.consecutive_errors = 0
                report.sent += len(item.ids)
                report.messages += 1
                return True
            if outcome.kind is OutcomeKind.RETRY_AFTER:
                report.rate_limited += 1
                if outcome.retry_after <= MAX_RETRY_AFTER_WAIT:
                    logger.info(
                        "%s flood control: waiting %.1fs", run.channel, outcome.retry_after
                    )
                    run.limiter.pause(outcome.retry_after)
                    continue
                await db(
                    outbox.mark_retry,
                    item.ids,
                    now=now,
                    next_attempt_at=now + timedelta(seconds=outcome.retry_after),
                    error=f"429 retry_after={outcome.retry_after}",
                )
                report.deferred += len(item.ids)
                run.stopped = True
                return False
            if outcome.kind in (OutcomeKind.FORBIDDEN, OutcomeKind.INVALID):
                forbidden = outcome.kind is OutcomeKind.FORBIDDEN
                await db(
                    outbox.mark_failed,
                    item.ids,
                    now=now,
                    error=("403 " if forbidden else "400 ") + outcome.detail,
                    deactivate_address=forbidden,
                )
                report.failed += len(item.ids)
                return True
            transient_tries += 1
            if transient_tries <= IN_TICK_RETRIES:
                await sleep(in_tick_backoff * 2 ** (transient_tries - 1))
                continue
            run.consecutive_errors += 1
            await db(
                outbox.mark_retry,
                item.ids,
                now=now,
                next_attempt_at=now + retry_delay(item.attempts),
                error=outcome.detail or "lỗi mạng tạm thời",
            )
            report.deferred += len(item.ids)
            report.errors.append(f"{run.channel}: {outcome.detail}")
            if run.consecutive_errors >= STOP_AFTER_CONSECUTIVE_ERRORS:
                logger.warning("%s keeps failing; the rest waits for the next tick", run.channel)
                run.stopped = True
            return False

    await asyncio.gather(*(run_channel(run) for run in runs))
    return report
