"""Workflow tables (issue 11): staged uploads, document retirements, reminder holds, weekly digest.

New tables only: nothing existing changes, so every row of an older database is kept. A table
already there is left alone: a database that `create_all` made with these models (tests, and
databases stamped at the baseline) already has them.
- stagedupload: a document an admin sent, parsed and previewed, until "Nạp" or "Huỷ";
- documentretirement: "Ngừng áp dụng" of a document (its deadlines stop reminding);
- reminderhold: a person"s snooze (until a day) or mute of one occurrence;
- weeklydigest: a person"s opt-in to the Monday list of the week"s deadlines.

Revision ID: 0005_workflow
Revises: 0004_channel_inbox
Create Date: 2026-11-30 22:09:22.492454
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_workflow"
down_revision: str | Sequence[str] | None = "0004_channel_inbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _missing(table: str) -> bool:
    return not sa.inspect(op.get_bind()).has_table(table)


def upgrade() -> None:
    if _missing("documentretirement"):
        op.create_table(
            "documentretirement",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("document_id", sa.Integer(), nullable=False),
            sa.Column("retired_by", sa.String(), nullable=False),
            sa.Column("retired_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )
        with op.batch_alter_table("documentretirement", schema=None) as batch_op:
            batch_op.create_index(
                batch_op.f("ix_documentretirement_document_id"), ["document_id"], unique=True
            )

    if _missing("stagedupload"):
        op.create_table(
            "stagedupload",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("token", sa.String(), nullable=False),
            sa.Column("filename", sa.String(), nullable=False),
            sa.Column("data", sa.LargeBinary(), nullable=True),
            sa.Column("content_hash", sa.String(), nullable=False),
            sa.Column("replaces_document_id", sa.Integer(), nullable=True),
            sa.Column("preview_text", sa.Text(), nullable=True),
            sa.Column(
                "status",
                sa.Enum(
                    "STAGED",
                    "CONFIRMED",
                    "CANCELLED",
                    name="uploadstatus",
                    native_enum=False,
                    create_constraint=False,
                    length=32,
                ),
                nullable=False,
            ),
            sa.Column("staged_by", sa.String(), nullable=False),
            sa.Column("staged_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("resolved_by", sa.String(), nullable=False),
            sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("document_id", sa.Integer(), nullable=True),
            sa.PrimaryKeyConstraint("id"),
        )
        with op.batch_alter_table("stagedupload", schema=None) as batch_op:
            batch_op.create_index(
                batch_op.f("ix_stagedupload_content_hash"), ["content_hash"], unique=False
            )
            batch_op.create_index(batch_op.f("ix_stagedupload_token"), ["token"], unique=True)

    if _missing("reminderhold"):
        op.create_table(
            "reminderhold",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("person_id", sa.Integer(), nullable=False),
            sa.Column("occurrence_key", sa.String(), nullable=False),
            sa.Column("deadline_id", sa.Integer(), nullable=False),
            sa.Column("due", sa.Date(), nullable=False),
            sa.Column("until", sa.Date(), nullable=True),
            sa.Column("created_by", sa.String(), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("cleared_by", sa.String(), nullable=False),
            sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=True),
            sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
            sa.PrimaryKeyConstraint("id"),
        )
        with op.batch_alter_table("reminderhold", schema=None) as batch_op:
            batch_op.create_index(
                batch_op.f("ix_reminderhold_deadline_id"), ["deadline_id"], unique=False
            )
            batch_op.create_index(
                batch_op.f("ix_reminderhold_occurrence_key"), ["occurrence_key"], unique=False
            )
            batch_op.create_index(
                batch_op.f("ix_reminderhold_person_id"), ["person_id"], unique=False
            )

    if _missing("weeklydigest"):
        op.create_table(
            "weeklydigest",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("person_id", sa.Integer(), nullable=False),
            sa.Column("enabled", sa.Boolean(), nullable=False),
            sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
            sa.PrimaryKeyConstraint("id"),
        )
        with op.batch_alter_table("weeklydigest", schema=None) as batch_op:
            batch_op.create_index(
                batch_op.f("ix_weeklydigest_person_id"), ["person_id"], unique=True
            )


def downgrade() -> None:
    with op.batch_alter_table("weeklydigest", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_weeklydigest_person_id"))

    op.drop_table("weeklydigest")
    with op.batch_alter_table("reminderhold", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminderhold_person_id"))
        batch_op.drop_index(batch_op.f("ix_reminderhold_occurrence_key"))
        batch_op.drop_index(batch_op.f("ix_reminderhold_deadline_id"))

    op.drop_table("reminderhold")
    with op.batch_alter_table("stagedupload", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stagedupload_token"))
        batch_op.drop_index(batch_op.f("ix_stagedupload_content_hash"))

    op.drop_table("stagedupload")
    with op.batch_alter_table("documentretirement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documentretirement_document_id"))

    op.drop_table("documentretirement")
