"""The Telegram channel in-process: a real PTB Application against the fake Bot API server."""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.runtime import Runtime
from bot.settings import Settings
from bot.telegram_adapter import run_telegram
from bot.wiring import Services
from handlers import done
from handlers.conversation import Conversation, ConversationConfig
from knowledge.db import init_db, make_engine
from tests.fakes.telegram_server import FakeTelegramServer
from tests.support.handmade_knowledge import handmade, seeded_engine
from tests.support.telegram_html import html_problems

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ADMIN = 900


async def until(predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
    """Poll without blocking the event loop the bot runs on."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {predicate}")
        await asyncio.sleep(0.02)


@pytest.fixture
async def running(tmp_path: Path, telegram_server: FakeTelegramServer):
    import handlers.models  # noqa: F401
    import jobs.models  # noqa: F401

    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'tg.db'}",
        telegram_bot_token=telegram_server.token,
        telegram_base_url=telegram_server.base_url,
        admin_ids=frozenset({str(ADMIN)}),
    )
    engine = seeded_engine(tmp_path / "tg.db")

    def clock() -> datetime:
        return datetime(2026, 11, 22, 9, 0, tzinfo=TZ)

    services = Services(settings=settings, engine=engine, tz=TZ, clock=clock)
    conversation = Conversation(
        engine, ConversationConfig.from_settings(settings), clock, knowledge=handmade()
    )
    done.register(conversation)  # as bot.run.build_conversation does: /nhatky, /tinhtrang, /xong
    runtime = Runtime(services=services, conversation=conversation)
    task = asyncio.create_task(run_telegram(runtime))
    await until(lambda: "telegram" in runtime.ready or task.done())
    yield telegram_server
    runtime.stop.set()
    await asyncio.wait_for(task, 10)
    for params in telegram_server.calls("sendMessage"):
        assert html_problems(params["text"]) == [], params["text"]
        assert params["parse_mode"] == "HTML"
    assert telegram_server.errors == []


async def replies(server: FakeTelegramServer, chat: int, count: int) -> list[dict]:
    """The first messages sent to a chat, their "text" turned back into plain text."""
    sent = await until(lambda: (m := server.sent_messages(chat)) and len(m) >= count and m)
    return [{**m, "text": plain(m["text"])} for m in sent]


def plain(html_text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


async def test_start_menu_and_commands(running: FakeTelegramServer) -> None:
    server = running
    names = [c["command"] for c in server.commands]
    assert names[:7] == ["start", "donvi", "nhiemvu", "hanchot", "vanban", "timkiem", "nhacnho"]
    assert names[-1] == "trogiup"
    assert "thongke" not in names
    admin_menu = server.commands_for({"type": "chat", "chat_id": ADMIN})
    assert "thongke" in [c["command"] for c in admin_menu]
    assert all(c["description"] for c in server.commands)
    server.enqueue_message(42, "/start")
    first = (await replies(server, 42, 1))[0]
    assert first["text"].startswith("Xin chào Người dùng!")
    buttons = [b for row in first["reply_markup"]["inline_keyboard"] for b in row]
    tccb = next(b for b in buttons if b["text"] == "Phòng Tổ chức cán bộ")
    assert all(len(b["callback_data"].encode()) <= 64 for b in buttons)
    assert server.calls("sendChatAction")[0] == {"chat_id": 42, "action": "typing"}
    server.enqueue_callback(42, tccb["callback_data"])
    chosen = (await replies(server, 42, 2))[1]
    assert "Phòng Tổ chức cán bộ" in chosen["text"]
    assert server.calls("answerCallbackQuery")


async def test_groups_answer_only_when_addressed(running: FakeTelegramServer) -> None:
    server = running
    group = -100123
    server.enqueue_group_message(group, "chào mọi người", user_id=5)
    server.enqueue_group_message(group, "/start@other_bot", user_id=5)
    server.enqueue_group_message(group, "/donvi@cchc_test_bot tccb", user_id=5)
    await replies(server, group, 1)
    server.enqueue_group_message(group, "@cchc_test_bot han nop bao cao", user_id=5)
    server.enqueue_group_message(group, "hỏi tiếp", user_id=6, reply_to_bot=True)
    server.enqueue_group_message(group, "/trogiup", user_id=6)
    texts = [m["text"] for m in await replies(server, group, 4)]
    assert "Nhóm này thuộc Phòng Tổ chức cán bộ" in texts[0]
    assert texts[1].startswith("Trả lời: han nop bao cao — trang 1")
    assert texts[2].startswith("Trả lời: hỏi tiếp")
    assert "Các lệnh" in texts[3]
    await until(lambda: server.pending_updates() == 0)
    assert (
        len(server.sent_messages(group)) == 4
    )  # silent on the chatter and the other bot's command


async def test_unsupported_duplicate_and_stale(running: FakeTelegramServer) -> None:
    server = running
    server.enqueue_photo(7)
    server.enqueue_sticker(7)
    update = server.enqueue_message(7, "/trogiup")
    server.enqueue_update({**_raw_message(7, "/trogiup"), "update_id": update})  # delivered twice
    server.enqueue_callback(7, "m:oldtoken:1")
    texts = [m["text"] for m in await replies(server, 7, 4)]
    assert texts[0].startswith("Hiện chỉ hỗ trợ tin nhắn văn bản.")
    assert texts[1].startswith("Hiện chỉ hỗ trợ tin nhắn văn bản.")
    assert "Các lệnh" in texts[2]
    assert texts[3] == "Nội dung đã cũ, vui lòng hỏi lại."
    await until(lambda: server.pending_updates() == 0)
    assert len(server.sent_messages(7)) == 4


async def test_admin_refusal_and_stats(running: FakeTelegramServer) -> None:
    server = running
    server.enqueue_message(8, "/thongke")
    server.enqueue_message(ADMIN, "/thongke")
    assert "chỉ dành cho cán bộ quản trị" in (await replies(server, 8, 1))[0]["text"]
    assert "Thống kê người dùng theo đơn vị" in (await replies(server, ADMIN, 1))[0]["text"]


async def test_a_failing_send_is_logged_redacted_and_apologised(
    running: FakeTelegramServer, caplog
) -> None:
    server = running
    server.fail_next(
        "sendMessage", "400", chat_id=9, description="Bad Request: can't parse entities"
    )
    server.enqueue_message(9, "/trogiup")
    sorry = (await replies(server, 9, 1))[0]
    assert sorry["text"].startswith("Xin lỗi, đã có lỗi")
    assert "Telegram update failed" in caplog.text
    assert server.token not in caplog.text


def _raw_message(chat: int, text: str) -> dict:
    return {
        "message": {
            "message_id": 999,
            "date": 0,
            "chat": {"id": chat, "type": "private"},
            "from": {"id": chat, "is_bot": False, "first_name": "A"},
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
        }
    }


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_webhook_mode_checks_the_secret(
    tmp_path: Path, telegram_server: FakeTelegramServer
) -> None:
    import json
    import urllib.error
    import urllib.request

    port = _free_port()
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'wh.db'}",
        telegram_bot_token=telegram_server.token,
        telegram_base_url=telegram_server.base_url,
        webhook_url="https://bot.example.invalid/tg-hook",
        webhook_secret="s3cret-Token_1",
        webhook_listen="127.0.0.1",
        webhook_port=port,
    )
    engine = make_engine(settings.database_url)
    import handlers.models  # noqa: F401
    import jobs.models  # noqa: F401

    init_db(engine)

    def clock() -> datetime:
        return datetime(2026, 11, 22, 9, 0, tzinfo=TZ)

    runtime = Runtime(
        services=Services(settings=settings, engine=engine, tz=TZ, clock=clock),
        conversation=Conversation(engine, ConversationConfig(), clock, knowledge=handmade()),
    )
    task = asyncio.create_task(run_telegram(runtime))
    await until(lambda: "telegram" in runtime.ready or task.done())
    hook = telegram_server.calls("setWebhook")[-1]
    assert hook["url"] == settings.webhook_url and hook["secret_token"] == settings.webhook_secret
    assert not telegram_server.calls("getUpdates")

    def post(secret: str, update_id: int) -> int:
        body = json.dumps({"update_id": update_id, **_raw_message(55, "/trogiup")}).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/tg-hook",
            data=body,
            headers={
                "Content-Type": "application/json",
                "X-Telegram-Bot-Api-Secret-Token": secret,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as err:
            return err.code

    assert await asyncio.to_thread(post, "wrong", 1) == 403
    assert await asyncio.to_thread(post, settings.webhook_secret, 2) == 200
    texts = await replies(telegram_server, 55, 1)
    assert "Các lệnh" in texts[0]["text"]
    runtime.stop.set()
    await asyncio.wait_for(task, 10)
    assert len(telegram_server.sent_messages(55)) == 1
    assert telegram_server.errors == []


async def test_flood_control_on_a_reply_is_retried_after_retry_after(
    running: FakeTelegramServer,
) -> None:
    server = running
    server.fail_next("sendMessage", "429", chat_id=12, retry_after=1)
    server.enqueue_message(12, "/trogiup")
    assert "Các lệnh" in (await replies(server, 12, 1))[0]["text"]
    outcomes = [
        r.outcome
        for r in server.requests
        if r.method == "sendMessage" and r.params.get("chat_id") == 12
    ]
    assert outcomes == ["429", "ok"]  # AIORateLimiter waited and sent it once more, not twice


async def test_a_group_upgraded_to_a_supergroup_keeps_its_unit(
    running: FakeTelegramServer,
) -> None:
    server = running
    server.enqueue_message(-5, "/donvi tccb", user_id=5, chat_type="group")
    await replies(server, -5, 1)
    server.enqueue_update(
        {
            "message": {
                "message_id": 77,
                "date": 0,
                "chat": {"id": -5, "type": "group", "title": "Nhóm"},
                "from": {"id": 5, "is_bot": False, "first_name": "A"},
                "migrate_to_chat_id": -1005,
            }
        }
    )
    await until(lambda: server.pending_updates() == 0)
    server.enqueue_group_message(-1005, "/start", user_id=5)
    text = (await replies(server, -1005, 1))[0]["text"]
    assert "Đơn vị hiện tại: Phòng Tổ chức cán bộ" in text


async def test_admin_receives_the_audit_csv_as_a_document(running: FakeTelegramServer) -> None:
    import csv
    import io

    server = running
    server.enqueue_message(8, "/nhatky csv")
    assert "chỉ dành cho cán bộ quản trị" in (await replies(server, 8, 1))[0]["text"]
    server.enqueue_message(ADMIN, "/nhatky csv")
    [sent] = await until(lambda: server.sent_documents(ADMIN))
    assert server.sent_documents(8) == [] and server.sent_messages(ADMIN) == []
    assert plain(sent["caption"]) == "Nhật ký nhắc hạn và đánh dấu hoàn thành (CSV) đính kèm."
    assert html_problems(sent["caption"]) == [] and sent["parse_mode"] == "HTML"
    document = sent["document"]
    assert document["filename"] == "nhat_ky_20261122.csv" and document["mime_type"] == "text/csv"
    assert document["data"].startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(document["data"].decode("utf-8-sig"), newline="")))
    assert rows[0] == [
        "thoi_gian",
        "su_kien",
        "don_vi",
        "ma_han",
        "nguoi_nhan_hoac_thuc_hien",
        "trang_thai",
        "chi_tiet",
    ]


async def test_a_forged_admin_update_never_shows_admin_output_in_the_forgers_chat(
    running: FakeTelegramServer,
) -> None:
    """Admin rights come from from.id: the output goes to the admin's private chat, not chat.id."""
    server = running
    forger_chat, group = 777, -100555
    server.enqueue_message(forger_chat, "/thongke", user_id=ADMIN)  # chat.id is not the admin's
    server.enqueue_group_message(group, "/nhatky csv", user_id=ADMIN)
    admin_texts = await until(
        lambda: (
            len(server.sent_messages(ADMIN)) + len(server.sent_documents(ADMIN)) >= 2
            and server.sent_messages(ADMIN)
        )
    )
    assert any("Thống kê người dùng theo đơn vị" in plain(m["text"]) for m in admin_texts)
    await until(lambda: server.sent_documents(ADMIN))
    for chat in (forger_chat, group):
        texts = [plain(m["text"]) for m in await replies(server, chat, 1)]
        assert texts == [
            "Kết quả lệnh quản trị đã được gửi riêng cho bạn (trong cuộc trò chuyện riêng với "
            "bot)."
        ], texts
        assert server.sent_documents(chat) == []
