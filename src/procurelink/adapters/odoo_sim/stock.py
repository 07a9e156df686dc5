"""Receipts: stock.picking creation from a confirmed order and validation (section 3.7)."""

from __future__ import annotations

from typing import Any

from procurelink.adapters.odoo_sim.faults import UserError
from procurelink.adapters.odoo_sim.fields import Record
from procurelink.adapters.odoo_sim.models_stock import OPEN
from procurelink.adapters.odoo_sim.move_lines import LINE, done_lines
from procurelink.adapters.odoo_sim.orm import Env, Hooks
from procurelink.adapters.odoo_sim.reception import (
    action_assign,
    assign_next,
    picking_name,
    push,
    push_done,
)


def _new_picking(env: Env, order: Record, scheduled: str, backorder_of: int | None = None) -> int:
    return env.create(
        "stock.picking",
        {
            "name": picking_name(env, order["picking_type_id"]),
            "origin": order["name"],
            "partner_id": order["partner_id"],
            "picking_type_id": order["picking_type_id"],
            "company_id": order["company_id"],
            "scheduled_date": scheduled,
            "backorder_id": backorder_of or False,
        },
    )


def _move_vals(
    env: Env, order: Record, line: Record, picking_id: int, qty: float
) -> dict[str, Any]:
    # Receipts from a supplier location are reserved at once: quantity pre-filled in 17+;
    # 16 reserves too, but its done quantity (``quantity_done``) starts at 0.
    return {
        "name": line["name"],
        "origin": order["name"],
        "product_id": line["product_id"],
        "product_uom_qty": qty,
        "quantity": 0.0 if env.store.major <= 16 else qty,
        "product_uom": line["product_uom"],
        "purchase_line_id": line["id"],
        "picking_id": picking_id,
        "picking_type_id": order["picking_type_id"],
        "state": "assigned",
        "date": line["date_planned"],
        "date_deadline": line["date_planned"],
    }


def create_receipt(env: Env, order: Record, lines: list[Record]) -> int:
    """``_create_picking``: one incoming picking, one assigned move per storable line."""
    scheduled = min(ln["date_planned"] for ln in lines)
    picking_id = _new_picking(env, order, scheduled)
    moves = [
        env.create("stock.move", _move_vals(env, order, line, picking_id, line["product_qty"]))
        for line in lines
    ]
    push(env, moves)  # 2/3-step reception: the internal moves after the receipt
    return picking_id


def add_receipt_move(env: Env, order: Record, line: Record, qty: float | None = None) -> None:
    """A new or increased line of a confirmed order: into an open receipt, else a new one."""
    open_ids = env.search(
        "stock.picking",
        [("origin", "=", order["name"]), ("state", "not in", ["done", "cancel"])],
        limit=1,
    )
    picking_id = open_ids[0] if open_ids else _new_picking(env, order, line["date_planned"])
    move = env.create(
        "stock.move", _move_vals(env, order, line, picking_id, qty or line["product_qty"])
    )
    push(env, [move])


