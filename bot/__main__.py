"""Command line: `python -m bot COMMAND`, one of run (the default), ask, import, units,
deadlines, reminders, status, audit, members, db."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TypeAlias

from bot.settings import SettingsError, load_settings

# what add_subparsers returns (the name is private to argparse, the type is public in typeshed)
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Trợ lý CCHC: hỏi đáp và nhắc hạn công tác cải cách hành chính.",
    )
    sub = parser.add_subparsers(dest="command")
    _add_knowledge_commands(sub)
    _add_reminder_commands(sub)
    _add_admin_commands(sub)
    return parser


def _add_today(command: argparse.ArgumentParser) -> None:
    command.add_argument("--today", help="Ngày hiện tại giả định, YYYY-MM-DD")


def _add_knowledge_commands(sub: Commands) -> None:
    """run, ask, import, units, deadlines: the bot itself and what it knows."""
    sub.add_parser(
        "run", help="Chạy bot (Telegram/Zalo nếu có token, nếu không: trò chuyện trên console)"
    )

    ask = sub.add_parser("ask", help="Hỏi một câu; '-' để đọc mỗi dòng một câu từ stdin")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="In kết quả dạng JSON")
    _add_today(ask)

    imp = sub.add_parser("import", help="Nạp văn bản (.txt, .md, .docx, .pdf)")
    imp.add_argument("paths", nargs="+")

    sub.add_parser("units", help="Liệt kê các đơn vị đã biết")

    dl = sub.add_parser("deadlines", help="Liệt kê các hạn chót đã biết")
    _add_today(dl)


def _add_reminder_commands(sub: Commands) -> None:
    """reminders, status: one reminder tick, and who has done what."""
    rem = sub.add_parser("reminders", help="Chạy một lượt nhắc hạn")
    rem.add_argument("--now", help="Thời điểm giả định, ISO 8601 (mặc định: bây giờ)")
    rem.add_argument("--dry-run", action="store_true", help="Chỉ in, không gửi")

    st = sub.add_parser("status", help="Bảng theo dõi: đơn vị nào đã/chưa hoàn thành")
    _add_today(st)
    st.add_argument("--csv", help="Xuất ra tệp CSV")
    st.add_argument("--from", dest="start", help="Từ ngày, YYYY-MM-DD (mặc định: 30 ngày trước)")
    st.add_argument("--to", dest="end", help="Đến ngày, YYYY-MM-DD (mặc định: 30 ngày sau)")
    st.add_argument(
        "--document", type=int, help="Chỉ văn bản có mã này (xem lệnh import/deadlines)"
    )
    st.add_argument("--unit", type=int, help="Chỉ đơn vị có mã này (xem lệnh units)")


def _add_admin_commands(sub: Commands) -> None:
    """members, audit, db: member lists, the audit trail, the database schema."""
    mem = sub.add_parser(
        "members", help="Thành viên của đơn vị chung (trường, trung tâm, xã/phường)"
    )
    mem_sub = mem.add_subparsers(dest="action", required=True)
    mem_import = mem_sub.add_parser(
        "import", help="Nạp danh sách thành viên từ tệp CSV (don_vi, ten, ten_khac)"
    )
    mem_import.add_argument("file")
    mem_sub.add_parser("list", help="Liệt kê thành viên của các đơn vị chung")

    au = sub.add_parser("audit", help="Xuất nhật ký nhắc hạn và đánh dấu hoàn thành ra CSV")
    au.add_argument("--csv", required=True, help="Tệp CSV đích")

    db = sub.add_parser(
        "db",
        help="Lược đồ cơ sở dữ liệu: upgrade (nâng lên bản mới nhất), "
        "current (bản hiện tại), history (các bản)",
    )
    db.add_argument(
        "action",
        choices=["upgrade", "current", "history", "revision"],
        help="revision (cho lập trình viên): tạo bản di chuyển từ thay đổi của model",
    )
    db.add_argument("message", nargs="?", default="", help="Mô tả bản di chuyển (với revision)")


def _command(name: str) -> Callable[..., int]:
    """Resolve a command lazily so that `ask` never imports Telegram, and vice versa."""
    if name == "run":
        from bot.run import run_bot

        return run_bot
    if name == "ask":
        from bot.cli_ask import cmd_ask

        return cmd_ask
    if name == "members":
        from bot.cli_members import cmd_members

        return cmd_members
    if name == "db":
        from bot.cli_db import cmd_db

        return cmd_db
    if name in {"import", "units", "deadlines"}:
        from bot import cli_knowledge

        return getattr(cli_knowledge, f"cmd_{name}")
    from bot import cli_reminders

    return getattr(cli_reminders, f"cmd_{name}")


PRIVATE_UMASK = 0o077  # files this process creates: 0600, folders 0700 (the DB holds people)


def main(argv: Sequence[str] | None = None) -> int:
    os.umask(PRIVATE_UMASK)  # database, WAL, exported CSVs and data/ are readable by us only
    args = _parser().parse_args(argv)
    command = args.command or "run"
    try:
        settings = load_settings()
        return _command(command)(args, settings)
    except SettingsError as exc:
        print(f"Lỗi cấu hình: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`python -m bot units | head`): stop quietly, as other CLI tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
