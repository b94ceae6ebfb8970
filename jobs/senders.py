"""The Sender protocol channel adapters implement, its outcomes, and a per-channel rate limiter."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from typing import Protocol, runtime_checkable


class OutcomeKind(str, Enum):
    OK = "ok"
    RETRY_AFTER = "retry_after"  # flood control: wait `retry_after` seconds, then send again
    FORBIDDEN = "forbidden"  # the chat blocked the bot or no longer exists: deactivate it
    TRANSIENT_ERROR = "transient_error"  # network or 5xx: back off, try again later
    INVALID = "invalid"  # the channel rejected this message for good (e.g. 400 bad text)


@dataclass(frozen=True)
class SendOutcome:
    kind: OutcomeKind
    retry_after: float = 0.0
    detail: str = ""

    @classmethod
    def ok(cls) -> SendOutcome:
        return cls(OutcomeKind.OK)

    @classmethod
    def retry_after_seconds(cls, seconds: float, detail: str = "") -> SendOutcome:
        return cls(OutcomeKind.RETRY_AFTER, max(0.0, float(seconds)), detail)

    @classmethod
    def forbidden(cls, detail: str = "") -> SendOutcome:
        return cls(OutcomeKind.FORBIDDEN, detail=detail)

    @classmethod
    def transient_error(cls, detail: str = "") -> SendOutcome:
        return cls(OutcomeKind.TRANSIENT_ERROR, detail=detail)

    @classmethod
    def invalid(cls, detail: str = "") -> SendOutcome:
        return cls(OutcomeKind.INVALID, detail=detail)


@dataclass(frozen=True)
class Address:
    """Where a message goes: a chat on a channel (ChatAddress rows satisfy the same shape)."""

    channel: str
    chat_id: str
    is_group: bool = False


class ChatLike(Protocol):
    """Anything naming a chat: an Address, a ChatAddress row, a claimed outbox item."""

    @property
    def channel(self) -> str: ...

    @property
    def chat_id(self) -> str: ...

    @property
    def is_group(self) -> bool: ...


@runtime_checkable
class Sender(Protocol):
    """A channel's outgoing side; it never raises for delivery problems, it returns an outcome."""

    channel: str
    # optional `message_limit: int`: characters per message (set from the channel description);
    # without it the outbox uses jobs.combine.DEFAULT_LIMIT

    async def send(self, address: ChatLike, text: str) -> SendOutcome: ...


class RateLimiter:
    """Paces sends: `per_second` overall and `group_per_minute` to any one group chat.

    Callers take turns (first come, first served): each waits for the next slot, `interval`
    after the previous one, so a long broadcast keeps the configured rate exactly instead of
    drifting, however many sends are in flight. No slot is handed out in advance: when the
    process was too busy to send on time, one missed slot is made up and the rest are dropped,
    instead of being spent in a burst (at most rate + 1 sends in any second). `pause` pushes
    the next slot back (429).
    """

    def __init__(
        self,
        per_second: float,
        group_per_minute: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self.group_per_minute = int(group_per_minute) if group_per_minute else 0
        self._clock = clock
        self._sleep = sleep
        self._next_slot = 0.0
        self._groups: dict[str, deque[float]] = {}
        self._lock = asyncio.Lock()

    def pause(self, seconds: float) -> None:
        """Flood control from the channel: nothing may be sent for `seconds`."""
        self._next_slot = max(self._next_slot, self._clock() + seconds)

    async def acquire(self, address: ChatLike) -> None:
        """Wait until a message to `address` may be sent."""
        async with self._lock:
            while True:  # again after sleeping: a pause() may have come meanwhile
                now = self._clock()
                slot = self._next_slot
                sent = self._group_log(address, now)
                if sent is not None and len(sent) >= self.group_per_minute:
                    slot = max(slot, sent[0] + 60.0)
                if slot <= now:
                    break
                await self._sleep(slot - now)
            # On time, the schedule stays exact. Late by a whole interval or more (the event loop
            # was busy), it catches up one slot at most: one extra send, never a burst.
            start = slot if now - slot < self.interval else now - self.interval
            self._next_slot = start + self.interval
            if sent is not None:
                sent.append(start)

    def _group_log(self, address: ChatLike, now: float) -> deque[float] | None:
        """Send times of the last minute to this group (None: not a group, or no group cap)."""
        if not (address.is_group and self.group_per_minute):
            return None
        sent = self._groups.setdefault(address.chat_id, deque())
        while sent and sent[0] <= now - 60.0:
            sent.popleft()
        return sent
