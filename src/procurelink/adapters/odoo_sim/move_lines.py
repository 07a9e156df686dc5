"""stock.move.line behaviour of Odoo 17 (reference 3.8): a move's quantity is the sum of its
lines, writing the move's quantity adjusts its lines, ``picked`` follows the lines, and
validation checks lots (creating new ones from ``lot_name``) and moves quants.

Receipts are reserved at once: an assigned incoming move gets its line(s) on creation, one
per unit for serial-tracked products (17+). 16 keeps what a line reserves apart from what it
did: its ``reserved_uom_qty`` (the move's ``reserved_availability``) holds the demand, its
done quantity (``qty_done`` on the wire, the store's ``quantity``) stays at 0 until the
client sets it; validation keeps the done lines, with nothing reserved left on them.
"""

from __future__ import annotations

from typing import Any

from procurelink.adapters.odoo_sim.faults import UserError, ValidationError
from procurelink.adapters.odoo_sim.fields import Record
from procurelink.adapters.odoo_sim.orm import Env, Hooks

MOVE, LINE = "stock.move", "stock.move.line"
EPSILON = 1e-9


def _lines(env: Env, move_id: int) -> list[Record]:
    return [env.row(LINE, i) for i in env.search(LINE, [("move_id", "=", move_id)])]


def _tracking(env: Env, product_id: int | None) -> str:
    product = env.table("product.product").get(product_id or 0)
    return str(product.get("tracking") or "none") if product else "none"


def _sync_move(env: Env, move_id: int | None) -> None:
    """The stored computes ``quantity`` (sum of lines) and ``picked`` (any line picked)."""
    move = env.table(MOVE).get(move_id or 0)
    if move is None or move.get("state") in ("done", "cancel"):
        return
    lines = _lines(env, move["id"])
    move["quantity"] = round(sum(float(ln.get("quantity") or 0.0) for ln in lines), 6)
    if env.store.major >= 17 and lines:
        move["picked"] = any(ln.get("picked") for ln in lines)


def _prepare_move(env: Env, vals: dict[str, Any]) -> None:
    if env.store.major >= 19 and not vals.get("name"):
        # 19 has no stock.move.name on the wire; the store keeps a label for its own use.
        product = env.table("product.product").get(vals.get("product_id") or 0) or {}
        vals["name"] = str(product.get("name") or "/")
    picking = env.table("stock.picking").get(vals.get("picking_id") or 0)
    if picking:
        vals.setdefault("location_id", picking.get("location_id") or False)
        vals.setdefault("location_dest_id", picking.get("location_dest_id") or False)
        vals.setdefault("company_id", picking.get("company_id") or False)


def _move_created(env: Env, move_id: int) -> None:
    move = env.row(MOVE, move_id)
    if move.get("state") != "assigned":
        return
    demand = float(move.get("product_uom_qty") or 0.0)
    reserved = float(move.get("quantity") or 0.0) if env.store.major >= 17 else 0.0
    move["quantity"] = 0.0
    tracking = _tracking(env, move.get("product_id"))
    if env.store.major >= 17 and tracking == "serial" and demand.is_integer() and reserved:
        for _ in range(int(reserved)):
            env.create(LINE, {"move_id": move_id, "quantity": 1.0})
    elif env.store.major >= 17 and reserved:
        env.create(LINE, {"move_id": move_id, "quantity": reserved})
    elif env.store.major <= 16 and demand:
        # reserved, nothing done
        env.create(LINE, {"move_id": move_id, "quantity": 0.0, "reserved_uom_qty": demand})
    _sync_move(env, move_id)


def reserved(env: Env, move: Record) -> float:
    """What a move has reserved: 17+ its ``quantity``; 16 its lines' ``reserved_uom_qty``."""
    if env.store.major >= 17:
        return float(move.get("quantity") or 0.0)
    return sum(float(ln.get("reserved_uom_qty") or 0.0) for ln in _lines(env, move["id"]))


