"""Receipts read from Odoo: an order's incoming pickings with their moves, and what its
validated receipts brought in, per order line with lots (reference sections 3.7-3.8).

Received quantities come from the done moves (16 ``quantity_done``, 17+ ``quantity``); lots
and serials from their ``stock.move.line`` (``lot_id`` or, before the lot exists,
``lot_name``; 16 ``qty_done``, 17+ ``quantity``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from procurelink.adapters.odoo.dialect import Dialect
from procurelink.adapters.odoo.mapping import dec, m2o_id, m2o_name, text
from procurelink.adapters.odoo.rpc import OdooRpc
from procurelink.ports.erp import ReceivedLine, ReceivedLot
from procurelink.ports.erp_reads import DoneReceipt, IncomingMove, IncomingPicking

Row = dict[str, Any]
PICKING_FIELDS = [
    "name",
    "origin",
    "state",
    "picking_type_id",
    "picking_type_code",
    "scheduled_date",
    "date_deadline",
    "date_done",
    "backorder_id",
    "move_ids",
]
MOVE_FIELDS = ["purchase_line_id", "product_id", "product_uom_qty", "product_uom", "state", "date"]


def moment(value: Any) -> datetime | None:
    """Odoo's naive UTC ``YYYY-MM-DD HH:MM:SS`` (False when empty)."""
    return datetime.fromisoformat(str(value)) if value else None


class ReceiptReader:
    def __init__(self, rpc: OdooRpc) -> None:
        self.rpc = rpc

    async def _read(self, model: str, ids: Sequence[int], fields: list[str]) -> list[Row]:
        if not ids:
            return []
        return list(await self.rpc.execute_kw(model, "read", [list(ids)], {"fields": fields}))

    async def _pickings(self, order_id: int) -> list[Row]:
        orders = await self._read("purchase.order", [order_id], ["picking_ids"])
        if not orders:
            return []
        rows = await self._read("stock.picking", orders[0]["picking_ids"], PICKING_FIELDS)
        return sorted(
            (r for r in rows if r["picking_type_code"] == "incoming"), key=lambda r: r["id"]
        )

    async def _moves(self, pickings: list[Row], dialect: Dialect) -> dict[int, Row]:
        ids = [m for p in pickings for m in p["move_ids"]]
        rows = await self._read("stock.move", ids, [*MOVE_FIELDS, dialect.move_quantity])
        return {r["id"]: r for r in rows}

    async def incoming_pickings(self, order_odoo_id: int) -> list[IncomingPicking]:
        dialect = await self.rpc.dialect()
        pickings = await self._pickings(order_odoo_id)
        moves = await self._moves(pickings, dialect)
        return [
            IncomingPicking(
                odoo_id=p["id"],
                name=str(p["name"]),
                origin=text(p.get("origin")),
                state=str(p["state"]),
                picking_type_id=m2o_id(p["picking_type_id"]) or 0,
                scheduled_date=moment(p.get("scheduled_date")),
                date_deadline=moment(p.get("date_deadline")),
                date_done=moment(p.get("date_done")),
                backorder_of=m2o_id(p.get("backorder_id")),
                moves=tuple(_move(moves[m], dialect) for m in sorted(p["move_ids"]) if m in moves),
            )
            for p in pickings
        ]

    async def done_receipts(self, order_odoo_id: int) -> list[DoneReceipt]:
        dialect = await self.rpc.dialect()
        pickings = [p for p in await self._pickings(order_odoo_id) if p["state"] == "done"]
        moves = {
            i: m
            for i, m in (await self._moves(pickings, dialect)).items()
            if m["state"] == "done" and m.get("purchase_line_id")
        }
        lines = await self.rpc.execute_kw(
            "stock.move.line",
            "search_read",
            [[("move_id", "in", sorted(moves))]],
            {"fields": ["move_id", "lot_id", "lot_name", dialect.move_line_quantity]},
        )
        lots = _lots_per_move(lines, dialect)
        return [
            DoneReceipt(
                odoo_id=p["id"],
                name=str(p["name"]),
                date_done=moment(p.get("date_done")),
                lines=_received(
                    [moves[m] for m in sorted(p["move_ids"]) if m in moves], lots, dialect
                ),
            )
            for p in pickings
        ]


def _move(row: Row, dialect: Dialect) -> IncomingMove:
    return IncomingMove(
        odoo_id=row["id"],
        odoo_line_id=m2o_id(row.get("purchase_line_id")),
        product_id=m2o_id(row["product_id"]) or 0,
        demand=dec(row["product_uom_qty"]),
        quantity=dec(row.get(dialect.move_quantity)),
        uom=m2o_name(row.get("product_uom")) or "",
        state=str(row["state"]),
        date=moment(row.get("date")),
    )


def _lots_per_move(lines: Sequence[Row], dialect: Dialect) -> dict[int, dict[str, Decimal]]:
    lots: dict[int, dict[str, Decimal]] = {}
    for line in sorted(lines, key=lambda r: r["id"]):
        name = m2o_name(line.get("lot_id")) or text(line.get("lot_name"))
        if name:
            per_move = lots.setdefault(m2o_id(line["move_id"]) or 0, {})
            per_move[name] = per_move.get(name, Decimal(0)) + dec(
                line.get(dialect.move_line_quantity)
            )
    return lots


def _received(
    moves: Sequence[Row], lots: dict[int, dict[str, Decimal]], dialect: Dialect
) -> tuple[ReceivedLine, ...]:
    """One line per order line: a line can have several moves in one picking."""
    quantities: dict[int, Decimal] = {}
    line_lots: dict[int, dict[str, Decimal]] = {}
    for move in moves:
        line_id = m2o_id(move["purchase_line_id"]) or 0
        quantities[line_id] = quantities.get(line_id, Decimal(0)) + dec(
            move.get(dialect.move_quantity)
        )
        for name, qty in lots.get(move["id"], {}).items():
            merged = line_lots.setdefault(line_id, {})
            merged[name] = merged.get(name, Decimal(0)) + qty
    return tuple(
        ReceivedLine(
            odoo_line_id=line_id,
            quantity=qty,
            lots=tuple(ReceivedLot(n, q) for n, q in sorted(line_lots.get(line_id, {}).items())),
        )
        for line_id, qty in sorted(quantities.items())
    )
