"""Error translation of the three transports at the boundary (no server needed)."""

from __future__ import annotations

import json
import xmlrpc.client
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from procurelink.adapters.odoo.rpc import OdooRpc
from procurelink.adapters.odoo.settings import OdooSettings
from procurelink.errors import AuthenticationError, ErpError, ErpUnavailable

SETTINGS = OdooSettings(url="http://odoo", db="db", user="bot", api_key="k" * 40)
Handler = Callable[[httpx.Request], httpx.Response]


def client(handler: Handler, protocol: str = "xmlrpc") -> OdooRpc:
    transport = httpx.MockTransport(handler)
    settings = SETTINGS.model_copy(update={"protocol": protocol})
    rpc = OdooRpc(settings, client=httpx.AsyncClient(transport=transport, base_url="http://odoo"))
    return rpc


async def logged_in(handler: Handler, protocol: str = "xmlrpc") -> OdooRpc:
    rpc = client(handler, protocol)
    transport = await rpc.transport()
    transport.uid = 2  # type: ignore[attr-defined]  # skip the login round trip
    return rpc


def fault(code: int, text: str) -> Handler:
    body = xmlrpc.client.dumps(xmlrpc.client.Fault(code, text), methodresponse=True)
    return lambda request: httpx.Response(200, content=body.encode())


def jsonrpc_error(name: str, message: str, code: int = 200) -> Handler:
    error = {
        "code": code,
        "message": "Odoo Server Error",
        "data": {"name": name, "message": message},
    }
    return lambda request: httpx.Response(200, json={"jsonrpc": "2.0", "id": 1, "error": error})


def json2_error(status: int, name: str, message: str) -> Handler:
    body = {"name": name, "message": message, "arguments": [message], "context": {}, "debug": ""}
    return lambda request: httpx.Response(status, json=body)


TRACEBACK = 'Traceback (most recent call last):\n  File "x"\n{}\n'
HTML_502: Handler = lambda r: httpx.Response(502, text="<html>Bad gateway</html>")  # noqa: E731
HTML_200: Handler = lambda r: httpx.Response(200, text="<html><body>Maintenance</body></html>")  # noqa: E731
SERIALIZATION = "psycopg2.errors.SerializationFailure"


