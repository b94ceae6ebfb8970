"""Web board (issue 12): login links, browser sessions, calendar feeds, one-time downloads.

Five new tables, nothing existing changes: `web_server_secret` (the per-database signing key),
`web_login_token` (one-time login links: nonce recorded when issued, marked when used),
`web_session` (hash of the cookie secret, role, CSRF token, expiry), `web_calendar_feed`
(secret, revocable .ics URLs per unit or member) and `web_download` (CSV files behind one-time
links for Zalo). Downgrade drops them.

Revision ID: 0007_web_board
Revises: 0006_inbox_owner
Create Date: 2026-11-30 22:30:00
"""

from __future__ import annotations

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0007_web_board"
down_revision: Union[str, Sequence[str], None] = "0006_inbox_owner"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _moment(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _missing(table: str) -> bool:
    """A throwaway database made by `create_all` with today's models (tests, benchmarks) and
    stamped at the baseline already has these tables: create only what is missing."""
    return table not in sa.inspect(op.get_bind()).get_table_names()


def upgrade() -> None:
    if _missing("web_server_secret"):
        _create_tables()


def _create_tables() -> None:
    op.create_table(
        "web_server_secret",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "web_login_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("nonce", sa.String(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        _moment("issued_at"),
        _moment("used_at", nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("web_login_token") as batch:
        batch.create_index("ix_web_login_token_nonce", ["nonce"], unique=True)
        batch.create_index("ix_web_login_token_issued_at", ["issued_at"], unique=False)
    op.create_table(
        "web_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("secret_hash", sa.String(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("csrf_token", sa.String(), nullable=False),
        _moment("created_at"),
        _moment("expires_at"),
        _moment("revoked_at", nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "web_calendar_feed",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(), nullable=False),
        _moment("created_at"),
        _moment("revoked_at", nullable=True),
        sa.Column("revoked_by", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("web_calendar_feed") as batch:
        batch.create_index("ix_web_calendar_feed_unit_id", ["unit_id"], unique=False)
        batch.create_index("ix_web_calendar_feed_person_id", ["person_id"], unique=False)
    op.create_table(
        "web_download",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("secret_hash", sa.String(), nullable=False),
        sa.Column("filename", sa.String(), nullable=False),
        sa.Column("mime_type", sa.String(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        _moment("created_at"),
        _moment("expires_at"),
        _moment("used_at", nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("web_download")
    with op.batch_alter_table("web_calendar_feed") as batch:
        batch.drop_index("ix_web_calendar_feed_person_id")
        batch.drop_index("ix_web_calendar_feed_unit_id")
    op.drop_table("web_calendar_feed")
    op.drop_table("web_session")
    with op.batch_alter_table("web_login_token") as batch:
        batch.drop_index("ix_web_login_token_issued_at")
        batch.drop_index("ix_web_login_token_nonce")
    op.drop_table("web_login_token")
    op.drop_table("web_server_secret")
