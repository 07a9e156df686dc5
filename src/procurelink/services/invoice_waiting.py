"""Invoices that arrive before their goods: parked until the receipt, or the grace is over.

An invoice billing more than was received, but no more than was ordered, is not a
mismatch yet: the goods may be on the truck. Its job parks it instead of opening an
exception: it records when it started waiting (audit: ``invoice_awaiting_receipt``, on the
order timeline) and queues a re-check with backoff, never past the partner's
``invoice_match.receipt_grace_days`` counted from the invoice's arrival. A receipt applied
through procurelink wakes it at once; so does one booked directly in Odoo, when the order's
next snapshot sees it (``services/erp_sync.py``). Once the grace is over, the quantity
becomes an exception for the buyer.

The key ``invoice:waiting:<document id>`` holds the id of the one re-check that counts
(``woken:<job id>`` while a receipt's wake-up runs, "" once the invoice is settled):
re-checks superseded by a wake-up end without doing anything.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from procurelink.domain.invoice import Invoice
from procurelink.domain.ledger import LedgerOrder
from procurelink.ports.records import AuditEntry, Job, NewJob
from procurelink.ports.store import UnitOfWork
from procurelink.services.context import Deps
from procurelink.services.invoice_jobs import INVOICE_JOB, enqueue_invoice
from procurelink.workflow.invoice_match import MatchResult

FIRST_RECHECK = timedelta(hours=1)
LONGEST_RECHECK = timedelta(hours=24)


def waiting_key(document_id: str) -> str:
    return f"invoice:waiting:{document_id}"


def grace_deadline(deps: Deps, invoice: Invoice, arrived: datetime) -> datetime:
    days = deps.partner(invoice.partner_id).invoice_match.receipt_grace_days
    return arrived + timedelta(days=float(days))


async def superseded(deps: Deps, job: Job) -> bool:
    """A re-check that is no longer the invoice's current one (woken since, or settled)."""
    if "recheck" not in job.payload:
        return False
    async with deps.store.unit_of_work() as uow:
        current = await uow.state.get(waiting_key(str(job.payload["document_id"])))
    return current != str(job.id)


async def park(
    deps: Deps,
    job: Job,
    invoice: Invoice,
    order: LedgerOrder,
    result: MatchResult,
    deadline: datetime,
) -> datetime:
    """Queue the next re-check (backoff, capped at the deadline); returns when it runs."""
    now = deps.clock.now()
    round_no = int(job.payload.get("recheck", -1)) + 1
    delay = min(FIRST_RECHECK * (1 << min(round_no, 5)), LONGEST_RECHECK)
    at = min(now + delay, deadline)
    async with deps.store.unit_of_work() as uow:
        recheck = await uow.jobs.enqueue(
            NewJob(
                kind=INVOICE_JOB,
                payload={"document_id": invoice.document_id, "recheck": round_no},
                correlation_id=order.correlation_id,
                partner_id=order.partner_id,
                # Outside the order's partition: a job due in days must not hold up the
                # receipts queued behind it (the very receipt it waits for).
                partition_key=None,
                run_at=at,
                dedupe_key=f"{INVOICE_JOB}:{invoice.document_id}:recheck:{job.id}",
            ),
            now,
        )
        key = waiting_key(invoice.document_id)
        first = not await uow.state.get(key)
        await uow.state.put(key, str(recheck))
        if first:
            await uow.audit.append(
                AuditEntry(
                    at=now,
                    actor="procurelink",
                    action="invoice_awaiting_receipt",
                    correlation_id=order.correlation_id,
                    order_number=order.order_number,
                    subject=f"{invoice.kind} {invoice.invoice_number} waits for receipt "
                    f"until {deadline.isoformat(timespec='minutes')}: {result.summary()}",
                    after={"document_id": invoice.document_id, "until": deadline.isoformat()},
                )
            )
        await uow.commit()
    return at


async def settle(uow: UnitOfWork, document_id: str) -> None:
    """The invoice got its bill or its exception: pending re-checks end quietly."""
    key = waiting_key(document_id)
    if await uow.state.get(key):
        await uow.state.put(key, "")


async def wake_waiting_invoices(
    deps: Deps, uow: UnitOfWork, order: LedgerOrder, receipt_key: str
) -> list[int]:
    """Queue at once, in ``uow``, the jobs of the order's invoices waiting for goods."""
    woken: list[int] = []
    for doc in await uow.documents.list_by_correlation(order.correlation_id):
        if doc.document_type != "invoice" or not await uow.state.get(waiting_key(doc.id)):
            continue
        job_id = await enqueue_invoice(
            deps, uow, order, {"document_id": doc.id, "woken_by": receipt_key}
        )
        # The pending re-check stands down: one job of the invoice at a time, not two
        # racing to create its bill.
        await uow.state.put(waiting_key(doc.id), f"woken:{job_id}")
        woken.append(job_id)
    return woken
