"""Gateway contract: ``OdooGateway`` against the simulator (16-19) or a real Odoo.

Field names that differ between versions come from the server's ``Dialect``, as in the
gateway itself.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from odoo_contract import Fixture

from procurelink.adapters.odoo.gateway import OdooGateway
from procurelink.domain.parties import PartyRole
from procurelink.errors import ErpError
from procurelink.ports.erp import AcknowledgmentWrite, LineUpdate


async def _confirmed_order(make: Fixture) -> tuple[int, int, list[int]]:
    vendor, _ = await make.vendor()
    bolt, _ = await make.product(vendor, vendor_code="V-BOLT")
    # The vendor's list price of the sheet (2.0) differs from the order's agreed 2.5.
    sheet, _ = await make.product(vendor, "kg", vendor_code="V-SHEET", price=2.0)
    order = await make.order(
        vendor, [(bolt, 100, "2025-04-15 10:00:00"), (sheet, 12.5, "2025-04-16 10:00:00")]
    )
    await make.call("purchase.order", "button_confirm", [order])
    return vendor, order, [bolt, sheet]


async def test_confirm_creates_an_incoming_picking_with_moves(make: Fixture) -> None:
    _, order, products = await _confirmed_order(make)
    rows = await make.call(
        "purchase.order",
        "read",
        [order],
        fields=["state", "picking_ids", "receipt_status", "order_line"],
    )
    assert rows[0]["state"] == "purchase"
    assert rows[0]["receipt_status"] == "pending"
    pickings = await make.call(
        "stock.picking",
        "read",
        rows[0]["picking_ids"],
        fields=["picking_type_code", "state", "origin", "move_ids"],
    )
    assert [p["picking_type_code"] for p in pickings] == ["incoming"]
    assert pickings[0]["state"] == "assigned"
    moves = await make.call(
        "stock.move",
        "read",
        pickings[0]["move_ids"],
        fields=[
            "product_id",
            "product_uom_qty",
            make.dialect.move_quantity,
            "purchase_line_id",
            "state",
        ],
    )
    assert sorted(m["product_id"][0] for m in moves) == sorted(products)
    assert {m["purchase_line_id"][0] for m in moves} == set(rows[0]["order_line"])
    assert all(m["state"] == "assigned" for m in moves)


async def test_read_order_maps_to_the_canonical_order(make: Fixture, gateway: OdooGateway) -> None:
    vendor, order, (bolt, _sheet) = await _confirmed_order(make)
    found = await gateway.read_order(order)
    po = found.order
    assert found.state == "purchase"
    assert found.supplier_odoo_id == vendor
    head = (await make.call("purchase.order", "read", [order], fields=["name", "write_date"]))[0]
    assert po.order_number == head["name"]
    assert found.write_date == head["write_date"]
    assert po.document_id == f"odoo:purchase.order:{order}:{head['write_date']}"
    assert po.order_date == date(2025, 4, 1)
    assert po.requested_date == date(2025, 4, 15)
    supplier = po.party(PartyRole.SUPPLIER)
    assert supplier is not None
    assert supplier.odoo_id == vendor
    assert supplier.id
    assert po.party(PartyRole.BUYER) is not None
    ship_to = po.party(PartyRole.SHIP_TO)
    assert ship_to is not None
    assert po.plant == ship_to.id
    assert [ln.line_no for ln in po.lines] == ["1", "2"]
    first, second = po.lines
    assert first.item.odoo_product_id == bolt
    assert first.item.supplier_item == "V-BOLT"
    assert first.item.buyer_item
    assert first.item.buyer_item.startswith("PLT-")
    assert first.item.gtin
    assert first.item.gtin.startswith("PLB")
    assert first.quantity.value == Decimal(100)
    assert first.quantity.uom == "unit"
    assert second.quantity.value == Decimal("12.5")
    assert second.quantity.uom == "kg"
    assert second.requested_date == date(2025, 4, 16)
    assert first.unit_price is not None
    assert first.unit_price.amount == Decimal("2.5")
    assert first.unit_price.currency == po.currency
    # The canonical total is the untaxed line sum (EDI AMT*TT / MOA 79): 100 x 2.5 +
    # 12.5 x 2.5. Odoo's amount_total adds the default purchase tax of the database.
    assert po.total_amount == Decimal("281.25")
    amounts = (
        await make.call(
            "purchase.order",
            "read",
            [order],
            fields=["amount_untaxed", "amount_tax", "amount_total", "order_line"],
        )
    )[0]
    lines = await make.call(
        "purchase.order.line",
        "read",
        amounts["order_line"],
        fields=["price_subtotal", "price_tax", "price_total", make.dialect.line_taxes],
    )
    assert amounts["amount_untaxed"] == 281.25
    assert all(ln[make.dialect.line_taxes] for ln in lines)  # the product's vendor tax, by default
    assert amounts["amount_tax"] > 0
    assert amounts["amount_tax"] == pytest.approx(sum(ln["price_tax"] for ln in lines))
    assert amounts["amount_total"] == pytest.approx(
        amounts["amount_untaxed"] + amounts["amount_tax"]
    )
    assert all(
        ln["price_total"] == pytest.approx(ln["price_subtotal"] + ln["price_tax"]) for ln in lines
    )
    assert all(ln.odoo_line_id for ln in po.lines)


async def test_changed_orders_sees_a_later_write(make: Fixture, gateway: OdooGateway) -> None:
    vendor, _ = await make.vendor()
    product, _ = await make.product(vendor, vendor_code=None)
    order = await make.order(vendor, [(product, 3, "2025-04-10 10:00:00")])
    before = (await make.call("purchase.order", "read", [order], fields=["write_date"]))[0]
    since = datetime.strptime(before["write_date"], "%Y-%m-%d %H:%M:%S")
    await make.call("purchase.order", "write", [order], {"partner_ref": "SO-CHANGED"})
    after = (await make.call("purchase.order", "read", [order], fields=["write_date"]))[0]
    changes = await gateway.changed_orders(since)
    mine = [c for c in changes if c.odoo_id == order]
    assert [c.write_date for c in mine] == [after["write_date"]]
    assert [c.write_date for c in changes] == sorted(c.write_date for c in changes)
    assert all(c.write_date >= before["write_date"] for c in changes)
    assert not [c for c in await gateway.changed_orders(datetime(2999, 1, 1)) if c.odoo_id == order]


async def test_changed_orders_tell_writes_of_one_second_apart(
    make: Fixture, gateway: OdooGateway
) -> None:
    """write_date has a one-second grain; the version differs when the order does."""
    vendor, _ = await make.vendor()
    product, _ = await make.product(vendor, vendor_code=None)
    order = await make.order(vendor, [(product, 3, "2025-04-10 10:00:00")])

    async def version() -> str:
        [change] = [c for c in await gateway.changed_orders(None) if c.odoo_id == order]
        return change.version

    first = await version()
    assert first == await version()  # reading again changes nothing
    await make.call("purchase.order", "write", [order], {"partner_ref": "SO-AGAIN"})
    second = await version()
    await make.call("purchase.order", "button_cancel", [order])
    assert len({first, second, await version()}) == 3


async def test_apply_acknowledgment_writes_lines_and_posts_a_note(
    make: Fixture, gateway: OdooGateway
) -> None:
    _, order, _ = await _confirmed_order(make)
    po = (await gateway.read_order(order)).order
    first, second = po.lines
    assert first.odoo_line_id
    assert second.odoo_line_id
    await gateway.apply_acknowledgment(
        AcknowledgmentWrite(
            order_odoo_id=order,
            vendor_ref="SO-4711",
            lines=(
                LineUpdate(first.odoo_line_id, date_planned=date(2025, 4, 20)),
                LineUpdate(second.odoo_line_id, product_qty=Decimal("10")),
            ),
            note="Acknowledged by supplier: procurelink contract test",
        )
    )
    again = (await gateway.read_order(order)).order
    assert again.vendor_ref == "SO-4711"
    assert again.lines[0].requested_date == date(2025, 4, 20)
    assert again.lines[0].quantity.value == Decimal(100)  # untouched
    assert again.lines[1].quantity.value == Decimal(10)
    # Odoo recomputes date, price and discount of a line whose quantity is written alone
    # (order date + vendor lead time = 2025-04-04, list price 2.0): they must stay.
    assert again.lines[1].requested_date == date(2025, 4, 16)  # untouched
    assert again.lines[1].unit_price is not None
    assert again.lines[1].unit_price.amount == Decimal("2.5")  # untouched
    assert again.lines[0].unit_price is not None
    assert again.lines[0].unit_price.amount == Decimal("2.5")
    assert again.total_amount == Decimal("275")  # 100 x 2.5 + 10 x 2.5
    notes = await make.call(
        "mail.message",
        "search_read",
        [
            ("model", "=", "purchase.order"),
            ("res_id", "=", order),
            ("message_type", "=", "comment"),
        ],
        fields=["body", "subtype_id"],
    )
    assert any("procurelink contract test" in n["body"] for n in notes)
    assert all(n["subtype_id"][1] == "Note" for n in notes)


async def test_lowering_qty_below_received_is_refused(make: Fixture, gateway: OdooGateway) -> None:
    vendor, _ = await make.vendor()
    product, _ = await make.product(vendor, vendor_code=None)
    order = await make.order(vendor, [(product, 10, "2025-04-10 10:00:00")])
    await make.call("purchase.order", "button_confirm", [order])
    head = (
        await make.call("purchase.order", "read", [order], fields=["picking_ids", "order_line"])
    )[0]
    picking = (await make.call("stock.picking", "read", head["picking_ids"], fields=["move_ids"]))[
        0
    ]
    await make.call("stock.move", "write", picking["move_ids"], make.dialect.received(4))
    await make.call(
        "stock.picking", "button_validate", [picking["id"]], context={"skip_backorder": True}
    )
    line = (
        await make.call("purchase.order.line", "read", head["order_line"], fields=["qty_received"])
    )[0]
    assert line["qty_received"] == 4
    write = AcknowledgmentWrite(
        order_odoo_id=order,
        vendor_ref=None,
        note="qty change",
        lines=(LineUpdate(line["id"], product_qty=Decimal(3)),),
    )
    with pytest.raises(ErpError, match="below the received quantity"):
        await gateway.apply_acknowledgment(write)
    status = (await make.call("purchase.order", "read", [order], fields=["receipt_status"]))[0]
    assert status["receipt_status"] == "partial"


async def test_read_order_of_a_missing_id_is_an_erp_error(gateway: OdooGateway) -> None:
    with pytest.raises(ErpError):
        await gateway.read_order(987654321)
