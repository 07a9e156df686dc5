"""Live processes per group (heartbeats), so processes can share an Odoo instance's limits.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "peers",
        sa.Column("peer_group", sa.String(), nullable=False),
        sa.Column("peer", sa.String(), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("peer_group", "peer", name="pk_peers"),
    )


def downgrade() -> None:
    op.drop_table("peers")
