"""Lots, serials, packages and quality holds: the gateway against the simulator or a real Odoo.

Ship notices prepare the open receipt (quantities, lot/serial and package move lines) without
validating it; receipts validate with their lots and packages; held quantities land in a quarantine
location (never in stock) with a note and a To-Do for the buyer (reference 3.7, 3.8, 4).
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from odoo_contract import Fixture

from procurelink.adapters.odoo.gateway import OdooGateway
from procurelink.errors import ErpError
from procurelink.ports.erp import (
    HeldLine,
    QualityHold,
    QualityHoldWrite,
    ReceiptWrite,
    ReceivedLine,
    ReceivedLot,
    ReceivedPackage,
    ShipNoticeWrite,
    ShippedLine,
    ShippedUnit,
)

D = Decimal


def _tag() -> str:
    return uuid.uuid4().hex[:6].upper()


async def _receipt(make: Fixture, order: int) -> dict[str, Any]:
    rows = await make.call("purchase.order", "read", [order], fields=["picking_ids"])
    pickings = await make.call(
        "stock.picking",
        "read",
        rows[0]["picking_ids"],
        fields=["state", "scheduled_date", "move_ids", "location_dest_id"],
    )
    return dict(sorted(pickings, key=lambda p: p["id"])[0])


async def _move_lines(make: Fixture, order: int, product: int) -> list[dict[str, Any]]:
    picking = await _receipt(make, order)
    rows = await make.call(
        "stock.move.line",
        "search_read",
        [("picking_id", "=", picking["id"]), ("product_id", "=", product)],
        fields=["lot_id", "lot_name", "result_package_id", make.dialect.line_quantity],
        order="id",
    )
    return list(rows)


async def _stock_name(make: Fixture) -> tuple[str, str]:
    """The receipt's destination (WH/Stock) and the default quarantine (WH/Quarantine)."""
    ptype = await make.incoming_type()
    [wh] = await make.call("stock.warehouse", "read", [ptype["warehouse_id"][0]], fields=["code"])
    [types] = await make.call(
        "stock.picking.type", "read", [ptype["id"]], fields=["default_location_dest_id"]
    )
    return types["default_location_dest_id"][1], f"{wh['code']}/Quarantine"


def _hold(reason: str = "visual defects") -> QualityHold:
    return QualityHold(quarantine=None, reason=reason, correlation_id=f"corr-{_tag()}")


async def _activities(make: Fixture, order: int) -> list[dict[str, Any]]:
    return list(
        await make.call(
            "mail.activity",
            "search_read",
            [("res_model", "=", "purchase.order"), ("res_id", "=", order)],
            fields=["summary", "note", "user_id", "activity_type_id"],
        )
    )


async def _notes(make: Fixture, order: int) -> list[str]:
    rows = await make.call(
        "mail.message",
        "search_read",
        [("model", "=", "purchase.order"), ("res_id", "=", order)],
        fields=["body"],
    )
    return [r["body"] for r in rows]


