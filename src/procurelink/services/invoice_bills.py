"""The vendor bill of a matched (or approved) invoice: created once, recorded, announced.

Each bill happens once: the effect key is the invoice's document id, and before creating,
the job looks for a bill of the vendor with the same reference (an answer lost after Odoo
created the bill must not create a second one). Recorded, it is announced as
``BillCreated`` (``data.state``: draft or posted) for dashboards and subscribers. A bill
made by a re-match after a receipt also resolves the exception it made moot, in the same
transaction as its effect.
"""

from __future__ import annotations

from typing import Literal

from procurelink.domain.events import BillCreated
from procurelink.domain.invoice import Invoice, InvoiceKind
from procurelink.domain.ledger import LedgerOrder
from procurelink.errors import UnknownOrder
from procurelink.ports.erp import BillLine, BillWrite, ErpBill
from procurelink.ports.records import AuditEntry, Effect, Job
from procurelink.services.context import Deps
from procurelink.services.invoice_exceptions import close_dead_letters
from procurelink.services.invoice_jobs import bill_effect_key
from procurelink.services.invoice_rematch import is_rematch, resolve_rematched
from procurelink.services.invoice_waiting import settle
from procurelink.workflow.invoice_match import MatchResult


async def create_bill(
    deps: Deps, invoice: Invoice, order: LedgerOrder, result: MatchResult
) -> ErpBill:
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


async def record_bill(
    deps: Deps,
    job: Job,
    invoice: Invoice,
    order: LedgerOrder,
    result: MatchResult,
    bill: ErpBill,
    approved_by: str,
) -> None:
    """Effect, audit entry and the end of any wait or dead letter; then the event."""
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
                key=bill_effect_key(invoice.document_id),
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
        await settle(uow, invoice.document_id)
        await close_dead_letters(deps, uow, invoice, None, f"bill {bill.odoo_id} created")
        resolved = (
            await resolve_rematched(deps, uow, job, invoice, order, bill.odoo_id)
            if is_rematch(job)
            else None
        )
        await uow.commit()
    await deps.bus.publish(
        BillCreated(
            event_id=deps.new_id(),
            occurred_at=now,
            correlation_id=order.correlation_id,
            partner_id=order.partner_id,
            order_number=order.order_number,
            data={
                "document_id": invoice.document_id,
                "invoice_number": invoice.invoice_number,
                "approved_by": approved_by or None,
                **summary,
            },
        )
    )
    if resolved is not None:
        await deps.bus.publish(resolved)
