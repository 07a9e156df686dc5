"""Odoo pushes a change hint, procurelink releases the order without waiting for a poll.

Against the simulator by default; against a real Odoo 17 when ODOO_URL & co are set (its
rules are removed afterwards, so the shared database does not post to a closed port).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from e2e_world import OdooTarget, World, ensure_master_data, make_settings

from procurelink import bootstrap
from procurelink.adapters.odoo.automation import HOOKS
from procurelink.entrypoints.api.app import create_app
from procurelink.entrypoints.listen import BackgroundServer, next_free_port
from procurelink.ports.records import JobStatus
from procurelink.services.erp_sync import SNAPSHOT_JOB

STEELWORKS = """\
id: steelworks
name: Steelworks GmbH
odoo: {partner_ref: SW-V-88120}
identifiers: {x12: {qualifier: ZZ, id: STEELWORKS}}
codec: {type: x12-004010, options: {sender_qualifier: ZZ, sender_id: ACMEMFG}}
channels:
  outbound: {type: directory, outbox: "OUTBOX"}
  inbound: {type: directory, inbox: "INBOX"}
"""


@pytest.fixture
async def hooked(
    tmp_path: Path, odoo_target: tuple[OdooTarget, BackgroundServer | None]
) -> AsyncIterator[tuple[World, str]]:
    partners = tmp_path / "partners"
    partners.mkdir()
    (partners / "steelworks.yaml").write_text(
        STEELWORKS.replace("OUTBOX", str(tmp_path / "out")).replace("INBOX", str(tmp_path))
    )
    host = "127.0.0.1"
    port = next_free_port(host, 18280)
    settings = make_settings(tmp_path, odoo_target[0], partners).model_copy(
        update={"odoo_hooks_base_url": f"http://{host}:{port}", "odoo_hook_delay_seconds": 0.0}
    )
    await bootstrap.migrate(settings)
    rpc = bootstrap.odoo_rpc(settings)
    await ensure_master_data(rpc)
    runtime = await bootstrap.build_runtime(settings)
    api = BackgroundServer(create_app(runtime), host, port)
    await api.start()
    try:
        yield World(runtime, rpc, tmp_path, tmp_path), api.url
    finally:
        names = [h.name for h in HOOKS]
        ids = await rpc.execute_kw(
            "base.automation",
            "search",
            [[("name", "in", names)]],
            {"context": {"active_test": False}},
        )
        if ids:
            await rpc.execute_kw("base.automation", "unlink", [ids])
        await rpc.aclose()
        await api.stop()
        await runtime.close()


async def _hint_jobs(world: World) -> list[int]:
    jobs = await world.runtime.queries.jobs(limit=100)
    return [
        int(j.payload["odoo_id"])
        for j in jobs
        if j.kind == SNAPSHOT_JOB and j.payload.get("source") == "hook"
    ]


async def test_a_confirmed_order_is_released_on_the_hint(hooked: tuple[World, str]) -> None:
    world, _ = hooked
    hooks = await world.runtime.provision_odoo_hooks()
    assert "purchase-order" in [h.key for h in hooks]
    po, name = await world.confirm_order("SW-V-88120", [("ACME-10042", 100)])
    for _ in range(200):  # Odoo posts from its transaction; the API queues at once
        if po in await _hint_jobs(world):
            break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError("no snapshot job queued by a hint")
    await world.runtime.runner.drain()  # no poll: the hint alone releases the order
    view = await world.runtime.queries.order(name)
    assert view is not None


async def test_bad_secret_unknown_rule_and_junk_are_refused_or_ignored(
    hooked: tuple[World, str],
) -> None:
    world, api_url = hooked
    secrets = await world.runtime.erp_hooks.secrets()
    async with httpx.AsyncClient(base_url=api_url) as client:
        bad = await client.post("/odoo/hooks/purchase-order?secret=nope", json={"_id": 1})
        unknown = await client.post("/odoo/hooks/nothing?secret=x", json={"_id": 1})
        good = f"/odoo/hooks/purchase-order?secret={secrets['purchase-order']}"
        junk = await client.post(good, json={"_id": "1; drop", "write_date": "x"})
        twice = [
            await client.post(good, json={"_id": 7, "write_date": "2025-01-01 10:00:00"})
            for _ in range(2)
        ]
        receipt = await client.post(
            f"/odoo/hooks/receipt?secret={secrets['receipt']}", json={"_id": 3}
        )
    assert bad.status_code == unknown.status_code == 401
    # Not an order: the hint runs the write_date poll (which finds the order it touched).
    assert receipt.status_code == 200 and receipt.json()["polling"] is True
    await world.runtime.erp_hooks.wait_idle()
    assert junk.status_code == 200 and junk.json()["queued"] is False
    assert all(r.status_code == 200 and r.json()["queued"] for r in twice)
    assert (await _hint_jobs(world)).count(7) == 1  # same id + write_date: one job
    # Secrets survive a restart: they live in the store, not the process.
    again = await bootstrap.build_runtime(world.runtime.settings)
    try:
        assert await again.erp_hooks.secrets() == secrets
    finally:
        await again.close()
    jobs = await world.runtime.queries.jobs(limit=100)
    assert all(j.status != JobStatus.DEAD for j in jobs)
