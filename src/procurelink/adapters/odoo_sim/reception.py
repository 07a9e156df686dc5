"""Multi-step reception of Odoo 16-19 (reference 4): warehouses with Input and Quality Control
locations, and the internal moves chained to a receipt.

A warehouse created over the API gets its locations and operation types as
``stock.warehouse.create`` makes them: a view location named by its code, with Stock, Input,
Quality Control, Output and Packing Zone under it (the unused ones archived), and the
Receipts (IN), Delivery Orders (OUT) and Internal Transfers (INT) types, and on 18 and 19
Quality Control (QC) and Storage (STOR), the types of the steps after the receipt.
``reception_steps`` (on create or write) decides where receipts land (the Receipts type's
default destination) and which push rules the reception route holds (``get_rules_dict``):

* ``one_step``: Vendors -> Stock, nothing chained;
* ``two_steps``: Vendors -> Input, then Input -> Stock;
* ``three_steps``: Vendors -> Input, Input -> Quality Control, Quality Control -> Stock.

A confirmed move arriving where a rule starts gets the next move (``_push_apply`` /
``_run_push``): a copy from its destination to the rule's, of the step's type (Internal
Transfers; on 18 and 19 Quality Control or Storage), make to order, without
``purchase_line_id`` (purchase_stock), linked by ``move_dest_ids`` (its ``move_orig_ids``),
in the open transfer
of the same origin, type and locations, merged into a move of the same product there
(``_assign_picking``, ``_merge_moves``); it waits. When its origins are done it reserves
what they brought (``_action_assign`` of ``move_dest_ids``), lot and package as they lie,
less what its sibling moves took.
That is 16-17; 18 and 19 push when a move is done instead (``push_done``), for what it
brought (its ``quantity``, held goods received into quarantine included) and reserve the
pushed move at once; 19 reserves it from wherever the done move's lines put the goods,
quarantine included (``_brought``), 18 only from inside its source location.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from procurelink.adapters.odoo_sim.fields import Record
from procurelink.adapters.odoo_sim.move_lines import (
    EPSILON,
    LINE,
    MOVE,
    recompute_state,
    reserved,
    unreserved,
)
from procurelink.adapters.odoo_sim.orm import Env, Hooks

WAREHOUSE, LOCATION, TYPE, PICKING = (
    "stock.warehouse",
    "stock.location",
    "stock.picking.type",
    "stock.picking",
)
OPEN = ("draft", "waiting", "confirmed", "partially_available", "assigned")
# 19 reserves a chained move from wherever its done origins put the goods. 18 (checked on a
# real 18) reserves only inside the move's source location: its ``_action_assign`` gathers
# quants through a cache filled for the moves' source locations (``child_of``) only.
ANYWHERE = 19
# 18 and 19 make Quality Control (QC) and Storage (STOR) operation types for the reception
# steps (``qc_type_id``, ``store_type_id``; checked on real ones); 16-17 have none.
STEP_TYPES = 18


def picking_name(env: Env, type_id: int) -> str:
    ptype = env.row(TYPE, type_id)
    warehouse = env.table(WAREHOUSE).get(ptype.get("warehouse_id") or 0)
    prefix = f"{warehouse['code']}/" if warehouse else ""
    seq = env.next_sequence(f"stock.picking.type:{type_id}")
    return f"{prefix}{ptype['sequence_code']}/{seq:05d}"


# -- warehouses ---------------------------------------------------------------------------


def _warehouse_created(env: Env, warehouse_id: int) -> None:
    warehouse = env.row(WAREHOUSE, warehouse_id)
    if warehouse.get("view_location_id"):
        return  # built by hand, locations given (the simulator's seed)
    company = warehouse.get("company_id")
    view = env.create(
        LOCATION,
        {"name": warehouse["code"], "usage": "view", "company_id": company},
    )
    steps = warehouse.get("reception_steps") or "one_step"
    made: dict[str, int] = {}
    for key, name, active in (
        ("lot_stock_id", "Stock", True),
        ("wh_input_stock_loc_id", "Input", steps != "one_step"),
        ("wh_qc_stock_loc_id", "Quality Control", steps == "three_steps"),
        ("output", "Output", False),
        ("pack", "Packing Zone", False),
    ):
        made[key] = env.create(
            LOCATION,
            {"name": name, "location_id": view, "company_id": company, "active": active},
        )
    env.write(LOCATION, [view, *made.values()], {"warehouse_id": warehouse_id})
    vendors = env.search(LOCATION, [("usage", "=", "supplier")], limit=1)
    stock = made["lot_stock_id"]
    common = {"warehouse_id": warehouse_id, "company_id": company}
    in_type = env.create(
        TYPE,
        {
            "name": "Receipts",
            "code": "incoming",
            "sequence_code": "IN",
            "default_location_src_id": vendors[0] if vendors else False,
            "default_location_dest_id": stock,
            "use_create_lots": True,
            "use_existing_lots": False,
            **common,
        },
    )
    env.create(
        TYPE,
        {
            "name": "Delivery Orders",
            "code": "outgoing",
            "sequence_code": "OUT",
            "default_location_src_id": stock,
            **common,
        },
    )
    int_type = env.create(
        TYPE,
        {
            "name": "Internal Transfers",
            "code": "internal",
            "sequence_code": "INT",
            "default_location_src_id": stock,
            "default_location_dest_id": stock,
            **common,
        },
    )
    warehouse.update(
        view_location_id=view,
        lot_stock_id=stock,
        wh_input_stock_loc_id=made["wh_input_stock_loc_id"],
        wh_qc_stock_loc_id=made["wh_qc_stock_loc_id"],
        in_type_id=in_type,
        int_type_id=int_type,
    )
    if env.store.major >= STEP_TYPES:
        for key, name, code, src, dest in (
            ("qc_type_id", "Quality Control", "QC", "wh_input_stock_loc_id", "wh_qc_stock_loc_id"),
            ("store_type_id", "Storage", "STOR", None, "lot_stock_id"),
        ):
            warehouse[key] = env.create(
                TYPE,
                {
                    "name": name,
                    "code": "internal",
                    "sequence_code": code,
                    "default_location_src_id": warehouse[src] if src else False,
                    "default_location_dest_id": warehouse[dest],
                    "use_create_lots": False,
                    "use_existing_lots": True,
                    **common,
                },
            )
    _apply_steps(env, warehouse)


def _warehouse_written(env: Env, ids: list[int], vals: dict[str, Any], old: Any) -> None:
    if "reception_steps" not in vals:
        return
    for warehouse_id in ids:
        warehouse = env.row(WAREHOUSE, warehouse_id)
        for key, name in (
            ("wh_input_stock_loc_id", "Input"),
            ("wh_qc_stock_loc_id", "Quality Control"),
        ):
            if not warehouse.get(key) and warehouse.get("view_location_id"):
                # ``_create_missing_locations``
                warehouse[key] = env.create(
                    LOCATION,
                    {
                        "name": name,
                        "location_id": warehouse["view_location_id"],
                        "company_id": warehouse.get("company_id"),
                        "warehouse_id": warehouse_id,
                    },
                )
        _apply_steps(env, warehouse)


def _apply_steps(env: Env, warehouse: Record) -> None:
    """``_update_location_reception`` and the Receipts type's destination."""
    steps = warehouse.get("reception_steps") or "one_step"
    for key, active in (
        ("wh_input_stock_loc_id", steps != "one_step"),
        ("wh_qc_stock_loc_id", steps == "three_steps"),
    ):
        if warehouse.get(key):
            env.row(LOCATION, warehouse[key])["active"] = active
    if warehouse.get("in_type_id"):
        dest = warehouse.get("lot_stock_id") if steps == "one_step" else None
        dest = dest or warehouse.get("wh_input_stock_loc_id")
        env.row(TYPE, warehouse["in_type_id"])["default_location_dest_id"] = dest
    if warehouse.get("qc_type_id"):  # 18-19: ``_get_picking_type_update_values``
        env.row(TYPE, warehouse["qc_type_id"])["active"] = steps == "three_steps"
    if warehouse.get("store_type_id"):
        store = env.row(TYPE, warehouse["store_type_id"])
        store["active"] = steps != "one_step"
        store["default_location_src_id"] = warehouse.get(
            "wh_input_stock_loc_id" if steps == "two_steps" else "wh_qc_stock_loc_id"
        )


