"""Ship notices and carrier milestones: the expected receipt date follows them into Odoo."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from e2e_world import World

from procurelink import bootstrap
from procurelink.ports.channel import InboundItem
from procurelink.ports.records import ShipmentState

SAMPLE_856 = Path(__file__).parents[1] / "fixtures" / "edi" / "x12" / "856_ASN-240320-01.x12"
CARRIER = """\
id: rheinfracht
name: Rheinfracht Logistik
kind: carrier
codec:
  type: carrier-json
  options:
    status_map: {PU: picked_up, TR: in_transit, DLY: delayed, POD: delivered}
    fields: {tracking_number: trackingId, status: code, occurred_at: timestamp, new_eta: eta}
"""


async def receipt_dates(world: World, po: int) -> list[str]:
    [order] = await world.rpc.execute_kw(
        "purchase.order", "read", [[po]], {"fields": ["picking_ids"]}
    )
    pickings = await world.rpc.execute_kw(
        "stock.picking", "read", [order["picking_ids"]], {"fields": ["scheduled_date", "state"]}
    )
    return [p["scheduled_date"] for p in pickings if p["state"] not in ("done", "cancel")]


def carrier_event(code: str, tracking: str, eta: str | None = None) -> InboundItem:
    body = (
        f'{{"trackingId": "{tracking}", "code": "{code}", '
        f'"timestamp": "2024-03-21T08:00:00Z"' + (f', "eta": "{eta}"' if eta else "") + "}"
    )
    return InboundItem(
        partner_id="rheinfracht",
        channel="api",
        filename=None,
        content_type="application/json",
        body=body.encode(),
        received_at=datetime.now(UTC),
        handle="",
    )


async def test_ship_notice_then_carrier_delay_move_the_receipt(world: World) -> None:
    po, name = await world.confirm_order("SW-V-88120", [("ACME-10042", 5000), ("ACME-20117", 1200)])
    await world.runtime.run_once()

    world.inbox.mkdir(exist_ok=True)
    asn = SAMPLE_856.read_bytes().replace(b"PO00042", name.encode())
    (world.inbox / "856.x12").write_bytes(asn)
    await world.runtime.run_once()
    assert all(d.startswith("2024-03-22") for d in await receipt_dates(world, po))
    view = await world.runtime.queries.order(name)
    assert view is not None
    assert any(a.action == "ship_notice_received" for a in view.audit)
    assert any(a.action == "receipt_rescheduled" for a in view.audit)

    partners = world.runtime.settings.partners_dir
    (partners / "rheinfracht.yaml").write_text(CARRIER)
    runtime = await bootstrap.build_runtime(world.runtime.settings)
    try:
        await runtime.intake.capture(carrier_event("DLY", "RF-TRK-99812345", "2024-03-26"))
        await runtime.intake.capture(carrier_event("DLY", "NOT-OURS-1"))
        await runtime.intake.capture(carrier_event("BEAMED", "RF-TRK-99812345"))
        await runtime.runner.drain()
        async with runtime.deps.store.unit_of_work() as uow:
            shipment = await uow.shipments.find_by_ref("tracking:RF-TRK-99812345")
        assert shipment is not None
        assert shipment.state == ShipmentState.DELAYED
        assert str(shipment.expected_date) == "2024-03-26"
        assert all(d.startswith("2024-03-26") for d in await receipt_dates(world, po))
        codes = sorted(x.reason_code for x in await runtime.queries.exceptions())
        assert codes == ["invalid_document", "unknown_shipment"]
    finally:
        await runtime.close()


async def test_over_shipment_is_an_exception_and_nothing_moves(world: World) -> None:
    po, name = await world.confirm_order("SW-V-88120", [("ACME-10042", 100), ("ACME-20117", 10)])
    await world.runtime.run_once()
    before = await receipt_dates(world, po)
    world.inbox.mkdir(exist_ok=True)
    (world.inbox / "856.x12").write_bytes(
        SAMPLE_856.read_bytes().replace(b"PO00042", name.encode())
    )
    await world.runtime.run_once()
    [exc] = await world.runtime.queries.exceptions()
    assert exc.reason_code == "policy_violation"
    assert "still open" in exc.message
    assert await receipt_dates(world, po) == before
    async with world.runtime.deps.store.unit_of_work() as uow:
        assert await uow.shipments.find_by_ref("tracking:RF-TRK-99812345") is None