def button_validate(env: Env, model: str, ids: list[int]) -> Any:
    pickings = [env.row(model, i) for i in ids]
    drafts = [p["id"] for p in pickings if env.value(model, p, "state") == "draft"]
    if drafts:
        action_confirm(env, model, drafts)  # 17 confirms draft transfers first
    moves = {p["id"]: _open_moves(env, p["id"]) for p in pickings}
    if any(not ms for ms in moves.values()):
        raise UserError("You cannot validate a transfer if no quantities are reserved nor done.")
    if env.store.major <= 16 and not any(m["quantity"] for ms in moves.values() for m in ms):
        return _immediate_transfer(env, ids)
    for picking in pickings:
        _default_picked(env, moves[picking["id"]])
    short = [
        p["id"]
        for p in pickings
        if _backorder_setting(env, p) == "ask"
        and any(received(env, m) < m["product_uom_qty"] for m in moves[p["id"]])
    ]
    if short and not env.context.get("skip_backorder"):
        # Nothing validated yet: the client must answer the backorder question (section 3.7).
        return {
            "name": "Create Backorder?",
            "type": "ir.actions.act_window",
            "view_mode": "form",
            "res_model": "stock.backorder.confirmation",
            "target": "new",
            # Odoo passes the caller's context along: the wizard needs it back (3.7 step 4).
            "context": {
                **env.context,
                "button_validate_picking_ids": ids,
                "default_show_transfers": False,
                "default_pick_ids": [[4, i] for i in short],
            },
        }
    no_backorder = set(env.context.get("picking_ids_not_to_backorder") or [])
    no_backorder |= {p["id"] for p in pickings if _backorder_setting(env, p) == "never"}
    no_backorder -= {p["id"] for p in pickings if _backorder_setting(env, p) == "always"}
    for picking in pickings:
        _validate(env, picking, moves[picking["id"]], backorder=picking["id"] not in no_backorder)
    return True


def _immediate_transfer(env: Env, ids: list[int]) -> Any:
    """16: nothing done yet -> the immediate-transfer wizard, nothing validated (3.7)."""
    if env.context.get("skip_immediate"):
        raise UserError("You cannot validate a transfer if no quantities are reserved nor done.")
    return {
        "name": "Immediate Transfer?",
        "type": "ir.actions.act_window",
        "view_mode": "form",
        "res_model": "stock.immediate.transfer",
        "target": "new",
        "context": {
            "button_validate_picking_ids": ids,
            "default_show_transfers": False,
            "default_pick_ids": [[4, i] for i in ids],
        },
    }


def received(env: Env, move: Record) -> float:
    """What validation takes of a move: 17+ processes picked moves only (3.8)."""
    if env.store.major >= 17 and not move.get("picked"):
        return 0.0
    return float(move.get("quantity") or 0.0)


def _default_picked(env: Env, moves: list[Record]) -> None:
    # 17+: when nothing is picked but quantities exist, validation picks everything.
    if env.store.major >= 17 and not any(m.get("picked") for m in moves):
        for move in moves:
            move["picked"] = bool(move.get("quantity"))


def _backorder_setting(env: Env, picking: Record) -> str:
    """The operation type's ``create_backorder``: ask, always or never (3.7 step 5)."""
    ptype = env.table("stock.picking.type").get(picking.get("picking_type_id") or 0)
    return str(ptype.get("create_backorder") or "ask") if ptype else "ask"


def _open_moves(env: Env, picking_id: int) -> list[Record]:
    ids = env.search("stock.move", [("picking_id", "=", picking_id), ("state", "in", list(OPEN))])
    return [env.row("stock.move", i) for i in ids]


def _validate(env: Env, picking: Record, moves: list[Record], *, backorder: bool) -> None:
    done = {m["id"]: received(env, m) for m in moves}
    rest = [
        (m, m["product_uom_qty"] - done[m["id"]])
        for m in moves
        if done[m["id"]] < m["product_uom_qty"]
    ]
    for move in moves:
        qty = done[move["id"]]
        if qty > 0:
            kept = done_lines(env, move, qty)
            qty = sum(float(ln.get("quantity") or 0.0) for ln in kept)
            move.update(state="done", product_uom_qty=qty, quantity=qty, picked=True, date=env.now)
        else:
            env.unlink(LINE, env.search(LINE, [("move_id", "=", move["id"])]))
            move.update(state="cancel", quantity=0.0, picked=False)
    picking["date_done"] = env.now
    env.touch("stock.picking", [picking["id"]])
    if rest and backorder:
        new_id = env.create(
            "stock.picking",
            {
                "name": picking_name(env, picking["picking_type_id"]),
                "origin": picking["origin"],
                "partner_id": picking["partner_id"] or False,
                "picking_type_id": picking["picking_type_id"],
                "company_id": picking["company_id"],
                "scheduled_date": picking["scheduled_date"],
                "backorder_id": picking["id"],
            },
        )
        for move, qty in rest:
            env.create(
                "stock.move",
                {
                    **{k: move[k] for k in ("name", "origin", "date", "date_deadline")},
                    **{k: move.get(k) or False for k in ("location_id", "location_dest_id")},
                    "product_id": move["product_id"],
                    "product_uom": move["product_uom"],
                    "purchase_line_id": move["purchase_line_id"] or False,
                    "picking_type_id": move["picking_type_id"] or False,
                    "picking_id": new_id,
                    "product_uom_qty": qty,
                    "quantity": 0.0 if env.store.major <= 16 else qty,
                    "state": "assigned",
                    # ``_split`` keeps the chain: the rest still flows on when it comes.
                    "move_dest_ids": [[6, 0, _open_dests(env, move)]],
                },
            )
    push_done(env, moves)  # 18: the next step of a multi-step reception, once this is done
    assign_next(env, [m for m in moves if m.get("state") == "done"])
    _touch_orders(env, moves)


