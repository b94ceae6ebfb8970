"""Baseline: the schema `create_all` made before migrations existed (every table, as of now).

A database created by `create_all` without an `alembic_version` table is stamped here and
upgraded (migrations.runner), never recreated. Enum columns are native enums on PostgreSQL, as
`create_all` made them; the next revision turns them into plain strings.

Revision ID: 0001_baseline
Revises:
Create Date: 2026-11-30 21:43:48.335022
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_baseline"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "conv_broadcast_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.String(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "conv_pending_choice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("chat_id", sa.String(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("channel", "chat_id"),
    )
    op.create_table(
        "conv_processed_update",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("update_id", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("channel", "update_id"),
    )
    with op.batch_alter_table("conv_processed_update", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_conv_processed_update_created_at"), ["created_at"], unique=False
        )

    op.create_table(
        "conv_stored_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("chat_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("conv_stored_action", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_conv_stored_action_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_conv_stored_action_token"), ["token"], unique=True)

    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind", sa.Enum("PLAN", "DIRECTIVE", "OTHER", name="documentkind"), nullable=False
        ),
        sa.Column("number", sa.String(), nullable=False),
        sa.Column("issuer", sa.String(), nullable=False),
        sa.Column("issuer_parent", sa.String(), nullable=False),
        sa.Column("province", sa.String(), nullable=False),
        sa.Column("place", sa.String(), nullable=False),
        sa.Column("date_text", sa.String(), nullable=False),
        sa.Column("issued_year", sa.Integer(), nullable=True),
        sa.Column("issued_month", sa.Integer(), nullable=True),
        sa.Column("issued_day", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("subject", sa.String(), nullable=False),
        sa.Column("period_start", sa.Integer(), nullable=True),
        sa.Column("period_end", sa.Integer(), nullable=True),
        sa.Column("recipients", sa.JSON(), nullable=True),
        sa.Column("signer_name", sa.String(), nullable=False),
        sa.Column("signer_title", sa.String(), nullable=False),
        sa.Column("source_file", sa.String(), nullable=False),
        sa.Column("content_hash", sa.String(), nullable=False),
        sa.Column("full_text", sa.Text(), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_content_hash"), ["content_hash"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_document_source_file"), ["source_file"], unique=False)

    op.create_table(
        "linkattempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("chat_id", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("linkattempt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_linkattempt_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_linkattempt_chat_id"), ["chat_id"], unique=False)

    op.create_table(
        "ticklease",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("owner", sa.String(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acquired_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("short_name", sa.String(), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=True),
        sa.Column("is_collective", sa.Boolean(), nullable=False),
        sa.Column("learned_from", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_unit_name"), ["name"], unique=True)

    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("display_name", sa.String(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("reminders_enabled", sa.Boolean(), nullable=False),
        sa.Column("offsets", sa.JSON(), nullable=True),
        sa.Column("reminder_time", sa.String(), nullable=True),
        sa.Column("deliver_all_channels", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "reference",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("code_key", sa.String(), nullable=False),
        sa.Column("number", sa.String(), nullable=False),
        sa.Column("doc_type", sa.String(), nullable=False),
        sa.Column("date_text", sa.String(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("context", sa.Text(), nullable=True),
        sa.Column("section_path", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reference", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reference_code_key"), ["code_key"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_reference_document_id"), ["document_id"], unique=False
        )

    op.create_table(
        "responsibility",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("section_path", sa.String(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("search_key", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("responsibility", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_responsibility_document_id"), ["document_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_responsibility_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "section",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(), nullable=False),
        sa.Column("heading", sa.String(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("search_key", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("section", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_section_document_id"), ["document_id"], unique=False)

    op.create_table(
        "task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(), nullable=False),
        sa.Column("content", sa.Text(), nullable=True),
        sa.Column("lead_text", sa.String(), nullable=False),
        sa.Column("cooperate_text", sa.String(), nullable=False),
        sa.Column("due_text", sa.String(), nullable=False),
        sa.Column("product", sa.Text(), nullable=True),
        sa.Column("section_path", sa.String(), nullable=False),
        sa.Column("search_key", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_document_id"), ["document_id"], unique=False)

    op.create_table(
        "chataddress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("chat_id", sa.String(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("display_name", sa.String(), nullable=False),
        sa.Column("is_group", sa.Boolean(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("channel", "chat_id"),
    )
    with op.batch_alter_table("chataddress", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_chataddress_channel"), ["channel"], unique=False)
        batch_op.create_index(batch_op.f("ix_chataddress_chat_id"), ["chat_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_chataddress_person_id"), ["person_id"], unique=False)

    op.create_table(
        "deadline",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=True),
        sa.Column("section_path", sa.String(), nullable=False),
        sa.Column(
            "rule_kind",
            sa.Enum(
                "ONCE", "YEARLY", "QUARTERLY", "HALF_YEARLY", "MONTHLY", name="recurrencekind"
            ),
            nullable=False,
        ),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("month", sa.Integer(), nullable=True),
        sa.Column("month_in_period", sa.Integer(), nullable=True),
        sa.Column("day", sa.Integer(), nullable=True),
        sa.Column("valid_from_year", sa.Integer(), nullable=True),
        sa.Column("valid_to_year", sa.Integer(), nullable=True),
        sa.Column("all_units", sa.Boolean(), nullable=False),
        sa.Column("search_key", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deadline_document_id"), ["document_id"], unique=False)

    op.create_table(
        "donemark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("deadline_id", sa.Integer(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("occurrence_key", sa.String(), nullable=False),
        sa.Column("marked_by_person_id", sa.Integer(), nullable=True),
        sa.Column("marked_by", sa.String(), nullable=False),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("undone_by", sa.String(), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["marked_by_person_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("donemark", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_donemark_deadline_id"), ["deadline_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_donemark_occurrence_key"), ["occurrence_key"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_donemark_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "linkcode",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("salt", sa.String(), nullable=False),
        sa.Column("code_hash", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_by_person_id", sa.Integer(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("linkcode", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_linkcode_person_id"), ["person_id"], unique=False)

    op.create_table(
        "memberapproval",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("approved_by", sa.String(), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("memberapproval", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_memberapproval_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_memberapproval_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "taskunit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.Enum("LEAD", "COOPERATE", name="unitrole"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("task_id", "unit_id", "role"),
    )
    with op.batch_alter_table("taskunit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_taskunit_task_id"), ["task_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_taskunit_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "deadlineunit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deadline_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["deadline_id"], ["deadline.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("deadline_id", "unit_id"),
    )
    with op.batch_alter_table("deadlineunit", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_deadlineunit_deadline_id"), ["deadline_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_deadlineunit_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "reminderlog",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("address_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("chat_id", sa.String(), nullable=False),
        sa.Column("is_group", sa.Boolean(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("deadline_id", sa.Integer(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("occurrence_key", sa.String(), nullable=False),
        sa.Column(
            "kind", sa.Enum("BEFORE", "OVERDUE", "BROADCAST", name="reminderkind"), nullable=False
        ),
        sa.Column("offset_days", sa.Integer(), nullable=False),
        sa.Column("planned_for", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("PENDING", "SENDING", "SENT", "FAILED", "CANCELLED", name="outboxstatus"),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["address_id"],
            ["chataddress.id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("reminderlog", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reminderlog_address_id"), ["address_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_reminderlog_channel"), ["channel"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_reminderlog_deadline_id"), ["deadline_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_reminderlog_key"), ["key"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_reminderlog_occurrence_key"), ["occurrence_key"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_reminderlog_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reminderlog_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_reminderlog_unit_id"), ["unit_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("reminderlog", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminderlog_unit_id"))
        batch_op.drop_index(batch_op.f("ix_reminderlog_status"))
        batch_op.drop_index(batch_op.f("ix_reminderlog_person_id"))
        batch_op.drop_index(batch_op.f("ix_reminderlog_occurrence_key"))
        batch_op.drop_index(batch_op.f("ix_reminderlog_key"))
        batch_op.drop_index(batch_op.f("ix_reminderlog_deadline_id"))
        batch_op.drop_index(batch_op.f("ix_reminderlog_channel"))
        batch_op.drop_index(batch_op.f("ix_reminderlog_address_id"))

    op.drop_table("reminderlog")
    with op.batch_alter_table("deadlineunit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deadlineunit_unit_id"))
        batch_op.drop_index(batch_op.f("ix_deadlineunit_deadline_id"))

    op.drop_table("deadlineunit")
    with op.batch_alter_table("taskunit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_taskunit_unit_id"))
        batch_op.drop_index(batch_op.f("ix_taskunit_task_id"))

    op.drop_table("taskunit")
    with op.batch_alter_table("memberapproval", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_memberapproval_unit_id"))
        batch_op.drop_index(batch_op.f("ix_memberapproval_person_id"))

    op.drop_table("memberapproval")
    with op.batch_alter_table("linkcode", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_linkcode_person_id"))

    op.drop_table("linkcode")
    with op.batch_alter_table("donemark", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_donemark_unit_id"))
        batch_op.drop_index(batch_op.f("ix_donemark_occurrence_key"))
        batch_op.drop_index(batch_op.f("ix_donemark_deadline_id"))

    op.drop_table("donemark")
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deadline_document_id"))

    op.drop_table("deadline")
    with op.batch_alter_table("chataddress", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chataddress_person_id"))
        batch_op.drop_index(batch_op.f("ix_chataddress_chat_id"))
        batch_op.drop_index(batch_op.f("ix_chataddress_channel"))

    op.drop_table("chataddress")
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_document_id"))

    op.drop_table("task")
    with op.batch_alter_table("section", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_section_document_id"))

    op.drop_table("section")
    with op.batch_alter_table("responsibility", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_responsibility_unit_id"))
        batch_op.drop_index(batch_op.f("ix_responsibility_document_id"))

    op.drop_table("responsibility")
    with op.batch_alter_table("reference", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reference_document_id"))
        batch_op.drop_index(batch_op.f("ix_reference_code_key"))

    op.drop_table("reference")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_unit_id"))

    op.drop_table("person")
    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unit_name"))

    op.drop_table("unit")
    op.drop_table("ticklease")
    with op.batch_alter_table("linkattempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_linkattempt_chat_id"))
        batch_op.drop_index(batch_op.f("ix_linkattempt_at"))

    op.drop_table("linkattempt")
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_source_file"))
        batch_op.drop_index(batch_op.f("ix_document_content_hash"))

    op.drop_table("document")
    with op.batch_alter_table("conv_stored_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conv_stored_action_token"))
        batch_op.drop_index(batch_op.f("ix_conv_stored_action_created_at"))

    op.drop_table("conv_stored_action")
    with op.batch_alter_table("conv_processed_update", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conv_processed_update_created_at"))

    op.drop_table("conv_processed_update")
    op.drop_table("conv_pending_choice")
    op.drop_table("conv_broadcast_request")
