"""A quality result's hold after receipt: an internal transfer of the held goods from where
they are into quarantine, validated at once (reference 3.7, 4).

Where they are is the destination of the last done move of the receipt's chain
(``chains``): WH/Stock with one-step reception, WH/Input (or Quality Control) with two or
three steps while the internal transfers wait; those waiting moves are reduced by the held
quantity first, so the held goods never flow on to stock, and reserve again afterwards.

Calls: the quarantine transfer created as a draft with its moves (one ``create``; its
``origin`` names the order and the hold's reference), the chain's transfers reduced (one
``write`` each), the quarantine transfer confirmed (Odoo may reserve whatever lots it likes),
its lines replaced by the held lots (one ``write``), validated without backorder, re-read; the
chain's transfers reserved again (``action_assign``); then the buyer's note and To-Do
(``holds``). Quantities above what the line received, unknown lots and tracked goods without
lots are refused before anything is written.

Odoo has no transaction across calls (pitfall 1): a hold with a reference resumes where a
failed attempt stopped, by the state of the transfer it finds under that origin: a draft
means the chain is not reduced yet, a confirmed one that only validation is left, a done one
that the goods are in quarantine already.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from procurelink.adapters.odoo.chains import Chains
from procurelink.adapters.odoo.holds import Holds, describe
from procurelink.adapters.odoo.move_lines import MoveLines, Unit, check_tracking
from procurelink.adapters.odoo.rpc import OdooRpc
from procurelink.errors import ErpError
from procurelink.ports.erp import QualityHoldWrite


@dataclass(frozen=True, slots=True)
class Transfer:
    origin: str
    picking_type: int
    source: int
    quarantine: int


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
        wanted_lots = {
            _m2o(by_id[i]["product_id"]) or 0: {u.lot for u in units[i] if u.lot} for i in line_ids
        }
        lots = await writer.lots(wanted_lots)
        missing = [
            (p, name) for p, names in wanted_lots.items() for name in names if (p, name) not in lots
        ]
        if missing:
            raise ErpError(f"lots to hold not found in Odoo: {sorted(n for _, n in missing)}")
        chains = Chains(self.rpc)
        placed = await chains.place(line_ids)
        stock = _m2o(warehouse["lot_stock_id"])
        sources = {i: placed[i].source or stock for i in line_ids}
        picking_type = _m2o(warehouse["int_type_id"])
        if not picking_type or not all(sources.values()):
            raise ErpError(f"warehouse {warehouse['code']} has no stock location or internal type")
        reference = write.hold.reference
        origin = f"{order['name']} {reference}" if reference else order["name"]
        for source in sorted({s for s in sources.values() if s}):
            here = [i for i in line_ids if sources[i] == source]
            transfer = Transfer(origin, picking_type, source, quarantine)
            found = await self._started(transfer) if reference else None
            picking_id, state = found or (
                await self._create(transfer, by_id, here, totals, dialect.line_uom),
                "draft",
            )
            if state == "draft":
                # The chain first: lowering its demand makes Odoo unreserve the held goods,
                # which the transfer then takes. Confirming marks it done (a retry skips it).
                await chains.take_out(placed, {i: totals[i] for i in here}, quarantine)
                await self.rpc.execute_kw("stock.picking", "action_confirm", [[picking_id]])
            if state != "done":
                await self._validate(picking_id, by_id, units, writer, lots)
        # What stays in the chain is reserved again (a no-op where nothing was unreserved),
        # never goods held at receipt (19 would take them from quarantine).
        await chains.reserve_again(
            sorted(
                {_m2o(m["picking_id"]) or 0 for p in placed.values() for s in p.ahead for m in s}
            ),
            quarantine,
        )
        where = await holds.location_name(quarantine)
        what = [describe(products, by_id[i], units[i], dialect.line_uom) for i in line_ids]
        await holds.notify_buyer(order, write.hold, what, where)

    async def _started(self, where: Transfer) -> tuple[int, str] | None:
        """The transfer a previous attempt of this hold created (id, state), if any."""
        rows = await self.rpc.execute_kw(
            "stock.picking",
            "search_read",
            [
                [
                    ("origin", "=", where.origin),
                    ("picking_type_id", "=", where.picking_type),
                    ("location_id", "=", where.source),
                    ("location_dest_id", "=", where.quarantine),
                    ("state", "!=", "cancel"),
                ]
            ],
            {"fields": ["state"], "order": "id desc", "limit": 1},
        )
        return (int(rows[0]["id"]), str(rows[0]["state"])) if rows else None

    async def _create(
        self,
        where: Transfer,
        by_id: dict[int, dict[str, Any]],
        line_ids: list[int],
        totals: dict[int, Decimal],
        uom: str,
    ) -> int:
        """The quarantine transfer with its moves, as a draft."""
        dialect = await self.rpc.dialect()
        picking_id = await self.rpc.execute_kw(
            "stock.picking",
            "create",
            [
                {
                    "picking_type_id": where.picking_type,
                    "location_id": where.source,
                    "location_dest_id": where.quarantine,
                    "origin": where.origin,
                    "move_ids": [
                        [
                            0,
                            0,
                            {
                                # 19's stock.move has no ``name`` (its label is computed).
                                **({"name": by_id[i]["name"]} if dialect.has_move_name else {}),
                                "product_id": _m2o(by_id[i]["product_id"]),
                                "product_uom": _m2o(by_id[i][uom]),
                                "product_uom_qty": float(totals[i]),
                                "location_id": where.source,
                                "location_dest_id": where.quarantine,
                            },
                        ]
                        for i in line_ids
                    ],
                }
            ],
        )
        return int(picking_id if isinstance(picking_id, int) else picking_id[0])

    async def _validate(
        self,
        picking_id: int,
        by_id: dict[int, dict[str, Any]],
        units: dict[int, list[Unit]],
        writer: MoveLines,
        lots: dict[tuple[int, str], int],
    ) -> None:
        """The held lots as the transfer's lines (Odoo's reservation replaced), validated."""
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
        line_of_product = {_m2o(by_id[i]["product_id"]): i for i in by_id}
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


def _m2o(value: Any) -> int | None:
    if isinstance(value, list | tuple) and value:
        return int(value[0])
    return int(value) if isinstance(value, int) and value else None
