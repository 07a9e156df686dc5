"""Two- and three-step reception (reference 4): receipts land in WH/Input, Odoo chains the
internal transfers on to stock, and a quality hold takes held goods from where they are and
out of that chain (16-17 chain the route at confirmation, 18 and 19 push each step when the
one before is done). Against the simulator or a real Odoo 16, 17, 18 or 19: each test makes
its own warehouse, so the shared one keeps its reception steps. A second active warehouse
makes Odoo turn on its Storage Locations and Multi-Warehouses settings for every user
(``stock.warehouse._check_multiwarehouse_group``), so against a real Odoo these tests run only
when ``ODOO_CONTRACT_WAREHOUSES=1`` says that database may be changed so. What a move
reserves is read through the dialect (16 ``reserved_availability``, 17+ ``quantity``).
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from odoo_contract import REAL, Fixture

from procurelink.adapters.odoo.gateway import OdooGateway
from procurelink.ports.erp import (
    HeldLine,
    QualityHold,
    QualityHoldWrite,
    ReceiptWrite,
    ReceivedLine,
    ReceivedLot,
)

D = Decimal
pytestmark = [
    pytest.mark.versions(16, 17, 18, 19),
    pytest.mark.skipif(
        REAL and not os.environ.get("ODOO_CONTRACT_WAREHOUSES"),
        reason="creates warehouses, which turns on Odoo's multi-warehouse settings: "
        "set ODOO_CONTRACT_WAREHOUSES=1 for a database that may change so",
    ),
]


def _pushed_when_done(make: Fixture) -> bool:
    """18 creates each next step of a reception when the step before is done (push rules
    on done moves); 16-17 chain the whole route at confirmation and let it wait."""
    return make.dialect.major >= 18


def _tag() -> str:
    return uuid.uuid4().hex[:6].upper()


def _hold(reason: str) -> QualityHold:
    return QualityHold(quarantine=None, reason=reason, correlation_id=f"corr-{_tag()}")


async def _pickings(make: Fixture, order: int) -> list[dict[str, Any]]:
    """The order's transfers: its receipt and the internal ones Odoo chained to it."""
    [po] = await make.call("purchase.order", "read", [order], fields=["name"])
    rows = await make.call(
        "stock.picking",
        "search_read",
        [("origin", "=", po["name"])],
        fields=["state", "picking_type_id", "location_id", "location_dest_id", "move_ids"],
        order="id",
    )
    return list(rows)


async def _moves(make: Fixture, picking: dict[str, Any]) -> list[dict[str, Any]]:
    """The transfer's moves; ``quantity`` is what each has reserved (16's name differs)."""
    reserved = make.dialect.move_reserved
    rows = await make.call(
        "stock.move",
        "read",
        picking["move_ids"],
        fields=[
            "state",
            "product_uom_qty",
            reserved,
            "location_id",
            "location_dest_id",
            "move_orig_ids",
            "move_dest_ids",
            "procure_method",
            "purchase_line_id",
        ],
    )
    return [{**row, "quantity": row[reserved]} for row in rows]


async def _validate_all(make: Fixture, picking: dict[str, Any]) -> None:
    """A person validating a ready internal transfer as it is reserved."""
    if not make.dialect.has_picked:
        # 16 validates done quantities only: with none set it asks the immediate-transfer
        # wizard and validates nothing; the person sets each move's done quantity instead.
        wizard = await make.call("stock.picking", "button_validate", [picking["id"]])
        assert wizard["res_model"] == "stock.immediate.transfer"
        for move in await _moves(make, picking):
            await make.call(
                "stock.move", "write", [move["id"]], make.dialect.received(move["quantity"])
            )
    await make.call("stock.picking", "button_validate", [picking["id"]])
    [row] = await make.call("stock.picking", "read", [picking["id"]], fields=["state"])
    assert row["state"] == "done"


