"""Purchase requests from a planning engine become draft RFQs in Odoo.

One RFQ per vendor and plant, one line per product (``workflow.rfq_grouping``). A batch
that cannot be placed whole is refused and recorded as an exception, nothing created. Each
RFQ is an effect keyed by batch, vendor and plant: the same batch sent again returns the
RFQs already created.
"""

from __future__ import annotations

from dataclasses import dataclass

from procurelink.domain.purchase_request import PurchaseRequestBatch
from procurelink.errors import ProcurelinkError
from procurelink.ports.erp import RfqLine, RfqWrite
from procurelink.ports.records import AuditEntry, Effect
from procurelink.services.context import Deps
from procurelink.services.recording import record_exception
from procurelink.workflow.rfq_grouping import RfqPlan, plan_rfqs


@dataclass(frozen=True, slots=True)
class RfqCreated:
    odoo_id: int
    name: str
    vendor_odoo_id: int
    plant: str | None
    lines: int
    created: bool  # False: this batch had created it before


class RfqService:
    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def create(self, batch: PurchaseRequestBatch, actor: str) -> list[RfqCreated]:
        """Draft RFQs for ``batch``; raises UnplaceableRequests (recorded) if it cannot be."""
        deps = self._deps
        requests = batch.requests
        facts = await deps.erp.sourcing(
            [r.product_code for r in requests],
            [r.plant for r in requests if r.plant],
            [r.vendor_ref for r in requests if r.vendor_ref],
        )
        try:
            plans = plan_rfqs(requests, facts)
        except ProcurelinkError as exc:
            async with deps.store.unit_of_work() as uow:
                await record_exception(
                    deps, uow, exc, correlation_id=f"rfq-{batch.batch_id}", payload={"by": actor}
                )
                await uow.commit()
            raise
        return [await self._one(batch.batch_id, plan, actor) for plan in plans]

    async def _one(self, batch_id: str, plan: RfqPlan, actor: str) -> RfqCreated:
        deps = self._deps
        key = f"erp.rfq:{batch_id}:{plan.vendor_odoo_id}:{plan.plant or '-'}"
        async with deps.store.unit_of_work() as uow:
            done = await uow.effects.get(key)
        if done is not None:
            return RfqCreated(**{**done.result, "created": False})
        rfq = await deps.erp.create_rfq(
            RfqWrite(
                vendor_odoo_id=plan.vendor_odoo_id,
                picking_type_id=plan.picking_type_id,
                origin=f"planning:{batch_id}",
                lines=tuple(
                    RfqLine(ln.product_odoo_id, ln.quantity, ln.need_date) for ln in plan.lines
                ),
            )
        )
        result = RfqCreated(
            rfq.odoo_id, rfq.name, plan.vendor_odoo_id, plan.plant, len(plan.lines), rfq.created
        )
        now = deps.clock.now()
        async with deps.store.unit_of_work() as uow:
            summary = {
                "odoo_id": result.odoo_id,
                "name": result.name,
                "vendor_odoo_id": result.vendor_odoo_id,
                "plant": result.plant,
                "lines": result.lines,
            }
            await uow.effects.record(
                Effect(key=key, kind="erp.rfq", applied_at=now, correlation_id=None, result=summary)
            )
            await uow.audit.append(
                AuditEntry(
                    at=now,
                    actor=actor,
                    action="rfq_created",
                    correlation_id=f"rfq-{batch_id}",
                    order_number=result.name,
                    subject=f"draft RFQ {result.name} for vendor {plan.vendor_odoo_id}, "
                    f"plant {plan.plant or 'default'}",
                    after={
                        **summary,
                        "products": {
                            ln.product_code: format(ln.quantity, "f") for ln in plan.lines
                        },
                    },
                )
            )
            await uow.commit()
        return result
