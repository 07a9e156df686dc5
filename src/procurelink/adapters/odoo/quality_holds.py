"""A quality result's hold after receipt: an internal transfer of the held goods from the
warehouse's stock location into quarantine, validated at once (reference 3.7, 4).

Calls: the transfer is created with its moves (one ``create``), confirmed (Odoo may reserve
whatever lots it likes), its lines replaced by the held lots (one ``write``), validated
without backorder, re-read; then the buyer's note and To-Do (``holds``). Quantities above
what the line received, unknown lots and tracked goods without lots are refused before
anything is written.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from procurelink.adapters.odoo.holds import Holds, describe
from procurelink.adapters.odoo.move_lines import MoveLines, Unit, check_tracking
from procurelink.adapters.odoo.rpc import OdooRpc
from procurelink.errors import ErpError
from procurelink.ports.erp import QualityHoldWrite


class QualityHoldWriter:
    def __init__(self, rpc: OdooRpc) -> None:
        self.rpc = rpc

    async def apply(self, write: QualityHoldWrite) -> None:
        """An internal transfer of the held goods into quarantine, validated."""
        holds = Holds(self.rpc)
        dialect = await self.rpc.dialect()
        order = await holds.order(write.order_odoo_id)
        warehouse = await holds.warehouse(order)
        quarantine = await holds.quarantine(write.hold, order)
        line_ids = sorted({ln.odoo_line_id for ln in write.lines})
        lines = await self.rpc.execute_kw(
            "purchase.order.line",
            "read",
            [line_ids],
            {"fields": ["order_id", "product_id", dialect.line_uom, "qty_received", "name"]},
        )
        by_id = {r["id"]: r for r in lines}
        for held in write.lines:
            line = by_id.get(held.odoo_line_id)
            if line is None or _m2o(line["order_id"]) != write.order_odoo_id:
                raise ErpError(f"purchase.order.line {held.odoo_line_id} is not on the order")
        totals: dict[int, Decimal] = {}
        for held in write.lines:
            totals[held.odoo_line_id] = totals.get(held.odoo_line_id, Decimal(0)) + held.quantity
        for line_id, qty in totals.items():
            if Decimal(repr(by_id[line_id]["qty_received"])) < qty:
                raise ErpError(
                    f"purchase.order.line {line_id}: {qty} to hold, only "
                    f"{by_id[line_id]['qty_received']} received",
                    model="purchase.order.line",
                    odoo_id=line_id,
                )
        writer = MoveLines(self.rpc, dialect)
        products = await writer.products(_m2o(by_id[i]["product_id"]) or 0 for i in line_ids)
        units = {
            i: [Unit(h.quantity, lot=h.lot) for h in write.lines if h.odoo_line_id == i]
            for i in line_ids
        }
        for line_id in line_ids:
            product = products[_m2o(by_id[line_id]["product_id"]) or 0]
            check_tracking(product, units[line_id], totals[line_id])
        source = _m2o(warehouse["lot_stock_id"])
        picking_type = _m2o(warehouse["int_type_id"])
        if not source or not picking_type:
            raise ErpError(f"warehouse {warehouse['code']} has no stock location or internal type")
        picking_id = await self.rpc.execute_kw(
            "stock.picking",
            "create",
            [
                {
                    "picking_type_id": picking_type,
                    "location_id": source,
                    "location_dest_id": quarantine,
                    "origin": order["name"],
                    "move_ids": [
                        [
                            0,
                            0,
                            {
                                # 19's stock.move has no ``name`` (its label is computed).
                                **({"name": by_id[i]["name"]} if dialect.has_move_name else {}),
                                "product_id": _m2o(by_id[i]["product_id"]),
                                "product_uom": _m2o(by_id[i][dialect.line_uom]),
                                "product_uom_qty": float(totals[i]),
                                "location_id": source,
                                "location_dest_id": quarantine,
                            },
                        ]
                        for i in line_ids
                    ],
                }
            ],
        )
        picking_id = int(picking_id if isinstance(picking_id, int) else picking_id[0])
        await self.rpc.execute_kw("stock.picking", "action_confirm", [[picking_id]])
        moves = await self.rpc.execute_kw(
            "stock.move",
            "search_read",
            [[("picking_id", "=", picking_id)]],
            {
                "fields": [
                    "product_id",
                    "product_uom",
                    "picking_id",
                    "location_id",
                    "location_dest_id",
                    "move_line_ids",
                ]
            },
        )
        line_of_product = {_m2o(by_id[i]["product_id"]): i for i in line_ids}
        wanted_lots = {
            _m2o(by_id[i]["product_id"]) or 0: {u.lot for u in units[i] if u.lot} for i in line_ids
        }
        lots = await writer.lots(wanted_lots)
        missing = [
            (p, name) for p, names in wanted_lots.items() for name in names if (p, name) not in lots
        ]
        if missing:
            raise ErpError(f"lots to hold not found in Odoo: {sorted(n for _, n in missing)}")
        commands: list[Any] = []
        for move in moves:
            line_id = line_of_product[_m2o(move["product_id"])]
            commands += writer.commands(move, units[line_id], picked=True, lots=lots, packages={})
        await self.rpc.execute_kw(
            "stock.picking", "write", [[picking_id], {"move_line_ids": commands}]
        )
        context = {"skip_backorder": True, "picking_ids_not_to_backorder": [picking_id]}
        await self.rpc.execute_kw(
            "stock.picking", "button_validate", [[picking_id]], {"context": context}
        )
        [after] = await self.rpc.execute_kw(
            "stock.picking", "read", [[picking_id]], {"fields": ["state"]}
        )
        if after["state"] != "done":
            raise ErpError(
                f"stock.picking {picking_id} (quarantine transfer) not validated "
                f"(state {after['state']})",
                model="stock.picking",
                odoo_id=picking_id,
            )
        where = await holds.location_name(quarantine)
        what = [describe(products, by_id[i], units[i], dialect.line_uom) for i in line_ids]
        await holds.notify_buyer(order, write.hold, what, where)


def _m2o(value: Any) -> int | None:
    if isinstance(value, list | tuple) and value:
        return int(value[0])
    return int(value) if isinstance(value, int) and value else None
