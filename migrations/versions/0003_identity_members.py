"""Stable identities of deadlines and tasks (issue 8 item 2); members of collective units and
admin approval requests (issue 11 items 1-2).

- document.uid / document.source_path, task.uid, deadline.uid: filled for existing rows and
  done-mark / outbox keys rewritten from "<deadline_id>@<due>" to "<uid>@<due>"
  (migrations/identity_backfill.py), so a re-import no longer moves or orphans them.
- unitmember (the schools/offices of a collective unit) and approvalrequest: new tables.
- person / donemark / memberapproval / reminderlog.member_id: NULL on every existing row, which
  means "the whole unit" exactly as before, so old single-unit marks keep their meaning.
- donemark.on_behalf (an admin recorded it), reminderlog.choices (buttons of a notice).

Revision ID: 0003_identity_members
Revises: 0002_portable_types
Create Date: 2026-11-30 22:12:05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from migrations.identity_backfill import backfill_identities

revision: str = "0003_identity_members"
down_revision: str | Sequence[str] | None = "0002_portable_types"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EMPTY = sa.text("''")
FALSE = sa.false()
MEMBER_FKS = (("person", True), ("donemark", True), ("memberapproval", False))


def _has(table: str, column: str | None = None) -> bool:
    """Whether the table (and column) exists: a database that `create_all` made from the
    current models (tests, benchmarks) is stamped at the baseline but already has them."""
    inspector = sa.inspect(op.get_bind())
    if table not in inspector.get_table_names():
        return False
    return column is None or column in {c["name"] for c in inspector.get_columns(table)}


def _create_tables() -> None:
    if _has("unitmember"):
        return
    op.create_table(
        "unitmember",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("name_key", sa.String(), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=True),
        sa.Column("approved", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_by", sa.String(), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("unit_id", "name_key"),
    )
    op.create_index("ix_unitmember_name_key", "unitmember", ["name_key"])
    op.create_index("ix_unitmember_unit_id", "unitmember", ["unit_id"])
    op.create_table(
        "approvalrequest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "PENDING",
                "APPROVED",
                "REJECTED",
                name="requeststatus",
                native_enum=False,
                create_constraint=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("requested_by", sa.String(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["member_id"], ["unitmember.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_approvalrequest_person_id", "approvalrequest", ["person_id"])
    op.create_index("ix_approvalrequest_status", "approvalrequest", ["status"])


def _add_uid(table: str) -> None:
    if _has(table, "uid"):
        return
    with op.batch_alter_table(table) as batch:
        batch.add_column(sa.Column("uid", sa.String(), nullable=False, server_default=EMPTY))
        batch.create_index(f"ix_{table}_uid", ["uid"])


def upgrade() -> None:
    _create_tables()
    for table in ("deadline", "task"):
        _add_uid(table)
    _add_uid("document")
    if not _has("document", "source_path"):
        with op.batch_alter_table("document") as batch:
            batch.add_column(
                sa.Column("source_path", sa.String(), nullable=False, server_default=EMPTY)
            )
    for table, indexed in MEMBER_FKS:
        if _has(table, "member_id"):
            continue
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("member_id", sa.Integer(), nullable=True))
            if indexed:
                batch.create_index(f"ix_{table}_member_id", ["member_id"])
            batch.create_foreign_key(f"fk_{table}_member_id", "unitmember", ["member_id"], ["id"])
    if not _has("donemark", "on_behalf"):
        with op.batch_alter_table("donemark") as batch:
            batch.add_column(
                sa.Column("on_behalf", sa.Boolean(), nullable=False, server_default=FALSE)
            )
    if not _has("reminderlog", "member_id"):
        with op.batch_alter_table("reminderlog") as batch:
            batch.add_column(sa.Column("member_id", sa.Integer(), nullable=True))
            batch.add_column(sa.Column("choices", sa.JSON(), nullable=True))
            batch.create_index("ix_reminderlog_member_id", ["member_id"])
    backfill_identities(op.get_bind())


def downgrade() -> None:
    """Back to row-id keys is not possible without losing the marks made since: refuse."""
    raise NotImplementedError(
        "0003_identity_members cannot be downgraded without losing done marks"
    )