def _open_dests(env: Env, move: Record) -> list[int]:
    return [
        i
        for i in move.get("move_dest_ids") or []
        if env.exists("stock.move", i)
        and env.row("stock.move", i).get("state") not in ("done", "cancel")
    ]


def _touch_orders(env: Env, moves: list[Record]) -> None:
    # qty_received and receipt_status are stored computes: their recompute stamps write_date.
    line_ids = sorted({m["purchase_line_id"] for m in moves if m.get("purchase_line_id")})
    env.touch("purchase.order.line", line_ids)
    orders = {env.row("purchase.order.line", i)["order_id"] for i in line_ids}
    env.touch("purchase.order", sorted(orders))


def _prepare_picking(env: Env, vals: dict[str, Any]) -> None:
    """Locations default from the operation type (``_compute_location_id``)."""
    ptype = env.table("stock.picking.type").get(vals.get("picking_type_id") or 0) or {}
    if not vals.get("location_id"):
        vals["location_id"] = ptype.get("default_location_src_id") or _vendors(env)
    if not vals.get("location_dest_id"):
        vals["location_dest_id"] = ptype.get("default_location_dest_id") or False


def _vendors(env: Env) -> Any:
    found = env.search("stock.location", [("usage", "=", "supplier")], limit=1)
    return found[0] if found else False


def action_confirm(env: Env, model: str, ids: list[int]) -> bool:
    """Draft moves of the pickings become waiting availability (``_action_confirm``)."""
    for picking_id in ids:
        for move_id in env.search("stock.move", [("picking_id", "=", picking_id)]):
            move = env.row("stock.move", move_id)
            if move.get("state") == "draft":
                move["state"] = "confirmed"
    env.touch(model, ids)
    return True


def _check_picking_write(env: Env, ids: list[int], vals: dict[str, Any]) -> None:
    if "scheduled_date" in vals:
        for picking_id in ids:
            state = env.value("stock.picking", env.row("stock.picking", picking_id), "state")
            if state in ("done", "cancel"):
                raise UserError(
                    "You cannot change the Scheduled Date on a done or cancelled transfer."
                )


def _picking_written(
    env: Env, ids: list[int], vals: dict[str, Any], old: dict[int, Record]
) -> None:
    if "scheduled_date" in vals:  # inverse: the moves follow the picking
        for picking_id in ids:
            for move in _open_moves(env, picking_id):
                move["date"] = env.row("stock.picking", picking_id)["scheduled_date"]


HOOKS = {
    "stock.picking": Hooks(
        prepare_create=_prepare_picking,
        before_write=_check_picking_write,
        after_write=_picking_written,
    )
}
METHODS = {
    "button_validate": button_validate,
    "action_confirm": action_confirm,
    "action_assign": action_assign,
}