@pytest.mark.parametrize(
    ("protocol", "handler", "error", "message"),
    [
        ("xmlrpc", fault(3, "Access Denied"), AuthenticationError, "denied"),
        ("xmlrpc", fault(2, "Record does not exist or has been deleted."), ErpError, "does not"),
        ("xmlrpc", fault(4, "You are not allowed to access"), ErpError, "not allowed"),
        (
            "xmlrpc",
            fault(1, TRACEBACK.format("ValueError: Invalid field 'x'")),
            ErpError,
            "Invalid",
        ),
        (
            "xmlrpc",
            fault(1, TRACEBACK.format(f"{SERIALIZATION}: could not serialize")),
            ErpUnavailable,
            "SerializationFailure",
        ),
        (
            "xmlrpc",
            fault(1, TRACEBACK.format("psycopg2.errors.DeadlockDetected: deadlock detected")),
            ErpUnavailable,
            "deadlock",
        ),
        (
            # PostgreSQL adds its own lines after the exception line (seen on a real 17).
            "xmlrpc",
            fault(
                1,
                TRACEBACK.format(
                    "psycopg2.errors.InvalidTextRepresentation: invalid input syntax for type"
                    " integer: \"x\"\nLINE 1: ...ARRAY[1,'x'], ...\n                ^"
                ),
            ),
            ErpError,
            "invalid input syntax for type integer",
        ),
        ("xmlrpc", HTML_502, ErpUnavailable, "502"),
        ("xmlrpc", lambda r: httpx.Response(429), ErpUnavailable, "429"),
        ("xmlrpc", lambda r: httpx.Response(404), ErpError, "404"),
        ("xmlrpc", HTML_200, ErpUnavailable, "XML-RPC"),
        (
            "jsonrpc",
            jsonrpc_error("odoo.exceptions.AccessDenied", "Access Denied"),
            AuthenticationError,
            "denied",
        ),
        (
            "jsonrpc",
            jsonrpc_error("odoo.exceptions.ValidationError", "bad vat", 0),
            ErpError,
            "bad vat",
        ),
        ("jsonrpc", jsonrpc_error("odoo.exceptions.MissingError", "gone"), ErpError, "gone"),
        (
            "jsonrpc",
            jsonrpc_error("odoo.exceptions.RedirectWarning", "dup ref"),
            ErpError,
            "dup ref",
        ),
        ("jsonrpc", jsonrpc_error("odoo.exceptions.AccessError", "no"), ErpError, "no"),
        (
            "jsonrpc",
            jsonrpc_error(SERIALIZATION, "could not serialize"),
            ErpUnavailable,
            "serialize",
        ),
        (
            "jsonrpc",
            jsonrpc_error("psycopg2.errors.LockNotAvailable", "lock"),
            ErpUnavailable,
            "lock",
        ),
        ("jsonrpc", jsonrpc_error("builtins.ValueError", "Invalid field"), ErpError, "Invalid"),
        ("jsonrpc", HTML_502, ErpUnavailable, "502"),
        ("jsonrpc", HTML_200, ErpUnavailable, "JSON-RPC"),
        (
            "json2",
            json2_error(401, "werkzeug.exceptions.Unauthorized", "Invalid apikey"),
            AuthenticationError,
            "denied",
        ),
        ("json2", json2_error(403, "odoo.exceptions.AccessError", "no"), ErpError, "no"),
        ("json2", json2_error(404, "odoo.exceptions.MissingError", "gone"), ErpError, "gone"),
        ("json2", json2_error(422, "odoo.exceptions.UserError", "refused"), ErpError, "refused"),
        ("json2", json2_error(409, "odoo.exceptions.LockError", "locked"), ErpError, "locked"),
        ("json2", json2_error(500, "odoo.exceptions.RedirectWarning", "dup"), ErpError, "dup"),
        (
            "json2",
            json2_error(500, SERIALIZATION, "could not serialize"),
            ErpUnavailable,
            "serialize",
        ),
        ("json2", HTML_502, ErpUnavailable, "502"),
        ("json2", lambda r: httpx.Response(429, text="slow down"), ErpUnavailable, "429"),
        ("json2", lambda r: httpx.Response(401, text=""), AuthenticationError, "refused"),
        ("json2", HTML_200, ErpUnavailable, "JSON"),
    ],
)
async def test_failures_are_typed(
    protocol: str, handler: Handler, error: type[Exception], message: str
) -> None:
    rpc = await logged_in(handler, protocol)
    with pytest.raises(error, match=message) as info:
        await rpc.execute_kw("purchase.order", "write", [[1], {"partner_ref": "X"}])
    assert info.value.details["transport"] == protocol  # type: ignore[attr-defined]
    if isinstance(info.value, ErpError):
        assert info.value.details["model"] == "purchase.order"
        assert info.value.details["method"] == "write"
    await rpc.aclose()


async def test_none_marshalling_fault_is_success() -> None:
    rpc = await logged_in(
        fault(1, TRACEBACK.format("TypeError: cannot marshal None unless allow_none is enabled"))
    )
    assert await rpc.execute_kw("purchase.order", "button_cancel", [[1]]) is None


async def test_jsonrpc_absent_result_is_none() -> None:
    rpc = await logged_in(
        lambda r: httpx.Response(200, json={"jsonrpc": "2.0", "id": 1}), "jsonrpc"
    )
    assert await rpc.execute_kw("purchase.order", "button_cancel", [[1]]) is None


@pytest.mark.parametrize("protocol", ["xmlrpc", "jsonrpc", "json2"])
async def test_connection_errors_are_transient(protocol: str) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    for handler in (refuse, slow):
        rpc = await logged_in(handler, protocol)
        with pytest.raises(ErpUnavailable) as info:
            await rpc.execute_kw("res.partner", "search", [[]])
        assert isinstance(info.value.__cause__, httpx.HTTPError)


@pytest.mark.parametrize("protocol", ["xmlrpc", "jsonrpc"])
async def test_authenticate_false_is_an_authentication_error(protocol: str) -> None:
    if protocol == "xmlrpc":
        body = xmlrpc.client.dumps((False,), methodresponse=True).encode()
    else:
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "result": False}).encode()
    rpc = client(lambda r: httpx.Response(200, content=body), protocol)
    with pytest.raises(AuthenticationError):
        await rpc.authenticate()


