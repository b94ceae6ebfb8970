"""`python -m bot` as a subprocess against the fake Bot API server: a whole conversation."""

from __future__ import annotations

import html
import re
import signal
from pathlib import Path

from tests.fakes.telegram_server import FakeTelegramServer
from tests.support.subprocess_bot import bot_env, start_bot, stop_bot, telegram_bot_env
from tests.support.telegram_html import html_problems

USER = 4242
ADMIN = 777
GROUP = -1001234


def plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def buttons(message: dict) -> list[dict]:
    markup = message.get("reply_markup") or {}
    return [b for row in markup.get("inline_keyboard", []) for b in row]


def test_full_scenario_against_fake_server(
    tmp_path: Path, telegram_server: FakeTelegramServer
) -> None:
    server = telegram_server
    env = telegram_bot_env(tmp_path, server, ADMIN_IDS=str(ADMIN))
    process = start_bot(env)
    try:
        server.wait_for(lambda: server.calls("getUpdates"), timeout=60)  # polling started
        assert [c["command"] for c in server.commands][:3] == ["start", "donvi", "nhiemvu"]

        def next_reply(count: int) -> dict:
            return server.wait_for_messages(count, USER, timeout=30)[count - 1]

        # /start → greeting and unit buttons
        server.enqueue_message(USER, "/start", first_name="Lan")
        start = next_reply(1)
        assert plain(start["text"]).startswith("Xin chào Lan!")
        unit_button = next(b for b in buttons(start) if "Tổ chức cán bộ" in b["text"])
        assert all(len(b["callback_data"].encode()) <= 64 for b in buttons(start))

        # choose the unit by button
        server.enqueue_callback(USER, unit_button["callback_data"])
        assert "Tổ chức cán bộ" in plain(next_reply(2)["text"])

        # /nhiemvu → the unit's duties with sources
        server.enqueue_message(USER, "/nhiemvu")
        duties = plain(next_reply(3)["text"])
        assert "Tổ chức cán bộ" in duties and "Nguồn" in duties

        # a free-text question without diacritics, long enough for "Xem thêm"
        server.enqueue_message(USER, "nhiem vu cua phong to chuc can bo")
        answer = next_reply(4)
        more = next(b for b in buttons(answer) if b["text"] == "Xem thêm")
        server.enqueue_callback(USER, more["callback_data"])
        page_two = next_reply(5)
        assert plain(page_two["text"]) != plain(answer["text"])

        # a stale button, then an unsupported message type
        server.enqueue_callback(USER, "m:zzzzzzzz:1")
        assert plain(next_reply(6)["text"]) == "Nội dung đã cũ, vui lòng hỏi lại."
        server.enqueue_photo(USER)
        assert plain(next_reply(7)["text"]).startswith("Hiện chỉ hỗ trợ tin nhắn văn bản.")

        # the same update delivered twice is answered once
        update_id = server.enqueue_message(USER, "/trogiup")
        server.enqueue_message(USER, "/trogiup", update_id=update_id)
        assert "/hanchot" in plain(next_reply(8)["text"])

        # a group: silent on chatter, answers a command addressed to it; admin-only commands
        server.enqueue_group_message(GROUP, "chào cả nhà", user_id=USER)
        server.enqueue_group_message(
            GROUP, f"/donvi@{server.bot_username} van phong so", user_id=USER
        )
        group_reply = server.wait_for_messages(1, GROUP, timeout=30)[0]
        assert "Nhóm này thuộc Văn phòng Sở" in plain(group_reply["text"])
        server.enqueue_message(USER, "/thongke")
        assert "chỉ dành cho cán bộ quản trị" in plain(next_reply(9)["text"])
        server.enqueue_message(ADMIN, "/thongke")
        stats = plain(server.wait_for_messages(1, ADMIN, timeout=30)[0]["text"])
        assert "Phòng Tổ chức cán bộ (TCCB): 1 người, 0 nhóm" in stats
        assert "Văn phòng Sở (VP): 0 người, 1 nhóm" in stats
        server.wait_until_consumed(timeout=30)
    finally:
        out, err = stop_bot(process)
    assert process.returncode == 0, err[-3000:]
    assert "Traceback" not in err, err[-3000:]
    assert server.token not in err + out
    assert len(server.sent_messages(USER)) == 9  # nothing doubled (the duplicate update)
    assert len(server.sent_messages(GROUP)) == 1  # the chatter got no answer
    for params in server.calls("sendMessage"):
        assert params.get("parse_mode") == "HTML"
        assert html_problems(params["text"]) == [], params["text"]
        assert len(params["text"]) <= 4096
    assert server.calls("sendChatAction")
    assert len(server.calls("answerCallbackQuery")) == 3
    assert server.errors == []


