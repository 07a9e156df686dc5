"""Exact failure shapes per transport: XML-RPC fault codes 1-4, JSON-2 HTTP statuses.

(JSON-RPC's ``error.data`` shapes are in ``test_odoo_rpc_contract.py``.) These go below the
client, to the raw wire, so that the error table of the adapter rests on what Odoo sends.
"""

from __future__ import annotations

import xmlrpc.client
from typing import Any

import httpx
import pytest
from odoo_contract import Fixture, Target

from procurelink.adapters.odoo.rpc import OdooRpc
from procurelink.adapters.odoo.settings import OdooSettings


async def _xmlrpc(settings: OdooSettings, service: str, method: str, *args: Any) -> Any:
    body = xmlrpc.client.dumps(args, method, allow_none=False)
    async with httpx.AsyncClient(base_url=settings.url, timeout=settings.timeout) as client:
        response = await client.post(f"/xmlrpc/2/{service}", content=body.encode())
    assert response.status_code == 200
    try:
        return xmlrpc.client.loads(response.content)[0][0]
    except xmlrpc.client.Fault as fault:
        return fault


@pytest.mark.transports("xmlrpc")
async def test_xmlrpc_fault_codes(
    make: Fixture, rpc: OdooRpc, odoo_settings: OdooSettings, target: Target
) -> None:
    s, uid = odoo_settings, await rpc.authenticate()
    secret = s.secret()
    vendor, _ = await make.vendor()

    async def execute(*args: Any) -> Any:
        return await _xmlrpc(s, "object", "execute_kw", s.db, *args)

    denied = await execute(uid, "wrong", "res.partner", "search", [[]])
    assert (denied.faultCode, denied.faultString) == (3, "Access Denied")
    # _search: a private method every version 16-19 has (18 has no _read, and answers a
    # private name that does not exist with AttributeError, fault 1).
    private = await execute(uid, secret, "res.partner", "_search", [[]])
    assert private.faultCode == 4
    assert "Private methods" in private.faultString
    lacking = await execute(uid, secret, "res.partner", "_no_such_method", [[]])
    if target.major == 18:  # 18 asks whether the method exists before whether it is private
        assert lacking.faultCode == 1
        assert lacking.faultString.rstrip().endswith(
            "AttributeError: The method 'res.partner._no_such_method' does not exist"
        )
    else:
        assert lacking.faultCode == 4
    missing = await execute(uid, secret, "res.partner", "write", [[987654321], {"ref": "X"}])
    assert missing.faultCode == 2
    assert missing.faultString.startswith("Record does not exist or has been deleted.")
    unknown = await execute(uid, secret, "no.such.model", "search", [[]])
    assert (unknown.faultCode, unknown.faultString) == (2, "Object no.such.model doesn't exist")
    bug = await execute(uid, secret, "res.partner", "search", [[("nope", "=", 1)]])
    assert bug.faultCode == 1
    assert bug.faultString.startswith("Traceback (most recent call last):")
    assert "ValueError: Invalid field" in bug.faultString
    # common.authenticate answers False, never a fault, for bad credentials.
    assert await _xmlrpc(s, "common", "authenticate", s.db, s.user, "wrong", {}) is False
    assert await execute(uid, secret, "res.partner", "read", [[vendor]], {"fields": ["ref"]})


async def _json2(
    settings: OdooSettings, path: str, body: Any = None, *, key: str | None = None
) -> httpx.Response:
    assert settings.api_key is not None
    headers = {
        "Authorization": f"bearer {key or settings.api_key.get_secret_value()}",
        "X-Odoo-Database": settings.db,
    }
    async with httpx.AsyncClient(base_url=settings.url, timeout=settings.timeout) as client:
        if body is None:
            return await client.get(path, headers=headers)
        return await client.post(path, json=body, headers=headers)


