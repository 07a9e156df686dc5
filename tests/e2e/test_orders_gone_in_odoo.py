"""Acknowledgments for orders that no longer stand in Odoo, or that speak another unit.

Odoo's ORM accepts writes on the lines of a cancelled or locked order over RPC (only its
forms make them read-only), so procurelink must refuse: a typed exception for the buyer, the
raw bytes kept, and nothing written to Odoo. Runs against the simulator and a real Odoo.
"""

from __future__ import annotations

from e2e_world import World
from test_x12_order_flow import drop, read_850, render_855

from procurelink.domain.values import Quantity
from procurelink.entrypoints.demo.suppliers import acknowledge


async def _sent(world: World) -> tuple[int, str, bytes]:
    """An order confirmed in Odoo and sent as an 850; returns (id, name, a matching 855)."""
    po, name = await world.confirm_order("SW-V-88120", [("ACME-10042", 10), ("ACME-20117", 4)])
    await world.runtime.run_once()
    _, order = read_850(world, name)
    ack = render_855(acknowledge(order, "1", 1, "SO-GONE", f"855-{name}"), 950 + po % 40)
    return po, name, ack


async def _refused(world: World, po: int, ack: bytes, code: str, *words: str) -> None:
    lines, notes = await world.odoo_lines(po), await world.odoo_notes(po)
    drop(world, f"855_{po}.x12", ack)
    await world.runtime.run_once()
    exceptions = [x for x in await world.runtime.queries.exceptions() if x.reason_code == code]
    assert len(exceptions) == 1, [(x.reason_code, x.message) for x in exceptions]
    for word in words:
        assert word in exceptions[0].message
    assert await world.odoo_lines(po) == lines
    assert await world.odoo_notes(po) == notes


async def test_ack_for_an_order_cancelled_in_odoo_is_refused(world: World) -> None:
    po, name, ack = await _sent(world)
    await world.rpc.execute_kw("purchase.order", "button_cancel", [[po]])
    await world.runtime.run_once()  # the poller sees the cancellation
    view = await world.runtime.queries.order(name)
    assert view is not None
    assert view.order.state == "cancelled"

    await _refused(world, po, ack, "illegal_transition", name, "cancelled")


async def test_ack_for_an_order_locked_in_odoo_is_refused(world: World) -> None:
    po, name, ack = await _sent(world)
    # 16-18 close an order with button_done (state "done"); 19 has no such method or state,
    # it locks the confirmed order (button_lock, locked = True).
    closing = "button_done" if (await world.rpc.dialect()).has_done_state else "button_lock"
    await world.rpc.execute_kw("purchase.order", closing, [[po]])
    await world.runtime.run_once()
    view = await world.runtime.queries.order(name)
    assert view is not None
    assert view.order.state == "closed"

    await _refused(world, po, ack, "illegal_transition", name, "closed")


async def test_ack_for_an_order_deleted_in_odoo_is_refused(world: World) -> None:
    po, name, ack = await _sent(world)
    await world.rpc.execute_kw("purchase.order", "button_cancel", [[po]])
    await world.rpc.execute_kw("purchase.order", "unlink", [[po]])
    await world.runtime.run_once()
    # A deleted order never shows up as changed again; whatever the ledger knew, the answer
    # must not reach Odoo and the buyer must see why.
    drop(world, f"855_{po}.x12", ack)
    await world.runtime.run_once()
    assert await world.rpc.execute_kw("purchase.order", "search", [[["id", "=", po]]]) == []
    [exc] = [
        x
        for x in await world.runtime.queries.exceptions()
        if x.reason_code in ("illegal_transition", "erp_refused", "unknown_order")
    ]
    assert name in exc.message or str(po) in exc.message


async def test_ack_in_another_unit_is_refused(world: World) -> None:
    po, name = await world.confirm_order("SW-V-88120", [("ACME-10042", 10)])
    await world.runtime.run_once()
    _, order = read_850(world, name)
    response = acknowledge(order, "1", 0, "SO-BOX", f"855-box-{name}")
    boxed = response.lines[0].model_copy(update={"confirmed_qty": Quantity(value=10, uom="box")})
    response = response.model_copy(update={"lines": (boxed,)})
    await _refused(world, po, render_855(response, 990), "uom_mismatch", name, "box", "unit")
