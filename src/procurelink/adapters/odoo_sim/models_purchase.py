"""Purchase models: purchase.order and its lines (Odoo 17 field names, sections 3.5-3.6).

Computed stored fields of Odoo (amounts, ``qty_received``, ``receipt_status``) are
evaluated on read here; the business hooks stamp ``write_date`` where Odoo's
recompute would.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from procurelink.adapters.odoo_sim.fields import Field, ModelSpec, Record, char, computed, m2o, o2m

if TYPE_CHECKING:
    from procurelink.adapters.odoo_sim.orm import Env

PO_STATES = (
    ("draft", "RFQ"),
    ("sent", "RFQ Sent"),
    ("to approve", "To Approve"),
    ("purchase", "Purchase Order"),
    ("done", "Locked"),
    ("cancel", "Cancelled"),
)


def lines_of(env: Env, order_id: int) -> list[Record]:
    return [
        env.row("purchase.order.line", i)
        for i in env.search("purchase.order.line", [("order_id", "=", order_id)])
    ]


def moves_of_line(env: Env, line_id: int) -> list[Record]:
    return [
        env.row("stock.move", i)
        for i in env.search("stock.move", [("purchase_line_id", "=", line_id)])
    ]


def order_pickings(env: Env, rec: Record) -> list[int]:
    ids = {
        m.get("picking_id") for ln in lines_of(env, rec["id"]) for m in moves_of_line(env, ln["id"])
    }
    return sorted(i for i in ids if i)


def money(value: float) -> float:
    """Currency rounding, half up like Odoo's ``float_round`` (not Python's half-even)."""
    return float(Decimal(repr(value)).quantize(CENT, rounding=ROUND_HALF_UP))


def _amount_untaxed(env: Env, rec: Record) -> float:
    return money(sum(line_subtotal(env, ln) for ln in lines_of(env, rec["id"])))


def _amount_tax(env: Env, rec: Record) -> float:
    return money(sum(line_tax(env, ln) for ln in lines_of(env, rec["id"])))


def _amount_total(env: Env, rec: Record) -> float:
    return money(_amount_untaxed(env, rec) + _amount_tax(env, rec))


def _receipt_status(env: Env, rec: Record) -> str | None:
    states = [
        env.value("stock.picking", env.row("stock.picking", p), "state")
        for p in order_pickings(env, rec)
    ]
    if not states or all(s == "cancel" for s in states):
        return None
    if all(s in ("done", "cancel") for s in states):
        return "full"
    return "partial" if "done" in states else "pending"


def _order_date_planned(env: Env, rec: Record) -> Any:
    # Stored compute with readonly=False: min of the lines, the written value without lines.
    dates = [ln["date_planned"] for ln in lines_of(env, rec["id"]) if ln.get("date_planned")]
    return min(dates) if dates else rec.get("date_planned")


def _messages(env: Env, rec: Record) -> list[int]:
    return env.search(
        "mail.message", [("model", "=", "purchase.order"), ("res_id", "=", rec["id"])]
    )


def _order_name(env: Env, rec: Record) -> str:
    ref = rec.get("partner_ref")
    return f"{rec.get('name')} ({ref})" if ref else str(rec.get("name"))


def line_subtotal(env: Env, rec: Record) -> float:
    qty, price = rec.get("product_qty") or 0.0, rec.get("price_unit") or 0.0
    return money(qty * price * (1 - (rec.get("discount") or 0.0) / 100))


def line_tax(env: Env, rec: Record) -> float:
    """``price_tax``: the line's taxes on its subtotal, rounded per line (price excluded)."""
    base, tax = line_subtotal(env, rec), 0.0
    for tax_id in rec.get("taxes_id") or []:
        found = env.table("account.tax").get(tax_id)
        if found is None:
            continue
        if found.get("amount_type") == "fixed":
            tax += (found.get("amount") or 0.0) * (rec.get("product_qty") or 0.0)
        else:
            tax += base * (found.get("amount") or 0.0) / 100
    return money(tax)


def _line_total(env: Env, rec: Record) -> float:
    return money(line_subtotal(env, rec) + line_tax(env, rec))


