"""JSON-RPC on ``/jsonrpc`` (reference section 1.3): services common and object.

Errors come with HTTP 200 and an ``error`` object; its ``code`` is 200 up to 18 and 0 in 19,
so only ``error.data.name`` is read. Odoo leaves ``result`` out when the method returned
``None`` (e.g. ``button_cancel``): an answer with neither key is a ``None`` result.
"""

from __future__ import annotations

import itertools
from typing import Any

import httpx

from procurelink.adapters.odoo.errors import http_failure, translate
from procurelink.adapters.odoo.settings import OdooSettings
from procurelink.adapters.odoo.transport import send
from procurelink.errors import AuthenticationError, ErpUnavailable


class JsonRpcTransport:
    name = "jsonrpc"

    def __init__(self, settings: OdooSettings, client: httpx.AsyncClient) -> None:
        self.settings = settings
        self.client = client
        self.uid: int | None = None
        self._ids = itertools.count(1)

    async def version(self) -> dict[str, Any]:
        return dict(await self._call("common", "version", []))

    async def authenticate(self) -> int:
        s = self.settings
        uid = await self._call("common", "authenticate", [s.db, s.user, s.secret(), {}])
        if not uid:  # common.authenticate swallows AccessDenied and answers False
            raise AuthenticationError("Odoo refused the login", url=s.url, db=s.db, user=s.user)
        self.uid = int(uid)
        return self.uid

    async def execute_kw(
        self, model: str, method: str, args: list[Any], kwargs: dict[str, Any]
    ) -> Any:
        uid = self.uid if self.uid is not None else await self.authenticate()
        s = self.settings
        params = [s.db, uid, s.secret(), model, method, args, kwargs]
        return await self._call("object", "execute_kw", params, model=model, method=method)

    async def _call(self, service: str, function: str, args: list[Any], **where: str) -> Any:
        where = {**where, "transport": self.name}
        payload = {
            "jsonrpc": "2.0",
            "method": "call",  # ignored by Odoo; service and method go in params
            "params": {"service": service, "method": function, "args": args},
            "id": next(self._ids),
        }
        response = await send(self.client, "POST", "/jsonrpc", where, json=payload)
        if response.status_code != 200:
            raise http_failure(response.status_code, **where)
        try:
            body = response.json()
        except ValueError as exc:
            raise ErpUnavailable(
                "Odoo answered with something other than JSON-RPC", **where
            ) from exc
        if not isinstance(body, dict):
            raise ErpUnavailable("Odoo answered with something other than JSON-RPC", **where)
        error = body.get("error")
        if error is not None:
            data = error.get("data") or {}
            message = str(data.get("message") or error.get("message") or "")
            raise translate(str(data.get("name") or ""), message, **where)
        return body.get("result")  # absent when the method returned None
