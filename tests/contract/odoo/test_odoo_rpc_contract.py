"""Transport and error contract: what the adapter relies on from Odoo's RPC layer."""

from __future__ import annotations

import itertools
from typing import Any

import httpx
import pytest
from odoo_contract import Fixture, Target
from pydantic import SecretStr

from procurelink.adapters.odoo.rpc import OdooRpc
from procurelink.adapters.odoo.settings import OdooSettings
from procurelink.errors import AuthenticationError, ErpError

_ids = itertools.count(1)


def wrong_secret(settings: OdooSettings) -> OdooSettings:
    if settings.api_key is not None:
        return settings.model_copy(update={"api_key": SecretStr("0" * 40)})
    return settings.model_copy(update={"password": SecretStr("wrong")})


async def test_version_answers_without_login(rpc: OdooRpc, target: Target) -> None:
    info = await rpc.version()
    assert info["server_version_info"][0] == target.major
    if target.protocol != "json2":  # common.version(); JSON-2 reads /web/version
        assert info["protocol_version"] == 1
    assert (await rpc.server_version()).major == target.major
    assert rpc.protocol == target.protocol


async def test_authenticate_returns_a_uid(rpc: OdooRpc) -> None:
    assert await rpc.authenticate() > 0


async def test_bad_password_is_an_authentication_error(odoo_settings: OdooSettings) -> None:
    bad = OdooRpc(wrong_secret(odoo_settings))
    with pytest.raises(AuthenticationError):
        await bad.authenticate()
    await bad.aclose()


async def test_object_call_with_bad_password_is_access_denied(
    rpc: OdooRpc, odoo_settings: OdooSettings
) -> None:
    uid = await rpc.authenticate()
    bad = OdooRpc(wrong_secret(odoo_settings))
    transport = await bad.transport()
    transport.uid = uid  # type: ignore[attr-defined]  # obtained earlier, then the secret changed
    with pytest.raises(AuthenticationError):
        await bad.execute_kw("res.partner", "search", [[]], {"limit": 1})
    await bad.aclose()


async def test_unknown_model_is_refused(rpc: OdooRpc) -> None:
    with pytest.raises(ErpError, match=r"doesn't exist|does not exist"):
        await rpc.execute_kw("no.such.model", "search", [[]])


async def test_unknown_field_is_refused(make: Fixture, target: Target) -> None:
    vendor, _ = await make.vendor()
    # 16-18: "Invalid field ..."; 19's res.partner.write fails first on a bare KeyError
    # naming the field (other models keep "Invalid field").
    with pytest.raises(ErpError, match="no_such_field"):
        await make.call("res.partner", "write", [vendor], {"no_such_field": 1})
    product, _ = await make.product(vendor, vendor_code="PL-UNKNOWN-FIELD")
    [tmpl] = await make.call("product.product", "read", [product], fields=["product_tmpl_id"])
    [price] = await make.call(
        "product.supplierinfo", "search", [("product_tmpl_id", "=", tmpl["product_tmpl_id"][0])]
    )
    where = "in" if target.major >= 19 else "on model"
    with pytest.raises(ErpError, match=f"Invalid field 'no_such_field' {where} 'product.supp"):
        await make.call("product.supplierinfo", "write", [price], {"no_such_field": 1})


async def test_missing_record_is_refused(make: Fixture, rpc: OdooRpc, target: Target) -> None:
    # Odoo 17 ``read`` leaves out ids that do not exist (no MissingError): the caller sees
    # fewer rows than ids. Writing to a missing id is refused with MissingError.
    vendor, _ = await make.vendor()
    rows = await rpc.execute_kw("res.partner", "read", [[987654321, vendor]], {"fields": ["ref"]})
    assert [r["id"] for r in rows] == [vendor]
    assert await rpc.execute_kw("purchase.order", "read", [[987654321]], {"fields": ["name"]}) == []
    with pytest.raises(ErpError, match="does not exist") as info:
        await rpc.execute_kw("purchase.order", "write", [[987654321], {"partner_ref": "X"}])
    assert info.value.details["model"] == "purchase.order"
    # XML-RPC tells only "a UserError" (fault 2); the others name the class.
    assert (
        _kind(info.value, target)
        == {
            "xmlrpc": ("fault_code", 2),
            "jsonrpc": ("odoo_error", "MissingError"),
            "json2": ("status", 404),
        }[target.protocol]
    )


def _kind(error: ErpError, target: Target) -> tuple[str, object]:
    key = {"xmlrpc": "fault_code", "jsonrpc": "odoo_error", "json2": "status"}[target.protocol]
    return key, error.details[key]


