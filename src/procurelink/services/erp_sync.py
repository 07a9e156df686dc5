"""Reading Odoo: the write_date poller and the order snapshot that releases orders."""

from __future__ import annotations

import json
from dataclasses import replace
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
from procurelink.services.invoice_rematch import invoices_after_receipt
from procurelink.workflow.discrepancies import fmt
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
            arrived = _arrivals(known, erp)
            if decision == ErpDecision.IGNORE and not arrived:
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
                event = OrderChanged
                if decision != ErpDecision.IGNORE:
                    event = await self._follow_up(uow, known, erp, decision, now)
                if arrived:
                    await self._goods_arrived(uow, known.order_number, erp, arrived, now)
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

    async def _goods_arrived(
        self,
        uow: Any,
        order_number: str,
        erp: ErpOrder,
        arrived: dict[str, tuple[Decimal, Decimal]],
        now: datetime,
    ) -> None:
        """Goods booked in Odoo itself (not by a receipt procurelink applied): the ledger
        takes Odoo's received quantities, and the order's invoices waiting for goods or
        held for want of them are matched again, as after a receipt of procurelink's."""
        current = await uow.ledger.get(order_number)
        assert current is not None
        lines = tuple(
            replace(ln, received_quantity=arrived[ln.line_no][1]) if ln.line_no in arrived else ln
            for ln in current.lines
        )
        current = replace(current, lines=lines, updated_at=now)
        await uow.ledger.save(current)
        await uow.audit.append(
            AuditEntry(
                at=now,
                actor="odoo",
                action="receipt_seen_in_odoo",
                correlation_id=current.correlation_id,
                order_number=order_number,
                subject=f"goods of {order_number} received in Odoo: "
                + ", ".join(
                    f"line {no}: {fmt(old)} -> {fmt(new)}" for no, (old, new) in arrived.items()
                ),
                before={no: fmt(old) for no, (old, _) in arrived.items()},
                after={no: fmt(new) for no, (_, new) in arrived.items()},
            )
        )
        key = f"odoo.receipt:{erp.order.odoo_id}:{erp.write_date}"
        await invoices_after_receipt(
            self._deps, uow, current, key, f"booked in Odoo (order written {erp.write_date})"
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


def _arrivals(known: LedgerOrder | None, erp: ErpOrder) -> dict[str, tuple[Decimal, Decimal]]:
    """Per line number: (ledger's, Odoo's) received quantity where Odoo has received more
    than the ledger knows of. A receipt procurelink applied is already in the ledger when
    the order's next snapshot runs: both are jobs of the order's partition, run in turn."""
    if known is None:
        return {}
    return {
        ln.line_no: (ln.received_quantity, odoo)
        for ln in known.lines
        if ln.odoo_line_id is not None
        and (odoo := erp.received.get(ln.odoo_line_id)) is not None
        and odoo > ln.received_quantity
    }


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