def _move_written(env: Env, ids: list[int], vals: dict[str, Any], old: dict[int, Record]) -> None:
    for move_id in ids:
        move = env.row(MOVE, move_id)
        if "product_uom_qty" in vals:
            _demand_written(env, move, old[move_id])
        if "quantity" in vals and "move_line_ids" not in vals:
            _set_quantity(env, move, float(vals["quantity"] or 0.0))
        if "picked" in vals and env.store.major >= 17:
            for line in _lines(env, move_id):
                line["picked"] = bool(vals["picked"])
            move["picked"] = bool(vals["picked"])
        _sync_move(env, move_id)


def _demand_written(env: Env, move: Record, before: Record) -> None:
    """``stock.move.write`` on the demand: a demand below what is reserved unreserves the
    move (17: its unpicked lines go; 16: lines with nothing done go, the others keep their
    done quantity and reserve nothing, and a receipt reserves its new demand again), then
    the state follows the quantities."""
    if move.get("state") in ("draft", "done", "cancel"):
        return
    demand = float(move.get("product_uom_qty") or 0.0)
    if env.store.major <= 16:
        receipt = _from_supplier(env, move)
        if receipt or reserved(env, move) > demand + EPSILON:
            for line in _lines(env, move["id"]):
                if float(line.get("quantity") or 0.0) > EPSILON:
                    line["reserved_uom_qty"] = 0.0
                else:
                    env.unlink(LINE, [line["id"]])
            if receipt and demand > EPSILON:
                env.create(LINE, {"move_id": move["id"], "reserved_uom_qty": demand})
            _sync_move(env, move["id"])
    elif float(before.get("quantity") or 0.0) > demand + EPSILON and not move.get("picked"):
        env.unlink(LINE, [ln["id"] for ln in _lines(env, move["id"]) if not ln.get("picked")])
        _sync_move(env, move["id"])
    elif move.get("state") == "assigned":
        move["state"] = "partially_available"
    recompute_state(env, move)


def recompute_state(env: Env, move: Record) -> None:
    """``_recompute_state``: assigned when reserved covers the demand, partially when some
    is, else waiting (for an earlier move) or confirmed."""
    state = move.get("state")
    quantity = reserved(env, move)
    if state in ("cancel", "done") or (state == "draft" and not quantity):
        return
    origins = env.value(MOVE, move, "move_orig_ids")
    if quantity >= float(move.get("product_uom_qty") or 0.0) - EPSILON:
        move["state"] = "assigned"
    elif quantity > EPSILON:
        move["state"] = "partially_available"
    elif (move.get("procure_method") == "make_to_order" and not origins) or any(
        env.row(MOVE, o).get("state") not in ("done", "cancel") for o in origins
    ):
        move["state"] = "waiting"
    else:
        move["state"] = "confirmed"


def _set_quantity(env: Env, move: Record, wanted: float) -> None:
    """``_set_quantity``: a decrease takes from the last lines, an increase goes on one."""
    lines = sorted(_lines(env, move["id"]), key=lambda ln: ln["id"])
    current = sum(float(ln.get("quantity") or 0.0) for ln in lines)
    if wanted > current + EPSILON:
        if lines:
            last = lines[-1]
            last["quantity"] = float(last.get("quantity") or 0.0) + wanted - current
        else:
            env.create(LINE, {"move_id": move["id"], "quantity": wanted})
        return
    excess = current - wanted
    for line in reversed(lines):
        if excess <= EPSILON:
            break
        qty = float(line.get("quantity") or 0.0)
        take = min(qty, excess)
        if abs(take - qty) <= EPSILON and env.store.major >= 17:
            env.unlink(LINE, [line["id"]])
        else:
            line["quantity"] = qty - take
        excess -= take


