"""Ship notices in the ledger, and the references carriers name them by.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "ledger_shipments",
        sa.Column("partner_id", sa.String(), nullable=False),
        sa.Column("asn_number", sa.String(), nullable=False),
        sa.Column("correlation_id", sa.String(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("ship_date", sa.Date(), nullable=False),
        sa.Column("expected_date", sa.Date(), nullable=True),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.Column("tracking_number", sa.String(), nullable=True),
        sa.Column("carrier", sa.String(), nullable=True),
        sa.Column("lines", JSON, nullable=False),
        sa.Column("ssccs", JSON, nullable=False),
        sa.PrimaryKeyConstraint("partner_id", "asn_number", name="pk_ledger_shipments"),
    )
    op.create_index("ix_ledger_shipments_correlation_id", "ledger_shipments", ["correlation_id"])
    op.create_table(
        "shipment_refs",
        sa.Column("ref", sa.String(), nullable=False),
        sa.Column("partner_id", sa.String(), nullable=False),
        sa.Column("asn_number", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("ref", name="pk_shipment_refs"),
    )


def downgrade() -> None:
    op.drop_table("shipment_refs")
    op.drop_index("ix_ledger_shipments_correlation_id", table_name="ledger_shipments")
    op.drop_table("ledger_shipments")