def test_sigint_stops_cleanly_and_a_restart_does_not_answer_twice(
    tmp_path: Path, telegram_server: FakeTelegramServer
) -> None:
    server = telegram_server
    env = telegram_bot_env(tmp_path, server)
    for round_ in range(2):
        polls_before = len(server.calls("getUpdates"))
        process = start_bot(env)
        try:
            server.wait_for(
                lambda before=polls_before: len(server.calls("getUpdates")) > before, timeout=60
            )
            if round_ == 0:
                server.enqueue_message(USER, "/trogiup")
                server.wait_for_messages(1, USER, timeout=30)
                server.wait_until_consumed(timeout=30)
        finally:
            _, err = stop_bot(process, signal.SIGINT)
        assert process.returncode == 0, err[-3000:]
        assert "Traceback" not in err
    assert len(server.sent_messages(USER)) == 1
    assert server.errors == []


def test_a_wrong_token_exits_with_a_clear_message(
    tmp_path: Path, telegram_server: FakeTelegramServer
) -> None:
    env = bot_env(
        tmp_path,
        TELEGRAM_BOT_TOKEN="999:wrong-token-for-the-fake-server-xx",
        TELEGRAM_BASE_URL=telegram_server.base_url,
    )
    process = start_bot(env)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert err.count("Telegram từ chối TELEGRAM_BOT_TOKEN (token không hợp lệ).") == 1
    assert "Traceback" not in err and "wrong-token" not in err and "InvalidToken" not in err
    # Reminders use the channel's own bot: the token is checked once, never by a second Bot
    # (whose failure raced the channel's and was logged with a traceback).
    assert len(telegram_server.calls("getMe", outcome=None)) == 1


def test_guitin_reaches_subscribers_through_the_reminder_scheduler(
    tmp_path: Path, telegram_server: FakeTelegramServer
) -> None:
    server = telegram_server
    env = telegram_bot_env(tmp_path, server, ADMIN_IDS=str(ADMIN))
    process = start_bot(env)
    try:
        server.wait_for(lambda: server.calls("getUpdates"), timeout=60)
        server.enqueue_message(USER, "/donvi tccb")
        server.enqueue_group_message(GROUP, "/donvi tccb", user_id=USER)
        server.wait_for_messages(1, USER, timeout=30)
        server.wait_for_messages(1, GROUP, timeout=30)
        server.enqueue_message(ADMIN, "/guitin tccb | Họp giao ban CCHC lúc 8h & mang <báo cáo>")
        prompt = server.wait_for_messages(1, ADMIN, timeout=30)[0]
        assert "Gửi tới 2 cuộc trò chuyện của Phòng Tổ chức cán bộ (TCCB)" in plain(prompt["text"])
        send = next(b for b in buttons(prompt) if b["text"] == "Gửi")
        server.enqueue_callback(ADMIN, send["callback_data"])
        server.enqueue_callback(ADMIN, send["callback_data"])  # pressed twice: sent once
        text = "Họp giao ban CCHC lúc 8h & mang <báo cáo>"
        server.wait_for(
            lambda: text in server.sent_texts(USER) and text in server.sent_texts(GROUP),
            timeout=60,
        )
        server.wait_for(lambda: len(server.sent_texts(ADMIN)) >= 3, timeout=30)
        confirmations = [plain(t) for t in server.sent_texts(ADMIN)[1:]]
        assert confirmations[0].startswith("Đã xếp hàng gửi tới 2")
        assert confirmations[1] == "Nội dung đã cũ, vui lòng hỏi lại."
    finally:
        _, err = stop_bot(process, timeout=30)
    assert process.returncode == 0, err[-3000:]
    assert server.sent_texts(USER).count(text) == 1 and server.sent_texts(GROUP).count(text) == 1
    assert server.errors == []