async def test_private_method_is_an_access_error(rpc: OdooRpc, target: Target) -> None:
    with pytest.raises(ErpError, match="Private methods") as info:
        await rpc.execute_kw("purchase.order", "_compute_display_name", [[]])
    assert info.value.details["odoo_error"] == "AccessError"
    assert (
        _kind(info.value, target)
        == {
            "xmlrpc": ("fault_code", 4),
            "jsonrpc": ("odoo_error", "AccessError"),
            "json2": ("status", 403),
        }[target.protocol]
    )


async def test_button_cancel_none_result_is_success(make: Fixture, rpc: OdooRpc) -> None:
    vendor, _ = await make.vendor()
    product, _ = await make.product(vendor, vendor_code=None)
    order = await make.order(vendor, [(product, 5, "2025-04-10 10:00:00")])
    assert await rpc.execute_kw("purchase.order", "button_cancel", [[order]]) is None
    rows = await make.call("purchase.order", "read", [order], fields=["state"])
    assert rows[0]["state"] == "cancel"


async def _jsonrpc(settings: OdooSettings, service: str, method: str, *args: Any) -> Any:
    """POST one JSON-RPC call; returns ``(request id, decoded body)``.

    Odoo answers HTTP 200 with ``application/json`` for results and application errors alike.
    """
    request_id = next(_ids)
    payload = {
        "jsonrpc": "2.0",
        "method": "call",
        "id": request_id,
        "params": {"service": service, "method": method, "args": list(args)},
    }
    async with httpx.AsyncClient(base_url=settings.url, timeout=settings.timeout) as client:
        response = await client.post("/jsonrpc", json=payload)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    return request_id, response.json()


@pytest.mark.transports("jsonrpc")
async def test_jsonrpc_error_shapes(
    make: Fixture, odoo_settings: OdooSettings, rpc: OdooRpc, target: Target
) -> None:
    s, uid = odoo_settings, await rpc.authenticate()
    secret = s.secret()
    vendor, _ = await make.vendor()
    cases = {
        "odoo.exceptions.UserError": (
            (uid, secret, "no.such.model", "search", [[]]),
            "Object no.such.model doesn't exist",
        ),
        # read() of a missing id answers [] in 17; write() is what raises MissingError.
        "odoo.exceptions.MissingError": (
            (uid, secret, "res.partner", "write", [[987654321], {"ref": "X"}]),
            "Record does not exist or has been deleted.\n"
            f"(Record: res.partner(987654321,), User: {uid})",
        ),
        "odoo.exceptions.AccessDenied": (
            (uid, "wrong", "res.partner", "search", [[]]),
            "Access Denied",
        ),
        "odoo.exceptions.AccessError": (
            (uid, secret, "res.partner", "_search", [[]]),
            "Private methods (such as "
            f"{repr('res.partner._search') if target.major >= 18 else '_search'}"
            ") cannot be called remotely.",
        ),
        # 16-17 name the method alone, 18-19 as model.method (and 18 asks whether a
        # method exists before whether it is private: a private one it lacks lands here).
        "builtins.AttributeError": (
            (uid, secret, "res.partner", "no_such_method", [[]]),
            "The method 'res.partner.no_such_method' does not exist"
            if target.major >= 18
            else "The method 'no_such_method' does not exist on the model 'res.partner'",
        ),
        "builtins.ValueError": (
            (uid, secret, "res.partner", "search", [[("nope", "=", 1)]]),
            "Invalid field res.partner.nope in "
            f"{'condition' if target.major >= 19 else 'leaf'} ('nope', '=', 1)",
        ),
    }
    for name, (args, message) in cases.items():
        request_id, body = await _jsonrpc(s, "object", "execute_kw", s.db, *args)
        assert list(body) == ["jsonrpc", "id", "error"], body
        assert body["jsonrpc"] == "2.0"
        assert body["id"] == request_id
        error = body["error"]
        assert list(error) == ["code", "message", "data"], error
        # 16-18: always 200, 19: 0; the HTTP status is 200 too. Clients key on data.name.
        assert error["code"] == (0 if target.major >= 19 else 200)
        assert error["message"] == "Odoo Server Error"
        data = error["data"]
        keys = ["name", "debug", "message", "arguments", "context"]
        if target.major >= 19:  # debug last, as in JSON-2's error body
            keys = ["name", "message", "arguments", "context", "debug"]
        assert list(data) == keys, data
        assert data["name"] == name, data
        assert data["message"] == message
        assert data["arguments"] == [message]
        assert data["context"] == {}
        assert isinstance(data["debug"], str)
        if target.major >= 19 and name == "odoo.exceptions.AccessDenied":
            # 19's AccessDenied suppresses its traceback: only the last line is sent.
            assert data["debug"] == f"{name}: {message}\n"
        else:
            assert data["debug"].startswith("Traceback (most recent call last):")
        assert data["debug"].rstrip().endswith(message.splitlines()[-1])
    # A read of a missing id is no error at all.
    request_id, body = await _jsonrpc(
        s, "object", "execute_kw", s.db, uid, secret, "res.partner", "read",
        [[987654321, vendor]], {"fields": ["supplier_rank"]},
    )  # fmt: skip
    assert body == {
        "jsonrpc": "2.0",
        "id": request_id,
        "result": [{"id": vendor, "supplier_rank": 1}],
    }