def _routing(warehouse: Record) -> list[tuple[Any, Any, Any]]:
    """The push rules of the warehouse's reception route: (from, to) locations and the
    operation type of the step (18-19: Quality Control and Storage; 16-17: Internal)."""
    steps = warehouse.get("reception_steps") or "one_step"
    inp, qc = warehouse.get("wh_input_stock_loc_id"), warehouse.get("wh_qc_stock_loc_id")
    stock, internal = warehouse.get("lot_stock_id"), warehouse.get("int_type_id")
    to_qc = warehouse.get("qc_type_id") or internal
    to_stock = warehouse.get("store_type_id") or internal
    if steps == "two_steps":
        return [(inp, stock, to_stock)]
    if steps == "three_steps":
        return [(inp, qc, to_qc), (qc, stock, to_stock)]
    return []


# -- chained moves ------------------------------------------------------------------------


# 18 and 19 push the next step of a reception when a move is done, for what it brought (each
# step in turn); 16-17 chain the whole route at confirmation and the next moves wait.
PUSH_WHEN_DONE = 18


def push(env: Env, move_ids: Iterable[int]) -> None:
    """``_push_apply`` of confirmed moves (16-17): the next move of each, and the next
    one's next."""
    if env.store.major >= PUSH_WHEN_DONE:
        return
    for move_id in move_ids:
        move = env.row(MOVE, move_id)
        if move.get("move_dest_ids"):
            continue  # already chained
        warehouse = _warehouse(env, move)
        if warehouse is None:
            continue
        rule = next((r for r in _routing(warehouse) if r[0] == move.get("location_dest_id")), None)
        if rule is not None and rule[2]:
            push(env, [_chain(env, move, rule[2], rule[1])])


