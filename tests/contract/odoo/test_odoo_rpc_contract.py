"""Transport and error contract: what the adapter relies on from Odoo's RPC layer."""

from __future__ import annotations

import itertools
from typing import Any

import httpx
import pytest
from conftest import Fixture
from pydantic import SecretStr

from procurelink.adapters.odoo.rpc import OdooRpc
from procurelink.adapters.odoo.settings import OdooSettings
from procurelink.errors import AuthenticationError, ErpError

_ids = itertools.count(1)


async def test_version_answers_without_login(rpc: OdooRpc) -> None:
    info = await rpc.version()
    assert info["server_version_info"][0] >= 16
    assert info["protocol_version"] == 1


async def test_authenticate_returns_a_uid(rpc: OdooRpc) -> None:
    assert await rpc.authenticate() > 0


async def test_bad_password_is_an_authentication_error(odoo_settings: OdooSettings) -> None:
    bad = OdooRpc(
        odoo_settings.model_copy(update={"password": SecretStr("wrong"), "api_key": None})
    )
    with pytest.raises(AuthenticationError):
        await bad.authenticate()
    await bad.aclose()


async def test_object_call_with_bad_password_is_access_denied(
    rpc: OdooRpc, odoo_settings: OdooSettings
) -> None:
    uid = await rpc.authenticate()
    bad = OdooRpc(
        odoo_settings.model_copy(update={"password": SecretStr("wrong"), "api_key": None})
    )
    bad._uid = uid  # a uid obtained earlier, then the password changed
    with pytest.raises(AuthenticationError):
        await bad.execute_kw("res.partner", "search", [[]], {"limit": 1})
    await bad.aclose()


async def test_unknown_model_is_refused(rpc: OdooRpc) -> None:
    with pytest.raises(ErpError, match="doesn't exist"):
        await rpc.execute_kw("no.such.model", "search", [[]])


async def test_unknown_field_is_refused(make: Fixture) -> None:
    vendor, _ = await make.vendor()
    with pytest.raises(ErpError, match="Invalid field"):
        await make.call("res.partner", "write", [vendor], {"no_such_field": 1})


async def test_missing_record_is_refused(rpc: OdooRpc) -> None:
    with pytest.raises(ErpError, match="does not exist") as info:
        await rpc.execute_kw("purchase.order", "read", [[987654321]], {"fields": ["name"]})
    assert info.value.details["model"] == "purchase.order"


async def test_private_method_is_an_access_error(rpc: OdooRpc) -> None:
    with pytest.raises(ErpError, match="Private methods") as info:
        await rpc.execute_kw("purchase.order", "_compute_display_name", [[]])
    assert info.value.details["fault_code"] == 4


async def test_button_cancel_none_result_is_success(make: Fixture, rpc: OdooRpc) -> None:
    vendor, _ = await make.vendor()
    product, _ = await make.product(vendor, vendor_code=None)
    order = await make.order(vendor, [(product, 5, "2025-04-10 10:00:00")])
    assert await rpc.execute_kw("purchase.order", "button_cancel", [[order]]) is None
    rows = await make.call("purchase.order", "read", [order], fields=["state"])
    assert rows[0]["state"] == "cancel"


async def _jsonrpc(settings: OdooSettings, service: str, method: str, *args: Any) -> Any:
    payload = {
        "jsonrpc": "2.0",
        "method": "call",
        "id": next(_ids),
        "params": {"service": service, "method": method, "args": list(args)},
    }
    async with httpx.AsyncClient(base_url=settings.url, timeout=settings.timeout) as client:
        response = await client.post("/jsonrpc", json=payload)
    assert response.status_code == 200
    return response.json()


async def test_jsonrpc_error_shapes(odoo_settings: OdooSettings, rpc: OdooRpc) -> None:
    s, uid = odoo_settings, await rpc.authenticate()
    secret = s.secret()
    cases = {
        "odoo.exceptions.UserError": (uid, secret, "no.such.model", "search", [[]]),
        "odoo.exceptions.MissingError": (
            uid,
            secret,
            "res.partner",
            "read",
            [[987654321]],
            {"fields": ["name"]},
        ),
        "odoo.exceptions.AccessDenied": (uid, "wrong", "res.partner", "search", [[]]),
        "odoo.exceptions.AccessError": (uid, secret, "res.partner", "_read", [[]]),
        "builtins.ValueError": (uid, secret, "res.partner", "search", [[("nope", "=", 1)]]),
    }
    for name, args in cases.items():
        body = await _jsonrpc(s, "object", "execute_kw", s.db, *args)
        assert body["error"]["data"]["name"] == name, body["error"]
        assert body["error"]["message"] == "Odoo Server Error"
        assert body["error"]["code"] in (0, 200)
        assert isinstance(body["error"]["data"]["message"], str)


async def test_jsonrpc_returns_null_for_none(make: Fixture, odoo_settings: OdooSettings) -> None:
    vendor, _ = await make.vendor()
    product, _ = await make.product(vendor, vendor_code=None)
    order = await make.order(vendor, [(product, 1, "2025-04-10 10:00:00")])
    uid = await make.rpc.authenticate()
    s = odoo_settings
    body = await _jsonrpc(
        s,
        "object",
        "execute_kw",
        s.db,
        uid,
        s.secret(),
        "purchase.order",
        "button_cancel",
        [[order]],
    )
    assert "error" not in body
    assert body["result"] is None


async def test_jsonrpc_authenticate_false_on_bad_credentials(odoo_settings: OdooSettings) -> None:
    s = odoo_settings
    body = await _jsonrpc(s, "common", "authenticate", s.db, s.user, "wrong", {})
    assert body["result"] is False
