"""Ship notices and carrier milestones: tracked in the ledger, sent to Odoo.

A ship notice gives Odoo's open receipt its expected date and, line by line, the shipped
quantities with their lots, serials and packages (SSCC), so the receipt is prepared when the
goods arrive; it is never validated here (the goods receipt does that). Carrier milestones
only move the expected date.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from procurelink.domain.despatch import DespatchAdvice, ShipmentEvent, ShipmentStatus
from procurelink.domain.ledger import LedgerOrder, LedgerShipment, ShipmentState
from procurelink.errors import DomainError, UnknownOrder
from procurelink.ports.erp import ShipNoticeWrite, ShippedLine, ShippedUnit
from procurelink.ports.records import AuditEntry, Effect, Job, NewJob, RawMessage
from procurelink.ports.store import UnitOfWork
from procurelink.services.acknowledgments import order_partition
from procurelink.services.context import Deps
from procurelink.services.documents import stored_document
from procurelink.services.effects import order_for_effect
from procurelink.workflow.despatch import shipment_lines

SHIP_NOTICE_JOB = "erp.apply_ship_notice"

_STATE = {
    ShipmentStatus.PICKED_UP: ShipmentState.PICKED_UP,
    ShipmentStatus.IN_TRANSIT: ShipmentState.IN_TRANSIT,
    ShipmentStatus.DELAYED: ShipmentState.DELAYED,
    ShipmentStatus.DELIVERED: ShipmentState.DELIVERED,
    ShipmentStatus.EXCEPTION: ShipmentState.EXCEPTION,
}


class UnknownShipment(DomainError):
    """The carrier event names no shipment procurelink knows."""

    code = "unknown_shipment"


class ShipmentService:
    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def receive_despatch(self, message: RawMessage, asn: DespatchAdvice, key: str) -> None:
        """Record a ship notice and queue the new expected dates for Odoo.

        Raises UnknownOrder, WrongSupplier, UnknownOrderLine or PolicyViolation (over-shipment);
        nothing is recorded then.
        """
        deps = self._deps
        profile = deps.partner(asn.partner_id)
        now = deps.clock.now()
        async with deps.store.unit_of_work() as uow:
            names = {i.order_number for p in asn.packages for i in p.items if i.order_number}
            orders = {
                n: o
                for n in names | set(asn.order_numbers)
                if (o := await uow.ledger.get(n)) is not None
            }
            lines = shipment_lines(asn, orders, profile.tolerances)
            first = orders[lines[0].order_number]
            asn = asn.model_copy(update={"correlation_id": first.correlation_id})
            shipment = LedgerShipment(
                partner_id=asn.partner_id,
                asn_number=asn.asn_number,
                correlation_id=first.correlation_id,
                state=ShipmentState.ANNOUNCED,
                ship_date=asn.ship_date,
                expected_date=asn.estimated_delivery,
                updated_at=now,
                lines=lines,
                tracking_number=asn.tracking_number,
                carrier=(asn.carrier.code or asn.carrier.name) if asn.carrier else None,
                ssccs=tuple(p.sscc for p in asn.packages if p.sscc),
            )
            await uow.shipments.save(shipment)
            await uow.messages.link_correlation(message.id, first.correlation_id)
            await uow.documents.add(stored_document(deps, asn, message.id, key))
            for number in shipment.order_numbers:
                order = orders[number]
                await uow.audit.append(
                    AuditEntry(
                        at=now,
                        actor=f"supplier:{profile.id}",
                        action="ship_notice_received",
                        correlation_id=order.correlation_id,
                        order_number=number,
                        subject=f"{asn.asn_number}: shipped {asn.ship_date}, expected "
                        f"{asn.estimated_delivery or 'not given'}",
                        after={
                            "asn_number": asn.asn_number,
                            "tracking": asn.tracking_number,
                            "lines": [
                                [ln.line_no, format(ln.quantity, "f"), ln.uom]
                                for ln in lines
                                if ln.order_number == number
                            ],
                        },
                    )
                )
                await self._queue_expected(
                    uow, order, shipment, asn.estimated_delivery, _shipped(asn, order)
                )
            await uow.commit()

    async def track(self, message: RawMessage, event: ShipmentEvent, key: str) -> None:
        """Apply a carrier milestone to the shipment it names (tracking number or SSCC)."""
        deps = self._deps
        now = deps.clock.now()
        refs = [f"tracking:{event.tracking_number}"] if event.tracking_number else []
        refs += [f"sscc:{event.sscc}"] if event.sscc else []
        async with deps.store.unit_of_work() as uow:
            shipment = None
            for ref in refs:
                shipment = shipment or await uow.shipments.find_by_ref(ref)
            if shipment is None:
                raise UnknownShipment(
                    f"{event.carrier.name or event.carrier.code or 'carrier'} event "
                    f"{event.status} names no known shipment ({', '.join(refs) or 'no reference'})",
                    references=refs,
                )
            moved = event.new_eta is not None and event.new_eta != shipment.expected_date
            updated = replace(
                shipment,
                state=_STATE[event.status],
                updated_at=now,
                expected_date=event.new_eta if moved else shipment.expected_date,
            )
            await uow.shipments.save(updated)
            await uow.messages.link_correlation(message.id, shipment.correlation_id)
            await uow.documents.add(
                stored_document(
                    deps,
                    event.model_copy(update={"correlation_id": shipment.correlation_id}),
                    message.id,
                    key,
                )
            )
            for number in shipment.order_numbers:
                order = await uow.ledger.get(number)
                if order is None:
                    raise UnknownOrder(f"order {number} of {shipment.asn_number} left the ledger")
                await uow.audit.append(
                    AuditEntry(
                        at=now,
                        actor=f"carrier:{event.partner_id}",
                        action="shipment_event",
                        correlation_id=order.correlation_id,
                        order_number=number,
                        subject=f"{shipment.asn_number} {event.status}"
                        + (f" at {event.location}" if event.location else ""),
                        before={"expected": str(shipment.expected_date)} if moved else None,
                        after={"expected": str(updated.expected_date), "note": event.note},
                    )
                )
                if moved and event.new_eta is not None:
                    await self._queue_expected(uow, order, updated, event.new_eta)
            await uow.commit()

    async def _queue_expected(
        self,
        uow: UnitOfWork,
        order: LedgerOrder,
        shipment: LedgerShipment,
        expected: date | None,
        lines: list[Any] | None = None,
    ) -> None:
        day = expected.isoformat() if expected else None
        await uow.jobs.enqueue(
            NewJob(
                kind=SHIP_NOTICE_JOB,
                payload={
                    "order_number": order.order_number,
                    "asn_number": shipment.asn_number,
                    "expected_date": day,
                    "state": str(shipment.state),
                    "lines": lines or [],
                },
                correlation_id=order.correlation_id,
                partner_id=order.partner_id,
                partition_key=order_partition(order),
                dedupe_key=f"{SHIP_NOTICE_JOB}:{shipment.partner_id}:{shipment.asn_number}:"
                f"{order.order_number}:{day or 'lines'}",
            ),
            self._deps.clock.now(),
        )

    async def apply_job(self, job: Job) -> None:
        """Write the expected receipt date to Odoo, once per (notice, order, date)."""
        deps = self._deps
        payload = job.payload
        key = str(job.dedupe_key or f"{SHIP_NOTICE_JOB}:{job.id}")
        found = await order_for_effect(deps, key, str(payload["order_number"]))
        if found is None:
            return
        order, odoo_id = found
        expected = (
            date.fromisoformat(str(payload["expected_date"])) if payload["expected_date"] else None
        )
        lines = tuple(
            ShippedLine(
                odoo_line_id=_odoo_line(order, str(line_no)),
                quantity=Decimal(qty),
                units=tuple(
                    ShippedUnit(Decimal(q), lot or None, sscc or None) for q, lot, sscc in units
                ),
            )
            for line_no, qty, units in payload.get("lines") or []
        )
        when = f"receipt expected {expected.isoformat()}" if expected else "no delivery date given"
        shipped = "; ".join(
            f"line {n}: {q}" + (f" ({len(u)} lot/package part(s))" if u else "")
            for n, q, u in payload.get("lines") or []
        )
        await deps.erp.apply_ship_notice(
            ShipNoticeWrite(
                order_odoo_id=odoo_id,
                expected_date=expected,
                note=(
                    f"Ship notice {payload['asn_number']} ({payload['state']}): {when}."
                    + (f" Shipped: {shipped}." if shipped else "")
                    + f" Correlation id: {order.correlation_id}"
                ),
                lines=lines,
            )
        )
        now = deps.clock.now()
        async with deps.store.unit_of_work() as uow:
            if await uow.effects.record(
                Effect(
                    key=key,
                    kind="erp.ship_notice",
                    applied_at=now,
                    correlation_id=order.correlation_id,
                    job_id=job.id,
                )
            ):
                await uow.audit.append(
                    AuditEntry(
                        at=now,
                        actor="procurelink",
                        action="receipt_rescheduled" if expected else "receipt_prepared",
                        correlation_id=order.correlation_id,
                        order_number=order.order_number,
                        subject=f"Odoo receipts of {order.order_number} "
                        + (f"expected {expected}" if expected else "prepared")
                        + (f", {len(lines)} line(s) announced" if lines else ""),
                    )
                )
                await uow.commit()


def _shipped(asn: DespatchAdvice, order: LedgerOrder) -> list[Any]:
    """The notice's lines for one order as job payload: ``[line_no, qty, units]``.

    Units (``[qty, lot, sscc]``) are given when the notice has lots, serials (one unit each)
    or packages for the line; lines shipped in another unit than ordered are left out (the
    ledger keeps them; Odoo's receipt would need a conversion procurelink does not guess).
    """
    out: dict[str, tuple[Decimal, list[list[Any]], bool]] = {}
    for package in asn.packages:
        for item in package.items:
            if (item.order_number or order.order_number) != order.order_number:
                continue
            line = order.line(item.order_line_no or "")
            if line is None or line.odoo_line_id is None or item.quantity.uom != line.uom:
                continue
            qty, units, detailed = out.get(line.line_no, (Decimal(0), [], False))
            value = item.quantity.value
            parts: list[list[Any]] = [
                [format(Decimal(1), "f"), s, package.sscc] for s in item.serials
            ]
            rest = value - len(item.serials)
            if rest > 0:
                parts.append([format(rest, "f"), item.lot, package.sscc])
            detailed = detailed or bool(item.serials or item.lot or package.sscc)
            out[line.line_no] = (qty + value, units + parts, detailed)
    return [
        [line_no, format(qty, "f"), units if detailed else []]
        for line_no, (qty, units, detailed) in out.items()
    ]


def _odoo_line(order: LedgerOrder, line_no: str) -> int:
    line = order.line(line_no)
    if line is None or line.odoo_line_id is None:
        raise UnknownOrder(f"order {order.order_number} line {line_no} left the ledger")
    return line.odoo_line_id
