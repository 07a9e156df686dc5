"""purchase.order business rules and methods (reference sections 3.5, 3.6 and 7)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from procurelink.adapters.odoo_sim.clock import DATETIME_FORMAT
from procurelink.adapters.odoo_sim.faults import UserError
from procurelink.adapters.odoo_sim.fields import Record
from procurelink.adapters.odoo_sim.models_purchase import lines_of, moves_of_line
from procurelink.adapters.odoo_sim.models_stock import OPEN
from procurelink.adapters.odoo_sim.move_lines import reserve_receipt
from procurelink.adapters.odoo_sim.orm import Env, Hooks
from procurelink.adapters.odoo_sim.stock import add_receipt_move, create_receipt

STORABLE = ("product", "consu")
CONFIRMED = ("purchase", "done")


def _prepare_order(env: Env, vals: dict[str, Any]) -> None:
    if vals.get("name") in (None, False, "New"):
        vals["name"] = f"P{env.next_sequence('purchase.order'):05d}"
    vals.setdefault("date_order", env.now)
    vals.setdefault("user_id", env.uid)
    company = env.table("res.company").get(vals.get("company_id") or 0)
    if company and not vals.get("currency_id"):
        vals["currency_id"] = company.get("currency_id")
    if not vals.get("picking_type_id"):
        # The first incoming type of a warehouse of the company (reference section 3.5).
        found = env.search(
            "stock.picking.type",
            [("code", "=", "incoming"), ("warehouse_id.company_id", "=", vals.get("company_id"))],
            limit=1,
        )
        vals["picking_type_id"] = found[0] if found else False


def select_seller(env: Env, partner_id: int, product: Record, qty: float) -> Record | None:
    """``_select_seller``: the vendor's price-list entry for the product and quantity."""
    ids = env.search(
        "product.supplierinfo",
        [
            ("partner_id", "=", partner_id),
            ("min_qty", "<=", qty),
            "|",
            ("product_id", "=", product["id"]),
            "&",
            ("product_id", "=", False),
            ("product_tmpl_id", "=", product["product_tmpl_id"]),
        ],
    )
    return env.row("product.supplierinfo", ids[0]) if ids else None


def _prepare_line(env: Env, vals: dict[str, Any]) -> None:
    order = env.table("purchase.order").get(vals.get("order_id") or 0)
    if vals.get("display_type"):
        vals.setdefault("product_qty", 0.0)
        vals.setdefault("price_unit", 0.0)
        return
    vals.setdefault("product_qty", 1.0)
    product = env.table("product.product").get(vals.get("product_id") or 0)
    if order is None or product is None:
        return
    seller = select_seller(env, order["partner_id"], product, float(vals["product_qty"]))
    vals.setdefault("product_uom", product.get("uom_po_id"))
    # The product's vendor taxes of the order's company (no fiscal position simulated).
    taxes = env.table("account.tax")
    vals.setdefault(
        "taxes_id",
        [
            t
            for t in product.get("supplier_taxes_id") or []
            if t in taxes and taxes[t].get("company_id") == order.get("company_id")
        ],
    )
    cost = product.get("standard_price") or 0.0
    vals.setdefault("price_unit", seller["price"] if seller else cost)
    if "date_planned" not in vals:
        start = datetime.strptime(order["date_order"], DATETIME_FORMAT)
        days = seller.get("delay") or 0 if seller else 0
        vals["date_planned"] = (start + timedelta(days=days)).strftime(DATETIME_FORMAT)
    if "name" not in vals:
        if seller and seller.get("product_code"):
            vals["name"] = (
                f"[{seller['product_code']}] {seller.get('product_name') or product['name']}"
            )
        else:
            vals["name"] = env.display_name("product.product", product["id"])


def _line_created(env: Env, line_id: int) -> None:
    line = env.row("purchase.order.line", line_id)
    order = env.row("purchase.order", line["order_id"])
    if order["state"] == "purchase" and _is_storable(env, line):
        add_receipt_move(env, order, line)  # "Extra line" on a confirmed order gets its move
    env.touch("purchase.order", [order["id"]])


def _is_storable(env: Env, line: Record) -> bool:
    product = env.table("product.product").get(line.get("product_id") or 0)
    return product is not None and product.get("detailed_type") in STORABLE


