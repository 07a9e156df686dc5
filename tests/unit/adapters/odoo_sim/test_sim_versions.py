"""The simulator's imitation of Odoo 16, 18 and 19 (17 is what the rest of the suite uses)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

import httpx
import pytest

from procurelink.adapters.odoo.gateway import OdooGateway
from procurelink.adapters.odoo.rpc import OdooRpc
from procurelink.adapters.odoo.settings import OdooSettings
from procurelink.adapters.odoo_sim.server import ADMIN_API_KEY, create_app
from procurelink.errors import ErpError
from procurelink.ports.erp import (
    HeldLine,
    QualityHold,
    QualityHoldWrite,
    ReceiptWrite,
    ReceivedLine,
)


def _rpc(major: int, protocol: str = "jsonrpc") -> OdooRpc:
    return _gateway(major, protocol).rpc


def _gateway(major: int, protocol: str = "jsonrpc") -> OdooGateway:
    app = create_app(version=f"{major}.0")
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sim")
    key = ADMIN_API_KEY if protocol == "json2" else None
    settings = OdooSettings(
        url="http://sim",
        db="procurelink",
        user="admin",
        password="admin",
        api_key=key,
        protocol=protocol,  # type: ignore[arg-type]
        max_calls_per_second=10_000,
    )
    return OdooGateway(settings, client=client)


Moves = Callable[..., Awaitable[list[dict[str, Any]]]]


async def _fields(rpc: OdooRpc, model: str) -> dict[str, Any]:
    return dict(await rpc.execute_kw(model, "fields_get", [], {"attributes": ["type"]}))


async def test_16_names_done_quantities_and_asks_for_an_immediate_transfer() -> None:
    rpc = _rpc(16)
    moves = await _fields(rpc, "stock.move")
    assert {"quantity_done", "reserved_availability"} <= moves.keys()
    assert "picked" not in moves
    assert "discount" not in await _fields(rpc, "purchase.order.line")
    [picking] = await rpc.execute_kw("stock.picking", "search", [[("origin", "=", "P00002")]])
    [move] = await rpc.execute_kw(
        "stock.move",
        "search_read",
        [[("picking_id", "=", picking)]],
        {"fields": ["quantity_done", "reserved_availability", "__last_update"]},
    )
    assert (move["quantity_done"], move["reserved_availability"]) == (0.0, 250.0)
    assert move["__last_update"]
    # Its line reserves the demand apart from what was done (as a real 16 answered).
    lines = await rpc.execute_kw(
        "stock.move.line",
        "search_read",
        [[("move_id", "=", move["id"])]],
        {"fields": ["qty_done", "reserved_uom_qty"]},
    )
    assert [(ln["qty_done"], ln["reserved_uom_qty"]) for ln in lines] == [(0.0, 250.0)]
    assert "reserved_uom_qty" not in await _fields(_rpc(17), "stock.move.line")
    wizard = await rpc.execute_kw("stock.picking", "button_validate", [[picking]])
    assert wizard["res_model"] == "stock.immediate.transfer"
    with pytest.raises(ErpError, match="Invalid field"):
        await rpc.execute_kw("stock.move", "write", [[move["id"]], {"quantity": 1}])


async def _two_step_order(gateway: OdooGateway) -> tuple[int, int, Moves]:
    """A confirmed order of 10 bolts received in two steps: (order, line, its moves)."""
    call = gateway.rpc.execute_kw
    await call("stock.warehouse", "write", [[1], {"reception_steps": "two_steps"}])
    [wh] = await call("stock.warehouse", "read", [[1]], {"fields": ["in_type_id"]})
    [vendor] = await call("res.partner", "search", [[("ref", "=", "SW-V-88120")]])
    [bolt] = await call("product.product", "search", [[("default_code", "=", "ACME-10042")]])
    order = await call(
        "purchase.order",
        "create",
        [
            {
                "partner_id": vendor,
                "picking_type_id": wh["in_type_id"][0],
                "order_line": [[0, 0, {"product_id": bolt, "product_qty": 10}]],
            }
        ],
    )
    await call("purchase.order", "button_confirm", [[order]])
    [po] = await call("purchase.order", "read", [[order]], {"fields": ["name", "order_line"]})

    async def moves(*fields: str) -> list[dict[str, Any]]:
        rows = await call(
            "stock.move",
            "search_read",
            [[("origin", "=", po["name"])]],
            {"fields": ["state", "product_uom_qty", "reserved_availability", *fields]},
        )
        return sorted(rows, key=lambda m: m["id"])

    return order, po["order_line"][0], moves


async def test_16_chains_two_step_reception_and_reserves_apart_from_done() -> None:
    """As a real 16.0 answered: the step to stock waits; 6 of 10 received reserve 6 for it
    on one line while the backorder's move still feeds it; the backorder's 4, once done,
    go onto that same line."""
    gateway = _gateway(16)
    order, line, moves = await _two_step_order(gateway)
    receipt, internal = await moves()
    assert (receipt["state"], receipt["reserved_availability"]) == ("assigned", 10.0)
    assert (internal["state"], internal["reserved_availability"]) == ("waiting", 0.0)
    await gateway.apply_receipt(ReceiptWrite(order, (ReceivedLine(line, Decimal(6)),)))
    received, internal, rest = await moves("move_dest_ids")
    assert (received["state"], received["reserved_availability"]) == ("done", 0.0)
    assert (internal["state"], internal["reserved_availability"]) == ("partially_available", 6.0)
    assert (rest["product_uom_qty"], rest["move_dest_ids"]) == (4.0, [internal["id"]])
    await gateway.apply_receipt(ReceiptWrite(order, (ReceivedLine(line, Decimal(4)),)))
    _, internal, _ = await moves("move_line_ids")
    assert (internal["state"], internal["reserved_availability"]) == ("assigned", 10.0)
    lines = await gateway.rpc.execute_kw(
        "stock.move.line",
        "read",
        [internal["move_line_ids"]],
        {"fields": ["qty_done", "reserved_uom_qty"]},
    )
    assert [(ln["qty_done"], ln["reserved_uom_qty"]) for ln in lines] == [(0.0, 10.0)]


async def test_16_held_goods_taken_from_input_are_no_longer_reserved_for_stock() -> None:
    """As a real 16.0 answered: 6 of 10 received and reserved for the step to stock, 3 of
    them held: that step expects 7 and reserves the 3 left in Input (the quarantine
    transfer's done line frees the reservation it took, ``_free_reservation``)."""
    gateway = _gateway(16)
    order, line, moves = await _two_step_order(gateway)
    await gateway.apply_receipt(ReceiptWrite(order, (ReceivedLine(line, Decimal(6)),)))
    hold = QualityHold(None, "dented", "corr-free-reservation")
    await gateway.apply_quality_hold(QualityHoldWrite(order, (HeldLine(line, Decimal(3)),), hold))
    internal = (await moves())[1]
    assert (internal["product_uom_qty"], internal["reserved_availability"]) == (7.0, 3.0)
    assert internal["state"] == "partially_available"


async def test_16_a_changed_line_quantity_changes_what_its_receipt_reserves() -> None:
    """As a real 16.0 answered, the date pinned as the gateway writes it: 10 -> 12 -> 7 on
    the one receipt move and its one line, nothing done."""
    gateway = _gateway(16)
    call = gateway.rpc.execute_kw
    order, line, moves = await _two_step_order(gateway)
    [current] = await call("purchase.order.line", "read", [[line]], {"fields": ["date_planned"]})
    for qty in (12, 7):
        changed = {"product_qty": qty, "date_planned": current["date_planned"]}
        await call("purchase.order", "write", [[order], {"order_line": [[1, line, changed]]}])
        receipt = (await moves("quantity_done", "move_line_ids"))[0]
        assert (receipt["product_uom_qty"], receipt["reserved_availability"]) == (qty, qty)
        assert receipt["quantity_done"] == 0.0
        lines = await call(
            "stock.move.line",
            "read",
            [receipt["move_line_ids"]],
            {"fields": ["qty_done", "reserved_uom_qty"]},
        )
        assert [(ln["qty_done"], ln["reserved_uom_qty"]) for ln in lines] == [(0.0, qty)]


async def test_18_products_are_goods_with_a_storable_flag() -> None:
    rpc = _rpc(18)
    fields = await _fields(rpc, "product.product")
    assert {"type", "is_storable"} <= fields.keys()
    assert "detailed_type" not in fields
    pid = await rpc.execute_kw(
        "product.product", "create", [{"name": "X", "type": "consu", "is_storable": True}]
    )
    [row] = await rpc.execute_kw(
        "product.product", "read", [[pid]], {"fields": ["type", "is_storable"]}
    )
    assert (row["type"], row["is_storable"]) == ("consu", True)
    storable = await rpc.execute_kw("product.product", "search", [[("is_storable", "=", True)]])
    assert pid in storable
    with pytest.raises(ErpError, match="does not exist"):
        await rpc.execute_kw("res.partner", "name_get", [[1]])


@pytest.mark.parametrize("protocol", ["xmlrpc", "jsonrpc", "json2"])
async def test_19_names_and_locking(protocol: str) -> None:
    rpc = _rpc(19, protocol)
    lines = await _fields(rpc, "purchase.order.line")
    assert {"product_uom_id", "tax_ids"} <= lines.keys()
    assert not {"product_uom", "taxes_id"} & lines.keys()
    order = await _fields(rpc, "purchase.order")
    assert {"note", "locked", "acknowledged"} <= order.keys()
    assert "notes" not in order
    assert "uom_po_id" not in await _fields(rpc, "product.template")
    states = await rpc.execute_kw(
        "purchase.order", "fields_get", [["state"]], {"attributes": ["selection"]}
    )
    assert "done" not in [key for key, _ in states["state"]["selection"]]
    [kg] = await rpc.execute_kw(
        "uom.uom",
        "search_read",
        [[("name", "=", "g")]],
        {"fields": ["factor", "relative_factor", "relative_uom_id"]},
    )
    assert kg["factor"] == pytest.approx(0.001)  # inverted: reference units in one gram
    assert kg["relative_uom_id"][1] == "kg"
    with pytest.raises(ErpError):
        await rpc.execute_kw("uom.category", "search", [[]])
    with pytest.raises(ErpError):
        await rpc.execute_kw("purchase.order", "button_done", [[2]])
    gateway = OdooGateway(rpc.settings, client=rpc._client)
    assert (await gateway.read_order(2)).state == "purchase"
    assert await rpc.execute_kw("purchase.order", "button_lock", [[2]]) is None
    [row] = await rpc.execute_kw("purchase.order", "read", [[2]], {"fields": ["state", "locked"]})
    assert (row["state"], row["locked"]) == ("purchase", True)
    found = await gateway.read_order(2)
    assert found.state == "done"  # what 16-18 call a locked order
    assert found.order.lines[0].quantity.uom == "kg"  # read through product_uom_id
    with pytest.raises(ErpError, match="locked"):
        await rpc.execute_kw("purchase.order", "button_cancel", [[2]])
