"""`POST /api/v1/planning/purchase-requests` over real HTTP (uvicorn on a free port) against
the Odoo simulator, or a real Odoo when ODOO_URL & co are set: draft RFQs read back from Odoo,
idempotent replay, a changed replay refused, planning keys kept apart from suppliers' keys,
typed refusals recorded for buyers, Odoo down answered 503 with Retry-After."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from e2e_world import OdooTarget, ensure_master_data, make_settings

from procurelink import bootstrap
from procurelink.adapters.odoo.rpc import OdooRpc
from procurelink.entrypoints.api.app import create_app
from procurelink.entrypoints.listen import BackgroundServer, next_free_port
from procurelink.ports.records import ExceptionStatus
from procurelink.services.planning_access import new_planning_key
from procurelink.settings import Settings

PATH = "/api/v1/planning/purchase-requests"
BODY_LIMIT = 8 * 1024
SUPPLIER = """\
id: polymer
name: Polymer Parts Ltd
odoo: {partner_ref: PP-V-20451}
codec: {type: json}
channels: {outbound: {type: directory, outbox: "OUT"}}
"""


@dataclass
class Planning:
    runtime: bootstrap.Runtime
    rpc: OdooRpc
    http: httpx.AsyncClient
    key: str
    plant: str  # a warehouse code the Odoo has
    plant_receipts: int  # its incoming picking type
    odoo: BackgroundServer | None  # the simulator, None for a real Odoo
    settings: Settings  # to start a second `serve` process on the same store

    def auth(self, key: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {key or self.key}"}

    async def post(self, body: Any, key: str | None = None) -> httpx.Response:
        return await self.http.post(PATH, json=body, headers=self.auth(key))

    async def rfqs_in_odoo(self, batch_id: str) -> list[dict[str, Any]]:
        orders = await self.rpc.execute_kw(
            "purchase.order",
            "search_read",
            [[["origin", "=", f"planning:{batch_id}"]]],
            {"fields": ["name", "partner_id", "state", "picking_type_id", "order_line"]},
        )
        for order in orders:
            lines = await self.rpc.execute_kw(
                "purchase.order.line",
                "read",
                [order["order_line"]],
                {"fields": ["product_id", "product_qty", "date_planned"]},
            )
            order["lines"] = sorted(
                (ln["product_id"][0], ln["product_qty"], ln["date_planned"][:10]) for ln in lines
            )
        return sorted(orders, key=lambda o: o["id"])


@pytest.fixture
async def planning(
    tmp_path: Path, odoo_target: tuple[OdooTarget, BackgroundServer | None]
) -> AsyncIterator[Planning]:
    target, odoo = odoo_target
    partners = tmp_path / "partners"
    partners.mkdir()
    (partners / "polymer.yaml").write_text(SUPPLIER.replace("OUT", str(tmp_path / "out")))
    credential, key = new_planning_key("mrp-test")
    settings = make_settings(tmp_path, target, partners).model_copy(
        update={
            "planning_clients": {"mrp-test": credential},
            "planning_max_body_bytes": BODY_LIMIT,
            # The simulator needs no protection from a flood; the default 10/s would make
            # each test wait on the limiter.
            **({"odoo_max_calls_per_second": 1000.0} if odoo is not None else {}),
        }
    )
    await bootstrap.migrate(settings)
    rpc = bootstrap.odoo_rpc(settings)
    await ensure_master_data(rpc)
    [warehouse] = await rpc.execute_kw(
        "stock.warehouse",
        "search_read",
        [[]],
        {"fields": ["code", "in_type_id"], "limit": 1, "order": "id"},
    )
    runtime = await bootstrap.build_runtime(settings)
    host = "127.0.0.1"
    api = BackgroundServer(create_app(runtime), host, next_free_port(host, 18280))
    await api.start()
    try:
        async with httpx.AsyncClient(base_url=api.url, timeout=30) as http:
            yield Planning(
                runtime,
                rpc,
                http,
                key,
                warehouse["code"],
                warehouse["in_type_id"][0],
                odoo,
                settings,
            )
    finally:
        await api.stop()
        await rpc.aclose()
        await runtime.close()


def batch(plant: str, **over: Any) -> dict[str, Any]:
    """Bolts for the plant in two requests (one RFQ line), housings for Odoo's default
    receipt type: two RFQs, as the products' vendors differ."""
    body: dict[str, Any] = {
        "batch_id": f"mrp-{uuid.uuid4().hex[:12]}",
        "requests": [
            {"product_code": "ACME-10042", "quantity": "100", "need_date": "2030-06-03",
             "plant": plant, "reference": "PR-1"},
            {"product_code": "ACME-10042", "quantity": "20", "need_date": "2030-06-01",
             "plant": plant, "reference": "PR-2"},
            {"product_code": "ACME-30210", "quantity": "10", "need_date": "2030-06-10",
             "vendor_ref": "PP-V-20451", "reference": "PR-3"},
        ],
    }  # fmt: skip
    body.update(over)
    return body


