"""Data migration of revision 0003: stable identities of documents, deadlines and tasks.

Databases made before deadlines had a `uid` keyed done marks and sent reminders by row id
("<deadline_id>@<due>"). `backfill_identities` gives every document, task and deadline its uid
(the same one an import computes, knowledge/identity.py) and rewrites old keys in the outbox and
the done marks to "<uid>@<due>". It is idempotent and loses nothing: a key whose deadline no
longer exists is left as it was. Plain SQL on the migration's connection.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from knowledge.identity import (
    RuleContent,
    deadline_uids,
    document_identity,
    document_uid,
    rewrite_legacy_key,
    task_uids,
)
from knowledge.models import DocumentKind, RecurrenceKind

logger = logging.getLogger(__name__)


@dataclass
class UpgradeReport:
    documents: int = 0
    deadlines: int = 0
    tasks: int = 0
    keys_rewritten: int = 0


def _document_uids(conn: Connection, report: UpgradeReport) -> dict[int, str]:
    rows = conn.execute(
        text(
            "SELECT id, kind, issuer, number, issued_year, issued_month, issued_day, "
            "source_file, title, uid FROM document ORDER BY id"
        )
    ).all()
    uids: dict[int, str] = {}
    taken = {row.uid for row in rows if row.uid}
    for row in rows:
        if row.uid:
            uids[row.id] = row.uid
            continue
        identity = document_identity(
            kind=DocumentKind[row.kind].value
            if row.kind in DocumentKind.__members__
            else row.kind,
            issuer=row.issuer or "",
            number=row.number or "",
            issued_year=row.issued_year,
            issued_month=row.issued_month,
            issued_day=row.issued_day,
            source_file=row.source_file or "",
            title=row.title or "",
        )
        uid = document_uid(identity)
        salt = 0
        while uid in taken:
            salt += 1
            uid = document_uid(f"{identity}|#{row.id}|{salt}")
        taken.add(uid)
        conn.execute(
            text("UPDATE document SET uid = :uid WHERE id = :id"), {"uid": uid, "id": row.id}
        )
        uids[row.id] = uid
        report.documents += 1
    return uids


def _rule_kind(raw: str) -> str:
    return RecurrenceKind[raw].value if raw in RecurrenceKind.__members__ else raw


def _deadline_uids(
    conn: Connection, doc_uids: dict[int, str], report: UpgradeReport
) -> dict[int, str]:
    rows = conn.execute(
        text(
            "SELECT id, document_id, title, quote, rule_kind, due_date, month, month_in_period, "
            "day, uid FROM deadline ORDER BY document_id, ordinal, id"
        )
    ).all()
    by_doc: dict[int, list] = {}
    for row in rows:
        by_doc.setdefault(row.document_id, []).append(row)
    uid_of: dict[int, str] = {}
    for document_id, group in by_doc.items():
        rules = [
            RuleContent(
                r.title or "",
                r.quote or "",
                _rule_kind(r.rule_kind),
                _as_date(r.due_date),
                r.month,
                r.month_in_period,
                r.day,
            )
            for r in group
        ]
        computed = deadline_uids(doc_uids.get(document_id, f"#{document_id}"), rules)
        for row, uid in zip(group, computed, strict=False):
            if row.uid:
                uid_of[row.id] = row.uid
                continue
            conn.execute(
                text("UPDATE deadline SET uid = :uid WHERE id = :id"), {"uid": uid, "id": row.id}
            )
            uid_of[row.id] = uid
            report.deadlines += 1
    return uid_of


def _as_date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _task_uids(conn: Connection, doc_uids: dict[int, str], report: UpgradeReport) -> None:
    rows = conn.execute(
        text(
            "SELECT id, document_id, number, content, uid FROM task ORDER BY document_id, "
            "ordinal, id"
        )
    ).all()
    by_doc: dict[int, list] = {}
    for row in rows:
        by_doc.setdefault(row.document_id, []).append(row)
    for document_id, group in by_doc.items():
        computed = task_uids(
            doc_uids.get(document_id, f"#{document_id}"),
            [(r.number or "", r.content or "") for r in group],
        )
        for row, uid in zip(group, computed, strict=False):
            if not row.uid:
                conn.execute(
                    text("UPDATE task SET uid = :uid WHERE id = :id"), {"uid": uid, "id": row.id}
                )
                report.tasks += 1


def _rewrite_keys(conn: Connection, uid_of: dict[int, str], report: UpgradeReport) -> None:
    """Old "<id>@<due>" keys in the outbox and the done marks become "<uid>@<due>"."""
    tables = set(inspect(conn).get_table_names())
    targets = [("reminderlog", ("key", "occurrence_key")), ("donemark", ("occurrence_key",))]
    for table, columns in targets:
        if table not in tables:
            continue
        rows = conn.execute(
            text(
                f"SELECT id, {', '.join(columns)} FROM {table} WHERE occurrence_key "
                + ("GLOB '[0-9]*@*'" if conn.dialect.name == "sqlite" else "~ '^[0-9]+@'")
            )
        ).all()
        for row in rows:
            values = {c: rewrite_legacy_key(getattr(row, c), uid_of) for c in columns}
            if all(values[c] == getattr(row, c) for c in columns):
                continue
            assignments = ", ".join(f"{c} = :{c}" for c in columns)
            conn.execute(
                text(f"UPDATE {table} SET {assignments} WHERE id = :id"), {**values, "id": row.id}
            )
            report.keys_rewritten += 1


def backfill_identities(conn: Connection) -> UpgradeReport:
    """Give every document, deadline and task its uid and rewrite old keys (the caller owns
    the transaction; the columns exist). Rows that already have a uid are left as they are."""
    report = UpgradeReport()
    doc_uids = _document_uids(conn, report)
    uid_of = _deadline_uids(conn, doc_uids, report)
    _task_uids(conn, doc_uids, report)
    _rewrite_keys(conn, uid_of, report)
    if report.deadlines or report.keys_rewritten:
        logger.info(
            "Stable identities: %d document(s), %d deadline(s), %d task(s), %d key(s) rewritten",
            report.documents,
            report.deadlines,
            report.tasks,
            report.keys_rewritten,
        )
    return report