async def test_two_step_receipt_lands_in_input_and_waits_to_move_on_to_stock(
    make: Fixture, gateway: OdooGateway
) -> None:
    wh = await make.warehouse("two_steps")
    bolt, order, line = await make.one_line_order(10, picking_type=wh["in_type_id"][0])
    if _pushed_when_done(make):
        # 18: only the receipt; the step to stock comes when the receipt is done.
        [receipt] = await _pickings(make, order)
    else:
        receipt, internal = await _pickings(make, order)
    assert receipt["location_dest_id"][0] == wh["wh_input_stock_loc_id"][0]
    [received] = await _moves(make, receipt)
    if not _pushed_when_done(make):
        assert internal["state"] == "waiting"
        [chained] = await _moves(make, internal)
        assert received["move_dest_ids"] == [chained["id"]]
        assert chained["move_orig_ids"] == [received["id"]]
        assert (chained["state"], chained["procure_method"]) == ("waiting", "make_to_order")
        assert chained["purchase_line_id"] is False
        assert chained["product_uom_qty"] == 10

    await gateway.apply_receipt(ReceiptWrite(order, (ReceivedLine(line, D(6)),)))
    assert await make.quants(bolt) == {(wh["wh_input_stock_loc_id"][1], None): 6.0}
    pickings = await _pickings(make, order)
    if _pushed_when_done(make):
        [internal] = [p for p in pickings if p["picking_type_id"][0] != wh["in_type_id"][0]]
    assert (internal["location_id"][0], internal["location_dest_id"][0]) == (
        wh["wh_input_stock_loc_id"][0],
        wh["lot_stock_id"][0],
    )
    [chained] = await _moves(make, internal)
    assert (chained["procure_method"], chained["purchase_line_id"]) == ("make_to_order", False)
    [backorder] = [p for p in pickings if p["id"] not in (receipt["id"], internal["id"])]
    [rest] = await _moves(make, backorder)
    if _pushed_when_done(make):
        # What came is pushed on and reserved; the rest is pushed when it comes.
        assert (chained["state"], chained["product_uom_qty"], chained["quantity"]) == (
            "assigned",
            6,
            6,
        )
        assert chained["move_orig_ids"] == [received["id"]]
        assert (rest["product_uom_qty"], rest["move_dest_ids"]) == (4, [])
    else:  # the backorder's move still feeds the waiting one
        assert (chained["state"], chained["quantity"]) == ("partially_available", 6)
        assert sorted(chained["move_orig_ids"]) == sorted([received["id"], rest["id"]])
        assert (rest["product_uom_qty"], rest["move_dest_ids"]) == (4, [chained["id"]])
    if make.dialect.major >= 18:
        # 18 and 19 (checked on real ones): the step is a Storage transfer, and the backorder,
        # once done, is pushed into the same open move, which reserves all that came.
        [types] = await make.call("stock.warehouse", "read", [wh["id"]], fields=["store_type_id"])
        assert internal["picking_type_id"][0] == types["store_type_id"][0]
        await gateway.apply_receipt(ReceiptWrite(order, (ReceivedLine(line, D(4)),)))
        [chained] = await _moves(make, internal)
        assert (chained["state"], chained["product_uom_qty"], chained["quantity"]) == (
            "assigned",
            10,
            10,
        )
        assert sorted(chained["move_orig_ids"]) == sorted([received["id"], rest["id"]])
        assert len(await _pickings(make, order)) == 3


async def _step_to_stock(make: Fixture, wh: dict[str, Any], order: int) -> dict[str, Any]:
    """The two-step reception's transfer from Input to Stock (16-17 chained at confirmation,
    18-19 pushed when the receipt is done)."""
    [internal] = [
        p
        for p in await _pickings(make, order)
        if p["location_id"][0] == wh["wh_input_stock_loc_id"][0]
        and p["location_dest_id"][0] == wh["lot_stock_id"][0]
    ]
    return internal


