"""Chat side of the web board through the real Conversation: /bangtheodoi, /lich, files on Zalo."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from starlette.testclient import TestClient

from bot.run import build_conversation
from bot.settings import Settings
from bot.wiring import build_services
from handlers.types import ContentKind, Incoming
from web.app import create_app
from web.config import WebConfig

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 12, 3, 9, 0, tzinfo=TZ)
BASE = "http://127.0.0.1:8080"
ADMIN = "900"
ZALO_ADMIN = "zalo-admin-1"


def _conversation(db: Path, **settings: object):  # type: ignore[no-untyped-def]
    config = Settings(database_url=f"sqlite:///{db}", admin_ids=frozenset({ADMIN, f"zalo:{ZALO_ADMIN}"}),
                      **settings)  # type: ignore[arg-type]
    services = build_services(config, clock=lambda: NOW)
    return build_conversation(services), services


@pytest.fixture
def conv(bundled_copy: Path):  # type: ignore[no-untyped-def]
    return _conversation(bundled_copy, web_port=8080, web_base_url=BASE)


def say(conv, user: str, text: str, channel: str = "telegram") -> str:  # type: ignore[no-untyped-def]
    replies = conv.handle(Incoming(channel=channel, chat_id=user, user_id=user, display_name=f"CB {user}",
                                   kind=ContentKind.TEXT, text=text))
    return "\n".join(r.text for r in replies)


def test_login_links_only_for_admins_and_not_too_many(conv) -> None:  # type: ignore[no-untyped-def]
    conv, _ = conv
    assert "chỉ dành cho cán bộ quản trị" in say(conv, "501", "/bangtheodoi")
    first = say(conv, ADMIN, "/bangtheodoi")
    links = re.findall(rf"{re.escape(BASE)}/dangnhap\?t=\S+", first)
    assert len(links) == 1 and "15 phút" in first
    assert links[0] not in say(conv, ADMIN, "/bangtheodoi")  # each link is new
    for _ in range(8):
        say(conv, ADMIN, "/bangtheodoi")
    assert "trong một giờ qua" in say(conv, ADMIN, "/bangtheodoi")
    assert "/dangnhap" in say(conv, ZALO_ADMIN, "/bangtheodoi", channel="zalo")


def test_no_links_when_the_web_board_is_off(bundled_copy: Path) -> None:
    conv, _ = _conversation(bundled_copy)  # WEB_PORT=0
    assert "chưa được bật" in say(conv, ADMIN, "/bangtheodoi")
    assert "chưa được bật" in say(conv, "501", "/lich")


def test_lich_gives_the_units_stable_feed(conv) -> None:  # type: ignore[no-untyped-def]
    conv, _ = conv
    assert "chưa chọn đơn vị" in say(conv, "501", "/lich")
    say(conv, "501", "/donvi tccb")
    first = re.findall(r"http://\S+\.ics", say(conv, "501", "/lich"))
    assert len(first) == 1 and "/lich/" in first[0]
    assert re.findall(r"http://\S+\.ics", say(conv, "501", "/lich")) == first  # same URL again
    say(conv, "502", "/donvi tccb")
    assert re.findall(r"http://\S+\.ics", say(conv, "502", "/lich")) == first  # one per unit
    personal = re.findall(r"http://\S+\.ics", say(conv, "501", "/lich rieng"))
    assert personal and personal != first
    assert "Cách dùng" in say(conv, "501", "/lich abc")


def test_zalo_gets_csv_exports_as_one_time_links(conv) -> None:  # type: ignore[no-untyped-def]
    conv, services = conv
    telegram = conv.handle(Incoming(channel="telegram", chat_id=ADMIN, user_id=ADMIN, display_name="A",
                                    text="/tinhtrang csv"))
    assert telegram[0].attachment is not None  # Telegram still sends the file itself
    text = say(conv, ZALO_ADMIN, "/tinhtrang csv", channel="zalo")
    url = re.search(rf"{re.escape(BASE)}/tai/\S+", text).group(0)
    audit = re.search(rf"{re.escape(BASE)}/tai/\S+", say(conv, ZALO_ADMIN, "/nhatky csv", channel="zalo"))
    assert audit is not None
    web = TestClient(create_app(WebConfig(engine=services.engine, tz=TZ, clock=lambda: NOW, base_url=BASE)),
                     base_url=BASE)
    response = web.get(url.removeprefix(BASE))
    assert response.status_code == 200
    assert response.content == telegram[0].attachment.data  # same board, same day, same bytes
    assert web.get(url.removeprefix(BASE)).status_code == 404  # used once


def test_console_chat_serves_the_board_too(tmp_path: Path) -> None:
    """`make run` without tokens: the console chat, with the board beside it on WEB_PORT."""
    import socket
    import subprocess
    import urllib.request

    from tests.support.subprocess_bot import bot_env, start_bot

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = bot_env(tmp_path, ADMIN_IDS="console", WEB_PORT=str(port))
    process = start_bot(env, stdin=subprocess.PIPE)
    try:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write("/bangtheodoi\n")
        process.stdin.flush()
        link = ""
        while not link:
            line = process.stdout.readline()
            assert line, "the console ended without a link"
            found = re.search(rf"http://127\.0\.0\.1:{port}/dangnhap\?t=\S+", line)
            link = found.group(0) if found else ""
        with urllib.request.urlopen(link, timeout=30) as response:
            assert response.status == 200 and "Đăng nhập" in response.read().decode()
    finally:
        if process.stdin:
            process.stdin.close()
            process.stdin = None  # end of input: the console stops
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err[-2000:]
    assert "dangnhap?t=" not in err


def test_housekeeping_forgets_used_files_and_old_links(conv) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from sqlmodel import select

    from handlers.models import DownloadLink, WebLoginToken
    from knowledge.db import read_session

    conv, services = conv
    say(conv, ADMIN, "/bangtheodoi")
    say(conv, ZALO_ADMIN, "/tinhtrang csv", channel="zalo")
    conv.housekeeping()
    with read_session(services.engine) as session:
        assert len(session.exec(select(DownloadLink)).all()) == 1  # still waiting for its download
        assert len(session.exec(select(WebLoginToken)).all()) == 1
    later = NOW + timedelta(days=2)
    conv.clock = lambda: later
    conv.housekeeping()
    with read_session(services.engine) as session:
        assert session.exec(select(DownloadLink)).all() == []
        assert session.exec(select(WebLoginToken)).all() == []
