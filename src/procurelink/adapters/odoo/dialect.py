"""Field names and conventions that differ between Odoo 16, 17, 18 and 19 (reference §6).

The gateway asks the server its version once and maps with the matching ``Dialect``, so
the same code reads and writes every supported version. Only what the adapter touches is
listed; the reference's version table has the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

OLDEST, NEWEST = 16, 19


@dataclass(frozen=True, slots=True)
class Dialect:
    major: int
    line_uom: str  # purchase.order.line unit
    line_taxes: str  # purchase.order.line taxes
    order_note: str  # purchase.order terms and conditions
    move_quantity: str  # stock.move received quantity
    line_quantity: str  # stock.move.line done quantity
    has_picked: bool  # stock.move.picked (17+)
    has_done_state: bool  # purchase.order state "done" (16-18); 19: "purchase" + locked
    has_uom_po: bool  # product.template.uom_po_id (16-18)
    storable_by_flag: bool  # 18+: type "consu" + is_storable; 16-17: detailed_type "product"
    move_line_quantity: str = "quantity"  # stock.move.line received quantity (16: qty_done)
    move_reserved: str = "quantity"  # stock.move reserved quantity (16: reserved_availability)
    move_line_reserved: str = "quantity"  # stock.move.line reserved (16: reserved_uom_qty)
    supplier_uom: str = "product_uom"  # product.supplierinfo unit (19: product_uom_id)
    has_uom_category: bool = True  # 16-18 uom.category + factor per reference; 19 inverted
    has_discount: bool = True  # supplierinfo / order line discount (17+)
    package_model: str = "stock.quant.package"  # 19: stock.package
    has_move_name: bool = True  # stock.move.name (16-18; 19 has no such field)
    refuses_qty_below_received: bool = True  # 16-18 purchase_stock refuses; 19 accepts

    @classmethod
    def of(cls, major: int) -> Dialect:
        # Versions outside 16-19 get the nearest known one: a newer server most likely
        # still has 19's names, an older one 16's.
        v = min(max(major, OLDEST), NEWEST)
        return cls(
            major=major,
            line_uom="product_uom_id" if v >= 19 else "product_uom",
            line_taxes="tax_ids" if v >= 19 else "taxes_id",
            order_note="note" if v >= 19 else "notes",
            move_quantity="quantity_done" if v == 16 else "quantity",
            line_quantity="qty_done" if v == 16 else "quantity",
            has_picked=v >= 17,
            has_done_state=v <= 18,
            has_uom_po=v <= 18,
            storable_by_flag=v >= 18,
            move_line_quantity="qty_done" if v == 16 else "quantity",
            move_reserved="reserved_availability" if v == 16 else "quantity",
            move_line_reserved="reserved_uom_qty" if v == 16 else "quantity",
            supplier_uom="product_uom_id" if v >= 19 else "product_uom",
            has_uom_category=v <= 18,
            has_discount=v >= 17,
            package_model="stock.package" if v >= 19 else "stock.quant.package",
            has_move_name=v <= 18,
            refuses_qty_below_received=v <= 18,
        )

    def order_fields(self) -> list[str]:
        """Extra purchase.order fields needed to tell the state (19: ``locked``)."""
        return [] if self.has_done_state else ["locked"]

    def order_state(self, order: dict[str, Any]) -> str:
        """16-18's state names: a locked confirmed order of 19 is "done" (closed)."""
        state = str(order["state"])
        if not self.has_done_state and state == "purchase" and order.get("locked"):
            return "done"
        return state

    def storable_product(self, uom_id: int) -> dict[str, Any]:
        """create() values of a storable product bought and stocked in ``uom_id``."""
        vals: dict[str, Any] = {"uom_id": uom_id}
        if self.storable_by_flag:
            vals.update(type="consu", is_storable=True)
        else:
            vals["detailed_type"] = "product"
        if self.has_uom_po:
            vals["uom_po_id"] = uom_id
        return vals

    def received(self, quantity: float) -> dict[str, Any]:
        """stock.move write() values that record a received quantity."""
        vals: dict[str, Any] = {self.move_quantity: quantity}
        if self.has_picked:
            vals["picked"] = True
        return vals
