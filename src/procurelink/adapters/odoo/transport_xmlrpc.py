"""XML-RPC on ``/xmlrpc/2/<service>`` (reference section 1.2), bodies with the stdlib.

``xmlrpc.client.dumps/loads`` build and parse bodies; the blocking ``ServerProxy`` is never
used. Fault codes: 3 AccessDenied, 4 AccessError, 2 UserError and its subclasses (not told
apart on this endpoint), 1 anything else with the traceback as text. Fault 1 "cannot
marshal None" comes **after** Odoo committed the call: it is a success (pitfall 7).
"""

from __future__ import annotations

import re
import xmlrpc.client
from typing import Any
from xml.parsers.expat import ExpatError

import httpx

from procurelink.adapters.odoo.errors import http_failure, translate
from procurelink.adapters.odoo.settings import OdooSettings
from procurelink.adapters.odoo.transport import send
from procurelink.errors import AuthenticationError, ErpUnavailable

NONE_FAULT = "cannot marshal None unless allow_none is enabled"
FAULT_NAMES = {
    2: "odoo.exceptions.UserError",
    3: "odoo.exceptions.AccessDenied",
    4: "odoo.exceptions.AccessError",
}


class XmlRpcTransport:
    name = "xmlrpc"

    def __init__(self, settings: OdooSettings, client: httpx.AsyncClient) -> None:
        self.settings = settings
        self.client = client
        self.uid: int | None = None

    async def version(self) -> dict[str, Any]:
        return dict(await self._call("common", "version", ()))

    async def authenticate(self) -> int:
        s = self.settings
        uid = await self._call("common", "authenticate", (s.db, s.user, s.secret(), {}))
        if not uid:  # common.authenticate swallows AccessDenied and answers False
            raise AuthenticationError("Odoo refused the login", url=s.url, db=s.db, user=s.user)
        self.uid = int(uid)
        return self.uid

    async def execute_kw(
        self, model: str, method: str, args: list[Any], kwargs: dict[str, Any]
    ) -> Any:
        uid = self.uid if self.uid is not None else await self.authenticate()
        s = self.settings
        params = (s.db, uid, s.secret(), model, method, args, kwargs)
        return await self._call("object", "execute_kw", params, model=model, method=method)

    async def _call(self, service: str, name: str, params: tuple[Any, ...], **where: str) -> Any:
        where = {**where, "transport": self.name}
        body = xmlrpc.client.dumps(params, name, allow_none=False)
        response = await send(
            self.client,
            "POST",
            f"/xmlrpc/2/{service}",
            where,
            content=body.encode(),
            headers={"Content-Type": "text/xml"},
        )
        return _result(response, where)


def _result(response: httpx.Response, where: dict[str, str]) -> Any:
    if response.status_code >= 400:
        raise http_failure(response.status_code, **where)
    try:
        (result,), _ = xmlrpc.client.loads(response.content)
    except xmlrpc.client.Fault as fault:
        return _fault(fault, where)
    except (ExpatError, ValueError, xmlrpc.client.ResponseError) as exc:
        # A proxy's or load balancer's HTML error page: the server is not itself right now.
        raise ErpUnavailable(
            "Odoo answered with something other than XML-RPC",
            status=response.status_code,
            **where,
        ) from exc
    return result


def _fault(fault: xmlrpc.client.Fault, where: dict[str, str]) -> Any:
    code, text = fault.faultCode, str(fault.faultString)
    if code in FAULT_NAMES:
        raise translate(FAULT_NAMES[code], text, fault_code=code, **where) from fault
    if NONE_FAULT in text:
        return None  # the method returned None after committing (reference pitfall 7)
    lines = text.strip().splitlines() or [f"fault {code}"]
    # The traceback's exception line reads "psycopg2.errors.SerializationFailure: could
    # not...". It is the last line, unless the error adds its own (PostgreSQL's "LINE 1:"
    # and caret under a refused value), so it is looked for from the end.
    found = next(filter(None, map(_EXCEPTION_LINE.match, reversed(lines))), None)
    name, message = (found.group(1), found.string) if found else ("", lines[-1])
    raise translate(name, message, fault_code=code, **where) from fault


_EXCEPTION_LINE = re.compile(r"([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+): ")
