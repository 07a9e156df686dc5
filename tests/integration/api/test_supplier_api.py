"""The supplier REST API on a real runtime (SQLite store), through the ASGI app."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from procurelink import bootstrap
from procurelink.domain.ledger import LedgerLine, LedgerOrder, OrderState
from procurelink.entrypoints.api.app import create_app
from procurelink.ports.records import ExceptionStatus, JobStatus
from procurelink.settings import Settings

PROFILE = """\
id: {id}
name: {id}
odoo: {{partner_id: {odoo}}}
codec: {{type: json}}
channels: {{outbound: {{type: directory, outbox: "{out}"}}}}
"""


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, bootstrap.Runtime]]:
    partners = tmp_path / "partners"
    partners.mkdir()
    for pid, odoo in (("steelworks", 4), ("polymer", 5)):
        (partners / f"{pid}.yaml").write_text(PROFILE.format(id=pid, odoo=odoo, out=tmp_path))
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'api.db'}",
        partners_dir=partners,
        odoo_url="http://127.0.0.1:9",
        odoo_password=SecretStr("unused"),
    )
    await bootstrap.migrate(settings)
    runtime = await bootstrap.build_runtime(settings)
    async with runtime.deps.store.unit_of_work() as uow:
        for number, pid in (("PO1", "steelworks"), ("PO2", "polymer")):
            await uow.ledger.save(
                LedgerOrder(
                    order_number=number,
                    partner_id=pid,
                    correlation_id=f"c-{number}",
                    state=OrderState.SENT,
                    revision=0,
                    currency="EUR",
                    updated_at=datetime.now(UTC),
                    odoo_id=1,
                    lines=(
                        LedgerLine(
                            "1",
                            Decimal(10),
                            "unit",
                            date(2030, 1, 10),
                            Decimal(10),
                            date(2030, 1, 10),
                            odoo_line_id=1,
                        ),
                    ),
                )
            )
        await uow.commit()
    transport = httpx.ASGITransport(app=create_app(runtime))
    async with httpx.AsyncClient(transport=transport, base_url="http://pl") as client:
        yield client, runtime
    await runtime.close()


def ack(order: str = "PO1", **over: object) -> bytes:
    doc = {
        "document_type": "order_response",
        "document_id": "A-1",
        "order_number": order,
        "response_date": "2030-01-02",
        "overall": "accepted",
        "lines": [
            {"line_no": "1", "status": "accepted", "confirmed_qty": {"value": "10", "uom": "unit"}}
        ],
    }
    doc.update(over)
    return json.dumps(doc).encode()


async def test_no_credentials_or_a_wrong_key_is_401(
    api: tuple[httpx.AsyncClient, bootstrap.Runtime],
) -> None:
    client, runtime = api
    _, token = await runtime.supplier_access.create_key("steelworks")
    key_id = token.split(".")[0]
    assert (await client.get("/api/v1/orders")).status_code == 401
    for bad in (f"{key_id}.wrong", "pk_nobody.secret", "garbage", token + "x"):
        response = await client.get("/api/v1/orders", headers={"Authorization": f"Bearer {bad}"})
        assert response.status_code == 401, bad
        assert response.json()["detail"] == "invalid or revoked credentials"


async def test_a_supplier_sees_only_its_own_orders(
    api: tuple[httpx.AsyncClient, bootstrap.Runtime],
) -> None:
    client, runtime = api
    _, token = await runtime.supplier_access.create_key("steelworks")
    auth = {"Authorization": f"Bearer {token}"}
    orders = (await client.get("/api/v1/orders", headers=auth)).json()
    assert [o["order_number"] for o in orders] == ["PO1"]
    assert (await client.get("/api/v1/orders/PO1", headers=auth)).json()["state"] == "sent"
    assert (await client.get("/api/v1/orders/PO2", headers=auth)).status_code == 404


async def test_post_is_captured_once_per_idempotency_key(
    api: tuple[httpx.AsyncClient, bootstrap.Runtime],
) -> None:
    client, runtime = api
    _, token = await runtime.supplier_access.create_key("steelworks")
    auth = {"Authorization": f"Bearer {token}", "Idempotency-Key": "ack-PO1-1"}
    first = await client.post("/api/v1/acknowledgments", content=ack(), headers=auth)
    again = await client.post("/api/v1/acknowledgments", content=ack(), headers=auth)
    other = await client.post("/api/v1/acknowledgments", content=ack(vendor_ref="X"), headers=auth)
    assert first.status_code == again.status_code == 202
    assert again.json()["message_id"] == first.json()["message_id"]
    assert other.status_code == 409
    jobs = await runtime.queries.jobs(status=JobStatus.QUEUED)
    assert [j.kind for j in jobs] == ["inbound.decode"]


async def test_invalid_documents_are_refused_and_recorded(
    api: tuple[httpx.AsyncClient, bootstrap.Runtime],
) -> None:
    client, runtime = api
    _, token = await runtime.supplier_access.create_key("polymer")
    auth = {"Authorization": f"Bearer {token}"}
    wrong_kind = await client.post("/api/v1/invoices", content=ack(), headers=auth)
    bad_date = await client.post(
        "/api/v1/acknowledgments", content=ack(response_date="2030-02-31"), headers=auth
    )
    assert (wrong_kind.status_code, bad_date.status_code) == (422, 422)
    assert "takes invoice documents" in wrong_kind.json()["error"]["message"]
    assert "response_date" in bad_date.json()["error"]["message"]
    exceptions = await runtime.queries.exceptions(status=ExceptionStatus.OPEN)
    assert [x.reason_code for x in exceptions] == ["invalid_document", "invalid_document"]
    assert all(x.partner_id == "polymer" and x.message_id for x in exceptions)


async def test_oauth2_client_credentials_and_revocation(
    api: tuple[httpx.AsyncClient, bootstrap.Runtime],
) -> None:
    client, runtime = api
    key, token = await runtime.supplier_access.create_key("steelworks")
    secret = token.split(".", 1)[1]
    refused = await client.post(
        "/api/v1/oauth/token",
        data={"grant_type": "client_credentials", "client_id": key.key_id, "client_secret": "no"},
    )
    assert refused.status_code == 401
    granted = await client.post(
        "/api/v1/oauth/token",
        data={"grant_type": "client_credentials", "client_id": key.key_id, "client_secret": secret},
    )
    assert granted.status_code == 200
    access = granted.json()["access_token"]
    auth = {"Authorization": f"Bearer {access}"}
    assert (await client.get("/api/v1/orders", headers=auth)).status_code == 200
    assert await runtime.supplier_access.revoke(key.key_id)
    assert (await client.get("/api/v1/orders", headers=auth)).status_code == 401
    assert (
        await client.get("/api/v1/orders", headers={"Authorization": f"Bearer {token}"})
    ).status_code == 401
