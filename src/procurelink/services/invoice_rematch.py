"""Invoices already with a buyer for want of goods: matched again when the goods arrive.

An invoice whose wait for its goods ran out (or that billed more than was received from the
start) became an ``invoice_mismatch`` exception. When a later goods receipt of the same order
is applied through procurelink, each such exception still open whose discrepancies are all
about received quantities (``workflow.discrepancies.curable_by_receipt``) has its invoice
matched again by the invoice's own job, queued in the order's partition behind the receipt.

* Matched now: the bill is created as in the normal path (same effect key, so once; posted
  under the same policy; ``BillCreated``), and procurelink resolves the exception with an
  audit entry ``exception_resolved`` saying "matched after receipt <number>"
  (``ExceptionResolved`` follows).
* Still off: the exception stands as it is; the order's timeline says so
  (``invoice_rematched``).

A price, tax or arithmetic discrepancy is never re-matched: arriving goods do not change it.
A buyer who decided meanwhile wins: the job ends without doing anything when the exception
is no longer open. Receipts booked directly in Odoo trigger the same when the order's next
snapshot (the poller, or the receipt's webhook hint) sees more received than the ledger knows
of (``services/erp_sync.py``).
"""

from __future__ import annotations

from procurelink.domain.events import ExceptionResolved
from procurelink.domain.invoice import Invoice
from procurelink.domain.ledger import LedgerOrder
from procurelink.ports.records import AuditEntry, ExceptionRecord, ExceptionStatus, Job
from procurelink.ports.store import UnitOfWork
from procurelink.services.context import Deps
from procurelink.services.invoice_exceptions import InvoiceMismatch
from procurelink.services.invoice_jobs import APPLY_KIND, enqueue_invoice
from procurelink.services.invoice_waiting import wake_waiting_invoices
from procurelink.workflow.discrepancies import curable_by_receipt
from procurelink.workflow.invoice_match import MatchResult

SYSTEM = "procurelink"


async def invoices_after_receipt(
    deps: Deps, uow: UnitOfWork, order: LedgerOrder, receipt_key: str, receipt_number: str
) -> None:
    """Goods of ``order`` arrived: queue, in ``uow``, its invoices waiting for them (now, not
    at their next re-check) and a new match of those already with a buyer for want of them
    (both behind the caller's job in the order's partition)."""
    await wake_waiting_invoices(deps, uow, order, receipt_key)
    await rematch_after_receipt(deps, uow, order, receipt_key, receipt_number)


def is_rematch(job: Job) -> bool:
    return "rematch_of" in job.payload


async def rematch_after_receipt(
    deps: Deps, uow: UnitOfWork, order: LedgerOrder, receipt_key: str, receipt_number: str
) -> list[int]:
    """Queue, in ``uow``, a new match of each open quantity exception of the order's
    invoices."""
    queued: list[int] = []
    rows = await uow.exceptions.list(
        status=ExceptionStatus.OPEN, correlation_id=order.correlation_id, limit=1000
    )
    for record in rows:
        if not _curable(record):
            continue
        payload = {
            "document_id": record.document_id,
            "rematch_of": record.id,
            "woken_by": receipt_key,
            "receipt": receipt_number,
        }
        queued.append(await enqueue_invoice(deps, uow, order, payload))
    return queued


def _curable(record: ExceptionRecord) -> bool:
    apply = record.payload.get("apply") or {}
    kinds = [str(d.get("kind")) for d in record.payload.get("discrepancies") or []]
    return (
        record.reason_code == InvoiceMismatch.code
        and record.approvable
        and record.document_id is not None
        and apply.get("kind") == APPLY_KIND
        and curable_by_receipt(kinds)
    )


async def still_open(deps: Deps, job: Job) -> bool:
    """The exception a re-match job was queued for is still waiting for a buyer."""
    async with deps.store.unit_of_work() as uow:
        record = await uow.exceptions.get(int(job.payload["rematch_of"]))
    return record is not None and record.status == ExceptionStatus.OPEN


async def resolve_rematched(
    deps: Deps, uow: UnitOfWork, job: Job, invoice: Invoice, order: LedgerOrder, bill_id: int
) -> ExceptionResolved | None:
    """Close the exception the bill made moot, in ``uow``; the event to publish after
    commit (None when a buyer resolved it first)."""
    exception_id = int(job.payload["rematch_of"])
    now = deps.clock.now()
    note = f"matched after receipt {job.payload.get('receipt')}: bill {bill_id}"
    if not await uow.exceptions.resolve(exception_id, ExceptionStatus.RESOLVED, SYSTEM, now, note):
        return None
    await uow.audit.append(
        AuditEntry(
            at=now,
            actor=SYSTEM,
            action=f"exception_{ExceptionStatus.RESOLVED}",
            correlation_id=order.correlation_id,
            order_number=order.order_number,
            subject=f"exception {exception_id}: {InvoiceMismatch.code} of {invoice.kind} "
            f"{invoice.invoice_number} {note}",
            after={"note": note, "document_id": invoice.document_id},
        )
    )
    return ExceptionResolved(
        event_id=deps.new_id(),
        occurred_at=now,
        correlation_id=order.correlation_id,
        partner_id=order.partner_id,
        order_number=order.order_number,
        data={
            "exception_id": exception_id,
            "status": str(ExceptionStatus.RESOLVED),
            "by": SYSTEM,
            "note": note,
        },
    )


async def note_still_mismatched(
    deps: Deps, job: Job, invoice: Invoice, order: LedgerOrder, result: MatchResult
) -> None:
    """The receipt did not cure the invoice: its exception stands, the timeline says why."""
    async with deps.store.unit_of_work() as uow:
        await uow.audit.append(
            AuditEntry(
                at=deps.clock.now(),
                actor=SYSTEM,
                action="invoice_rematched",
                correlation_id=order.correlation_id,
                order_number=order.order_number,
                subject=f"{invoice.kind} {invoice.invoice_number} after receipt "
                f"{job.payload.get('receipt')}: still {result.summary()} "
                f"(exception {job.payload['rematch_of']} stays open)",
                after={"document_id": invoice.document_id},
            )
        )
        await uow.commit()
