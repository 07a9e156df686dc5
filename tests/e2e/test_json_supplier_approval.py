"""The JSON/HTTP supplier path: signed webhook out, signed acknowledgment in through the API,
an exception beyond tolerance, and a buyer's approval from the console writing it to Odoo."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from e2e_world import POLYMER_SECRET, World, csrf_of, request_for, sign_in_as_integration_user

from procurelink.codecs.json_api import JsonCodec
from procurelink.domain.order import PurchaseOrder
from procurelink.entrypoints.demo.suppliers import acknowledge
from procurelink.ports.codec import DecodeContext, EncodeContext
from procurelink.ports.records import ExceptionStatus
from procurelink.security.webhooks import standard_headers


async def test_signed_webhook_out_exception_in_and_approval(
    http_world: tuple[World, list[httpx.Request], str],
) -> None:
    world, received, api = http_world
    po, name = await world.confirm_order("PP-V-20451", [("ACME-30210", 40), ("ACME-30211", 60)])
    await world.runtime.run_once()

    request = request_for(received, name)
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
            headers=standard_headers(POLYMER_SECRET, "ack-1", body, datetime.now(UTC)),
        )
        assert accepted.status_code == 202
        assert accepted.json()["accepted"] is True
        await world.runtime.run_once()

        [exc] = await world.runtime.queries.exceptions()
        assert exc.reason_code == "policy_violation"
        assert "+10 days" in exc.message
        lines_before = await world.odoo_lines(po)
        await sign_in_as_integration_user(client, world)
        page = await client.get("/console/exceptions")
        assert f'action="/console/exceptions/{exc.id}/approve"' in page.text
        token = csrf_of(page.text)

        approved = await client.post(
            f"/console/exceptions/{exc.id}/approve",
            data={"csrf_token": token},
            follow_redirects=False,
        )
        assert approved.status_code == 303
        again = await client.post(
            f"/console/exceptions/{exc.id}/approve", data={"csrf_token": token}
        )
        assert again.status_code == 409

        order_page = await client.get(f"/console/orders/{name}")
        assert "exception_approved" in order_page.text

    lines_after = await world.odoo_lines(po)
    first_date = order.lines[0].requested_date
    assert first_date is not None
    assert lines_after[0]["date_planned"].startswith((first_date + timedelta(days=10)).isoformat())
    assert lines_after[1] == lines_before[1]
    [resolved] = await world.runtime.queries.exceptions(status=ExceptionStatus.APPROVED)
    assert resolved.resolved_by == world.runtime.settings.odoo_user  # the signed-in login
    view = await world.runtime.queries.order(name)
    assert view is not None
    assert view.order.state == "confirmed"
    actor = f"buyer:{world.runtime.settings.odoo_user}"
    assert any(a.actor == actor and a.action == "line_changed" for a in view.audit)
