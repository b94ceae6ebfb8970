"""Console chat on the same Conversation: interactive on a terminal, line by line when piped."""

from __future__ import annotations

import getpass
import logging
import sys
from typing import TextIO

from handlers.conversation import Conversation
from handlers.render import numbered_text, without_attachment
from handlers.types import Incoming
from knowledge.normalize import nfc

logger = logging.getLogger(__name__)

CHANNEL = "console"
QUIT = {"/thoat", "/quit", "/exit", "thoat", "exit", "quit"}
BANNER = (
    "Trợ lý CCHC — trò chuyện trên console (chưa cấu hình TELEGRAM_BOT_TOKEN/ZALO_BOT_TOKEN).\n"
    "Gõ /start để bắt đầu, /trogiup để xem các lệnh, /thoat hoặc Ctrl-D để thoát.\n"
    "Khi có các lựa chọn đánh số, trả lời bằng số thứ tự."
)


def _user_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "console"


def run_console(
    conversation: Conversation,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    interactive: bool | None = None,
) -> int:
    """Chat until end of input or /thoat; returns the exit code."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    if interactive is None:
        interactive = stdin.isatty() and stdout.isatty()
    name = _user_name()
    if interactive:
        try:
            import readline  # noqa: F401 - line editing and history for input on a terminal
        except ImportError:
            pass
        print(BANNER, file=stdout)
    while True:
        if interactive:
            stdout.write("\nBạn> ")
            stdout.flush()
        try:
            line = stdin.readline()
        except KeyboardInterrupt:
            break
        except UnicodeDecodeError:
            print("Không đọc được dòng này (không phải UTF-8).", file=stdout)
            continue
        if not line:  # end of input
            break
        text = nfc(line.rstrip("\r\n"))
        if text.strip().lower() in QUIT:
            break
        if not interactive and not text.strip():
            continue  # blank lines separate questions in scripts
        incoming = Incoming(
            channel=CHANNEL, chat_id="console", user_id="console", display_name=name, text=text
        )
        try:
            replies = conversation.handle(incoming)
        except KeyboardInterrupt:
            break
        for reply in replies:
            body = without_attachment(numbered_text(reply), reply)  # never writes files
            print(f"Bot> {body}" if interactive else body, file=stdout)
            if not interactive:
                print(file=stdout)  # a blank line ends each reply when scripted
        stdout.flush()
    if interactive:
        print("\nTạm biệt!", file=stdout)
    return 0
