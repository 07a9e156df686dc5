"""Ship notices: saved with their lines, found again by tracking number or SSCC."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from procurelink.adapters.store import SqlStore
from procurelink.ports.records import LedgerShipment, ShipmentLine, ShipmentState


def shipment(now: datetime, asn: str = "ASN-1", tracking: str | None = "TRK-1") -> LedgerShipment:
    return LedgerShipment(
        partner_id="sw",
        asn_number=asn,
        correlation_id="c-1",
        state=ShipmentState.ANNOUNCED,
        ship_date=date(2024, 3, 20),
        expected_date=date(2024, 3, 22),
        updated_at=now,
        tracking_number=tracking,
        carrier="RHFL",
        ssccs=("395200020000000010",),
        lines=(
            ShipmentLine(
                "PO42", "1", Decimal("3000.50"), "unit", lot="L-A", sscc="395200020000000010"
            ),
        ),
    )


async def test_saved_and_found_by_reference(store: SqlStore, now: datetime) -> None:
    async with store.unit_of_work() as uow:
        await uow.shipments.save(shipment(now))
        await uow.commit()
    async with store.unit_of_work() as uow:
        by_tracking = await uow.shipments.find_by_ref("tracking:TRK-1")
        by_sscc = await uow.shipments.find_by_ref("sscc:395200020000000010")
        assert by_tracking == by_sscc == shipment(now)
        assert by_tracking is not None
        assert by_tracking.lines[0].quantity == Decimal("3000.50")
        assert by_tracking.order_numbers == ("PO42",)
        assert await uow.shipments.find_by_ref("tracking:nope") is None
        assert [s.asn_number for s in await uow.shipments.list_by_correlation("c-1")] == ["ASN-1"]


async def test_save_replaces_and_newest_notice_owns_a_reference(
    store: SqlStore, now: datetime
) -> None:
    async with store.unit_of_work() as uow:
        await uow.shipments.save(shipment(now))
        await uow.shipments.save(
            replace(shipment(now), state=ShipmentState.DELAYED, expected_date=date(2024, 3, 25))
        )
        await uow.shipments.save(shipment(now, asn="ASN-2"))
        await uow.commit()
    async with store.unit_of_work() as uow:
        first = await uow.shipments.get("sw", "ASN-1")
        assert first is not None
        assert (first.state, first.expected_date) == (ShipmentState.DELAYED, date(2024, 3, 25))
        owner = await uow.shipments.find_by_ref("tracking:TRK-1")
        assert owner is not None
        assert owner.asn_number == "ASN-2"
