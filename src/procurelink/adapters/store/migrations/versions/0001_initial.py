"""The initial schema: messages, documents, jobs, effects, exceptions, audit, ledger, state.

Revision ID: 0001
Revises:
Create Date: 2025-01-01

Types are spelled out here rather than imported from ``tables.py``: a migration is a frozen
record of the schema at one revision and must not change when the application types do.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
# Text on SQLite: its NUMERIC affinity would round-trip Decimal("1.50") as 1.5.
DECIMAL = sa.Numeric().with_variant(sa.String(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "messages",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("direction", sa.String(), nullable=False),
        sa.Column("partner_id", sa.String(), nullable=True),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("received_at", TIMESTAMP, nullable=False),
        sa.Column("correlation_id", sa.String(), nullable=True),
        sa.Column("filename", sa.String(), nullable=True),
        sa.Column("content_type", sa.String(), nullable=False),
        sa.Column("metadata", JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_messages"),
    )
    op.create_index(
        "ix_messages_partner_id_sha256_direction",
        "messages",
        ["partner_id", "sha256", "direction"],
    )
    op.create_index("ix_messages_correlation_id", "messages", ["correlation_id"])

    op.create_table(
        "documents",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("document_type", sa.String(), nullable=False),
        sa.Column("partner_id", sa.String(), nullable=False),
        sa.Column("correlation_id", sa.String(), nullable=False),
        sa.Column("body", JSON, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("message_id", sa.String(), nullable=True),
        sa.Column("business_key", sa.String(), nullable=True),
        sa.Column("schema_version", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
    )
    op.create_index("ix_documents_correlation_id", "documents", ["correlation_id"])
    op.create_index(
        "ix_documents_partner_id_business_key", "documents", ["partner_id", "business_key"]
    )

    op.create_table(
        "jobs",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("payload", JSON, nullable=False),
        sa.Column("correlation_id", sa.String(), nullable=True),
        sa.Column("partner_id", sa.String(), nullable=True),
        sa.Column("partition_key", sa.String(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", TIMESTAMP, nullable=False),
        sa.Column("lease_owner", sa.String(), nullable=True),
        sa.Column("lease_expires_at", TIMESTAMP, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("dedupe_key", sa.String(), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_jobs"),
        sa.UniqueConstraint("dedupe_key", name="uq_jobs_dedupe_key"),
    )
    op.create_index("ix_jobs_status_next_attempt_at", "jobs", ["status", "next_attempt_at"])
    op.create_index("ix_jobs_partition_key_id", "jobs", ["partition_key", "id"])
    op.create_index("ix_jobs_correlation_id", "jobs", ["correlation_id"])

    op.create_table(
        "effects",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("applied_at", TIMESTAMP, nullable=False),
        sa.Column("correlation_id", sa.String(), nullable=True),
        sa.Column("job_id", ID, nullable=True),
        sa.Column("result", JSON, nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_effects"),
    )
    op.create_index("ix_effects_correlation_id", "effects", ["correlation_id"])

    op.create_table(
        "exceptions",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("reason_code", sa.String(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("partner_id", sa.String(), nullable=True),
        sa.Column("correlation_id", sa.String(), nullable=True),
        sa.Column("order_number", sa.String(), nullable=True),
        sa.Column("document_id", sa.String(), nullable=True),
        sa.Column("message_id", sa.String(), nullable=True),
        sa.Column("payload", JSON, nullable=False),
        sa.Column("approvable", sa.Boolean(), nullable=False),
        sa.Column("resolved_by", sa.String(), nullable=True),
        sa.Column("resolved_at", TIMESTAMP, nullable=True),
        sa.Column("resolution_note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_exceptions"),
    )
    op.create_index("ix_exceptions_status", "exceptions", ["status"])
    op.create_index("ix_exceptions_correlation_id", "exceptions", ["correlation_id"])

    op.create_table(
        "audit",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("at", TIMESTAMP, nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("correlation_id", sa.String(), nullable=True),
        sa.Column("order_number", sa.String(), nullable=True),
        sa.Column("subject", sa.String(), nullable=True),
        sa.Column("before", JSON, nullable=True),
        sa.Column("after", JSON, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit"),
    )
    op.create_index("ix_audit_correlation_id", "audit", ["correlation_id"])
    op.create_index("ix_audit_order_number", "audit", ["order_number"])

    op.create_table(
        "ledger_orders",
        sa.Column("order_number", sa.String(), nullable=False),
        sa.Column("partner_id", sa.String(), nullable=False),
        sa.Column("correlation_id", sa.String(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(), nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.Column("odoo_id", ID, nullable=True),
        sa.Column("supplier_odoo_id", ID, nullable=True),
        sa.Column("plant", sa.String(), nullable=True),
        sa.Column("vendor_ref", sa.String(), nullable=True),
        sa.Column("erp_write_date", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("order_number", name="pk_ledger_orders"),
    )
    op.create_index("ix_ledger_orders_correlation_id", "ledger_orders", ["correlation_id"])
    op.create_index("ix_ledger_orders_partner_id", "ledger_orders", ["partner_id"])

    op.create_table(
        "ledger_lines",
        sa.Column("order_number", sa.String(), nullable=False),
        sa.Column("line_no", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("quantity", DECIMAL, nullable=False),
        sa.Column("uom", sa.String(), nullable=False),
        sa.Column("requested_date", sa.Date(), nullable=True),
        sa.Column("original_quantity", DECIMAL, nullable=False),
        sa.Column("original_date", sa.Date(), nullable=True),
        sa.Column("odoo_line_id", ID, nullable=True),
        sa.Column("buyer_item", sa.String(), nullable=True),
        sa.Column("supplier_item", sa.String(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("unit_price", DECIMAL, nullable=True),
        sa.Column("received_quantity", DECIMAL, nullable=False),
        sa.ForeignKeyConstraint(
            ["order_number"],
            ["ledger_orders.order_number"],
            name="fk_ledger_lines_order_number_ledger_orders",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("order_number", "line_no", name="pk_ledger_lines"),
    )

    op.create_table(
        "kv_state",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("counter", ID, nullable=True),
        sa.PrimaryKeyConstraint("key", name="pk_kv_state"),
    )


def downgrade() -> None:
    for table in (
        "kv_state",
        "ledger_lines",
        "ledger_orders",
        "audit",
        "exceptions",
        "effects",
        "jobs",
        "documents",
        "messages",
    ):
        op.drop_table(table)
