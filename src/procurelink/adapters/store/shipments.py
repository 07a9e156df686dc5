"""Ship notices in the ledger."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Row, delete, insert, select

from procurelink.adapters.store.database import Database
from procurelink.adapters.store.tables import ledger_shipments, shipment_refs
from procurelink.ports.records import LedgerShipment, ShipmentLine, ShipmentState


def _shipment(row: Row[Any]) -> LedgerShipment:
    return LedgerShipment(
        partner_id=row.partner_id,
        asn_number=row.asn_number,
        correlation_id=row.correlation_id,
        state=ShipmentState(row.state),
        ship_date=row.ship_date,
        expected_date=row.expected_date,
        updated_at=row.updated_at,
        tracking_number=row.tracking_number,
        carrier=row.carrier,
        ssccs=tuple(row.ssccs),
        lines=tuple(
            ShipmentLine(
                order_number=ln["order_number"],
                line_no=ln["line_no"],
                quantity=Decimal(ln["quantity"]),
                uom=ln["uom"],
                lot=ln.get("lot"),
                sscc=ln.get("sscc"),
            )
            for ln in row.lines
        ),
    )


class SqlShipmentRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def save(self, shipment: LedgerShipment) -> None:
        key = (ledger_shipments.c.partner_id == shipment.partner_id) & (
            ledger_shipments.c.asn_number == shipment.asn_number
        )
        await self._db.execute(delete(ledger_shipments).where(key))
        await self._db.execute(
            insert(ledger_shipments).values(
                partner_id=shipment.partner_id,
                asn_number=shipment.asn_number,
                correlation_id=shipment.correlation_id,
                state=str(shipment.state),
                ship_date=shipment.ship_date,
                expected_date=shipment.expected_date,
                updated_at=shipment.updated_at,
                tracking_number=shipment.tracking_number,
                carrier=shipment.carrier,
                ssccs=list(shipment.ssccs),
                lines=[
                    {
                        "order_number": ln.order_number,
                        "line_no": ln.line_no,
                        "quantity": format(ln.quantity, "f"),
                        "uom": ln.uom,
                        "lot": ln.lot,
                        "sscc": ln.sscc,
                    }
                    for ln in shipment.lines
                ],
            )
        )
        for ref in shipment.lookup_refs():
            upsert = self._db.insert(shipment_refs).values(
                ref=ref, partner_id=shipment.partner_id, asn_number=shipment.asn_number
            )
            # The newest ship notice wins a reference (a tracking number reused later).
            await self._db.execute(
                upsert.on_conflict_do_update(
                    index_elements=[shipment_refs.c.ref],
                    set_={
                        "partner_id": upsert.excluded.partner_id,
                        "asn_number": upsert.excluded.asn_number,
                    },
                )
            )

    async def get(self, partner_id: str, asn_number: str) -> LedgerShipment | None:
        row = (
            await self._db.execute(
                select(ledger_shipments).where(
                    ledger_shipments.c.partner_id == partner_id,
                    ledger_shipments.c.asn_number == asn_number,
                )
            )
        ).first()
        return None if row is None else _shipment(row)

    async def find_by_ref(self, ref: str) -> LedgerShipment | None:
        row = (
            await self._db.execute(select(shipment_refs).where(shipment_refs.c.ref == ref))
        ).first()
        return None if row is None else await self.get(row.partner_id, row.asn_number)

    async def list_by_correlation(self, correlation_id: str) -> list[LedgerShipment]:
        rows = await self._db.execute(
            select(ledger_shipments)
            .where(ledger_shipments.c.correlation_id == correlation_id)
            .order_by(ledger_shipments.c.ship_date, ledger_shipments.c.asn_number)
        )
        return [_shipment(row) for row in rows]
