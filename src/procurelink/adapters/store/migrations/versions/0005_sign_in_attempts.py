"""Console sign-in attempts per login name, shared by every ``serve`` process.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "sign_in_attempts",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_at", TIMESTAMP, nullable=False),
        sa.Column("version", ID, nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_sign_in_attempts"),
    )
    op.create_index("ix_sign_in_attempts_last_at", "sign_in_attempts", ["last_at"])


def downgrade() -> None:
    op.drop_index("ix_sign_in_attempts_last_at", table_name="sign_in_attempts")
    op.drop_table("sign_in_attempts")