def push_done(env: Env, moves: Iterable[Record]) -> None:
    """18's ``_push_apply`` of done moves: each gets its next step, for the quantity it
    brought, merged into an open transfer of that step; reserved by ``assign_next``."""
    if env.store.major < PUSH_WHEN_DONE:
        return
    for move in moves:
        warehouse = _warehouse(env, move)
        if warehouse is None or move.get("state") != "done" or move.get("move_dest_ids"):
            continue
        rule = next((r for r in _routing(warehouse) if r[0] == move.get("location_dest_id")), None)
        if rule is not None and rule[2]:
            _chain(env, move, rule[2], rule[1])


def _warehouse(env: Env, move: Record) -> Record | None:
    ptype = env.table(TYPE).get(move.get("picking_type_id") or 0) or {}
    return env.table(WAREHOUSE).get(ptype.get("warehouse_id") or 0)


def _chain(env: Env, move: Record, type_id: int, dest: int) -> int:
    source = move["location_dest_id"]
    picking_id = _open_picking(env, move, type_id, source, dest)
    same = [
        env.row(MOVE, i)
        for i in env.search(
            MOVE,
            [
                ("picking_id", "=", picking_id),
                ("product_id", "=", move["product_id"]),
                ("state", "in", ["waiting", "confirmed", "partially_available", "assigned"]),
            ],
        )
    ]
    qty = float(move.get("product_uom_qty") or 0.0)
    if same:  # merged with the product's move already waiting there
        target = same[0]
        target["product_uom_qty"] = float(target.get("product_uom_qty") or 0.0) + qty
        move["move_dest_ids"] = [*(move.get("move_dest_ids") or []), target["id"]]
        recompute_state(env, target)
        return int(target["id"])
    new_id = env.create(
        MOVE,
        {
            "name": move["name"],
            "origin": move.get("origin") or False,
            "product_id": move["product_id"],
            "product_uom_qty": qty,
            "quantity": 0.0,
            "product_uom": move["product_uom"],
            "picking_id": picking_id,
            "picking_type_id": type_id,
            "location_id": source,
            "location_dest_id": dest,
            "date": move["date"],
            "date_deadline": move.get("date_deadline") or False,
            "company_id": move.get("company_id") or False,
            "procure_method": "make_to_order",
            "state": "waiting",
        },
    )
    move["move_dest_ids"] = [*(move.get("move_dest_ids") or []), new_id]
    return new_id


def _open_picking(env: Env, move: Record, type_id: int, source: int, dest: int) -> int:
    found = env.search(
        PICKING,
        [
            ("origin", "=", move.get("origin") or False),
            ("picking_type_id", "=", type_id),
            ("location_id", "=", source),
            ("location_dest_id", "=", dest),
            ("state", "in", list(OPEN)),
        ],
        limit=1,
    )
    if found:
        return found[0]
    return env.create(
        PICKING,
        {
            "name": picking_name(env, type_id),
            "origin": move.get("origin") or False,
            "picking_type_id": type_id,
            "location_id": source,
            "location_dest_id": dest,
            "company_id": move.get("company_id") or False,
            "scheduled_date": move["date"],
        },
    )


def assign_next(env: Env, done: Iterable[Record]) -> None:
    """The moves waiting for ``done`` reserve what it brought."""
    seen: set[int] = set()
    for move in done:
        for dest_id in move.get("move_dest_ids") or []:
            if dest_id not in seen and env.exists(MOVE, dest_id):
                seen.add(dest_id)
                reserve(env, env.row(MOVE, dest_id))