def qty_received(env: Env, rec: Record) -> float:
    if _product_type(env, rec) == "service":
        return float(rec.get("qty_received_manual") or 0.0)
    return sum(
        m.get("quantity") or 0.0 for m in moves_of_line(env, rec["id"]) if m.get("state") == "done"
    )


def _product_type(env: Env, rec: Record) -> Any:
    product = env.table("product.product").get(rec.get("product_id") or 0)
    return product.get("detailed_type") if product else None


def _product_uom_qty(env: Env, rec: Record) -> float:
    product = env.table("product.product").get(rec.get("product_id") or 0)
    line_uom = env.table("uom.uom").get(rec.get("product_uom") or 0)
    stock_uom = env.table("uom.uom").get(product.get("uom_id") or 0) if product else None
    qty = float(rec.get("product_qty") or 0.0)
    if not line_uom or not stock_uom:
        return qty
    return float(qty / line_uom["factor"] * stock_uom["factor"])  # 16-18 factor convention


def _order_field(name: str) -> Any:
    def compute(env: Env, rec: Record) -> Any:
        order = env.table("purchase.order").get(rec.get("order_id") or 0)
        return order.get(name) if order else None

    return compute


def qty_invoiced(env: Env, rec: Record) -> float:
    """Σ bill line quantities of non-cancelled bills, drafts included, refunds subtracted."""
    total = 0.0
    for line_id in env.search("account.move.line", [("purchase_line_id", "=", rec["id"])]):
        line = env.row("account.move.line", line_id)
        move = env.table("account.move").get(line.get("move_id") or 0)
        if not move or move.get("state") == "cancel":
            continue
        sign = -1.0 if move.get("move_type") == "in_refund" else 1.0
        total += sign * float(line.get("quantity") or 0.0)
    return total


def _to_invoice(env: Env, rec: Record) -> float:
    # purchase_method "receive" (Odoo's default): bill what was received, less billed.
    order = env.table("purchase.order").get(rec.get("order_id") or 0)
    if not order or order.get("state") not in ("purchase", "done"):
        return 0.0
    return qty_received(env, rec) - qty_invoiced(env, rec)


def _invoice_ids(env: Env, rec: Record) -> list[int]:
    moves = {
        env.row("account.move.line", i)["move_id"]
        for ln in lines_of(env, rec["id"])
        for i in env.search("account.move.line", [("purchase_line_id", "=", ln["id"])])
    }
    return sorted(moves)


def _invoice_status(env: Env, rec: Record) -> str:
    """Odoo's ``_get_invoiced``: anything left to bill, else billed if any bill exists."""
    if rec.get("state") not in ("purchase", "done"):
        return "no"
    lines = [ln for ln in lines_of(env, rec["id"]) if not ln.get("display_type")]
    if any(abs(_to_invoice(env, ln)) >= 0.005 for ln in lines):
        return "to invoice"
    return "invoiced" if _invoice_ids(env, rec) else "no"


