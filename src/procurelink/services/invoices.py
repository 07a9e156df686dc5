"""Supplier invoices and credit notes: three-way match, then a vendor bill in Odoo.

``receive`` records the invoice and refuses what can never become a bill without asking
Odoo (a repeated invoice number, an unknown order); everything else is queued as one
``erp.apply_invoice`` job per invoice, partitioned with its order so it runs after the
order's receipts. The job matches the invoice against the order and what Odoo says was
received and billed so far; matched, it creates the draft bill (refund for a credit note)
and posts it when the policy says so. A mismatch opens an exception for a buyer: approved,
the job runs again and creates the bill as a draft whatever the policy; rejected, nothing.

Each bill happens once: the effect key is the invoice's document id, and before creating,
the job looks for a bill of the vendor with the same reference (an answer lost after Odoo
created the bill must not create a second one).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from procurelink.domain.invoice import Invoice, InvoiceKind
from procurelink.domain.ledger import LedgerOrder
from procurelink.errors import (
    DuplicateMessage,
    InvalidDocument,
    PolicyViolation,
    ProcurelinkError,
    UnknownOrder,
)
from procurelink.ports.erp import BillLine, BillWrite, ErpBill
from procurelink.ports.records import AuditEntry, Effect, Job, NewJob, RawMessage
from procurelink.ports.store import UnitOfWork
from procurelink.services.acknowledgments import order_partition
from procurelink.services.context import Deps
from procurelink.services.documents import stored_document
from procurelink.services.recording import exception_event, record_exception
from procurelink.workflow.discrepancies import DiscrepancyKind
from procurelink.workflow.invoice_match import (
    LineBilling,
    MatchedLine,
    MatchInput,
    MatchResult,
    match_invoice,
)

INVOICE_JOB = "erp.apply_invoice"
APPLY_KIND = "invoice"  # marks an exception whose approval queues INVOICE_JOB
PostPolicy = Literal["never", "when_matched"]


class InvoiceMismatch(PolicyViolation):
    """The invoice does not match its order and receipts; a buyer decides."""

    code = "invoice_mismatch"


class InvoiceRefused(InvalidDocument):
    """The invoice cannot become a bill as it stands (wrong order, supplier or currency)."""

    code = "invoice_refused"


class DuplicateInvoice(DuplicateMessage):
    """The supplier already sent an invoice with this number."""

    code = "duplicate_invoice"


def number_key(invoice: Invoice) -> str:
    return f"invoice:{invoice.partner_id}:{invoice.kind}:{invoice.invoice_number}"


class InvoiceService:
    def __init__(self, deps: Deps, post_policy: PostPolicy = "never") -> None:
        self._deps = deps
        self._post_policy = post_policy

    async def receive(self, message: RawMessage, invoice: Invoice, key: str) -> None:
        """Record an invoice; queue its match and bill, or refuse it with an exception."""
        deps = self._deps
        profile = deps.partner(invoice.partner_id)
        raised: tuple[int, ProcurelinkError] | None = None
        async with deps.store.unit_of_work() as uow:
            order = await uow.ledger.get(invoice.order_number) if invoice.order_number else None
            # Another supplier's order is not this message's thread: it stays unlinked.
            own = order if order is not None and order.partner_id == profile.id else None
            if own is not None:
                invoice = invoice.model_copy(update={"correlation_id": own.correlation_id})
                await uow.messages.link_correlation(message.id, own.correlation_id)
            await uow.documents.add(stored_document(deps, invoice, message.id, key))
            earlier = await uow.state.put_if_absent(number_key(invoice), invoice.document_id)
            await uow.audit.append(
                AuditEntry(
                    at=deps.clock.now(),
                    actor=f"supplier:{profile.id}",
                    action="invoice_received",
                    correlation_id=invoice.correlation_id,
                    order_number=invoice.order_number,
                    subject=f"{invoice.kind} {invoice.invoice_number} "
                    f"({len(invoice.lines)} line(s), total {invoice.total()})",
                    after={"document_id": invoice.document_id},
                )
            )
            duplicate_of = earlier if earlier not in (None, invoice.document_id) else None
            if duplicate_of is not None or own is None:
                # Refused without asking Odoo: a repeated number, an unknown or foreign order.
                header = match_invoice(
                    invoice, MatchInput(profile.id, order, {}, duplicate_of=duplicate_of)
                )
                # Line checks need Odoo's received quantities: only the header's verdict.
                blocking = tuple(d for d in header.discrepancies if d.blocking)
                raised = await self._refuse(
                    uow, invoice, own, message.id, MatchResult((), blocking)
                )
            else:
                await enqueue_invoice(deps, uow, own, {"document_id": invoice.document_id})
            await uow.commit()
        if raised is not None:
            await self._publish(raised, invoice)

    async def apply_job(self, job: Job) -> None:
        """Match one invoice and create its bill (once), or open an exception."""
        deps = self._deps
        document_id = str(job.payload["document_id"])
        effect_key = f"erp.bill:{document_id}"
        async with deps.store.unit_of_work() as uow:
            if await uow.effects.get(effect_key) is not None:
                return
            stored = await uow.documents.get(document_id)
            if stored is None:
                raise InvalidDocument(f"invoice document {document_id} is gone")
            invoice = Invoice.model_validate(stored.body)
            order = await uow.ledger.get(invoice.order_number or "")
        if order is None or order.odoo_id is None:
            raise UnknownOrder(f"order {invoice.order_number} is not in the ledger")
        approved_by = job.payload.get("actor")
        if approved_by:
            # The buyer accepted these lines as they were when the exception was raised.
            lines = tuple(MatchedLine.from_dict(m) for m in job.payload["lines"])
            result = MatchResult(lines)
        else:
            result = match_invoice(invoice, await self._match_input(invoice, order))
            if not result.matched:
                async with deps.store.unit_of_work() as uow:
                    raised = await self._refuse(uow, invoice, order, stored.message_id, result)
                    await uow.commit()
                await self._publish(raised, invoice)
                return
        bill = await self._bill(invoice, order, result)
        if not approved_by and self._post_policy == "when_matched" and bill.state == "draft":
            bill = await deps.erp.post_bill(bill.odoo_id)
        await self._record(job, invoice, order, result, bill, str(approved_by or ""))

    async def _match_input(self, invoice: Invoice, order: LedgerOrder) -> MatchInput:
        deps = self._deps
        profile = deps.partner(invoice.partner_id)
        facts = {f.odoo_line_id: f for f in await deps.erp.order_billing(order.odoo_id or 0)}
        billing: dict[str, LineBilling] = {}
        for line in order.lines:
            fact = facts.get(line.odoo_line_id or 0)
            if fact is not None:  # Odoo is the truth: receipts booked there count too
                billing[line.line_no] = LineBilling(fact.received, fact.invoiced)
            else:
                billing[line.line_no] = LineBilling(line.received_quantity, Decimal(0))
        return MatchInput(invoice.partner_id, order, billing, profile.invoice_match)

    async def _bill(self, invoice: Invoice, order: LedgerOrder, result: MatchResult) -> ErpBill:
        deps = self._deps
        vendor = order.supplier_odoo_id
        if vendor is None:
            raise UnknownOrder(f"order {order.order_number} has no Odoo vendor in the ledger")
        move_type: Literal["in_invoice", "in_refund"] = (
            "in_refund" if invoice.kind == InvoiceKind.CREDIT_NOTE else "in_invoice"
        )
        existing = await deps.erp.find_bills(vendor, invoice.invoice_number, move_type)
        if existing:
            return existing[0]
        write = BillWrite(
            vendor_odoo_id=vendor,
            vendor_ref=invoice.invoice_number,
            invoice_date=invoice.invoice_date,
            currency=invoice.currency,
            lines=tuple(
                BillLine(m.odoo_line_id, m.quantity, m.unit_price, m.description)
                for m in result.lines
                if m.odoo_line_id is not None
            ),
            move_type=move_type,
            origin=order.order_number,
        )
        bill_id = await deps.erp.create_draft_bill(write)
        return ErpBill(bill_id, "/", "draft", move_type, invoice.invoice_number, "not_paid")

    async def _record(
        self,
        job: Job,
        invoice: Invoice,
        order: LedgerOrder,
        result: MatchResult,
        bill: ErpBill,
        approved_by: str,
    ) -> None:
        deps = self._deps
        now = deps.clock.now()
        summary = {
            "bill_id": bill.odoo_id,
            "name": bill.name,
            "state": bill.state,
            "move_type": bill.move_type,
            "lines": len(result.lines),
        }
        async with deps.store.unit_of_work() as uow:
            recorded = await uow.effects.record(
                Effect(
                    key=f"erp.bill:{invoice.document_id}",
                    kind="erp.bill",
                    applied_at=now,
                    correlation_id=order.correlation_id,
                    job_id=job.id,
                    result=summary,
                )
            )
            if not recorded:
                return
            await uow.audit.append(
                AuditEntry(
                    at=now,
                    actor=approved_by or "procurelink",
                    action="bill_posted" if bill.state == "posted" else "bill_drafted",
                    correlation_id=order.correlation_id,
                    order_number=order.order_number,
                    subject=f"{invoice.kind} {invoice.invoice_number} -> Odoo account.move "
                    f"{bill.odoo_id} ({bill.state})",
                    after={"document_id": invoice.document_id, **summary},
                )
            )
            await uow.commit()

    async def _refuse(
        self,
        uow: UnitOfWork,
        invoice: Invoice,
        order: LedgerOrder | None,
        message_id: str | None,
        result: MatchResult,
    ) -> tuple[int, ProcurelinkError]:
        """One exception with every discrepancy; approvable when a buyer may accept them."""
        deps = self._deps
        kinds = {d.kind for d in result.discrepancies}
        text = f"{invoice.kind} {invoice.invoice_number}: {result.summary()}"
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
        return exception_id, error

    async def _publish(self, raised: tuple[int, ProcurelinkError], invoice: Invoice) -> None:
        exception_id, error = raised
        await self._deps.bus.publish(
            exception_event(
                self._deps,
                exception_id,
                error,
                invoice.correlation_id,
                partner_id=invoice.partner_id,
                order_number=invoice.order_number,
            )
        )


async def enqueue_invoice(
    deps: Deps, uow: UnitOfWork, order: LedgerOrder, payload: dict[str, Any]
) -> int:
    """Queue the match-and-bill job of one invoice (again, with ``actor``, once approved)."""
    suffix = f":approved:{payload['exception_id']}" if "exception_id" in payload else ""
    return await uow.jobs.enqueue(
        NewJob(
            kind=INVOICE_JOB,
            payload=payload,
            correlation_id=order.correlation_id,
            partner_id=order.partner_id,
            partition_key=order_partition(order),
            dedupe_key=f"{INVOICE_JOB}:{payload['document_id']}{suffix}",
        ),
        deps.clock.now(),
    )
