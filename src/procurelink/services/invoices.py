"""Supplier invoices and credit notes: three-way match, then a vendor bill in Odoo.

``receive`` records the invoice and refuses what can never become a bill without asking
Odoo (a repeated invoice number, an unknown order); everything else is queued as one
``erp.apply_invoice`` job per invoice, partitioned with its order so it runs after the
order's receipts. The job matches the invoice against the order and what Odoo says was
received and billed so far (and the order lines' taxes); matched, it creates the draft bill
(refund for a credit note, ``services/invoice_bills.py``) and posts it when the policy says
so. Goods invoiced before they were received wait for the receipt within a grace period
(``services/invoice_waiting.py``). A mismatch opens one exception for a buyer
(``services/invoice_exceptions.py``): approved, the job runs again and creates the bill as a
draft whatever the policy; rejected, nothing. An open quantity exception is matched again
when a later receipt of the order is applied (``services/invoice_rematch.py``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from procurelink.domain.invoice import Invoice, InvoiceKind
from procurelink.domain.ledger import LedgerOrder
from procurelink.errors import InvalidDocument, UnknownOrder
from procurelink.ports.records import AuditEntry, Job, RawMessage
from procurelink.services.context import Deps
from procurelink.services.documents import stored_document
from procurelink.services.invoice_bills import create_bill, record_bill
from procurelink.services.invoice_exceptions import (
    DuplicateInvoice,
    InvoiceMismatch,
    InvoiceRefused,
    Raised,
    publish_raised,
    refuse,
)
from procurelink.services.invoice_jobs import (
    APPLY_KIND,
    INVOICE_JOB,
    bill_effect_key,
    enqueue_invoice,
)
from procurelink.services.invoice_rematch import is_rematch, note_still_mismatched, still_open
from procurelink.services.invoice_waiting import grace_deadline, park, settle, superseded
from procurelink.workflow.invoice_match import (
    LineBilling,
    MatchedLine,
    MatchInput,
    MatchResult,
    match_invoice,
)

PostPolicy = Literal["never", "when_matched"]

__all__ = [
    "APPLY_KIND",
    "INVOICE_JOB",
    "DuplicateInvoice",
    "InvoiceMismatch",
    "InvoiceRefused",
    "InvoiceService",
    "PostPolicy",
    "enqueue_invoice",
    "number_key",
]


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
        raised: Raised | None = None
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
                raised = await refuse(
                    deps, uow, invoice, own, message.id, MatchResult((), blocking)
                )
            else:
                await enqueue_invoice(deps, uow, own, {"document_id": invoice.document_id})
            await uow.commit()
        await publish_raised(deps, raised, invoice)

    async def apply_job(self, job: Job) -> None:
        """Match one invoice and create its bill (once), wait for its goods, or open an
        exception."""
        deps = self._deps
        document_id = str(job.payload["document_id"])
        if await superseded(deps, job):
            return
        if is_rematch(job) and not await still_open(deps, job):
            return  # a buyer decided meanwhile
        async with deps.store.unit_of_work() as uow:
            if await uow.effects.get(bill_effect_key(document_id)) is not None:
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
                if is_rematch(job):
                    await note_still_mismatched(deps, job, invoice, order, result)
                    return
                note = ""
                if result.awaits_receipt and invoice.kind == InvoiceKind.INVOICE:
                    deadline = grace_deadline(deps, invoice, stored.created_at)
                    if deps.clock.now() < deadline:
                        await park(deps, job, invoice, order, result, deadline)
                        return
                    note = f" (no receipt by {deadline.isoformat(timespec='minutes')})"
                async with deps.store.unit_of_work() as uow:
                    raised = await refuse(
                        deps, uow, invoice, order, stored.message_id, result, note
                    )
                    await settle(uow, invoice.document_id)
                    await uow.commit()
                await publish_raised(deps, raised, invoice)
                return
        bill = await create_bill(deps, invoice, order, result)
        if not approved_by and self._post_policy == "when_matched" and bill.state == "draft":
            bill = await deps.erp.post_bill(bill.odoo_id)
        await record_bill(deps, job, invoice, order, result, bill, str(approved_by or ""))

    async def _match_input(self, invoice: Invoice, order: LedgerOrder) -> MatchInput:
        deps = self._deps
        profile = deps.partner(invoice.partner_id)
        facts = {f.odoo_line_id: f for f in await deps.erp.order_billing(order.odoo_id or 0)}
        billing: dict[str, LineBilling] = {}
        for line in order.lines:
            fact = facts.get(line.odoo_line_id or 0)
            if fact is not None:  # Odoo is the truth: receipts booked there count too
                billing[line.line_no] = LineBilling(fact.received, fact.invoiced, fact.tax_rate)
            else:
                billing[line.line_no] = LineBilling(line.received_quantity, Decimal(0))
        return MatchInput(invoice.partner_id, order, billing, profile.invoice_match)
