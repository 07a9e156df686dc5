"""Rejected lines of an acknowledgment: cancelled down to what was received, or flagged."""

from __future__ import annotations

from decimal import Decimal

import pytest
from odoo_contract import Fixture

from procurelink.adapters.odoo.gateway import OdooGateway
from procurelink.errors import ErpError
from procurelink.ports.erp import AcknowledgmentWrite, ReceiptWrite, ReceivedLine, RejectedLine


async def _lines(make: Fixture, ids: list[int]) -> dict[int, tuple[float, str]]:
    rows = await make.call(
        "purchase.order.line", "read", ids, fields=["product_qty", "date_planned"]
    )
    return {r["id"]: (r["product_qty"], r["date_planned"]) for r in rows}


async def _notes(make: Fixture, order: int) -> list[str]:
    rows = await make.call(
        "mail.message",
        "search_read",
        [("model", "=", "purchase.order"), ("res_id", "=", order)],
        fields=["body"],
    )
    return [r["body"] for r in rows]


async def _order(make: Fixture) -> tuple[int, int, int]:
    vendor, _ = await make.vendor()
    bolt, _ = await make.product(vendor, vendor_code="V-BOLT", price=2.5)
    sheet, _ = await make.product(vendor, vendor_code=None)
    order = await make.confirmed_order(vendor, [(bolt, 10), (sheet, 4)])
    bolt_line, sheet_line = await make.order_lines(order)
    return order, bolt_line, sheet_line


async def test_cancel_sets_the_quantity_to_what_was_received(
    make: Fixture, gateway: OdooGateway
) -> None:
    order, bolt_line, sheet_line = await _order(make)
    await gateway.apply_receipt(ReceiptWrite(order, (ReceivedLine(bolt_line, Decimal(6)),)))
    before = await _lines(make, [bolt_line, sheet_line])
    await gateway.apply_acknowledgment(
        AcknowledgmentWrite(
            order_odoo_id=order,
            vendor_ref="SO-REJ-1",
            lines=(),
            note="lines 1 and 2 rejected. Correlation id: corr-rej-1",
            rejected=(RejectedLine(bolt_line, "1"), RejectedLine(sheet_line, "2")),
            rejections="cancel",
        )
    )
    after = await _lines(make, [bolt_line, sheet_line])
    assert after[bolt_line][0] == 6  # never below the 6 received
    assert after[sheet_line][0] == 0  # nothing received: 0
    # The quantity write must not move the agreed dates (Odoo recomputes them otherwise).
    assert {i: d for i, (_, d) in after.items()} == {i: d for i, (_, d) in before.items()}
    assert any("corr-rej-1" in b for b in await _notes(make, order))


async def test_flag_keeps_the_quantity_and_names_the_lines(
    make: Fixture, gateway: OdooGateway
) -> None:
    order, bolt_line, sheet_line = await _order(make)
    await gateway.apply_acknowledgment(
        AcknowledgmentWrite(
            order_odoo_id=order,
            vendor_ref=None,
            lines=(),
            note="Rejected by the supplier, quantity kept: line 2. Correlation id: corr-rej-2",
            rejected=(RejectedLine(sheet_line, "2"),),
            rejections="flag",
        )
    )
    after = await _lines(make, [bolt_line, sheet_line])
    assert (after[bolt_line][0], after[sheet_line][0]) == (10, 4)
    assert any("line 2" in b and "corr-rej-2" in b for b in await _notes(make, order))


async def test_rejecting_a_line_of_another_order_is_refused(
    make: Fixture, gateway: OdooGateway
) -> None:
    order, _, _ = await _order(make)
    _, other_line, _ = await _order(make)
    with pytest.raises(ErpError):
        await gateway.apply_acknowledgment(
            AcknowledgmentWrite(order, None, (), "x", (RejectedLine(other_line, "1"),), "cancel")
        )
    assert (await _lines(make, [other_line]))[other_line][0] == 10
    assert not any(b == "<p>x</p>" for b in await _notes(make, order))
