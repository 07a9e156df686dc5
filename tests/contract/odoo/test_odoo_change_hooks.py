"""Change hooks: automation rules with webhook actions, provisioned idempotently (17+).

On a real Odoo a tiny receiver listens on 127.0.0.1; Odoo posts to it from inside the
confirming transaction. The rules are removed afterwards so the shared database does not
keep posting to a closed port.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from odoo_contract import Fixture, Target

from procurelink.adapters.odoo.automation import HOOKS
from procurelink.adapters.odoo.gateway import OdooGateway
from procurelink.adapters.odoo.rpc import OdooRpc

SECRETS = {h.key: f"s3cret-{h.key}" for h in HOOKS}


class Receiver:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        received = self.calls

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                received.append((self.path, json.loads(body or b"{}")))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def wait_for(self, model: str, rid: int, timeout: float = 10) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for _path, body in list(self.calls):
                if body.get("_model") == model and body.get("_id") == rid:
                    return body
            time.sleep(0.05)
        raise AssertionError(f"no webhook for {model} {rid}; got {self.calls}")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    thread = threading.Thread(target=r.server.serve_forever, daemon=True)
    thread.start()
    yield r
    r.server.shutdown()
    r.server.server_close()


async def _remove_rules(rpc: OdooRpc) -> None:
    names = [h.name for h in HOOKS]
    ids = await rpc.execute_kw(
        "base.automation",
        "search",
        [[("name", "in", names)]],
        {"context": {"active_test": False}},
    )
    if ids:
        actions = await rpc.execute_kw(
            "ir.actions.server", "search", [[("base_automation_id", "in", ids)]]
        )
        await rpc.execute_kw("base.automation", "unlink", [ids])
        leftover = await rpc.execute_kw("ir.actions.server", "search", [[("id", "in", actions)]])
        if leftover:
            await rpc.execute_kw("ir.actions.server", "unlink", [leftover])


@pytest.mark.versions(16)
async def test_odoo16_has_no_hooks(target: Target, gateway: OdooGateway) -> None:
    assert await gateway.ensure_change_hooks("http://127.0.0.1:1", SECRETS) == []


@pytest.mark.versions(17, 18, 19)
async def test_provisioning_is_idempotent_and_a_confirmation_posts(
    target: Target, gateway: OdooGateway, rpc: OdooRpc, make: Fixture, receiver: Receiver
) -> None:
    await _remove_rules(rpc)
    try:
        first = await gateway.ensure_change_hooks(receiver.url, SECRETS)
        second = await gateway.ensure_change_hooks(receiver.url, SECRETS)
        assert [h.key for h in first] == [h.key for h in second]
        assert "purchase-order" in [h.key for h in first]
        assert all(h.created for h in first)
        assert not any(h.created or h.updated for h in second)
        assert [h.rule_id for h in first] == [h.rule_id for h in second]
        for hook in first:
            rules = await rpc.execute_kw(
                "base.automation",
                "search_read",
                [[("name", "=", next(h.name for h in HOOKS if h.key == hook.key))]],
                {"fields": ["action_server_ids"]},
            )
            assert len(rules) == 1 and len(rules[0]["action_server_ids"]) == 1

        # A new secret (or base URL) updates the action's URL in place.
        rotated = await gateway.ensure_change_hooks(
            receiver.url, {**SECRETS, "purchase-order": "rotated"}
        )
        po_hook = next(h for h in rotated if h.key == "purchase-order")
        assert po_hook.updated and not po_hook.created

        vendor, _ = await make.vendor()
        product, _ = await make.product(vendor, vendor_code=None)
        oid = await make.order(vendor, [(product, 5.0, "2025-05-01 12:00:00")])
        await make.call("purchase.order", "button_confirm", [oid])
        body = receiver.wait_for("purchase.order", oid)
        assert body["state"] == "purchase"
        assert body["id"] == oid and body["write_date"]
        path = next(p for p, b in receiver.calls if b is body)
        assert path == "/odoo/hooks/purchase-order?secret=rotated"
        # The receipt the confirmation created: its computed state was set, the rule fired
        # (a real Odoo posts once per recompute inside the transaction: draft, then assigned).
        [order] = await make.call("purchase.order", "read", [oid], fields=["picking_ids"])
        receipt = receiver.wait_for("stock.picking", order["picking_ids"][0])
        assert receipt["state"] in ("draft", "assigned", "confirmed", "waiting")
    finally:
        await _remove_rules(rpc)
