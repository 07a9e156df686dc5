"""The schema, in SQLAlchemy Core. ``migrations/versions`` must create exactly this."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

from procurelink.adapters.store.column_types import BigId, ExactDecimal, Json, UtcDateTime

# Deterministic constraint names, so later migrations can drop and alter them by name.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# Strings carry no length: PostgreSQL would enforce one and SQLite would not, and the same
# contract suite must pass on both.

messages = Table(
    "messages",
    metadata,
    Column("id", String, primary_key=True),
    Column("direction", String, nullable=False),
    Column("partner_id", String),
    Column("channel", String, nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("sha256", String, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("correlation_id", String),
    Column("filename", String),
    Column("content_type", String, nullable=False),
    Column("metadata", Json, nullable=False),
    Index(None, "partner_id", "sha256", "direction"),
    Index(None, "correlation_id"),
)

documents = Table(
    "documents",
    metadata,
    Column("id", String, primary_key=True),
    Column("document_type", String, nullable=False),
    Column("partner_id", String, nullable=False),
    Column("correlation_id", String, nullable=False),
    Column("body", Json, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("message_id", String),
    Column("business_key", String),
    Column("schema_version", String, nullable=False),
    Index(None, "correlation_id"),
    Index(None, "partner_id", "business_key"),
)

jobs = Table(
    "jobs",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("kind", String, nullable=False),
    Column("status", String, nullable=False),
    Column("payload", Json, nullable=False),
    Column("correlation_id", String),
    Column("partner_id", String),
    Column("partition_key", String),
    Column("attempts", Integer, nullable=False),
    Column("max_attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("lease_owner", String),
    Column("lease_expires_at", UtcDateTime),
    Column("last_error", Text),
    # Unique but nullable: jobs without a dedupe key never collide (NULLs are distinct).
    Column("dedupe_key", String, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Index(None, "status", "next_attempt_at"),
    Index(None, "partition_key", "id"),
    Index(None, "correlation_id"),
)

effects = Table(
    "effects",
    metadata,
    Column("key", String, primary_key=True),
    Column("kind", String, nullable=False),
    Column("applied_at", UtcDateTime, nullable=False),
    Column("correlation_id", String),
    Column("job_id", BigId),
    Column("result", Json, nullable=False),
    Index(None, "correlation_id"),
)

exceptions = Table(
    "exceptions",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("status", String, nullable=False),
    Column("reason_code", String, nullable=False),
    Column("message", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("partner_id", String),
    Column("correlation_id", String),
    Column("order_number", String),
    Column("document_id", String),
    Column("message_id", String),
    Column("payload", Json, nullable=False),
    Column("approvable", Boolean, nullable=False),
    Column("resolved_by", String),
    Column("resolved_at", UtcDateTime),
    Column("resolution_note", Text),
    Index(None, "status"),
    Index(None, "correlation_id"),
)

audit = Table(
    "audit",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("at", UtcDateTime, nullable=False),
    Column("actor", String, nullable=False),
    Column("action", String, nullable=False),
    Column("correlation_id", String),
    Column("order_number", String),
    Column("subject", String),
    Column("before", Json),
    Column("after", Json),
    Index(None, "correlation_id"),
    Index(None, "order_number"),
)

ledger_orders = Table(
    "ledger_orders",
    metadata,
    Column("order_number", String, primary_key=True),
    Column("partner_id", String, nullable=False),
    Column("correlation_id", String, nullable=False),
    Column("state", String, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("currency", String, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("odoo_id", BigId),
    Column("supplier_odoo_id", BigId),
    Column("plant", String),
    Column("vendor_ref", String),
    Column("erp_write_date", String),
    Index(None, "correlation_id"),
    Index(None, "partner_id"),
)

ledger_lines = Table(
    "ledger_lines",
    metadata,
    Column(
        "order_number",
        String,
        ForeignKey("ledger_orders.order_number", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("line_no", String, primary_key=True),
    # Lines come back in the order they were saved, whatever their line numbers look like.
    Column("position", Integer, nullable=False),
    Column("quantity", ExactDecimal, nullable=False),
    Column("uom", String, nullable=False),
    Column("requested_date", Date),
    Column("original_quantity", ExactDecimal, nullable=False),
    Column("original_date", Date),
    Column("odoo_line_id", BigId),
    Column("buyer_item", String),
    Column("supplier_item", String),
    Column("description", Text),
    Column("unit_price", ExactDecimal),
    Column("received_quantity", ExactDecimal, nullable=False),
)

kv_state = Table(
    "kv_state",
    metadata,
    Column("key", String, primary_key=True),
    Column("value", Text),
    # Counters live beside values under the same key space but in their own column, so a
    # `put` never disturbs a counter and the other way round.
    Column("counter", BigId),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("key_id", String, primary_key=True),
    Column("partner_id", String, nullable=False),
    Column("secret_sha256", String, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("label", String),
    Column("revoked_at", UtcDateTime),
    Index(None, "partner_id"),
)

ledger_shipments = Table(
    "ledger_shipments",
    metadata,
    Column("partner_id", String, primary_key=True),
    Column("asn_number", String, primary_key=True),
    Column("correlation_id", String, nullable=False),
    Column("state", String, nullable=False),
    Column("ship_date", Date, nullable=False),
    Column("expected_date", Date),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("tracking_number", String),
    Column("carrier", String),
    # Lines and SSCCs travel as JSON: they are read and written with their shipment only.
    Column("lines", Json, nullable=False),
    Column("ssccs", Json, nullable=False),
    Index(None, "correlation_id"),
)

# How carriers name a shipment: "tracking:<number>" or "sscc:<18 digits>".
shipment_refs = Table(
    "shipment_refs",
    metadata,
    Column("ref", String, primary_key=True),
    Column("partner_id", String, nullable=False),
    Column("asn_number", String, nullable=False),
)

# Sent messages awaiting an asynchronous delivery receipt (AS2 MDN), by the channel's id.
pending_receipts = Table(
    "pending_receipts",
    metadata,
    Column("channel", String, primary_key=True),
    Column("message_ref", String, primary_key=True),
    Column("partner_id", String, nullable=False),
    Column("outbound_message_id", String),
    Column("sent_at", UtcDateTime, nullable=False),
    Column("data", Json, nullable=False),
    Column("resolved_at", UtcDateTime),
    Index(None, "partner_id"),
)

# Console sign-in attempts per login name (stripped, case-folded) since its last success.
sign_in_attempts = Table(
    "sign_in_attempts",
    metadata,
    Column("name", String, primary_key=True),
    Column("attempts", Integer, nullable=False),
    Column("last_at", UtcDateTime, nullable=False),
    Column("version", BigId, nullable=False),
    Index(None, "last_at"),
)

# Live processes per group (e.g. those calling one Odoo instance), to share its limits.
peers = Table(
    "peers",
    metadata,
    Column("peer_group", String, primary_key=True),
    Column("peer", String, primary_key=True),
    Column("seen_at", UtcDateTime, nullable=False),
)
