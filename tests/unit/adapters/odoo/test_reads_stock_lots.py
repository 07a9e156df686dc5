"""Done receipts per order line with lots: how move lines add up (``reads_stock``)."""

from __future__ import annotations

from decimal import Decimal

from procurelink.adapters.odoo.dialect import Dialect
from procurelink.adapters.odoo.reads_stock import _lots_per_move, _received
from procurelink.ports.erp import ReceivedLine, ReceivedLot

D17, D16 = Dialect.of(17), Dialect.of(16)


def test_lots_of_two_moves_of_one_line_merge_by_name() -> None:
    lines = [
        {"id": 1, "move_id": [10, "m"], "lot_id": [5, "LOT-A"], "lot_name": False, "quantity": 4.0},
        {"id": 2, "move_id": [10, "m"], "lot_id": False, "lot_name": "LOT-B", "quantity": 2.0},
        {"id": 3, "move_id": [11, "m"], "lot_id": [5, "LOT-A"], "lot_name": "x", "quantity": 1.5},
        {"id": 4, "move_id": [12, "m"], "lot_id": False, "lot_name": False, "quantity": 3.0},
    ]
    moves = [
        {"id": 10, "purchase_line_id": [7, "l"], "quantity": 6.0},
        {"id": 11, "purchase_line_id": [7, "l"], "quantity": 1.5},
        {"id": 12, "purchase_line_id": [8, "l"], "quantity": 3.0},
    ]
    assert _received(moves, _lots_per_move(lines, D17), D17) == (
        ReceivedLine(
            7,
            Decimal("7.5"),
            (ReceivedLot("LOT-A", Decimal("5.5")), ReceivedLot("LOT-B", Decimal(2))),
        ),
        ReceivedLine(8, Decimal(3)),
    )


def test_odoo_16_counts_qty_done() -> None:
    lines = [{"id": 1, "move_id": [10, "m"], "lot_id": False, "lot_name": "S1", "qty_done": 1.0}]
    moves = [{"id": 10, "purchase_line_id": [7, "l"], "quantity_done": 1.0}]
    assert _received(moves, _lots_per_move(lines, D16), D16) == (
        ReceivedLine(7, Decimal(1), (ReceivedLot("S1", Decimal(1)),)),
    )
