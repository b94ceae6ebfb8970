"""Short forms a document defines for a unit already known are kept (issue 9, unit
resolution): "Thanh tra Sở (TTS)" makes "TTS" a name of the stored Thanh tra Sở in questions
and in later documents of that province, instead of only while that document is imported.

One new table, `unitalias` (unit, document, alias, the document's province), deleted with its
document. Existing documents are read again for the forms they define
(migrations/alias_backfill.py), so nothing an import would have kept is missing. Downgrade drops
the table.

Revision ID: 0008_unit_aliases
Revises: 0007_web_board
Create Date: 2026-12-01 04:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from migrations.alias_backfill import backfill_defined_aliases

revision: str = "0008_unit_aliases"
down_revision: str | Sequence[str] | None = "0007_web_board"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if "unitalias" not in sa.inspect(op.get_bind()).get_table_names():
        op.create_table(
            "unitalias",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("unit_id", sa.Integer(), nullable=False),
            sa.Column("document_id", sa.Integer(), nullable=False),
            sa.Column("alias", sa.String(), nullable=False),
            sa.Column("province", sa.String(), nullable=False),
            sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
            sa.ForeignKeyConstraint(["document_id"], ["document.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id"),
        )
        with op.batch_alter_table("unitalias") as batch:
            batch.create_index(batch.f("ix_unitalias_unit_id"), ["unit_id"], unique=False)
            batch.create_index(batch.f("ix_unitalias_document_id"), ["document_id"], unique=False)
    backfill_defined_aliases(op.get_bind())


def downgrade() -> None:
    op.drop_table("unitalias")
