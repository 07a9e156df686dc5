"""Odoo going away: supplier files are still captured, the write waits and then lands."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from e2e_world import World

from procurelink.codecs.x12 import X12Codec
from procurelink.domain.order import PurchaseOrder
from procurelink.entrypoints.demo.suppliers import acknowledge
from procurelink.entrypoints.listen import BackgroundServer
from procurelink.ports.codec import DecodeContext, EncodeContext
from procurelink.ports.records import JobStatus
from procurelink.services.edi_tracking import ACK_DEADLINE_JOB


async def test_acknowledgment_waits_for_odoo_and_is_applied_once(world: World) -> None:
    if world.odoo is None:
        pytest.skip("stops and restarts Odoo: runs against the simulator, not a real Odoo")
    po, name = await world.confirm_order("SW-V-88120", [("ACME-10042", 10)])
    await world.runtime.run_once()
    [path] = list(world.outbox.glob(f"850_{name}_*.x12"))
    [order] = X12Codec().decode(path.read_bytes(), DecodeContext("steelworks", "t", "m"))
    assert isinstance(order, PurchaseOrder)
    ack = (
        X12Codec()
        .encode(
            acknowledge(order, "1", 1, "SO-55", "855-outage"),
            EncodeContext(
                "steelworks",
                "t",
                datetime.now(UTC),
                77,
                77,
                {"sender_id": "STEELWORKS", "receiver_id": "ACMEMFG"},
            ),
        )
        .body
    )

    assert world.odoo is not None
    app, host, port = world.odoo.app, world.odoo.host, world.odoo.port
    await world.odoo.stop()
    world.inbox.mkdir(exist_ok=True)
    (world.inbox / "855.x12").write_bytes(ack)
    report = await world.runtime.poll_sources()
    assert "odoo" in report.errors  # the Odoo poll failed ...
    assert [c.accepted for c in report.captured] == [True]  # ... the file was captured anyway
    results = await world.runtime.runner.drain()
    outcomes = [(r.kind, r.outcome) for r in results]
    # decoded (its 997 delivered too); the write waits
    assert outcomes == [
        ("inbound.decode", "done"),
        ("outbound.deliver", "done"),
        ("erp.apply_acknowledgment", "retry"),
    ]
    queued = await world.runtime.queries.jobs(status=JobStatus.QUEUED)
    # The 850's ack-deadline timer waits too; it is not the write.
    [waiting] = [j for j in queued if j.kind != ACK_DEADLINE_JOB]
    assert "ErpUnavailable" in (waiting.last_error or "")

    world.odoo = BackgroundServer(app, host, port)
    await world.odoo.start()
    for _ in range(40):  # the retry is due after the backoff (about 2 s)
        if await world.runtime.runner.drain():
            break
        await asyncio.sleep(0.2)
    view = await world.runtime.queries.order(name)
    assert view is not None
    assert view.order.state == "confirmed"
    [header] = await world.rpc.execute_kw(
        "purchase.order", "read", [[po]], {"fields": ["partner_ref"]}
    )
    assert header["partner_ref"] == "SO-55"
    notes = [n for n in await world.odoo_notes(po) if "Supplier acknowledgment" in n]
    assert len(notes) == 1
