"""Inbox rows name their owner: a restarting replica resumes its own unfinished updates at once
and another replica's only once they have been unfinished for a while (bot/inbox.py).

Existing rows get owner "" (no host) and owned_since = created_at, so any replica may take
over those left unfinished once they are old enough; nothing is lost.

Revision ID: 0006_inbox_owner
Revises: 0005_workflow
Create Date: 2026-11-30 22:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_inbox_owner"
down_revision: str | Sequence[str] | None = "0005_workflow"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("channel_inbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner", sa.String(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("owned_since", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE channel_inbox SET owned_since = created_at")
    with op.batch_alter_table("channel_inbox", schema=None) as batch_op:
        batch_op.alter_column(
            "owned_since", existing_type=sa.DateTime(timezone=True), nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table("channel_inbox", schema=None) as batch_op:
        batch_op.drop_column("owned_since")
        batch_op.drop_column("owner")
