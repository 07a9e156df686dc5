"""Goods receipts written to Odoo: validating the order's incoming picking (reference 3.7-3.8).

The recipe, per picking that received anything:

1. one ``write`` of the picking with ``(1, move_id, vals)`` commands setting every open
   move's received quantity (``quantity`` + ``picked`` in 17+, ``quantity_done`` in 16) —
   17 pre-fills ``quantity`` with the demand, so moves that got nothing are set to 0 too,
   or validating would receive everything (pitfall 13);
2. ``button_validate``; when it answers the backorder wizard action, nothing is validated
   yet: create ``stock.backorder.confirmation`` with the action's context (which carries
   ``button_validate_picking_ids``, without which the wizard does nothing) and call
   ``process`` (backorder) or ``process_cancel_backorder`` (rest cancelled);
3. re-read the picking's state: only ``done`` counts, whatever the calls returned.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from procurelink.adapters.odoo.dialect import Dialect
from procurelink.adapters.odoo.rpc import OdooRpc
from procurelink.errors import ErpError
from procurelink.ports.erp import ReceiptWrite, ReceivedLine

MOVE_FIELDS = ["picking_id", "purchase_line_id", "product_uom_qty", "state", "product_id"]
OPEN_MOVE = ("draft", "waiting", "confirmed", "partially_available", "assigned")
WIZARD = "stock.backorder.confirmation"

Plan = dict[int, dict[int, float]]  # picking id -> move id -> received quantity


class ReceiptWriter:
    def __init__(self, rpc: OdooRpc) -> None:
        self.rpc = rpc

    async def apply(self, write: ReceiptWrite) -> None:
        dialect = await self.rpc.dialect()
        moves = await self._open_moves(write.order_odoo_id)
        plan = plan_quantities(moves, write.lines)
        if any(ln.lots for ln in write.lines):
            # Lot lines (stock.move.line with lot_name) are not written yet: refusing is
            # better than receiving the goods without their lot numbers.
            raise ErpError("receipts with lot numbers are not supported yet")
        for picking_id, quantities in sorted(plan.items()):
            if not any(quantities.values()):
                continue  # nothing arrived for this picking: leave it open as it is
            await self._set_quantities(picking_id, quantities, dialect)
            await self._validate(picking_id, write.backorder)

    async def _open_moves(self, order_id: int) -> list[dict[str, Any]]:
        [order] = await self.rpc.execute_kw(
            "purchase.order", "read", [[order_id]], {"fields": ["picking_ids"]}
        )
        pickings = await self.rpc.execute_kw(
            "stock.picking",
            "read",
            [order["picking_ids"]],
            {"fields": ["state", "picking_type_code", "move_ids"]},
        )
        open_ids = [
            p["id"]
            for p in pickings
            if p["picking_type_code"] == "incoming" and p["state"] not in ("done", "cancel")
        ]
        if not open_ids:
            raise ErpError(
                f"purchase.order {order_id} has no open receipt",
                model="purchase.order",
                odoo_id=order_id,
            )
        move_ids = [m for p in pickings if p["id"] in open_ids for m in p["move_ids"]]
        rows = await self.rpc.execute_kw("stock.move", "read", [move_ids], {"fields": MOVE_FIELDS})
        return [r for r in rows if r["state"] in OPEN_MOVE]

    async def _set_quantities(
        self, picking_id: int, quantities: dict[int, float], dialect: Dialect
    ) -> None:
        commands: list[Any] = []
        for move_id, qty in sorted(quantities.items()):
            vals = dialect.received(qty)
            if dialect.has_picked and not qty:
                vals["picked"] = False  # nothing arrived: not part of this validation
            commands.append([1, move_id, vals])
        # One call for every move of the picking (pitfall 3).
        await self.rpc.execute_kw("stock.picking", "write", [[picking_id], {"move_ids": commands}])

    async def _validate(self, picking_id: int, backorder: str) -> None:
        result = await self.rpc.execute_kw("stock.picking", "button_validate", [[picking_id]])
        if isinstance(result, dict) and result.get("res_model") == WIZARD:
            context = dict(result.get("context") or {})
            wizard = await self.rpc.execute_kw(
                WIZARD, "create", [{"pick_ids": [[6, 0, [picking_id]]]}], {"context": context}
            )
            method = "process" if backorder == "create" else "process_cancel_backorder"
            await self.rpc.execute_kw(WIZARD, method, [[wizard]], {"context": context})
        [after] = await self.rpc.execute_kw(
            "stock.picking", "read", [[picking_id]], {"fields": ["state"]}
        )
        if after["state"] != "done":  # another wizard (16's immediate transfer, quality...)
            raise ErpError(
                f"stock.picking {picking_id} not validated (state {after['state']})",
                model="stock.picking",
                odoo_id=picking_id,
            )


def plan_quantities(moves: Sequence[dict[str, Any]], lines: Sequence[ReceivedLine]) -> Plan:
    """Spread each line's received quantity over its open moves, earliest picking first.

    A line can have several open moves (a quantity increase, an earlier backorder): each
    takes up to its demand, the last one the excess (over-delivery is Odoo's to accept).
    """
    received = {ln.odoo_line_id: Decimal(ln.quantity) for ln in lines}
    known = {_m2o(m["purchase_line_id"]) for m in moves}
    unknown = sorted(set(received) - known)
    if unknown:
        raise ErpError(f"no open receipt move for purchase.order.line {unknown}")
    plan: Plan = {}
    ordered = sorted(moves, key=lambda m: (_m2o(m["picking_id"]) or 0, m["id"]))
    last = {_m2o(m["purchase_line_id"]): m["id"] for m in ordered}
    for move in ordered:
        line_id = _m2o(move["purchase_line_id"]) or 0
        left = received.get(line_id, Decimal(0))
        demand = Decimal(repr(move["product_uom_qty"]))
        take = left if last[line_id] == move["id"] else min(left, demand)
        received[line_id] = left - take
        plan.setdefault(_m2o(move["picking_id"]) or 0, {})[move["id"]] = float(take)
    return plan


def _m2o(value: Any) -> int | None:
    if isinstance(value, list | tuple) and value:
        return int(value[0])
    return int(value) if isinstance(value, int) and value else None
