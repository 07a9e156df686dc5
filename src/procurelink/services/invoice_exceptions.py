"""The one open exception of an invoice: raised once per document, whatever re-runs its job.

A job runs again after a retry, a dead-letter replay, a wake-up by a receipt: each run that
finds the same mismatch would otherwise open (and announce) another exception. An open
exception of the invoice flow for the document stands instead; a dead letter of the
invoice's job is closed once the job got through (superseded by the mismatch, or the bill).
"""

from __future__ import annotations

from typing import Any

from procurelink.domain.invoice import Invoice
from procurelink.domain.ledger import LedgerOrder
from procurelink.errors import (
    DuplicateMessage,
    InvalidDocument,
    PolicyViolation,
    ProcurelinkError,
)
from procurelink.ports.records import ExceptionRecord, ExceptionStatus
from procurelink.ports.store import UnitOfWork
from procurelink.services.context import Deps
from procurelink.services.invoice_jobs import APPLY_KIND, INVOICE_JOB
from procurelink.services.recording import exception_event, record_exception
from procurelink.workflow.discrepancies import DiscrepancyKind
from procurelink.workflow.invoice_match import MatchResult

Raised = tuple[int, ProcurelinkError]


class InvoiceMismatch(PolicyViolation):
    """The invoice does not match its order and receipts; a buyer decides."""

    code = "invoice_mismatch"


class InvoiceRefused(InvalidDocument):
    """The invoice cannot become a bill as it stands (wrong order, supplier or currency)."""

    code = "invoice_refused"


class DuplicateInvoice(DuplicateMessage):
    """The supplier already sent an invoice with this number."""

    code = "duplicate_invoice"


INVOICE_CODES = frozenset({InvoiceMismatch.code, InvoiceRefused.code, DuplicateInvoice.code})


async def open_for_document(
    uow: UnitOfWork, document_id: str, correlation_id: str | None
) -> list[ExceptionRecord]:
    """Open exceptions about one document (its order's thread, else all open ones)."""
    rows = await uow.exceptions.list(
        status=ExceptionStatus.OPEN, correlation_id=correlation_id, limit=1000
    )
    return [x for x in rows if x.document_id == document_id]


async def refuse(
    deps: Deps,
    uow: UnitOfWork,
    invoice: Invoice,
    order: LedgerOrder | None,
    message_id: str | None,
    result: MatchResult,
    note: str = "",
) -> Raised | None:
    """One exception with every discrepancy; approvable when a buyer may accept them.

    None when the document already has its open exception (nothing new to announce).
    """
    standing = await open_for_document(uow, invoice.document_id, invoice.correlation_id)
    if any(x.reason_code in INVOICE_CODES for x in standing):
        return None
    kinds = {d.kind for d in result.discrepancies}
    text = f"{invoice.kind} {invoice.invoice_number}: {result.summary()}{note}"
    error: PolicyViolation | InvoiceRefused | DuplicateInvoice
    if DiscrepancyKind.DUPLICATE_INVOICE in kinds:
        error = DuplicateInvoice(text, invoice_number=invoice.invoice_number)
    elif result.approvable:
        error = InvoiceMismatch(text, invoice_number=invoice.invoice_number)
    else:
        error = InvoiceRefused(text, invoice_number=invoice.invoice_number)
    payload: dict[str, Any] = {"discrepancies": [d.to_dict() for d in result.discrepancies]}
    if result.approvable:
        payload["apply"] = {
            "kind": APPLY_KIND,
            "document_id": invoice.document_id,
            "lines": [m.to_dict() for m in result.lines],
        }
    exception_id = await record_exception(
        deps,
        uow,
        error,
        partner_id=invoice.partner_id,
        correlation_id=invoice.correlation_id,
        order_number=order.order_number if order else invoice.order_number,
        document_id=invoice.document_id,
        message_id=message_id,
        payload=payload,
        approvable=result.approvable,
    )
    await close_dead_letters(
        deps, uow, invoice, standing, f"superseded by exception {exception_id}"
    )
    return exception_id, error


async def close_dead_letters(
    deps: Deps,
    uow: UnitOfWork,
    invoice: Invoice,
    standing: list[ExceptionRecord] | None,
    note: str,
) -> None:
    """Resolve the open dead letters of this invoice's job: its replay got through."""
    if standing is None:
        standing = await open_for_document(uow, invoice.document_id, invoice.correlation_id)
    for x in standing:
        if x.payload.get("job_kind") == INVOICE_JOB:
            await uow.exceptions.resolve(
                x.id, ExceptionStatus.RESOLVED, "procurelink", deps.clock.now(), note
            )


async def publish_raised(deps: Deps, raised: Raised | None, invoice: Invoice) -> None:
    if raised is None:
        return
    exception_id, error = raised
    await deps.bus.publish(
        exception_event(
            deps,
            exception_id,
            error,
            invoice.correlation_id,
            partner_id=invoice.partner_id,
            order_number=invoice.order_number,
        )
    )