async def test_ship_notice_writes_lots_packages_and_quantities_without_validating(
    make: Fixture, gateway: OdooGateway
) -> None:
    vendor, _ = await make.vendor()
    bolt = await make.tracked_product(vendor, "lot")
    sheet, _ = await make.product(vendor, vendor_code=None)
    order = await make.confirmed_order(vendor, [(bolt, 10), (sheet, 4)])
    bolt_line, sheet_line = await make.order_lines(order)
    sscc_a, sscc_b, sscc_c = (f"00340{_tag()}{i}" for i in range(3))
    lot = f"L-{_tag()}"
    await gateway.apply_ship_notice(
        ShipNoticeWrite(
            order_odoo_id=order,
            expected_date=date(2025, 4, 20),
            note="ship notice ASN-1",
            lines=(
                ShippedLine(
                    bolt_line,
                    D(10),
                    (ShippedUnit(D(6), lot, sscc_a), ShippedUnit(D(4), f"{lot}B", sscc_b)),
                ),
                ShippedLine(sheet_line, D(3), (ShippedUnit(D(3), "NOT-TRACKED", sscc_c),)),
            ),
        )
    )
    picking = await _receipt(make, order)
    assert picking["state"] not in ("done", "cancel")  # announced, not received
    assert picking["scheduled_date"].startswith("2025-04-20")
    lines = await _move_lines(make, order, bolt)
    qty = make.dialect.line_quantity
    assert sorted(
        (ln["lot_name"] or ln["lot_id"][1], ln["result_package_id"][1], ln[qty]) for ln in lines
    ) == sorted([(lot, sscc_a, 6.0), (f"{lot}B", sscc_b, 4.0)])
    # The sheet is not tracked: its lot is dropped, its package kept.
    [sheet_ml] = await _move_lines(make, order, sheet)
    assert (sheet_ml["lot_name"], sheet_ml["lot_id"]) in ((False, False), ("", False))
    assert (sheet_ml["result_package_id"][1], sheet_ml[qty]) == (sscc_c, 3.0)
    moves = await make.call(
        "stock.move", "read", picking["move_ids"], fields=["product_id", make.dialect.move_quantity]
    )
    assert {m["product_id"][0]: m[make.dialect.move_quantity] for m in moves} == {
        bolt: 10.0,
        sheet: 3.0,
    }
    assert any("ASN-1" in body for body in await _notes(make, order))


async def test_ship_notice_serials_are_one_line_each(make: Fixture, gateway: OdooGateway) -> None:
    pump, order, line = await make.one_line_order(3, "serial")
    tag = _tag()
    serials = [f"SN-{tag}-{i}" for i in range(3)]
    await gateway.apply_ship_notice(
        ShipNoticeWrite(
            order,
            None,
            "serials",
            (ShippedLine(line, D(3), tuple(ShippedUnit(D(1), s) for s in serials)),),
        )
    )
    lines = await _move_lines(make, order, pump)
    assert sorted(ln["lot_name"] for ln in lines) == serials
    assert {ln[make.dialect.line_quantity] for ln in lines} == {1.0}


async def test_ship_notice_refuses_serial_with_quantity_above_one(
    make: Fixture, gateway: OdooGateway
) -> None:
    pump, order, line = await make.one_line_order(2, "serial")
    before = await _move_lines(make, order, pump)
    with pytest.raises(ErpError, match="serial"):
        await gateway.apply_ship_notice(
            ShipNoticeWrite(order, None, "x", (ShippedLine(line, D(2), (ShippedUnit(D(2), "S"),)),))
        )
    assert await _move_lines(make, order, pump) == before  # nothing written


async def test_receipt_with_lots_validates_and_creates_the_lots(
    make: Fixture, gateway: OdooGateway
) -> None:
    bolt, order, line = await make.one_line_order(10, "lot")
    lot = f"L-{_tag()}"
    await gateway.apply_receipt(
        ReceiptWrite(
            order,
            (ReceivedLine(line, D(8), (ReceivedLot(lot, D(5)), ReceivedLot(f"{lot}B", D(3)))),),
        )
    )
    rows = await make.call("purchase.order.line", "read", [line], fields=["qty_received"])
    assert rows[0]["qty_received"] == 8
    stock, _ = await _stock_name(make)
    assert await make.quants(bolt) == {(stock, lot): 5.0, (stock, f"{lot}B"): 3.0}


async def test_receipt_after_ship_notice_keeps_the_announced_lots(
    make: Fixture, gateway: OdooGateway
) -> None:
    bolt, order, line = await make.one_line_order(4, "lot")
    lot = f"L-{_tag()}"
    await gateway.apply_ship_notice(
        ShipNoticeWrite(order, None, "asn", (ShippedLine(line, D(4), (ShippedUnit(D(4), lot),)),))
    )
    await gateway.apply_receipt(
        ReceiptWrite(order, (ReceivedLine(line, D(4), (ReceivedLot(lot, D(4)),)),))
    )
    stock, _ = await _stock_name(make)
    assert await make.quants(bolt) == {(stock, lot): 4.0}


