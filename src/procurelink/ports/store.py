"""The MessageStore port: one unit of work over every table of ARCHITECTURE.md §3.

Everything done through one ``UnitOfWork`` commits or rolls back together; that is how an
inbox job is created with its raw message, and an effect key with the job it completes.
All job transitions are guarded: they change a row only from the expected state (and lease
owner) and return ``False`` when another worker got there first.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from types import TracebackType
from typing import Protocol, Self

from procurelink.ports.records import (
    ApiKey,
    AuditEntry,
    Direction,
    Effect,
    ExceptionRecord,
    ExceptionStatus,
    Job,
    JobStatus,
    LedgerOrder,
    LedgerShipment,
    NewException,
    NewJob,
    OrderState,
    PendingReceipt,
    RawMessage,
    SignInAttempts,
    StoredDocument,
)


class MessageRepository(Protocol):
    async def add(self, message: RawMessage) -> None: ...
    async def get(self, message_id: str) -> RawMessage | None: ...
    async def find_by_hash(
        self, partner_id: str | None, sha256: str, direction: Direction
    ) -> RawMessage | None: ...
    async def list_by_correlation(self, correlation_id: str) -> list[RawMessage]: ...
    async def link_correlation(self, message_id: str, correlation_id: str) -> None:
        """Attach an inbound message to its order's thread once decoding found the order."""
        ...


class DocumentRepository(Protocol):
    async def add(self, document: StoredDocument) -> None: ...
    async def get(self, document_id: str) -> StoredDocument | None: ...
    async def list_by_correlation(self, correlation_id: str) -> list[StoredDocument]: ...
    async def find_by_business_key(
        self, partner_id: str, business_key: str
    ) -> StoredDocument | None: ...


class JobRepository(Protocol):
    async def enqueue(self, job: NewJob, now: datetime) -> int:
        """Queue a job due at ``job.run_at`` (or now); returns its id (existing id on dedupe)."""
        ...

    async def claim(
        self, worker: str, now: datetime, lease: timedelta, kinds: Sequence[str] | None = None
    ) -> Job | None:
        """Lease the oldest due job, keeping order per partition key.

        A job is not claimable while an older job of the same partition key is queued or
        running. Expired leases of running jobs are reclaimable. PostgreSQL uses
        ``FOR UPDATE SKIP LOCKED``. Claiming increments ``attempts``.
        """
        ...

    async def complete(self, job_id: int, worker: str, now: datetime) -> bool: ...
    async def retry(
        self, job_id: int, worker: str, error: str, next_attempt_at: datetime, now: datetime
    ) -> bool: ...
    async def bury(self, job_id: int, worker: str, error: str, now: datetime) -> bool:
        """Dead-letter a running job with its last error."""
        ...

    async def replay(self, job_id: int, now: datetime) -> bool:
        """Put a dead job back in the queue with fresh attempts."""
        ...

    async def get(self, job_id: int) -> Job | None: ...
    async def list(
        self,
        status: JobStatus | None = None,
        correlation_id: str | None = None,
        limit: int = 100,
    ) -> list[Job]: ...
    async def count_due(self, now: datetime) -> int: ...


class EffectRepository(Protocol):
    async def record(self, effect: Effect) -> bool:
        """Record an effect key; ``False`` if that key was already recorded."""
        ...

    async def get(self, key: str) -> Effect | None: ...
    async def list_by_correlation(self, correlation_id: str) -> list[Effect]: ...


class ExceptionRepository(Protocol):
    async def open(self, exception: NewException, now: datetime) -> int: ...
    async def get(self, exception_id: int) -> ExceptionRecord | None: ...
    async def list(
        self,
        status: ExceptionStatus | None = None,
        partner_id: str | None = None,
        correlation_id: str | None = None,
        limit: int = 200,
    ) -> list[ExceptionRecord]: ...
    async def resolve(
        self,
        exception_id: int,
        status: ExceptionStatus,
        by: str,
        now: datetime,
        note: str | None = None,
    ) -> bool:
        """Close an open exception; ``False`` if it was not open any more."""
        ...


class AuditRepository(Protocol):
    async def append(self, entry: AuditEntry) -> int: ...
    async def list(
        self,
        correlation_id: str | None = None,
        order_number: str | None = None,
        limit: int = 500,
    ) -> list[AuditEntry]: ...