def _check_line_write(env: Env, ids: list[int], vals: dict[str, Any]) -> None:
    # Odoo 19's purchase_stock dropped the guard: a quantity below the received one is
    # written as is (verified on a real 19.0).
    if "product_qty" not in vals or env.store.major >= 19:
        return
    for line_id in ids:
        line = env.row("purchase.order.line", line_id)
        state = env.value("purchase.order.line", line, "state")
        received = env.value("purchase.order.line", line, "qty_received")
        if (
            state == "purchase"
            and _is_storable(env, line)
            and float(vals["product_qty"]) < (received - 1e-9)
        ):
            raise UserError(
                "You cannot decrease the ordered quantity below the received quantity.\n"
                "Create a return first."
            )


# Odoo 17 computes these four line fields in one method that depends on product_qty,
# product_uom (and company_id). Writing any one of them protects all four from that
# recompute during the write; writing the quantity or unit without them recomputes them.
PRICE_GROUP = frozenset({"name", "date_planned", "discount", "price_unit"})
PRICE_DEPENDS = frozenset({"product_qty", "product_uom"})


def _reprice(env: Env, order: Record, line: Record, old: Record) -> None:
    """A quantity or unit change re-applies the vendor price list, as Odoo 17 does.

    Verified on a real 17.0 database: with a price-list entry of the vendor matching the new
    quantity, ``date_planned`` becomes ``date_order`` + the entry's delay (the date written
    at creation is lost) and ``price_unit``/``discount`` the entry's, even when the written
    quantity equals the old one. Without a matching entry the date stays (if set) and the
    price stays unless the vendor has entries for the product, the line has no price or the
    unit changed; then it falls back to the product cost. (The description is not
    recomputed here.)
    """
    product = env.table("product.product").get(line.get("product_id") or 0)
    if product is None or line.get("display_type"):
        return
    seller = select_seller(env, order["partner_id"], product, float(line["product_qty"] or 0))
    if seller is not None or not line.get("date_planned"):
        start = datetime.strptime(order["date_order"], DATETIME_FORMAT)
        days = (seller.get("delay") or 0) if seller else 0
        line["date_planned"] = (start + timedelta(days=days)).strftime(DATETIME_FORMAT)
    if seller is not None:
        seller_uom = env.value("product.supplierinfo", seller, "product_uom")
        price = _convert_price(env, seller.get("price") or 0.0, seller_uom, line["product_uom"])
        line["price_unit"] = price
        line["discount"] = seller.get("discount") or 0.0
        return
    line["discount"] = 0.0
    vendor_has_entries = bool(
        env.search(
            "product.supplierinfo",
            [
                ("partner_id", "=", order["partner_id"]),
                ("product_tmpl_id", "=", product["product_tmpl_id"]),
            ],
            limit=1,
        )
    )
    if (
        vendor_has_entries
        or not line.get("price_unit")
        or line["product_uom"] != old.get("product_uom")
    ):
        cost = product.get("standard_price") or 0.0
        line["price_unit"] = _convert_price(env, cost, product.get("uom_id"), line["product_uom"])


def _convert_price(env: Env, price: float, from_uom: Any, to_uom: Any) -> float:
    """A price per ``from_uom`` as a price per ``to_uom`` (16-18 factor convention)."""
    units = env.table("uom.uom")
    if from_uom not in units or to_uom not in units or from_uom == to_uom:
        return float(price)
    return float(price * units[from_uom]["factor"] / units[to_uom]["factor"])


def _line_written(env: Env, ids: list[int], vals: dict[str, Any], old: dict[int, Record]) -> None:
    for line_id in ids:
        line = env.row("purchase.order.line", line_id)
        order = env.row("purchase.order", line["order_id"])
        if PRICE_DEPENDS & vals.keys() and not PRICE_GROUP & vals.keys():
            _reprice(env, order, line, old[line_id])
        if order["state"] == "purchase" and _is_storable(env, line):
            if "product_qty" in vals:
                _replan(env, order, line, line["product_qty"] - (old[line_id]["product_qty"] or 0))
            if "date_planned" in vals:
                # Only the deadline of open moves follows; the move date stays (section 3.5).
                for move in moves_of_line(env, line_id):
                    if move["state"] in OPEN:
                        move["date_deadline"] = line["date_planned"]
        if {"product_qty", "product_uom", "price_unit", "discount", "date_planned"} & vals.keys():
            env.touch("purchase.order", [order["id"]])  # stored computes on the order


