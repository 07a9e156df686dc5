"""The JSON/HTTP supplier path: signed webhook out, signed acknowledgment in through the API,
an exception beyond tolerance, and a buyer's approval from the console writing it to Odoo."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from e2e_world import OdooTarget, World, ensure_master_data, make_settings
from fastapi import FastAPI, Request

from procurelink import bootstrap
from procurelink.codecs.json_api import JsonCodec
from procurelink.domain.order import PurchaseOrder
from procurelink.entrypoints.api.app import create_app
from procurelink.entrypoints.demo.suppliers import acknowledge
from procurelink.entrypoints.listen import BackgroundServer, next_free_port
from procurelink.ports.codec import DecodeContext, EncodeContext
from procurelink.ports.records import ExceptionStatus
from procurelink.security.webhooks import standard_headers, verify_standard

SECRET = "polymer-test-secret"
PROFILE = """\
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
        verify_standard(SECRET, body, request.headers)
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
        PROFILE.replace("URL", supplier_srv.url).replace("SECRET", SECRET)
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


async def test_signed_webhook_out_exception_in_and_approval(
    http_world: tuple[World, list[httpx.Request], str],
) -> None:
    world, received, api = http_world
    po, name = await world.confirm_order("PP-V-20451", [("ACME-30210", 40), ("ACME-30211", 60)])
    await world.runtime.run_once()

    [request] = received
    assert request.headers["Idempotency-Key"] == request.headers["webhook-id"]
    [order] = JsonCodec().decode(request.content, DecodeContext("polymer", "x", "m"))
    assert isinstance(order, PurchaseOrder)
    assert order.order_number == name
    assert request.headers["X-Procurelink-Correlation-Id"] == order.correlation_id

    ack = acknowledge(order, "1", 10, "PP-77", "ack-1")
    body = (
        JsonCodec()
        .encode(ack, EncodeContext(partner_id="polymer", correlation_id="c", now=datetime.now(UTC)))
        .body
    )
    async with httpx.AsyncClient(base_url=api) as client:
        forged = await client.post(
            "/api/v1/partners/polymer/messages",
            content=body,
            headers=standard_headers("wrong", "ack-1", body, datetime.now(UTC)),
        )
        assert forged.status_code == 401
        accepted = await client.post(
            "/api/v1/partners/polymer/messages",
            content=body,
            headers=standard_headers(SECRET, "ack-1", body, datetime.now(UTC)),
        )
        assert accepted.status_code == 202
        assert accepted.json()["accepted"] is True
        await world.runtime.run_once()

        [exc] = await world.runtime.queries.exceptions()
        assert exc.reason_code == "policy_violation"
        assert "+10 days" in exc.message
        lines_before = await world.odoo_lines(po)
        page = await client.get("/console/exceptions")
        assert f'action="/console/exceptions/{exc.id}/approve"' in page.text

        approved = await client.post(
            f"/console/exceptions/{exc.id}/approve", data={"actor": "jane"}, follow_redirects=False
        )
        assert approved.status_code == 303
        again = await client.post(f"/console/exceptions/{exc.id}/approve", data={})
        assert again.status_code == 409

        order_page = await client.get(f"/console/orders/{name}")
        assert "exception_approved" in order_page.text

    lines_after = await world.odoo_lines(po)
    first_date = order.lines[0].requested_date
    assert first_date is not None
    assert lines_after[0]["date_planned"].startswith((first_date + timedelta(days=10)).isoformat())
    assert lines_after[1] == lines_before[1]
    [resolved] = await world.runtime.queries.exceptions(status=ExceptionStatus.APPROVED)
    assert resolved.resolved_by == "jane"
    view = await world.runtime.queries.order(name)
    assert view is not None
    assert view.order.state == "confirmed"
    assert any(a.actor == "buyer:jane" and a.action == "line_changed" for a in view.audit)