def _prepare_line(env: Env, vals: dict[str, Any]) -> None:
    move = env.table(MOVE).get(vals.get("move_id") or 0)
    if move:
        vals.setdefault("picking_id", move.get("picking_id") or False)
        vals.setdefault("product_id", move.get("product_id"))
        vals.setdefault("product_uom_id", move.get("product_uom"))
        vals.setdefault("location_id", move.get("location_id") or False)
        vals.setdefault("location_dest_id", move.get("location_dest_id") or False)
    elif vals.get("picking_id"):
        picking = env.row("stock.picking", vals["picking_id"])
        vals.setdefault("location_id", picking.get("location_id") or False)
        vals.setdefault("location_dest_id", picking.get("location_dest_id") or False)
    vals.setdefault("date", env.now)


def _line_created(env: Env, line_id: int) -> None:
    line = env.row(LINE, line_id)
    if line.get("quantity", 0) < 0:
        raise ValidationError("No negative quantities allowed")
    _sync_move(env, line.get("move_id"))


def _line_written(env: Env, ids: list[int], vals: dict[str, Any], old: dict[int, Record]) -> None:
    moves = {env.row(LINE, i).get("move_id") for i in ids} | {
        o.get("move_id") for o in old.values()
    }
    for move_id in moves:
        _sync_move(env, move_id)


def _check_line_unlink(env: Env, ids: list[int]) -> None:
    for line_id in ids:
        move = env.table(MOVE).get(env.row(LINE, line_id).get("move_id") or 0)
        if move and move.get("state") == "done":
            raise UserError("You can not delete product moves if the picking is done.")


def _lines_unlinked(env: Env, gone: list[Record]) -> None:
    """``stock.move.line.unlink``: the moves' quantities, and their states
    (``_recompute_state``): a reserved move losing lines is partially available or not."""
    for move_id in {line.get("move_id") for line in gone}:
        _sync_move(env, move_id)
        move = env.table(MOVE).get(move_id or 0)
        if move is not None and move.get("state") in ("assigned", "partially_available"):
            recompute_state(env, move)


def done_lines(env: Env, move: Record, qty: float) -> list[Record]:
    """Validation of one move (``_action_done``): lots resolved, quants moved, empty lines
    dropped. A move without lines gets one for ``qty``."""
    lines = _lines(env, move["id"])
    if env.store.major >= 17 and any(ln.get("picked") for ln in lines):
        for line in lines:
            if not line.get("picked"):
                env.unlink(LINE, [line["id"]])
        lines = _lines(env, move["id"])
    if not lines:
        env.create(LINE, {"move_id": move["id"], "quantity": qty, "picked": True})
        lines = _lines(env, move["id"])
    kept: list[Record] = []
    for line in lines:
        if float(line.get("quantity") or 0.0) <= EPSILON:
            env.unlink(LINE, [line["id"]])
            continue
        kept.append(line)
    _assign_lots(env, move, kept)
    for line in kept:
        line.update(picked=True, date=env.now)
        _free_reservation(env, line)
        if env.store.major <= 16:
            line["reserved_uom_qty"] = 0.0
        _add_quant(env, line)
    return kept


def _held(env: Env, line: Record) -> float:
    """What an open move line reserves: 16 ``reserved_uom_qty``, 17+ its ``quantity``."""
    return float(line.get("reserved_uom_qty" if env.store.major <= 16 else "quantity") or 0.0)


def unreserved(
    env: Env, product: int, where: tuple[Any, Any, Any], but: int | None = None
) -> float:
    """What lies at (location, lot, package) that no open move line (but ``but``) reserves
    (``stock.quant._get_available_quantity``, strict)."""
    location, lot, package = where
    on_hand = sum(
        float(q.get("quantity") or 0.0)
        for q in env.table("stock.quant").values()
        if (q.get("product_id"), q.get("location_id")) == (product, location)
        and (q.get("lot_id") or None, q.get("package_id") or None) == (lot or None, package or None)
    )
    return on_hand - sum(
        _held(env, ln) for ln in _reserving(env, product, where) if ln["id"] != but
    )