async def test_json2_sends_named_arguments_with_bearer_key_and_database() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[7])

    rpc = client(answer, "json2")
    assert await rpc.execute_kw("res.partner", "create", [{"name": "A"}]) == 7  # one id back
    await rpc.execute_kw("res.partner", "search_read", [[("ref", "=", "X")]], {"fields": ["ref"]})
    await rpc.execute_kw(
        "res.partner", "write", [[3], {"ref": "Y"}], {"context": {"lang": "de_DE"}}
    )
    await rpc.execute_kw("purchase.order", "button_confirm", [[4]])
    bodies: list[dict[str, Any]] = [json.loads(r.content) for r in seen]
    assert [r.url.path for r in seen] == [
        "/json/2/res.partner/create",
        "/json/2/res.partner/search_read",
        "/json/2/res.partner/write",
        "/json/2/purchase.order/button_confirm",
    ]
    assert bodies == [
        {"vals_list": [{"name": "A"}]},
        {"domain": [["ref", "=", "X"]], "fields": ["ref"]},
        {"ids": [3], "vals": {"ref": "Y"}, "context": {"lang": "de_DE"}},
        {"ids": [4]},
    ]
    assert all(r.headers["authorization"] == "bearer " + "k" * 40 for r in seen)
    assert all(r.headers["x-odoo-database"] == "db" for r in seen)


async def test_json2_refuses_positional_arguments_it_cannot_name() -> None:
    rpc = client(lambda r: httpx.Response(200, json=True), "json2")
    with pytest.raises(ErpError, match="named arguments"):
        await rpc.execute_kw("purchase.order", "message_post", [[1], "body"])


def version_server(major: int, *, jsonrpc: bool = True) -> Handler:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/jsonrpc" and jsonrpc:
            info = {
                "server_version": f"{major}.0",
                "server_version_info": [major, 0, 0, "final", 0, ""],
            }
            return httpx.Response(200, json={"jsonrpc": "2.0", "id": 1, "result": info})
        if request.url.path == "/web/version" and major >= 19:
            return httpx.Response(
                200, json={"version_info": [major, 0, 0, "final", 0, ""], "version": f"{major}.0"}
            )
        return httpx.Response(404, text="<html>Not Found</html>")

    return answer


@pytest.mark.parametrize(
    ("major", "api_key", "jsonrpc", "chosen"),
    [
        (16, True, True, "jsonrpc"),
        (17, True, True, "jsonrpc"),
        (18, True, True, "jsonrpc"),
        (19, True, True, "json2"),
        (19, False, True, "jsonrpc"),
        (22, True, False, "json2"),  # /jsonrpc gone: /web/version tells
    ],
)  # fmt: skip
async def test_auto_chooses_from_the_server_version(
    major: int, api_key: bool, jsonrpc: bool, chosen: str
) -> None:
    settings = (
        SETTINGS if api_key else SETTINGS.model_copy(update={"api_key": None, "password": "pw"})
    )
    http = httpx.AsyncClient(
        transport=httpx.MockTransport(version_server(major, jsonrpc=jsonrpc)),
        base_url="http://odoo",
    )
    rpc = OdooRpc(settings, client=http)
    assert (await rpc.transport()).name == chosen
    assert (await rpc.server_version()).major == major
    assert (await rpc.dialect()).major == major


@pytest.mark.parametrize("protocol", ["xmlrpc", "jsonrpc", "json2"])
async def test_a_forced_protocol_is_used_without_probing(protocol: str) -> None:
    rpc = client(lambda r: httpx.Response(500), protocol)
    assert (await rpc.transport()).name == protocol


def test_settings_hide_secrets_and_need_one() -> None:
    assert "k" * 40 not in repr(SETTINGS)
    assert SETTINGS.secret() == "k" * 40
    with pytest.raises(ValueError, match="password or api_key"):
        OdooSettings(url="http://odoo", db="db", user="bot")
    with pytest.raises(ValueError, match="json2 needs an api_key"):
        OdooSettings(url="http://odoo", db="db", user="bot", password="pw", protocol="json2")
    assert (SETTINGS.max_calls_per_second, SETTINGS.max_concurrency) == (10.0, 4)