def reserve(env: Env, move: Record) -> None:
    """``_action_assign`` of a chained move: lines for what its done origins brought into
    its source location, less what its siblings and its own lines hold already."""
    if move.get("state") not in ("waiting", "confirmed", "partially_available") or move.get(
        "picked"
    ):
        return
    origins = [env.row(MOVE, i) for i in env.value(MOVE, move, "move_orig_ids")]
    available = _brought(env, move, origins)
    need = float(move.get("product_uom_qty") or 0.0) - reserved(env, move)
    for (location, lot, package), qty in available.items():
        if need <= EPSILON:
            break
        take = min(qty, need)
        # no more than lies there unreserved (strict; checked on real 16 and 17)
        take = min(take, unreserved(env, move["product_id"], (location, lot, package)))
        if take <= EPSILON:
            continue
        need -= take
        if _add_to_line(env, move, (location, lot, package), take):
            continue
        env.create(
            LINE,
            {
                "move_id": move["id"],
                "location_id": location,
                "lot_id": lot or False,
                "package_id": package or False,
                # 16 reserves apart from the done quantity (``reserved_uom_qty``)
                ("quantity" if env.store.major >= 17 else "reserved_uom_qty"): take,
            },
        )
    recompute_state(env, move)


def _add_to_line(env: Env, move: Record, where: tuple[int, Any, Any], qty: float) -> bool:
    """``_update_reserved_quantity``: more reserved from where a line of the move already
    reserves (same location, lot and package, nothing done: 16 no ``qty_done``, 17+ not
    picked) goes onto that line (checked on real 16, 17, 18 and 19)."""
    location, lot, package = where
    done = "picked" if env.store.major >= 17 else "quantity"
    for line in env.table(LINE).values():
        if (
            line.get("move_id") == move["id"]
            and line.get("location_id") == location
            and (line.get("lot_id") or None) == (lot or None)
            and (line.get("package_id") or None) == (package or None)
            and not line.get(done)
        ):
            if env.store.major >= 17:
                env.write(LINE, [line["id"]], {"quantity": float(line["quantity"] or 0.0) + qty})
            else:
                line["reserved_uom_qty"] = float(line.get("reserved_uom_qty") or 0.0) + qty
            return True
    return False


def _brought(
    env: Env, move: Record, origins: list[Record]
) -> dict[tuple[int, int | None, int | None], float]:
    """(location, lot, package) -> what done origins left there, not yet taken, in the
    order of their lines. 16-18 count what they left inside the move's source location
    (18: its quants cache holds only those); 19 (``_get_available_move_lines_in``) whatever
    they left anywhere, so goods received straight into quarantine are reserved by the next
    step too."""
    inside = _subtree(env, move.get("location_id"))
    anywhere = env.store.major >= ANYWHERE
    out: dict[tuple[int, int | None, int | None], float] = {}
    siblings: set[int] = set()
    for origin in origins:
        siblings |= set(origin.get("move_dest_ids") or [])
        if origin.get("state") != "done":
            continue
        for line in sorted(env.table(LINE).values(), key=lambda ln: ln["id"]):
            if line.get("move_id") == origin["id"] and (
                anywhere or line.get("location_dest_id") in inside
            ):
                key = (line["location_dest_id"], line.get("lot_id"), line.get("result_package_id"))
                out[key] = out.get(key, 0.0) + float(line.get("quantity") or 0.0)
    for line in env.table(LINE).values():
        if line.get("move_id") in siblings:  # this move's own lines included
            key = (line.get("location_id"), line.get("lot_id"), line.get("package_id"))
            if key in out:
                out[key] -= _taken(env, line)
    return {k: v for k, v in out.items() if v > EPSILON}


def _taken(env: Env, line: Record) -> float:
    """What a line holds of its source: 17+ its quantity; 16 what it reserves or did."""
    done = float(line.get("quantity") or 0.0)
    return done if env.store.major >= 17 else max(done, float(line.get("reserved_uom_qty") or 0.0))


def _subtree(env: Env, root: int | None) -> set[int]:
    found = {root} if root else set()
    grew = True
    while grew:
        more = {
            loc["id"]
            for loc in env.table(LOCATION).values()
            if loc.get("location_id") in found and loc["id"] not in found
        }
        found |= more
        grew = bool(more)
    return found


def action_assign(env: Env, model: str, ids: list[int]) -> bool:
    """``stock.picking.action_assign``: chained moves reserve what their origins brought
    (moves taking from stock are not reserved by the simulator)."""
    for picking_id in ids:
        for move_id in env.search(MOVE, [("picking_id", "=", picking_id)]):
            move = env.row(MOVE, move_id)
            if env.value(MOVE, move, "move_orig_ids"):
                reserve(env, move)
    env.touch(model, ids)
    return True


HOOKS = {WAREHOUSE: Hooks(after_create=_warehouse_created, after_write=_warehouse_written)}
