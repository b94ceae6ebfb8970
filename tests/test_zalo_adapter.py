"""The Zalo adapter in-process: real Conversation, SQLite and client against the fake server."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from bot.webhook_server import WebhookRoute, WebhookServer, secret_matches
from bot.zalo_adapter import SECRET_HEADER, ZaloBot, parse_update
from bot.zalo_client import ZaloClient
from handlers import linking
from handlers.conversation import Conversation, ConversationConfig
from tests.fakes.zalo_server import FakeZaloServer
from tests.support.handmade_knowledge import handmade, seeded_engine

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=TZ)
TOKEN = "4242:adapter-test-token"


@pytest.fixture
def engine(tmp_path: Path):
    return seeded_engine(tmp_path / "zalo.db")


@pytest.fixture
def server():
    with FakeZaloServer(TOKEN, max_poll_seconds=0.5) as srv:
        yield srv


def conversation(engine) -> Conversation:
    conv = Conversation(
        engine, ConversationConfig(page_chars=400), lambda: NOW, knowledge=handmade()
    )
    linking.register(conv)
    return conv


async def test_polling_scenario(engine, server: FakeZaloServer) -> None:
    stop = asyncio.Event()
    async with ZaloClient(TOKEN, server.base_url) as client:
        bot = ZaloBot(client, conversation(engine).handle, engine)
        runner = asyncio.create_task(bot.run_polling(stop, poll_timeout=1))
        chat = "u-anh"
        server.push_update(server.text_update(chat, "/start"))
        [start] = await asyncio.to_thread(server.wait_for_texts, chat, 1)
        assert "1. " in start and "Trả lời bằng số" in start
        options = [line for line in start.splitlines() if line[:1].isdigit()]
        vp = next(line for line in options if "Văn phòng Sở" in line)
        server.push_update(server.text_update(chat, vp.split(".")[0]))  # the digit
        texts = await asyncio.to_thread(server.wait_for_texts, chat, 2)
        assert "Văn phòng Sở" in texts[1]
        server.push_update(server.text_update(chat, "han nop ke hoach cchc", message_id="dup-1"))
        texts = await asyncio.to_thread(server.wait_for_texts, chat, 3)
        assert "trang 1" in texts[2] and "Xem thêm" in texts[2] and "<b>" not in texts[2]
        server.push_update(
            server.text_update(chat, "han nop ke hoach cchc", message_id="dup-1")
        )  # redelivery
        server.push_update(server.text_update(chat, "xem them"))
        texts = await asyncio.to_thread(server.wait_for_texts, chat, 4)
        assert "trang 2" in texts[3]
        server.push_update(server.text_update(chat, "", event="message.image.received"))
        texts = await asyncio.to_thread(server.wait_for_texts, chat, 5)
        assert "chỉ hỗ trợ tin nhắn văn bản" in texts[4]
        server.push_update(
            server.text_update(chat, "", event="message.sticker.received", name_field="first_name")
        )
        texts = await asyncio.to_thread(server.wait_for_texts, chat, 6)
        assert server.wait_for(lambda: server.pending_updates() == 0)
        stop.set()
        await asyncio.wait_for(runner, 10)
    assert sum("trang 1" in t for t in server.sent_texts(chat)) == 1  # duplicate answered once
    assert server.calls("deleteWebhook")  # polling and webhook are exclusive
    assert server.calls("sendChatAction")
    assert all(len(t) <= 2000 for t in server.sent_texts())


async def test_polling_survives_errors_with_backoff(engine, server: FakeZaloServer) -> None:
    server.fail_next("getUpdates", 500)
    server.fail_next("getUpdates", 429, http=False)
    stop = asyncio.Event()
    async with ZaloClient(TOKEN, server.base_url) as client:
        bot = ZaloBot(client, conversation(engine).handle, engine)
        import bot.zalo_adapter as adapter

        adapter_default = adapter.DEFAULT_RETRY_AFTER
        adapter.DEFAULT_RETRY_AFTER = 0.1
        try:
            runner = asyncio.create_task(bot.run_polling(stop, poll_timeout=1))
            server.push_update(server.text_update("c9", "/trogiup"))
            await asyncio.to_thread(server.wait_for_texts, "c9", 1)
        finally:
            adapter.DEFAULT_RETRY_AFTER = adapter_default
        stop.set()
        await asyncio.wait_for(runner, 10)


async def test_webhook_rejects_wrong_secret_and_answers_right_one(
    engine, server: FakeZaloServer
) -> None:
    secret = "s3cret-webhook-value"
    async with ZaloClient(TOKEN, server.base_url) as client:
        bot = ZaloBot(client, conversation(engine).handle, engine)
        hook = WebhookServer("127.0.0.1", 0)
        hook.add(
            WebhookRoute("zalo", "/zalo", SECRET_HEADER, secret, parse_update, bot.pipeline.admit)
        )
        await bot.pipeline.start()
        await hook.start()
        url = f"http://127.0.0.1:{hook.port}/zalo"
        update = server.text_update("w1", "/start")
        server.known_chats.add("w1")
        try:
            async with httpx.AsyncClient() as http:
                wrong = await http.post(
                    url, json=update, headers={"X-Bot-Api-Secret-Token": "nope-nope"}
                )
                missing = await http.post(url, json=update)
                assert (wrong.status_code, missing.status_code) == (403, 403)
                assert server.sent_texts("w1") == []
                right = await http.post(
                    url,
                    json={"ok": True, "result": update},
                    headers={"X-Bot-Api-Secret-Token": secret},
                )
                assert right.status_code == 200
                [text] = await asyncio.to_thread(server.wait_for_texts, "w1", 1)
                assert "Xin chào" in text
                again = await http.post(
                    url, json=update, headers={"X-Bot-Api-Secret-Token": secret}
                )
                assert again.status_code == 200  # a redelivery is acknowledged, not answered twice
                await bot.pipeline.drain(10)
        finally:
            await hook.stop()
            await bot.pipeline.stop()
    assert len(server.sent_texts("w1")) == 1


def test_secret_comparison() -> None:
    assert secret_matches("abcdefgh", "abcdefgh")
    assert not secret_matches("abcdefgX", "abcdefgh")
    assert not secret_matches(None, "abcdefgh")
    assert not secret_matches("", "")


async def test_group_mention_is_answered_in_the_group(engine, server: FakeZaloServer) -> None:
    async with ZaloClient(TOKEN, server.base_url) as client:
        bot = ZaloBot(client, conversation(engine).handle, engine, bot_names=("Trợ lý CCHC",))
        group = server.text_update(
            "grp-1", "@Trợ lý CCHC /trogiup", user_id="member-7", chat_type="GROUP"
        )
        server.push_update(group)
        [update] = await client.get_updates(timeout=1)
        assert await bot.handle_update(update) >= 1
    [text] = server.sent_texts("grp-1")[:1]
    assert "/lienket" in text  # the mention was stripped, so the command ran


def test_update_translation() -> None:
    from bot.zalo_render import incoming_from_update
    from handlers.types import ContentKind

    server = FakeZaloServer.__new__(FakeZaloServer)  # only the update factory is needed
    import itertools

    server._ids = itertools.count(1)
    text = incoming_from_update(
        server.text_update("c", "Xin chào", name="Chị Lan", name_field="first_name")
    )
    assert (text.kind, text.display_name, text.is_group) == (ContentKind.TEXT, "Chị Lan", False)
    assert text.update_id.startswith("zalo:mid")
    sticker = incoming_from_update(server.text_update("c", "", event="message.sticker.received"))
    assert sticker.kind is ContentKind.UNSUPPORTED
    odd = incoming_from_update(
        {
            "event_name": "message.unsupported.received",
            "message": {"from": {"id": "u"}, "chat": {"id": "c"}, "message_id": "x"},
        }
    )
    assert odd.kind is ContentKind.UNSUPPORTED
    assert incoming_from_update({"event_name": "message.text.received"}) is None
    from_bot = server.text_update("c", "hi")
    from_bot["message"]["from"]["is_bot"] = True
    assert incoming_from_update(from_bot) is None
    bare = {
        "message": {
            "from": {"id": "u", "display_name": "A"},
            "chat": {"id": "c", "chat_type": "PRIVATE"},
            "text": "hello",
            "message_id": "m1",
            "date": 1,
        }
    }  # getUpdates samples lack event_name
    assert incoming_from_update(bare).kind is ContentKind.TEXT
