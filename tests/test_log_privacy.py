"""At DEBUG level the log holds no whole update, no message text with a code, no guessed code;
forwarded-for headers are believed only from TRUSTED_PROXIES."""

from __future__ import annotations

import ipaddress
import re
import subprocess
import time
from pathlib import Path

from starlette.requests import Request

from bot.webhook_server import client_address
from tests.fakes.telegram_server import FakeTelegramServer
from tests.support.subprocess_bot import start_bot, stop_bot, telegram_bot_env


def test_debug_log_holds_no_update_json_and_no_link_codes(tmp_path: Path) -> None:
    with FakeTelegramServer() as server:
        log_path = tmp_path / "bot.log"
        with log_path.open("wb") as log:
            bot = start_bot(
                telegram_bot_env(tmp_path, server, LOG_LEVEL="DEBUG"),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                deadline = time.monotonic() + 60
                while "telegram ready" not in log_path.read_text():
                    assert bot.poll() is None and time.monotonic() < deadline
                    time.sleep(0.05)
                server.enqueue_message(41, "/lienket")
                server.enqueue_message(42, "/lienket 987654")  # a guess
                server.wait_for_messages(1, 41, timeout=30)
                server.wait_for_messages(1, 42, timeout=30)
            finally:
                stop_bot(bot)
    text = log_path.read_text(encoding="utf-8")
    issued = re.search(r"\d{6}", server.sent_texts(41)[0])
    assert issued, server.sent_texts(41)
    assert "DEBUG" in text  # the level is on
    assert issued.group(0) not in text and "987654" not in text
    assert '"update_id"' not in text and "'update_id'" not in text
    assert server.token not in text


def _request(peer: str, **headers: str) -> Request:
    return Request(
        {
            "type": "http",
            "method": "POST",
            "path": "/",
            "client": (peer, 5555),
            "headers": [(k.replace("_", "-").encode(), v.encode()) for k, v in headers.items()],
        }
    )


def test_forwarded_addresses_count_only_from_a_trusted_proxy() -> None:
    proxies = (ipaddress.ip_network("10.0.0.0/8"),)
    spoofed = _request("203.0.113.9", x_real_ip="1.2.3.4", x_forwarded_for="1.2.3.4")
    assert client_address(spoofed, proxies) == "203.0.113.9"
    assert client_address(spoofed, ()) == "203.0.113.9"  # no proxy configured: never believed
    proxied = _request("10.1.2.3", x_forwarded_for="6.6.6.6, 198.51.100.7, 10.0.0.5")
    assert client_address(proxied, proxies) == "198.51.100.7"  # the hop our proxy saw
    assert (
        client_address(_request("10.1.2.3", x_real_ip="198.51.100.8"), proxies) == "198.51.100.8"
    )
