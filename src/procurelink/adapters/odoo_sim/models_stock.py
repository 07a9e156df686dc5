"""Receipt models: stock.picking and stock.move (Odoo 17 field names, sections 3.7-3.8).

A picking's ``state`` is computed from its moves, as Odoo's stored compute does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from procurelink.adapters.odoo_sim.fields import Field, ModelSpec, Record, char, computed, m2o, o2m

if TYPE_CHECKING:
    from procurelink.adapters.odoo_sim.orm import Env


MOVE_STATES = (
    ("draft", "New"),
    ("waiting", "Waiting Another Move"),
    ("confirmed", "Waiting Availability"),
    ("partially_available", "Partially Available"),
    ("assigned", "Available"),
    ("done", "Done"),
    ("cancel", "Cancelled"),
)
PICKING_STATES = (
    ("draft", "Draft"),
    ("waiting", "Waiting Another Operation"),
    ("confirmed", "Waiting"),
    ("assigned", "Ready"),
    ("done", "Done"),
    ("cancel", "Cancelled"),
)
OPEN = ("draft", "waiting", "confirmed", "partially_available", "assigned")
BYPASS = ("supplier", "customer", "inventory", "production")  # no reservation from there
RELEVANCE = {"assigned": 4, "waiting": 3, "partially_available": 2, "confirmed": 1}


def _picking_state(env: Env, rec: Record) -> str:
    """``stock.picking._compute_state`` (17, shipping policy "as soon as possible")."""
    moves = _picking_moves(env, rec)
    states = {m.get("state") for m in moves}
    if not states or "draft" in states:
        return "draft"
    if states == {"cancel"}:
        return "cancel"
    if states <= {"done", "cancel"}:
        return "done"
    source = env.table("stock.location").get(rec.get("location_id") or 0) or {}
    if source.get("usage") in BYPASS and all(
        (m.get("procure_method") or "make_to_stock") == "make_to_stock" for m in moves
    ):
        return "assigned"  # receipts are ready at once
    todo = sorted(
        (
            m
            for m in moves
            if m.get("state") not in ("cancel", "done")
            and not (m.get("state") == "assigned" and not m.get("product_uom_qty"))
        ),
        key=lambda m: (RELEVANCE.get(m.get("state") or "", 0), m.get("product_uom_qty") or 0.0),
    )
    if not todo:
        return "assigned"
    if todo[0].get("state") != "assigned" and any(
        m.get("state") in ("assigned", "partially_available") for m in todo
    ):
        return "assigned"  # partially available: ready, as soon as possible
    last = todo[-1]
    if last.get("state") == "confirmed" and not last.get("product_uom_qty"):
        return "assigned"
    return str(last.get("state") or "draft")


def _picking_moves(env: Env, rec: Record) -> list[Record]:
    return [
        env.row("stock.move", i) for i in env.search("stock.move", [("picking_id", "=", rec["id"])])
    ]


def _picking_purchase(env: Env, rec: Record) -> int | None:
    for move in _picking_moves(env, rec):
        line = env.table("purchase.order.line").get(move.get("purchase_line_id") or 0)
        if line:
            return int(line["order_id"])
    return None


def _picking_code(env: Env, rec: Record) -> Any:
    ptype = env.table("stock.picking.type").get(rec.get("picking_type_id") or 0)
    return ptype.get("code") if ptype else None


def _move_origins(env: Env, rec: Record) -> list[int]:
    return [
        m["id"]
        for m in env.table("stock.move").values()
        if rec["id"] in (m.get("move_dest_ids") or [])
    ]


def _deadline(env: Env, rec: Record) -> Any:
    dates = [m["date_deadline"] for m in _picking_moves(env, rec) if m.get("date_deadline")]
    return min(dates) if dates else None


MODELS = [
    ModelSpec(
        "stock.picking",
        "Transfer",
        {
            "name": char("Reference"),
            "origin": char("Source Document"),
            "partner_id": m2o("res.partner", "Contact"),
            "picking_type_id": m2o("stock.picking.type", "Operation Type", required=True),
            "picking_type_code": computed(
                "selection",
                "Type of Operation",
                _picking_code,
                store=False,
                selection=(
                    ("incoming", "Receipt"),
                    ("outgoing", "Delivery"),
                    ("internal", "Internal"),
                ),
            ),
            "state": computed("selection", "Status", _picking_state, selection=PICKING_STATES),
            "scheduled_date": Field("datetime", "Scheduled Date"),
            "date_deadline": computed("datetime", "Deadline", _deadline),
            "date_done": Field("datetime", "Date of Transfer", readonly=True),
            "move_ids": o2m("stock.move", "picking_id", "Stock Moves"),
            "move_line_ids": o2m("stock.move.line", "picking_id", "Operations"),
            "location_id": m2o("stock.location", "Source Location"),
            "location_dest_id": m2o("stock.location", "Destination Location"),
            "purchase_id": computed(
                "many2one",
                "Purchase Orders",
                _picking_purchase,
                relation="purchase.order",
                store=False,
            ),
            "company_id": m2o("res.company", "Company"),
            "backorder_id": m2o("stock.picking", "Back Order of"),
            "backorder_ids": o2m("stock.picking", "backorder_id", "Back Orders"),
        },
        order="scheduled_date asc, id desc",
    ),
    ModelSpec(
        "stock.move",
        "Stock Move",
        {
            "name": char("Description", required=True),
            "origin": char("Source Document"),
            "product_id": m2o("product.product", "Product", required=True),
            "product_uom_qty": Field("float", "Demand"),
            "product_uom": m2o("uom.uom", "UoM", required=True),
            "quantity": Field("float", "Quantity"),
            "picked": Field("boolean", "Picked"),
            "purchase_line_id": m2o("purchase.order.line", "Purchase Order Line", readonly=True),
            "picking_id": m2o("stock.picking", "Transfer"),
            "picking_type_id": m2o("stock.picking.type", "Operation Type"),
            "state": Field("selection", "Status", selection=MOVE_STATES, readonly=True),
            "date": Field("datetime", "Date Scheduled", required=True),
            "date_deadline": Field("datetime", "Deadline"),
            "move_line_ids": o2m("stock.move.line", "move_id", "Move Lines"),
            "location_id": m2o("stock.location", "Source Location"),
            "location_dest_id": m2o("stock.location", "Destination Location"),
            "company_id": m2o("res.company", "Company"),
            "procure_method": Field(
                "selection",
                "Supply Method",
                required=True,
                selection=(
                    ("make_to_stock", "Default: Take From Stock"),
                    ("make_to_order", "Advanced: Apply Procurement Rules"),
                ),
            ),
            # One relation table in Odoo (stock_move_move_rel): the simulator keeps the
            # destinations and derives the origins.
            "move_dest_ids": Field("many2many", "Destination Moves", relation="stock.move"),
            "move_orig_ids": computed(
                "many2many", "Original Move", _move_origins, relation="stock.move"
            ),
        },
        order="id",
        defaults={
            "state": "draft",
            "date": lambda env: env.now,
            "procure_method": "make_to_stock",
        },
    ),
]
