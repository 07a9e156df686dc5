"""Ship notices written to Odoo: the open receipt prepared, never validated (reference 3.7-3.8).

Per open incoming picking of the order, one ``write``:

* ``scheduled_date`` (its inverse moves the receipt's moves along) when the notice has a date;
* the shipped quantity on each announced move (``quantity``, without ``picked``: nothing is
  received yet; 16: ``quantity_done``);
* for announced lots, serials and packages, move lines of their own (``lot_name``/``lot_id``,
  ``result_package_id`` found or created by SSCC), replacing the lines Odoo reserved. Lines
  an earlier notice gave a lot or package are kept, so two notices for one order add up.
  The product's tracking decides: lots of untracked products are dropped (packages kept),
  serial-tracked products take one line of quantity 1 per serial.

Then one ``message_post`` on the order. The goods receipt later validates what arrived.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from procurelink.adapters.odoo.move_lines import MoveLines, Unit, distribute, lot_names
from procurelink.adapters.odoo.receipts import ReceiptWriter, plan_quantities
from procurelink.adapters.odoo.rpc import OdooRpc
from procurelink.errors import ErpError
from procurelink.ports.erp import ReceivedLine, ShipNoticeWrite

DATE_TIME = "12:00:00"  # the gateway's convention for a calendar day (midday UTC)


class ShipNoticeWriter:
    def __init__(self, rpc: OdooRpc) -> None:
        self.rpc = rpc

    async def apply(self, write: ShipNoticeWrite) -> None:
        dialect = await self.rpc.dialect()
        vals_by_picking: dict[int, dict[str, Any]] = {}
        if write.lines:
            moves = await ReceiptWriter(self.rpc).open_moves(write.order_odoo_id)
            picking_ids = sorted({_m2o(m["picking_id"]) or 0 for m in moves})
            plan = plan_quantities(
                moves, [ReceivedLine(ln.odoo_line_id, ln.quantity) for ln in write.lines]
            )
            writer = MoveLines(self.rpc, dialect)
            products = await writer.products(_m2o(m["product_id"]) or 0 for m in moves)
            detail = self._detail(moves, write, plan, products)
            existing = await self._kept_lines(moves)
            lots = await writer.lots(lot_names(moves, detail))
            packages = await writer.packages(
                u.package for units in detail.values() for u in units if u.package
            )
            announced = {ln.odoo_line_id for ln in write.lines}
            for move in moves:
                if _m2o(move["purchase_line_id"]) not in announced:
                    continue  # not in this shipment: left as it is
                picking = _m2o(move["picking_id"]) or 0
                vals = vals_by_picking.setdefault(picking, {})
                if move["id"] in detail:
                    keep = existing.get(move["id"], set())
                    commands = writer.commands(
                        {
                            **move,
                            "move_line_ids": [i for i in move["move_line_ids"] if i not in keep],
                        },
                        detail[move["id"]],
                        picked=False,
                        lots=lots,
                        packages=packages,
                    )
                    vals.setdefault("move_line_ids", []).extend(commands)
                else:
                    qty = plan.get(picking, {}).get(move["id"], 0.0)
                    vals.setdefault("move_ids", []).append(
                        [1, move["id"], {dialect.move_quantity: qty}]
                    )
        else:
            picking_ids = await self._open_receipts(write.order_odoo_id)
        if write.expected_date is not None:
            for picking in picking_ids:
                vals_by_picking.setdefault(picking, {})["scheduled_date"] = (
                    f"{write.expected_date.isoformat()} {DATE_TIME}"
                )
        for picking, vals in sorted(vals_by_picking.items()):
            if vals:
                await self.rpc.execute_kw("stock.picking", "write", [[picking], vals])
        await self.rpc.execute_kw(
            "purchase.order",
            "message_post",
            [[write.order_odoo_id]],
            {"body": write.note, "message_type": "comment", "subtype_xmlid": "mail.mt_note"},
        )

    async def _open_receipts(self, order_id: int) -> list[int]:
        rows = await self.rpc.execute_kw(
            "purchase.order", "read", [[order_id]], {"fields": ["picking_ids"]}
        )
        if not rows:
            raise ErpError(
                f"purchase.order {order_id} not found", model="purchase.order", odoo_id=order_id
            )
        pickings = await self.rpc.execute_kw(
            "stock.picking",
            "read",
            [rows[0]["picking_ids"]],
            {"fields": ["state", "picking_type_code"]},
        )
        return [
            p["id"]
            for p in pickings
            if p["picking_type_code"] == "incoming" and p["state"] not in ("done", "cancel")
        ]

    async def _kept_lines(self, moves: list[dict[str, Any]]) -> dict[int, set[int]]:
        """Move lines an earlier notice gave a lot or package (kept), per move."""
        ids = [i for m in moves for i in m["move_line_ids"]]
        if not ids:
            return {}
        rows = await self.rpc.execute_kw(
            "stock.move.line",
            "read",
            [ids],
            {"fields": ["move_id", "lot_id", "lot_name", "result_package_id"]},
        )
        kept: dict[int, set[int]] = {}
        for row in rows:
            if row["lot_id"] or row["lot_name"] or row["result_package_id"]:
                kept.setdefault(_m2o(row["move_id"]) or 0, set()).add(row["id"])
        return kept

    @staticmethod
    def _detail(
        moves: list[dict[str, Any]],
        write: ShipNoticeWrite,
        plan: dict[int, dict[int, float]],
        products: dict[int, dict[str, Any]],
    ) -> dict[int, list[Unit]]:
        share = {m: q for quantities in plan.values() for m, q in quantities.items()}
        detail: dict[int, list[Unit]] = {}
        for line in write.lines:
            if not line.units:
                continue
            units = [Unit(u.quantity, lot=u.lot, package=u.package) for u in line.units]
            if sum((u.quantity for u in units), Decimal(0)) != line.quantity:
                raise ErpError(
                    f"purchase.order.line {line.odoo_line_id}: lots and packages add up to "
                    f"{sum((u.quantity for u in units), Decimal(0))}, not {line.quantity}"
                )
            line_moves = sorted(
                (m for m in moves if _m2o(m["purchase_line_id"]) == line.odoo_line_id),
                key=lambda m: (_m2o(m["picking_id"]) or 0, m["id"]),
            )
            product = products.get(_m2o(line_moves[0]["product_id"]) or 0, {})
            if (product.get("tracking") or "none") == "none":
                # Odoo keeps no lots for untracked products: only packages stay.
                units = [Unit(u.quantity, package=u.package) for u in units]
                if not any(u.package for u in units):
                    continue
            if product.get("tracking") == "serial" and any(
                u.lot and u.quantity != 1 for u in units
            ):
                raise ErpError(
                    f"{product.get('display_name')} is tracked by serial number: "
                    "one unit per serial"
                )
            shares = [(m["id"], Decimal(repr(share.get(m["id"], 0.0)))) for m in line_moves]
            detail.update({m: u for m, u in distribute(shares, units).items() if u})
        return detail


def _m2o(value: Any) -> int | None:
    if isinstance(value, list | tuple) and value:
        return int(value[0])
    return int(value) if isinstance(value, int) and value else None
