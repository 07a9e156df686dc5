"""Vendor bills: account.move and account.move.line (Odoo 17 field names, section 3.9).

What links bills to purchase orders is simulated: bill lines carry ``purchase_line_id``,
and the order lines count them in ``qty_invoiced`` (drafts included, cancelled bills not,
refunds subtracted). ``action_post`` moves a bill from draft to posted under its journal's
monthly sequence (``BILL/2024/03/0001``, refunds ``RBILL/...``) with Odoo's refusals (no
bill date, no line). No journal items, taxes or payments: ``payment_state`` stays
``not_paid``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from procurelink.adapters.odoo_sim.faults import UserError
from procurelink.adapters.odoo_sim.fields import Field, ModelSpec, Record, char, computed, m2o, o2m
from procurelink.adapters.odoo_sim.models_purchase import money
from procurelink.adapters.odoo_sim.orm import Hooks

if TYPE_CHECKING:
    from procurelink.adapters.odoo_sim.orm import Env

MOVE_TYPES = (
    ("entry", "Journal Entry"),
    ("out_invoice", "Customer Invoice"),
    ("out_refund", "Customer Credit Note"),
    ("in_invoice", "Vendor Bill"),
    ("in_refund", "Vendor Credit Note"),
    ("out_receipt", "Sales Receipt"),
    ("in_receipt", "Purchase Receipt"),
)
MOVE_STATES = (("draft", "Draft"), ("posted", "Posted"), ("cancel", "Cancelled"))
# No payments are simulated: every bill stays "not_paid" (17's value for drafts too).
PAYMENT_STATES = (
    ("not_paid", "Not Paid"),
    ("in_payment", "In Payment"),
    ("paid", "Paid"),
    ("partial", "Partially Paid"),
    ("reversed", "Reversed"),
    ("invoicing_legacy", "Invoicing App Legacy"),
)
# The purchase journal's code (17 ``_get_starting_sequence``: monthly for purchase journals),
# refunds prefixed with R (``refund_sequence``).
SEQUENCE_PREFIX = {"in_invoice": "BILL", "in_refund": "RBILL", "in_receipt": "BILL"}


def _subtotal(env: Env, rec: Record) -> float:
    return money(float(rec.get("quantity") or 0.0) * float(rec.get("price_unit") or 0.0))


def _purchase_order(env: Env, rec: Record) -> Any:
    line = env.table("purchase.order.line").get(rec.get("purchase_line_id") or 0)
    return line.get("order_id") if line else None


def _bill_lines(env: Env, rec: Record) -> list[Record]:
    ids = env.search("account.move.line", [("move_id", "=", rec["id"])])
    return [env.row("account.move.line", i) for i in ids]


def _amount_untaxed(env: Env, rec: Record) -> float:
    return money(sum(_subtotal(env, ln) for ln in _bill_lines(env, rec)))


MODELS = [
    ModelSpec(
        "account.move",
        "Journal Entry",
        {
            "name": char("Number"),
            "move_type": Field("selection", "Type", selection=MOVE_TYPES, required=True),
            "state": Field("selection", "Status", selection=MOVE_STATES, readonly=True),
            "partner_id": m2o("res.partner", "Partner"),
            "ref": char("Reference"),
            "invoice_date": Field("date", "Invoice/Bill Date"),
            "date": Field("date", "Date"),
            "payment_state": Field(
                "selection", "Payment Status", selection=PAYMENT_STATES, readonly=True
            ),
            "invoice_origin": char("Origin"),
            "currency_id": m2o("res.currency", "Currency", required=True),
            "company_id": m2o("res.company", "Company", required=True),
            "invoice_line_ids": o2m("account.move.line", "move_id", "Invoice lines"),
            "amount_untaxed": computed("monetary", "Untaxed Amount", _amount_untaxed),
            "amount_total": computed("monetary", "Total", _amount_untaxed),
        },
        order="id desc",
        defaults={
            "state": "draft",
            "move_type": "entry",
            "company_id": 1,
            "name": "/",
            "payment_state": "not_paid",
        },
    ),
    ModelSpec(
        "account.move.line",
        "Journal Item",
        {
            "move_id": m2o("account.move", "Journal Entry", required=True),
            "product_id": m2o("product.product", "Product"),
            "name": char("Label"),
            "quantity": Field("float", "Quantity"),
            "price_unit": Field("float", "Unit Price"),
            "product_uom_id": m2o("uom.uom", "Unit of Measure"),
            "display_type": Field(
                "selection",
                "Display Type",
                selection=(
                    ("product", "Product"),
                    ("line_section", "Section"),
                    ("line_note", "Note"),
                ),
            ),
            "purchase_line_id": m2o("purchase.order.line", "Purchase Order Line"),
            "purchase_order_id": computed(
                "many2one", "Purchase Order", _purchase_order, relation="purchase.order"
            ),
            "price_subtotal": computed("monetary", "Subtotal", _subtotal),
        },
        order="id",
        defaults={"display_type": "product", "quantity": 1.0},
    ),
]


def _prepare_move(env: Env, vals: dict[str, Any]) -> None:
    # The company currency when none is given (the UI's default).
    if not vals.get("currency_id"):
        company = env.table("res.company").get(vals.get("company_id") or 0)
        vals["currency_id"] = company.get("currency_id") if company else False


def _prepare_line(env: Env, vals: dict[str, Any]) -> None:
    po_line = env.table("purchase.order.line").get(vals.get("purchase_line_id") or 0)
    if po_line and not vals.get("name"):
        vals["name"] = po_line.get("name")
    if po_line and not vals.get("product_uom_id"):
        vals["product_uom_id"] = po_line.get("product_uom")


def _touch_purchase(env: Env, line_ids: list[int]) -> None:
    # qty_invoiced and invoice_status are stored computes: their recompute stamps write_date.
    po_lines = set()
    for rid in line_ids:
        po_line = env.table("account.move.line").get(rid, {}).get("purchase_line_id")
        if po_line:
            po_lines.add(po_line)
    env.touch("purchase.order.line", sorted(po_lines))
    orders = {env.row("purchase.order.line", i)["order_id"] for i in po_lines}
    env.touch("purchase.order", sorted(orders))


def action_post(env: Env, model: str, ids: list[int]) -> bool:
    """Post draft bills: ``False`` like Odoo 16-18 (19 may return a suggestion action)."""
    moves = [env.row(model, i) for i in ids]
    for move in moves:
        _check_postable(env, move)
    for move in moves:
        # A bill's accounting date is its bill date (lock dates aside).
        day = str(move.get("invoice_date") or move.get("date"))
        move["date"] = day
        if move.get("name") in (None, False, "/"):
            prefix = SEQUENCE_PREFIX.get(move["move_type"], "MISC")
            period = f"{day[:4]}/{day[5:7]}"
            number = env.next_sequence(f"account.move/{prefix}/{period}")
            move["name"] = f"{prefix}/{period}/{number:04d}"
        move["state"] = "posted"
        env.touch(model, [move["id"]])
    return False


def _check_postable(env: Env, move: Record) -> None:
    # The order and wording of account/models/account_move.py ``_post`` (17).
    if move["move_type"] in ("in_invoice", "in_refund", "in_receipt"):
        if not move.get("partner_id"):
            raise UserError(
                "The field 'Vendor' is required, please complete it to validate the Vendor Bill."
            )
        if not move.get("invoice_date"):
            raise UserError("The Bill/Refund date is required to validate this document.")
    if move.get("state") in ("posted", "cancel"):
        raise UserError(f"The entry {move['name']} (id {move['id']}) must be in draft.")
    if not any(ln.get("display_type") == "product" for ln in _bill_lines(env, move)):
        raise UserError("You need to add a line before posting.")


METHODS = {"action_post": action_post}

HOOKS = {
    "account.move": Hooks(prepare_create=_prepare_move),
    "account.move.line": Hooks(
        prepare_create=_prepare_line,
        after_create=lambda env, rid: _touch_purchase(env, [rid]),
        after_write=lambda env, ids, vals, old: _touch_purchase(env, ids),
    ),
}