class LedgerRepository(Protocol):
    async def get(self, order_number: str) -> LedgerOrder | None: ...
    async def get_by_correlation(self, correlation_id: str) -> LedgerOrder | None: ...
    async def save(self, order: LedgerOrder) -> None:
        """Insert or replace the order with its lines."""
        ...

    async def set_state(
        self, order_number: str, expected: Sequence[OrderState], new: OrderState, now: datetime
    ) -> bool: ...
    async def list(self, partner_id: str | None = None, limit: int = 200) -> list[LedgerOrder]: ...


class KeyValueRepository(Protocol):
    """Small durable state: poller cursors, seen versions, control-number counters."""

    async def get(self, key: str) -> str | None: ...
    async def put(self, key: str, value: str) -> None: ...
    async def put_if_absent(self, key: str, value: str) -> str | None:
        """Store ``value`` unless the key exists; returns the existing value, or None."""
        ...

    async def replace_if(self, key: str, expected: str, value: str) -> bool:
        """Store ``value`` only if the key still holds ``expected``, in one statement."""
        ...

    async def next_counter(self, name: str, start: int = 1) -> int:
        """Atomically increment and return a counter (never the same value twice)."""
        ...


class ShipmentRepository(Protocol):
    async def save(self, shipment: LedgerShipment) -> None:
        """Insert or replace, with its lookup references (tracking number, SSCCs)."""
        ...

    async def get(self, partner_id: str, asn_number: str) -> LedgerShipment | None: ...
    async def find_by_ref(self, ref: str) -> LedgerShipment | None:
        """The shipment a carrier reference names: ``tracking:<no>`` or ``sscc:<18 digits>``."""
        ...

    async def list_by_correlation(self, correlation_id: str) -> list[LedgerShipment]: ...


class ApiKeyRepository(Protocol):
    async def add(self, key: ApiKey) -> None: ...
    async def get(self, key_id: str) -> ApiKey | None: ...
    async def list(self, partner_id: str | None = None) -> list[ApiKey]: ...
    async def revoke(self, key_id: str, now: datetime) -> bool:
        """Revoke an active key; ``False`` if unknown or already revoked."""
        ...


class PendingReceiptRepository(Protocol):
    async def add(self, receipt: PendingReceipt) -> None:
        """Remember a sent message awaiting its receipt; a retried send replaces the record
        (same channel and message_ref) and waits again."""
        ...

    async def get(self, channel: str, message_ref: str) -> PendingReceipt | None:
        """The record, resolved or not (``resolved_at`` tells)."""
        ...

    async def resolve(self, channel: str, message_ref: str, now: datetime) -> bool:
        """Mark the receipt as arrived; ``False`` if unknown or already resolved."""
        ...

    async def waiting(self, channel: str | None = None) -> list[PendingReceipt]:
        """Unresolved records, oldest first."""
        ...


class SignInAttemptRepository(Protocol):
    """Console sign-in attempts per login name (``services.sign_in_throttle`` decides)."""

    async def get(self, name: str) -> SignInAttempts | None: ...
    async def swap(
        self, name: str, expected: SignInAttempts | None, attempts: int, last_at: datetime
    ) -> SignInAttempts | None:
        """Write the new count if the stored record is still ``expected`` (None: absent), in
        one statement; returns what was written, or None when another writer came first."""
        ...

    async def clear(self, name: str, version: int | None = None) -> None:
        """Forget the name's attempts (only if still at ``version``, when given)."""
        ...

    async def prune(self, before: datetime) -> int:
        """Forget names whose last attempt was at or before ``before``; returns how many."""
        ...


class PeerRepository(Protocol):
    """Live processes by group (e.g. every process calling one Odoo instance), so that they
    can split a shared limit between them."""

    async def beat(self, group: str, peer: str, now: datetime) -> None:
        """Record that ``peer`` is alive now (and forget peers silent for an hour)."""
        ...

    async def live(self, group: str, since: datetime) -> int:
        """How many peers of the group were seen at or after ``since``."""
        ...

    async def leave(self, group: str, peer: str) -> None: ...


class UnitOfWork(Protocol):
    messages: MessageRepository
    documents: DocumentRepository
    jobs: JobRepository
    effects: EffectRepository
    exceptions: ExceptionRepository
    audit: AuditRepository
    ledger: LedgerRepository
    state: KeyValueRepository
    api_keys: ApiKeyRepository
    shipments: ShipmentRepository
    pending_receipts: PendingReceiptRepository
    sign_in_attempts: SignInAttemptRepository
    peers: PeerRepository

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed."""
        ...

    async def commit(self) -> None: ...
    async def rollback(self) -> None: ...


class MessageStore(Protocol):
    def unit_of_work(self) -> UnitOfWork: ...
    async def close(self) -> None: ...
