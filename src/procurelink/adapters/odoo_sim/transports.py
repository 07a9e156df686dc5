"""Odoo's wire protocols over the simulated server (reference sections 1.2 and 1.3).

``/xmlrpc/2/<service>``: faults with integer codes 1-4, results marshalled without
``allow_none`` (so a ``None`` result is fault 1 after the change was kept). ``/jsonrpc``:
JSON-RPC 2.0 with Odoo's error object, keyed by ``error.data.name``.

JSON-RPC bodies are built like Odoo 17's ``JsonRPCDispatcher._response`` (checked against a
real 17.0 server): always ``jsonrpc`` and ``id``, then ``error`` if there is one, then
``result`` only when the result **is not None**. A method returning ``None`` (e.g.
``button_cancel``) therefore answers ``{"jsonrpc": "2.0", "id": n}``, with neither key, and
not ``"result": null``. Serialised with ``json.dumps(ensure_ascii=False)`` default separators
and ``Content-Type: application/json; charset=utf-8``, HTTP 200 also for errors.
"""

from __future__ import annotations

import json
import traceback
import xmlrpc.client
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from procurelink.adapters.odoo_sim import json2
from procurelink.adapters.odoo_sim.faults import AccessDenied, wire_name, xmlrpc_code
from procurelink.adapters.odoo_sim.service import SimOdoo


def _fault(exc: BaseException) -> xmlrpc.client.Fault:
    code = xmlrpc_code(exc)
    # Codes 2-4 carry the message; anything else carries the full traceback.
    text = str(exc.args[0]) if code != 1 and exc.args else "".join(traceback.format_exception(exc))
    return xmlrpc.client.Fault(code, text)


async def xmlrpc_endpoint(request: Request) -> Response:
    sim: SimOdoo = request.app.state.odoo
    body = await request.body()
    try:
        # 17 parses without use_datetime, 18 and 19 with it (clients send strings anyway).
        params, method = xmlrpc.client.loads(body, use_datetime=sim.major >= 18)
        result = sim.dispatch(request.path_params["service"], method or "", params)
        payload = xmlrpc.client.dumps((result,), methodresponse=True, allow_none=False)
    except Exception as exc:  # every failure becomes a fault, as in Odoo's handler
        payload = xmlrpc.client.dumps(_fault(exc), methodresponse=True, allow_none=False)
    return Response(payload, media_type="text/xml; charset=utf-8")


def _error(sim: SimOdoo, exc: BaseException) -> dict[str, Any]:
    data = {  # odoo.http.serialize_exception: name, debug, message, arguments, context
        "name": wire_name(exc),
        "debug": "".join(traceback.format_exception(exc)),
        "message": str(exc),
        "arguments": list(exc.args),
        "context": getattr(exc, "context", {}),
    }
    if sim.major >= 19:  # 19's serialize_exception puts debug last (as JSON-2's body)
        data["debug"] = data.pop("debug")
        if isinstance(exc, AccessDenied):  # 19 suppresses its traceback: the last line only
            data["debug"] = f"{wire_name(exc)}: {exc}\n"
    return {
        # 19 changed the generic code to 0; clients must key on data.name.
        "code": 0 if sim.major >= 19 else 200,
        "message": "Odoo Server Error",
        "data": data,
    }


def _response(request_id: Any, result: Any = None, error: Any = None) -> Response:
    body: dict[str, Any] = {"jsonrpc": "2.0", "id": request_id}
    if error is not None:
        body["error"] = error
    if result is not None:  # None is left out, not sent as null
        body["result"] = result
    return Response(
        json.dumps(body, ensure_ascii=False), media_type="application/json; charset=utf-8"
    )


async def jsonrpc_endpoint(request: Request) -> Response:
    sim: SimOdoo = request.app.state.odoo
    try:
        body = json.loads(await request.body())
    except ValueError:
        return Response("Invalid JSON data", status_code=400)
    if not isinstance(body, dict):
        return Response("Invalid JSON-RPC data", status_code=400)
    request_id: Any = body.get("id")
    try:
        params = body["params"]
        result = sim.dispatch(params["service"], params["method"], params.get("args", []))
    except Exception as exc:
        return _response(request_id, error=_error(sim, exc))
    return _response(request_id, result)


ROUTES = [
    Route("/xmlrpc/2/{service}", xmlrpc_endpoint, methods=["POST"]),
    Route("/jsonrpc", jsonrpc_endpoint, methods=["POST"]),
    *json2.ROUTES,
]
