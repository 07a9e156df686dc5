"""Purchase requests from a planning engine become draft RFQs in Odoo.

One RFQ per vendor and plant, one line per product (``workflow.rfq_grouping``). A batch
that cannot be placed whole is refused and recorded as an exception, nothing created. Each
RFQ is an effect keyed by batch, vendor and plant: the same batch sent again returns the
RFQs already created.

A placed batch is remembered in the key-value state (``rfq.batch:<batch id>``: the batch's
fingerprint and its RFQs' effect keys). That is how other content sent under a batch id
already used is told from a replay and refused, and how a replay whose RFQs all exist is
answered from the store without asking Odoo. A refused (unplaceable) batch is not
remembered: nothing was created, so the planner may correct it under the same id.

Calls for one batch id run one after the other, in a process and across processes (several
`serve` behind a balancer): each holds the batch's lease in the store (``services.leases``)
while it creates. A planner that timed out and sends the batch again while the first call is
still creating would otherwise look for the RFQs in Odoo before they exist and create them
twice. A call that waits 30 s for the lease gets ``LeaseBusy`` (503, retry later).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from procurelink.domain.purchase_request import PurchaseRequestBatch
from procurelink.errors import DomainError, ProcurelinkError
from procurelink.ports.erp import RfqLine, RfqWrite
from procurelink.ports.records import AuditEntry, Effect
from procurelink.services.context import Deps
from procurelink.services.leases import lease
from procurelink.services.recording import record_exception
from procurelink.workflow.rfq_grouping import RfqPlan, plan_rfqs

BATCH_STATE_KEY = "rfq.batch:{}"


class BatchConflict(DomainError):
    """This batch id was already used for other purchase requests."""

    code = "batch_conflict"


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
        """Draft RFQs for ``batch``; raises UnplaceableRequests (recorded) if it cannot be,
        BatchConflict if its id was placed before with other content."""
        async with lease(self._deps, BATCH_STATE_KEY.format(batch.batch_id)):
            return await self._create(batch, actor)

    async def _create(self, batch: PurchaseRequestBatch, actor: str) -> list[RfqCreated]:
        deps = self._deps
        fingerprint = batch.fingerprint()
        state_key = BATCH_STATE_KEY.format(batch.batch_id)
        async with deps.store.unit_of_work() as uow:
            known = await uow.state.get(state_key)
        if known is not None:
            replayed = await self._replayed(batch.batch_id, json.loads(known), fingerprint)
            if replayed is not None:
                return replayed
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
        remembered = {
            "sha256": fingerprint,
            "effects": [_effect_key(batch.batch_id, plan) for plan in plans],
        }
        async with deps.store.unit_of_work() as uow:
            # Two different batches racing for one id: the first to get here owns it.
            earlier = await uow.state.put_if_absent(state_key, json.dumps(remembered))
            await uow.commit()
        if earlier is not None and json.loads(earlier)["sha256"] != fingerprint:
            raise _conflict(batch.batch_id)
        return [await self._one(batch.batch_id, plan, actor) for plan in plans]

    async def _replayed(
        self, batch_id: str, known: dict[str, Any], fingerprint: str
    ) -> list[RfqCreated] | None:
        """The RFQs of a batch placed before, if all of them were created; None if some are
        still to be made (an earlier attempt was cut off)."""
        if known["sha256"] != fingerprint:
            raise _conflict(batch_id)
        async with self._deps.store.unit_of_work() as uow:
            done = [await uow.effects.get(key) for key in known["effects"]]
        if any(effect is None for effect in done):
            return None
        return [RfqCreated(**{**e.result, "created": False}) for e in done if e is not None]

    async def _one(self, batch_id: str, plan: RfqPlan, actor: str) -> RfqCreated:
        deps = self._deps
        key = _effect_key(batch_id, plan)
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


def _effect_key(batch_id: str, plan: RfqPlan) -> str:
    return f"erp.rfq:{batch_id}:{plan.vendor_odoo_id}:{plan.plant or '-'}"


def _conflict(batch_id: str) -> BatchConflict:
    return BatchConflict(
        f"batch {batch_id!r} was already placed with other purchase requests; "
        "send changed requests under a new batch id",
        batch_id=batch_id,
    )
