"""Records stored and returned by the MessageStore port."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from procurelink.domain.ledger import (
    LedgerLine,
    LedgerOrder,
    LedgerShipment,
    OrderState,
    ShipmentLine,
    ShipmentState,
)

__all__ = [
    "ApiKey",
    "AuditEntry",
    "Direction",
    "Effect",
    "ExceptionRecord",
    "ExceptionStatus",
    "Job",
    "JobStatus",
    "LedgerLine",
    "LedgerOrder",
    "LedgerShipment",
    "NewException",
    "NewJob",
    "OrderState",
    "PendingReceipt",
    "RawMessage",
    "ShipmentLine",
    "ShipmentState",
    "StoredDocument",
]


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


@dataclass(frozen=True, slots=True)
class ApiKey:
    """A supplier's API credential. Only a hash of the secret is ever stored."""

    key_id: str
    partner_id: str
    secret_sha256: str
    created_at: datetime
    label: str | None = None
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True, slots=True)
class SignInAttempts:
    """Console sign-in attempts for one login name since its last success (the throttle's
    count, shared by every ``serve`` process). ``version`` changes with every write, so a
    compare-and-swap on it lets exactly one of several concurrent attempts take a turn."""

    attempts: int
    last_at: datetime
    version: int = 0


@dataclass(frozen=True, slots=True)
class PendingReceipt:
    """A sent message whose delivery receipt is still to come (an asynchronous AS2 MDN).

    Kept in the store so that a receipt arriving after a restart is still matched.
    """

    channel: str  # e.g. "as2"
    message_ref: str  # the channel's id of what was sent (the AS2 Message-ID)
    partner_id: str
    sent_at: datetime
    # What the channel needs to check the receipt (for AS2: the MIC and its algorithm).
    data: dict[str, Any] = field(default_factory=dict)
    outbound_message_id: str | None = None  # our ``messages`` row, when known
    resolved_at: datetime | None = None