async def test_receipt_of_tracked_goods_without_lots_is_refused_before_writing(
    make: Fixture, gateway: OdooGateway
) -> None:
    bolt, order, line = await make.one_line_order(10, "lot")
    before = await _move_lines(make, order, bolt)
    with pytest.raises(ErpError, match="lot"):
        await gateway.apply_receipt(ReceiptWrite(order, (ReceivedLine(line, D(10)),)))
    assert (await _receipt(make, order))["state"] == "assigned"
    assert await _move_lines(make, order, bolt) == before


async def test_held_quantity_goes_to_quarantine_with_note_and_todo(
    make: Fixture, gateway: OdooGateway
) -> None:
    bolt, order, line = await make.one_line_order(10)
    hold = _hold("scratched housings")
    await gateway.apply_receipt(
        ReceiptWrite(order, (ReceivedLine(line, D(10), held=D(3)),), hold=hold)
    )
    assert (await _receipt(make, order))["state"] == "done"
    stock, quarantine = await _stock_name(make)
    assert await make.quants(bolt) == {(stock, None): 7.0, (quarantine, None): 3.0}
    [order_row] = await make.call("purchase.order", "read", [order], fields=["user_id"])
    [activity] = await _activities(make, order)
    assert activity["user_id"][0] == order_row["user_id"][0]
    todo = "To Do" if make.dialect.major <= 16 else "To-Do"  # mail_activity_data_todo's name
    assert activity["activity_type_id"] and activity["activity_type_id"][1] == todo
    assert hold.correlation_id in activity["summary"]
    assert "scratched housings" in activity["note"] and "3" in activity["note"]
    assert any(hold.correlation_id in b and quarantine in b for b in await _notes(make, order))


async def test_held_lots_and_a_named_quarantine_location(
    make: Fixture, gateway: OdooGateway
) -> None:
    bolt, order, line = await make.one_line_order(6, "lot")
    stock, default_quarantine = await _stock_name(make)
    where = f"{default_quarantine}-{_tag()}"  # created on demand under the warehouse
    lot = f"L-{_tag()}"
    await gateway.apply_receipt(
        ReceiptWrite(
            order,
            (
                ReceivedLine(
                    line,
                    D(6),
                    (ReceivedLot(lot, D(4)), ReceivedLot(f"{lot}B", D(2))),
                    held=D(2),
                    held_lots=(ReceivedLot(f"{lot}B", D(2)),),
                ),
            ),
            hold=QualityHold(quarantine=where, reason="lab", correlation_id=f"c-{_tag()}"),
        )
    )
    assert await make.quants(bolt) == {(stock, lot): 4.0, (where, f"{lot}B"): 2.0}


async def test_quality_result_moves_received_goods_into_quarantine(
    make: Fixture, gateway: OdooGateway
) -> None:
    bolt, order, line = await make.one_line_order(10, "lot")
    lot = f"L-{_tag()}"
    await gateway.apply_receipt(
        ReceiptWrite(order, (ReceivedLine(line, D(10), (ReceivedLot(lot, D(10)),)),))
    )
    hold = _hold("failed hardness test")
    await gateway.apply_quality_hold(QualityHoldWrite(order, (HeldLine(line, D(4), lot),), hold))
    stock, quarantine = await _stock_name(make)
    assert await make.quants(bolt) == {(stock, lot): 6.0, (quarantine, lot): 4.0}
    [activity] = await _activities(make, order)
    assert "failed hardness test" in activity["note"]


async def test_quality_hold_of_more_than_received_is_refused(
    make: Fixture, gateway: OdooGateway
) -> None:
    _, order, line = await make.one_line_order(10)
    await gateway.apply_receipt(ReceiptWrite(order, (ReceivedLine(line, D(2)),)))
    with pytest.raises(ErpError, match="received"):
        await gateway.apply_quality_hold(QualityHoldWrite(order, (HeldLine(line, D(5)),), _hold()))
    assert await _activities(make, order) == []


