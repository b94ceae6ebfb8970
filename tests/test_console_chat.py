"""The console chat, scripted through a pipe: `python -m bot` with no token reads stdin."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.subprocess_bot import ROOT, bot_env, run_bot


def chat(tmp_path: Path, script: str) -> str:
    result = run_bot(bot_env(tmp_path), stdin=script)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def test_scripted_console_chat(tmp_path: Path) -> None:
    out = chat(tmp_path, "/start\n/donvi to chuc can bo\n/nhiemvu\n😀😀\n/khongco\n/thoat\n")
    blocks = out.split("\n\n")
    assert out.startswith("Xin chào")
    assert "(Trả lời bằng số thứ tự để chọn.)" in out  # the unit choices are numbered
    assert "Đã ghi nhận: Bạn thuộc Phòng Tổ chức cán bộ (TCCB)." in out
    assert "Nguồn" in out  # duties cite their source
    assert "Mình chưa hiểu tin nhắn này" in out
    assert "Không có lệnh /khongco" in out
    assert len(blocks) >= 5


def test_numbered_choice_and_state_across_runs(tmp_path: Path) -> None:
    first = chat(tmp_path, "/start\n")
    lines = [line for line in first.splitlines() if line[:1].isdigit() and ". " in line]
    number, label = next(x.split(". ", 1) for x in lines if "Văn phòng Sở" in x)
    second = chat(tmp_path, f"{number}\n")  # a new process answers the pending choice
    assert f"Đã ghi nhận: Bạn thuộc {label}." in second
    third = chat(tmp_path, "/start\n")
    assert f"Đơn vị hiện tại: {label}." in third


def test_interactive_on_a_terminal(tmp_path: Path) -> None:
    """On a TTY the console greets, prompts and says goodbye (a real pseudo-terminal)."""
    import os
    import pty
    import select
    import time

    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"],
        stdin=slave,
        stdout=slave,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=bot_env(tmp_path),
    )
    os.close(slave)
    output = b""
    try:
        deadline = time.monotonic() + 60
        sent = False
        while (
            b"T\xe1\xba\xa1m bi\xe1\xbb\x87t" not in output and time.monotonic() < deadline
        ):  # "Tạm biệt"
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    output += os.read(master, 65536)
                except OSError:
                    break
            if not sent and "Bạn> ".encode() in output:
                os.write(master, b"/trogiup\n/thoat\n")
                sent = True
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    text = output.decode("utf-8", "replace")
    assert "Gõ /start để bắt đầu" in text
    assert "Bot> Các lệnh của Trợ lý CCHC:" in text
    assert "Tạm biệt!" in text


def test_console_admin_gets_the_note_instead_of_a_file(tmp_path: Path) -> None:
    work = tmp_path / "cwd"
    work.mkdir()
    env = bot_env(tmp_path, ADMIN_IDS="console", PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=work,
        env=env,
        input="/nhatky csv\n/thoat\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Nhật ký nhắc hạn và đánh dấu hoàn thành (CSV) đính kèm." in out
    assert "chỉ gửi được qua Telegram" in out and "python -m bot audit --csv <tệp>" in out
    assert list(work.iterdir()) == []  # nothing written implicitly
