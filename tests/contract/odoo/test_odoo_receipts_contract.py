"""Receipt contract: ``OdooGateway.apply_receipt`` against the simulator or a real Odoo.

The gateway validates the order's incoming picking with the received quantities and
answers Odoo's backorder question per the write's setting (reference 3.7-3.8).
"""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import pytest
from odoo_contract import Fixture

from procurelink.adapters.odoo.gateway import OdooGateway
from procurelink.errors import ErpError
from procurelink.ports.erp import ReceiptWrite, ReceivedLine, ReceivedLot


async def _order(make: Fixture) -> tuple[int, list[int]]:
    """A confirmed order of 10 bolts and 4 sheets: its id and its two line ids."""
    vendor, _ = await make.vendor()
    bolt, _ = await make.product(vendor, vendor_code=None)
    sheet, _ = await make.product(vendor, vendor_code=None)
    order = await make.order(
        vendor, [(bolt, 10, "2025-04-15 10:00:00"), (sheet, 4, "2025-04-16 10:00:00")]
    )
    await make.call("purchase.order", "button_confirm", [order])
    head = await _head(make, order)
    return order, list(head["order_line"])


async def _head(make: Fixture, order: int) -> dict[str, Any]:
    rows = await make.call(
        "purchase.order", "read", [order], fields=["order_line", "picking_ids", "receipt_status"]
    )
    return dict(rows[0])


async def _received(make: Fixture, lines: list[int]) -> list[float]:
    rows = await make.call("purchase.order.line", "read", lines, fields=["qty_received"])
    by_id = {r["id"]: r["qty_received"] for r in rows}
    return [by_id[i] for i in lines]


async def _pickings(make: Fixture, order: int) -> list[dict[str, Any]]:
    head = await _head(make, order)
    rows = await make.call(
        "stock.picking",
        "read",
        head["picking_ids"],
        fields=["state", "backorder_id", "move_ids"],
    )
    return sorted(rows, key=lambda p: p["id"])


async def _demands(make: Fixture, picking: dict[str, Any]) -> dict[int, float]:
    moves = await make.call(
        "stock.move",
        "read",
        picking["move_ids"],
        fields=["purchase_line_id", "product_uom_qty", "state"],
    )
    return {m["purchase_line_id"][0]: m["product_uom_qty"] for m in moves}


def _write(order: int, received: dict[int, int], backorder: str = "create") -> ReceiptWrite:
    return ReceiptWrite(
        order_odoo_id=order,
        lines=tuple(ReceivedLine(line, Decimal(q)) for line, q in received.items()),
        backorder=backorder,  # type: ignore[arg-type]
    )


async def test_full_receipt_validates_the_picking(make: Fixture, gateway: OdooGateway) -> None:
    order, (bolt, sheet) = await _order(make)
    await gateway.apply_receipt(_write(order, {bolt: 10, sheet: 4}))
    [picking] = await _pickings(make, order)
    assert picking["state"] == "done"
    assert await _received(make, [bolt, sheet]) == [10, 4]
    assert (await _head(make, order))["receipt_status"] == "full"


async def test_partial_receipt_with_backorder_keeps_the_rest_open(
    make: Fixture, gateway: OdooGateway
) -> None:
    order, (bolt, sheet) = await _order(make)
    before = await gateway.read_order(order)
    assert before.received == {bolt: 0, sheet: 0}
    await asyncio.sleep(1.1)  # write_date has a one-second grain
    await gateway.apply_receipt(_write(order, {bolt: 6}))  # no sheet arrived
    # The order itself changes (its receipt status), so the poller sees goods booked in
    # Odoo, and its snapshot carries what each line received.
    after = await gateway.read_order(order)
    assert after.write_date > before.write_date
    assert after.received == {bolt: 6, sheet: 0}
    first, rest = await _pickings(make, order)
    assert first["state"] == "done"
    assert rest["state"] not in ("done", "cancel")
    assert rest["backorder_id"][0] == first["id"]
    assert await _demands(make, rest) == {bolt: 4, sheet: 4}
    assert await _received(make, [bolt, sheet]) == [6, 0]
    assert (await _head(make, order))["receipt_status"] == "partial"

    # The backorder is now the open receipt: the rest arrives.
    await gateway.apply_receipt(_write(order, {bolt: 4, sheet: 4}))
    assert all(p["state"] == "done" for p in await _pickings(make, order))
    assert await _received(make, [bolt, sheet]) == [10, 4]
    assert (await _head(make, order))["receipt_status"] == "full"


async def test_partial_receipt_without_backorder_cancels_the_rest(
    make: Fixture, gateway: OdooGateway
) -> None:
    order, (bolt, sheet) = await _order(make)
    await gateway.apply_receipt(_write(order, {bolt: 6, sheet: 1}, backorder="cancel"))
    [picking] = await _pickings(make, order)
    assert picking["state"] == "done"
    assert await _received(make, [bolt, sheet]) == [6, 1]
    assert (await _head(make, order))["receipt_status"] == "full"


async def test_receipt_of_an_unknown_line_is_refused(make: Fixture, gateway: OdooGateway) -> None:
    order, (bolt, _sheet) = await _order(make)
    with pytest.raises(ErpError):
        await gateway.apply_receipt(_write(order, {bolt: 1, 987654321: 1}))
    [picking] = await _pickings(make, order)
    assert picking["state"] == "assigned"  # nothing written


async def test_lots_of_an_untracked_product_are_not_written(
    make: Fixture, gateway: OdooGateway
) -> None:
    order, (bolt, _sheet) = await _order(make)
    write = ReceiptWrite(
        order, (ReceivedLine(bolt, Decimal(2), lots=(ReceivedLot("L1", Decimal(2)),)),)
    )
    await gateway.apply_receipt(write)
    first, _rest = await _pickings(make, order)
    assert first["state"] == "done"
    lines = await make.call(
        "stock.move.line", "search_read", [("picking_id", "=", first["id"])], fields=["lot_id"]
    )
    assert lines and not any(ln["lot_id"] for ln in lines)
    assert await _received(make, [bolt]) == [2]