async def _packed(make: Fixture, product: int) -> dict[tuple[str, str | None, str | None], float]:
    """(location full name, lot name, package name) -> quantity of the product in stock."""
    rows = await make.call(
        "stock.quant",
        "search_read",
        [("product_id", "=", product), ("location_id.usage", "=", "internal")],
        fields=["location_id", "lot_id", "package_id", "quantity"],
    )
    out: dict[tuple[str, str | None, str | None], float] = {}
    for r in rows:
        key = (
            r["location_id"][1],
            r["lot_id"][1] if r["lot_id"] else None,
            r["package_id"][1] if r["package_id"] else None,
        )
        out[key] = out.get(key, 0.0) + r["quantity"]
    return {k: v for k, v in out.items() if v}


async def test_receipt_puts_goods_in_the_packages_it_names(
    make: Fixture, gateway: OdooGateway
) -> None:
    bolt, order, line = await make.one_line_order(10)
    known = f"00{_tag()}0000000001"  # an SSCC Odoo already has a package for
    await make.call(make.dialect.package_model, "create", {"name": known})
    fresh = f"00{_tag()}0000000002"
    await gateway.apply_receipt(
        ReceiptWrite(
            order,
            (
                ReceivedLine(
                    line,
                    D(10),
                    packages=(ReceivedPackage(fresh, D(6)), ReceivedPackage(known, D(4))),
                ),
            ),
        )
    )
    assert (await _receipt(make, order))["state"] == "done"
    lines = await _move_lines(make, order, bolt)
    assert sorted(
        (r["result_package_id"][1], r[make.dialect.line_quantity]) for r in lines
    ) == sorted([(fresh, 6.0), (known, 4.0)])
    for name in (fresh, known):  # found by name or created, never twice
        found = await make.call(make.dialect.package_model, "search", [("name", "=", name)])
        assert len(found) == 1
    stock, _ = await _stock_name(make)
    assert await _packed(make, bolt) == {(stock, None, fresh): 6.0, (stock, None, known): 4.0}


async def test_received_packages_keep_their_lots_and_never_span_quarantine_and_stock(
    make: Fixture, gateway: OdooGateway
) -> None:
    bolt, order, line = await make.one_line_order(10, "lot")
    lot_a, lot_b = f"A-{_tag()}", f"B-{_tag()}"
    pallet_a, pallet_b = f"01{_tag()}0000000001", f"01{_tag()}0000000002"
    await gateway.apply_receipt(
        ReceiptWrite(
            order,
            (
                ReceivedLine(
                    line,
                    D(10),
                    (ReceivedLot(lot_a, D(6)), ReceivedLot(lot_b, D(4))),
                    held=D(2),
                    held_lots=(ReceivedLot(lot_b, D(2)),),
                    packages=(
                        ReceivedPackage(pallet_a, D(6), lot_a),
                        ReceivedPackage(pallet_b, D(4), lot_b),
                    ),
                ),
            ),
            hold=_hold("crushed corner"),
        )
    )
    stock, quarantine = await _stock_name(make)
    # The held part of pallet B was taken off it: the pallet stays whole in one place.
    assert await _packed(make, bolt) == {
        (stock, lot_a, pallet_a): 6.0,
        (stock, lot_b, pallet_b): 2.0,
        (quarantine, lot_b, None): 2.0,
    }


async def test_a_hold_applied_twice_moves_the_goods_once(
    make: Fixture, gateway: OdooGateway
) -> None:
    bolt, order, line = await make.one_line_order(10)
    await gateway.apply_receipt(ReceiptWrite(order, (ReceivedLine(line, D(10)),)))
    hold = QualityHold(None, "burrs", f"corr-{_tag()}", reference=f"QI-{_tag()}")
    write = QualityHoldWrite(order, (HeldLine(line, D(4)),), hold)
    await gateway.apply_quality_hold(write)
    await gateway.apply_quality_hold(write)  # a retried job whose first answer was lost
    stock, quarantine = await _stock_name(make)
    assert await make.quants(bolt) == {(stock, None): 6.0, (quarantine, None): 4.0}