async def test_the_step_to_stock_reserves_a_later_receipt_on_the_line_that_reserved_the_first(
    make: Fixture, gateway: OdooGateway
) -> None:
    # Odoo's _update_reserved_quantity: 4 more from Input go onto the line that reserved 6
    # there, one line of 10 (passes against real 17, 18 and 19; a real 16 did the same).
    wh = await make.warehouse("two_steps")
    _bolt, order, line = await make.one_line_order(10, picking_type=wh["in_type_id"][0])
    await gateway.apply_receipt(ReceiptWrite(order, (ReceivedLine(line, D(6)),)))
    await gateway.apply_receipt(ReceiptWrite(order, (ReceivedLine(line, D(4)),)))
    [chained] = await _moves(make, await _step_to_stock(make, wh, order))
    assert (chained["state"], chained["product_uom_qty"], chained["quantity"]) == (
        "assigned",
        10,
        10,
    )
    reserved = make.dialect.move_line_reserved
    lines = await make.call(
        "stock.move.line", "search_read", [("move_id", "=", chained["id"])], fields=[reserved]
    )
    assert [row[reserved] for row in lines] == [10]


async def test_a_hold_after_a_partial_receipt_frees_what_the_step_to_stock_reserved(
    make: Fixture, gateway: OdooGateway
) -> None:
    # 6 of 10 received in two steps, then 3 held. 16-17: the step to stock expects 7, and
    # the hold's done line took 3 of the 6 it reserved (_free_reservation), so it reserves
    # only the 3 left in Input. 18-19: the step was pushed for the 6 received and now moves
    # the 3 left (passes against real 17, 18 and 19; a real 16 did as 17).
    wh = await make.warehouse("two_steps")
    bolt, order, line = await make.one_line_order(10, picking_type=wh["in_type_id"][0])
    await gateway.apply_receipt(ReceiptWrite(order, (ReceivedLine(line, D(6)),)))
    await gateway.apply_quality_hold(
        QualityHoldWrite(order, (HeldLine(line, D(3)),), _hold("crushed"))
    )
    inp, quarantine = wh["wh_input_stock_loc_id"][1], f"{wh['code']}/Quarantine"
    assert await make.quants(bolt) == {(inp, None): 3.0, (quarantine, None): 3.0}
    [chained] = await _moves(make, await _step_to_stock(make, wh, order))
    if _pushed_when_done(make):
        assert (chained["state"], chained["product_uom_qty"], chained["quantity"]) == (
            "assigned",
            3,
            3,
        )
    else:
        assert (chained["state"], chained["product_uom_qty"], chained["quantity"]) == (
            "partially_available",
            7,
            3,
        )
    assert await _taken_from(make, chained) == {inp: 3.0}


async def test_quality_hold_with_two_steps_takes_the_goods_from_input_and_out_of_the_chain(
    make: Fixture, gateway: OdooGateway
) -> None:
    wh = await make.warehouse("two_steps")
    bolt, order, line = await make.one_line_order(10, "lot", picking_type=wh["in_type_id"][0])
    lot = f"L-{_tag()}"
    await gateway.apply_receipt(
        ReceiptWrite(order, (ReceivedLine(line, D(10), (ReceivedLot(lot, D(10)),)),))
    )
    inp, stock, quarantine = (
        wh["wh_input_stock_loc_id"][1],
        wh["lot_stock_id"][1],
        f"{wh['code']}/Quarantine",
    )
    assert await make.quants(bolt) == {(inp, lot): 10.0}

    hold = _hold("failed hardness test")
    await gateway.apply_quality_hold(QualityHoldWrite(order, (HeldLine(line, D(4), lot),), hold))
    assert await make.quants(bolt) == {(inp, lot): 6.0, (quarantine, lot): 4.0}
    [_receipt, internal, *_] = await _pickings(make, order)
    [chained] = await _moves(make, internal)
    assert (chained["product_uom_qty"], chained["quantity"], chained["state"]) == (
        6,
        6,
        "assigned",
    )

    await _validate_all(make, internal)  # the rest goes on to stock; the held goods stay
    assert await make.quants(bolt) == {(stock, lot): 6.0, (quarantine, lot): 4.0}


