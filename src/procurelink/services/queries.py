"""Read side for the console, the CLI and dashboards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from procurelink.domain.ledger import LedgerOrder
from procurelink.ports.records import (
    AuditEntry,
    Effect,
    ExceptionRecord,
    ExceptionStatus,
    Job,
    JobStatus,
    RawMessage,
    StoredDocument,
)
from procurelink.services.context import Deps


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    at: datetime
    kind: str  # message | document | effect | exception | audit | job
    title: str
    detail: dict[str, Any]


@dataclass(frozen=True, slots=True)
class OrderView:
    order: LedgerOrder
    timeline: tuple[TimelineEntry, ...]
    exceptions: tuple[ExceptionRecord, ...]
    audit: tuple[AuditEntry, ...]


class Queries:
    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def orders(self, partner_id: str | None = None) -> list[LedgerOrder]:
        async with self._deps.store.unit_of_work() as uow:
            return await uow.ledger.list(partner_id=partner_id)

    async def order(self, order_number: str) -> OrderView | None:
        async with self._deps.store.unit_of_work() as uow:
            order = await uow.ledger.get(order_number)
            if order is None:
                return None
            cid = order.correlation_id
            messages = await uow.messages.list_by_correlation(cid)
            documents = await uow.documents.list_by_correlation(cid)
            effects = await uow.effects.list_by_correlation(cid)
            exceptions = await uow.exceptions.list(correlation_id=cid)
            audit = await uow.audit.list(correlation_id=cid)
            jobs = await uow.jobs.list(correlation_id=cid)
        timeline = sorted(
            [
                *map(_from_message, messages),
                *map(_from_document, documents),
                *map(_from_effect, effects),
                *map(_from_exception, exceptions),
                *map(_from_audit, audit),
                *map(_from_job, jobs),
            ],
            key=lambda e: e.at,
        )
        return OrderView(order, tuple(timeline), tuple(exceptions), tuple(audit))

    async def exceptions(
        self, status: ExceptionStatus | None = ExceptionStatus.OPEN, partner_id: str | None = None
    ) -> list[ExceptionRecord]:
        async with self._deps.store.unit_of_work() as uow:
            return await uow.exceptions.list(status=status, partner_id=partner_id)

    async def exception(self, exception_id: int) -> ExceptionRecord | None:
        async with self._deps.store.unit_of_work() as uow:
            return await uow.exceptions.get(exception_id)

    async def jobs(self, status: JobStatus | None = None, limit: int = 100) -> list[Job]:
        async with self._deps.store.unit_of_work() as uow:
            return await uow.jobs.list(status=status, limit=limit)

    async def job(self, job_id: int) -> Job | None:
        async with self._deps.store.unit_of_work() as uow:
            return await uow.jobs.get(job_id)

    async def message(self, message_id: str) -> RawMessage | None:
        async with self._deps.store.unit_of_work() as uow:
            return await uow.messages.get(message_id)


def _from_message(m: RawMessage) -> TimelineEntry:
    return TimelineEntry(
        m.received_at,
        "message",
        f"{m.direction} {m.filename or m.id}",
        {"id": m.id, "channel": m.channel, "bytes": len(m.body), "sha256": m.sha256},
    )


def _from_document(d: StoredDocument) -> TimelineEntry:
    return TimelineEntry(
        d.created_at,
        "document",
        f"{d.document_type} {d.id}",
        {"id": d.id, "message_id": d.message_id},
    )


def _from_effect(e: Effect) -> TimelineEntry:
    return TimelineEntry(e.applied_at, "effect", f"{e.kind} {e.key}", dict(e.result))


def _from_exception(x: ExceptionRecord) -> TimelineEntry:
    return TimelineEntry(
        x.created_at, "exception", f"#{x.id} {x.reason_code} ({x.status})", {"message": x.message}
    )


def _from_audit(a: AuditEntry) -> TimelineEntry:
    return TimelineEntry(
        a.at,
        "audit",
        f"{a.action}: {a.subject or ''}",
        {"actor": a.actor, "before": a.before, "after": a.after},
    )


def _from_job(j: Job) -> TimelineEntry:
    return TimelineEntry(
        j.created_at,
        "job",
        f"{j.kind} #{j.id} {j.status}",
        {"attempts": j.attempts, "last_error": j.last_error},
    )
