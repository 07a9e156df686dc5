"""JSON-2 on ``/json/2/<model>/<method>`` (Odoo 19+, reference section 1.5).

Authenticated per request with ``Authorization: bearer <api key>``; ``X-Odoo-Database``
picks the database when the server hosts several. The body holds **named** arguments only
(``ids``, ``context`` and the Python parameters); ``json2_args`` turns the positional
``execute_kw`` convention into them. Errors are HTTP 4xx/5xx with a JSON body
``{name, message, arguments, context, debug}``: the ``name`` decides; a status without
such a body comes from something in front of Odoo.
"""

from __future__ import annotations

from typing import Any

import httpx

from procurelink.adapters.odoo.errors import http_failure, translate
from procurelink.adapters.odoo.json2_args import named_arguments
from procurelink.adapters.odoo.settings import OdooSettings
from procurelink.adapters.odoo.transport import send
from procurelink.errors import ConfigurationError, ErpUnavailable


class Json2Transport:
    name = "json2"

    def __init__(self, settings: OdooSettings, client: httpx.AsyncClient) -> None:
        if settings.api_key is None:
            raise ConfigurationError("JSON-2 needs an API key", url=settings.url)
        self.settings = settings
        self.client = client
        self.uid: int | None = None
        self._headers = {
            "Authorization": f"bearer {settings.api_key.get_secret_value()}",
            "X-Odoo-Database": settings.db,
        }

    async def version(self) -> dict[str, Any]:
        where = {"transport": self.name}
        response = await send(self.client, "GET", "/web/version", where)
        info = _body(response, where)
        # Same keys as common.version(), so callers need not care which transport answered.
        return {
            "server_version": info.get("version"),
            "server_version_info": info.get("version_info"),
        }

    async def authenticate(self) -> int:
        """The key's user: ``res.users.context_get`` carries the uid (D19)."""
        context = await self.execute_kw("res.users", "context_get", [], {})
        self.uid = int(context["uid"])
        return self.uid

    async def execute_kw(
        self, model: str, method: str, args: list[Any], kwargs: dict[str, Any]
    ) -> Any:
        where = {"model": model, "method": method, "transport": self.name}
        body = named_arguments(method, args, kwargs, where)
        response = await send(
            self.client,
            "POST",
            f"/json/2/{model}/{method}",
            where,
            json=body,
            headers=self._headers,
        )
        return _body(response, where)


def _body(response: httpx.Response, where: dict[str, str]) -> Any:
    try:
        body = response.json()
    except ValueError as exc:
        if response.status_code >= 400:
            raise http_failure(response.status_code, **where) from exc
        raise ErpUnavailable("Odoo answered with something other than JSON", **where) from exc
    if response.status_code < 400:
        return body
    if isinstance(body, dict) and "name" in body:
        raise translate(
            str(body["name"]), str(body.get("message") or ""), status=response.status_code, **where
        )
    raise http_failure(response.status_code, **where)