def _reserving(env: Env, product: int, where: tuple[Any, Any, Any]) -> list[Record]:
    location, lot, package = where
    out = []
    for line in env.table(LINE).values():
        move = env.table(MOVE).get(line.get("move_id") or 0) or {}
        if (
            (line.get("product_id"), line.get("location_id")) == (product, location)
            and (line.get("lot_id") or None) == (lot or None)
            and (line.get("package_id") or None) == (package or None)
            and _held(env, line) > EPSILON
            and move.get("state") not in ("done", "cancel")
        ):
            out.append(line)
    return out


def _free_reservation(env: Env, line: Record) -> None:
    """``_free_reservation`` (16, and 17+ checked on a real 17): a line done for more than
    it reserved, from goods other moves reserve, takes them from those moves (their lines
    reserve less, or go when they did nothing; the line's own transfer first, then the
    latest scheduled, newest first). 17+ lines reserve their ``quantity`` until done."""
    source = env.table("stock.location").get(line.get("location_id") or 0) or {}
    own = 0.0 if env.store.major >= 17 else float(line.get("reserved_uom_qty") or 0.0)
    extra = float(line.get("quantity") or 0.0) - own
    if source.get("usage") not in ("internal", "transit") or extra <= EPSILON:
        return
    where = (line.get("location_id"), line.get("lot_id"), line.get("package_id"))
    but = line["id"] if env.store.major >= 17 else None
    short = extra - unreserved(env, line["product_id"], where, but)
    if short <= EPSILON:
        return

    def scheduled(cand: Record) -> str:
        picking = env.table("stock.picking").get(cand.get("picking_id") or 0) or {}
        return str(picking.get("scheduled_date") or env.row(MOVE, cand["move_id"]).get("date"))

    candidates = [
        c
        for c in _reserving(env, line["product_id"], where)
        if c["id"] != line["id"] and not (env.store.major >= 17 and c.get("picked"))
    ]
    # The line's own transfer first, then the latest scheduled, the newest line first.
    candidates.sort(key=lambda c: -c["id"])
    candidates.sort(key=scheduled, reverse=True)
    candidates.sort(key=lambda c: c.get("picking_id") != line.get("picking_id"))
    touched: set[int] = set()
    for cand in candidates:
        held = _held(env, cand)
        touched.add(cand["move_id"])
        if held <= short + EPSILON:
            short -= held
            if env.store.major <= 16 and float(cand.get("quantity") or 0.0) > EPSILON:
                cand["reserved_uom_qty"] = 0.0
            else:
                env.unlink(LINE, [cand["id"]])
            if short <= EPSILON:
                break
        else:
            cand["reserved_uom_qty" if env.store.major <= 16 else "quantity"] = held - short
            break
    for move_id in sorted(touched):
        _sync_move(env, move_id)
        recompute_state(env, env.row(MOVE, move_id))


def reserve_receipt(env: Env, move: Record) -> None:
    """16: an open receipt move whose demand changed reserves that demand again (its lines'
    ``reserved_uom_qty``: the last line takes the difference); nothing on 17+."""
    if env.store.major >= 17 or move.get("state") in ("draft", "done", "cancel"):
        return
    lines = sorted(_lines(env, move["id"]), key=lambda ln: ln["id"])
    gap = float(move.get("product_uom_qty") or 0.0) - reserved(env, move)
    for line in reversed(lines):
        if gap >= -EPSILON:
            break
        take = min(float(line.get("reserved_uom_qty") or 0.0), -gap)
        line["reserved_uom_qty"] = float(line.get("reserved_uom_qty") or 0.0) - take
        gap += take
    if gap > EPSILON:
        if lines:
            lines[-1]["reserved_uom_qty"] = float(lines[-1].get("reserved_uom_qty") or 0.0) + gap
        else:
            env.create(LINE, {"move_id": move["id"], "reserved_uom_qty": gap})


def _from_supplier(env: Env, move: Record) -> bool:
    source = env.table("stock.location").get(move.get("location_id") or 0) or {}
    return source.get("usage") == "supplier"


