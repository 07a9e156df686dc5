"""Detailed operations (``stock.move.line``) of a receipt: lots, serials, packages and where
each part goes (reference 3.8).

A move that gets detail has its lines replaced in the same ``write`` of the picking that sets
the other moves' quantities: ``(2, id)`` for the lines Odoo reserved, ``(0, 0, vals)`` for one
line per lot/serial, package and destination. The move's quantity is the sum of its lines
(Odoo's compute), so those moves are not given a quantity of their own.

Existing lots are linked by id (``lot_id``) and new ones named (``lot_name``, created by Odoo
at validation when the operation type allows it); packages are found by name (the SSCC) or
created. Serial-tracked products take one line of quantity 1 per serial.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from procurelink.adapters.odoo.dialect import Dialect
from procurelink.adapters.odoo.rpc import OdooRpc
from procurelink.errors import ErpError
from procurelink.ports.erp import ReceivedPackage


@dataclass(frozen=True, slots=True)
class Unit:
    """One move line to be: a quantity with its lot, package and destination, if any."""

    quantity: Decimal
    lot: str | None = None
    package: str | None = None
    destination: int | None = None  # stock.location id; None: the move's own destination


def distribute(
    shares: Sequence[tuple[int, Decimal]], units: Sequence[Unit]
) -> dict[int, list[Unit]]:
    """Cut ``units`` into the moves' shares (move id, quantity), in order.

    A unit that straddles two moves is split (lots may spread over moves; a serial is one
    unit of 1 and never straddles whole shares).
    """
    out: dict[int, list[Unit]] = {move: [] for move, _ in shares}
    queue = [u for u in units if u.quantity > 0]
    for index, (move, share) in enumerate(shares):
        left = share if index < len(shares) - 1 else sum((u.quantity for u in queue), Decimal(0))
        while queue and left > 0:
            unit = queue[0]
            take = min(unit.quantity, left)
            out[move].append(replace(unit, quantity=take))
            left -= take
            if take == unit.quantity:
                queue.pop(0)
            else:
                queue[0] = replace(unit, quantity=unit.quantity - take)
    return out


def pack(units: Sequence[Unit], packages: Sequence[ReceivedPackage]) -> list[Unit]:
    """Put units into the packages that hold them (by name: the SSCC), in order.

    A package takes its quantity from the units of its lot, those going to the move's own
    destination first, and never from two destinations: Odoo refuses a package split over
    two locations, so what it cannot take where it started stays unpacked (held goods taken
    off a pallet). Units no package took stay as they are.
    """
    queue = sorted(units, key=lambda u: u.destination is not None)  # stable
    packed: list[Unit] = []
    for package in packages:
        left = package.quantity
        where: list[int | None] = []
        index = 0
        while left > 0 and index < len(queue):
            unit = queue[index]
            if unit.package or unit.lot != package.lot or (where and unit.destination != where[0]):
                index += 1
                continue
            where = where or [unit.destination]
            take = min(unit.quantity, left)
            packed.append(replace(unit, quantity=take, package=package.name))
            left -= take
            if take == unit.quantity:
                queue.pop(index)
            else:
                queue[index] = replace(unit, quantity=unit.quantity - take)
    return packed + queue


def check_tracking(product: dict[str, Any], units: Sequence[Unit], quantity: Decimal) -> None:
    """Refuse, before anything is written, what Odoo would refuse at validation only."""
    tracking = product.get("tracking") or "none"
    name = product.get("display_name") or f"product.product {product['id']}"
    if tracking == "none" or quantity <= 0:
        return
    without = sum((u.quantity for u in units if not u.lot), Decimal(0))
    if not units or without > 0:
        raise ErpError(
            f"{name} is tracked by {tracking}: {quantity} received without lot/serial numbers",
            model="product.product",
            odoo_id=product["id"],
        )
    if tracking == "serial":
        bad = [u.lot for u in units if u.quantity != 1]
        counts = Counter(u.lot for u in units)
        twice = [lot for lot, n in counts.items() if n > 1]
        if bad or twice:
            raise ErpError(
                f"{name} is tracked by serial number: one unit per serial "
                f"(wrong: {sorted({str(s) for s in bad + twice})})",
                model="product.product",
                odoo_id=product["id"],
            )


class MoveLines:
    """Builds the line commands; looks lots and packages up once per write."""

    def __init__(self, rpc: OdooRpc, dialect: Dialect) -> None:
        self.rpc = rpc
        self.dialect = dialect

    async def products(self, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        rows = await self.rpc.execute_kw(
            "product.product", "read", [wanted], {"fields": ["tracking", "display_name"]}
        )
        return {r["id"]: r for r in rows}

    async def lots(self, wanted: dict[int, set[str]]) -> dict[tuple[int, str], int]:
        """Existing stock.lot ids by (product, name), one search for all products."""
        names = sorted({n for ns in wanted.values() for n in ns})
        if not names:
            return {}
        rows = await self.rpc.execute_kw(
            "stock.lot",
            "search_read",
            [[("product_id", "in", sorted(wanted)), ("name", "in", names)]],
            {"fields": ["name", "product_id"]},
        )
        return {(_m2o(r["product_id"]) or 0, r["name"]): r["id"] for r in rows}

    async def packages(self, names: Iterable[str]) -> dict[str, int]:
        """Package ids by name, creating the missing ones (one search, one create).

        The model is ``stock.quant.package`` up to 18 and ``stock.package`` in 19."""
        wanted = sorted(set(names))
        if not wanted:
            return {}
        rows = await self.rpc.execute_kw(
            self.dialect.package_model,
            "search_read",
            [[("name", "in", wanted)]],
            {"fields": ["name"], "order": "id"},
        )
        found: dict[str, int] = {}
        for row in rows:
            found.setdefault(row["name"], row["id"])
        missing = [n for n in wanted if n not in found]
        if missing:
            created = await self.rpc.execute_kw(
                self.dialect.package_model, "create", [[{"name": n} for n in missing]]
            )
            found.update(zip(missing, _ids(created), strict=True))
        return found

    def commands(
        self,
        move: dict[str, Any],
        units: Sequence[Unit],
        *,
        picked: bool,
        lots: dict[tuple[int, str], int],
        packages: dict[str, int],
    ) -> list[Any]:
        """Replace the move's lines by one line per unit (Odoo's reserved ones deleted)."""
        product = _m2o(move["product_id"]) or 0
        commands: list[Any] = [[2, line_id, 0] for line_id in move.get("move_line_ids") or []]
        for unit in units:
            vals: dict[str, Any] = {
                "move_id": move["id"],
                "picking_id": _m2o(move["picking_id"]),
                "product_id": product,
                "product_uom_id": _m2o(move["product_uom"]),
                "location_id": _m2o(move["location_id"]),
                "location_dest_id": unit.destination or _m2o(move["location_dest_id"]),
                self.dialect.line_quantity: float(unit.quantity),
            }
            if self.dialect.has_picked:
                vals["picked"] = picked
            if unit.lot:
                lot_id = lots.get((product, unit.lot))
                vals.update({"lot_id": lot_id} if lot_id else {"lot_name": unit.lot})
            if unit.package:
                vals["result_package_id"] = packages[unit.package]
            commands.append([0, 0, vals])
        return commands


def lot_names(
    moves: Sequence[dict[str, Any]], detail: dict[int, list[Unit]]
) -> dict[int, set[str]]:
    """Lot names per product, for ``MoveLines.lots``."""
    product = {m["id"]: _m2o(m["product_id"]) or 0 for m in moves}
    wanted: dict[int, set[str]] = {}
    for move_id, units in detail.items():
        names = {u.lot for u in units if u.lot}
        if names:
            wanted.setdefault(product[move_id], set()).update(names)
    return wanted


def _ids(created: Any) -> list[int]:
    return [int(created)] if isinstance(created, int) else [int(i) for i in created]


def _m2o(value: Any) -> int | None:
    if isinstance(value, list | tuple) and value:
        return int(value[0])
    return int(value) if isinstance(value, int) and value else None