async def product_id(planning: Planning, code: str) -> int:
    [found] = await planning.rpc.execute_kw(
        "product.product", "search", [[["default_code", "=", code]]]
    )
    return int(found)


async def test_requests_become_draft_rfqs_and_a_replay_answers_them_again(
    planning: Planning,
) -> None:
    body = batch(planning.plant)
    first = await planning.post(body)
    assert first.status_code == 201, first.text
    answer = first.json()
    assert answer["batch_id"] == body["batch_id"]
    rfqs = sorted(answer["rfqs"], key=lambda r: r["odoo_id"])
    assert [(r["plant"], r["lines"], r["created"]) for r in rfqs] == [
        (planning.plant, 1, True),
        (None, 1, True),
    ]

    in_odoo = await planning.rfqs_in_odoo(body["batch_id"])
    bolt, housing = (
        await product_id(planning, "ACME-10042"),
        await product_id(planning, "ACME-30210"),
    )
    [polymer] = await planning.rpc.execute_kw(
        "res.partner", "search", [[["ref", "=", "PP-V-20451"]]]
    )
    assert [(o["id"], o["name"], o["partner_id"][0], o["state"]) for o in in_odoo] == [
        (r["odoo_id"], r["name"], r["vendor_odoo_id"], "draft") for r in rfqs
    ]
    # The two bolt requests are one line, needed by the earlier date.
    assert [o["lines"] for o in in_odoo] == [
        [(bolt, 120.0, "2030-06-01")],
        [(housing, 10.0, "2030-06-10")],
    ]
    assert in_odoo[1]["partner_id"][0] == polymer  # named by vendor_ref
    assert in_odoo[0]["picking_type_id"][0] == planning.plant_receipts

    # The same batch, spelt differently (key order, "120.0"-style numbers): 200, same RFQs.
    respelt = {
        "requests": [
            {k: r[k] for k in reversed(list(r))} | {"quantity": f"{r['quantity']}.00"}
            for r in body["requests"]
        ],
        "batch_id": body["batch_id"],
    }
    again = await planning.http.post(
        PATH,
        content=json.dumps(respelt, indent=2),
        headers={**planning.auth(), "Content-Type": "application/json"},
    )
    assert again.status_code == 200, again.text
    assert again.json() == {
        **answer,
        "rfqs": [{**r, "created": False} for r in answer["rfqs"]],
    }
    assert len(await planning.rfqs_in_odoo(body["batch_id"])) == 2

    changed = batch(planning.plant, batch_id=body["batch_id"])
    changed["requests"][0]["quantity"] = "101"
    conflict = await planning.post(changed)
    assert conflict.status_code == 409
    error = conflict.json()["detail"]
    assert error["code"] == "batch_conflict"
    assert body["batch_id"] in error["message"]
    assert error["details"] == {"batch_id": body["batch_id"]}
    assert [o["lines"] for o in await planning.rfqs_in_odoo(body["batch_id"])] == [
        [(bolt, 120.0, "2030-06-01")],
        [(housing, 10.0, "2030-06-10")],
    ]


async def test_only_a_planning_key_opens_the_endpoint_and_it_opens_nothing_else(
    planning: Planning,
) -> None:
    _, supplier_key = await planning.runtime.supplier_access.create_key("polymer")
    other_client, other_key = new_planning_key("not-configured")
    key_id = planning.key.split(".")[0]
    body = batch(planning.plant)
    refused = {
        "no header": await planning.http.post(PATH, json=body),
        "basic": await planning.http.post(PATH, json=body, headers={"Authorization": "Basic x"}),
        "wrong secret": await planning.post(body, f"{key_id}.wrong"),
        "unknown key": await planning.post(body, other_key),
        "garbage": await planning.post(body, "garbage"),
        "supplier key": await planning.post(body, supplier_key),
    }
    for what, response in refused.items():
        assert response.status_code == 401, what
        assert response.headers["WWW-Authenticate"].startswith("Bearer"), what
        assert response.json()["detail"]["code"] == "authentication", what
        assert planning.key not in response.text and supplier_key not in response.text
    assert await planning.rfqs_in_odoo(body["batch_id"]) == []

    # The supplier key works where it belongs; the planning key does not work there.
    supplier_orders = await planning.http.get("/api/v1/orders", headers=planning.auth(supplier_key))
    assert supplier_orders.status_code == 200
    assert (await planning.http.get("/api/v1/orders", headers=planning.auth())).status_code == 401
    ack = await planning.http.post(
        "/api/v1/acknowledgments", content=b"{}", headers=planning.auth()
    )
    token = await planning.http.post(
        "/api/v1/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": key_id,
            "client_secret": planning.key.split(".", 1)[1],
        },
    )
    assert (ack.status_code, token.status_code) == (401, 401)
    assert other_client.key_id != key_id