def _replan(env: Env, order: Record, line: Record, delta: float) -> None:
    open_moves = [m for m in moves_of_line(env, line["id"]) if m["state"] in OPEN]
    if delta > 0:
        if open_moves:
            open_moves[0]["product_uom_qty"] += delta
            if env.store.major >= 17:  # 17+ reserves in ``quantity``; 16 apart (below)
                open_moves[0]["quantity"] = (open_moves[0]["quantity"] or 0) + delta
            reserve_receipt(env, open_moves[0])
        else:
            add_receipt_move(env, order, line, qty=delta)
        return
    for move in reversed(open_moves):
        take = min(-delta, move["product_uom_qty"])
        move["product_uom_qty"] -= take
        move["quantity"] = min(move["quantity"] or 0, move["product_uom_qty"])
        delta += take
        if move["product_uom_qty"] <= 0:
            move["state"] = "cancel"
        reserve_receipt(env, move)


def _check_line_unlink(env: Env, ids: list[int]) -> None:
    for line_id in ids:
        state = env.value("purchase.order.line", env.row("purchase.order.line", line_id), "state")
        if state in CONFIRMED:
            raise UserError(f"Cannot delete a purchase order line which is in state '{state}'.")


def _check_order_unlink(env: Env, ids: list[int]) -> None:
    if any(env.row("purchase.order", i)["state"] != "cancel" for i in ids):
        raise UserError("In order to delete a purchase order, you must cancel it first.")


def button_confirm(env: Env, model: str, ids: list[int]) -> bool:
    for order_id in ids:
        order = env.row(model, order_id)
        if order["state"] not in ("draft", "sent"):
            continue  # silently skipped, like Odoo (pitfall 6)
        _approve(env, order)
    return True


def button_approve(env: Env, model: str, ids: list[int], force: bool = False) -> dict[str, Any]:
    for order_id in ids:
        order = env.row(model, order_id)
        if order["state"] == "to approve":
            _approve(env, order)
    return {}


def _approve(env: Env, order: Record) -> None:
    # The simulated user is a Purchase Administrator: no two-step approval.
    order.update(state="purchase", date_approve=env.now)
    lines = [ln for ln in lines_of(env, order["id"]) if _is_storable(env, ln)]
    if lines:
        create_receipt(env, order, lines)
    env.touch("purchase.order", [order["id"]])


def button_cancel(env: Env, model: str, ids: list[int]) -> None:
    """Returns None on purpose: over XML-RPC that is fault 1 after the commit (pitfall 7)."""
    for order_id in ids:
        order = env.row(model, order_id)
        if order.get("locked"):
            raise UserError(f"Unable to cancel purchase order {order['name']} as it is locked.")
        moves = [m for ln in lines_of(env, order_id) for m in moves_of_line(env, ln["id"])]
        if any(m["state"] == "done" for m in moves):
            raise UserError(
                f"Unable to cancel purchase order {order['name']} "
                "as some receptions have already been done."
            )
        for move in moves:
            move["state"] = "cancel"
        order["state"] = "cancel"
        env.touch(model, [order_id])


def _set_state(state: str, *, result: Any, only_from: tuple[str, ...] = ()) -> Any:
    def method(env: Env, model: str, ids: list[int]) -> Any:
        for order_id in ids:
            order = env.row(model, order_id)
            if not only_from or order["state"] in only_from:
                order["state"] = state
                env.touch(model, [order_id])
        return result

    return method


def _set_flag(name: str, value: bool) -> Any:
    """19's ``button_lock``/``button_unlock``/``action_acknowledge``: None (XML-RPC pitfall)."""

    def method(env: Env, model: str, ids: list[int]) -> None:
        for order_id in ids:
            env.row(model, order_id)[name] = value
            env.touch(model, [order_id])

    return method


def button_unlock(env: Env, model: str, ids: list[int]) -> None:
    """16-18: ``done`` -> ``purchase``; 19: ``locked`` off. None (XML-RPC pitfall)."""
    for order_id in ids:
        order = env.row(model, order_id)
        if env.store.major >= 19:
            order["locked"] = False
        elif order["state"] == "done":
            order["state"] = "purchase"
        else:
            continue
        env.touch(model, [order_id])


HOOKS = {
    "purchase.order": Hooks(prepare_create=_prepare_order, before_unlink=_check_order_unlink),
    "purchase.order.line": Hooks(
        prepare_create=_prepare_line,
        after_create=_line_created,
        before_write=_check_line_write,
        after_write=_line_written,
        before_unlink=_check_line_unlink,
    ),
}
METHODS = {
    "button_confirm": button_confirm,
    "button_approve": button_approve,
    "button_cancel": button_cancel,
    "button_draft": _set_state("draft", result={}),
    "button_done": _set_state("done", result=None),
    "button_unlock": button_unlock,
    "button_lock": _set_flag("locked", True),
    "action_acknowledge": _set_flag("acknowledged", True),
}
