"""Data migration of revision 0008: the short forms stored documents define for known units.

Before `unitalias` existed, "Thanh tra Sở (TTS)" in a document gave the stored Thanh tra Sở
the name "TTS" only while that document was imported. `backfill_defined_aliases` reads each
stored document's text again, as an import does (knowledge.unit_catalog), and stores the short
forms it defines for units already known, with the document and its province. Idempotent: a
form already stored for that unit and document is not added twice. Plain SQL on the
migration's connection.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from knowledge.normalize import fold
from knowledge.unit_catalog import CatalogUnit, UnitCatalog


def _aliases(value: Any) -> list[str]:
    if isinstance(value, str):  # SQLite hands JSON back as text
        value = json.loads(value or "[]")
    return [str(a) for a in value or []]


def _catalog(conn: Connection) -> UnitCatalog:
    catalog = UnitCatalog()
    rows = conn.execute(
        text("SELECT id, name, short_name, aliases, is_collective FROM unit ORDER BY id")
    ).all()
    for row in rows:
        unit = CatalogUnit(
            row.name, row.short_name or "", _aliases(row.aliases), bool(row.is_collective)
        )
        unit.unit_id = row.id
        catalog.add(unit)
    return catalog


def backfill_defined_aliases(conn: Connection) -> int:
    """Store the short forms each stored document defines for known units; how many rows."""
    catalog = _catalog(conn)
    stored = {
        (r.unit_id, r.document_id, fold(r.alias))
        for r in conn.execute(text("SELECT unit_id, document_id, alias FROM unitalias")).all()
    }
    added = 0
    docs = conn.execute(text("SELECT id, province, full_text FROM document ORDER BY id")).all()
    for doc in docs:
        catalog.use_province(doc.province or "")
        for unit, alias in catalog.learn_known_definitions(doc.full_text or ""):
            key = (unit.unit_id, doc.id, fold(alias))
            if unit.unit_id is None or key in stored:
                continue
            stored.add(key)
            conn.execute(
                text(
                    "INSERT INTO unitalias (unit_id, document_id, alias, province)"
                    " VALUES (:unit, :doc, :alias, :province)"
                ),
                {"unit": unit.unit_id, "doc": doc.id, "alias": alias, "province": doc.province},
            )
            added += 1
    return added