async def test_quality_hold_with_three_steps_reduces_every_step_still_to_come(
    make: Fixture, gateway: OdooGateway
) -> None:
    wh = await make.warehouse("three_steps")
    bolt, order, line = await make.one_line_order(10, picking_type=wh["in_type_id"][0])
    await gateway.apply_receipt(ReceiptWrite(order, (ReceivedLine(line, D(10)),)))
    if _pushed_when_done(make):  # the step to stock comes once quality control is done
        _receipt, to_qc = await _pickings(make, order)
    else:
        _receipt, to_qc, to_stock = await _pickings(make, order)
        assert to_stock["location_id"][0] == wh["wh_qc_stock_loc_id"][0]
    assert to_qc["location_dest_id"][0] == wh["wh_qc_stock_loc_id"][0]
    if make.dialect.major >= 18:  # the steps' own operation types (checked on 18 and 19)
        [types] = await make.call(
            "stock.warehouse", "read", [wh["id"]], fields=["qc_type_id", "store_type_id"]
        )
        assert to_qc["picking_type_id"][0] == types["qc_type_id"][0]

    await gateway.apply_quality_hold(
        QualityHoldWrite(order, (HeldLine(line, D(3)),), _hold("dented"))
    )
    quarantine = f"{wh['code']}/Quarantine"
    inp, qc, stock = (
        wh["wh_input_stock_loc_id"][1],
        wh["wh_qc_stock_loc_id"][1],
        wh["lot_stock_id"][1],
    )
    assert await make.quants(bolt) == {(inp, None): 7.0, (quarantine, None): 3.0}
    [first] = await _moves(make, to_qc)
    assert (first["product_uom_qty"], first["state"]) == (7, "assigned")
    if not _pushed_when_done(make):
        [second] = await _moves(make, to_stock)
        assert (second["product_uom_qty"], second["state"]) == (7, "waiting")

    await _validate_all(make, to_qc)
    if _pushed_when_done(make):
        [to_stock] = [
            p
            for p in await _pickings(make, order)
            if p["location_id"][0] == wh["wh_qc_stock_loc_id"][0]
            and p["location_dest_id"][0] == wh["lot_stock_id"][0]
        ]
    [second] = await _moves(make, to_stock)
    assert (second["quantity"], second["state"]) == (7, "assigned")
    if make.dialect.major >= 18:
        assert to_stock["picking_type_id"][0] == types["store_type_id"][0]
    assert await make.quants(bolt) == {(qc, None): 7.0, (quarantine, None): 3.0}

    # Once the goods are in Quality Control, a second hold takes them from there.
    await gateway.apply_quality_hold(
        QualityHoldWrite(order, (HeldLine(line, D(2)),), _hold("rust"))
    )
    assert await make.quants(bolt) == {(qc, None): 5.0, (quarantine, None): 5.0}
    await _validate_all(make, to_stock)
    assert await make.quants(bolt) == {(stock, None): 5.0, (quarantine, None): 5.0}


@dataclass
class HeldAtReceipt:
    wh: dict[str, Any]
    bolt: int
    order: int
    line: int
    inp: str  # the warehouse's Input location, by name
    quarantine: str
    internal: dict[str, Any]  # the step after the receipt
    chained: dict[str, Any]  # its move


async def _received_ten_holding_three(make: Fixture, gateway: OdooGateway) -> HeldAtReceipt:
    """A two-step receipt of 10 with 3 held at receipt (wet cartons)."""
    wh = await make.warehouse("two_steps")
    bolt, order, line = await make.one_line_order(10, picking_type=wh["in_type_id"][0])
    await gateway.apply_receipt(
        ReceiptWrite(order, (ReceivedLine(line, D(10), held=D(3)),), hold=_hold("wet cartons"))
    )
    [_receipt, internal] = await _pickings(make, order)
    [chained] = await _moves(make, internal)
    inp, quarantine = wh["wh_input_stock_loc_id"][1], f"{wh['code']}/Quarantine"
    return HeldAtReceipt(wh, bolt, order, line, inp, quarantine, internal, chained)


