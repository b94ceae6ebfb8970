"""The fake Bot API server itself, driven by a real python-telegram-bot Bot."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import Forbidden, NetworkError, RetryAfter

from tests.fakes.telegram_server import FakeTelegramServer


def _bot(server: FakeTelegramServer) -> Bot:
    return Bot(server.token, base_url=server.base_url)


async def test_real_bot_calls_are_recorded_and_parsed(telegram_server: FakeTelegramServer) -> None:
    async with _bot(telegram_server) as bot:
        assert bot.username == telegram_server.bot_username
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("Phòng TCCB", callback_data="u:3")]])
        message = await bot.send_message(
            42, "Xin chào <b>bạn</b>", parse_mode="HTML", reply_markup=markup
        )
        await bot.set_my_commands([BotCommand("start", "Bắt đầu")])
        await bot.send_chat_action(42, "typing")
        await bot.edit_message_text("Đã sửa", chat_id=42, message_id=message.message_id)
        assert await bot.delete_webhook()
    sent = telegram_server.sent_messages(42)
    assert sent[0]["text"] == "Xin chào <b>bạn</b>"
    assert sent[0]["chat_id"] == 42
    assert sent[0]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "u:3"
    assert telegram_server.commands == [{"command": "start", "description": "Bắt đầu"}]
    assert telegram_server.calls("editMessageText")[0]["text"] == "Đã sửa"
    assert telegram_server.errors == []


async def test_get_updates_offset_confirms(telegram_server: FakeTelegramServer) -> None:
    first = telegram_server.enqueue_message(7, "/start")
    telegram_server.enqueue_callback(7, "more:abc")
    telegram_server.enqueue_photo(7)
    async with _bot(telegram_server) as bot:
        updates = await bot.get_updates(timeout=0)
        assert [u.update_id for u in updates] == [first, first + 1, first + 2]
        assert updates[0].message.text == "/start"
        assert updates[0].message.entities[0].type == "bot_command"
        assert updates[1].callback_query.data == "more:abc"
        assert updates[2].message.photo
        again = await bot.get_updates(offset=first + 1, timeout=0)
        assert [u.update_id for u in again] == [first + 1, first + 2]
        assert await bot.get_updates(offset=first + 3, timeout=0) == ()
    assert telegram_server.pending_updates() == 0
    assert telegram_server.errors == []


async def test_injected_failures(telegram_server: FakeTelegramServer) -> None:
    telegram_server.fail_next("sendMessage", "429", retry_after=3)
    telegram_server.fail_next("sendMessage", "403", chat_id=99)
    telegram_server.fail_next("sendMessage", "500")
    telegram_server.fail_next("sendMessage", "drop")
    async with _bot(telegram_server) as bot:
        with pytest.raises(RetryAfter) as retry:
            await bot.send_message(1, "a")
        assert "3 seconds" in retry.value.message
        with pytest.raises(Forbidden):
            await bot.send_message(99, "b")
        with pytest.raises(NetworkError):  # 500 surfaces as NetworkError in PTB
            await bot.send_message(1, "c")
        with pytest.raises(NetworkError):
            await bot.send_message(1, "d")
        await bot.send_message(1, "e")
    outcomes = [r.outcome for r in telegram_server.requests if r.method == "sendMessage"]
    assert outcomes == ["429", "403", "500", "drop", "ok"]
    assert telegram_server.sent_texts() == ["e"]
    assert telegram_server.errors == []


def test_unknown_method_fails_loudly_and_json_bodies_work(
    telegram_server: FakeTelegramServer,
) -> None:
    url = f"{telegram_server.base_url}{telegram_server.token}"
    request = urllib.request.Request(
        f"{url}/sendMessage",
        data=json.dumps({"chat_id": 5, "text": "123"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert json.load(response)["ok"] is True
    assert telegram_server.sent_texts(5) == ["123"]
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(f"{url}/sendDice", data=b"chat_id=5", timeout=5)
    assert err.value.code == 404
    assert telegram_server.errors == ["unknown method sendDice"]


async def test_uploaded_documents_are_parsed_from_multipart(
    telegram_server: FakeTelegramServer,
) -> None:
    from telegram import InputFile
    from telegram.error import TelegramError

    data = "\ufeffthoi_gian,su_kien\r\n2026-11-22 08:00:00,nhắc hạn\r\n".encode()
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Xem", callback_data="u:3")]])
    async with _bot(telegram_server) as bot:
        message = await bot.send_document(
            42,
            InputFile(data, filename="nhat_ky.csv"),
            caption="123 <b>đính kèm</b>",
            parse_mode="HTML",
            reply_markup=markup,
        )
        assert message.document is not None and message.document.file_name == "nhat_ky.csv"
        assert message.caption == "123 <b>đính kèm</b>"
        with pytest.raises(TelegramError):  # an unimplemented upload still fails loudly
            await bot.send_photo(42, InputFile(b"\x89PNG", filename="a.png"))
    [sent] = telegram_server.sent_documents(42)
    assert sent["document"] == {"filename": "nhat_ky.csv", "mime_type": "text/csv", "data": data}
    assert sent["caption"] == "123 <b>đính kèm</b>" and sent["chat_id"] == 42
    assert sent["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "u:3"
    assert telegram_server.errors == ["unknown method sendPhoto"]
