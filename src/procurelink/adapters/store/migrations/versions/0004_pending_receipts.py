"""Sent messages awaiting an asynchronous delivery receipt (AS2 MDNs survive a restart).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "pending_receipts",
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("message_ref", sa.String(), nullable=False),
        sa.Column("partner_id", sa.String(), nullable=False),
        sa.Column("outbound_message_id", sa.String(), nullable=True),
        sa.Column("sent_at", TIMESTAMP, nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.Column("resolved_at", TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("channel", "message_ref", name="pk_pending_receipts"),
    )
    op.create_index("ix_pending_receipts_partner_id", "pending_receipts", ["partner_id"])


def downgrade() -> None:
    op.drop_index("ix_pending_receipts_partner_id", table_name="pending_receipts")
    op.drop_table("pending_receipts")
