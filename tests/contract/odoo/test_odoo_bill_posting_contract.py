"""Vendor bill posting, refunds and the three-way facts, on the simulator or a real Odoo.

``OdooGateway.post_bill`` (``action_post``), ``find_bills`` (idempotency before create),
``order_billing`` (ordered / received / billed per line) and credit notes (``in_refund``),
reference 3.9.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from odoo_contract import Fixture

from procurelink.adapters.odoo.gateway import OdooGateway
from procurelink.errors import ErpError
from procurelink.ports.erp import BillLine, BillWrite, ReceiptWrite, ReceivedLine


async def _order_received(
    make: Fixture, gateway: OdooGateway, received: tuple[int, int]
) -> tuple[int, int, list[int], str]:
    """An order of 10 bolts and 4 sheets, ``received`` of each: vendor, order, lines, currency."""
    vendor, _ = await make.vendor()
    bolt, _ = await make.product(vendor, vendor_code=None)
    sheet, _ = await make.product(vendor, vendor_code=None)
    order = await make.order(
        vendor, [(bolt, 10, "2025-04-15 10:00:00"), (sheet, 4, "2025-04-16 10:00:00")]
    )
    await make.call("purchase.order", "button_confirm", [order])
    [head] = await make.call(
        "purchase.order", "read", [order], fields=["order_line", "currency_id"]
    )
    lines = list(head["order_line"])
    got = tuple(ReceivedLine(i, Decimal(q)) for i, q in zip(lines, received, strict=True) if q)
    await gateway.apply_receipt(ReceiptWrite(order, got))
    return vendor, order, lines, head["currency_id"][1]


def _bill(vendor: int, currency: str, lines: list[tuple[int, int]], **kw: Any) -> BillWrite:
    write = BillWrite(
        vendor_odoo_id=vendor,
        vendor_ref=f"INV-{uuid.uuid4().hex[:8]}",
        invoice_date=date(2025, 4, 20),
        currency=currency,
        lines=tuple(BillLine(i, Decimal(q), Decimal("2.5")) for i, q in lines),
    )
    return replace(write, **kw)


async def test_order_billing_reports_ordered_received_and_billed(
    make: Fixture, gateway: OdooGateway
) -> None:
    vendor, order, (bolt, sheet), currency = await _order_received(make, gateway, (6, 0))
    facts = {f.odoo_line_id: f for f in await gateway.order_billing(order)}
    assert (facts[bolt].ordered, facts[bolt].received, facts[bolt].invoiced) == (10, 6, 0)
    assert (facts[sheet].ordered, facts[sheet].received) == (4, 0)

    await gateway.create_draft_bill(_bill(vendor, currency, [(bolt, 6)]))
    facts = {f.odoo_line_id: f for f in await gateway.order_billing(order)}
    assert facts[bolt].invoiced == 6  # a draft already counts as billed (pitfall 14)


async def test_order_billing_reports_each_lines_tax_rate(
    make: Fixture, gateway: OdooGateway
) -> None:
    """The rate the match compares an invoice line's tax with: the sum of the order line's
    percentage taxes (taxes_id, tax_ids on 19), 0 for an untaxed line."""
    _vendor, order, (bolt, sheet), _currency = await _order_received(make, gateway, (0, 0))
    [tax] = await make.call(
        "account.tax",
        "search_read",
        [("type_tax_use", "=", "purchase"), ("amount_type", "=", "percent")],
        fields=["amount"],
        limit=1,
    )
    field = make.dialect.line_taxes
    await make.call("purchase.order.line", "write", [bolt], {field: [(6, 0, [tax["id"]])]})
    await make.call("purchase.order.line", "write", [sheet], {field: [(6, 0, [])]})
    facts = {f.odoo_line_id: f for f in await gateway.order_billing(order)}
    assert facts[bolt].tax_rate == Decimal(str(tax["amount"]))
    assert facts[bolt].tax_rate > 0
    assert facts[sheet].tax_rate == 0


async def test_posting_a_bill_numbers_it_and_keeps_it_billed(
    make: Fixture, gateway: OdooGateway
) -> None:
    vendor, order, (bolt, sheet), currency = await _order_received(make, gateway, (10, 4))
    write = _bill(vendor, currency, [(bolt, 10), (sheet, 4)], origin="PO-TEST")
    bill = await gateway.create_draft_bill(write)
    [draft] = await gateway.find_bills(vendor, write.vendor_ref, "in_invoice")
    assert (draft.odoo_id, draft.state) == (bill, "draft")

    posted = await gateway.post_bill(bill)
    assert posted.state == "posted"
    assert posted.payment_state == "not_paid"
    # The purchase journal's monthly sequence of the bill date.
    assert re.fullmatch(r"BILL/2025/04/\d{4}", posted.name), posted.name
    assert posted.ref == write.vendor_ref
    [head] = await make.call("purchase.order", "read", [order], fields=["invoice_status"])
    assert head["invoice_status"] == "invoiced"
    lines = await make.call("purchase.order.line", "read", [bolt, sheet], fields=["qty_invoiced"])
    assert sorted(r["qty_invoiced"] for r in lines) == [4, 10]
    # Posting again is no error: the bill is returned as it stands.
    assert (await gateway.post_bill(bill)).name == posted.name


async def test_a_bill_without_date_is_refused_by_odoo(make: Fixture, gateway: OdooGateway) -> None:
    vendor, _order, (bolt, _sheet), currency = await _order_received(make, gateway, (10, 4))
    bill = await gateway.create_draft_bill(_bill(vendor, currency, [(bolt, 1)]))
    await make.call("account.move", "write", [bill], {"invoice_date": False})
    with pytest.raises(ErpError, match="Bill/Refund date is required"):
        await gateway.post_bill(bill)
    [row] = await make.call("account.move", "read", [bill], fields=["state"])
    assert row["state"] == "draft"


async def test_a_credit_note_is_a_refund_that_reduces_billed_quantities(
    make: Fixture, gateway: OdooGateway
) -> None:
    vendor, order, (bolt, _sheet), currency = await _order_received(make, gateway, (10, 4))
    await gateway.create_draft_bill(_bill(vendor, currency, [(bolt, 10)]))
    credit = _bill(vendor, currency, [(bolt, 3)], move_type="in_refund")
    refund = await gateway.create_draft_bill(credit)
    [found] = await gateway.find_bills(vendor, credit.vendor_ref, "in_refund")
    assert (found.odoo_id, found.move_type) == (refund, "in_refund")
    assert await gateway.find_bills(vendor, credit.vendor_ref, "in_invoice") == []
    facts = {f.odoo_line_id: f for f in await gateway.order_billing(order)}
    assert facts[bolt].invoiced == 7
    posted = await gateway.post_bill(refund)
    assert re.fullmatch(r"RBILL/2025/04/\d{4}", posted.name), posted.name