async def test_invalid_batches_answer_422_naming_the_field(planning: Planning) -> None:
    auth = {**planning.auth(), "Content-Type": "application/json"}
    not_json = await planning.http.post(PATH, content=b'{"batch_id": ', headers=auth)
    no_requests = await planning.post({"batch_id": "b-1"})
    zero = batch(planning.plant)
    zero["requests"][1]["quantity"] = "0"
    bad_date = batch(planning.plant)
    bad_date["requests"][2]["need_date"] = "2030-02-31"
    answers = [
        await planning.post(zero),
        await planning.post(bad_date),
        no_requests,
        not_json,
    ]
    assert [a.status_code for a in answers] == [422] * 4
    errors = [a.json()["detail"] for a in answers]
    assert {e["code"] for e in errors} == {"invalid_document"}
    fields = [[f["field"] for f in e["details"]["errors"]] for e in errors]
    assert fields[:3] == [["requests.1.quantity"], ["requests.2.need_date"], ["requests"]]
    assert "requests.1.quantity" in errors[0]["message"]
    assert "Invalid JSON" in errors[3]["message"]
    form = await planning.http.post(
        PATH, content=b"batch_id=x", headers={**planning.auth(), "Content-Type": "text/plain"}
    )
    assert form.status_code == 415
    # The planner hears of these at once; nothing for buyers to look at.
    assert await planning.runtime.queries.exceptions(status=ExceptionStatus.OPEN) == []


async def test_an_unplaceable_batch_is_refused_whole_and_recorded(planning: Planning) -> None:
    body = batch(planning.plant)
    body["requests"].append(
        {"product_code": "NO-SUCH-PART", "quantity": "1", "need_date": "2030-06-01",
         "reference": "PR-9"}
    )  # fmt: skip
    body["requests"][0]["vendor_ref"] = "NO-SUCH-VENDOR"
    response = await planning.post(body)
    assert response.status_code == 422
    error = response.json()["detail"]
    assert error["code"] == "unplaceable_requests"
    assert "request 4 (PR-9): no product with code 'NO-SUCH-PART'" in error["message"]
    assert "no vendor with reference 'NO-SUCH-VENDOR'" in error["message"]
    assert await planning.rfqs_in_odoo(body["batch_id"]) == []
    [recorded] = await planning.runtime.queries.exceptions(status=ExceptionStatus.OPEN)
    assert (recorded.reason_code, recorded.correlation_id) == (
        "unplaceable_requests",
        f"rfq-{body['batch_id']}",
    )
    assert recorded.payload["by"] == "planning:mrp-test"

    # Nothing was created: the corrected batch may use the same id.
    fixed = batch(planning.plant, batch_id=body["batch_id"])
    assert (await planning.post(fixed)).status_code == 201


async def test_a_body_over_the_limit_is_413_with_or_without_a_length(planning: Planning) -> None:
    big = batch(planning.plant)
    big["requests"] = big["requests"] * 60  # about 10 KB, over the 8 KiB limit
    assert len(json.dumps(big)) > BODY_LIMIT
    declared = await planning.post(big)

    async def chunks() -> AsyncIterator[bytes]:
        data = json.dumps(big).encode()
        for at in range(0, len(data), 1024):
            yield data[at : at + 1024]

    streamed = await planning.http.post(
        PATH, content=chunks(), headers={**planning.auth(), "Content-Type": "application/json"}
    )
    assert "content-length" not in streamed.request.headers  # sent chunked
    for response in (declared, streamed):
        assert response.status_code == 413
        assert response.json()["detail"]["code"] == "message_too_large"
    assert await planning.rfqs_in_odoo(big["batch_id"]) == []