async def test_goods_held_at_a_two_step_receipt_are_not_expected_in_stock(
    make: Fixture, gateway: OdooGateway
) -> None:
    got = await _received_ten_holding_three(make, gateway)
    wh, bolt, inp, quarantine = got.wh, got.bolt, got.inp, got.quarantine
    internal, chained = got.internal, got.chained
    assert await make.quants(bolt) == {(inp, None): 7.0, (quarantine, None): 3.0}
    assert (chained["product_uom_qty"], chained["quantity"], chained["state"]) == (
        7,
        7,
        "assigned",
    )
    await _validate_all(make, internal)
    assert await make.quants(bolt) == {
        (wh["lot_stock_id"][1], None): 7.0,
        (quarantine, None): 3.0,
    }


async def test_a_retried_hold_resumes_its_transfer_and_moves_the_goods_once(
    make: Fixture, gateway: OdooGateway
) -> None:
    wh = await make.warehouse("two_steps")
    bolt, order, line = await make.one_line_order(10, picking_type=wh["in_type_id"][0])
    await gateway.apply_receipt(ReceiptWrite(order, (ReceivedLine(line, D(10)),)))
    [po] = await make.call("purchase.order", "read", [order], fields=["name"])
    inspection = f"QI-{_tag()}"
    hold = QualityHold(None, "bent", f"corr-{_tag()}", reference=inspection)
    # An attempt that stopped after creating its transfer: a draft under the hold's origin.
    quarantine_id = await make.call(
        "stock.location", "create", {"name": "Quarantine", "location_id": wh["view_location_id"][0]}
    )
    [int_type] = await make.call("stock.warehouse", "read", [wh["id"]], fields=["int_type_id"])
    await make.call(
        "stock.picking",
        "create",
        {
            "picking_type_id": int_type["int_type_id"][0],
            "location_id": wh["wh_input_stock_loc_id"][0],
            "location_dest_id": quarantine_id,
            "origin": f"{po['name']} {inspection}",
            "move_ids": [
                [
                    0,
                    0,
                    {
                        **({"name": "held"} if make.dialect.has_move_name else {}),
                        "product_id": bolt,
                        "product_uom": await make.uom("Units"),
                        "product_uom_qty": 4,
                        "location_id": wh["wh_input_stock_loc_id"][0],
                        "location_dest_id": quarantine_id,
                    },
                ]
            ],
        },
    )
    write = QualityHoldWrite(order, (HeldLine(line, D(4)),), hold)
    await gateway.apply_quality_hold(write)
    await gateway.apply_quality_hold(write)  # and once more, as a retried job would
    inp, quarantine = wh["wh_input_stock_loc_id"][1], f"{wh['code']}/Quarantine"
    assert await make.quants(bolt) == {(inp, None): 6.0, (quarantine, None): 4.0}
    holds = await make.call(
        "stock.picking", "search", [("origin", "=", f"{po['name']} {inspection}")]
    )
    assert len(holds) == 1
    [_receipt, internal, *_] = [p for p in await _pickings(make, order) if p["id"] not in holds]
    [chained] = await _moves(make, internal)
    assert (chained["product_uom_qty"], chained["state"]) == (6, "assigned")


async def _taken_from(make: Fixture, move: dict[str, Any]) -> dict[str, float]:
    """Where a move's reserved lines take its goods from: location name -> quantity."""
    reserved = make.dialect.move_line_reserved  # 16: reserved_uom_qty
    rows = await make.call(
        "stock.move.line",
        "search_read",
        [("move_id", "=", move["id"])],
        fields=["location_id", reserved],
    )
    out: dict[str, float] = {}
    for row in rows:
        out[row["location_id"][1]] = out.get(row["location_id"][1], 0.0) + row[reserved]
    return out


