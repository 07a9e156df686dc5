"""Quality results from a plant: a failed or held inspection puts received goods on hold.

Odoo Community has no quality holds: the held quantity is moved by an internal transfer
into the plant's quarantine location (``Deps.quarantine_for``), out of stock, and the
buyer gets a note and a To-Do. A passed inspection is recorded only: releasing goods from
quarantine is a person's decision, made in Odoo.
"""

from __future__ import annotations

from decimal import Decimal

from procurelink.domain.ledger import LedgerOrder
from procurelink.domain.receipt import QualityResult, QualityVerdict
from procurelink.errors import PolicyViolation, UnknownOrder, UnknownOrderLine
from procurelink.ports.erp import HeldLine, QualityHold, QualityHoldWrite
from procurelink.ports.records import AuditEntry, Effect, Job, NewJob, RawMessage
from procurelink.services.acknowledgments import order_partition
from procurelink.services.context import Deps
from procurelink.services.documents import stored_document
from procurelink.services.effects import order_for_effect

QUALITY_HOLD_JOB = "erp.apply_quality_hold"


class QualityService:
    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def receive(self, message: RawMessage, result: QualityResult, key: str) -> None:
        """Record an inspection; queue a hold in Odoo when it fails or holds goods.

        Raises UnknownOrder, UnknownOrderLine or PolicyViolation; nothing is recorded then.
        """
        deps = self._deps
        now = deps.clock.now()
        async with deps.store.unit_of_work() as uow:
            order = await uow.ledger.get(result.order_number)
            if order is None:
                raise UnknownOrder(
                    f"quality result {result.inspection_number} names unknown order "
                    f"{result.order_number}",
                    order_number=result.order_number,
                )
            held = _held_quantity(order, result)
            result = result.model_copy(update={"correlation_id": order.correlation_id})
            await uow.messages.link_correlation(message.id, order.correlation_id)
            await uow.documents.add(stored_document(deps, result, message.id, key))
            await uow.audit.append(
                AuditEntry(
                    at=now,
                    actor=f"plant:{result.partner_id}",
                    action="quality_result_received",
                    correlation_id=order.correlation_id,
                    order_number=order.order_number,
                    subject=f"{result.inspection_number}: {result.verdict}"
                    + (f", {held} to hold" if held else ""),
                    after={"defects": list(result.defect_codes), "lot": result.lot},
                )
            )
            if held:
                reason = "; ".join(
                    x
                    for x in (
                        f"inspection {result.inspection_number} {result.verdict}",
                        ", ".join(result.defect_codes),
                        result.note or "",
                    )
                    if x
                )
                await uow.jobs.enqueue(
                    NewJob(
                        kind=QUALITY_HOLD_JOB,
                        payload={
                            "order_number": order.order_number,
                            "inspection_number": result.inspection_number,
                            "line_no": result.order_line_no,
                            "quantity": format(held, "f"),
                            "lot": result.lot,
                            "reason": reason,
                            "plant": order.plant,
                        },
                        correlation_id=order.correlation_id,
                        partner_id=order.partner_id,
                        partition_key=order_partition(order),
                        dedupe_key=f"{QUALITY_HOLD_JOB}:{result.partner_id}:"
                        f"{result.inspection_number}",
                    ),
                    now,
                )
            await uow.commit()

    async def apply_job(self, job: Job) -> None:
        """Move the held goods into quarantine in Odoo once; audit it."""
        deps = self._deps
        payload = job.payload
        key = str(job.dedupe_key or f"{QUALITY_HOLD_JOB}:{job.id}")
        found = await order_for_effect(deps, key, str(payload["order_number"]))
        if found is None:
            return
        order, odoo_id = found
        line = order.line(str(payload["line_no"]))
        if line is None or line.odoo_line_id is None:
            raise UnknownOrderLine(f"order {order.order_number} line {payload['line_no']} is gone")
        await deps.erp.apply_quality_hold(
            QualityHoldWrite(
                order_odoo_id=odoo_id,
                lines=(HeldLine(line.odoo_line_id, Decimal(payload["quantity"]), payload["lot"]),),
                hold=QualityHold(
                    quarantine=deps.quarantine_for(payload.get("plant")),
                    reason=str(payload["reason"]),
                    correlation_id=order.correlation_id,
                    reference=str(payload["inspection_number"]),
                ),
            )
        )
        now = deps.clock.now()
        async with deps.store.unit_of_work() as uow:
            effect = Effect(
                key=key,
                kind="erp.quality_hold",
                applied_at=now,
                correlation_id=order.correlation_id,
                job_id=job.id,
            )
            if not await uow.effects.record(effect):
                return
            await uow.audit.append(
                AuditEntry(
                    at=now,
                    actor="procurelink",
                    action="quality_hold_posted",
                    correlation_id=order.correlation_id,
                    order_number=order.order_number,
                    subject=f"{payload['quantity']} of line {payload['line_no']} moved to "
                    f"quarantine in Odoo ({payload['inspection_number']})",
                )
            )
            await uow.commit()


def _held_quantity(order: LedgerOrder, result: QualityResult) -> Decimal:
    """What the inspection puts on hold: the rejected quantity, else all inspected."""
    if result.verdict == QualityVerdict.PASSED:
        return Decimal(0)
    line = order.line(result.order_line_no or "")
    if line is None or line.odoo_line_id is None:
        raise UnknownOrderLine(
            f"quality result {result.inspection_number}: order {order.order_number} has no "
            f"line {result.order_line_no!r}",
            order_number=order.order_number,
            line_no=result.order_line_no,
        )
    quantity = result.rejected_qty or result.inspected_qty
    if quantity is None:
        raise PolicyViolation(
            f"quality result {result.inspection_number} ({result.verdict}) gives no quantity",
            order_number=order.order_number,
        )
    if quantity.uom != line.uom:
        raise PolicyViolation(
            f"line {line.line_no}: {quantity.uom} held, ordered in {line.uom}",
            line_no=line.line_no,
        )
    if quantity.value > line.received_quantity:
        raise PolicyViolation(
            f"line {line.line_no}: {quantity.value} to hold, {line.received_quantity} received",
            line_no=line.line_no,
        )
    return quantity.value
