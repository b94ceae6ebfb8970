"""The channel inbox: each incoming update stored before it is acknowledged (bot/inbox.py).

A new table only; no existing row changes. Keyed by (channel, update_id) so a redelivered
update is recognised; `state` is pending → answered → done, `replies` holds the replies of an
answered update so that a restart resends them instead of losing them.

Revision ID: 0004_channel_inbox
Revises: 0003_identity_members
Create Date: 2026-11-30 22:25:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_channel_inbox"
down_revision: str | Sequence[str] | None = "0003_identity_members"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "channel_inbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("update_id", sa.String(), nullable=False),
        sa.Column("chat_key", sa.String(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=True),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("chat_id", sa.String(), nullable=False),
        sa.Column("replies", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("channel", "update_id"),
    )
    with op.batch_alter_table("channel_inbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_channel_inbox_state"), ["state"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_channel_inbox_created_at"), ["created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("channel_inbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_channel_inbox_created_at"))
        batch_op.drop_index(batch_op.f("ix_channel_inbox_state"))
    op.drop_table("channel_inbox")
