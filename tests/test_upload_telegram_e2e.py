"""`python -m bot` against the fake Bot API: an admin uploads a document, previews, cancels,
uploads again and loads it; subscribers are told once; refused uploads change nothing."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func
from sqlmodel import select

from knowledge.db import make_engine, read_session
from knowledge.models import Document, StagedUpload, Task, UploadStatus
from tests.fakes.telegram_server import FakeTelegramServer
from tests.support.subprocess_bot import start_bot, stop_bot, telegram_bot_env
from tests.test_telegram_e2e import buttons, plain
from tests.test_upload_chat import PLAN_MD

USER = 4242
ADMIN = 777


def counts(db: Path) -> tuple[int, int, int]:
    engine = make_engine(f"sqlite:///{db}")
    try:
        with read_session(engine) as s:
            return (
                s.exec(select(func.count()).select_from(Document)).one(),
                s.exec(select(func.count()).select_from(Task)).one(),
                len(
                    [u for u in s.exec(select(StagedUpload)) if u.status is UploadStatus.CONFIRMED]
                ),
            )
    finally:
        engine.dispose()


def test_upload_preview_cancel_confirm_and_notify_once(
    tmp_path: Path, telegram_server: FakeTelegramServer
) -> None:
    server = telegram_server
    env = telegram_bot_env(tmp_path, server, ADMIN_IDS=str(ADMIN))
    db = tmp_path / "bot.db"
    process = start_bot(env)
    try:
        server.wait_for(lambda: server.calls("getUpdates"), timeout=60)
        server.enqueue_message(USER, "/donvi van phong so")
        server.wait_for_messages(1, USER, timeout=30)
        before = counts(db)

        def admin_reply(count: int) -> dict:
            return server.wait_for_messages(count, ADMIN, timeout=30)[count - 1]

        # refused before any download: a non-admin, a wrong type, a file over the limit
        server.enqueue_document(USER, "kh-77.md", PLAN_MD)
        assert "Chỉ cán bộ quản trị" in plain(
            server.wait_for_messages(2, USER, timeout=30)[1]["text"]
        )
        server.enqueue_document(ADMIN, "anh.exe", b"MZ")
        assert "không được hỗ trợ" in plain(admin_reply(1)["text"])
        server.enqueue_document(ADMIN, "lon.pdf", b"%PDF", file_size=40 * 1024 * 1024)
        assert "quá lớn" in plain(admin_reply(2)["text"])
        server.enqueue_document(ADMIN, "hong.docx", b"PK\x03\x04 broken")  # downloaded, corrupt
        assert "Không đọc được tệp" in plain(admin_reply(3)["text"])
        assert len(server.downloads()) == 1 and counts(db) == before

        # preview, then Huỷ: nothing changes
        server.enqueue_document(ADMIN, "kh-77.md", PLAN_MD)
        preview = admin_reply(4)
        assert "Xem trước văn bản “kh-77.md”" in plain(preview["text"])
        labels = {b["text"]: b["callback_data"] for b in buttons(preview)}
        assert set(labels) >= {"Nạp", "Huỷ"}
        server.enqueue_callback(ADMIN, labels["Huỷ"])
        assert "Đã huỷ" in plain(admin_reply(5)["text"])
        assert counts(db) == before

        # again, then Nạp: loaded once, the subscriber told once
        server.enqueue_document(ADMIN, "kh-77.md", PLAN_MD)
        labels = {b["text"]: b["callback_data"] for b in buttons(admin_reply(6))}
        server.enqueue_callback(ADMIN, labels["Nạp"])
        server.enqueue_callback(ADMIN, labels["Nạp"])  # pressed twice
        assert "Đã nạp" in plain(admin_reply(7)["text"])
        assert "đã được nạp rồi" in plain(admin_reply(8)["text"])
        server.wait_for(
            lambda: any("Văn bản mới" in t for t in server.sent_texts(USER)), timeout=60
        )
        server.wait_until_consumed(timeout=30)
    finally:
        out, err = stop_bot(process, timeout=30)
    assert process.returncode == 0, err[-3000:]
    # a clean stop: a reminder tick running at SIGTERM is waited for, never cancelled mid-send
    assert "Traceback" not in err, err[-6000:]
    assert server.token not in out + err
    assert counts(db) == (before[0] + 1, before[1] + 3, 1)
    assert [t for t in server.sent_texts(USER) if "Văn bản mới" in t][0].count("77/KH-SGDĐT") == 1
    assert len([t for t in server.sent_texts(USER) if "Văn bản mới" in t]) == 1
    assert server.errors == []
