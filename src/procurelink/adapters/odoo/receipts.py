"""Goods receipts written to Odoo: validating the order's incoming picking (reference 3.7-3.8).

The recipe, per picking that received anything:

1. one ``write`` of the picking with ``(1, move_id, vals)`` commands setting every open
   move's received quantity (``quantity`` + ``picked`` in 17+, ``quantity_done`` in 16) —
   17 pre-fills ``quantity`` with the demand, so moves that got nothing are set to 0 too,
   or validating would receive everything (pitfall 13);
2. ``button_validate``; when it answers the backorder wizard action, nothing is validated
   yet: create ``stock.backorder.confirmation`` with the action's context (which carries
   ``button_validate_picking_ids``, without which the wizard does nothing) and call
   ``process`` (backorder) or ``process_cancel_backorder`` (rest cancelled);
3. re-read the picking's state: only ``done`` counts, whatever the calls returned.

Lines with lots/serials, packages or held quantities get move lines of their own in step 1
(``move_lines``): one per lot or serial and package (``result_package_id``, found or created
by SSCC as for ship notices), held parts with the quarantine location as destination, so
they never enter stock (and, with two or three reception steps, the chained internal moves
are reduced by them: ``chains``). Tracked products without lot numbers are refused
before anything is written (Odoo would refuse only at validation, after the quantities were
set). A hold then tells the buyer (note and To-Do, ``holds``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from procurelink.adapters.odoo.chains import Chains
from procurelink.adapters.odoo.dialect import Dialect
from procurelink.adapters.odoo.holds import Holds, describe
from procurelink.adapters.odoo.move_lines import (
    MoveLines,
    Unit,
    check_tracking,
    distribute,
    lot_names,
    pack,
)
from procurelink.adapters.odoo.rpc import OdooRpc
from procurelink.errors import ErpError
from procurelink.ports.erp import ReceiptWrite, ReceivedLine

MOVE_FIELDS = [
    "picking_id",
    "purchase_line_id",
    "product_uom_qty",
    "state",
    "product_id",
    "product_uom",
    "location_id",
    "location_dest_id",
    "move_line_ids",
]
OPEN_MOVE = ("draft", "waiting", "confirmed", "partially_available", "assigned")
WIZARD = "stock.backorder.confirmation"

Plan = dict[int, dict[int, float]]  # picking id -> move id -> received quantity


class ReceiptWriter:
    def __init__(self, rpc: OdooRpc) -> None:
        self.rpc = rpc

    async def apply(self, write: ReceiptWrite) -> None:
        dialect = await self.rpc.dialect()
        moves = await self.open_moves(write.order_odoo_id)
        plan = plan_quantities(moves, write.lines)
        holding = any(ln.held > 0 for ln in write.lines)
        if holding and write.hold is None:
            raise ErpError("held quantities without a quality hold (quarantine, reason)")
        holds = Holds(self.rpc)
        order = await holds.order(write.order_odoo_id) if holding else {}
        quarantine = await holds.quarantine(write.hold, order) if write.hold and holding else None
        writer = MoveLines(self.rpc, dialect)
        products = await writer.products(_m2o(m["product_id"]) or 0 for m in moves)
        detail = _detail(moves, write.lines, plan, products, quarantine)
        lots = await writer.lots(lot_names(moves, detail))
        packages = await writer.packages(
            u.package for units in detail.values() for u in units if u.package
        )
        for picking_id, quantities in sorted(plan.items()):
            if not any(quantities.values()):
                continue  # nothing arrived for this picking: leave it open as it is
            line_commands = [
                command
                for move in moves
                if move["id"] in quantities and move["id"] in detail
                for command in writer.commands(
                    move, detail[move["id"]], picked=True, lots=lots, packages=packages
                )
            ]
            plain = {m: q for m, q in quantities.items() if m not in detail}
            await self._set_quantities(picking_id, plain, dialect, line_commands)
            await self._validate(picking_id, write.backorder)
        if holding and write.hold is not None and quarantine is not None:
            # 2/3 steps: the held part never comes into Input; the chained moves must not
            # wait for it.
            held_qty = {ln.odoo_line_id: ln.held for ln in write.lines if ln.held > 0}
            chains = Chains(self.rpc)
            await chains.take_out(await chains.place(held_qty), held_qty, quarantine)
            uom = dialect.line_uom
            line_ids = [ln.odoo_line_id for ln in write.lines if ln.held > 0]
            rows = await self.rpc.execute_kw(
                "purchase.order.line", "read", [line_ids], {"fields": ["product_id", "name", uom]}
            )
            held = [
                describe(products, row, _held_units(ln), uom)
                for row in rows
                for ln in write.lines
                if ln.odoo_line_id == row["id"]
            ]
            where = await holds.location_name(quarantine)
            await holds.notify_buyer(order, write.hold, held, where)

    async def open_moves(self, order_id: int) -> list[dict[str, Any]]:
        [order] = await self.rpc.execute_kw(
            "purchase.order", "read", [[order_id]], {"fields": ["picking_ids"]}
        )
        pickings = await self.rpc.execute_kw(
            "stock.picking",
            "read",
            [order["picking_ids"]],
            {"fields": ["state", "picking_type_code", "move_ids"]},
        )
        open_ids = [
            p["id"]
            for p in pickings
            if p["picking_type_code"] == "incoming" and p["state"] not in ("done", "cancel")
        ]
        if not open_ids:
            raise ErpError(
                f"purchase.order {order_id} has no open receipt",
                model="purchase.order",
                odoo_id=order_id,
            )
        move_ids = [m for p in pickings if p["id"] in open_ids for m in p["move_ids"]]
        rows = await self.rpc.execute_kw("stock.move", "read", [move_ids], {"fields": MOVE_FIELDS})
        return [r for r in rows if r["state"] in OPEN_MOVE]

    async def _set_quantities(
        self,
        picking_id: int,
        quantities: dict[int, float],
        dialect: Dialect,
        line_commands: list[Any],
    ) -> None:
        commands: list[Any] = []
        for move_id, qty in sorted(quantities.items()):
            move_vals = dialect.received(qty)
            if dialect.has_picked and not qty:
                move_vals["picked"] = False  # nothing arrived: not part of this validation
            commands.append([1, move_id, move_vals])
        vals: dict[str, Any] = {}
        if commands:
            vals["move_ids"] = commands
        if line_commands:
            vals["move_line_ids"] = line_commands
        # One call for every move and line of the picking (pitfall 3).
        await self.rpc.execute_kw("stock.picking", "write", [[picking_id], vals])

    async def _validate(self, picking_id: int, backorder: str) -> None:
        result = await self.rpc.execute_kw("stock.picking", "button_validate", [[picking_id]])
        if isinstance(result, dict) and result.get("res_model") == WIZARD:
            context = dict(result.get("context") or {})
            wizard = await self.rpc.execute_kw(
                WIZARD, "create", [{"pick_ids": [[6, 0, [picking_id]]]}], {"context": context}
            )
            method = "process" if backorder == "create" else "process_cancel_backorder"
            await self.rpc.execute_kw(WIZARD, method, [[wizard]], {"context": context})
        [after] = await self.rpc.execute_kw(
            "stock.picking", "read", [[picking_id]], {"fields": ["state"]}
        )
        if after["state"] != "done":  # another wizard (16's immediate transfer, quality...)
            raise ErpError(
                f"stock.picking {picking_id} not validated (state {after['state']})",
                model="stock.picking",
                odoo_id=picking_id,
            )


def plan_quantities(moves: Sequence[dict[str, Any]], lines: Sequence[ReceivedLine]) -> Plan:
    """Spread each line's received quantity over its open moves, earliest picking first.

    A line can have several open moves (a quantity increase, an earlier backorder): each
    takes up to its demand, the last one the excess (over-delivery is Odoo's to accept).
    """
    received = {ln.odoo_line_id: Decimal(ln.quantity) for ln in lines}
    known = {_m2o(m["purchase_line_id"]) for m in moves}
    unknown = sorted(set(received) - known)
    if unknown:
        raise ErpError(f"no open receipt move for purchase.order.line {unknown}")
    plan: Plan = {}
    ordered = sorted(moves, key=lambda m: (_m2o(m["picking_id"]) or 0, m["id"]))
    last = {_m2o(m["purchase_line_id"]): m["id"] for m in ordered}
    for move in ordered:
        line_id = _m2o(move["purchase_line_id"]) or 0
        left = received.get(line_id, Decimal(0))
        demand = Decimal(repr(move["product_uom_qty"]))
        take = left if last[line_id] == move["id"] else min(left, demand)
        received[line_id] = left - take
        plan.setdefault(_m2o(move["picking_id"]) or 0, {})[move["id"]] = float(take)
    return plan


def _units(line: ReceivedLine, quarantine: int | None) -> list[Unit]:
    """The received line as move-line units (lots, held parts to quarantine), in their
    packages."""
    units = _unpacked(line, quarantine)
    if not line.packages:
        return units
    return pack(units or [Unit(line.quantity)], line.packages)


def _unpacked(line: ReceivedLine, quarantine: int | None) -> list[Unit]:
    held_left = {lot.name: lot.quantity for lot in line.held_lots}
    if line.lots:
        units: list[Unit] = []
        for lot in line.lots:
            held = min(held_left.get(lot.name, Decimal(0)), lot.quantity)
            held_left[lot.name] = held_left.get(lot.name, Decimal(0)) - held
            if lot.quantity - held:
                units.append(Unit(lot.quantity - held, lot=lot.name))
            if held:
                units.append(Unit(held, lot=lot.name, destination=quarantine))
        return units
    if line.held > 0:
        # What goes on first: 19 reserves a chained move from its origin's lines in their
        # order, so the next step takes what came into Input before anything in quarantine.
        return [
            u
            for u in (Unit(line.quantity - line.held), Unit(line.held, destination=quarantine))
            if u.quantity > 0
        ]
    return []


def _held_units(line: ReceivedLine) -> list[Unit]:
    if line.held_lots:
        return [Unit(lot.quantity, lot=lot.name) for lot in line.held_lots]
    return [Unit(line.held)]


def _detail(
    moves: Sequence[dict[str, Any]],
    lines: Sequence[ReceivedLine],
    plan: Plan,
    products: dict[int, dict[str, Any]],
    quarantine: int | None,
) -> dict[int, list[Unit]]:
    """Move id -> its move-line units, for lines that have lots or holds.

    Checks tracking first: a tracked product needs lot numbers for all it received.
    """
    share = {m: q for quantities in plan.values() for m, q in quantities.items()}
    detail: dict[int, list[Unit]] = {}
    for line in lines:
        line_moves = [m for m in moves if _m2o(m["purchase_line_id"]) == line.odoo_line_id]
        product = products.get(_m2o(line_moves[0]["product_id"]) or 0) if line_moves else None
        if product is not None and (product.get("tracking") or "none") == "none":
            # Odoo keeps no lots for these (packages it does).
            line = replace(
                line,
                lots=(),
                held_lots=(),
                packages=tuple(replace(p, lot=None) for p in line.packages),
            )
        units = _units(line, quarantine)
        if product is not None:
            check_tracking(product, units, line.quantity)
        if (
            line.held > 0
            and line.lots
            and sum((lot.quantity for lot in line.held_lots), Decimal(0)) != line.held
        ):
            raise ErpError(
                f"purchase.order.line {line.odoo_line_id}: held lots do not add up to {line.held}"
            )
        if not units:
            continue
        ordered = sorted(line_moves, key=lambda m: (_m2o(m["picking_id"]) or 0, m["id"]))
        shares = [(m["id"], Decimal(repr(share.get(m["id"], 0.0)))) for m in ordered]
        detail.update({m: u for m, u in distribute(shares, units).items() if u})
    return detail


def _m2o(value: Any) -> int | None:
    if isinstance(value, list | tuple) and value:
        return int(value[0])
    return int(value) if isinstance(value, int) and value else None
