"""Vendor bill contract: ``OdooGateway.create_draft_bill`` on the simulator or a real Odoo.

A draft bill linked to order lines already counts as billed (reference 3.9, pitfall 14).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from odoo_contract import Fixture

from procurelink.adapters.odoo.gateway import OdooGateway
from procurelink.errors import ErpError
from procurelink.ports.erp import BillLine, BillWrite, ReceiptWrite, ReceivedLine


async def _received_order(make: Fixture, gateway: OdooGateway) -> tuple[int, int, list[int], str]:
    """A fully received order of 10 bolts and 4 sheets: vendor, order, lines, currency."""
    vendor, _ = await make.vendor()
    bolt, _ = await make.product(vendor, vendor_code=None)
    sheet, _ = await make.product(vendor, vendor_code=None)
    order = await make.order(
        vendor, [(bolt, 10, "2025-04-15 10:00:00"), (sheet, 4, "2025-04-16 10:00:00")]
    )
    await make.call("purchase.order", "button_confirm", [order])
    head = await _order(make, order)
    lines = list(head["order_line"])
    received = tuple(ReceivedLine(i, Decimal(q)) for i, q in zip(lines, (10, 4), strict=True))
    await gateway.apply_receipt(ReceiptWrite(order, received))
    return vendor, order, lines, head["currency_id"][1]


async def _order(make: Fixture, order: int) -> dict[str, Any]:
    rows = await make.call(
        "purchase.order",
        "read",
        [order],
        fields=["order_line", "currency_id", "invoice_status", "invoice_ids"],
    )
    return dict(rows[0])


async def _invoiced(make: Fixture, lines: list[int]) -> list[float]:
    rows = await make.call("purchase.order.line", "read", lines, fields=["qty_invoiced"])
    by_id = {r["id"]: r["qty_invoiced"] for r in rows}
    return [by_id[i] for i in lines]


def _bill(vendor: int, ref: str, currency: str, lines: list[tuple[int, int]]) -> BillWrite:
    return BillWrite(
        vendor_odoo_id=vendor,
        vendor_ref=ref,
        invoice_date=date(2025, 4, 20),
        currency=currency,
        lines=tuple(BillLine(i, Decimal(q), Decimal("2.5")) for i, q in lines),
    )


async def test_draft_bill_counts_as_billed(make: Fixture, gateway: OdooGateway) -> None:
    vendor, order, (bolt, sheet), currency = await _received_order(make, gateway)
    assert (await _order(make, order))["invoice_status"] == "to invoice"

    first = await gateway.create_draft_bill(_bill(vendor, "INV-1", currency, [(bolt, 10)]))
    assert await _invoiced(make, [bolt, sheet]) == [10, 0]
    assert (await _order(make, order))["invoice_status"] == "to invoice"  # sheets not billed

    second = await gateway.create_draft_bill(_bill(vendor, "INV-2", currency, [(sheet, 4)]))
    assert await _invoiced(make, [bolt, sheet]) == [10, 4]
    head = await _order(make, order)
    assert head["invoice_status"] == "invoiced"
    assert sorted(head["invoice_ids"]) == sorted([first, second])


async def test_draft_bill_reads_back_with_its_links(make: Fixture, gateway: OdooGateway) -> None:
    vendor, order, (bolt, sheet), currency = await _received_order(make, gateway)
    bill = await gateway.create_draft_bill(
        _bill(vendor, "INV-77", currency, [(bolt, 10), (sheet, 3)])
    )
    [head] = await make.call(
        "account.move",
        "read",
        [bill],
        fields=["move_type", "state", "partner_id", "ref", "invoice_date", "invoice_line_ids"],
    )
    assert head["move_type"] == "in_invoice"
    assert head["state"] == "draft"
    assert head["partner_id"][0] == vendor
    assert head["ref"] == "INV-77"
    assert head["invoice_date"] == "2025-04-20"
    lines = await make.call(
        "account.move.line",
        "read",
        head["invoice_line_ids"],
        fields=["purchase_line_id", "quantity", "price_unit", "purchase_order_id"],
    )
    links = {ln["purchase_line_id"][0]: (ln["quantity"], ln["price_unit"]) for ln in lines}
    assert links == {bolt: (10, 2.5), sheet: (3, 2.5)}
    assert {ln["purchase_order_id"][0] for ln in lines} == {order}


async def test_bill_in_an_unknown_currency_is_refused(make: Fixture, gateway: OdooGateway) -> None:
    vendor, _order_id, (bolt, _sheet), _ = await _received_order(make, gateway)
    with pytest.raises(ErpError, match="currency"):
        await gateway.create_draft_bill(_bill(vendor, "INV-X", "XXQ", [(bolt, 1)]))
