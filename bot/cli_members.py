"""CLI commands over members of collective units: `members import FILE`, `members list`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlmodel import select

from bot.settings import Settings
from bot.wiring import build_services
from knowledge.db import read_session, write_session
from knowledge.members import import_members_csv, members_of
from knowledge.models import Unit


class _Rollback(Exception):
    """Raised inside the unit of work so that a report with errors writes nothing."""


def cmd_members(args: argparse.Namespace, settings: Settings) -> int:
    """Dispatch `members import FILE` and `members list`."""
    if args.action == "import":
        return _import(Path(args.file), settings)
    return _list(settings)


def _import(path: Path, settings: Settings) -> int:
    """Load a member list from CSV in one transaction; any bad row leaves the database
    unchanged."""
    if not path.is_file():
        print(f"Lỗi: không tìm thấy tệp {path}.", file=sys.stderr)
        return 1
    data = path.read_bytes()
    services = build_services(settings)
    try:
        with write_session(services.engine) as session:
            report = import_members_csv(
                session, data, source=path.name, by=f"CSV {path.name}", now=services.now()
            )
            if not report.ok:
                raise _Rollback
    except _Rollback:
        print("\n".join(report.lines()), file=sys.stderr)
        return 1
    print("\n".join(report.lines()))
    return 0


def _list(settings: Settings) -> int:
    services = build_services(settings)
    with read_session(services.engine) as session:
        collectives = session.exec(
            select(Unit).where(Unit.is_collective.is_(True)).order_by(Unit.name)
        ).all()  # type: ignore[attr-defined]
        for unit in collectives:
            assert unit.id is not None
            members = members_of(session, unit.id, approved_only=False)
            print(f"{unit.name}: {len(members)} thành viên")
            for m in members:
                print(f"  • {m.name}{'' if m.approved else ' (chờ duyệt)'}")
    return 0