async def test_goods_held_at_receipt_stay_out_of_the_chain_when_a_later_hold_reserves_it_again(
    make: Fixture, gateway: OdooGateway
) -> None:
    # 19 reserves the step after a receipt from wherever the receipt put the goods,
    # quarantine included, and reserves it so again on every action_assign.
    got = await _received_ten_holding_three(make, gateway)
    bolt, order, line, inp, quarantine = got.bolt, got.order, got.line, got.inp, got.quarantine
    internal, chained, stock = got.internal, got.chained, got.wh["lot_stock_id"][1]
    assert await _taken_from(make, chained) == {inp: 7.0}

    await gateway.apply_quality_hold(
        QualityHoldWrite(order, (HeldLine(line, D(2)),), _hold("torn labels"))
    )
    assert await make.quants(bolt) == {(inp, None): 5.0, (quarantine, None): 5.0}
    [chained] = await _moves(make, internal)
    assert (chained["product_uom_qty"], chained["quantity"], chained["state"]) == (
        5,
        5,
        "assigned",
    )
    assert await _taken_from(make, chained) == {inp: 5.0}
    await _validate_all(make, internal)
    assert await make.quants(bolt) == {(stock, None): 5.0, (quarantine, None): 5.0}


@pytest.mark.versions(18, 19)
async def test_the_step_after_a_receipt_reserves_goods_received_into_quarantine_on_19_only(
    make: Fixture,
) -> None:
    # Odoo itself, without the gateway's hold code: a receipt of 10 puts 7 into Input and 3
    # straight into quarantine. Both push the 10 on; 19 reserves them from wherever they lie
    # (quarantine too), 18 only from inside the step's source (checked on real ones).
    wh = await make.warehouse("two_steps")
    quarantine_id = await make.call(
        "stock.location",
        "create",
        {"name": "Quarantine", "location_id": wh["view_location_id"][0], "usage": "internal"},
    )
    bolt, order, _line = await make.one_line_order(10, picking_type=wh["in_type_id"][0])
    [receipt] = await _pickings(make, order)
    [received] = await make.call(
        "stock.move", "read", receipt["move_ids"], fields=["move_line_ids", "product_uom"]
    )
    [first, *_] = received["move_line_ids"]
    await make.call("stock.move.line", "write", [first], {"quantity": 7})
    await make.call(
        "stock.move.line",
        "create",
        {
            "move_id": received["id"],
            "picking_id": receipt["id"],
            "product_id": bolt,
            "product_uom_id": received["product_uom"][0],
            "quantity": 3,
            "location_id": receipt["location_id"][0],
            "location_dest_id": quarantine_id,
        },
    )
    await make.call("stock.move", "write", [received["id"]], {"picked": True})
    await make.call("stock.picking", "button_validate", [receipt["id"]])
    inp, quarantine = wh["wh_input_stock_loc_id"][1], f"{wh['code']}/Quarantine"
    assert await make.quants(bolt) == {(inp, None): 7.0, (quarantine, None): 3.0}

    [internal] = [p for p in await _pickings(make, order) if p["id"] != receipt["id"]]
    [chained] = await _moves(make, internal)
    if make.dialect.major >= 19:
        assert (chained["state"], chained["product_uom_qty"], chained["quantity"]) == (
            "assigned",
            10,
            10,
        )
        assert await _taken_from(make, chained) == {inp: 7.0, quarantine: 3.0}
    else:
        assert (chained["state"], chained["product_uom_qty"], chained["quantity"]) == (
            "partially_available",
            10,
            7,
        )
        assert await _taken_from(make, chained) == {inp: 7.0}
        # Its demand lowered to what it reserves, it is ready and keeps its reservation.
        await make.call("stock.move", "write", [chained["id"]], {"product_uom_qty": 7})
        [chained] = await _moves(make, internal)
        assert (chained["state"], chained["quantity"]) == ("assigned", 7)
        assert await _taken_from(make, chained) == {inp: 7.0}
