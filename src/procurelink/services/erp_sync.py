"""Reading Odoo: the write_date poller and the order snapshot that releases orders."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from procurelink.domain.events import OrderCancelled, OrderChanged, OrderReleased
from procurelink.domain.ledger import LedgerLine, LedgerOrder, OrderState
from procurelink.domain.order import PurchaseOrder
from procurelink.ports.erp import ErpOrder
from procurelink.ports.records import AuditEntry, Job, NewJob
from procurelink.services.context import Deps
from procurelink.services.dispatch import DispatchService
from procurelink.services.documents import stored_document
from procurelink.workflow.lifecycle import Actor, ErpDecision, decide_erp_update, sources_for

SNAPSHOT_JOB = "erp.snapshot_order"
CURSOR_KEY = "odoo.purchase.order.cursor"
ODOO_DATETIME = "%Y-%m-%d %H:%M:%S"


def _seen_key(odoo_id: int) -> str:
    return f"odoo.purchase.order.seen:{odoo_id}"


class ErpSyncService:
    def __init__(
        self,
        deps: Deps,
        dispatch: DispatchService,
        overlap: timedelta = timedelta(seconds=60),
        initial_since: datetime | None = None,
    ) -> None:
        self._deps = deps
        self._dispatch = dispatch
        # Odoo stamps write_date at the start of its transaction, so a record committed late
        # can carry an older write_date than one already seen: re-read an overlap window and
        # de-duplicate by (id, write_date, version).
        self._overlap = overlap
        self._initial_since = initial_since

    async def poll(self) -> int:
        """Queue a snapshot for every order changed since the cursor; returns how many."""
        deps = self._deps
        async with deps.store.unit_of_work() as uow:
            cursor = await uow.state.get(CURSOR_KEY)
        since = (
            datetime.strptime(cursor, ODOO_DATETIME).replace(tzinfo=UTC) - self._overlap
            if cursor
            else self._initial_since
        )
        changes = await deps.erp.changed_orders(since)
        queued = 0
        async with deps.store.unit_of_work() as uow:
            newest = cursor
            for change in changes:
                newest = max(newest or change.write_date, change.write_date)
                # write_date has a one-second grain: a second change in the same second
                # (a write, then a cancel) differs in its version only.
                seen = f"{change.write_date}|{change.version}"
                if await uow.state.get(_seen_key(change.odoo_id)) == seen:
                    continue
                await uow.state.put(_seen_key(change.odoo_id), seen)
                await uow.jobs.enqueue(
                    NewJob(
                        kind=SNAPSHOT_JOB,
                        payload={"odoo_id": change.odoo_id, "write_date": change.write_date},
                        partition_key=f"po:{change.odoo_id}",
                        dedupe_key=f"{SNAPSHOT_JOB}:{change.odoo_id}:{seen}",
                    ),
                    deps.clock.now(),
                )
                queued += 1
            if newest is not None:
                await uow.state.put(CURSOR_KEY, newest)
            await uow.commit()
        return queued

    async def snapshot_job(self, job: Job) -> None:
        """Read one order from Odoo and decide: release, change, cancel, close or nothing."""
        deps = self._deps
        erp = await deps.erp.read_order(int(job.payload["odoo_id"]))
        profile = deps.partners.by_odoo_partner(erp.supplier_odoo_id)
        if profile is None or not profile.active:
            return  # Not a supplier procurelink serves: Odoo handles it as usual.
        now = deps.clock.now()
        async with deps.store.unit_of_work() as uow:
            known = await uow.ledger.get(erp.order.order_number)
            decision = decide_erp_update(
                known.state if known else None, erp.state, _content_differs(known, erp.order)
            )
            if decision == ErpDecision.IGNORE:
                return
            if decision == ErpDecision.RELEASE:
                correlation_id = deps.new_id()
                order = erp.order.model_copy(
                    update={
                        "partner_id": profile.id,
                        "correlation_id": correlation_id,
                        "document_id": f"{erp.order.order_number}:r0",
                    }
                )
                ledger = _ledger_from(order, profile.id, erp, now)
                await uow.ledger.save(ledger)
                await uow.documents.add(stored_document(deps, order, None, None))
                await uow.audit.append(
                    AuditEntry(
                        at=now,
                        actor="odoo",
                        action="order_released",
                        correlation_id=correlation_id,
                        order_number=order.order_number,
                        subject=f"purchase.order {erp.order.odoo_id} confirmed in Odoo",
                        after={"original_commitment": _commitment(ledger)},
                    )
                )
                await self._dispatch.render_and_queue(
                    uow, profile, order, f"po:{erp.order.odoo_id}"
                )
                event: Any = OrderReleased
            else:
                assert known is not None
                event = await self._follow_up(uow, known, erp, decision, now)
                correlation_id = known.correlation_id
            await uow.commit()
        await deps.bus.publish(
            event(
                event_id=deps.new_id(),
                occurred_at=now,
                correlation_id=correlation_id,
                partner_id=profile.id,
                order_number=erp.order.order_number,
                data={"odoo_id": erp.order.odoo_id, "odoo_state": erp.state},
            )
        )

    async def _follow_up(
        self, uow: Any, known: LedgerOrder, erp: ErpOrder, decision: ErpDecision, now: datetime
    ) -> Any:
        if decision in (ErpDecision.CANCEL, ErpDecision.CLOSE):
            new = OrderState.CANCELLED if decision == ErpDecision.CANCEL else OrderState.CLOSED
            await uow.ledger.set_state(known.order_number, sources_for(new, Actor.ERP), new, now)
            await uow.audit.append(
                AuditEntry(
                    at=now,
                    actor="odoo",
                    action=f"order_{new}",
                    correlation_id=known.correlation_id,
                    order_number=known.order_number,
                    subject=f"purchase.order state {erp.state}",
                )
            )
            return OrderCancelled if decision == ErpDecision.CANCEL else OrderChanged
        # A buyer changed the order in Odoo. The ledger follows; sending the change to the
        # supplier (X12 860 / ORDCHG) belongs to the EDI change flow.
        updated = _ledger_from(erp.order, known.partner_id, erp, now, keep=known)
        await uow.ledger.save(updated)
        await uow.audit.append(
            AuditEntry(
                at=now,
                actor="odoo",
                action="order_changed",
                correlation_id=known.correlation_id,
                order_number=known.order_number,
                subject=f"purchase.order {erp.order.odoo_id} changed in Odoo",
                before=_commitment(known),
                after=_commitment(updated),
            )
        )
        return OrderChanged


def _content_differs(known: LedgerOrder | None, order: PurchaseOrder) -> bool:
    if known is None:
        return True
    current = {(ln.line_no, ln.quantity, ln.requested_date) for ln in known.lines}
    incoming = {(ln.line_no, ln.quantity.value, ln.requested_date) for ln in order.lines}
    return current != incoming


def _ledger_from(
    order: PurchaseOrder,
    partner_id: str,
    erp: ErpOrder,
    now: datetime,
    keep: LedgerOrder | None = None,
) -> LedgerOrder:
    lines = []
    for ln in order.lines:
        old = keep.line(ln.line_no) if keep else None
        lines.append(
            LedgerLine(
                line_no=ln.line_no,
                quantity=ln.quantity.value,
                uom=ln.quantity.uom,
                requested_date=ln.requested_date,
                original_quantity=old.original_quantity if old else ln.quantity.value,
                original_date=old.original_date if old else ln.requested_date,
                odoo_line_id=ln.odoo_line_id,
                buyer_item=ln.item.buyer_item,
                supplier_item=ln.item.supplier_item,
                description=ln.item.description,
                unit_price=ln.unit_price.amount if ln.unit_price else None,
                received_quantity=old.received_quantity if old else Decimal(0),
            )
        )
    return LedgerOrder(
        order_number=order.order_number,
        partner_id=partner_id,
        correlation_id=keep.correlation_id if keep else order.correlation_id,
        state=keep.state if keep else OrderState.RELEASED,
        revision=keep.revision + 1 if keep else 0,
        currency=order.currency,
        updated_at=now,
        lines=tuple(lines),
        odoo_id=order.odoo_id,
        supplier_odoo_id=erp.supplier_odoo_id,
        plant=order.plant,
        vendor_ref=order.vendor_ref or (keep.vendor_ref if keep else None),
        erp_write_date=erp.write_date,
    )


def _commitment(order: LedgerOrder) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(
        json.dumps(
            {
                ln.line_no: {
                    "quantity": ln.quantity,
                    "uom": ln.uom,
                    "date": ln.requested_date,
                    "original_quantity": ln.original_quantity,
                    "original_date": ln.original_date,
                }
                for ln in order.lines
            },
            default=str,
        )
    )
    return result
