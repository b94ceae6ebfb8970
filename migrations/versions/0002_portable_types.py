"""Enums become plain strings: adding a member is then a code change, never `ALTER TYPE`.

On PostgreSQL `create_all` had made native enum types; a database created before a member
existed (BROADCAST) rejected it with "invalid input value for enum". The columns become
VARCHAR(32) holding the member's name, as SQLite already stored them, and the types are dropped.
Datetime columns were already `timestamp with time zone` / SQLite text in UTC: unchanged.

Revision ID: 0002_portable_types
Revises: 0001_baseline
Create Date: 2026-11-30 21:44:55
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_portable_types"
down_revision: str | Sequence[str] | None = "0001_baseline"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LENGTH = 32
# (table, column, enum type name, members as stored)
ENUM_COLUMNS = [
    (
        "deadline",
        "rule_kind",
        "recurrencekind",
        ("ONCE", "YEARLY", "QUARTERLY", "HALF_YEARLY", "MONTHLY"),
    ),
    ("document", "kind", "documentkind", ("PLAN", "DIRECTIVE", "OTHER")),
    ("reminderlog", "kind", "reminderkind", ("BEFORE", "OVERDUE", "BROADCAST")),
    (
        "reminderlog",
        "status",
        "outboxstatus",
        ("PENDING", "SENDING", "SENT", "FAILED", "CANCELLED"),
    ),
    ("taskunit", "role", "unitrole", ("LEAD", "COOPERATE")),
]


def _native(name: str, members: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*members, name=name)


def _plain(name: str, members: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*members, name=name, native_enum=False, create_constraint=False, length=LENGTH)


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, column, name, members in ENUM_COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(
                column,
                existing_type=_native(name, members),
                type_=_plain(name, members),
                existing_nullable=False,
                postgresql_using=f"{column}::text",
            )
    if postgres:
        for name in sorted({name for _, _, name, _ in ENUM_COLUMNS}):
            op.execute(f"DROP TYPE IF EXISTS {name}")


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, column, name, members in ENUM_COLUMNS:
        if postgres:
            _native(name, members).create(op.get_bind(), checkfirst=True)
        with op.batch_alter_table(table) as batch:
            batch.alter_column(
                column,
                existing_type=_plain(name, members),
                type_=_native(name, members),
                existing_nullable=False,
                postgresql_using=f"{column}::{name}",
            )
