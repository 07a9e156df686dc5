"""``OdooGateway.apply_acknowledgment`` against the in-process simulator: calls and values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import httpx

from procurelink.adapters.odoo.gateway import OdooGateway
from procurelink.adapters.odoo.settings import OdooSettings
from procurelink.adapters.odoo_sim.server import create_app
from procurelink.adapters.odoo_sim.service import SimOdoo
from procurelink.ports.erp import AcknowledgmentWrite, LineUpdate


def _gateway() -> tuple[OdooGateway, SimOdoo]:
    app = create_app()
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sim")
    settings = OdooSettings(url="http://sim", db="procurelink", user="admin", password="admin")
    return OdooGateway(settings, client=client), app.state.odoo


def _line(sim: SimOdoo, order_id: int) -> dict[str, Any]:
    lines = sim.store.tables["purchase.order.line"]
    return next(dict(r) for r in lines.values() if r["order_id"] == order_id)


async def test_a_quantity_alone_keeps_the_agreed_date_and_price() -> None:
    gateway, sim = _gateway()
    # P00002 (confirmed): the line's agreed price differs from the vendor's list price.
    line_id = _line(sim, 2)["id"]
    sim.store.tables["purchase.order.line"][line_id].update(
        price_unit=5.5, date_planned="2025-06-30 12:00:00"
    )
    before = sim.calls
    await gateway.apply_acknowledgment(
        AcknowledgmentWrite(
            order_odoo_id=2,
            vendor_ref="SO-1",
            lines=(LineUpdate(line_id, product_qty=Decimal(300)),),
            note="qty",
        )
    )
    assert sim.calls - before == 3  # read of the line, write, message_post
    after = _line(sim, 2)
    assert (after["product_qty"], after["date_planned"], after["price_unit"]) == (
        300.0,
        "2025-06-30 12:00:00",
        5.5,
    )
    await gateway.close()


async def test_dates_only_need_no_read() -> None:
    gateway, sim = _gateway()
    line_id = _line(sim, 2)["id"]
    before = sim.calls
    await gateway.apply_acknowledgment(
        AcknowledgmentWrite(
            order_odoo_id=2,
            vendor_ref=None,
            lines=(LineUpdate(line_id, date_planned=date(2025, 7, 1)),),
            note="date",
        )
    )
    assert sim.calls - before == 2  # write, message_post
    assert _line(sim, 2)["date_planned"] == "2025-07-01 12:00:00"
    await gateway.close()
