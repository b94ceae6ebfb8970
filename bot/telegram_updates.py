"""Telegram updates handled concurrently across chats, strictly in order within one chat."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# PTB holds its own semaphore around do_process_update. Updates queued behind a busy chat wait
# inside it, so it is made larger than the work limit: one chatty chat never takes every slot.
WAITING_PER_SLOT = 16


class ChatOrderedUpdateProcessor(BaseUpdateProcessor):
    """At most `limit` updates are handled at once; one chat's updates run one after another.

    PTB starts a task per update in arrival order. Each task first takes its chat's lock (asyncio
    locks are first-come, first-served, so a chat's updates keep their order) and only then one
    of the `limit` work slots, so updates of other chats go ahead while a chat waits.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(max(1, limit) * WAITING_PER_SLOT)
        self.limit = max(1, limit)
        self._slots = asyncio.BoundedSemaphore(self.limit)
        self._chats: dict[object, tuple[asyncio.Lock, int]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _chat_key(update)
        if key is None:
            async with self._slots:
                await coroutine
            return
        lock, users = self._chats.get(key, (asyncio.Lock(), 0))
        self._chats[key] = (lock, users + 1)
        try:
            async with lock, self._slots:
                await coroutine
        finally:
            lock, users = self._chats[key]
            if users <= 1:
                del self._chats[key]
            else:
                self._chats[key] = (lock, users - 1)

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""


def _chat_key(update: object) -> object:
    if isinstance(update, Update) and update.effective_chat is not None:
        return update.effective_chat.id
    return None