def _error(response: httpx.Response, status: int, name: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert list(body) == ["name", "message", "arguments", "context", "debug"]
    assert body["name"] == name
    return str(body["message"])


@pytest.mark.transports("json2")
async def test_json2_statuses_and_bodies(
    make: Fixture, odoo_settings: OdooSettings, target: Target
) -> None:
    s = odoo_settings
    vendor, _ = await make.vendor()
    product, _ = await make.product(vendor, vendor_code=None)
    order = await make.order(vendor, [(product, 1, "2025-04-10 10:00:00")])

    ok = await _json2(
        s,
        "/json/2/res.partner/search_read",
        {"domain": [["id", "=", vendor]], "fields": ["supplier_rank"]},
    )
    assert ok.status_code == 200
    assert ok.json() == [{"id": vendor, "supplier_rank": 1}]
    created = await _json2(s, "/json/2/res.partner/create", {"vals_list": [{"name": "J2"}]})
    assert isinstance(created.json(), list)  # recordsets become id lists
    cancelled = await _json2(s, "/json/2/purchase.order/button_cancel", {"ids": [order]})
    assert (cancelled.status_code, cancelled.json()) == (200, None)  # null, no marshalling issue

    bad_key = await _json2(s, "/json/2/res.partner/search", {"domain": []}, key="0" * 40)
    assert bad_key.headers["www-authenticate"].lower() == "bearer"
    _error(bad_key, 401, "werkzeug.exceptions.Unauthorized")
    missing = await _json2(
        s, "/json/2/res.partner/write", {"ids": [987654321], "vals": {"ref": "X"}}
    )
    assert _error(missing, 404, "odoo.exceptions.MissingError").startswith("Record does not exist")
    private = await _json2(s, "/json/2/res.partner/_read", {"ids": []})
    _error(private, 403, "odoo.exceptions.AccessError")
    unknown = await _json2(s, "/json/2/no.such.model/search", {"domain": []})
    _error(unknown, 404, "werkzeug.exceptions.NotFound")
    no_method = await _json2(s, "/json/2/res.partner/no_such_method", {"ids": []})
    _error(no_method, 404, "werkzeug.exceptions.NotFound")
    bad_arg = await _json2(s, "/json/2/res.partner/search", {"domain": [], "nope": 1})
    _error(bad_arg, 422, "werkzeug.exceptions.UnprocessableEntity")
    ids_on_model = await _json2(s, "/json/2/res.partner/search", {"ids": [vendor], "domain": []})
    _error(ids_on_model, 422, "werkzeug.exceptions.UnprocessableEntity")
    invalid = await _json2(s, "/json/2/purchase.order/create", {"vals_list": [{"origin": "x"}]})
    assert "mandatory field" in _error(invalid, 422, "odoo.exceptions.ValidationError")
    elsewhere = await _json2(s, "/json/2/res.partner", None)
    assert elsewhere.status_code == 404

    version = await _json2(s, "/web/version")
    assert version.status_code == 200
    assert version.json()["version_info"][0] == target.major


@pytest.mark.transports("jsonrpc")  # once per version
async def test_json2_and_web_version_exist_from_19_on(
    odoo_settings: OdooSettings, target: Target
) -> None:
    async with httpx.AsyncClient(base_url=odoo_settings.url, timeout=30) as client:
        response = await client.post("/json/2/res.partner/search", json={"domain": []})
        version = await client.get("/web/version")
    if target.major >= 19:
        assert response.status_code == 401  # no bearer key
        assert version.json()["version"].startswith("19")
        return
    if target.major == 18:
        # 18's experimental /json/<path> view route (auth=user) catches /json/2/... and
        # sends a client without a web session to the login page.
        assert response.status_code == 303
        wanted = "%2Fjson%2F2%2Fres.partner%2Fsearch%3F"
        assert response.headers["location"] == f"/web/login?redirect={wanted}"
    else:
        assert response.status_code == 404
    assert version.status_code != 200 or "version_info" not in version.text