MONEY = "monetary"
CENT = Decimal("0.01")  # both simulated currencies (EUR, USD) have 2 decimals
MODELS = [
    ModelSpec(
        "purchase.order",
        "Purchase Order",
        {
            "name": char("Order Reference", required=True),
            "partner_id": m2o("res.partner", "Vendor", required=True),
            "partner_ref": char("Vendor Reference"),
            "origin": char("Source Document"),
            "state": Field("selection", "Status", selection=PO_STATES),
            "date_order": Field("datetime", "Order Deadline", required=True),
            "date_approve": Field("datetime", "Confirmation Date", readonly=True),
            "date_planned": Field("datetime", "Expected Arrival", compute=_order_date_planned),
            "picking_type_id": m2o("stock.picking.type", "Deliver To", required=True),
            "company_id": m2o("res.company", "Company", required=True),
            "currency_id": m2o("res.currency", "Currency", required=True),
            "user_id": m2o("res.users", "Buyer"),
            "notes": Field("html", "Terms and Conditions"),
            "order_line": o2m("purchase.order.line", "order_id", "Order Lines"),
            "amount_untaxed": computed(MONEY, "Untaxed Amount", _amount_untaxed),
            "amount_tax": computed(MONEY, "Taxes", _amount_tax),
            "amount_total": computed(MONEY, "Total", _amount_total),
            "picking_ids": computed(
                "many2many", "Receptions", order_pickings, relation="stock.picking"
            ),
            "incoming_picking_count": computed(
                "integer",
                "Incoming Shipment count",
                lambda env, rec: len(order_pickings(env, rec)),
                store=False,
            ),
            "receipt_status": computed(
                "selection",
                "Receipt Status",
                _receipt_status,
                selection=(
                    ("pending", "Not Received"),
                    ("partial", "Partially Received"),
                    ("full", "Fully Received"),
                ),
            ),
            "invoice_ids": computed("many2many", "Bills", _invoice_ids, relation="account.move"),
            "invoice_status": computed(
                "selection",
                "Billing Status",
                _invoice_status,
                selection=(
                    ("no", "Nothing to Bill"),
                    ("to invoice", "Waiting Bills"),
                    ("invoiced", "Fully Billed"),
                ),
            ),
            "priority": Field(
                "selection", "Priority", selection=(("0", "Normal"), ("1", "Urgent"))
            ),
            # 19 only (hidden on the wire before): replaces state "done" and the two flags.
            "locked": Field("boolean", "Locked", readonly=True),
            "acknowledged": Field("boolean", "Acknowledged", readonly=True),
            "mail_reminder_confirmed": Field("boolean", "Reminder Confirmed", readonly=True),
            "mail_reception_confirmed": Field("boolean", "Reception Confirmed", readonly=True),
            "message_ids": computed(
                "one2many", "Messages", _messages, relation="mail.message", store=False
            ),
        },
        order="priority desc, id desc",
        display_name=_order_name,
        defaults={"state": "draft", "priority": "0", "company_id": 1},
    ),
    ModelSpec(
        "purchase.order.line",
        "Purchase Order Line",
        {
            "order_id": m2o("purchase.order", "Order Reference", required=True),
            "sequence": Field("integer", "Sequence"),
            "product_id": m2o("product.product", "Product"),
            "name": Field("text", "Description", required=True),
            "product_qty": Field("float", "Quantity", required=True),
            "product_uom_qty": computed("float", "Total Quantity", _product_uom_qty),
            "product_uom": m2o("uom.uom", "Unit of Measure"),
            "price_unit": Field("float", "Unit Price", required=True),
            "discount": Field("float", "Discount (%)"),
            "date_planned": Field("datetime", "Expected Arrival"),
            "qty_received": computed("float", "Received Qty", qty_received),
            "qty_received_manual": Field("float", "Manual Received Qty"),
            "qty_received_method": computed(
                "selection",
                "Received Qty Method",
                lambda env, rec: (
                    "manual" if _product_type(env, rec) == "service" else "stock_moves"
                ),
                selection=(("manual", "Manual"), ("stock_moves", "Stock Moves")),
            ),
            "qty_invoiced": computed("float", "Billed Qty", qty_invoiced),
            "invoice_lines": o2m("account.move.line", "purchase_line_id", "Bill Lines"),
            "qty_to_invoice": computed("float", "To Invoice Quantity", _to_invoice),
            "taxes_id": Field("many2many", "Taxes", relation="account.tax"),
            "price_subtotal": computed(MONEY, "Subtotal", line_subtotal),
            "price_total": computed(MONEY, "Total", _line_total),
            "price_tax": computed("float", "Tax", line_tax),
            "move_ids": o2m("stock.move", "purchase_line_id", "Reservation", readonly=True),
            "state": computed("selection", "Status", _order_field("state"), selection=PO_STATES),
            "partner_id": computed(
                "many2one", "Partner", _order_field("partner_id"), relation="res.partner"
            ),
            "currency_id": computed(
                "many2one", "Currency", _order_field("currency_id"), relation="res.currency"
            ),
            "company_id": computed(
                "many2one", "Company", _order_field("company_id"), relation="res.company"
            ),
            "display_type": Field(
                "selection",
                "Display Type",
                selection=(("line_section", "Section"), ("line_note", "Note")),
            ),
        },
        order="order_id, sequence, id",
        defaults={"sequence": 10},
    ),
]
