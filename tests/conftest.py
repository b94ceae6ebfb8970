"""Shared pytest fixtures: the fake Telegram Bot API server."""

from __future__ import annotations

from typing import Iterator

import pytest

from tests.fakes.telegram_server import FakeTelegramServer


@pytest.fixture
def telegram_server() -> Iterator[FakeTelegramServer]:
    """A started fake Bot API server on 127.0.0.1 (random port); stopped after the test."""
    server = FakeTelegramServer().start()
    try:
        yield server
    finally:
        server.stop()
