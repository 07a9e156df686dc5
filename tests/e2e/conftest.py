"""Whole-flow fixtures: the Odoo simulator on a free port, a SQLite store, a Steelworks
profile speaking X12 through directories, and the runtime `procurelink worker` would build."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from e2e_world import (
    POLYMER_SECRET,
    OdooTarget,
    World,
    ensure_master_data,
    make_settings,
    real_odoo,
)
from fastapi import FastAPI, Request

from procurelink import bootstrap
from procurelink.entrypoints.api.app import create_app
from procurelink.entrypoints.listen import BackgroundServer, next_free_port
from procurelink.security.webhooks import verify_standard

STEELWORKS = """\
id: steelworks
name: Steelworks GmbH
odoo: {partner_ref: SW-V-88120}
identifiers: {x12: {qualifier: ZZ, id: STEELWORKS}}
codec: {type: x12-004010, options: {sender_qualifier: ZZ, sender_id: ACMEMFG}}
channels:
  outbound: {type: directory, outbox: "OUTBOX"}
  inbound: {type: directory, inbox: "INBOX"}
tolerances: {date_shift_days: 2}
"""


POLYMER = """\
id: polymer
name: Polymer Parts Ltd
odoo: {partner_ref: PP-V-20451}
codec: {type: json}
channels: {outbound: {type: http-webhook, url: "http://127.0.0.1:9/unused"}}
shared_secret: "not-used-here"
"""


@pytest.fixture
async def odoo_target() -> AsyncIterator[tuple[OdooTarget, BackgroundServer | None]]:
    """A real Odoo when ODOO_URL & co are set (master data created there), else a simulator."""
    real = real_odoo()
    if real is not None:
        yield real, None
        return
    server = BackgroundServer(
        bootstrap.odoo_simulator_app(), "127.0.0.1", next_free_port("127.0.0.1", 18069)
    )
    await server.start()
    try:
        yield OdooTarget(server.url), server
    finally:
        await server.stop()


@pytest.fixture
async def world(
    tmp_path: Path, odoo_target: tuple[OdooTarget, BackgroundServer | None]
) -> AsyncIterator[World]:
    target, odoo = odoo_target
    outbox, inbox = tmp_path / "to-supplier", tmp_path / "from-supplier"
    partners = tmp_path / "partners"
    partners.mkdir()
    (partners / "polymer.yaml").write_text(POLYMER)
    (partners / "steelworks.yaml").write_text(
        STEELWORKS.replace("OUTBOX", str(outbox)).replace("INBOX", str(inbox))
    )
    settings = make_settings(tmp_path, target, partners)
    await bootstrap.migrate(settings)
    rpc = bootstrap.odoo_rpc(settings)
    await ensure_master_data(rpc)
    runtime = await bootstrap.build_runtime(settings)
    world = World(runtime, rpc, outbox, inbox, odoo)
    try:
        yield world
    finally:
        await rpc.aclose()
        await runtime.close()
        if world.odoo is not None and world.odoo is not odoo:  # a test restarted it
            await world.odoo.stop()


POLYMER_HTTP = """\
id: polymer
name: Polymer Parts Ltd
odoo: {partner_ref: PP-V-20451}
codec: {type: json}
channels: {outbound: {type: http-webhook, url: "URL/orders"}}
tolerances: {date_shift_days: 3}
shared_secret: "SECRET"
"""


@pytest.fixture
async def http_world(
    tmp_path: Path, odoo_target: tuple[OdooTarget, BackgroundServer | None]
) -> AsyncIterator[tuple[World, list[httpx.Request], str]]:
    received: list[httpx.Request] = []
    supplier = FastAPI()

    @supplier.post("/orders")
    async def orders(request: Request) -> dict[str, str]:
        body = await request.body()
        verify_standard(POLYMER_SECRET, body, request.headers)
        received.append(
            httpx.Request("POST", str(request.url), headers=request.headers, content=body)
        )
        return {"ok": "yes"}

    host = "127.0.0.1"
    supplier_srv = BackgroundServer(supplier, host, next_free_port(host, 18190))
    await supplier_srv.start()
    partners = tmp_path / "partners"
    partners.mkdir()
    (partners / "polymer.yaml").write_text(
        POLYMER_HTTP.replace("URL", supplier_srv.url).replace("SECRET", POLYMER_SECRET)
    )
    settings = make_settings(tmp_path, odoo_target[0], partners)
    await bootstrap.migrate(settings)
    rpc = bootstrap.odoo_rpc(settings)
    await ensure_master_data(rpc)
    runtime = await bootstrap.build_runtime(settings)
    api = BackgroundServer(create_app(runtime), host, next_free_port(host, 18080))
    await api.start()
    try:
        yield World(runtime, rpc, tmp_path, tmp_path), received, api.url
    finally:
        await rpc.aclose()
        await api.stop()
        await runtime.close()
        await supplier_srv.stop()
