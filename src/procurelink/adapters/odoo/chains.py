"""Where received goods are now, and the internal moves still to carry them on (reference 4).

With one-step reception a receipt's goods stay where it put them (WH/Stock). With two or
three steps Odoo chains internal moves to the receipt's moves (``move_dest_ids``): Input ->
Stock, or Input -> Quality Control -> Stock; each reserves what the one before brought once
that one is done. Goods put on hold must leave that chain:

* they are taken from where they lie: the destination of the last done move of the chain
  (the receipt's ``location_dest_id`` until the first internal transfer is validated);
* every move of the chain still to come is reduced by the held quantity, so the held goods
  are never expected in (or carried to) stock. Lowering a move's demand below what it
  reserved makes Odoo unreserve it (``stock.move.write``); ``action_assign`` on its transfer
  reserves the rest again once the held goods have left.

Odoo 19 reserves a chained move from wherever its done origins' move lines put the goods
(``_get_available_move_lines_in`` is not limited to the move's source location): goods
received straight into quarantine are reserved by the next step (Quarantine -> Stock) when
the receipt is done. Such lines are dropped before the demand is lowered (so the rest stays
reserved, as nothing then exceeds the new demand), and again after ``action_assign``. Odoo 18
(checked on a real 18) reserves only inside the move's source location, so there is nothing
to drop there; the same code runs on every version.

One ``write`` per internal transfer, with a ``(1, move_id, {"product_uom_qty": ...})``
command per move, preceded by a ``(1, move_id, {"move_line_ids": [(2, line), ...]})`` for
a move holding quarantined goods (pitfall 3).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from procurelink.adapters.odoo.rpc import OdooRpc
from procurelink.errors import ErpError

CHAIN_FIELDS = [
    "state",
    "location_id",
    "location_dest_id",
    "product_uom_qty",
    "picking_id",
    "move_dest_ids",
]


@dataclass
class Placement:
    """One order line's received goods: where they are, and the moves still to come."""

    source: int | None  # stock.location id; None: no done receipt move found
    ahead: list[list[dict[str, Any]]] = field(default_factory=list)  # open moves, per step

    @property
    def waiting(self) -> Decimal:
        """What the next step still expects to carry on from ``source``."""
        if not self.ahead:
            return Decimal(0)
        return sum((Decimal(repr(m["product_uom_qty"])) for m in self.ahead[0]), Decimal(0))


class Chains:
    def __init__(self, rpc: OdooRpc) -> None:
        self.rpc = rpc

    async def place(self, line_ids: Iterable[int]) -> dict[int, Placement]:
        """Per purchase order line: where its received goods are and what carries them on."""
        wanted = sorted(set(line_ids))
        receipts = await self.rpc.execute_kw(
            "stock.move",
            "search_read",
            [
                [
                    ("purchase_line_id", "in", wanted),
                    ("state", "=", "done"),
                    ("location_id.usage", "=", "supplier"),
                ]
            ],
            {"fields": ["purchase_line_id", "location_dest_id", "move_dest_ids"], "order": "id"},
        )
        out: dict[int, Placement] = {}
        for line_id in wanted:
            level = [r for r in receipts if _m2o(r["purchase_line_id"]) == line_id]
            out[line_id] = await self._walk(level) if level else Placement(None)
        return out

    async def _walk(self, level: list[dict[str, Any]]) -> Placement:
        source = _m2o(level[-1]["location_dest_id"])
        while True:
            nxt = [m for m in await self._moves(level) if m["state"] != "cancel"]
            if not nxt:
                return Placement(source)
            if all(m["state"] == "done" for m in nxt):
                level, source = nxt, _m2o(nxt[-1]["location_dest_id"])
                continue
            ahead = [[m for m in nxt if m["state"] != "done"]]
            while True:
                later = [m for m in await self._moves(ahead[-1]) if m["state"] not in _ENDED]
                if not later:
                    return Placement(source, ahead)
                ahead.append(later)

    async def _moves(self, level: list[dict[str, Any]]) -> list[dict[str, Any]]:
        ids = sorted({i for m in level for i in m.get("move_dest_ids") or []})
        if not ids:
            return []
        rows = await self.rpc.execute_kw("stock.move", "read", [ids], {"fields": CHAIN_FIELDS})
        return list(rows)

    async def take_out(
        self,
        placements: Mapping[int, Placement],
        held: Mapping[int, Decimal],
        quarantine: int | None = None,
    ) -> list[int]:
        """Reduce the moves still to come by the held quantities (first dropping what they
        reserved in ``quarantine``); the transfers written."""
        # Lines of one product share the chained move (Odoo merges them): one value each.
        demand: dict[int, Decimal] = {}
        picking_of: dict[int, int] = {}
        for line_id, qty in sorted(held.items()):
            placement = placements[line_id]
            if not placement.ahead or qty <= 0:
                continue
            if placement.waiting < qty:
                raise ErpError(
                    f"purchase.order.line {line_id}: {qty} to hold, but only "
                    f"{placement.waiting} still waits to move on from stock.location "
                    f"{placement.source}; the rest has moved on: hold it in Odoo",
                    model="purchase.order.line",
                    odoo_id=line_id,
                )
            for step in placement.ahead:
                left = qty
                for move in sorted(step, key=lambda m: m["id"], reverse=True):
                    now = demand.get(move["id"], Decimal(repr(move["product_uom_qty"])))
                    take = min(left, now)
                    if take <= 0:
                        continue
                    left -= take
                    demand[move["id"]] = now - take
                    picking_of[move["id"]] = _m2o(move["picking_id"]) or 0
        quarantined = await self._quarantined([("move_id", "in", sorted(demand))], quarantine)
        commands: dict[int, list[Any]] = {}
        for move_id, qty in sorted(demand.items()):
            out = commands.setdefault(picking_of[move_id], [])
            if quarantined.get(move_id):
                out.append([1, move_id, {"move_line_ids": [[2, i] for i in quarantined[move_id]]}])
            out.append([1, move_id, {"product_uom_qty": float(qty)}])
        for picking, moves in sorted(commands.items()):
            await self.rpc.execute_kw("stock.picking", "write", [[picking], {"move_ids": moves}])
        return sorted(commands)

    async def reserve_again(self, picking_ids: list[int], quarantine: int | None = None) -> None:
        """What still flows on is reserved again (the held goods have left); on 19 that may
        reserve goods in ``quarantine`` again, whose lines go."""
        if not picking_ids:
            return
        await self.rpc.execute_kw("stock.picking", "action_assign", [picking_ids])
        quarantined = await self._quarantined([("picking_id", "in", picking_ids)], quarantine)
        lines = sorted(i for ids in quarantined.values() for i in ids)
        if lines:
            await self.rpc.execute_kw("stock.move.line", "unlink", [lines])

    async def _quarantined(
        self, where: list[tuple[str, str, Any]], quarantine: int | None
    ) -> dict[int, list[int]]:
        """Move id -> its open move lines taking goods from ``quarantine``."""
        if quarantine is None or not where[0][2]:
            return {}
        rows = await self.rpc.execute_kw(
            "stock.move.line",
            "search_read",
            [[*where, ("location_id", "=", quarantine), ("state", "not in", ["done", "cancel"])]],
            {"fields": ["move_id"], "order": "id"},
        )
        out: dict[int, list[int]] = {}
        for row in rows:
            out.setdefault(_m2o(row["move_id"]) or 0, []).append(int(row["id"]))
        return out


_ENDED = ("done", "cancel")


def _m2o(value: Any) -> int | None:
    if isinstance(value, list | tuple) and value:
        return int(value[0])
    return int(value) if isinstance(value, int) and value else None
