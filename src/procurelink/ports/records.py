"""Records stored and returned by the MessageStore port."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


@dataclass(frozen=True, slots=True)
class RawMessage:
    """Bytes as they crossed the boundary; immutable once stored."""

    id: str
    direction: Direction
    partner_id: str | None
    channel: str
    body: bytes
    sha256: str
    received_at: datetime
    correlation_id: str | None = None
    filename: str | None = None
    content_type: str = "application/octet-stream"
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StoredDocument:
    id: str
    document_type: str
    partner_id: str
    correlation_id: str
    body: dict[str, Any]
    created_at: datetime
    message_id: str | None = None
    business_key: str | None = None
    schema_version: str = "1"


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    DEAD = "dead"


@dataclass(frozen=True, slots=True)
class NewJob:
    kind: str
    payload: dict[str, Any]
    correlation_id: str | None = None
    partner_id: str | None = None
    partition_key: str | None = None
    max_attempts: int = 8
    run_at: datetime | None = None
    # A second enqueue with the same dedupe key returns the existing job instead of a new one.
    dedupe_key: str | None = None


@dataclass(frozen=True, slots=True)
class Job:
    id: int
    kind: str
    status: JobStatus
    payload: dict[str, Any]
    correlation_id: str | None
    partner_id: str | None
    partition_key: str | None
    attempts: int
    max_attempts: int
    next_attempt_at: datetime
    created_at: datetime
    updated_at: datetime
    lease_owner: str | None = None
    lease_expires_at: datetime | None = None
    last_error: str | None = None
    dedupe_key: str | None = None


@dataclass(frozen=True, slots=True)
class Effect:
    """An ERP write or a delivery that happened; its key makes it happen once."""

    key: str
    kind: str
    applied_at: datetime
    correlation_id: str | None = None
    job_id: int | None = None
    result: dict[str, Any] = field(default_factory=dict)


class ExceptionStatus(StrEnum):
    OPEN = "open"
    APPROVED = "approved"
    REJECTED = "rejected"
    RESOLVED = "resolved"


@dataclass(frozen=True, slots=True)
class NewException:
    reason_code: str
    message: str
    partner_id: str | None = None
    correlation_id: str | None = None
    order_number: str | None = None
    document_id: str | None = None
    message_id: str | None = None
    # What would be applied on approval, and anything the buyer needs to decide.
    payload: dict[str, Any] = field(default_factory=dict)
    # Only exceptions that carry a proposed change can be approved; the others are resolved.
    approvable: bool = False


@dataclass(frozen=True, slots=True)
class ExceptionRecord:
    id: int
    status: ExceptionStatus
    reason_code: str
    message: str
    created_at: datetime
    partner_id: str | None
    correlation_id: str | None
    order_number: str | None
    document_id: str | None
    message_id: str | None
    payload: dict[str, Any]
    approvable: bool
    resolved_by: str | None = None
    resolved_at: datetime | None = None
    resolution_note: str | None = None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    correlation_id: str | None = None
    order_number: str | None = None
    subject: str | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    id: int | None = None


class OrderState(StrEnum):
    """procurelink's lifecycle of an order (see workflow.lifecycle for the Odoo mapping)."""

    RELEASED = "released"
    SENT = "sent"
    ACKNOWLEDGED = "acknowledged"
    CHANGE_PENDING = "change_pending"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class LedgerLine:
    line_no: str
    quantity: Decimal
    uom: str
    requested_date: date | None
    original_quantity: Decimal
    original_date: date | None
    odoo_line_id: int | None = None
    buyer_item: str | None = None
    supplier_item: str | None = None
    description: str | None = None
    unit_price: Decimal | None = None
    received_quantity: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class LedgerOrder:
    """procurelink's projection of an open order: what was committed and what stands now."""

    order_number: str
    partner_id: str
    correlation_id: str
    state: OrderState
    revision: int
    currency: str
    updated_at: datetime
    lines: tuple[LedgerLine, ...]
    odoo_id: int | None = None
    supplier_odoo_id: int | None = None
    plant: str | None = None
    vendor_ref: str | None = None
    erp_write_date: str | None = None

    def line(self, line_no: str) -> LedgerLine | None:
        return next((ln for ln in self.lines if ln.line_no == line_no), None)
