"""Goods receipts from a plant scanner or WMS: checked against the ledger, posted to Odoo.

The document is accepted only when it fits the ledger (order known, lines exist, same
unit, not more than open + the supplier's over-delivery tolerance); then one ERP job
validates Odoo's receipt, wakes the order's invoices waiting for these goods and matches
again those whose quantity exception is still open (``invoice_rematch``). The
job's effect key makes the write happen once: validating twice would receive the goods
twice. What was not received stays open in a backorder.

Quantities the plant holds for quality are received into the plant's quarantine location
(``Deps.quarantine_for``), never into stock; the buyer gets a note and a To-Do in Odoo.
Receipt lines naming a package (SSCC) put their goods in it, as ship notices do.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from procurelink.domain.ledger import LedgerOrder
from procurelink.domain.receipt import GoodsReceipt
from procurelink.errors import PolicyViolation, UnknownOrder, UnknownOrderLine
from procurelink.ports.erp import (
    QualityHold,
    ReceiptWrite,
    ReceivedLine,
    ReceivedLot,
    ReceivedPackage,
)
from procurelink.ports.records import AuditEntry, Effect, Job, NewJob, RawMessage
from procurelink.services.acknowledgments import order_partition
from procurelink.services.context import Deps
from procurelink.services.documents import stored_document
from procurelink.services.effects import order_for_effect
from procurelink.services.invoice_rematch import invoices_after_receipt

RECEIPT_JOB = "erp.apply_receipt"

Received = dict[str, tuple[Decimal, tuple[tuple[str, Decimal], ...]]]  # line -> qty, lots
Held = dict[str, tuple[Decimal, tuple[tuple[str, Decimal], ...], str]]  # line -> qty, lots, why
Packed = list[list[str]]  # [line, SSCC, quantity, lot or ""] per receipt line naming a package


class ReceiptService:
    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def receive(self, message: RawMessage, receipt: GoodsReceipt, key: str) -> None:
        """Record a goods receipt and queue its Odoo validation.

        Raises UnknownOrder, UnknownOrderLine or PolicyViolation; nothing is recorded then.
        """
        deps = self._deps
        now = deps.clock.now()
        async with deps.store.unit_of_work() as uow:
            order = await uow.ledger.get(receipt.order_number)
            if order is None:
                raise UnknownOrder(
                    f"goods receipt {receipt.receipt_number} names unknown order "
                    f"{receipt.order_number}",
                    order_number=receipt.order_number,
                )
            received = self._check(order, receipt)
            held = _held(receipt)
            receipt = receipt.model_copy(update={"correlation_id": order.correlation_id})
            await uow.messages.link_correlation(message.id, order.correlation_id)
            await uow.documents.add(stored_document(deps, receipt, message.id, key))
            await uow.audit.append(
                AuditEntry(
                    at=now,
                    actor=f"plant:{receipt.partner_id}",
                    action="goods_receipt_received",
                    correlation_id=order.correlation_id,
                    order_number=order.order_number,
                    subject=f"{receipt.receipt_number}: received {receipt.received_at}",
                    after={
                        "lines": [[n, format(q, "f")] for n, (q, _) in received.items()],
                        "held": [[n, format(q, "f"), why] for n, (q, _, why) in held.items()],
                    },
                )
            )
            await uow.jobs.enqueue(
                NewJob(
                    kind=RECEIPT_JOB,
                    payload={
                        "order_number": order.order_number,
                        "receipt_number": receipt.receipt_number,
                        "lines": [
                            [n, format(q, "f"), [[lot, format(lq, "f")] for lot, lq in lots]]
                            for n, (q, lots) in received.items()
                        ],
                        "held": [
                            [n, format(q, "f"), [[lot, format(lq, "f")] for lot, lq in lots], why]
                            for n, (q, lots, why) in held.items()
                        ],
                        "plant": receipt.plant or order.plant,
                        "packages": _packages(receipt),
                    },
                    correlation_id=order.correlation_id,
                    partner_id=order.partner_id,
                    partition_key=order_partition(order),
                    dedupe_key=f"{RECEIPT_JOB}:{receipt.partner_id}:{receipt.receipt_number}",
                ),
                now,
            )
            await uow.commit()

    def _check(self, order: LedgerOrder, receipt: GoodsReceipt) -> Received:
        profile = self._deps.partners.get(order.partner_id)
        pct = profile.tolerances.over_delivery_pct if profile else Decimal(0)
        received: Received = {}
        for rl in receipt.lines:
            line = order.line(rl.order_line_no)
            if line is None or line.odoo_line_id is None:
                raise UnknownOrderLine(
                    f"order {order.order_number} has no line {rl.order_line_no} in Odoo",
                    order_number=order.order_number,
                    line_no=rl.order_line_no,
                )
            if rl.quantity.uom != line.uom:
                raise PolicyViolation(
                    f"line {line.line_no} received in {rl.quantity.uom}, ordered in {line.uom}",
                    line_no=line.line_no,
                )
            qty, lots = received.get(line.line_no, (Decimal(0), ()))
            lot = ((rl.lot, rl.quantity.value),) if rl.lot else ()
            received[line.line_no] = (qty + rl.quantity.value, lots + lot)
        for line_no, (qty, _) in received.items():
            line = order.line(line_no)
            assert line is not None  # checked above
            allowed = (line.quantity - line.received_quantity) * (1 + pct / 100)
            if qty > allowed:
                raise PolicyViolation(
                    f"line {line_no}: {qty} received, only {allowed} open with tolerance",
                    line_no=line_no,
                )
        return received

    async def apply_job(self, job: Job) -> None:
        """Validate Odoo's receipt once, then count the quantities in the ledger."""
        deps = self._deps
        payload = job.payload
        key = str(job.dedupe_key or f"{RECEIPT_JOB}:{job.id}")
        found = await order_for_effect(deps, key, str(payload["order_number"]))
        if found is None:
            return
        order, odoo_id = found
        quantities = {str(n): Decimal(q) for n, q, _ in payload["lines"]}
        held = {str(n): (Decimal(q), lots, why) for n, q, lots, why in payload.get("held") or []}
        packed: dict[str, list[ReceivedPackage]] = {}
        for n, sscc, q, lot in payload.get("packages") or []:
            packed.setdefault(str(n), []).append(ReceivedPackage(sscc, Decimal(q), lot or None))
        reasons = sorted({why for _, _, why in held.values() if why})
        write = ReceiptWrite(
            order_odoo_id=odoo_id,
            lines=tuple(
                ReceivedLine(
                    odoo_line_id=_odoo_line(order, str(n)),
                    quantity=Decimal(q),
                    lots=tuple(ReceivedLot(str(lot), Decimal(lq)) for lot, lq in lots),
                    held=held[str(n)][0] if str(n) in held else Decimal(0),
                    held_lots=tuple(
                        ReceivedLot(str(lot), Decimal(lq))
                        for lot, lq in (held[str(n)][1] if str(n) in held else [])
                    ),
                    packages=tuple(packed.get(str(n), ())),
                )
                for n, q, lots in payload["lines"]
            ),
            backorder="create",  # the rest is still expected from the supplier
            hold=QualityHold(
                quarantine=deps.quarantine_for(payload.get("plant")),
                reason="; ".join(reasons) or f"held at receipt {payload['receipt_number']}",
                correlation_id=order.correlation_id,
            )
            if held
            else None,
        )
        await deps.erp.apply_receipt(write)
        now = deps.clock.now()
        async with deps.store.unit_of_work() as uow:
            effect = Effect(
                key=key,
                kind="erp.receipt",
                applied_at=now,
                correlation_id=order.correlation_id,
                job_id=job.id,
            )
            if not await uow.effects.record(effect):
                return
            current = await uow.ledger.get(order.order_number) or order
            lines = tuple(
                replace(ln, received_quantity=ln.received_quantity + quantities[ln.line_no])
                if ln.line_no in quantities
                else ln
                for ln in current.lines
            )
            await uow.ledger.save(replace(current, lines=lines, updated_at=now))
            await uow.audit.append(
                AuditEntry(
                    at=now,
                    actor="procurelink",
                    action="receipt_posted",
                    correlation_id=order.correlation_id,
                    order_number=order.order_number,
                    subject=f"Odoo receipt of {order.order_number} validated "
                    f"({payload['receipt_number']})"
                    + (
                        f", {', '.join(f'line {n}: {q} held' for n, (q, _, _) in held.items())}"
                        " in quarantine"
                        if held
                        else ""
                    ),
                )
            )
            await invoices_after_receipt(deps, uow, current, key, str(payload["receipt_number"]))
            await uow.commit()


def _held(receipt: GoodsReceipt) -> Held:
    """Held quantities per order line (with their lots, when the line names one)."""
    held: Held = {}
    for rl in receipt.lines:
        if not rl.held_quantity:
            continue
        qty, lots, why = held.get(rl.order_line_no, (Decimal(0), (), ""))
        lot = ((rl.lot, rl.held_quantity),) if rl.lot else ()
        reasons = "; ".join(r for r in (why, rl.hold_reason or "") if r)
        held[rl.order_line_no] = (qty + rl.held_quantity, lots + lot, reasons)
    return held


def _packages(receipt: GoodsReceipt) -> Packed:
    """The receipt lines that name their package (SSCC): each line's whole quantity."""
    return [
        [rl.order_line_no, rl.sscc, format(rl.quantity.value, "f"), rl.lot or ""]
        for rl in receipt.lines
        if rl.sscc
    ]


def _odoo_line(order: LedgerOrder, line_no: str) -> int:
    line = order.line(line_no)
    if line is None or line.odoo_line_id is None:
        raise UnknownOrderLine(f"order {order.order_number} line {line_no} left the ledger")
    return line.odoo_line_id
