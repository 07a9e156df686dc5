"""``OdooRpc``: one Odoo database as one user, over the transport the server suits best.

The transport is chosen once, on the first call (reference sections 1.1 and 6):

* ``protocol`` forced in the settings (``xmlrpc``, ``jsonrpc``, ``json2``): that one;
* ``auto``: the server's version from ``common.version()`` over JSON-RPC (``/web/version``
  when ``/jsonrpc`` is gone); 19 and later with an API key -> JSON-2, otherwise JSON-RPC,
  which, unlike XML-RPC, has typed errors and no ``None`` marshalling pitfall.

Every HTTP call passes the instance limits (``limits``) shared by all clients of the same
URL and database. The httpx client is reused for all calls (keep-alive); TLS is verified
unless the settings say otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import httpx
from pydantic import SecretStr

from procurelink.adapters.odoo.dialect import Dialect
from procurelink.adapters.odoo.limits import shared_limits
from procurelink.adapters.odoo.settings import OdooSettings
from procurelink.adapters.odoo.transport import ServerVersion, Transport
from procurelink.adapters.odoo.transport_json2 import Json2Transport
from procurelink.adapters.odoo.transport_jsonrpc import JsonRpcTransport
from procurelink.adapters.odoo.transport_xmlrpc import XmlRpcTransport
from procurelink.errors import ErpError

TRANSPORTS: dict[str, Callable[[OdooSettings, httpx.AsyncClient], Transport]] = {
    "xmlrpc": XmlRpcTransport,
    "jsonrpc": JsonRpcTransport,
    "json2": Json2Transport,
}
JSON2_FROM = 19


# Idle connections are dropped before the 5 s keep-alive of common servers (uvicorn,
# gunicorn; httpx's own default is 5 s too): a call sent on a connection the server is
# closing at that moment fails with a ReadError, and cannot be resent safely (it may have run).
KEEPALIVE_EXPIRY = 4.0


class OdooRpc:
    """``OdooRpc(settings)``; pass ``client`` to share an httpx client or test transport, or
    ``transport`` to bypass the protocol choice (tests)."""

    def __init__(
        self,
        settings: OdooSettings,
        *,
        client: httpx.AsyncClient | None = None,
        transport: Transport | None = None,
    ):
        self.settings = settings
        self._client = client or httpx.AsyncClient(
            base_url=settings.url.rstrip("/"),
            timeout=settings.timeout,
            verify=settings.verify_tls,
            headers={"User-Agent": "procurelink"},
            limits=httpx.Limits(keepalive_expiry=KEEPALIVE_EXPIRY),
        )
        self._owns_client = client is None
        self._transport = transport
        self._version: ServerVersion | None = None

    @property
    def protocol(self) -> str | None:
        """The transport in use, once chosen."""
        return self._transport.name if self._transport else None

    async def transport(self) -> Transport:
        if self._transport is None:
            chosen = await self._choose()
            self._transport = self._transport or chosen  # two first calls may race here
        return self._transport

    async def server_version(self) -> ServerVersion:
        """Read once per client: the version decides transport and field names."""
        if self._version is None:
            self._version = ServerVersion.parse(await self.version())
        return self._version

    async def dialect(self) -> Dialect:
        return Dialect.of((await self.server_version()).major)

    async def version(self) -> dict[str, Any]:
        transport = await self.transport()
        async with shared_limits(self.settings).call():
            return await transport.version()

    async def authenticate(self) -> int:
        transport = await self.transport()
        async with shared_limits(self.settings).call():
            return await transport.authenticate()

    async def check_password(self, login: str, password: str) -> int:
        """The uid of another user's ``login`` and ``password`` (``common.authenticate``);
        ``AuthenticationError`` when Odoo refuses them. This client stays its own user.

        JSON-2 has no password login: on it the check goes over JSON-RPC, which 19 still
        serves. The password is sent once and not kept.
        """
        transport = await self.transport()
        protocol = "xmlrpc" if transport.name == "xmlrpc" else "jsonrpc"
        as_user = self.settings.model_copy(
            update={
                "user": login,
                "password": SecretStr(password),
                "api_key": None,
                "protocol": protocol,
            }
        )
        async with shared_limits(self.settings).call():
            return await TRANSPORTS[protocol](as_user, self._client).authenticate()

    async def execute_kw(
        self, model: str, method: str, args: list[Any], kwargs: dict[str, Any] | None = None
    ) -> Any:
        transport = await self.transport()
        async with shared_limits(self.settings).call():
            result = await transport.execute_kw(model, method, args, dict(kwargs or {}))
        if method == "create" and args and isinstance(args[0], Mapping):
            # One dict in, one id out, whatever the transport's conversion of recordsets.
            return result[0] if isinstance(result, list) else result
        return result

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()

    async def _choose(self) -> Transport:
        s = self.settings
        if s.protocol != "auto":
            return TRANSPORTS[s.protocol](s, self._client)
        probe = JsonRpcTransport(s, self._client)
        async with shared_limits(s).call():
            try:
                info = await probe.version()
            except ErpError:  # /jsonrpc removed (announced for Odoo 22): 19+ has /web/version
                if s.api_key is None:
                    raise
                info = await Json2Transport(s, self._client).version()
        self._version = ServerVersion.parse(info)
        if self._version.major >= JSON2_FROM and s.api_key is not None:
            return Json2Transport(s, self._client)
        return probe
