"""Bounded intake of one channel's updates: inbox first, then a fixed pool of workers.

Webhooks and polling both go through `admit`: the update is written to the durable inbox
(bot/inbox.py) before the platform is acknowledged, and is handled by one of `workers` tasks,
in order within a chat. At most `capacity` updates are admitted and unfinished at once; beyond
that `admit` answers FULL and the webhook tells the platform to retry later (HTTP 503), and
polling waits for room before it fetches more. Nothing grows without bound under a burst.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.engine import Engine

from bot import inbox
from bot.inbox import InboxItem

logger = logging.getLogger(__name__)

Process = Callable[[InboxItem], Awaitable[None]]
HANDLE_TIMEOUT = 180.0  # seconds one update may take before its worker moves on


class Admission(enum.Enum):
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"  # already stored: acknowledge, do nothing
    FULL = "full"  # no room: the platform should retry later


class UpdatePipeline:
    """One channel's bounded queue of stored updates and the workers that handle them."""

    def __init__(
        self,
        channel: str,
        engine: Engine,
        process: Process,
        *,
        capacity: int = 200,
        workers: int = 8,
        handle_timeout: float = HANDLE_TIMEOUT,
        owner: str | None = None,
    ) -> None:
        self.channel = channel
        self.engine = engine
        self.process = process
        self.capacity = max(1, capacity)
        self.worker_count = max(1, workers)
        self.handle_timeout = handle_timeout
        self.owner = owner if owner is not None else inbox.default_owner()
        self.in_flight = 0  # admitted and not yet done
        self.peak = 0
        self.refused = 0
        self._queue: asyncio.Queue[InboxItem] = asyncio.Queue()
        self._room = asyncio.Condition()
        self._chat_locks: dict[str, asyncio.Lock] = {}
        self._workers: list[asyncio.Task[None]] = []

    # -- intake ---------------------------------------------------------------------------
    async def admit(
        self, update_id: str, chat_key: str, payload: dict[str, Any], *, force: bool = False
    ) -> Admission:
        """Store and queue one update; FULL (nothing stored) when at capacity unless `force`."""
        if not force and self.in_flight >= self.capacity:
            self.refused += 1
            return Admission.FULL
        self._take_slot()  # before the await: concurrent webhook calls cannot overshoot
        try:
            row_id = await asyncio.to_thread(
                inbox.store, self.engine, self.channel, update_id, chat_key, payload, self.owner
            )
        except BaseException:
            await self._release_slot()
            raise
        if row_id is None:
            await self._release_slot()
            return Admission.DUPLICATE
        self._queue.put_nowait(InboxItem(row_id, self.channel, update_id, chat_key, payload))
        return Admission.ACCEPTED

    async def wait_for_room(self) -> None:
        """Polling's back-pressure: return once fewer than `capacity` updates are unfinished."""
        async with self._room:
            await self._room.wait_for(lambda: self.in_flight < self.capacity)

    @property
    def full(self) -> bool:
        return self.in_flight >= self.capacity

    # -- lifecycle ------------------------------------------------------------------------
    async def start(self) -> int:
        """Queue what a previous run left unfinished, start the workers; return that count."""
        leftovers = await asyncio.to_thread(
            inbox.unfinished, self.engine, self.channel, self.owner
        )
        for item in leftovers:
            self._take_slot()
            self._queue.put_nowait(item)
        if leftovers:
            logger.info("%s: resuming %d unfinished updates", self.channel, len(leftovers))
        self._workers = [
            asyncio.create_task(self._work(), name=f"{self.channel}-update-worker-{n}")
            for n in range(self.worker_count)
        ]
        return len(leftovers)

    async def drain(self, timeout: float) -> bool:
        """Wait until every admitted update is done (True) or `timeout` passes (False)."""
        try:
            async with asyncio.timeout(timeout):
                async with self._room:
                    await self._room.wait_for(lambda: self.in_flight == 0)
            return True
        except TimeoutError:
            return False

    async def stop(self, timeout: float = 8.0) -> None:
        """Finish what is queued within `timeout`; anything left stays in the inbox for later."""
        if not await self.drain(timeout):
            logger.warning(
                "%s: %d updates left unfinished; they resume at the next start",
                self.channel,
                self.in_flight,
            )
        for worker in self._workers:
            worker.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)
        self._workers = []

    # -- workers --------------------------------------------------------------------------
    async def _work(self) -> None:
        while True:
            item = await self._queue.get()
            lock = self._chat_locks.setdefault(item.chat_key, asyncio.Lock())
            try:
                async with lock:  # acquired without yielding when free: chat order is kept
                    await self._handle(item)
            finally:
                if not lock.locked() and not lock._waiters:  # type: ignore[attr-defined]
                    self._chat_locks.pop(item.chat_key, None)
                await self._release_slot()

    async def _handle(self, item: InboxItem) -> None:
        try:
            await asyncio.wait_for(self.process(item), timeout=self.handle_timeout)
        except asyncio.CancelledError:
            raise  # shutting down: the row stays unfinished and resumes at the next start
        except Exception:
            # never loop on a poison update: it is logged and marked done below
            logger.exception("%s update %s failed", self.channel, item.update_id)
        await asyncio.to_thread(inbox.mark_done, self.engine, item.row_id)

    def _take_slot(self) -> None:
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)

    async def _release_slot(self) -> None:
        self.in_flight -= 1
        async with self._room:
            self._room.notify_all()