async def test_odoo_down_is_503_with_retry_after_and_a_placed_batch_still_answers(
    planning: Planning,
) -> None:
    if planning.odoo is None:
        pytest.skip("stops and restarts Odoo: runs against the simulator, not a real Odoo")
    placed = batch(planning.plant)
    assert (await planning.post(placed)).status_code == 201
    waiting = batch(planning.plant)
    app, host, port = planning.odoo.app, planning.odoo.host, planning.odoo.port
    await planning.odoo.stop()
    restarted: BackgroundServer | None = None
    try:
        down = await planning.post(waiting)
        assert down.status_code == 503
        assert down.headers["Retry-After"] == "30"
        assert down.json()["detail"]["code"] == "erp_unavailable"
        # A batch whose RFQs all exist is answered from procurelink's own records.
        replay = await planning.post(placed)
        assert replay.status_code == 200
        assert {r["created"] for r in replay.json()["rfqs"]} == {False}

        restarted = BackgroundServer(app, host, port)
        await restarted.start()
        later = await planning.post(waiting)
        assert later.status_code == 201, later.text
        assert len(await planning.rfqs_in_odoo(waiting["batch_id"])) == 2
    finally:
        if restarted is not None:
            await restarted.stop()


async def test_the_endpoint_is_documented_in_openapi(planning: Planning) -> None:
    spec = (await planning.http.get("/openapi.json")).json()
    operation = spec["paths"][PATH]["post"]
    assert operation["summary"].startswith("Purchase requests to draft RFQs")
    assert {"200", "201", "401", "409", "413", "422", "503"} <= set(operation["responses"])
    assert operation["security"] == [{"planningKey": []}]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["batch_id", "requests"]
    assert "product_code" in body["properties"]["requests"]["items"]["properties"]
    assert "$ref" not in json.dumps(body)
    created = operation["responses"]["201"]["content"]["application/json"]["schema"]
    assert created == {"$ref": "#/components/schemas/PlannedBatch"}


def slow_rfq_creates(app: Any, seconds: float) -> Any:
    """The simulator taking ``seconds`` over each purchase.order create, as a loaded Odoo
    does: a second call for the same batch then looks for its RFQs while the first creates
    them."""

    async def slowed(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            return await app(scope, receive, send)
        chunks, more = [], True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if b"purchase.order" in body and b"create" in body and b"search" not in body:
            await asyncio.sleep(seconds)
        replayed = [{"type": "http.request", "body": body, "more_body": False}]

        async def again() -> Any:
            return replayed.pop() if replayed else await receive()

        return await app(scope, again, send)

    return slowed


@asynccontextmanager
async def slow_simulator(planning: Planning) -> AsyncIterator[None]:
    """The simulator restarted on its port with RFQ creates slowed down, so that a second
    call for a batch arrives while the first is still creating."""
    if planning.odoo is None:
        pytest.skip("slows the simulator's creates: runs against the simulator only")
    app, host, port = planning.odoo.app, planning.odoo.host, planning.odoo.port
    await planning.odoo.stop()
    slow = BackgroundServer(slow_rfq_creates(app, 0.3), host, port)
    await slow.start()
    try:
        yield
    finally:
        await slow.stop()


async def test_the_same_batch_sent_twice_at_once_makes_each_rfq_once(planning: Planning) -> None:
    async with slow_simulator(planning):
        # A planner that timed out and sent the batch again while the first call runs.
        body = batch(planning.plant)
        answers = await asyncio.gather(planning.post(body), planning.post(body))
        assert sorted(a.status_code for a in answers) == [200, 201], [a.text for a in answers]
        first, second = (a.json()["rfqs"] for a in answers)
        assert [r["odoo_id"] for r in first] == [r["odoo_id"] for r in second]
        assert len(await planning.rfqs_in_odoo(body["batch_id"])) == 2


async def test_the_same_batch_sent_to_two_processes_at_once_makes_each_rfq_once(
    planning: Planning,
) -> None:
    """Two `serve` processes on one store (behind a balancer): the batch's lease in the store
    makes the second wait for the first, then answer from what it created."""
    async with slow_simulator(planning):
        other = await bootstrap.build_runtime(planning.settings)
        other_api = BackgroundServer(
            create_app(other), "127.0.0.1", next_free_port("127.0.0.1", 18380)
        )
        await other_api.start()
        try:
            body = batch(planning.plant)
            async with httpx.AsyncClient(base_url=other_api.url, timeout=30) as second:
                answers = await asyncio.gather(
                    planning.post(body),
                    second.post(PATH, json=body, headers=planning.auth()),
                )
            assert sorted(a.status_code for a in answers) == [200, 201], [a.text for a in answers]
            first, again = (a.json()["rfqs"] for a in answers)
            assert [r["odoo_id"] for r in first] == [r["odoo_id"] for r in again]
            assert len(await planning.rfqs_in_odoo(body["batch_id"])) == 2
        finally:
            await other_api.stop()
            await other.close()
