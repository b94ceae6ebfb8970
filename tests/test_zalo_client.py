"""The Zalo client against the fake Zalo Bot API server: envelope, typed errors, redaction."""

from __future__ import annotations

import logging

import pytest

from bot.logs import RedactingFilter
from bot.zalo_client import (
    ZaloBadRequest,
    ZaloClient,
    ZaloForbidden,
    ZaloNetworkError,
    ZaloQuotaExceeded,
    ZaloUnauthorized,
)
from tests.fakes.zalo_server import FakeZaloServer

TOKEN = "3090077098:F1bAmR8miCUvfDcjSJRyXwIytINpedyBUKVnKq9y"


@pytest.fixture
def server():
    with FakeZaloServer(TOKEN, max_poll_seconds=0.3) as srv:
        yield srv


async def test_get_me_and_one_update_per_poll(server: FakeZaloServer) -> None:
    async with ZaloClient(TOKEN, server.base_url) as client:
        me = await client.get_me()
        assert me["account_name"] == "bot.TroLyCCHC"
        server.push_update(server.text_update("c1", "một"))
        server.push_update(server.text_update("c1", "hai"))
        first = await client.get_updates(timeout=1)
        second = await client.get_updates(timeout=1)
        empty = await client.get_updates(timeout=1)  # the server answers 408
    assert [u["message"]["text"] for u in first + second] == ["một", "hai"]
    assert empty == []
    assert any(r.http_status == 408 for r in server.requests)


async def test_ok_false_with_http_200_is_an_error(server: FakeZaloServer) -> None:
    async with ZaloClient(TOKEN, server.base_url) as client:
        with pytest.raises(ZaloBadRequest):
            await client.send_message("unknown-chat", "xin chào")  # chat never wrote: 400 in 200
        with pytest.raises(ValueError):
            await client.send_message("c1", "x" * 2001)


async def test_typed_errors_for_429_and_403(server: FakeZaloServer) -> None:
    server.known_chats.add("c1")
    server.blocked_chats.add("c2")
    server.known_chats.add("c2")
    server.fail_next("sendMessage", 429)
    async with ZaloClient(TOKEN, server.base_url) as client:
        with pytest.raises(ZaloQuotaExceeded) as quota:
            await client.send_message("c1", "a")
        assert quota.value.retry_after is None  # Zalo gives no retry_after; callers pick the wait
        with pytest.raises(ZaloForbidden):
            await client.send_message("c2", "a")
        await client.send_message("c1", "a")
    assert server.sent_texts("c1") == ["a"]


async def test_token_never_in_errors_or_logs(server: FakeZaloServer, caplog) -> None:
    async with ZaloClient("999:wrong-token-abcdefghijklmnopqrstuvwxyz", server.base_url) as bad:
        with pytest.raises(ZaloUnauthorized) as unauthorized:
            await bad.get_me()
    assert "wrong-token" not in str(unauthorized.value)
    async with ZaloClient(TOKEN, "http://127.0.0.1:9") as offline:  # nothing listens on port 9
        with pytest.raises(ZaloNetworkError) as network:
            await offline.get_me()
    message = str(network.value)
    assert TOKEN not in message and "F1bAmR8" not in message
    record = logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "GET http://h/bot%s/getMe", (TOKEN,), None
    )
    RedactingFilter((TOKEN,)).filter(record)
    assert TOKEN not in record.getMessage()


async def test_a_starved_connection_pool_is_replaced_and_sends_work_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """PoolTimeout used to stick: every later reply failed without reaching the API."""
    import asyncio

    from bot import zalo_client
    from bot.zalo_client import ZaloClient, ZaloNetworkError

    monkeypatch.setattr(zalo_client, "POOL_SIZE", 1)
    monkeypatch.setattr(zalo_client, "POOL_WAIT", 0.2)
    with FakeZaloServer(TOKEN, max_poll_seconds=3.0) as server:
        server.known_chats.add("c1")
        async with ZaloClient(TOKEN, server.base_url) as client:
            hog = asyncio.create_task(client.get_updates(timeout=3))  # the only connection
            await asyncio.sleep(0.3)
            with pytest.raises(ZaloNetworkError, match="PoolTimeout"):
                await client.send_message("c1", "một")
            assert not hog.done()  # the old pool is still starved, yet the next send goes out
            await client.send_message("c1", "hai")
            assert client.healthy
            await hog
        assert server.sent_texts("c1") == ["hai"]
