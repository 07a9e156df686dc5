"""Error translation of the XML-RPC client at the boundary (no server needed)."""

from __future__ import annotations

import xmlrpc.client
from collections.abc import Callable

import httpx
import pytest

from procurelink.adapters.odoo.rpc import OdooRpc
from procurelink.adapters.odoo.settings import OdooSettings
from procurelink.errors import AuthenticationError, ErpError, ErpUnavailable

SETTINGS = OdooSettings(url="http://odoo", db="db", user="bot", api_key="k" * 40)


def client(handler: Callable[[httpx.Request], httpx.Response]) -> OdooRpc:
    transport = httpx.MockTransport(handler)
    rpc = OdooRpc(SETTINGS, client=httpx.AsyncClient(transport=transport, base_url="http://odoo"))
    rpc._uid = 2  # skip the login round trip
    return rpc


def fault(code: int, text: str) -> Callable[[httpx.Request], httpx.Response]:
    body = xmlrpc.client.dumps(xmlrpc.client.Fault(code, text), methodresponse=True)
    return lambda request: httpx.Response(200, content=body.encode())


TRACEBACK = 'Traceback (most recent call last):\n  File "x"\n{}\n'


@pytest.mark.parametrize(
    ("handler", "error", "message"),
    [
        (fault(3, "Access Denied"), AuthenticationError, "denied"),
        (fault(2, "Record does not exist or has been deleted."), ErpError, "does not exist"),
        (fault(4, "You are not allowed to access"), ErpError, "not allowed"),
        (fault(1, TRACEBACK.format("ValueError: Invalid field 'x'")), ErpError, "Invalid field"),
        (
            fault(1, TRACEBACK.format("psycopg2.errors.SerializationFailure: could not serialize")),
            ErpUnavailable,
            "SerializationFailure",
        ),
        (lambda r: httpx.Response(502, text="<html>Bad gateway</html>"), ErpUnavailable, "502"),
        (lambda r: httpx.Response(429), ErpUnavailable, "429"),
        (lambda r: httpx.Response(404), ErpError, "404"),
        (
            lambda r: httpx.Response(200, text="<html><body>Maintenance</body></html>"),
            ErpUnavailable,
            "XML-RPC",
        ),
    ],
)
async def test_faults_and_http_errors_are_typed(
    handler: Callable[[httpx.Request], httpx.Response], error: type[Exception], message: str
) -> None:
    rpc = client(handler)
    with pytest.raises(error, match=message) as info:
        await rpc.execute_kw("purchase.order", "write", [[1], {}])
    assert info.value.__cause__ is not None or isinstance(info.value, ErpUnavailable | ErpError)
    await rpc.aclose()


async def test_none_marshalling_fault_is_success() -> None:
    rpc = client(
        fault(1, TRACEBACK.format("TypeError: cannot marshal None unless allow_none is enabled"))
    )
    assert await rpc.execute_kw("purchase.order", "button_cancel", [[1]]) is None


async def test_connection_errors_are_transient() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    for handler in (refuse, slow):
        with pytest.raises(ErpUnavailable) as info:
            await client(handler).execute_kw("res.partner", "search", [[]])
        assert isinstance(info.value.__cause__, httpx.HTTPError)


async def test_authenticate_false_is_an_authentication_error() -> None:
    body = xmlrpc.client.dumps((False,), methodresponse=True)
    rpc = client(lambda r: httpx.Response(200, content=body.encode()))
    with pytest.raises(AuthenticationError):
        await rpc.authenticate()


def test_settings_hide_secrets_and_need_one() -> None:
    assert "k" * 40 not in repr(SETTINGS)
    assert SETTINGS.secret() == "k" * 40
    with pytest.raises(ValueError, match="password or api_key"):
        OdooSettings(url="http://odoo", db="db", user="bot")
