"""CLI: `db upgrade` (migrate to the newest schema), `db current`, `db history`, and for
developers `db revision "message"` (autogenerate a revision from model changes)."""

from __future__ import annotations

import argparse
import sys

from bot.logs import configure_logging
from bot.settings import Settings
from knowledge.db import make_engine
from migrations.runner import (
    autogenerate_revision,
    current_revision,
    head_revision,
    history,
    upgrade_to_head,
)


def cmd_db(args: argparse.Namespace, settings: Settings) -> int:
    """Run one schema command against DATABASE_URL."""
    if args.action == "history":
        for info in history():
            mark = " (mới nhất)" if info.is_head else ""
            parent = info.down_revision or "<gốc>"
            print(f"{parent} -> {info.revision}{mark}: {_first_line(info.message)}")
        return 0
    if args.action == "revision":
        if not args.message.strip():
            print(
                'Cần mô tả cho bản di chuyển, ví dụ: python -m bot db revision "thêm cột x"',
                file=sys.stderr,
            )
            return 2
        for path in autogenerate_revision(args.message.strip()):
            print(f"Đã tạo {path}: hãy đọc và sửa trước khi commit.")
        return 0
    configure_logging(settings.log_level)
    engine = make_engine(settings.database_url)
    try:
        if args.action == "upgrade":
            upgrade_to_head(engine)
            print(f"Cơ sở dữ liệu đã ở phiên bản mới nhất: {current_revision(engine)}")
            return 0
        current = current_revision(engine)
        if current is None:
            print("Cơ sở dữ liệu chưa có phiên bản lược đồ (chạy: python -m bot db upgrade)")
            return 1
        state = "mới nhất" if current == head_revision() else f"cần nâng lên {head_revision()}"
        print(f"{current} ({state})")
        return 0
    except Exception as exc:  # noqa: BLE001 - a clear message instead of a traceback
        print(f"Lỗi cơ sở dữ liệu: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""
