"""Inventory detail models: locations, move lines, lots, packages, quants (sections 3.8, 4).

Odoo 17 names; ``versions`` maps the move line's ``quantity`` to 16's ``qty_done``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from procurelink.adapters.odoo_sim.fields import Field, ModelSpec, Record, char, computed, m2o
from procurelink.adapters.odoo_sim.models_stock import MOVE_STATES

if TYPE_CHECKING:
    from procurelink.adapters.odoo_sim.orm import Env

USAGES = (
    ("supplier", "Vendor Location"),
    ("view", "View"),
    ("internal", "Internal Location"),
    ("customer", "Customer Location"),
    ("inventory", "Inventory Loss"),
    ("production", "Production"),
    ("transit", "Transit Location"),
)
TRACKING = (
    ("serial", "By Unique Serial Number"),
    ("lot", "By Lots"),
    ("none", "No Tracking"),
)


def complete_name(env: Env, rec: Record) -> str:
    parent = rec.get("location_id")
    name = str(rec.get("name") or "")
    if parent and env.exists("stock.location", parent):
        return f"{complete_name(env, env.row('stock.location', parent))}/{name}"
    return name


def _line_state(env: Env, rec: Record) -> Any:
    move = env.table("stock.move").get(rec.get("move_id") or 0)
    return move.get("state") if move else "draft"


def _line_tracking(env: Env, rec: Record) -> Any:
    product = env.table("product.product").get(rec.get("product_id") or 0)
    return (product.get("tracking") or "none") if product else "none"


def _package_name(env: Env) -> str:
    return f"PACK{env.next_sequence('stock.quant.package'):07d}"


MODELS = [
    ModelSpec(
        "stock.location",
        "Inventory Locations",
        {
            "name": char("Location Name", required=True),
            "complete_name": computed("char", "Full Location Name", complete_name),
            "location_id": m2o("stock.location", "Parent Location"),
            "usage": Field("selection", "Location Type", selection=USAGES, required=True),
            "company_id": m2o("res.company", "Company"),
            "warehouse_id": m2o("stock.warehouse", "Warehouse"),
            "scrap_location": Field("boolean", "Is a Scrap Location?"),
            "active": Field("boolean", "Active"),
        },
        order="complete_name, id",
        rec_name="complete_name",
        display_name=complete_name,
        defaults={"usage": "internal", "active": True, "scrap_location": False},
    ),
    ModelSpec(
        "stock.lot",
        "Lot/Serial",
        {
            "name": char("Lot/Serial Number", required=True),
            "product_id": m2o("product.product", "Product", required=True),
            "company_id": m2o("res.company", "Company", required=True),
            "ref": char("Internal Reference"),
        },
        order="name, id",
        defaults={"company_id": 1},
    ),
    ModelSpec(
        "stock.quant.package",
        "Packages",
        {
            "name": char("Package Reference", required=True),
            "location_id": m2o("stock.location", "Location", readonly=True),
            "company_id": m2o("res.company", "Company"),
        },
        order="name",
        defaults={"name": _package_name},
    ),
    ModelSpec(
        "stock.move.line",
        "Product Moves (Stock Move Line)",
        {
            "move_id": m2o("stock.move", "Stock Operation"),
            "picking_id": m2o("stock.picking", "Transfer"),
            "product_id": m2o("product.product", "Product"),
            "product_uom_id": m2o("uom.uom", "Unit of Measure", required=True),
            "quantity": Field("float", "Quantity"),
            # 16 only (hidden on 17+): what the line reserves, apart from what it did.
            "reserved_uom_qty": Field("float", "Reserved", readonly=True),
            "picked": Field("boolean", "Picked"),
            "lot_id": m2o("stock.lot", "Lot/Serial Number"),
            "lot_name": char("Lot/Serial Number Name"),
            "package_id": m2o("stock.quant.package", "Source Package"),
            "result_package_id": m2o("stock.quant.package", "Destination Package"),
            "location_id": m2o("stock.location", "From", required=True),
            "location_dest_id": m2o("stock.location", "To", required=True),
            "company_id": m2o("res.company", "Company", required=True),
            "date": Field("datetime", "Date"),
            "state": computed("selection", "Status", _line_state, selection=MOVE_STATES),
            "tracking": computed(
                "selection", "Product with Tracking", _line_tracking, selection=TRACKING
            ),
        },
        order="result_package_id desc, id",
        rec_name="id",
        defaults={"quantity": 0.0, "reserved_uom_qty": 0.0, "picked": False, "company_id": 1},
    ),
    ModelSpec(
        "stock.quant",
        "Quants",
        {
            "product_id": m2o("product.product", "Product", required=True),
            "location_id": m2o("stock.location", "Location", required=True),
            "lot_id": m2o("stock.lot", "Lot/Serial Number"),
            "package_id": m2o("stock.quant.package", "Package"),
            "quantity": Field("float", "Quantity", readonly=True),
            "company_id": m2o("res.company", "Company"),
        },
        order="id",
        rec_name="id",
    ),
]
