"""Reads contract (``ErpReads`` via ``OdooGateway.reads``): vendors and bank accounts,
products and vendor prices, units, plants, receipts and vendor bills, on the simulator
(16-19, every transport) or a real Odoo. Each test creates its own records.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import uuid
from datetime import date
from decimal import Decimal

import pytest
from odoo_contract import Fixture

from procurelink.adapters.odoo.gateway import OdooGateway
from procurelink.ports.erp import BillLine, BillWrite, ReceiptWrite, ReceivedLine, ReceivedLot


async def _bank_account(make: Fixture, vendor: int) -> str:
    number = f"DE89 3704 0044 {uuid.uuid4().int % 10**10:010d}"
    await make.call(
        "res.partner.bank",
        "create",
        {"partner_id": vendor, "acc_number": number, "acc_holder_name": "Steel Holder"},
    )
    return number


async def test_vendors_with_bank_accounts(make: Fixture, gateway: OdooGateway) -> None:
    vendor, ref = await make.vendor()
    number = await _bank_account(make, vendor)

    [found] = await gateway.reads.vendors(refs=[ref])
    assert (found.odoo_id, found.ref, found.is_company) == (vendor, ref, True)
    assert found.supplier_rank >= 1
    [account] = found.bank_accounts
    assert account.number.get_secret_value() == number  # revealed only when asked
    assert account.holder == "Steel Holder"
    assert [v.odoo_id for v in await gateway.reads.vendors(odoo_ids=[vendor])] == [vendor]
    assert vendor in {v.odoo_id for v in await gateway.reads.vendors()}


async def test_bank_account_number_never_leaks(
    make: Fixture, gateway: OdooGateway, caplog: pytest.LogCaptureFixture
) -> None:
    vendor, ref = await make.vendor()
    number = await _bank_account(make, vendor)
    [found] = await gateway.reads.vendors(refs=[ref])
    digits = number.replace(" ", "")[-10:]  # the account-specific part

    log = logging.getLogger("procurelink.test.reads")
    with caplog.at_level(logging.INFO, logger="procurelink.test.reads"):
        log.info("vendor read: %s / %r", found, found.bank_accounts[0])
        log.info("number %s", found.bank_accounts[0].number)
    rendered = [
        repr(found),
        str(found),
        f"{found.bank_accounts[0].number}",
        json.dumps(dataclasses.asdict(found), default=str),
        *(r.getMessage() for r in caplog.records),
    ]
    assert len(caplog.records) == 2
    for text in rendered:
        assert digits not in text
        assert "**********" in text


async def test_products_and_vendor_prices(make: Fixture, gateway: OdooGateway) -> None:
    vendor, _ = await make.vendor()
    bolt, code = await make.product(vendor, vendor_code="SUP-BOLT-1", price=2.5)
    [tmpl] = await make.call("product.product", "read", [bolt], fields=["product_tmpl_id"])
    await make.call(
        "product.supplierinfo",
        "create",
        {
            "partner_id": vendor,
            "product_tmpl_id": tmpl["product_tmpl_id"][0],
            "product_code": "SUP-BOLT-1",
            "min_qty": 100,
            "price": 2.0,
            "delay": 5,
            "date_end": "2030-12-31",
        },
    )

    [product] = await gateway.reads.products([code])
    assert (product.odoo_id, product.default_code) == (bolt, code)
    assert (product.uom, product.purchase_uom, product.tracking) == ("Units", "Units", "none")
    assert product.storable and product.purchase_ok
    assert product.barcode and product.barcode.startswith("PLB")

    prices = await gateway.reads.vendor_prices(vendor)
    # Odoo's seller order: sequence, then the larger quantity break first.
    assert [(p.line.min_qty, p.line.price.amount) for p in prices] == [
        (Decimal(100), Decimal(2)),
        (Decimal(0), Decimal("2.5")),
    ]
    bulk, single = prices
    assert bulk.line.item.buyer_item == code
    assert bulk.line.item.supplier_item == "SUP-BOLT-1"
    assert (bulk.line.lead_time_days, single.line.lead_time_days) == (5, 3)
    assert bulk.line.valid_to == date(2030, 12, 31) and single.line.valid_to is None
    assert bulk.line.uom == "unit"
    company_currency = await _company_currency(make)
    assert {p.line.price.currency for p in prices} == {company_currency}
    assert bulk.discount == 0


async def _company_currency(make: Fixture) -> str:
    [company] = await make.call("res.company", "read", [1], fields=["currency_id"])
    return str(company["currency_id"][1])


async def test_units_per_category(make: Fixture, gateway: OdooGateway) -> None:
    # A real 19 ships Dozens archived (cm, km... too) and weighs in g, not kg: the suite
    # activates Dozens and asserts ratios, whichever unit the version takes as reference.
    dozens = await make.call(
        "uom.uom", "search", [("name", "=", "Dozens")], context={"active_test": False}
    )
    await make.call("uom.uom", "write", dozens, {"active": True})
    units = {u.name: u for u in await gateway.reads.units()}
    each, dozen, kg, gram = units["Units"], units["Dozens"], units["kg"], units["g"]
    assert each.is_reference and not dozen.is_reference
    assert (each.reference_qty, dozen.reference_qty) == (1, 12)
    assert kg.is_reference != gram.is_reference
    assert kg.reference_qty == 1000 * gram.reference_qty
    assert dozen.category == each.category != kg.category == gram.category
    assert (each.code, dozen.code, kg.code) == ("unit", "dozen", "kg")
    assert 0 < each.rounding <= 1
    if "m" in units and "mm" in units:  # 19: m -> cm (archived) -> mm is one tree
        assert units["m"].category == units["mm"].category


async def test_plants_and_their_receipt_types(make: Fixture, gateway: OdooGateway) -> None:
    incoming = await make.incoming_type()
    plants = {p.odoo_id: p for p in await gateway.reads.plants()}
    plant = plants[incoming["warehouse_id"][0]]
    assert plant.code and plant.company and plant.reception_steps == "one_step"
    types = {t.odoo_id: t for t in plant.picking_types}
    assert types[incoming["id"]].code == "incoming"
    assert plant.receipt_type_id in types
    assert types[plant.receipt_type_id or 0].code == "incoming"
    assert types[incoming["id"]].create_backorder in ("ask", "always", "never")


async def _confirmed_order(make: Fixture) -> tuple[int, int, list[int]]:
    vendor, _ = await make.vendor()
    bolt, _ = await make.product(vendor, vendor_code=None)
    sheet, _ = await make.product(vendor, vendor_code=None)
    order = await make.order(
        vendor, [(bolt, 10, "2025-04-15 10:00:00"), (sheet, 4, "2025-04-16 10:00:00")]
    )
    await make.call("purchase.order", "button_confirm", [order])
    [head] = await make.call("purchase.order", "read", [order], fields=["order_line"])
    return vendor, order, sorted(head["order_line"])


async def test_incoming_pickings_and_done_receipts(make: Fixture, gateway: OdooGateway) -> None:
    _, order, (bolt, sheet) = await _confirmed_order(make)
    [name] = [
        r["name"] for r in await make.call("purchase.order", "read", [order], fields=["name"])
    ]

    [receipt] = await gateway.reads.incoming_pickings(order)
    assert (receipt.origin, receipt.state, receipt.backorder_of) == (name, "assigned", None)
    assert receipt.date_done is None
    assert [(m.odoo_line_id, m.demand, m.state) for m in receipt.moves] == [
        (bolt, 10, "assigned"),
        (sheet, 4, "assigned"),
    ]
    assert await gateway.reads.done_receipts(order) == []

    await gateway.apply_receipt(
        ReceiptWrite(order, (ReceivedLine(bolt, Decimal(6)), ReceivedLine(sheet, Decimal(4))))
    )
    [done] = await gateway.reads.done_receipts(order)
    assert done.odoo_id == receipt.odoo_id and done.date_done is not None
    assert done.lines == (ReceivedLine(bolt, Decimal(6)), ReceivedLine(sheet, Decimal(4)))

    first, backorder = await gateway.reads.incoming_pickings(order)
    assert (first.state, backorder.state) == ("done", "assigned")
    assert backorder.backorder_of == first.odoo_id
    assert [(m.odoo_line_id, m.demand) for m in backorder.moves] == [(bolt, 4)]


async def test_vendor_bills_of_order_and_vendor(make: Fixture, gateway: OdooGateway) -> None:
    vendor, order, (bolt, sheet) = await _confirmed_order(make)
    await gateway.apply_receipt(
        ReceiptWrite(order, (ReceivedLine(bolt, Decimal(10)), ReceivedLine(sheet, Decimal(4))))
    )
    [head] = await make.call("purchase.order", "read", [order], fields=["currency_id"])
    bill_id = await gateway.create_draft_bill(
        BillWrite(
            vendor_odoo_id=vendor,
            vendor_ref="INV-READ-1",
            invoice_date=date(2025, 4, 20),
            currency=head["currency_id"][1],
            lines=(
                BillLine(bolt, Decimal(10), Decimal("2.5")),
                BillLine(sheet, Decimal(3), Decimal("2.5")),
            ),
        )
    )

    [bill] = await gateway.reads.vendor_bills(order_odoo_id=order)
    assert (bill.odoo_id, bill.move_type, bill.state) == (bill_id, "in_invoice", "draft")
    assert (bill.payment_state, bill.vendor_ref) == ("not_paid", "INV-READ-1")
    assert (bill.invoice_date, bill.vendor_odoo_id) == (date(2025, 4, 20), vendor)
    assert bill.currency == head["currency_id"][1]
    assert [(ln.odoo_line_id, ln.quantity, ln.price_unit) for ln in bill.lines] == [
        (bolt, 10, Decimal("2.5")),
        (sheet, 3, Decimal("2.5")),
    ]
    assert bill.amount_untaxed == Decimal("32.5")
    assert bill.amount_total >= bill.amount_untaxed
    by_vendor = await gateway.reads.vendor_bills(vendor_odoo_id=vendor)
    assert [b.odoo_id for b in by_vendor] == [bill_id]


async def test_done_receipt_reads_lot_numbers(make: Fixture, gateway: OdooGateway) -> None:
    vendor, _ = await make.vendor()
    resin, _ = await make.product(vendor, vendor_code=None)
    await make.call("product.product", "write", [resin], {"tracking": "lot"})
    order = await make.order(vendor, [(resin, 5, "2025-04-15 10:00:00")])
    await make.call("purchase.order", "button_confirm", [order])
    [receipt] = await gateway.reads.incoming_pickings(order)
    [move] = receipt.moves
    line = move.odoo_line_id or 0
    lot = ReceivedLot("LOT-77", Decimal(5))
    await gateway.apply_receipt(ReceiptWrite(order, (ReceivedLine(line, Decimal(5), (lot,)),)))

    [done] = await gateway.reads.done_receipts(order)
    assert done.lines == (ReceivedLine(line, Decimal(5), (ReceivedLot("LOT-77", Decimal(5)),)),)
    lots = await make.call(
        "stock.lot", "search_read", [("product_id", "=", resin)], fields=["name"]
    )
    assert [lot["name"] for lot in lots] == ["LOT-77"]
