"""Send the outbox through rate-limited channel senders: 429 waits, 5xx backs off, 403
deactivates."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from jobs import combine, outbox
from jobs.models import OutboxStatus, ReminderLog
from jobs.senders import OutcomeKind, RateLimiter, Sender, SendOutcome
from knowledge.db import read_session, write_session

logger = logging.getLogger(__name__)

_P = ParamSpec("_P")
_R = TypeVar("_R")

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
        rows = session.exec(
            select(ReminderLog.id, ReminderLog.address_id).where(col(ReminderLog.id).in_(chunk))
        )
        found.update((row_id, address_id) for row_id, address_id in rows if row_id is not None)
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
    runs = _channel_runs(engine, senders, limiters, now=now)
    delivery = _Delivery(
        engine,
        now=now,
        keep_alive=keep_alive,
        sleep=sleep,
        in_tick_backoff=in_tick_backoff,
        workers=max(1, concurrency),
    )
    await asyncio.gather(*(delivery.run_channel(run) for run in runs))
    return delivery.report


def _channel_runs(
    engine: Engine,
    senders: Mapping[str, Sender],
    limiters: Mapping[str, RateLimiter],
    *,
    now: datetime,
) -> list[_ChannelRun]:
    """What each channel with a sender has to send now, queued per chat."""
    with read_session(engine) as session:
        limits = {
            ch: getattr(s, "message_limit", combine.DEFAULT_LIMIT) for ch, s in senders.items()
        }
        ready = outbox.due_batches(session, now=now, limits=limits)
        address_of = _address_of_rows(session, [b[0] for bs in ready.values() for b in bs])
        held = _chats_waiting_for_retry(session, now=now)
    return [
        _ChannelRun(
            ch,
            senders[ch],
            limiters.get(ch) or RateLimiter(30.0),
            per_chat_queues(batches, address_of, held),
        )
        for ch, batches in ready.items()
    ]


class _Delivery:
    """One delivery round: workers per channel, each sending whole chats, and the report."""

    def __init__(
        self,
        engine: Engine,
        *,
        now: datetime,
        keep_alive: Callable[[], Awaitable[None]] | None,
        sleep: Callable[[float], Awaitable[None]],
        in_tick_backoff: float,
        workers: int,
    ) -> None:
        self.report = DeliveryReport()
        self._engine = engine
        self._now = now
        self._keep_alive = keep_alive
        self._sleep = sleep
        self._in_tick_backoff = in_tick_backoff
        self._workers = workers

    async def run_channel(self, run: _ChannelRun) -> None:
        await asyncio.gather(*(self._worker(run) for _ in range(self._workers)))

    async def _in_write_session(
        self, fn: Callable[Concatenate[Session, _P], _R], *args: _P.args, **kw: _P.kwargs
    ) -> _R:
        """Run one outbox step in its own short write transaction, off the event loop."""

        def work() -> _R:
            with write_session(self._engine) as session:
                return fn(session, *args, **kw)

        return await asyncio.to_thread(work)

    async def _worker(self, run: _ChannelRun) -> None:
        while run.chats and not run.stopped:
            chat = run.chats.popleft()
            while chat and not run.stopped:
                if self._keep_alive is not None:
                    await self._keep_alive()
                item = await self._in_write_session(outbox.claim, chat.popleft(), now=self._now)
                if item is None:
                    continue
                if not await self._deliver_one(run, item):
                    break  # deferred: the chat's later messages wait behind it (next tick)

    async def _deliver_one(self, run: _ChannelRun, item: outbox.OutboxItem) -> bool:
        """Send one message; False if it was deferred to a later tick."""
        transient_tries = 0
        while True:
            await run.limiter.acquire(item)
            outcome = await _safe_send(run.sender, item)
            if outcome.kind is OutcomeKind.OK:
                await self._sent(run, item)
                return True
            if outcome.kind is OutcomeKind.RETRY_AFTER:
                if await self._rate_limited(run, item, outcome.retry_after):
                    continue
                return False
            if outcome.kind in (OutcomeKind.FORBIDDEN, OutcomeKind.INVALID):
                await self._rejected(item, outcome)
                return True
            transient_tries += 1
            if transient_tries <= IN_TICK_RETRIES:
                await self._sleep(self._in_tick_backoff * 2 ** (transient_tries - 1))
                continue
            await self._defer_after_errors(run, item, outcome.detail)
            return False

    async def _sent(self, run: _ChannelRun, item: outbox.OutboxItem) -> None:
        await self._in_write_session(outbox.mark_sent, item.ids, now=self._now)
        run.consecutive_errors = 0
        self.report.sent += len(item.ids)
        self.report.messages += 1

    async def _rate_limited(
        self, run: _ChannelRun, item: outbox.OutboxItem, retry_after: float
    ) -> bool:
        """A 429: True when the wait is short enough to send again in this tick; otherwise the
        message waits for a later tick and the channel stops for this one."""
        self.report.rate_limited += 1
        if retry_after <= MAX_RETRY_AFTER_WAIT:
            logger.info("%s flood control: waiting %.1fs", run.channel, retry_after)
            run.limiter.pause(retry_after)
            return True
        await self._in_write_session(
            outbox.mark_retry,
            item.ids,
            now=self._now,
            next_attempt_at=self._now + timedelta(seconds=retry_after),
            error=f"429 retry_after={retry_after}",
        )
        self.report.deferred += len(item.ids)
        run.stopped = True
        return False

    async def _rejected(self, item: outbox.OutboxItem, outcome: SendOutcome) -> None:
        """Blocked (403: the chat is deactivated) or refused for good (400): never retried."""
        forbidden = outcome.kind is OutcomeKind.FORBIDDEN
        await self._in_write_session(
            outbox.mark_failed,
            item.ids,
            now=self._now,
            error=("403 " if forbidden else "400 ") + outcome.detail,
            deactivate_address=forbidden,
        )
        self.report.failed += len(item.ids)

    async def _defer_after_errors(
        self, run: _ChannelRun, item: outbox.OutboxItem, detail: str
    ) -> None:
        """Transient errors outlasted the in-tick retries: back off to a later tick; a channel
        failing message after message stops for this tick."""
        run.consecutive_errors += 1
        await self._in_write_session(
            outbox.mark_retry,
            item.ids,
            now=self._now,
            next_attempt_at=self._now + retry_delay(item.attempts),
            error=detail or "lỗi mạng tạm thời",
        )
        self.report.deferred += len(item.ids)
        self.report.errors.append(f"{run.channel}: {detail}")
        if run.consecutive_errors >= STOP_AFTER_CONSECUTIVE_ERRORS:
            logger.warning("%s keeps failing; the rest waits for the next tick", run.channel)
            run.stopped = True