@pytest.mark.transports("jsonrpc")
async def test_jsonrpc_leaves_out_result_for_none(
    make: Fixture, odoo_settings: OdooSettings
) -> None:
    # Odoo 17's JsonRPCDispatcher only adds "result" when it is not None: a method returning
    # None (button_cancel) answers {"jsonrpc": "2.0", "id": n}, neither "result" nor "error".
    vendor, _ = await make.vendor()
    product, _ = await make.product(vendor, vendor_code=None)
    order = await make.order(vendor, [(product, 1, "2025-04-10 10:00:00")])
    uid = await make.rpc.authenticate()
    s = odoo_settings
    request_id, body = await _jsonrpc(
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
    assert body == {"jsonrpc": "2.0", "id": request_id}
    rows = await make.call("purchase.order", "read", [order], fields=["state"])
    assert rows[0]["state"] == "cancel"  # the call succeeded and was committed
    # Falsy results that are not None are sent: False, [] and 0 stay.
    request_id, body = await _jsonrpc(
        s, "object", "execute_kw", s.db, uid, s.secret(), "purchase.order", "search",
        [[("id", "=", 987654321)]],
    )  # fmt: skip
    assert body == {"jsonrpc": "2.0", "id": request_id, "result": []}


@pytest.mark.transports("jsonrpc")
async def test_jsonrpc_authenticate_false_on_bad_credentials(odoo_settings: OdooSettings) -> None:
    s = odoo_settings
    request_id, body = await _jsonrpc(s, "common", "authenticate", s.db, s.user, "wrong", {})
    assert body == {"jsonrpc": "2.0", "id": request_id, "result": False}


async def test_many2one_pair_written_back(make: Fixture) -> None:
    """A ``read()`` pair ``[id, name]`` sent back for a many2one: ``write`` clears the field
    without a word, ``create`` is refused by PostgreSQL (a server error, not Odoo's).

    On a model without overrides of its own (res.partner's, in account on 19, browse the
    value and fail otherwise)."""
    tag = next(_ids)
    parent = await make.call("res.partner.category", "create", {"name": f"pl parent {tag}"})
    child = await make.call(
        "res.partner.category", "create", {"name": f"pl child {tag}", "parent_id": parent}
    )
    [row] = await make.call("res.partner.category", "read", [child], fields=["parent_id"])
    assert row["parent_id"][0] == parent
    await make.call("res.partner.category", "write", [child], {"parent_id": row["parent_id"]})
    [row] = await make.call("res.partner.category", "read", [child], fields=["parent_id"])
    assert row["parent_id"] is False
    with pytest.raises(ErpError, match="invalid input syntax for type integer"):
        await make.call(
            "res.partner.category", "create", {"name": f"pl pair {tag}", "parent_id": [parent, "x"]}
        )


async def test_searches_leave_archived_records_out_unless_asked(make: Fixture) -> None:
    """Odoo's ``active_test``: archived records are found only when the domain names
    ``active`` or the context turns the test off; ``read`` by id still shows them."""
    tag = f"pl-archived-{next(_ids)}-{id(make)}"
    live = await make.call("res.partner", "create", {"name": f"{tag} live"})
    gone = await make.call("res.partner", "create", {"name": f"{tag} gone"})
    await make.call("res.partner", "write", [gone], {"active": False})
    mine = [("name", "like", tag)]
    assert await make.call("res.partner", "search", mine) == [live]
    assert await make.call("res.partner", "search_count", mine) == 1
    assert [
        r["id"] for r in await make.call("res.partner", "search_read", mine, fields=["id"])
    ] == [live]
    both = sorted([live, gone])
    assert (
        sorted(await make.call("res.partner", "search", [*mine, ("active", "in", [True, False])]))
        == both
    )
    assert await make.call("res.partner", "search", [*mine, ("active", "=", False)]) == [gone]
    off = await make.call("res.partner", "search", mine, context={"active_test": False})
    assert sorted(off) == both
    [row] = await make.call("res.partner", "read", [gone], fields=["active"])
    assert row["active"] is False
