"""CLI commands over the knowledge base: import documents, list units, list deadlines."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date
from pathlib import Path

from sqlalchemy import func
from sqlmodel import select

from bot.settings import Settings
from bot.wiring import build_services
from knowledge.db import read_session
from knowledge.ingest.errors import IngestError
from knowledge.ingest.importer import import_paths
from knowledge.models import (
    Deadline,
    DeadlineUnit,
    Document,
    Responsibility,
    TaskUnit,
    Unit,
    UnitRole,
)
from knowledge.recurrence import describe_rule, next_due
from knowledge.units import unit_label

logger = logging.getLogger(__name__)


def _parse_today(raw: str | None, services_today: date) -> date | None:
    if not raw:
        return services_today
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    """Import documents (.txt, .md, .docx, .pdf) or folders into the knowledge base."""
    services = build_services(settings, seed_documents=False)
    try:
        report = import_paths(services.engine, [Path(p) for p in args.paths])
    except IngestError as exc:
        print(f"Lỗi nạp văn bản: {exc}", file=sys.stderr)
        print("Không có thay đổi nào được ghi vào cơ sở dữ liệu.", file=sys.stderr)
        return 1
    print("\n".join(report.lines()))
    return 0


def cmd_units(args: argparse.Namespace, settings: Settings) -> int:
    """List the known units with their short names, aliases and how many tasks and duties they
    have."""
    services = build_services(settings)
    with read_session(services.engine) as session:
        units = session.exec(select(Unit).order_by(Unit.is_collective, Unit.name)).all()
        lead = dict(
            session.exec(
                select(TaskUnit.unit_id, func.count())
                .where(TaskUnit.role == UnitRole.LEAD)
                .group_by(TaskUnit.unit_id)
            ).all()
        )
        coop = dict(
            session.exec(
                select(TaskUnit.unit_id, func.count())
                .where(TaskUnit.role == UnitRole.COOPERATE)
                .group_by(TaskUnit.unit_id)
            ).all()
        )
        duties = dict(
            session.exec(
                select(Responsibility.unit_id, func.count()).group_by(Responsibility.unit_id)
            ).all()
        )
    if not units:
        print("Chưa có đơn vị nào.")
        return 0
    print(f"{len(units)} đơn vị:")
    for unit in units:
        extra = []
        if unit.is_collective:
            extra.append("nhóm đơn vị")
        if unit.learned_from:
            extra.append(f"học từ {unit.learned_from}")
        suffix = f" [{'; '.join(extra)}]" if extra else ""
        print(f"• {unit_label(unit)}{suffix}")
        if unit.aliases:
            print(f"  Tên khác: {', '.join(unit.aliases)}")
        print(
            f"  Chủ trì {lead.get(unit.id, 0)} nhiệm vụ, phối hợp {coop.get(unit.id, 0)} nhiệm "
            f"vụ, {duties.get(unit.id, 0)} trách nhiệm"
        )
    return 0


def cmd_deadlines(args: argparse.Namespace, settings: Settings) -> int:
    """List every known deadline with its rule and next occurrence on or after today."""
    raw_today = getattr(args, "today", None)
    if raw_today and _parse_today(raw_today, date.min) is None:
        print(
            f"Ngày không hợp lệ: {raw_today!r} (định dạng YYYY-MM-DD, ví dụ 2026-11-22).",
            file=sys.stderr,
        )
        return 2
    services = build_services(settings)
    today = _parse_today(raw_today, services.now().date()) or services.now().date()
    with read_session(services.engine) as session:
        deadlines = session.exec(
            select(Deadline).order_by(Deadline.document_id, Deadline.ordinal)
        ).all()
        docs = {d.id: d for d in session.exec(select(Document)).all()}
        units = {u.id: u for u in session.exec(select(Unit)).all()}
        links: dict[int, list[int]] = {}
        for link in session.exec(select(DeadlineUnit)).all():
            links.setdefault(link.deadline_id, []).append(link.unit_id)
    if not deadlines:
        print("Chưa có hạn chót nào.")
        return 0
    rows = []
    for deadline in deadlines:
        due = next_due(deadline, today)
        rows.append((due or date.max, deadline, due))
    rows.sort(key=lambda r: (r[0], r[1].id))
    print(f"{len(rows)} hạn chót (tính từ ngày {today:%d/%m/%Y}):")
    for _, deadline, due in rows:
        doc = docs.get(deadline.document_id)
        when = f"{due:%d/%m/%Y}" if due else "đã qua"
        if deadline.all_units:
            who = "tất cả các phòng, đơn vị"
        else:
            who = (
                ", ".join(unit_label(units[u]) for u in links.get(deadline.id, []) if u in units)
                or "chưa rõ"
            )
        print(f"• {deadline.title}")
        print(f"  Kỳ hạn: {describe_rule(deadline)} — lần tới: {when}")
        print(f"  Đơn vị: {who}")
        section = f", mục {deadline.section_path}" if deadline.section_path else ""
        print(f"  Văn bản: {doc.title if doc else '?'}{section}")
    return 0
