"""An async XML-RPC client for Odoo's ``/xmlrpc/2`` endpoints, on httpx.

Bodies are built and parsed with the stdlib (``xmlrpc.client.dumps/loads``); the blocking
``ServerProxy`` is never used. Foreign failures are translated here, at the boundary
(reference sections 1.2 and 7):

* fault 3 (AccessDenied) -> ``AuthenticationError``
* fault 2 (UserError, ValidationError, MissingError...) and 4 (AccessError) -> ``ErpError``
* fault 1 "cannot marshal None": the call **succeeded** and committed -> returns ``None``
* fault 1 from a serialization failure, lock or deadlock -> ``ErpUnavailable`` (retry)
* other fault 1 (programming errors) -> ``ErpError``
* connection errors, timeouts, HTTP 429/5xx, HTML or other non-XML-RPC bodies
  -> ``ErpUnavailable``
"""

from __future__ import annotations

import xmlrpc.client
from typing import Any
from xml.parsers.expat import ExpatError

import httpx

from procurelink.adapters.odoo.settings import OdooSettings
from procurelink.errors import AuthenticationError, ErpError, ErpUnavailable

NONE_FAULT = "cannot marshal None unless allow_none is enabled"
TRANSIENT_FAULTS = (
    "SerializationFailure",
    "could not serialize access",
    "LockNotAvailable",
    "could not obtain lock",
    "DeadlockDetected",
    "deadlock detected",
)


class OdooRpc:
    """One Odoo database as one user; the uid is obtained lazily and kept."""

    def __init__(self, settings: OdooSettings, *, client: httpx.AsyncClient | None = None):
        self.settings = settings
        self._client = client or httpx.AsyncClient(
            base_url=settings.url.rstrip("/"),
            timeout=settings.timeout,
            verify=settings.verify_tls,
            headers={"User-Agent": "procurelink"},
        )
        self._owns_client = client is None
        self._uid: int | None = None

    async def version(self) -> dict[str, Any]:
        result = await self._call("common", "version", ())
        return dict(result)

    async def authenticate(self) -> int:
        """The uid; ``AuthenticationError`` when Odoo answers False (bad login or secret)."""
        s = self.settings
        uid = await self._call("common", "authenticate", (s.db, s.user, s.secret(), {}))
        if not uid:
            raise AuthenticationError("Odoo refused the login", url=s.url, db=s.db, user=s.user)
        self._uid = int(uid)
        return self._uid

    async def execute_kw(
        self, model: str, method: str, args: list[Any], kwargs: dict[str, Any] | None = None
    ) -> Any:
        uid = self._uid if self._uid is not None else await self.authenticate()
        s = self.settings
        params = (s.db, uid, s.secret(), model, method, args, kwargs or {})
        return await self._call("object", "execute_kw", params, model=model, method=method)

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()

    async def _call(self, service: str, name: str, params: tuple[Any, ...], **where: str) -> Any:
        body = xmlrpc.client.dumps(params, name, allow_none=False)
        try:
            response = await self._client.post(
                f"/xmlrpc/2/{service}",
                content=body.encode(),
                headers={"Content-Type": "text/xml"},
            )
        except httpx.TimeoutException as exc:
            raise ErpUnavailable("Odoo did not answer in time", **where) from exc
        except httpx.HTTPError as exc:
            raise ErpUnavailable(f"Odoo is unreachable: {type(exc).__name__}", **where) from exc
        return _result(response, where)


def _result(response: httpx.Response, where: dict[str, str]) -> Any:
    status = response.status_code
    if status == 429 or status >= 500:
        raise ErpUnavailable(f"Odoo answered HTTP {status}", status=status, **where)
    if status >= 400:
        raise ErpError(f"Odoo answered HTTP {status}", status=status, **where)
    try:
        (result,), _ = xmlrpc.client.loads(response.content)
    except xmlrpc.client.Fault as fault:
        return _fault(fault, where)
    except (ExpatError, ValueError, xmlrpc.client.ResponseError) as exc:
        # A proxy's or load balancer's HTML error page: the server is not itself right now.
        raise ErpUnavailable(
            "Odoo answered with something other than XML-RPC", status=status, **where
        ) from exc
    return result


def _fault(fault: xmlrpc.client.Fault, where: dict[str, str]) -> Any:
    code, text = fault.faultCode, str(fault.faultString)
    if code == 3:
        raise AuthenticationError(
            "Odoo denied access (wrong uid, password or API key)", **where
        ) from fault
    if code in (2, 4):
        kind = "AccessError" if code == 4 else "UserError"
        raise ErpError(text, fault_code=code, odoo_error=kind, **where) from fault
    if NONE_FAULT in text:
        return None  # the method returned None after committing (reference pitfall 7)
    last = text.strip().splitlines()[-1] if text.strip() else f"fault {code}"
    if any(marker in text for marker in TRANSIENT_FAULTS):
        raise ErpUnavailable(last, fault_code=code, **where) from fault
    raise ErpError(last, fault_code=code, **where) from fault