def _assign_lots(env: Env, move: Record, lines: list[Record]) -> None:
    tracking = _tracking(env, move.get("product_id"))
    if tracking == "none":
        return
    ptype = env.table("stock.picking.type").get(move.get("picking_type_id") or 0) or {}
    missing: list[Record] = []
    for line in lines:
        if line.get("lot_id"):
            continue
        if not (ptype.get("use_create_lots") or ptype.get("use_existing_lots")):
            continue  # both disabled: tracked goods may go without a lot
        name = line.get("lot_name")
        if not name or not ptype.get("use_create_lots"):
            missing.append(line)
            continue
        company = line.get("company_id") or 1
        found = env.search(
            "stock.lot",
            [
                ("company_id", "=", company),
                ("product_id", "=", move["product_id"]),
                ("name", "=", name),
            ],
            limit=1,
        )
        line["lot_id"] = (
            found[0]
            if found
            else env.create(
                "stock.lot", {"name": name, "product_id": move["product_id"], "company_id": company}
            )
        )
    if missing:
        names = sorted({env.display_name("product.product", ln["product_id"]) for ln in missing})
        raise UserError(
            "You need to supply a Lot/Serial Number for product: \n - " + "\n - ".join(names)
        )


def _add_quant(env: Env, line: Record) -> None:
    qty = float(line.get("quantity") or 0.0)
    for location, sign, package in (
        (line.get("location_id"), -1.0, line.get("package_id")),
        (line.get("location_dest_id"), 1.0, line.get("result_package_id")),
    ):
        place = env.table("stock.location").get(location or 0)
        if not place or place.get("usage") not in ("internal", "transit"):
            continue  # Odoo keeps quants for internal and transit locations only
        key = [
            ("product_id", "=", line["product_id"]),
            ("location_id", "=", location),
            ("lot_id", "=", line.get("lot_id") or False),
            ("package_id", "=", package or False),
        ]
        found = env.search("stock.quant", key, limit=1)
        if found:
            quant = env.row("stock.quant", found[0])
            quant["quantity"] = float(quant.get("quantity") or 0.0) + sign * qty
        else:
            env.create(
                "stock.quant",
                {
                    "product_id": line["product_id"],
                    "location_id": location,
                    "lot_id": line.get("lot_id") or False,
                    "package_id": package or False,
                    "quantity": sign * qty,
                    "company_id": line.get("company_id") or 1,
                },
            )
        if package and sign > 0:
            env.row("stock.quant.package", package)["location_id"] = location


def _check_lot(env: Env, ids: list[int], vals: dict[str, Any]) -> None:
    if "name" in vals:
        for lot_id in ids:
            lot = env.row("stock.lot", lot_id)
            _unique_lot(env, vals["name"], lot["product_id"], lot["company_id"], lot_id)


def _prepare_lot(env: Env, vals: dict[str, Any]) -> None:
    _unique_lot(env, vals.get("name"), vals.get("product_id"), vals.get("company_id") or 1, None)


def _unique_lot(env: Env, name: Any, product: Any, company: Any, own: int | None) -> None:
    domain = [("name", "=", name), ("product_id", "=", product), ("company_id", "=", company)]
    if any(i != own for i in env.search("stock.lot", domain)):
        raise ValidationError(
            "The combination of serial number and product must be unique across a company.\n"
            f"Following combination contains duplicates:\n - Product: "
            f"{env.display_name('product.product', product)}, Serial Number: {name}"
        )


HOOKS = {
    MOVE: Hooks(
        prepare_create=_prepare_move, after_create=_move_created, after_write=_move_written
    ),
    LINE: Hooks(
        prepare_create=_prepare_line,
        after_create=_line_created,
        after_write=_line_written,
        before_unlink=_check_line_unlink,
        after_unlink=_lines_unlinked,
    ),
    "stock.lot": Hooks(prepare_create=_prepare_lot, before_write=_check_lot),
}
