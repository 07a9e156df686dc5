"""Quality holds in Odoo Community (reference 3.7 and 4): held goods go to a quarantine
location and the buyer gets a chatter note and a To-Do activity.

Community has no quality holds (``quality_control`` is Enterprise), so a hold is a place:
an internal location outside the warehouse's stock location (by default ``<WH>/Quarantine``
under the warehouse's view location, created on first use). Nothing reserves or ships from
there; goods leave it only by an internal transfer a person validates.

* At receipt, held quantities are received straight into quarantine (their move lines'
  ``location_dest_id``), see ``receipts``.
* After receipt (a quality result), an internal transfer from the warehouse's stock location
  to quarantine is created and validated (``quality_holds``).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from procurelink.adapters.odoo.move_lines import Unit
from procurelink.adapters.odoo.rpc import OdooRpc
from procurelink.errors import ErpError
from procurelink.ports.erp import QualityHold

QUARANTINE = "Quarantine"


class Holds:
    def __init__(self, rpc: OdooRpc) -> None:
        self.rpc = rpc

    async def order(self, order_id: int) -> dict[str, Any]:
        rows = await self.rpc.execute_kw(
            "purchase.order",
            "read",
            [[order_id]],
            {"fields": ["name", "user_id", "picking_type_id", "company_id"]},
        )
        if not rows:
            raise ErpError(
                f"purchase.order {order_id} not found", model="purchase.order", odoo_id=order_id
            )
        return dict(rows[0])

    async def warehouse(self, order: dict[str, Any]) -> dict[str, Any]:
        [ptype] = await self.rpc.execute_kw(
            "stock.picking.type",
            "read",
            [[_m2o(order["picking_type_id"])]],
            {"fields": ["warehouse_id"]},
        )
        warehouse_id = _m2o(ptype["warehouse_id"])
        if not warehouse_id:
            raise ErpError(
                f"purchase.order {order['id']}: its operation type has no warehouse",
                model="purchase.order",
                odoo_id=order["id"],
            )
        [warehouse] = await self.rpc.execute_kw(
            "stock.warehouse",
            "read",
            [[warehouse_id]],
            {"fields": ["code", "view_location_id", "lot_stock_id", "int_type_id", "company_id"]},
        )
        return dict(warehouse)

    async def quarantine(self, hold: QualityHold, order: dict[str, Any]) -> int:
        """The quarantine location id: an XML id, a full name, or the plant's default.

        A full name that does not exist yet is created under its parent (which must exist);
        an XML id must exist.
        """
        where = hold.quarantine
        if where and "/" not in where and "." in where:
            module, name = where.split(".", 1)
            rows = await self.rpc.execute_kw(
                "ir.model.data",
                "search_read",
                [[("module", "=", module), ("name", "=", name), ("model", "=", "stock.location")]],
                {"fields": ["res_id"], "limit": 1},
            )
            if not rows:
                raise ErpError(f"quarantine location {where!r} does not exist in Odoo")
            return int(rows[0]["res_id"])
        if not where:
            warehouse = await self.warehouse(order)
            where = f"{warehouse['code']}/{QUARANTINE}"
        found = await self._location(where)
        if found:
            return found
        parent_name, _, leaf = where.rpartition("/")
        parent = await self._location(parent_name) if parent_name else None
        if not parent or not leaf:
            raise ErpError(f"quarantine location {where!r}: no parent location {parent_name!r}")
        created = await self.rpc.execute_kw(
            "stock.location",
            "create",
            [{"name": leaf, "location_id": parent, "usage": "internal"}],
        )
        return int(created if isinstance(created, int) else created[0])

    async def _location(self, complete_name: str) -> int | None:
        ids = await self.rpc.execute_kw(
            "stock.location",
            "search",
            [[("complete_name", "=", complete_name)]],
            {"limit": 1},
        )
        return int(ids[0]) if ids else None

    async def notify_buyer(
        self, order: dict[str, Any], hold: QualityHold, held: Sequence[str], where: str
    ) -> None:
        """A chatter note on the order and a To-Do for its buyer (once per hold)."""
        what = "; ".join(held)
        summary = f"Quality hold {hold.correlation_id}: {order['name']}"
        note = (
            f"Quality hold: {what} kept in {where}, out of stock. Reason: {hold.reason}. "
            f"Correlation id: {hold.correlation_id}"
        )
        await self.rpc.execute_kw(
            "purchase.order",
            "message_post",
            [[order["id"]]],
            {"body": note, "message_type": "comment", "subtype_xmlid": "mail.mt_note"},
        )
        existing = await self.rpc.execute_kw(
            "mail.activity",
            "search",
            [
                [
                    ("res_model", "=", "purchase.order"),
                    ("res_id", "=", order["id"]),
                    ("summary", "=", summary),
                ]
            ],
            {"limit": 1},
        )
        if existing:
            return  # a retried job: the buyer already has the To-Do
        vals: dict[str, Any] = {
            "res_id": order["id"],
            "summary": summary,
            "note": f"<p>{html.escape(note)}</p>",
        }
        buyer = _m2o(order.get("user_id"))
        if buyer:
            vals["user_id"] = buyer
        # With the document model as a context default, Odoo fills res_model_id and picks
        # the To-Do activity type itself (mail.activity ``_default_activity_type``).
        await self.rpc.execute_kw(
            "mail.activity", "create", [vals], {"context": {"default_res_model": "purchase.order"}}
        )

    async def location_name(self, location_id: int) -> str:
        [row] = await self.rpc.execute_kw(
            "stock.location", "read", [[location_id]], {"fields": ["complete_name"]}
        )
        return str(row["complete_name"])


def describe(
    products: dict[int, dict[str, Any]], line: dict[str, Any], units: Sequence[Unit], uom: str
) -> str:
    """``"3 Units of [PLT-1] Bolt (lots L1, L2)"`` for the note and the activity."""
    qty = sum((u.quantity for u in units), Decimal(0))
    product = products.get(_m2o(line["product_id"]) or 0, {})
    unit_name = line[uom][1] if isinstance(line.get(uom), list | tuple) else ""
    lots = sorted({u.lot for u in units if u.lot})
    text = f"{qty.normalize():f} {unit_name} of {product.get('display_name', line['name'])}"
    return text + (f" (lots {', '.join(lots)})" if lots else "")


def _m2o(value: Any) -> int | None:
    if isinstance(value, list | tuple) and value:
        return int(value[0])
    return int(value) if isinstance(value, int) and value else None
